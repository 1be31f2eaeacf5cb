package mastodon_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/mastodon"
	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/scheduler"
)

const token = "mtok-1f2e3d4c5b6a79881f2e3d4c5b6a7988aa"

// logBuffer collects what the network logs, for tests that look for a token in it.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type rig struct {
	srv  *mastodontest.Server
	net  *mastodon.Network
	ch   *herald.Channel
	logs *logBuffer
	now  time.Time
}

func newRig(t *testing.T, opts ...mastodontest.Option) *rig { return newScaledRig(t, 1, opts...) }

// newScaledRig is a rig whose fake runs scale times faster, and whose
// network knows it.
func newScaledRig(t *testing.T, scale float64, opts ...mastodontest.Option) *rig {
	t.Helper()
	srv := mastodontest.NewTestServer(t, append(opts, mastodontest.WithScale(scale))...)
	srv.MustAccount("herald", token)
	logs := &logBuffer{}
	r := &rig{srv: srv, logs: logs, now: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	r.net = mastodon.New(mastodon.Config{
		Secret: func(name string) string {
			if name == "HERALD_TEST_MASTODON_TOKEN" {
				return token
			}
			return ""
		},
		Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now: func() time.Time { return r.now },
		// No kept-alive connections: Go's transport repeats a request with an
		// Idempotency-Key by itself when a reused connection drops, which
		// would hide the ambiguous case these tests are about.
		HTTP:  &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}},
		Scale: scale,
	})
	r.ch = &herald.Channel{ID: 2, Network: herald.NetworkMastodon, Title: "DQ Mastodon", Endpoint: srv.URL(),
		SecretEnv: "HERALD_TEST_MASTODON_TOKEN", Language: herald.LangEnglish, Timezone: "UTC"}
	if err := r.net.Verify(context.Background(), r.ch); err != nil {
		t.Fatal(err)
	}
	return r
}

func article() *herald.Article {
	return &herald.Article{ID: 7, Kind: herald.KindNews, Language: herald.LangEnglish,
		Title: "Əliyev and Blinken: the corridor, the treaty — and “human rights”",
		Lead:  strings.Repeat("The Secretary of State urged both sides to redouble their efforts in the bilateral peace talks. ", 5),
		URL:   "https://www.example.org/en/news/2026/12/aliyev-blinken-call-lachin-corridor-peace-treaty"}
}

func (r *rig) delivery(a *herald.Article, key string, keyAt time.Time) scheduler.Delivery {
	return scheduler.Delivery{Article: a, Channel: r.ch,
		Post: &herald.Post{ID: 11, ArticleID: a.ID, ChannelID: r.ch.ID, Purpose: herald.PurposePublish, SendKey: key, SendKeyAt: &keyAt}}
}

func sendErr(t *testing.T, err error) *scheduler.SendError {
	t.Helper()
	var se *scheduler.SendError
	if !errors.As(err, &se) {
		t.Fatalf("want a *scheduler.SendError, got %v", err)
	}
	return se
}

func TestVerifyLearnsTheAccount(t *testing.T) {
	r := newRig(t)
	acc := r.srv.Statuses("") // none yet
	if len(acc) != 0 {
		t.Fatal(acc)
	}
	if !strings.HasSuffix(r.ch.Chat, "@"+strings.TrimPrefix(r.srv.URL(), "http://")) || r.ch.Handle != "herald@127.0.0.1" {
		t.Fatalf("chat %q handle %q", r.ch.Chat, r.ch.Handle)
	}
}

func TestBadTokenVerifyErrorNamesTheVariable(t *testing.T) {
	r := newRig(t)
	ch := *r.ch
	ch.SecretEnv = "HERALD_OTHER_TOKEN"
	err := r.net.Verify(context.Background(), &ch)
	if err == nil || !strings.Contains(err.Error(), "HERALD_OTHER_TOKEN") || !strings.Contains(err.Error(), "not set") {
		t.Fatalf("unset variable: %v", err)
	}
	r.srv.Revoke(token)
	err = r.net.Verify(context.Background(), r.ch)
	if err == nil || !strings.Contains(err.Error(), "HERALD_TEST_MASTODON_TOKEN") || !strings.Contains(err.Error(), r.srv.URL()) {
		t.Fatalf("revoked token: %v", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Fatal("the token is in the error")
	}
	// a send with a revoked token pauses the channel
	_, err = r.net.Publish(context.Background(), r.delivery(article(), herald.TID(r.now, 1), r.now))
	if se := sendErr(t, err); se.Failure != scheduler.Forbidden {
		t.Fatalf("revoked token on publish: %v", err)
	}
}

func TestPublishFitsTheInstanceWithLinkTitleAndLanguage(t *testing.T) {
	for _, max := range []int{500, 280} {
		r := newRig(t, mastodontest.WithMaxCharacters(max))
		r.ch.Visibility = herald.VisibilityUnlisted
		a := article()
		rc, err := r.net.Publish(context.Background(), r.delivery(a, herald.TID(r.now, 1), r.now))
		if err != nil {
			t.Fatal(err)
		}
		sts := r.srv.Statuses("herald")
		if len(sts) != 1 || sts[0].ID != rc.RemoteID {
			t.Fatalf("statuses %+v receipt %+v", sts, rc)
		}
		st := sts[0]
		if n := mastodontest.CountCharacters(st.Text); n > max || n < max-60 {
			t.Errorf("max %d: the status counts %d", max, n)
		}
		if !strings.Contains(st.Text, a.URL) || !strings.Contains(st.Text, a.Title) || !strings.Contains(st.Text, "…") {
			t.Errorf("max %d: the status lacks the link, the title or the cut lead: %q", max, st.Text)
		}
		if st.Language != "en" || st.Visibility != "unlisted" {
			t.Errorf("language %q visibility %q", st.Language, st.Visibility)
		}
		calls := r.srv.Calls("POST /api/v1/statuses")
		if len(calls) != 1 || calls[0].IdempotencyKey != herald.TID(r.now, 1) {
			t.Errorf("calls %+v", calls)
		}
	}
}

func TestAmbiguousSendThenRepeatMakesExactlyOneStatus(t *testing.T) {
	for _, f := range []mastodontest.Fault{
		{Route: "POST /api/v1/statuses", DropAfterStore: true},
		{Route: "POST /api/v1/statuses", StatusAfterStore: 502},
		{Route: "POST /api/v1/statuses", DelayMS: 2500}, // past the client's 2 s timeout, then stored
	} {
		r := newRig(t)
		if err := r.srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
		d := r.delivery(article(), herald.TID(r.now, 3), r.now)
		_, err := r.net.Publish(context.Background(), d)
		if se := sendErr(t, err); se.Failure != scheduler.Ambiguous {
			t.Fatalf("%+v: want ambiguous, got %v", f, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = r.srv.WaitUntil(ctx, func() bool { return len(r.srv.Statuses("herald")) == 1 })
		cancel()
		r.now = r.now.Add(30 * time.Minute)
		if !r.net.CanRepeat(d.Post, r.now) {
			t.Fatalf("%+v: a 30-minute-old key may not be repeated", f)
		}
		rc, err := r.net.Publish(context.Background(), d)
		if err != nil {
			t.Fatalf("%+v: repeat: %v", f, err)
		}
		sts := r.srv.Statuses("herald")
		if len(sts) != 1 || sts[0].ID != rc.RemoteID {
			t.Fatalf("%+v: %d statuses after the repeat (receipt %s), want exactly one", f, len(sts), rc.RemoteID)
		}
	}
}

func TestAKeyOlderThanTheHourIsNotRepeated(t *testing.T) {
	r := newRig(t)
	at := r.now
	p := &herald.Post{SendKey: herald.TID(at, 1), SendKeyAt: &at}
	if !r.net.CanRepeat(p, at.Add(49*time.Minute)) {
		t.Fatal("49 minutes: want repeatable")
	}
	if r.net.CanRepeat(p, at.Add(51*time.Minute)) || r.net.CanRepeat(p, at.Add(2*time.Hour)) {
		t.Fatal("a key near or past the hour Mastodon keeps it was repeatable")
	}
	if r.net.CanRepeat(&herald.Post{}, at) {
		t.Fatal("a post without a key was repeatable")
	}
	fast := mastodon.New(mastodon.Config{Scale: 60})
	if fast.CanRepeat(p, at.Add(time.Minute)) {
		t.Fatal("under --scale 60 an hour passes in a minute")
	}
}

func TestRateLimitIsHonoured(t *testing.T) {
	r := newRig(t)
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", RetryAfter: 90}); err != nil {
		t.Fatal(err)
	}
	_, err := r.net.Publish(context.Background(), r.delivery(article(), herald.TID(r.now, 1), r.now))
	se := sendErr(t, err)
	if se.Failure != scheduler.RateLimited || se.RetryAfter < 88*time.Second || se.RetryAfter > 91*time.Second {
		t.Fatalf("want rate limited for about 90 s, got %v", err)
	}
	if n := len(r.srv.Calls("POST /api/v1/statuses")); n != 1 {
		t.Fatalf("the client retried a 429 on its own: %d calls", n)
	}

	// the instance's own window, under a faster clock: 50 s of real time,
	// which the four sends cannot straddle (the window is fixed, as
	// Mastodon's is, and a send across its end would start a new one)
	lim := newScaledRig(t, 6, mastodontest.WithLimits(mastodontest.Limits{API: 3, APIPeriod: 5 * time.Minute}))
	var last error
	for i := range 4 {
		_, last = lim.net.Publish(context.Background(), lim.delivery(article(), herald.TID(lim.now, uint(i)), lim.now))
	}
	se = sendErr(t, last)
	// in the instance's time: the dispatcher divides by Limits().TimeScale
	if se.Failure != scheduler.RateLimited || se.RetryAfter <= 0 || se.RetryAfter > 5*time.Minute {
		t.Fatalf("over the window under --scale 6: %v (want until the window's end, at most 5 min)", last)
	}
}

func TestEditAndDelete(t *testing.T) {
	r := newRig(t)
	a := article()
	d := r.delivery(a, herald.TID(r.now, 1), r.now)
	rc, err := r.net.Publish(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	a.Title = "Corrected: Əliyev and Blinken spoke for an hour"
	rc2, err := r.net.Edit(context.Background(), d, rc)
	if err != nil || rc2.RemoteID != rc.RemoteID {
		t.Fatalf("edit: %+v %v", rc2, err)
	}
	st := r.srv.Statuses("herald")[0]
	if !strings.Contains(st.Text, "Corrected:") || st.Edits != 1 {
		t.Fatalf("after the edit: %+v", st)
	}
	if err := r.net.Delete(context.Background(), r.ch, rc); err != nil {
		t.Fatal(err)
	}
	if !r.srv.Statuses("herald")[0].Deleted {
		t.Fatal("not deleted")
	}
	if err := r.net.Delete(context.Background(), r.ch, rc); err != nil {
		t.Fatalf("deleting a deleted status: %v", err)
	}
	if _, err := r.net.Edit(context.Background(), d, rc); sendErr(t, err).Failure != scheduler.Permanent {
		t.Fatalf("editing a deleted status: %v", err)
	}
}

// a 1×1 PNG
var png = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

func TestTheImageIsUploadedWithAltText(t *testing.T) {
	img := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(png) }))
	defer img.Close()
	r := newScaledRig(t, 20)
	a := article()
	a.ImageURL = img.URL + "/photo.png"
	rec, err := r.net.Publish(context.Background(), r.delivery(a, herald.TID(r.now, 1), r.now))
	if err != nil {
		t.Fatal(err)
	}
	media := r.srv.MediaList()
	st := r.srv.Statuses("herald")[0]
	if len(media) != 1 || media[0].Description != a.Title || media[0].Type != "image" || len(st.MediaIDs) != 1 || st.MediaIDs[0] != media[0].ID {
		t.Fatalf("media %+v status %+v", media, st)
	}
	// An edit sends the status whole: the image is named again and stays.
	a.Title += ", corrected"
	if _, err := r.net.Edit(context.Background(), r.delivery(a, herald.TID(r.now, 1), r.now), rec); err != nil {
		t.Fatal(err)
	}
	if st := r.srv.Statuses("herald")[0]; st.Edits != 1 || len(st.MediaIDs) != 1 || st.MediaIDs[0] != media[0].ID {
		t.Fatalf("after an edit the status is %+v, want its image kept", st)
	}
	// an image that cannot be had does not hold the post back
	a.ImageURL = img.URL + "/missing"
	img.Config.Handler = http.NotFoundHandler()
	if _, err := r.net.Publish(context.Background(), r.delivery(a, herald.TID(r.now, 2), r.now)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.logs.String(), "without the article's image") {
		t.Fatalf("no warning: %s", r.logs.String())
	}
}

func TestUnansweredSendsAreClassified(t *testing.T) {
	r := newRig(t)
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", Status: 422}); err != nil {
		t.Fatal(err)
	}
	_, err := r.net.Publish(context.Background(), r.delivery(article(), herald.TID(r.now, 1), r.now))
	if sendErr(t, err).Failure != scheduler.Permanent {
		t.Fatalf("422: %v", err)
	}
	dead := *r.ch
	dead.Endpoint = "http://127.0.0.1:1"
	_, err = r.net.Publish(context.Background(), r.delivery(article(), herald.TID(r.now, 2), r.now))
	_ = err
	_, err = r.net.Publish(context.Background(), scheduler.Delivery{Article: article(), Channel: &dead, Post: r.delivery(article(), herald.TID(r.now, 3), r.now).Post})
	if sendErr(t, err).Failure != scheduler.NotSent {
		t.Fatalf("connection refused: %v", err)
	}
	if strings.Contains(r.logs.String(), token) || strings.Contains(err.Error(), token) {
		t.Fatal("the token leaked")
	}
}

func TestDoctorChecksScopesAndTheInstance(t *testing.T) {
	r := newRig(t, mastodontest.WithMaxCharacters(640))
	var lines []herald.Check
	r.net.Diagnose(context.Background(), []*herald.Channel{r.ch}, func(c herald.Check) { lines = append(lines, c) })
	text := ""
	for _, c := range lines {
		text += c.Verdict.String() + " " + c.Line + "\n"
		if c.Verdict != herald.CheckOK {
			t.Errorf("full token: %s %s", c.Verdict, c.Line)
		}
	}
	if !strings.Contains(text, "640 characters") || !strings.Contains(text, "@herald@127.0.0.1") || !strings.Contains(text, "requests left") {
		t.Fatalf("doctor said:\n%s", text)
	}
	if len(r.srv.Statuses("")) != 0 || len(r.srv.MediaList()) != 0 {
		t.Fatal("doctor's probes changed something")
	}

	// a token without write:media and read:notifications
	r.srv.MustAccount("narrow", "narrow-token", "read:accounts", "write:statuses", "read:statuses")
	narrow := mastodon.New(mastodon.Config{Secret: func(string) string { return "narrow-token" }})
	lines = nil
	narrow.Diagnose(context.Background(), []*herald.Channel{{Network: herald.NetworkMastodon, Title: "N", Endpoint: r.srv.URL(), SecretEnv: "V"}},
		func(c herald.Check) { lines = append(lines, c) })
	found := false
	for _, c := range lines {
		if c.Verdict == herald.CheckFail && strings.Contains(c.Line, "write:media") && strings.Contains(c.Line, "read:notifications") &&
			!strings.Contains(c.Line, "write:statuses (") && strings.Contains(c.Fix, "V") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no failure naming the missing scopes: %+v", lines)
	}

	// a bad token fails the first line, naming the variable
	lines = nil
	bad := mastodon.New(mastodon.Config{Secret: func(string) string { return "nope" }})
	bad.Diagnose(context.Background(), []*herald.Channel{{Network: herald.NetworkMastodon, Title: "B", Endpoint: r.srv.URL(), SecretEnv: "HERALD_B"}},
		func(c herald.Check) { lines = append(lines, c) })
	if len(lines) != 1 || lines[0].Verdict != herald.CheckFail || !strings.Contains(lines[0].Line, "HERALD_B") {
		t.Fatalf("bad token: %+v", lines)
	}
}

func TestLimitsAreAnAccountsAndScaled(t *testing.T) {
	l := mastodon.New(mastodon.Config{Scale: 10}).Limits()
	if l.Global != 0 || l.PerChat == 0 || l.PerChat > 300 || l.ChatPer != 18*time.Minute || l.ChatGap != 2*time.Second || l.ChatBurst == 0 || l.TimeScale != 10 {
		t.Fatalf("%+v", l)
	}
}

func TestPastTheMediaLimitTheStatusGoesWithoutItsImage(t *testing.T) {
	img := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(png) }))
	defer img.Close()
	r := newRig(t)
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "POST /api/v2/media", RetryAfter: 1500}); err != nil {
		t.Fatal(err)
	}
	a := article()
	a.ImageURL = img.URL + "/photo.png"
	if _, err := r.net.Publish(context.Background(), r.delivery(a, herald.TID(r.now, 1), r.now)); err != nil {
		t.Fatal(err)
	}
	if sts := r.srv.Statuses("herald"); len(sts) != 1 || len(sts[0].MediaIDs) != 0 {
		t.Fatalf("%+v", sts)
	}
}

func TestAnInstanceWithoutV2IsTakenAtMastodonsDefaults(t *testing.T) {
	r := newRig(t, mastodontest.WithMaxCharacters(5000))
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "GET /api/v2/instance", Status: 404}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.net.Publish(context.Background(), r.delivery(article(), herald.TID(r.now, 1), r.now)); err != nil {
		t.Fatal(err)
	}
	if n := mastodontest.CountCharacters(r.srv.Statuses("herald")[0].Text); n > 500 {
		t.Fatalf("%d characters without the instance's word, want Mastodon's default 500 at most", n)
	}
}

func TestThePreviewIsTheStatusAndDoesNotWaitOnAnInstanceThatIsDown(t *testing.T) {
	r := newRig(t)
	r.srv.SetMaxCharacters(200)
	a := article()
	d := r.delivery(a, "", r.now)
	text, err := r.net.Text(context.Background(), d)
	if err != nil || !strings.Contains(text, a.URL) || mastodon.Measure(text, 23) > 200 {
		t.Fatalf("preview %q (%d characters), %v: want the status as it will go, within the instance's 200", text, mastodon.Measure(text, 23), err)
	}
	down := *r.ch
	down.Endpoint = "http://127.0.0.1:1" // nothing listens
	d.Channel = &down
	for range 2 {
		text, err = r.net.Text(context.Background(), d)
		if err != nil || !strings.Contains(text, a.URL) || mastodon.Measure(text, 23) > 500 {
			t.Fatalf("preview on an instance that is down: %q, %v; want it fitted to Mastodon's defaults", text, err)
		}
	}
}

func TestAnEditedPostGoesWholeOrIsRefusedBeforeItIsSaved(t *testing.T) {
	r := newRig(t)
	a := article()
	d := r.delivery(a, herald.TID(r.now, 7), r.now)
	d.Edit = &herald.PostEdit{Text: "<b>Talks &amp; treaty</b>: what the call changed, in one line."}
	if err := r.net.CheckEdit(context.Background(), d); err != nil {
		t.Fatalf("a short edit was refused: %v", err)
	}
	if _, err := r.net.Publish(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	st := r.srv.Statuses("herald")[0]
	if !strings.Contains(st.Text, "Talks & treaty: what the call changed, in one line.") || !strings.Contains(st.Text, a.URL) || strings.Contains(st.Text, a.Title) {
		t.Fatalf("the status is %q: want the editor's text, as plain text, and the link, not the headline", st.Text)
	}
	d.Edit = &herald.PostEdit{Text: strings.Repeat("A long edit, word after word. ", 20)}
	err := r.net.CheckEdit(context.Background(), d)
	if herald.ErrorCode(err) != herald.EInvalid || !strings.Contains(err.Error(), "shorten it by") {
		t.Fatalf("an edit over 500 characters gave %v, want a refusal saying by how much", err)
	}
}
