package desk

import (
	"context"
	"errors"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

func TestCheckLoginAsTelegramDocumentsIt(t *testing.T) {
	good := signedLogin(ownerID, time.Hour)
	tests := []struct {
		name   string
		fields func() url.Values
		want   error
	}{
		{"a login signed with the bot token's hash passes", func() url.Values { return good }, nil},
		{"a changed field breaks the signature", func() url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			v.Set("id", "1002")
			return v
		}, ErrLoginForged},
		{"a hash signed with another token is forged", func() url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			v.Set("hash", strings.Repeat("ab", 32))
			return v
		}, ErrLoginForged},
		{"a hash that is not hex is forged", func() url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = vs
			}
			v.Set("hash", "zz")
			return v
		}, ErrLoginForged},
		{"no hash is unsigned", func() url.Values { v := url.Values{"id": {"1"}, "auth_date": {"1"}}; return v }, ErrLoginUnsigned},
		{"a login two days old has expired", func() url.Values { return signedLogin(ownerID, 48*time.Hour) }, ErrLoginExpired},
		{"a login a day and a minute old has expired", func() url.Values { return signedLogin(ownerID, 24*time.Hour+time.Minute) }, ErrLoginExpired},
		{"a login dated an hour ahead is refused", func() url.Values { return signedLogin(ownerID, -time.Hour) }, ErrLoginExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := CheckLogin(tt.fields(), testToken, rigNow)
			if err != tt.want {
				t.Fatalf("CheckLogin: %v, want %v", err, tt.want)
			}
			if err == nil && (l.ID != ownerID || l.Name != "Aygun") {
				t.Errorf("login = %+v", l)
			}
		})
	}
}

func TestSignInWithTheWidgetGivesAnOwnerAProtectedSession(t *testing.T) {
	r := newRig(t)
	for _, method := range []string{"GET", "POST"} {
		t.Run(method, func(t *testing.T) {
			c := r.client()
			var res *http.Response
			if method == "GET" {
				res = c.signIn(ownerID)
			} else {
				res = c.post("/auth/telegram", signedLogin(ownerID, 2*time.Minute))
			}
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign-in answered %d, want 303 to the plan: %s", res.StatusCode, body(res))
			}
			sc := res.Header.Get("Set-Cookie")
			for _, want := range []string{cookieName + "=", "HttpOnly", "SameSite=Lax", "Path=/"} {
				if !strings.Contains(sc, want) {
					t.Errorf("session cookie %q lacks %s", sc, want)
				}
			}
			if strings.Contains(sc, "Secure") {
				t.Errorf("cookie over plain http marked Secure: %q", sc)
			}
			status, page := c.page("/")
			if status != 200 || !strings.Contains(page, "Corridor talks resume in Brussels") {
				t.Fatalf("plan after sign-in: %d, no tonight's post:\n%s", status, page)
			}
		})
	}
	var n int
	r.st.DB().QueryRow(`SELECT COUNT(*) FROM desk_sessions WHERE token_hash LIKE '%' AND length(token_hash) = 64`).Scan(&n)
	if n != 2 {
		t.Errorf("%d sessions stored hashed, want 2", n)
	}
}

func TestRefusedLoginsGetNoSession(t *testing.T) {
	r := newRig(t)
	forged := signedLogin(ownerID, time.Minute)
	forged.Set("first_name", "Eve")
	for name, fields := range map[string]url.Values{
		"a stranger's":   signedLogin(strangerID, time.Minute),
		"an expired one": signedLogin(ownerID, 25*time.Hour),
		"a forged one":   forged,
	} {
		t.Run(name, func(t *testing.T) {
			c := r.client()
			res := c.get("/auth/telegram?" + fields.Encode())
			page := body(res)
			if res.StatusCode != http.StatusForbidden || res.Header.Get("Set-Cookie") != "" {
				t.Fatalf("answered %d with cookie %q, want 403 and none", res.StatusCode, res.Header.Get("Set-Cookie"))
			}
			if !strings.Contains(page, "Sign in") {
				t.Errorf("refusal is not the sign-in page with a reason:\n%s", page)
			}
			if status, _ := c.page("/"); status != http.StatusSeeOther {
				t.Errorf("plan after a refused login: %d, want 303 to sign-in", status)
			}
		})
	}
}

func TestALoginIsUsedOnce(t *testing.T) {
	r := newRig(t)
	login := signedLogin(ownerID, time.Minute).Encode()
	if res := r.client().get("/auth/telegram?" + login); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use: %d", res.StatusCode)
	}
	res := r.client().get("/auth/telegram?" + login)
	if page := body(res); res.StatusCode != http.StatusForbidden || res.Header.Get("Set-Cookie") != "" || !strings.Contains(page, "used already") {
		t.Errorf("the same login again: %d %q\n%s", res.StatusCode, res.Header.Get("Set-Cookie"), page)
	}
}

func TestPagesWithoutASessionSendToSignIn(t *testing.T) {
	r := newRig(t)
	c := r.client()
	for _, p := range []string{"/", "/posts/1", "/articles", "/readers", "/readers/chart.png", "/readers/export.csv", "/health"} {
		res := c.get(p)
		body(res)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin" {
			t.Errorf("GET %s without a session: %d to %q, want 303 to /signin", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res := c.post("/posts/1/cancel", url.Values{"rev": {"0"}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST without a session: %d, want 401", res.StatusCode)
	}
	status, page := c.page("/signin")
	if status != 200 || !strings.Contains(page, "/desk") || strings.Contains(page, "telegram-widget") {
		t.Errorf("sign-in page without a domain: %d; wants the /desk link and no widget:\n%s", status, page)
	}
}

func TestSecurityHeadersOnEveryPage(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	for _, p := range []string{"/", "/signin", "/posts/1", "/health", "/static/desk.css"} {
		res := c.get(p)
		body(res)
		h := res.Header
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: headers %v", p, h)
		}
	}
}

func TestTheWidgetShowsOnlyWithADomain(t *testing.T) {
	r := newRig(t)
	r.d.cfg.Domain, r.d.cfg.URL = "desk.example.org", "https://desk.example.org"
	res := r.client().get("/signin")
	page := body(res)
	if !strings.Contains(page, `data-telegram-login="herald_test_bot"`) || !strings.Contains(page, `data-auth-url="https://desk.example.org/auth/telegram"`) {
		t.Errorf("no widget with a domain set:\n%s", page)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "https://telegram.org") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("widget page CSP %q", csp)
	}
}

func TestAFormWithoutItsCSRFTokenIsRefusedAndChangesNothing(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	token := c.csrf()
	p := r.post("tonight")
	path := "/posts/" + strconv.FormatInt(p.ID, 10) + "/cancel"
	rev := strconv.FormatInt(p.Rev, 10)
	for name, try := range map[string]func() *http.Response{
		"no token":        func() *http.Response { return c.post(path, url.Values{"rev": {rev}}) },
		"another's token": func() *http.Response { return c.post(path, url.Values{"rev": {rev}, "csrf": {csrfOf("other")}}) },
		"from another site": func() *http.Response {
			return c.post(path, url.Values{"rev": {rev}, "csrf": {token}}, "Origin", "https://evil.example")
		},
		"cross-site fetch": func() *http.Response {
			return c.post(path, url.Values{"rev": {rev}, "csrf": {token}}, "Sec-Fetch-Site", "cross-site")
		},
		"a truncated token": func() *http.Response { return c.post(path, url.Values{"rev": {rev}, "csrf": {token[:10]}}) },
	} {
		res := try()
		body(res)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, res.StatusCode)
		}
	}
	if got := r.post("tonight"); got.State != p.State || got.Rev != p.Rev {
		t.Fatalf("a refused form changed the post: %s rev %d", got.State, got.Rev)
	}
	res := c.post(path, url.Values{"rev": {rev}, "csrf": {token}}, "Origin", r.srv.URL, "Sec-Fetch-Site", "same-origin")
	body(res)
	if res.StatusCode != http.StatusSeeOther || r.post("tonight").State != herald.PostCancelled {
		t.Fatalf("with its token: %d, post %s; want 303 and cancelled", res.StatusCode, r.post("tonight").State)
	}
}

func TestARemovedEditorIsOutAtOnce(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(editorID)
	if status, _ := c.page("/"); status != 200 {
		t.Fatalf("editor's plan: %d", status)
	}
	token := c.csrf()
	if err := r.st.RemoveEditor(r.ctx, editorID); err != nil {
		t.Fatal(err)
	}
	if status, _ := c.page("/"); status != http.StatusSeeOther {
		t.Errorf("removed editor's plan: %d, want 303 to sign-in", status)
	}
	p := r.post("later")
	res := c.post("/posts/"+strconv.FormatInt(p.ID, 10)+"/cancel", url.Values{"rev": {strconv.FormatInt(p.Rev, 10)}, "csrf": {token}})
	body(res)
	if res.StatusCode != http.StatusUnauthorized || r.post("later").State == herald.PostCancelled {
		t.Errorf("removed editor's cancel: %d, post %s", res.StatusCode, r.post("later").State)
	}
}

func TestTwoPeopleReschedulingAtOnceOneWins(t *testing.T) {
	r := newRig(t)
	a, b := r.client(), r.client()
	a.signIn(ownerID)
	b.signIn(editorID)
	p := r.post("later")
	path := "/posts/" + strconv.FormatInt(p.ID, 10) + "/reschedule"
	form := func(c *client, when string) url.Values {
		return url.Values{"csrf": {c.csrf()}, "rev": {strconv.FormatInt(p.Rev, 10)}, "when": {when}}
	}
	fa, fb := form(a, "21:30"), form(b, "22:15")
	var wg sync.WaitGroup
	codes := make([]int, 2)
	pages := make([]string, 2)
	for i, try := range []func() *http.Response{func() *http.Response { return a.post(path, fa) }, func() *http.Response { return b.post(path, fb) }} {
		wg.Add(1)
		go func() { defer wg.Done(); res := try(); codes[i], pages[i] = res.StatusCode, body(res) }()
	}
	wg.Wait()
	won, lost := 0, -1
	for i, code := range codes {
		switch code {
		case http.StatusSeeOther:
			won++
		case http.StatusConflict:
			lost = i
		}
	}
	if won != 1 || lost < 0 {
		t.Fatalf("answers %v, want one 303 and one 409", codes)
	}
	if !strings.Contains(html.UnescapeString(pages[lost]), "someone acted on it first") {
		t.Errorf("the loser is not told why:\n%s", pages[lost])
	}
	got := r.post("later")
	baku, _ := time.LoadLocation("Asia/Baku")
	at := got.ScheduledAt.In(baku).Format("15:04")
	if got.State != herald.PostScheduled || (at != "21:30" && at != "22:15") || got.Rev != p.Rev+1 {
		t.Errorf("post after the race: %s at %s rev %d", got.State, at, got.Rev)
	}
	audit, _ := r.st.PostAudit(r.ctx, p.ID)
	if len(audit) != 1 || audit[0].Action != "reschedule" {
		t.Errorf("audit after the race: %+v, want one reschedule", audit)
	}
}

func TestRescheduleReadsTheBotsGrammarAndAPickedTime(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	baku, _ := time.LoadLocation("Asia/Baku")
	tests := []struct {
		name, field, value string
		want               time.Time
		status             int
	}{
		{"a typed time today", "when", "21:45", time.Date(2026, 12, 1, 21, 45, 0, 0, baku), http.StatusSeeOther},
		{"a typed tomorrow", "when", "tomorrow 9:30", time.Date(2026, 12, 2, 9, 30, 0, 0, baku), http.StatusSeeOther},
		{"a picked datetime", "at", "2026-12-03T08:15", time.Date(2026, 12, 3, 8, 15, 0, 0, baku), http.StatusSeeOther},
		{"nonsense typed", "when", "next blue moon", time.Time{}, http.StatusUnprocessableEntity},
		{"a time in the past", "at", "2026-11-30T08:15", time.Time{}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := r.post("later")
			res := c.post("/posts/"+strconv.FormatInt(p.ID, 10)+"/reschedule",
				url.Values{"csrf": {c.csrf()}, "rev": {strconv.FormatInt(p.Rev, 10)}, tt.field: {tt.value}})
			page := body(res)
			if res.StatusCode != tt.status {
				t.Fatalf("answered %d, want %d:\n%s", res.StatusCode, tt.status, page)
			}
			got := r.post("later")
			if tt.status != http.StatusSeeOther {
				if got.Rev != p.Rev {
					t.Errorf("a refused time changed the post")
				}
				if !strings.Contains(page, `class="error"`) {
					t.Errorf("no reason shown:\n%s", page)
				}
				return
			}
			if !got.ScheduledAt.Equal(tt.want) {
				t.Errorf("scheduled at %s, want %s", got.ScheduledAt.In(baku), tt.want)
			}
		})
	}
}

func TestActionsAsTheBotHasThem(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	act := func(name, op string) (int, string) {
		p := r.post(name)
		res := c.post("/posts/"+strconv.FormatInt(p.ID, 10)+"/"+op, url.Values{"csrf": {c.csrf()}, "rev": {strconv.FormatInt(p.Rev, 10)}})
		return res.StatusCode, body(res)
	}
	if code, _ := act("later", "now"); code != http.StatusSeeOther || !r.post("later").ScheduledAt.Equal(rigNow) {
		t.Errorf("post now: %d, at %s", code, r.post("later").ScheduledAt)
	}
	if code, _ := act("failed", "retry"); code != http.StatusSeeOther || r.post("failed").State != herald.PostScheduled {
		t.Errorf("retry: %d, %s", code, r.post("failed").State)
	}
	if code, _ := act("unknown", "sent"); code != http.StatusSeeOther || r.post("unknown").State != herald.PostSent {
		t.Errorf("it was sent: %d, %s", code, r.post("unknown").State)
	}
	if code, page := act("unknown", "again"); code != http.StatusConflict || !strings.Contains(page, "is sent now") {
		t.Errorf("send again on a sent post: %d\n%s", code, page)
	}
	status, page := c.page("/posts/" + strconv.FormatInt(r.posts["unknown"], 10))
	if status != 200 || !strings.Contains(page, "confirmed sent") {
		t.Errorf("history lacks the confirmation: %d\n%s", status, page)
	}
}

func TestTheOneTimeLinkWorksOnceAndAGetSpendsNothing(t *testing.T) {
	r := newRig(t)
	token, err := r.st.NewDeskLink(r.ctx, editorID, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c := r.client()
	for range 2 { // a link preview, then the person
		if status, page := c.page("/auth/link?t=" + url.QueryEscape(token)); status != 200 || !strings.Contains(page, `name="t"`) {
			t.Fatalf("link page: %d\n%s", status, page)
		}
	}
	res := c.post("/auth/link", url.Values{"t": {token}})
	body(res)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Set-Cookie"), "HttpOnly") {
		t.Fatalf("spending the link: %d %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	if status, _ := c.page("/"); status != 200 {
		t.Errorf("plan after the link: %d", status)
	}
	again := r.client().post("/auth/link", url.Values{"t": {token}})
	if body(again); again.StatusCode != http.StatusForbidden {
		t.Errorf("the link a second time: %d, want 403", again.StatusCode)
	}
	old, _ := r.st.NewDeskLink(r.ctx, editorID, 10*time.Minute)
	r.clockMu.Lock()
	r.now = r.now.Add(11 * time.Minute)
	r.clockMu.Unlock()
	if res := r.client().post("/auth/link", url.Values{"t": {old}}); body(res) != "" && res.StatusCode != http.StatusForbidden {
		t.Errorf("an expired link: %d, want 403", res.StatusCode)
	}
	var plain, hashed int
	r.st.DB().QueryRow(`SELECT COUNT(*) FROM desk_links WHERE token_hash = ?`, token).Scan(&plain)
	r.st.DB().QueryRow(`SELECT COUNT(*) FROM desk_links WHERE token_hash = ?`, store.DeskTokenHash(token)).Scan(&hashed)
	if plain != 0 || hashed != 1 {
		t.Errorf("the link is not stored hashed: %d plain, %d hashed", plain, hashed)
	}
}

func TestSignOutEndsTheSession(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	res := c.post("/signout", url.Values{"csrf": {c.csrf()}})
	body(res)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("sign-out: %d %q", res.StatusCode, res.Header.Get("Set-Cookie"))
	}
	sessions, _ := r.st.DeskSessions(r.ctx)
	if len(sessions) != 0 {
		t.Errorf("%d sessions left after sign-out", len(sessions))
	}
}

func TestTheLanguageIsRememberedAcrossSessions(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	res := c.post("/language", url.Values{"csrf": {c.csrf()}, "lang": {"ru"}, "back": {"/articles"}})
	body(res)
	if res.Header.Get("Location") != "/articles" {
		t.Errorf("language form goes back to %q", res.Header.Get("Location"))
	}
	other := r.client()
	other.signIn(ownerID)
	if _, page := other.page("/"); !strings.Contains(page, "План") || !strings.Contains(page, `lang="ru"`) {
		t.Errorf("a new session is not in the language chosen:\n%.600s", page)
	}
	res = c.post("/language", url.Values{"csrf": {c.csrf()}, "lang": {"az"}, "back": {"//evil.example/"}})
	body(res)
	if res.Header.Get("Location") != "/" {
		t.Errorf("language form follows an outside address: %q", res.Header.Get("Location"))
	}
}

func TestReadersTextIsEscapedAndModerationGoesThroughTheBotsPath(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	status, page := c.page("/readers")
	if status != 200 {
		t.Fatalf("readers: %d", status)
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<img src=x") || strings.Contains(page, "\u202E") {
		t.Errorf("reader-typed text reaches the page unescaped or with a direction override:\n%s", page)
	}
	if !strings.Contains(page, "Mallory &lt;script&gt;") {
		t.Errorf("the reader's name is not shown escaped")
	}
	res := c.post("/reviews/"+strconv.FormatInt(r.review.ID, 10)+"/ban", url.Values{"csrf": {c.csrf()}})
	body(res)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ban: %d", res.StatusCode)
	}
	rv, _ := r.st.Review(r.ctx, r.review.ID)
	banned, _ := r.st.Banned(r.ctx, r.review.UserID)
	if rv.Status != herald.ReviewRejected || !banned {
		t.Errorf("after ban: review %s, banned %v", rv.Status, banned)
	}
	audit, _ := r.st.Audit(r.ctx, 5)
	if len(audit) == 0 || audit[0].Action != "review_bn" || audit[0].UserID != ownerID {
		t.Errorf("ban not audited as the bot audits it: %+v", audit[0])
	}
}

func TestReadersChartAndCSV(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	res := c.get("/readers/chart.png?article=1")
	png := body(res)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("chart: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	res = c.get("/readers/export.csv?days=30")
	csv := body(res)
	if res.StatusCode != 200 || !strings.HasPrefix(csv, "id,article_id") || !strings.Contains(csv, "Good piece") {
		t.Errorf("csv: %d\n%s", res.StatusCode, csv)
	}
	if got := cell("=HYPERLINK(\"x\")"); got != "'=HYPERLINK(\"x\")" {
		t.Errorf("cell lets a formula through: %q", got)
	}
}

func TestTheHealthPageShowsTheDoctorRunOnce(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	ran := make(chan struct{}, 4)
	r.d.doctor.done = func() { ran <- struct{}{} }
	c.page("/health")
	<-ran // the doctor runs in the background
	_, page := c.page("/health")
	c.page("/health")
	if r.doctors != 1 {
		t.Errorf("doctor ran %d times for three page views, want 1", r.doctors)
	}
	if !strings.Contains(page, "no discussion group") || !strings.Contains(page, "link one") {
		t.Errorf("health page lacks the doctor's lines:\n%s", page)
	}
}

func TestTelegramHTMLKeepsFormattingAndDropsTheRest(t *testing.T) {
	got := string(telegramHTML(`<b>Bold</b> <a href="javascript:alert(1)">x</a> <a href="https://e.org/?a=1&amp;b=2">link</a><script>alert(1)</script>` + "\n<tg-spoiler>s</tg-spoiler><i>open"))
	for _, want := range []string{"<b>Bold</b>", `href="https://e.org/?a=1&amp;b=2"`, "<br>", `<span class="spoiler">s</span>`, "<i>open</i>"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	for _, bad := range []string{"javascript:", "<script", "<a>x"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q keeps %q", got, bad)
		}
	}
}

func TestTheErrorLogKeepsTheLastWarningsAndErrors(t *testing.T) {
	e := NewErrorLog(2, func(s string) string { return strings.ReplaceAll(s, testToken, "[token]") })
	log := slog.New(e.Handler(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))).With("part", "dispatcher")
	log.Info("sent", "post", 1)
	log.Warn("slow", "post", 2)
	log.Error("failed", "post", 3)
	log.Error("failed again", "post", 4, "url", "https://api.telegram.org/bot"+testToken+"/sendMessage")
	got := e.Last()
	if len(got) != 2 || got[0].Message != "failed again" || got[1].Message != "failed" {
		t.Fatalf("last lines %+v, want the two newest errors, newest first", got)
	}
	if !strings.Contains(got[0].Attrs, "part=dispatcher") || !strings.Contains(got[0].Attrs, "post=4") || strings.Contains(got[0].Attrs, testToken) {
		t.Errorf("attrs %q", got[0].Attrs)
	}
}

func TestArticlesHeldForAnEditorComeFirstAndCanBeScheduled(t *testing.T) {
	r := newRig(t)
	c := r.client()
	c.signIn(ownerID)
	status, page := c.page("/articles")
	if status != 200 {
		t.Fatalf("articles: %d", status)
	}
	held, newest := strings.Index(page, "the port authority"), strings.Index(page, "A post that failed")
	if held < 0 || newest < 0 || held > newest || !strings.Contains(page, "Needs an editor: the page gives the air time 21:00 but not the day") {
		t.Fatalf("the held article is not first with its reason:\n%s", page)
	}
	all, _ := r.st.Articles(r.ctx, store.ArticleFilter{Held: true})
	res := c.post("/articles/"+strconv.FormatInt(all[0].ID, 10)+"/schedule",
		url.Values{"csrf": {c.csrf()}, "channel": {strconv.FormatInt(r.en.ID, 10)}, "when": {"tomorrow 21:00"}})
	body(res)
	posts, _ := r.st.Posts(r.ctx, store.PostFilter{ArticleID: all[0].ID})
	baku, _ := time.LoadLocation("Asia/Baku")
	if res.StatusCode != http.StatusSeeOther || len(posts) != 1 || !posts[0].ScheduledAt.Equal(time.Date(2026, 12, 2, 21, 0, 0, 0, baku)) {
		t.Errorf("scheduling the held article: %d, posts %+v", res.StatusCode, posts)
	}
}

func TestTheCookieIsSecureBehindATrustedTLSProxyOnly(t *testing.T) {
	r := newRig(t)
	for _, trust := range []bool{false, true} {
		r.d.cfg.TrustProxy = trust
		r.logins++
		res := r.client().post("/auth/telegram", signedLogin(ownerID, time.Duration(r.logins)*time.Second), "X-Forwarded-Proto", "https")
		body(res)
		if secure := strings.Contains(res.Header.Get("Set-Cookie"), "; Secure"); secure != trust {
			t.Errorf("TrustProxy %v, X-Forwarded-Proto https: cookie %q", trust, res.Header.Get("Set-Cookie"))
		}
	}
}

func TestAPostOnAnotherNetworkIsPreviewedAsThatNetworkWritesIt(t *testing.T) {
	r := newRig(t)
	var asked scheduler.Delivery
	r.d.cfg.NetworkText = func(ctx context.Context, d scheduler.Delivery) (string, error) {
		asked = d
		return "Talks <resume> & go on\n\nhttps://example.org/a/1", nil
	}
	a, err := r.st.Article(r.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ch := &herald.Channel{Network: herald.NetworkMastodon, Title: "DQ Mastodon", Language: herald.LangEnglish}
	p := r.d.previewOf(lang(herald.LangEnglish), a, ch, 0, herald.PurposePublish, rigNow)
	if asked.Article != a || asked.Channel != ch || asked.Post.Purpose != herald.PurposePublish {
		t.Fatalf("the network was asked for %+v", asked)
	}
	if got := string(p.HTML); got != "Talks &lt;resume&gt; &amp; go on<br><br>https://example.org/a/1" || p.NetworkText != herald.NetworkMastodon {
		t.Fatalf("preview %q (network %q): want the network's text, escaped, its lines kept", got, p.NetworkText)
	}
	r.d.cfg.NetworkText = func(context.Context, scheduler.Delivery) (string, error) {
		return "", errors.New("instance unreachable")
	}
	if p := r.d.previewOf(lang(herald.LangEnglish), a, ch, 0, herald.PurposePublish, rigNow); p.Err != "instance unreachable" {
		t.Fatalf("a network that cannot say gave %+v", p)
	}
}

func TestApprovalAndEditsFromTheDesk(t *testing.T) {
	r := newRig(t)
	r.en.Approval = true
	if err := r.st.UpdateChannel(r.ctx, r.en); err != nil {
		t.Fatal(err)
	}
	id := r.posts["later"]
	if _, err := r.st.MoveState(r.ctx, id, store.AnyRev, herald.PostAwaiting, nil, "auto", nil); err != nil {
		t.Fatal(err)
	}
	c := r.client()
	c.signIn(ownerID)
	if _, page := c.page("/posts/" + strconv.FormatInt(id, 10)); !strings.Contains(page, "/approve") {
		t.Fatalf("an owner sees no Approve on a post awaiting approval:\n%s", page)
	}
	act := func(name, op string, extra url.Values) (int, string) {
		p := r.post(name)
		v := url.Values{"csrf": {c.csrf()}, "rev": {strconv.FormatInt(p.Rev, 10)}}
		for k, vs := range extra {
			v[k] = vs
		}
		res := c.post("/posts/"+strconv.FormatInt(p.ID, 10)+"/"+op, v)
		return res.StatusCode, body(res)
	}
	if code, _ := act("later", "approve", nil); code != http.StatusSeeOther || r.post("later").State != herald.PostScheduled {
		t.Fatalf("approve: %d, the post is %s", code, r.post("later").State)
	}
	// An edit that Telegram would refuse is not saved; a good one is.
	if code, _ := act("tonight", "edit", url.Values{"text": {"<b>unclosed"}}); code < 400 {
		t.Fatalf("an edit with broken HTML answered %d", code)
	}
	if _, err := r.st.PostEdit(r.ctx, r.posts["tonight"]); herald.ErrorCode(err) != herald.ENotFound {
		t.Fatalf("a refused edit was saved: %v", err)
	}
	if code, _ := act("tonight", "edit", url.Values{"text": {"<b>Talks</b> resume, and why it matters"}}); code != http.StatusSeeOther {
		t.Fatalf("edit: %d", code)
	}
	if e, err := r.st.PostEdit(r.ctx, r.posts["tonight"]); err != nil || e.Text != "<b>Talks</b> resume, and why it matters" || e.EditedBy != ownerID {
		t.Fatalf("the edit saved is %+v, %v", e, err)
	}
	// The preview is the post as it will go: the editor's text.
	if _, page := c.page("/posts/" + strconv.FormatInt(r.posts["tonight"], 10)); !strings.Contains(page, "<b>Talks</b> resume, and why it matters") {
		t.Fatalf("the post's preview does not show the edit:\n%s", page)
	}
}

func TestReadersShowTheClicksOnHeraldsLinks(t *testing.T) {
	r := newRig(t)
	code, err := r.st.LinkCode(r.ctx, r.posts["tonight"])
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := r.st.CountClick(r.ctx, code); err != nil {
			t.Fatal(err)
		}
	}
	c := r.client()
	c.signIn(ownerID)
	_, page := c.page("/readers?days=365")
	if !strings.Contains(page, "Clicks on herald&#39;s links: 3") || !strings.Contains(page, "<td>DQ English</td><td>3</td>") {
		t.Fatalf("the readers' page does not show the clicks:\n%s", page)
	}
}
