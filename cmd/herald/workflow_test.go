package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// workflowDB is a database with a filtered channel, a forum topic channel
// and an approval channel, and three articles; it returns the path and
// the articles' ids by letter.
func workflowDB(t *testing.T) (string, map[string]int64) {
	t.Helper()
	db := newDB(t)
	dir := t.TempDir()
	arts := map[string][2]string{
		"a": {"İlham Əliyev receives the envoys", "The president met the envoys."},
		"b": {"Snow expected in Baku", "Forecasters expect snow."},
		"c": {"İlham Əliyev at the football final", "The president watched the final."},
	}
	var files []string
	for k, v := range arts {
		b, _ := json.Marshal(map[string]any{"title": v[0], "body": v[1] + "\n\nMore.", "kind": "news", "language": "en",
			"url": "https://www.example.org/news/" + k, "source": "t", "external_id": k})
		f := filepath.Join(dir, k+".json")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1002", "--title", "Filtered", "--lang", "en", "--kinds", "news")
	mustRun(t, nil, "channel", "set", "--db", db, "Filtered", "--include", "eliyev", "--exclude", "football,title:re:snow\\s+storm")
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "https://t.me/c/123/7", "--title", "Forum", "--lang", "en", "--kinds", "news")
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1005", "--title", "Approvals", "--lang", "en", "--kinds", "news",
		"--approval", "--approvers", "1001,1002", "--slots", "0 12 1 1 *")
	mustRun(t, nil, append([]string{"import", "--db", db}, files...)...)
	var list []struct {
		ID         int64  `json:"id"`
		ExternalID string `json:"external_id"`
	}
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &list)
	ids := map[string]int64{}
	for _, a := range list {
		ids[a.ExternalID] = a.ID
	}
	if len(ids) != 3 {
		t.Fatalf("imported %v, want three articles", ids)
	}
	return db, ids
}

func TestChannelSettingsForTheWorkflowAreShownAndChecked(t *testing.T) {
	db, _ := workflowDB(t)
	list := mustRun(t, nil, "channel", "list", "--db", db).stdout
	for _, want := range []string{`include "eliyev"`, `exclude "football", "title:re:snow\\s+storm"`, "Forum -100123 topic 7", "approval by 1001,1002"} {
		if !strings.Contains(list, want) {
			t.Errorf("channel list lacks %q:\n%s", want, list)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--include", "colour:red"}, "unknown field"},
		{[]string{"--include", "re:(x"}, "missing closing"},
		{[]string{"--approvers", "ann"}, "Telegram user ids"},
		{[]string{"--chat", "https://t.me/c/123/7", "--topic", "8"}, "give one of them"},
		{[]string{"--chat", "t.me/c/abc"}, "forum topic's link"},
	} {
		r := runHerald(t, nil, append([]string{"channel", "set", "--db", db, "Filtered"}, tc.args...)...)
		if r.code == exitOK || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("channel set %v: %v, want a refusal saying %q", tc.args, r, tc.want)
		}
	}
	mustRun(t, nil, "channel", "set", "--db", db, "Filtered", "--include", "none", "--exclude", "none")
	if list := mustRun(t, nil, "channel", "list", "--db", db).stdout; strings.Contains(list, "eliyev") {
		t.Errorf("--include none left the rules:\n%s", list)
	}
}

func TestChannelTestSaysWhichRuleDecided(t *testing.T) {
	db, ids := workflowDB(t)
	for _, tc := range []struct {
		art  string
		want []string
	}{
		{"a", []string{"takes article", `include rule "eliyev" matched title`, "kind news: taken", "language en: taken"}},
		{"b", []string{"does not take", "no include rule matched"}},
		{"c", []string{"does not take", `exclude rule "football" matched title`}},
	} {
		out := mustRun(t, nil, "channel", "test", "--db", db, "Filtered", itoa64(ids[tc.art])).stdout
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("channel test of article %s:\n%s\nwant %q", tc.art, out, w)
			}
		}
	}
	out := mustRun(t, nil, "channel", "test", "--db", db, "Approvals", itoa64(ids["b"])).stdout
	if !strings.Contains(out, "wait for approval") {
		t.Errorf("channel test on an approval channel does not say so:\n%s", out)
	}
}

func TestPostEditFromTheCommandLineIsCheckedAndAudited(t *testing.T) {
	db, ids := workflowDB(t)
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ch, _ := st.ChannelByRef(ctx, "Approvals")
	p := &store.PostRow{Post: herald.Post{ArticleID: ids["a"], ChannelID: ch.ID, Purpose: herald.PurposePublish, State: herald.PostAwaiting}}
	if _, err := st.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	st.Close()
	dir := t.TempDir()
	good, long, bad := filepath.Join(dir, "good.txt"), filepath.Join(dir, "long.txt"), filepath.Join(dir, "bad.txt")
	os.WriteFile(good, []byte("<b>The envoys</b> and the corridor, in our words.\n"), 0o644)
	os.WriteFile(long, []byte(strings.Repeat("word ", 1000)), 0o644)
	os.WriteFile(bad, []byte("<b>unclosed"), 0o644)
	id := itoa64(p.ID)
	for _, tc := range []struct{ file, want string }{{long, "4096"}, {bad, "not valid Telegram HTML"}} {
		r := runHerald(t, nil, "post", "edit", "--db", db, id, "--text-file", tc.file)
		if r.code == exitOK || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("post edit with %s: %v, want a refusal saying %q", filepath.Base(tc.file), r, tc.want)
		}
	}
	if r := runHerald(t, nil, "post", "edit", "--db", db, id, "--text-file", good, "--image", good); r.code == exitOK || !strings.Contains(r.stderr, "JPEG, PNG") {
		t.Errorf("post edit with a text file as its image: %v", r)
	}
	mustRun(t, nil, "post", "edit", "--db", db, id, "--text-file", good)
	q := mustRun(t, nil, "queue", "--db", db, "--json", "--channel", "Approvals").stdout
	if !strings.Contains(q, `"edited": true`) || !strings.Contains(q, `"state": "awaiting_approval"`) {
		t.Errorf("queue --json does not show the edited post awaiting approval:\n%s", q)
	}
	mustRun(t, nil, "post", "approve", "--db", db, id)
	audit := mustRun(t, nil, "audit", "--db", db).stdout
	if !strings.Contains(audit, "edit_post") || !strings.Contains(audit, "approve") {
		t.Errorf("audit lacks the edit and the approval:\n%s", audit)
	}
}

func TestShortLinksRedirectWithUTMAndCountOnlyReaders(t *testing.T) {
	db, ids := workflowDB(t)
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ch, _ := st.ChannelByRef(ctx, "Filtered")
	p := &store.PostRow{Post: herald.Post{ArticleID: ids["a"], ChannelID: ch.ID, Purpose: herald.PurposePublish}}
	if _, err := st.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	code, err := st.LinkCode(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	for _, base := range []string{"https://go.example", "https://example.org/l"} {
		h := &linkHandler{st: st, base: base, log: discardLog(), next: next}
		path := strings.TrimPrefix(base, "https://go.example")
		path = strings.TrimPrefix(path, "https://example.org") + "/" + code
		before, _ := st.LinkByCode(ctx, code)
		for _, tc := range []struct {
			method, ua string
			counted    bool
		}{
			{"GET", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", true},
			{"GET", "TelegramBot (like TwitterBot)", false},
			{"GET", "facebookexternalhit/1.1", false},
			{"HEAD", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", false},
		} {
			req := httptest.NewRequest(tc.method, path, nil)
			req.Header.Set("User-Agent", tc.ua)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			loc := rec.Header().Get("Location")
			if rec.Code != http.StatusFound || !strings.HasPrefix(loc, "https://www.example.org/news/a?") ||
				!strings.Contains(loc, "utm_source=telegram") || !strings.Contains(loc, "utm_campaign=filtered") {
				t.Errorf("%s %s: %d to %q, want a redirect to the article with UTM", tc.method, path, rec.Code, loc)
			}
		}
		after, _ := st.LinkByCode(ctx, code)
		if after.Clicks != before.Clicks+1 {
			t.Errorf("under %s: clicks went %d → %d, want only the browser's GET counted", base, before.Clicks, after.Clicks)
		}
		for _, other := range []string{"/healthz", "/", "/api/articles", path + "x", "/ABCDEFGHJK"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("GET", other, nil))
			if rec.Code != http.StatusTeapot {
				t.Errorf("%s did not go on to the other routes (%d)", other, rec.Code)
			}
		}
	}
	stats := mustRun(t, nil, "stats", "--db", db).stdout
	if !strings.Contains(stats, "clicks on herald's links: 2") || !strings.Contains(stats, "Filtered") {
		t.Errorf("herald stats:\n%s\nwant the two clicks by post, article and channel", stats)
	}
}

func TestHeraldLinksIsCheckedLikeEveryVariable(t *testing.T) {
	for _, bad := range []string{"go.example", "ftp://go.example", "https://go.example/?x=1", "https://go.example/a/b", "https://go.example/api"} {
		_, err := loadConfig(func(k string) string {
			if k == "HERALD_LINKS" {
				return bad
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), "HERALD_LINKS") {
			t.Errorf("HERALD_LINKS=%s: %v, want an error naming the variable", bad, err)
		}
	}
	c, err := loadConfig(func(k string) string {
		if k == "HERALD_LINKS" {
			return "https://go.example/"
		}
		return ""
	})
	if err != nil || c.Links != "https://go.example" {
		t.Errorf("HERALD_LINKS=https://go.example/: %v %q", err, c.Links)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }
