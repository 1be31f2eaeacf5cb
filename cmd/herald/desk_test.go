package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald/telegramtest"
)

var deskLinkRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/auth/link\?t=[A-Za-z0-9_-]+`)

// noRedirects is a browser that keeps cookies and shows each answer.
func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// signInWith spends a one-time link as a person would: open it, press the button.
func signInWith(t *testing.T, c *http.Client, link string) int {
	t.Helper()
	if status, page := get(t, c, link); status != 200 || !strings.Contains(page, `action="/auth/link"`) {
		t.Fatalf("the link's page: %d\n%s", status, page)
	}
	u, _ := url.Parse(link)
	res, err := c.PostForm(u.Scheme+"://"+u.Host+"/auth/link", url.Values{"t": {u.Query().Get("t")}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestRunServesTheDeskAndTheBotsDeskLinkSignsAnOwnerIn(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	db := newDB(t)
	h := startInProcess(t, runVars(fake), "run", "--db", db)
	addr := waitLog(t, &h.stderr, httpAddrLog)
	c := noRedirects()
	if status, _ := get(t, c, "http://"+addr+"/"); status != http.StatusSeeOther {
		t.Fatalf("the desk without a session: %d, want 303 to sign-in", status)
	}
	if _, err := fake.UserSends(telegramtest.UserMessage{UserID: 5001, Text: "/desk", FirstName: "Aysel", LanguageCode: "az"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := fake.WaitBotMessages(ctx, 5001, 1)
	if err != nil {
		t.Fatalf("no answer to /desk: %v", err)
	}
	link := deskLinkRE.FindString(msgs[len(msgs)-1].SentText)
	if link == "" || !strings.Contains(msgs[len(msgs)-1].Text, "dəqiqə") {
		t.Fatalf("/desk did not answer with a link in Azerbaijani: %q", msgs[len(msgs)-1].Text)
	}
	if status := signInWith(t, c, link); status != http.StatusSeeOther {
		t.Fatalf("spending the link: %d", status)
	}
	if status, page := get(t, c, "http://"+addr+"/"); status != 200 || !strings.Contains(page, "Plan") {
		t.Errorf("the plan after the link: %d", status)
	}
	if status := signInWith(t, noRedirects(), link); status != http.StatusForbidden {
		t.Errorf("the link spent twice: %d, want 403", status)
	}
	sessions := mustRun(t, nil, "desk", "sessions", "--db", db)
	if !strings.Contains(sessions.stdout, "user 5001") || !strings.Contains(sessions.stdout, "via link") {
		t.Errorf("herald desk sessions:\n%s", sessions.stdout)
	}
	mustRun(t, nil, "desk", "revoke", "--user", "5001", "--db", db)
	if status, _ := get(t, c, "http://"+addr+"/"); status != http.StatusSeeOther {
		t.Errorf("the plan after herald desk revoke: %d, want 303 to sign-in", status)
	}
	if code := h.stop(t); code != exitOK {
		t.Errorf("herald run exited %d", code)
	}
	noToken(t, "herald run's log", h.stderr.String())
}

func TestDeskOffServesNoDeskAndTheBotSaysSo(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	vars := runVars(fake)
	vars["HERALD_DESK"] = "off"
	h := startInProcess(t, vars, "run", "--db", newDB(t))
	addr := waitLog(t, &h.stderr, httpAddrLog)
	c := noRedirects()
	for _, p := range []string{"/", "/signin", "/auth/telegram", "/auth/link?t=x"} {
		if status, _ := get(t, c, "http://"+addr+p); status != http.StatusNotFound {
			t.Errorf("HERALD_DESK=off: GET %s answered %d, want 404", p, status)
		}
	}
	if status, _ := get(t, c, "http://"+addr+"/healthz"); status != 200 {
		t.Errorf("HERALD_DESK=off: /healthz answered %d", status)
	}
	if _, err := fake.UserSends(telegramtest.UserMessage{UserID: 5001, Text: "/desk", LanguageCode: "en"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := fake.WaitBotMessages(ctx, 5001, 1)
	if err != nil || !strings.Contains(msgs[len(msgs)-1].Text, "off") || deskLinkRE.MatchString(msgs[len(msgs)-1].SentText) {
		t.Errorf("/desk with the desk off: %v %+v", err, msgs)
	}
	h.stop(t)
}

func TestDeskIsOffWithoutABotToken(t *testing.T) {
	cfg := &config{Desk: true, HTTPAddr: "127.0.0.1:8080"}
	if got := cfg.deskOn(); got != "" {
		t.Errorf("no token: the desk is on at %q", got)
	}
	cfg.Token = "1:x"
	if got := cfg.deskOn(); got != "http://127.0.0.1:8080" {
		t.Errorf("desk address %q", got)
	}
	cfg.DeskDomain = "desk.example.org"
	if got := cfg.deskOn(); got != "https://desk.example.org" {
		t.Errorf("desk address with a domain %q", got)
	}
	for name, vars := range map[string]map[string]string{
		"HERALD_DESK":        {"HERALD_DESK": "maybe"},
		"HERALD_DESK_DOMAIN": {"HERALD_DESK_DOMAIN": "https://desk.example.org/"},
		"HERALD_DESK_URL":    {"HERALD_DESK_URL": "desk.example.org"},
	} {
		if _, err := loadConfig(func(k string) string { return vars[k] }); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v, want an error naming it", name, err)
		}
	}
}

// lineWriter signals when a line containing want has been written.
type lineWriter struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
	seen chan struct{}
	once sync.Once
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *lineWriter) String() string { w.mu.Lock(); defer w.mu.Unlock(); return w.b.String() }

func TestDemoDeskServesTheDemoUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lineWriter{want: "Ctrl-C", seen: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- runDemo(ctx, out, "", false, "127.0.0.1:0") }()
	select {
	case <-out.seen:
	case err := <-done:
		t.Fatalf("the demo ended before serving the desk: %v\n%s", err, out.String())
	}
	link := deskLinkRE.FindString(out.String())
	if link == "" {
		t.Fatalf("no sign-in link printed:\n%s", out.String())
	}
	c := noRedirects()
	if status := signInWith(t, c, link); status != http.StatusSeeOther {
		t.Fatalf("the demo's link: %d", status)
	}
	u, _ := url.Parse(link)
	status, page := get(t, c, "http://"+u.Host+"/?off=-1")
	if status != 200 || !strings.Contains(page, "Difficult Question · English") || !strings.Contains(page, "state-sent") {
		t.Errorf("the demo's evening on the desk: %d\n%s", status, page)
	}
	if _, page := get(t, c, "http://"+u.Host+"/"); !strings.Contains(page, "state-scheduled") {
		t.Errorf("the demo's desk has no post ahead to steer:\n%s", page)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("the demo after Ctrl-C: %v", err)
	}
}
