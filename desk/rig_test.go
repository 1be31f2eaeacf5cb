package desk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

const (
	testToken  = "123456:desk-test-secret-token"
	ownerID    = int64(1001)
	editorID   = int64(2002)
	strangerID = int64(4242)
)

// rigNow is the rig's clock: 12:00 in Baku (UTC+4), so that tonight's
// posts are today on every channel.
var rigNow = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

type rig struct {
	t       *testing.T
	ctx     context.Context
	st      *store.Store
	q       *scheduler.Queue
	d       *Desk
	srv     *httptest.Server
	en, ru  *herald.Channel
	posts   map[string]int64 // by name: tonight, later, tomorrow, unknown, failed
	review  *herald.Review
	clockMu sync.Mutex
	now     time.Time
	doctors int // how many times the doctor ran
	logins  int // logins made, each a second apart: an answer signs in once
}

func (r *rig) clock() time.Time { r.clockMu.Lock(); defer r.clockMu.Unlock(); return r.now }

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, ctx: context.Background(), now: rigNow, posts: map[string]int64{}}
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(r.clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.st = st
	ctx := r.ctx
	if err := st.SyncOwners(ctx, []int64{ownerID}); err != nil {
		t.Fatal(err)
	}
	if err := st.AddEditor(ctx, &herald.Editor{UserID: editorID, Name: "Rauf", Role: herald.RoleEditor, AddedBy: ownerID}); err != nil {
		t.Fatal(err)
	}
	channel := func(chat, title string, lang herald.Language, zone string) *herald.Channel {
		c := &herald.Channel{Network: herald.NetworkTelegram, Chat: chat, Title: title, Language: lang,
			Kinds: []herald.Kind{herald.KindCommentary, herald.KindNews}, Slots: []string{"0 9 * * *", "0 19 * * *", "0 21 * * *"},
			Timezone: zone, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
			OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
		if err := st.CreateChannel(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	r.en = channel("-1001", "DQ English", herald.LangEnglish, "Asia/Baku")
	r.ru = channel("-1002", "DQ Russian", herald.LangRussian, "Europe/Moscow")
	article := func(n int, lang herald.Language, title string) *herald.Article {
		a := &herald.Article{Source: "test", ExternalID: strconv.Itoa(n), Kind: herald.KindCommentary, Language: lang,
			Title: title, Lead: "The lead <b>& more</b>.", Body: "One.\n\nTwo.", Program: herald.ProgramDifficultQuestion,
			URL: fmt.Sprintf("https://example.org/a/%d", n), PublishedAt: rigNow.Add(-time.Duration(10-n) * time.Hour)}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	plan := func(name string, a *herald.Article, ch *herald.Channel, at time.Time) int64 {
		p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: at}}
		if _, err := st.PlanPost(ctx, p); err != nil {
			t.Fatal(err)
		}
		r.posts[name] = p.ID
		return p.ID
	}
	plan("tonight", article(1, herald.LangEnglish, "Corridor talks resume in Brussels"), r.en, rigNow.Add(11*time.Hour)) // 23:00 Baku
	plan("later", article(2, herald.LangEnglish, "What the summit left unsaid"), r.en, rigNow.Add(7*time.Hour))          // 19:00
	plan("tomorrow", article(3, herald.LangRussian, "Трудный вопрос о Каспии"), r.ru, rigNow.Add(22*time.Hour))
	unknown := plan("unknown", article(4, herald.LangEnglish, "A post nobody is sure of"), r.en, rigNow.Add(-2*time.Hour))
	failed := plan("failed", article(5, herald.LangEnglish, "A post that failed"), r.en, rigNow.Add(-time.Hour))
	for id, mark := range map[int64]func(int64) error{
		unknown: func(id int64) error { return st.MarkUnknown(ctx, id, "timeout after the request was written") },
		failed:  func(id int64) error { return st.MarkFailed(ctx, id, "Bad Request: chat not found") },
	} {
		if ok, err := st.ClaimPost(ctx, id, rigNow.Add(time.Minute)); !ok || err != nil {
			t.Fatalf("claim post %d: %v %v", id, ok, err)
		}
		if err := mark(id); err != nil {
			t.Fatal(err)
		}
	}
	held := &herald.Article{Source: "test", ExternalID: "held", Kind: herald.KindEpisode, Language: herald.LangEnglish,
		Title: "Tonight's guest: the port authority", Body: "Join us at 21:00.", Program: herald.ProgramDifficultQuestion,
		PublishedAt: rigNow.Add(-20 * time.Hour), NeedsEditor: herald.HeldReason(herald.HeldNoDay, "21:00")}
	if _, err := st.UpsertArticle(ctx, held); err != nil {
		t.Fatal(err)
	}
	r.review = &herald.Review{ArticleID: 1, UserID: 7007, UserName: "Mallory <script>alert(1)</script>\u202Egnp.exe",
		Language: herald.LangEnglish, Rating: 4, Text: "Good piece, but <img src=x onerror=alert(1)> was missing.",
		Source: herald.ReviewDM, Status: herald.ReviewPending}
	if _, err := st.SaveReview(ctx, r.review); err != nil {
		t.Fatal(err)
	}
	r.q = &scheduler.Queue{Store: st, Now: r.clock, Watcher: &scheduler.Watcher{Store: st, Zone: "Asia/Baku", Now: r.clock}}
	d, err := New(Config{Store: st, Queue: r.q, Token: testToken, BotUsername: "herald_test_bot", Zone: "Asia/Baku",
		Now: r.clock, Doctor: func(ctx context.Context, report func(bot.Check)) {
			r.clockMu.Lock()
			r.doctors++
			r.clockMu.Unlock()
			report(bot.Check{Verdict: bot.CheckOK, Line: "telegram: token valid, the bot is @herald_test_bot"})
			report(bot.Check{Verdict: bot.CheckWarn, Line: "channel DQ Russian: no discussion group", Fix: "link one"})
		}})
	if err != nil {
		t.Fatal(err)
	}
	r.d = d
	r.srv = httptest.NewServer(d.Handler())
	t.Cleanup(r.srv.Close)
	return r
}

// signedLogin returns the Login Widget's fields for id, signed as
// Telegram signs them, auth_date age ago.
func signedLogin(id int64, age time.Duration) url.Values {
	v := url.Values{"id": {strconv.FormatInt(id, 10)}, "first_name": {"Aygun"}, "username": {"aygun"},
		"auth_date": {strconv.FormatInt(rigNow.Add(-age).Unix(), 10)}}
	keys := []string{}
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		lines = append(lines, k+"="+v.Get(k))
	}
	key := sha256.Sum256([]byte(testToken))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(strings.Join(lines, "\n")))
	v.Set("hash", hex.EncodeToString(mac.Sum(nil)))
	return v
}

// client is a browser without JavaScript: cookies kept, redirects not
// followed, so that a test sees each answer.
type client struct {
	t  *testing.T
	r  *rig
	hc *http.Client
}

func (r *rig) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: r.t, r: r, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs c in as id through the widget's GET callback.
func (c *client) signIn(id int64) *http.Response {
	c.t.Helper()
	c.r.logins++
	return c.get("/auth/telegram?" + signedLogin(id, time.Minute+time.Duration(c.r.logins)*time.Second).Encode())
}

func (c *client) get(path string) *http.Response {
	c.t.Helper()
	res, err := c.hc.Get(c.r.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

func (c *client) post(path string, form url.Values, headers ...string) *http.Response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.r.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return res
}

// page GETs path and returns its status and body.
func (c *client) page(path string) (int, string) {
	c.t.Helper()
	res := c.get(path)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page of c's session.
func (c *client) csrf() string {
	c.t.Helper()
	_, body := c.page("/")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no CSRF token on the plan page:\n%s", body)
	}
	return m[1]
}

func body(res *http.Response) string {
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func (r *rig) post(name string) *store.PostRow {
	r.t.Helper()
	p, err := r.st.Post(r.ctx, r.posts[name])
	if err != nil {
		r.t.Fatal(err)
	}
	return p
}
