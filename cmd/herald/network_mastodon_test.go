package main

import (
	"strings"
	"testing"

	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/telegramtest"
)

const mastodonSecret = "mtok-cmd-9f8e7d6c5b4a39281f0e9d8c7b6a5948"

// TestAMastodonChannelIsAddedAndCheckedByDoctor: channel add signs in with
// the token the named variable holds, and doctor signs in as run would, the
// token in neither's output.
func TestAMastodonChannelIsAddedAndCheckedByDoctor(t *testing.T) {
	masto := mastodontest.NewTestServer(t)
	masto.MustAccount("newsroom", mastodonSecret)
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	db := newDB(t)
	vars := map[string]string{"HERALD_TEST_MASTODON_TOKEN": mastodonSecret}
	add := runHerald(t, vars, "channel", "add", "--db", db, "--network", "mastodon", "--instance", masto.URL(),
		"--token-env", "HERALD_TEST_MASTODON_TOKEN", "--title", "DQ Mastodon", "--lang", "en", "--kinds", "news")
	if add.code != exitOK || !strings.Contains(add.stdout, "newsroom@127.0.0.1") {
		t.Fatalf("channel add: %v", add)
	}
	if r := runHerald(t, nil, "channel", "add", "--db", db, "--network", "mastodon", "--instance", masto.URL(),
		"--token-env", "HERALD_UNSET_TOKEN", "--title", "Other", "--lang", "en", "--kinds", "news"); r.code == exitOK || !strings.Contains(r.stderr, "HERALD_UNSET_TOKEN") {
		t.Fatalf("an unset variable: %v", r)
	}
	dv := doctorVars(fake, db)
	dv["HERALD_TEST_MASTODON_TOKEN"] = mastodonSecret
	r := runHerald(t, dv, "doctor")
	for _, want := range []string{"signed in as @newsroom@127.0.0.1", "the token has write:statuses, write:media, read:notifications and read:statuses",
		"the instance allows 500 characters a status (a link counts 23)"} {
		if _, _, ok := doctorLine(r, "ok", want); !ok {
			t.Errorf("doctor lacks an ok line with %q:\n%s", want, r.stdout)
		}
	}
	masto.Revoke(mastodonSecret)
	r = runHerald(t, dv, "doctor")
	if line, _, ok := doctorLine(r, "FAIL", "DQ Mastodon"); !ok || !strings.Contains(line, "HERALD_TEST_MASTODON_TOKEN") {
		t.Errorf("a revoked token: %s", r.stdout)
	}
	for _, out := range []string{add.stdout, add.stderr, r.stdout, r.stderr} {
		if strings.Contains(out, mastodonSecret) {
			t.Fatal("the token is in herald's output")
		}
	}
}
