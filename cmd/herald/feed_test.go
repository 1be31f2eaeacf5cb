package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/store"
)

// feedJSONFields are the fields feed list --json prints for each feed.
var feedJSONFields = []string{"id", "url", "kind", "language", "source", "fetch_page", "window", "etag",
	"last_modified", "last_polled_at", "last_ok_at", "failures", "next_poll_at", "last_error", "added_at"}

func listFeeds(t *testing.T, db string) []map[string]json.RawMessage {
	t.Helper()
	var out []map[string]json.RawMessage
	decodeJSON(t, mustRun(t, nil, "feed", "list", "--db", db, "--json"), &out)
	return out
}

func TestFeedAddListRemove(t *testing.T) {
	db := newDB(t)
	adds := []struct {
		name string
		args []string
		want string
	}{
		{"a news feed with the flags after the URL, filed under its host", []string{"https://gazette.example/rss",
			"--kind", "news", "--lang", "en"}, "feed 1 added: https://gazette.example/rss · news · en · source feed:gazette.example"},
		{"a commentary feed with its own source, pages fetched and a window", []string{"--kind", "commentary", "--lang", "az",
			"--source", "cetin-sual", "--fetch-page", "--window", "48h", "https://cetin.example/feed.json"},
			"feed 2 added: https://cetin.example/feed.json · commentary · az · source cetin-sual · fetches pages · window 48h0m0s"},
	}
	for _, a := range adds {
		r := runHerald(t, nil, append([]string{"feed", "add", "--db", db}, a.args...)...)
		if r.code != exitOK || r.lastLine() != a.want {
			t.Fatalf("%s: want exit 0 and %q\n%v", a.name, a.want, r)
		}
	}

	list := listFeeds(t, db)
	if len(list) != 2 {
		t.Fatalf("feed list --json shows %d feeds, want 2", len(list))
	}
	requireKeys(t, "feed", list, feedJSONFields...)
	for k, want := range map[string]string{"id": `2`, "url": `"https://cetin.example/feed.json"`, "kind": `"commentary"`,
		"language": `"az"`, "source": `"cetin-sual"`, "fetch_page": `true`, "window": `"48h0m0s"`, "failures": `0`,
		"last_polled_at": `null`} {
		if got := compact(t, list[1][k]); got != want {
			t.Errorf("feed 2 %s is %s, want %s", k, got, want)
		}
	}
	text := mustRun(t, nil, "feed", "list", "--db", db)
	if !strings.Contains(text.stdout, "https://gazette.example/rss") || !strings.Contains(text.stdout, "not polled yet") {
		t.Errorf("feed list does not show the feed and that it was not polled yet:\n%s", text.stdout)
	}

	r := mustRun(t, nil, "feed", "remove", "--db", db, "https://gazette.example/rss")
	if r.lastLine() != "feed 1 removed: https://gazette.example/rss (its articles stay)" {
		t.Errorf("feed remove by URL printed %q", r.lastLine())
	}
	mustRun(t, nil, "feed", "remove", "2", "--db", db)
	if list := listFeeds(t, db); len(list) != 0 {
		t.Errorf("after removing both, feed list shows %d feeds", len(list))
	}
	if r := mustRun(t, nil, "feed", "list", "--db", db); !strings.Contains(r.stdout, "no feeds yet") {
		t.Errorf("an empty feed list says %q", r.stdout)
	}
}

func TestFeedCommandsRefuseBadInputNamingTheFlag(t *testing.T) {
	db := newDB(t)
	mustRun(t, nil, "feed", "add", "--db", db, "https://gazette.example/rss", "--kind", "news", "--lang", "en")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no URL", []string{"feed", "add", "--kind", "news", "--lang", "en"}, exitUsage, "give one feed URL"},
		{"a URL that is not http", []string{"feed", "add", "ftp://gazette.example/rss", "--kind", "news", "--lang", "en"}, exitUsage,
			`URL "ftp://gazette.example/rss": want an http or https address`},
		{"no kind", []string{"feed", "add", "https://x.example/rss", "--lang", "en"}, exitUsage, "--kind is required: commentary, episode or news"},
		{"an unknown kind", []string{"feed", "add", "https://x.example/rss", "--kind", "sport", "--lang", "en"}, exitUsage,
			`--kind "sport": want commentary, episode or news`},
		{"no language", []string{"feed", "add", "https://x.example/rss", "--kind", "news"}, exitUsage, "--lang is required: az, en or ru"},
		{"an unknown language", []string{"feed", "add", "https://x.example/rss", "--kind", "news", "--lang", "fr"}, exitUsage,
			`--lang "fr": want az, en or ru`},
		{"a window that is not a duration", []string{"feed", "add", "https://x.example/rss", "--kind", "news", "--lang", "en", "--window", "two days"},
			exitUsage, `--window "two days": want a duration of zero or more, such as 48h or 90m`},
		{"a negative window", []string{"feed", "add", "https://x.example/rss", "--kind", "news", "--lang", "en", "--window", "-1h"},
			exitUsage, `--window "-1h": want a duration`},
		{"a feed added twice", []string{"feed", "add", "https://gazette.example/rss", "--kind", "news", "--lang", "en"}, exitFailed,
			"feed https://gazette.example/rss is already added, as feed 1"},
		{"removing a feed that is not there", []string{"feed", "remove", "https://nowhere.example/rss"}, exitFailed,
			"no feed https://nowhere.example/rss"},
		{"removing without naming a feed", []string{"feed", "remove"}, exitUsage, "name one feed by id or URL"},
		{"an unknown subcommand", []string{"feed", "poll"}, exitUsage, `unknown subcommand "poll"`},
	}
	for _, c := range cases {
		r := runHerald(t, nil, append(c.args, "--db", db)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: want exit %d and %q on stderr\n%v", c.name, c.code, c.want, r)
		}
	}
	if list := listFeeds(t, db); len(list) != 1 {
		t.Errorf("after the refused commands feed list shows %d feeds, want 1", len(list))
	}
}

func TestAFeedAddedFromTheCommandLineIsPolledIntoArticles(t *testing.T) {
	db := newDB(t)
	rss, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "feeds", "rss.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"1"`)
		w.Write(rss)
	}))
	defer srv.Close()
	mustRun(t, nil, "feed", "add", "--db", db, srv.URL+"/rss", "--kind", "news", "--lang", "en", "--window", "2000000h")

	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	nudged := 0
	p := newFeedPoller(st, slog.New(slog.DiscardHandler), time.Now, 0, func() { nudged++ })
	if err := p.PollDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	st.Close()

	if nudged != 1 {
		t.Errorf("the watcher was nudged %d times, want once", nudged)
	}
	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &arts)
	if len(arts) != 2 || arts[0].Title != "Why the ferry matters" || arts[0].Kind != "commentary" || arts[1].Kind != "news" {
		t.Errorf("herald articles shows %+v; want the feed's two items, the commentary first", arts)
	}
	list := listFeeds(t, db)
	if got := compact(t, list[0]["etag"]); got != `"\"1\""` || compact(t, list[0]["last_ok_at"]) == "null" {
		t.Errorf("after a poll feed list shows etag %s and last_ok_at %s", got, compact(t, list[0]["last_ok_at"]))
	}
}
