package desk

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/telegramtest"
)

// The browser tests drive the desk in headless Chromium (Debian's
// chromium package). Where none is found they skip, saying so. With
// HERALD_DESK_SCREENSHOTS=1 they also write a screenshot of each page into
// docs/desk/ (go test -run TestBrowser ./desk/ with it set refreshes them).

// chromium finds a Chromium or Chrome to drive, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless browser for the test, or skips it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Skip("browser tests skipped: no chromium, chromium-browser or google-chrome on PATH (Debian: apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path),
		chromedp.WindowSize(1280, 900), chromedp.Flag("lang", "en-US"))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox (CI containers)
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("could not start %s: %v", path, err)
	}
	return ctx
}

// withBot starts herald's bot on the rig's store and queue, against the
// fake Telegram, so that a test can ask it for /queue as an editor would.
func (r *rig) withBot(t *testing.T) (*telegramtest.Server, func(text string) string) {
	t.Helper()
	srv := telegramtest.New(telegramtest.WithToken(testToken), telegramtest.WithBotUsername("herald_test_bot"), telegramtest.WithoutLimits())
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Close(); hs.Close() })
	for _, c := range []telegramtest.Chat{
		{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin},
		{ID: -1002, Type: "channel", Title: "DQ Russian", BotRights: telegramtest.RightsAdmin},
	} {
		if err := srv.AddChat(c); err != nil {
			t.Fatal(err)
		}
	}
	b, err := bot.New(r.ctx, bot.Config{Token: testToken, APIURL: hs.URL, Store: r.st, Queue: r.q, Zone: "Asia/Baku",
		Owners: []int64{ownerID}, Now: r.clock, PollTimeout: 2 * time.Second, ReaderLimit: bot.ReaderLimit{Burst: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); b.Start(ctx) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
	seen := 0
	say := func(text string) string {
		t.Helper()
		if _, err := srv.UserSends(telegramtest.UserMessage{UserID: ownerID, Text: text, FirstName: "Aygun", LanguageCode: "en"}); err != nil {
			t.Fatal(err)
		}
		wctx, wcancel := context.WithTimeout(r.ctx, 20*time.Second)
		defer wcancel()
		msgs, err := srv.WaitBotMessages(wctx, ownerID, seen+1)
		if err != nil {
			t.Fatalf("the bot did not answer %q: %v", text, err)
		}
		seen = len(msgs)
		return msgs[len(msgs)-1].Text
	}
	return srv, say
}

// shot saves a screenshot of the page as docs/desk/name.png when asked to.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if os.Getenv("HERALD_DESK_SCREENSHOTS") == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join("..", "docs", "desk")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func TestBrowserRefusesStrangersForgedAndExpiredLogins(t *testing.T) {
	r := newRig(t)
	ctx := browser(t)
	forged := signedLogin(ownerID, time.Minute)
	forged.Set("username", "eve")
	for name, q := range map[string]string{
		"a stranger's login":  signedLogin(strangerID, time.Minute).Encode(),
		"a forged login":      forged.Encode(),
		"an expired login":    signedLogin(ownerID, 26*time.Hour).Encode(),
		"no login whatsoever": "",
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/auth/telegram?"+q), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		refusal := text(t, ctx, "main")
		if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		url := location(t, ctx)
		if !strings.HasSuffix(url, "/signin") || strings.Contains(text(t, ctx, "main"), "Corridor talks") {
			t.Errorf("%s: the plan opened (%s)", name, url)
		}
		if !strings.Contains(refusal, "Sign in") || !strings.Contains(refusal, ".") {
			t.Errorf("%s: no reason given: %q", name, refusal)
		}
	}
	shot(t, ctx, "signin")
}

func TestBrowserAnOwnerPlansRescheduleCancelAndModerate(t *testing.T) {
	r := newRig(t)
	_, say := r.withBot(t)
	ctx := browser(t)
	baku, _ := time.LoadLocation("Asia/Baku")

	// Sign in with a valid login, as the widget's redirect brings it.
	if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/auth/telegram?"+signedLogin(ownerID, time.Minute).Encode()),
		chromedp.WaitVisible(chromedp.CSS(".columns"))); err != nil {
		t.Fatal(err)
	}
	url := location(t, ctx)
	if !strings.HasSuffix(url, "/") {
		t.Errorf("after sign-in the browser is at %s, want the plan", url)
	}
	plan := text(t, ctx, "main")
	for _, want := range []string{"Corridor talks resume in Brussels", "What the summit left unsaid", "23:00", "19:00", "DQ English", "telegram"} {
		if !strings.Contains(plan, want) {
			t.Errorf("tonight's plan lacks %q:\n%s", want, plan)
		}
	}
	shot(t, ctx, "plan")
	if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/?view=week"), chromedp.WaitVisible(chromedp.CSS(".columns"))); err != nil {
		t.Fatal(err)
	}
	if week := text(t, ctx, "main"); !strings.Contains(week, "Трудный вопрос о Каспии") {
		t.Errorf("the week lacks tomorrow's Russian post:\n%s", week)
	}
	shot(t, ctx, "plan-week")

	// Reschedule tonight's post with a time typed as in the bot.
	tonight := strconv.FormatInt(r.posts["tonight"], 10)
	if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/posts/"+tonight), chromedp.WaitVisible(chromedp.CSS("#when"))); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "post")
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#when"), "22:40"), chromedp.Click(chromedp.CSS("#reschedule")),
		chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 12, 1, 22, 40, 0, 0, baku)
	if got := r.post("tonight"); !got.ScheduledAt.Equal(want) || got.State != herald.PostScheduled {
		t.Fatalf("after the desk's reschedule the post is %s at %s, want scheduled at %s", got.State, got.ScheduledAt.In(baku), want)
	}
	if page := text(t, ctx, "main"); !strings.Contains(page, herald.FormatWhenIn(want, baku, herald.LangEnglish)) {
		t.Errorf("the post page does not show the new time:\n%s", page)
	}
	// The bot's /queue agrees.
	queue := say("/queue")
	if !strings.Contains(queue, "#"+tonight) || !strings.Contains(queue, herald.FormatWhenIn(want, baku, herald.LangEnglish)) {
		t.Errorf("the bot's /queue does not show #%s at %s:\n%s", tonight, herald.FormatWhenIn(want, baku, herald.LangEnglish), queue)
	}

	// A form whose CSRF token was taken out is refused, and nothing moves.
	later := strconv.FormatInt(r.posts["later"], 10)
	before := r.post("later")
	if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/posts/"+later), chromedp.WaitVisible(chromedp.CSS(`form[action$="/now"]`))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector('form[action$="/now"] input[name=csrf]').remove(), true)`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action$="/now"] button`)), chromedp.WaitVisible(chromedp.CSS(".error"))); err != nil {
		t.Fatal(err)
	}
	if page := text(t, ctx, ".error"); !strings.Contains(page, "refused") {
		t.Errorf("a form without its token: %q", page)
	}
	if got := r.post("later"); got.Rev != before.Rev || !got.ScheduledAt.Equal(before.ScheduledAt) {
		t.Errorf("a form without its token changed the post")
	}

	// Cancel the other one.
	if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/posts/"+later), chromedp.WaitVisible(chromedp.CSS(`form[action$="/cancel"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/cancel"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	if got := r.post("later"); got.State != herald.PostCancelled {
		t.Errorf("after the desk's cancel the post is %s", got.State)
	}
	if page := text(t, ctx, "main"); !strings.Contains(page, "cancelled") || !strings.Contains(page, "Aygun") {
		t.Errorf("the post's history lacks the cancel and who did it:\n%s", page)
	}

	// Moderate the review.
	if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+"/readers"), chromedp.WaitVisible(chromedp.CSS(".review"))); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "readers")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	if rv, _ := r.st.Review(r.ctx, r.review.ID); rv.Status != herald.ReviewApproved {
		t.Errorf("after the desk's approval the review is %s", rv.Status)
	}

	ran := make(chan struct{}, 1)
	r.d.doctor.done = func() { ran <- struct{}{} }
	r.d.refreshDoctor(true)
	<-ran // the health page shows the doctor's finished run
	for _, p := range []struct{ path, sel, name string }{
		{"/articles", ".articleline", "articles"},
		{"/health", ".check", "health"},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(r.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.sel))); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		shot(t, ctx, p.name)
	}
	// On a phone's width the columns stack and nothing needs scrolling sideways.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(r.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(".columns"))); err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width > 390 {
		t.Errorf("on a 390px phone the plan is %dpx wide", width)
	}
	shot(t, ctx, "plan-phone")
}
