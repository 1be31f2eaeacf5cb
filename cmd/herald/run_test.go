package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// runVars is the environment herald run gets in these tests: the fake
// Telegram, a free port on loopback, and a watcher that looks often.
func runVars(fake *telegramtest.Server) map[string]string {
	return map[string]string{
		"TELEGRAM_BOT_TOKEN":    secretToken,
		"TELEGRAM_API_URL":      fake.URL(),
		"HERALD_HTTP_ADDR":      "127.0.0.1:0",
		"HERALD_OWNERS":         "5001,5002",
		"HERALD_WATCH_INTERVAL": "100ms",
		"HERALD_SEND_TIMEOUT":   "5s",
	}
}

// inProcess is a herald run going on in this process.
type inProcess struct {
	stdout, stderr syncBuffer
	cancel         context.CancelFunc
	done           chan int
}

func startInProcess(t *testing.T, vars map[string]string, args ...string) *inProcess {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h := &inProcess{cancel: cancel, done: make(chan int, 1)}
	go func() { h.done <- runWith(ctx, vars, &h.stdout, &h.stderr, args...) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-h.done:
		case <-time.After(15 * time.Second):
			t.Errorf("herald run did not stop")
		}
	})
	return h
}

// stop ends the run as SIGTERM would and returns its exit code, failing
// when it takes more than the ten seconds the issue allows.
func (h *inProcess) stop(t *testing.T) int {
	t.Helper()
	h.cancel()
	select {
	case code := <-h.done:
		h.done <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatalf("herald run still running 10 s after it was told to stop\n%s", h.stderr.String())
		return -1
	}
}

var httpAddrLog = regexp.MustCompile(`http=(127\.0\.0\.1:\d+)`)

// waitLog waits until the log matches re and returns the first submatch.
func waitLog(t *testing.T, log *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(log.String()); m != nil {
			return m[1]
		}
		<-tick.C
	}
	t.Fatalf("the log never matched %s:\n%s", re, log.String())
	return ""
}

// botMessages returns the bot's messages in a chat, deleted ones left out.
func botMessages(fake *telegramtest.Server, chat int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range fake.Messages(chat) {
		if m.From != nil && m.From.ID == fake.BotUser().ID && !m.Deleted {
			out = append(out, m)
		}
	}
	return out
}

// countTitle counts the messages that carry title.
func countTitle(msgs []telegramtest.Message, title string) int {
	n := 0
	for _, m := range msgs {
		if strings.Contains(m.Text+m.Caption, title) {
			n++
		}
	}
	return n
}

// noTokenInFiles fails when the token shows in the database or its journal.
func noTokenInFiles(t *testing.T, db string) {
	t.Helper()
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		noToken(t, filepath.Base(p), string(b))
	}
}

func TestRunPostsAnImportedArticleOnceAcrossARestart(t *testing.T) {
	const chat = -1001001
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	if err := fake.AddChat(telegramtest.Chat{ID: chat, Type: "channel", Title: "News", BotRights: telegramtest.RightsAdmin}); err != nil {
		t.Fatal(err)
	}
	db := newDB(t)
	pages := copyPages(t, t.TempDir(), "council-budget.md", "tram-line.html")
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", fmt.Sprint(chat), "--title", "News", "--lang", "en", "--kinds", "news,commentary,episode")
	mustRun(t, nil, "import", "--db", db, "--lang", "en", pages[0])
	vars := runVars(fake)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var outputs []string

	// First run: the article goes out once, with its review link.
	h := startInProcess(t, vars, "run", "--db", db)
	msgs, err := fake.WaitBotMessages(ctx, chat, 1)
	if err != nil {
		t.Fatalf("no post in the channel: %v\n%s", err, h.stderr.String())
	}
	first := goodPages["council-budget.md"]
	if !strings.Contains(msgs[0].Text, first) {
		t.Errorf("the post does not carry the title %q:\n%s", first, msgs[0].Text)
	}
	if link := "https://t.me/" + fake.BotUsername() + "?start="; !strings.Contains(msgs[0].SentText, link) {
		t.Errorf("the post has no review link %s…:\n%s", link, msgs[0].SentText)
	}

	addr := waitLog(t, &h.stderr, httpAddrLog)
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "ok") {
		t.Errorf("/healthz answered %d %q", resp.StatusCode, body)
	}

	// A second herald run on the same database is refused while one runs.
	second := runHeraldCtx(ctx, vars, "run", "--db", db)
	if second.code == exitOK || !strings.Contains(second.stderr, "another herald run") {
		t.Errorf("a second herald run on the same database: want it refused for the lock\n%v", second)
	}
	outputs = append(outputs, second.stdout, second.stderr)

	stopped := time.Now()
	if code := h.stop(t); code != exitOK {
		t.Errorf("herald run exited %d when stopped, want 0\n%s", code, h.stderr.String())
	}
	t.Logf("stopped in %v", time.Since(stopped).Round(time.Millisecond))
	outputs = append(outputs, h.stdout.String(), h.stderr.String())

	var q []queuedPost
	decodeJSON(t, mustRun(t, nil, "queue", "--db", db, "--json"), &q)
	if len(q) != 1 || q[0].State != "sent" || q[0].MessageID != int64(msgs[0].ID) || q[0].SentAt == nil {
		t.Errorf("the queue should show one post sent as message %d: %+v", msgs[0].ID, q)
	}

	// Second run: nothing is sent again. A second article imported while
	// it runs shows that it is dispatching.
	h = startInProcess(t, vars, "run", "--db", db)
	waitLog(t, &h.stderr, httpAddrLog)
	mustRun(t, nil, "import", "--db", db, "--lang", "en", pages[1])
	if _, err := fake.WaitBotMessages(ctx, chat, 2); err != nil {
		t.Fatalf("the article imported while herald runs was not posted: %v\n%s", err, h.stderr.String())
	}
	if code := h.stop(t); code != exitOK {
		t.Errorf("the second herald run exited %d when stopped", code)
	}
	outputs = append(outputs, h.stdout.String(), h.stderr.String())
	all := botMessages(fake, chat)
	if len(all) != 2 || countTitle(all, first) != 1 || countTitle(all, goodPages["tram-line.html"]) != 1 {
		var got []string
		for _, m := range all {
			got = append(got, strings.SplitN(m.Text, "\n", 2)[0])
		}
		t.Errorf("after a restart the channel should hold each article once; it holds:\n%s", strings.Join(got, "\n"))
	}

	for i, o := range outputs {
		noToken(t, fmt.Sprintf("output %d of herald run", i), o)
	}
	noTokenInFiles(t, db)
}

func TestRunRefusesBadConfigurationInOneLine(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	tests := []struct {
		name string
		set  map[string]string
		want []string
	}{
		{"no token", map[string]string{"TELEGRAM_BOT_TOKEN": ""}, []string{"TELEGRAM_BOT_TOKEN", "123456:ABC-DEF"}},
		{"a token that is not one", map[string]string{"TELEGRAM_BOT_TOKEN": "just-a-password"}, []string{"TELEGRAM_BOT_TOKEN", "123456:ABC-DEF"}},
		{"an API URL that is not http", map[string]string{"TELEGRAM_API_URL": "ftp://x"}, []string{"TELEGRAM_API_URL", "ftp://x", "http(s) URL"}},
		{"owners that are not user ids", map[string]string{"HERALD_OWNERS": "abc"}, []string{"HERALD_OWNERS", "comma-separated Telegram user ids"}},
		{"a log level that does not exist", map[string]string{"HERALD_LOG_LEVEL": "loud"}, []string{"HERALD_LOG_LEVEL", "debug, info, warn or error"}},
		{"an HTTP address without a port", map[string]string{"HERALD_HTTP_ADDR": "localhost"}, []string{"HERALD_HTTP_ADDR", "host:port"}},
		{"a watch interval that is not a duration", map[string]string{"HERALD_WATCH_INTERVAL": "often"}, []string{"HERALD_WATCH_INTERVAL", "duration"}},
		{"a time zone that does not exist", map[string]string{"HERALD_TIMEZONE": "Mars/Olympus"}, []string{"HERALD_TIMEZONE", "IANA time zone"}},
		{"a reader limit that is not burst/duration", map[string]string{"HERALD_READER_LIMIT": "lots"}, []string{"HERALD_READER_LIMIT", "20/3s"}},
		{"an API program without its stored name", map[string]string{"HERALD_API_PROGRAM_NAMES": "=Gündəm"}, []string{"HERALD_API_PROGRAM_NAMES", "Stored name=Name on the page"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := runVars(fake)
			for k, v := range tt.set {
				vars[k] = v
			}
			db := newDB(t)
			r := runHerald(t, vars, "run", "--db", db)
			if r.code != exitUsage {
				t.Fatalf("want exit 2\n%v", r)
			}
			msg := strings.TrimSpace(r.stderr)
			if strings.Contains(msg, "\n") {
				t.Errorf("want one line, got:\n%s", msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
			noToken(t, "the message", r.stdout+r.stderr)
			if _, err := os.Stat(db); err == nil {
				t.Errorf("herald run with bad configuration created the database")
			}
		})
	}
}

func TestRunWithTelegramUnreachableFailsWithoutTheToken(t *testing.T) {
	// A port that was free a moment ago: nothing answers there.
	fake := telegramtest.NewServer(telegramtest.WithToken(secretToken))
	url := fake.URL()
	fake.Close()
	vars := runVars(fake)
	vars["TELEGRAM_API_URL"] = url
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := runHeraldCtx(ctx, vars, "run", "--db", newDB(t))
	if ctx.Err() != nil {
		t.Fatalf("herald run kept going with Telegram unreachable\n%v", r)
	}
	if r.code != exitFailed || r.stderr == "" {
		t.Errorf("want exit 1 and a message\n%v", r)
	}
	noToken(t, "herald run's output", r.stdout+r.stderr)
}

// proc is herald running as a process.
type proc struct {
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
	done           chan struct{}
}

func startProc(t *testing.T, vars map[string]string, args ...string) *proc {
	t.Helper()
	return startProcBin(t, heraldBin, vars, args...)
}

// startProcBin is startProc with another build of herald (the chaos
// drill's, built with -race).
func startProcBin(t *testing.T, bin string, vars map[string]string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	for k, v := range vars {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Dir = t.TempDir() // no .env from the working directory
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// waitRunning waits, at most limit, until herald says it is running: a
// signal sent before main has set up its handlers would kill the process
// the default way, which says nothing about herald.
func (p *proc) waitRunning(t *testing.T, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !strings.Contains(p.stderr.String(), "herald running") {
		select {
		case <-p.done:
			t.Fatalf("herald run ended before it was running\n%s", p.stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("herald run not running after %v\n%s", limit, p.stderr.String())
		}
	}
}

// signal sends sig and waits for the process to end, at most limit.
func (p *proc) signal(t *testing.T, sig syscall.Signal, limit time.Duration) int {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(limit):
		t.Fatalf("herald run still running %v after %v\n%s", limit, sig, p.stderr.String())
		return -1
	}
}

// crashWords make the crash drill's titles: no title is a part of another.
var crashWords = []string{"amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heath", "inlet", "juniper"}

func TestRunKilledMidSendNeverPostsTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("kills herald several times")
	}
	chats := []int64{-1002001, -1002002}
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	db := newDB(t)
	for i, c := range chats {
		if err := fake.AddChat(telegramtest.Chat{ID: c, Type: "channel", Title: fmt.Sprint("Drill ", i), BotRights: telegramtest.RightsAdmin}); err != nil {
			t.Fatal(err)
		}
		mustRun(t, nil, "channel", "add", "--db", db, "--chat", fmt.Sprint(c), "--lang", "en", "--kinds", "news")
	}
	dir := t.TempDir()
	titles := map[string]bool{}
	for i, w := range crashWords {
		title := fmt.Sprintf("Drill report %s: the %s quarter in numbers", strconv.Itoa(i+1), w)
		titles[title] = true
		page := fmt.Sprintf("%s\n\nThe %s district reported its figures for the quarter on Monday, with %d new homes connected to the grid.\n\nOfficials said the %s numbers were in line with the plan set out last year.\n", title, w, 100+i, w)
		if err := os.WriteFile(filepath.Join(dir, w+".txt"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := mustRun(t, nil, "import", "--db", db, "--lang", "en", "--kind", "news", dir); r.lastLine() != "10 new, 0 updated, 0 unchanged, 0 skipped, 0 failed" {
		t.Fatalf("import: %v", r)
	}
	// Every send is held a while before the fake carries it out, so that a
	// kill lands mid-send; the fake carries it out even so.
	if err := fake.InjectFault(telegramtest.Fault{Method: "sendMessage", DelayMS: 200, Count: 1000}); err != nil {
		t.Fatal(err)
	}
	vars := runVars(fake)
	delete(vars, "HERALD_OWNERS")
	total := func() int {
		n := 0
		for _, c := range chats {
			n += len(botMessages(fake, c))
		}
		return n
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	var outputs []string
	for _, after := range []int{2, 7, 12} {
		p := startProc(t, vars, "run", "--db", db)
		if err := fake.WaitUntil(ctx, func() bool { return total() >= after }); err != nil {
			t.Fatalf("fewer than %d posts reached the channels: %v\n%s", after, err, p.stderr.String())
		}
		p.signal(t, syscall.SIGKILL, 5*time.Second)
		outputs = append(outputs, p.stdout.String(), p.stderr.String())
	}

	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := startProc(t, vars, "run", "--db", db)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		counts, err := st.CountPosts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts[herald.PostPlanned]+counts[herald.PostScheduled]+counts[herald.PostSending] == 0 && len(counts) > 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("posts still waiting: %v\n%s", counts, p.stderr.String())
		case <-tick.C:
		}
	}
	p.waitRunning(t, 10*time.Second)
	if code := p.signal(t, syscall.SIGTERM, 10*time.Second); code != exitOK {
		t.Errorf("herald run exited %d on SIGTERM, want 0\n%s", code, p.stderr.String())
	}
	outputs = append(outputs, p.stdout.String(), p.stderr.String())

	channels, err := st.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	chatOf := map[int64]int64{}
	for _, c := range channels {
		chatOf[c.ID], _ = strconv.ParseInt(c.Chat, 10, 64)
	}
	posts, err := st.Posts(ctx, store.PostFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != len(chats)*len(crashWords) {
		t.Errorf("%d posts planned, want %d", len(posts), len(chats)*len(crashWords))
	}
	states := map[herald.PostState]int{}
	for _, p := range posts {
		states[p.State]++
		a, err := st.Article(ctx, p.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		msgs := botMessages(fake, chatOf[p.ChannelID])
		n := countTitle(msgs, a.Title)
		switch p.State {
		case herald.PostSent:
			var found bool
			for _, m := range msgs {
				found = found || (int64(m.ID) == p.MessageID && strings.Contains(m.Text, a.Title))
			}
			if !found || n != 1 {
				t.Errorf("post %d is sent as message %d, but the channel holds that article %d times (message found: %v)", p.ID, p.MessageID, n, found)
			}
		case herald.PostUnknown:
			if n > 1 {
				t.Errorf("post %d is unknown and the channel holds its article %d times", p.ID, n)
			}
		default:
			t.Errorf("post %d ended %s; want sent, or unknown for the editors to settle", p.ID, p.State)
		}
	}
	for _, c := range chats {
		msgs := botMessages(fake, c)
		for title := range titles {
			if n := countTitle(msgs, title); n > 1 {
				t.Errorf("chat %d holds %q %d times", c, title, n)
			}
		}
		if len(msgs) > len(crashWords) {
			t.Errorf("chat %d holds %d messages for %d articles", c, len(msgs), len(crashWords))
		}
	}
	t.Logf("after 3 kills: %v; %d messages in the channels", states, total())

	var check string
	if err := st.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	for i, o := range outputs {
		noToken(t, fmt.Sprintf("output %d of the killed runs", i), o)
	}
	noTokenInFiles(t, db)
}

func TestDemoShowsPostsInBothChannels(t *testing.T) {
	r := mustRun(t, nil, "demo")
	if !strings.Contains(r.stdout, "What each channel received") {
		t.Fatalf("the transcript has no account of what the channels received:\n%s", r.stdout)
	}
	received := regexp.MustCompile(`\((-?\d+)\): (\d+) posts`).FindAllStringSubmatch(r.stdout, -1)
	if len(received) != 2 {
		t.Fatalf("want two channels in the transcript, got %d:\n%s", len(received), r.stdout)
	}
	for _, m := range received {
		if n, _ := strconv.Atoi(m[2]); n == 0 {
			t.Errorf("channel %s received no posts:\n%s", m[1], r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "Leave a review") {
		t.Errorf("no post in the transcript invites a review")
	}
	// One article reaches Mastodon and Bluesky too, and a reply on each
	// becomes a review.
	for _, re := range []string{`on the fake Mastodon\): [1-9]\d* statuses`, `on the fake Bluesky\): [1-9]\d* posts`,
		`review #\d+ of article #\d+ by leyla \(@leyla@`, `review #\d+ of article #\d+ by Farid \(farid\.test\)`} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("the transcript lacks %s:\n%s", re, r.stdout)
		}
	}
}
