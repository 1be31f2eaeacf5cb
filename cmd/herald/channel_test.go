package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// channelJSONFields are the fields channel list --json prints for each channel.
var channelJSONFields = []string{"id", "network", "chat", "title", "language", "kinds", "slots", "timezone",
	"min_gap", "daily_cap", "quiet", "quiet_mode", "review_link", "auto_approve", "on_edit", "on_unpublish",
	"paused", "created_at", "updated_at"}

// listChannels returns channel list --json, decoded.
func listChannels(t *testing.T, db string) []map[string]json.RawMessage {
	t.Helper()
	var out []map[string]json.RawMessage
	decodeJSON(t, mustRun(t, nil, "channel", "list", "--db", db, "--json"), &out)
	return out
}

func field(t *testing.T, obj map[string]json.RawMessage, key string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(obj[key], &v); err != nil {
		t.Fatalf("field %s: %v", key, err)
	}
	return v
}

func TestChannelAddListSetRemove(t *testing.T) {
	db := newDB(t)
	tmpl := filepath.Join(t.TempDir(), "post.tmpl")
	if err := os.WriteFile(tmpl, []byte("<b>{{.Title}}</b>\n\n{{.Lead}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	adds := []struct {
		name string
		args []string
		want string
	}{
		{"a channel by numeric id with slots, a gap, a cap and quiet hours", []string{"--chat", "-1001001", "--title", "DQ English",
			"--lang", "en", "--kinds", "commentary,episode", "--slots", "0 9 * * *; 0 19 * * *", "--min-gap", "30m",
			"--daily-cap", "6", "--quiet", "00:00-07:00", "--quiet-mode", "hold"}, "channel 1 added: DQ English -1001001"},
		{"a public channel by @username that posts as soon as it may", []string{"--chat", "@cetin_sual", "--lang", "az",
			"--kinds", "news"}, "channel 2 added: @cetin_sual @cetin_sual · az · news · as soon as allowed"},
		{"a channel with its own template from a file and its own zone", []string{"--chat", "-1003003", "--title", "RU",
			"--lang", "ru", "--kinds", "news,commentary", "--template", "@" + tmpl, "--timezone", "Europe/Berlin",
			"--slots", "30 8 * * 1-5"}, "channel 3 added: RU -1003003"},
	}
	for _, a := range adds {
		r := runHerald(t, nil, append([]string{"channel", "add", "--db", db}, a.args...)...)
		if r.code != exitOK || !strings.HasPrefix(r.lastLine(), a.want) {
			t.Fatalf("%s: want exit 0 and %q\n%v", a.name, a.want, r)
		}
	}

	list := listChannels(t, db)
	if len(list) != 3 {
		t.Fatalf("channel list --json shows %d channels, want 3", len(list))
	}
	requireKeys(t, "channel", list, channelJSONFields...)
	first := list[0]
	for k, want := range map[string]string{
		"id": `1`, "network": `"telegram"`, "chat": `"-1001001"`, "title": `"DQ English"`, "language": `"en"`,
		"kinds": `["commentary","episode"]`, "slots": `["0 9 * * *","0 19 * * *"]`, "daily_cap": `6`,
		"quiet": `"00:00-07:00"`, "quiet_mode": `"hold"`, "review_link": `"text"`, "paused": `false`,
	} {
		if got := compact(t, first[k]); got != want {
			t.Errorf("channel 1 %s is %s, want %s", k, got, want)
		}
	}
	if got := string(list[2]["template"]); !strings.Contains(got, "{{.Title}}") {
		t.Errorf("channel 3's template was not read from the file: %s", got)
	}
	text := mustRun(t, nil, "channel", "list", "--db", db)
	if n := len(lines(text.stdout)); n != 3 || !strings.Contains(text.stdout, "Europe/Berlin") {
		t.Errorf("channel list prints %d lines, want one per channel with its zone:\n%s", n, text.stdout)
	}

	// set changes only the flags given, whichever way the channel is named.
	sets := []struct {
		name    string
		ref     string
		args    []string
		changed map[string]string
	}{
		{"by id, the gap alone", "1", []string{"--min-gap", "45m"}, map[string]string{"min_gap": `"45m0s"`}},
		{"by title, pausing it", "DQ English", []string{"--paused"}, map[string]string{"paused": `true`}},
		{"by chat, resuming it and turning the quiet hours off", "-1001001", []string{"--paused=false", "--quiet", "off"},
			map[string]string{"paused": `false`, "quiet": `""`}},
	}
	for _, s := range sets {
		t.Run("set "+s.name, func(t *testing.T) {
			before := listChannels(t, db)[0]
			mustRun(t, nil, append([]string{"channel", "set", s.ref, "--db", db}, s.args...)...)
			after := listChannels(t, db)[0]
			for _, k := range channelJSONFields {
				want, ok := s.changed[k]
				switch {
				case k == "updated_at":
				case ok && compact(t, after[k]) != want:
					t.Errorf("%s is %s, want %s", k, after[k], want)
				case !ok && string(after[k]) != string(before[k]):
					t.Errorf("%s changed from %s to %s though no flag asked", k, before[k], after[k])
				}
			}
		})
	}
	if r := runHerald(t, nil, "channel", "set", "@nobody", "--db", db, "--min-gap", "1h"); r.code != exitFailed || !strings.Contains(r.stderr, `"@nobody"`) {
		t.Errorf("set on an unknown channel: want exit 1 naming it\n%v", r)
	}

	if r := runHerald(t, nil, "channel", "remove", "@cetin_sual", "--db", db); r.code != exitUsage || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("remove without --yes off a terminal: want exit 2 asking for --yes\n%v", r)
	}
	r := mustRun(t, nil, "channel", "remove", "@cetin_sual", "--db", db, "--yes")
	if !strings.Contains(r.stdout, "channel 2 removed") {
		t.Errorf("remove says %q", r.stdout)
	}
	if r := mustRun(t, nil, "channel", "remove", "-1003003", "--db", db, "--yes"); !strings.Contains(r.stdout, "channel 3 removed") {
		t.Errorf("remove by a numeric chat id says %q", r.stdout)
	}
	if n := len(listChannels(t, db)); n != 1 {
		t.Errorf("after two removals, %d channels are left, want 1", n)
	}
	if r := runHerald(t, nil, "channel", "remove", "@cetin_sual", "--db", db, "--yes"); r.code != exitFailed || !strings.Contains(r.stderr, `"@cetin_sual"`) {
		t.Errorf("removing it again: want exit 1 naming the channel\n%v", r)
	}
}

func TestChannelRefusesBadFlagsNamingTheFlag(t *testing.T) {
	good := []string{"--chat", "-1001", "--lang", "en", "--kinds", "news"}
	with := func(flag, value string) []string {
		out := []string{}
		for i := 0; i < len(good); i += 2 {
			if good[i] != flag {
				out = append(out, good[i], good[i+1])
			}
		}
		return append(out, flag, value)
	}
	tests := []struct {
		name string
		args []string
		flag string
		form string
	}{
		{"a chat that is neither an id nor an @username", with("--chat", "news-channel"), "--chat", "@username"},
		{"a missing chat", []string{"--lang", "en", "--kinds", "news"}, "--chat", "-1001234567890"},
		{"a language herald does not speak", with("--lang", "fr"), "--lang", "az, en, ru"},
		{"a kind that does not exist", with("--kinds", "news,gossip"), "--kinds", "commentary, episode or news"},
		{"a slot at hour 25", with("--slots", "0 25 * * *"), "--slots", `"0 19 * * *"`},
		{"a slot that is not cron at all", with("--slots", "every evening"), "--slots", "five fields"},
		{"quiet hours past midnight's end", with("--quiet", "25:00-07:00"), "--quiet", "HH:MM-HH:MM"},
		{"quiet hours in words", with("--quiet", "at night"), "--quiet", "HH:MM-HH:MM"},
		{"a gap that is not a duration", with("--min-gap", "a while"), "--min-gap", "30m"},
		{"a template that does not parse", with("--template", "<b>{{.Title</b>"), "--template", "text/template"},
		{"a template naming a field posts do not have", with("--template", "{{.Headline}}"), "--template", "text/template"},
		{"a time zone that does not exist", with("--timezone", "Mars/Olympus"), "--timezone", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			r := runHerald(t, nil, append([]string{"channel", "add", "--db", db}, tt.args...)...)
			if r.code != exitUsage {
				t.Fatalf("want exit 2\n%v", r)
			}
			msg := strings.TrimSpace(r.stderr)
			if strings.Contains(msg, "\n") {
				t.Errorf("want one line, got:\n%s", msg)
			}
			if !strings.Contains(msg, tt.flag) || !strings.Contains(msg, tt.form) {
				t.Errorf("message %q should name %s and the expected form %q", msg, tt.flag, tt.form)
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("a refused channel add left a new database behind")
			}
		})
	}

	t.Run("set refuses a bad value and keeps the channel as it was", func(t *testing.T) {
		db := newDB(t)
		mustRun(t, nil, append([]string{"channel", "add", "--db", db}, good...)...)
		before := listChannels(t, db)
		r := runHerald(t, nil, "channel", "set", "-1001", "--db", db, "--quiet", "late", "--min-gap", "1h")
		if r.code != exitUsage || !strings.Contains(r.stderr, "--quiet") {
			t.Fatalf("want exit 2 naming --quiet\n%v", r)
		}
		after := listChannels(t, db)
		if string(after[0]["min_gap"]) != string(before[0]["min_gap"]) {
			t.Errorf("a refused set changed the gap to %s", after[0]["min_gap"])
		}
	})
}

func TestChannelAddRefusesASecondChannelOnTheSameChat(t *testing.T) {
	db := newDB(t)
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "@dq_english", "--lang", "en", "--kinds", "news")
	r := runHerald(t, nil, "channel", "add", "--db", db, "--chat", "@dq_english", "--lang", "en", "--kinds", "commentary")
	if r.code != exitFailed || !strings.Contains(r.stderr, "@dq_english") || !strings.Contains(r.stderr, "already has a channel") {
		t.Fatalf("want exit 1 and a conflict naming the chat\n%v", r)
	}
	if n := len(listChannels(t, db)); n != 1 {
		t.Errorf("%d channels after the conflict, want 1", n)
	}
}

// plannedQueue makes a database with one channel and the good sample pages
// imported, and plans their posts as herald run's watcher would. It
// returns the database and the posts, in queue order.
func plannedQueue(t *testing.T) (string, []queuedPost) {
	t.Helper()
	db := newDB(t)
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1001001", "--title", "News", "--lang", "en", "--kinds", "news,commentary,episode")
	mustRun(t, nil, append([]string{"import", "--db", db, "--lang", "en"}, copyPages(t, t.TempDir(), goodPageNames()...)...)...)
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	w := &scheduler.Watcher{Store: st, Zone: "Asia/Baku"}
	n, err := w.Sweep(context.Background())
	st.Close()
	if err != nil || n != len(goodPages) {
		t.Fatalf("the watcher planned %d posts (%v), want %d", n, err, len(goodPages))
	}
	var q []queuedPost
	decodeJSON(t, mustRun(t, nil, "queue", "--db", db, "--json"), &q)
	if len(q) != len(goodPages) {
		t.Fatalf("queue --json shows %d posts, want %d", len(q), len(goodPages))
	}
	return db, q
}

func TestQueueJSONShowsEveryPostWithItsFields(t *testing.T) {
	db, q := plannedQueue(t)
	var raw []map[string]json.RawMessage
	decodeJSON(t, mustRun(t, nil, "queue", "--db", db, "--json"), &raw)
	requireKeys(t, "post", raw, "id", "article_id", "channel", "purpose", "state", "scheduled_at", "attempts",
		"last_error", "message_id", "sent_at")
	for _, p := range q {
		if p.Channel != "-1001001" || p.Purpose != "publish" || (p.State != "planned" && p.State != "scheduled") ||
			p.Attempts != 0 || p.MessageID != 0 || p.SentAt != nil || p.ArticleID == 0 {
			t.Errorf("a freshly planned post reads %+v", p)
		}
		if p.ScheduledAt.Before(time.Now().Add(-time.Hour)) || p.ScheduledAt.After(time.Now().Add(time.Hour)) {
			t.Errorf("post %d is due %v; a channel without slots should post now", p.ID, p.ScheduledAt)
		}
	}
	text := mustRun(t, nil, "queue", "--db", db)
	if n := len(lines(text.stdout)); n != len(q) {
		t.Errorf("queue prints %d lines for %d posts:\n%s", n, len(q), text.stdout)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a state that does not exist is a usage error", []string{"--state", "lost"}, exitUsage, "--state"},
		{"a channel that does not exist is named", []string{"--channel", "@nobody"}, exitFailed, `"@nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runHerald(t, nil, append([]string{"queue", "--db", db}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("want exit %d and %q\n%v", tt.code, tt.want, r)
			}
		})
	}
	var sent []queuedPost
	decodeJSON(t, mustRun(t, nil, "queue", "--db", db, "--json", "--state", "sent"), &sent)
	if len(sent) != 0 {
		t.Errorf("--state sent shows %d posts before anything was sent", len(sent))
	}
}

func TestPostActionsFromTheCommandLineAreCheckedAndAudited(t *testing.T) {
	db, q := plannedQueue(t)
	baku, err := time.LoadLocation("Asia/Baku")
	if err != nil {
		t.Fatal(err)
	}
	id := func(i int) string { return fmt.Sprint(q[i].ID) }
	post := func(t *testing.T, pid string) queuedPost {
		t.Helper()
		var all []queuedPost
		decodeJSON(t, mustRun(t, nil, "queue", "--db", db, "--json", "--state", "all"), &all)
		for _, p := range all {
			if fmt.Sprint(p.ID) == pid {
				return p
			}
		}
		t.Fatalf("post %s is not in the queue", pid)
		return queuedPost{}
	}
	tomorrow := time.Now().In(baku).AddDate(0, 0, 1)
	steps := []struct {
		name   string
		args   []string
		code   int
		out    string // on stdout (exit 0) or stderr
		state  string
		due    func(time.Time) bool
		action string // audited, when not ""
	}{
		{"reschedule +2h moves the post two hours on", []string{"reschedule", id(0), "+2h"}, exitOK, "is scheduled",
			"scheduled", func(at time.Time) bool { return near(at, time.Now().Add(2*time.Hour)) }, "reschedule"},
		{"reschedule tomorrow 9:30 reads the time in the channel's zone", []string{"reschedule", id(1), "tomorrow", "9:30"}, exitOK, "is scheduled",
			"scheduled", func(at time.Time) bool {
				l := at.In(baku)
				return l.Day() == tomorrow.Day() && l.Hour() == 9 && l.Minute() == 30
			}, "reschedule"},
		{"reschedule to garbage is a usage error with examples", []string{"reschedule", id(2), "whenever"}, exitUsage,
			"tomorrow 9:30", "", nil, ""},
		{"reschedule without a time is a usage error with examples", []string{"reschedule", id(2)}, exitUsage,
			"+2h", "", nil, ""},
		{"reschedule into the past is refused", []string{"reschedule", id(2), "2020-01-01 19:00"}, exitUsage,
			"in the past", "", nil, ""},
		{"cancel cancels a post that has not gone out", []string{"cancel", id(0)}, exitOK, "is cancelled",
			"cancelled", nil, "cancel"},
		{"cancel twice is a conflict", []string{"cancel", id(0)}, exitFailed, "cancelled", "cancelled", nil, ""},
		{"now makes a planned post due at once", []string{"now", id(2)}, exitOK, "is scheduled",
			"scheduled", func(at time.Time) bool { return near(at, time.Now()) }, "post_now"},
		{"now on a cancelled post is a conflict", []string{"now", id(0)}, exitFailed, "cancelled", "cancelled", nil, ""},
		{"an unknown post is not found", []string{"cancel", "9999"}, exitFailed, "not found", "", nil, ""},
		{"an id that is not a number is a usage error", []string{"cancel", "first"}, exitUsage, "not a post id", "", nil, ""},
	}
	var audited []string
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			var before queuedPost
			if s.code != exitOK && s.args[1] != "9999" && s.args[1] != "first" {
				before = post(t, s.args[1])
			}
			r := runHerald(t, nil, append([]string{"post", "--db", db}, s.args...)...)
			got := r.stdout
			if s.code != exitOK {
				got = r.stderr
			}
			if r.code != s.code || !strings.Contains(got, s.out) {
				t.Fatalf("want exit %d and %q\n%v", s.code, s.out, r)
			}
			if before.ID != 0 {
				if after := post(t, s.args[1]); after.State != before.State || !after.ScheduledAt.Equal(before.ScheduledAt) {
					t.Errorf("a refused action changed the post from %s at %v to %s at %v", before.State, before.ScheduledAt, after.State, after.ScheduledAt)
				}
			}
			if s.state != "" {
				p := post(t, s.args[1])
				if p.State != s.state {
					t.Errorf("post is %s, want %s", p.State, s.state)
				}
				if s.due != nil && !s.due(p.ScheduledAt) {
					t.Errorf("post is due %v (%v in Baku)", p.ScheduledAt, p.ScheduledAt.In(baku))
				}
			}
			if s.action != "" {
				audited = append(audited, s.action+" "+s.args[1])
			}
		})
	}

	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, err := st.Audit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i := len(entries) - 1; i >= 0; i-- { // oldest first
		e := entries[i]
		if e.Action == "schedule" || e.Action == "add_channel" {
			continue // the setup's own, audited apart from the post actions
		}
		got = append(got, fmt.Sprintf("%s %d", e.Action, e.PostID))
		if e.UserID != 0 || e.At.IsZero() || e.Detail == "" {
			t.Errorf("audit entry %+v: want the command line (user 0), a time and a detail", e)
		}
	}
	if strings.Join(got, "\n") != strings.Join(audited, "\n") {
		t.Errorf("audit trail is\n%s\nwant exactly the changes made\n%s", strings.Join(got, "\n"), strings.Join(audited, "\n"))
	}
}

// compact is a JSON value without its indentation.
func compact(t *testing.T, v json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// near reports whether a and b are within a minute of each other.
func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d > -time.Minute && d < time.Minute
}
