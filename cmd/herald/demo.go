package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/desk"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

//go:embed demodata
var demoData embed.FS

// demoClock is the demo's virtual clock: it runs at the speed of real time
// from an evening's start, and the demo jumps it forward to the next moment
// something is due, so that an evening of posting plays out in seconds.
type demoClock struct {
	mu    sync.Mutex
	base  time.Time // virtual time at start
	start time.Time // real time at start
}

func newDemoClock(base time.Time) *demoClock { return &demoClock{base: base, start: time.Now()} }

func (c *demoClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start))
}

// set jumps the clock forward to t; it never goes back.
func (c *demoClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := c.base.Add(time.Since(c.start)); t.After(now) {
		c.base = c.base.Add(t.Sub(now))
	}
}

// Demo chats and people on the fake Bot API.
const (
	demoEN       = -1001001
	demoENGroup  = -1001002
	demoAZ       = -1002001
	demoEditor   = 1001 // Aysel, an owner, whose Telegram is in Azerbaijani
	demoEditorRU = 1002 // Dmitri, an owner, whose Telegram is in Russian
	demoReader   = 3003 // Rashad, who reviews by the deep link
	demoComment  = 3004 // Nina, who comments in the discussion group
)

func cmdDemo(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "demo", "[--db PATH] [-v]\n\nRuns the whole pipeline offline, in a few seconds once built: a fake Telegram in\nthis process, a temporary database (or --db), sample articles in two\nlanguages and two channels. Prints what came in, what was planned for\nwhen, and what each channel received.")
	dbPath := fs.String("db", "", "keep the demo's database at `path` (default: a temporary file, removed after)")
	verbose := fs.Bool("v", false, "also print herald's log")
	withDesk := fs.Bool("desk", false, "then serve the web desk on the demo's data (and print a sign-in link) until Ctrl-C")
	deskAddr := fs.String("desk-addr", "127.0.0.1:8090", "where --desk serves the desk (`host:port`)")
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	addr := ""
	if *withDesk {
		addr = *deskAddr
	}
	if err := runDemo(ctx, e.stdout, *dbPath, *verbose, addr); err != nil {
		fmt.Fprintf(e.stderr, "herald demo: %v\n", err)
		return exitFailed
	}
	return exitOK
}

func runDemo(ctx context.Context, out io.Writer, dbPath string, verbose bool, deskAddr string) error {
	baku := herald.AgencyZone()
	y, m, d := time.Now().In(baku).Date()
	evening := time.Date(y, m, d, 18, 0, 0, 0, baku)
	clock := newDemoClock(evening.Add(-2 * time.Minute)) // just before the 18:00 slot
	p := &printer{w: out, loc: baku, clock: clock}

	if dbPath == "" {
		dir, err := os.MkdirTemp("", "herald-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "demo.db")
	}
	st, err := store.Open(dbPath, store.WithClock(clock.now))
	if err != nil {
		return err
	}
	defer st.Close()

	logw := io.Discard
	if verbose {
		logw = out
	}
	log := slog.New(slog.NewTextHandler(logw, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fake := telegramtest.NewServer(telegramtest.WithClock(clock.now), telegramtest.WithBotUsername("herald_demo_bot"),
		telegramtest.WithToken("4242:demo-token"), telegramtest.WithLogger(log))
	defer fake.Close()
	for _, c := range []telegramtest.Chat{
		{ID: demoEN, Type: "channel", Title: "Difficult Question · English", Username: "dq_english", LinkedChatID: demoENGroup, BotRights: telegramtest.RightsAdmin},
		{ID: demoENGroup, Type: "supergroup", Title: "Difficult Question · Discussion", LinkedChatID: demoEN, BotRights: telegramtest.RightsMember},
		{ID: demoAZ, Type: "channel", Title: "Çətin sual · Azərbaycanca", Username: "cetin_sual", BotRights: telegramtest.RightsAdmin},
	} {
		if err := fake.AddChat(c); err != nil {
			return err
		}
	}

	p.section("herald demo — %s, an evening at the agency (times in Asia/Baku)", evening.Format("Mon 2 Jan 2006"))
	p.line("A fake Telegram Bot API runs in this process at %s; herald talks to it with go-telegram/bot.", fake.URL())

	// Channels, as an editor would add them with herald channel add.
	channels := []*herald.Channel{
		{Chat: fmt.Sprint(demoEN), Title: "Difficult Question · English", Language: herald.LangEnglish,
			Kinds: []herald.Kind{herald.KindCommentary, herald.KindEpisode}, Slots: []string{"0,30 * * * *"},
			MinGap: herald.Duration(20 * time.Minute), Quiet: herald.QuietHours{Start: 0, End: 7 * 60}, QuietMode: herald.QuietHold},
		{Chat: fmt.Sprint(demoAZ), Title: "Çətin sual · Azərbaycanca", Language: herald.LangAzerbaijani,
			Kinds: []herald.Kind{herald.KindCommentary, herald.KindEpisode, herald.KindNews}, MinGap: herald.Duration(15 * time.Minute),
			QuietMode: herald.QuietSilent, Quiet: herald.QuietHours{Start: 0, End: 7 * 60}},
	}
	p.section("Channels")
	for _, c := range channels {
		c.Network, c.ReviewLink, c.OnEdit, c.OnUnpublish = herald.NetworkTelegram, herald.ReviewLinkText, herald.OnEditEdit, herald.OnUnpublishDelete
		if err := checkChannel(c, "Asia/Baku"); err != nil {
			return err
		}
		if err := st.CreateChannel(ctx, c); err != nil {
			return err
		}
		p.line("#%d %s", c.ID, describeChannel(c, "Asia/Baku"))
	}
	nets, err := startDemoNetworks(st, log, clock.now)
	if err != nil {
		return err
	}
	defer nets.close()
	if err := nets.addChannels(ctx, st, p); err != nil {
		return err
	}

	// Articles in, through the same cleaning as herald import.
	p.section("In: sample pages imported")
	up := storeUpserter{st: st}
	files, err := fs.Glob(demoData, "demodata/*")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, name := range files {
		raw, err := demoData.ReadFile(name)
		if err != nil {
			return err
		}
		a, err := ingest.Parse(name, demoPage(raw, evening), ingest.Options{Source: "demo"})
		if err != nil {
			return err
		}
		outcome, err := up.Upsert(ctx, a)
		if err != nil {
			return err
		}
		air := ""
		if a.AirAt != nil {
			air = ", airs " + a.AirAt.In(baku).Format("15:04")
		}
		p.line("%-9s #%d %s/%s%s: %s", outcome, a.ID, a.Kind, a.Language, air, oneLine(a.Title, 60))
	}

	cfg := &config{Token: "4242:demo-token", APIURL: fake.URL(), Timezone: "Asia/Baku", OldAfter: scheduler.DefaultOldAfter,
		AnnounceBefore: scheduler.DefaultAnnounceBefore, WatchInterval: time.Second, SendTimeout: 5 * time.Second, RateScale: 1}
	w := &scheduler.Watcher{Store: st, Log: log, Now: clock.now, Zone: cfg.Timezone, OldAfter: cfg.OldAfter, AnnounceBefore: cfg.AnnounceBefore}
	queue := &scheduler.Queue{Store: st, Watcher: w, Now: clock.now, NetworkCheck: networkEditCheck(nets.accounts)}
	b, err := bot.New(ctx, bot.Config{Token: cfg.Token, APIURL: cfg.APIURL, Store: st, Log: log, Now: clock.now,
		Owners: []int64{demoEditor, demoEditorRU}, Queue: queue, Zone: cfg.Timezone, PollTimeout: 2 * time.Second})
	if err != nil {
		return err
	}
	w.Notifier = b // articles held for an editor, as in herald run
	disp := &scheduler.Dispatcher{Store: st, Publisher: b.Publisher(), Networks: publishers(nets.accounts), Notifier: b, Log: log, Now: clock.now,
		Limits: scheduler.TelegramLimits(1), Exclusive: true, SendTimeout: cfg.SendTimeout}
	pollCtx, stopPolling := context.WithCancel(ctx)
	polled := make(chan struct{})
	go func() { b.Start(pollCtx); close(polled) }()
	defer func() { stopPolling(); <-polled }()
	people := &demoPeople{fake: fake, p: p}

	// Watch and plan.
	if _, err := w.Sweep(ctx); err != nil {
		return err
	}
	p.section("Planned: the next free moment on each channel")
	if err := p.queue(ctx, st); err != nil {
		return err
	}
	p.line("(the 2019 archive piece was stored but not planned: old news stays old)")

	// An editor steers the queue from Telegram.
	p.section("Editor: Aysel (an owner, in Azerbaijani) steers the queue from her private chat with the bot")
	if err := people.editor(ctx, st); err != nil {
		return err
	}
	p.section("Editor: Dmitri (an owner, in Russian) moves a post, mistyping the time first")
	if err := people.editorRU(ctx, st); err != nil {
		return err
	}
	p.section("Planned after the editor's changes")
	if err := p.queue(ctx, st); err != nil {
		return err
	}

	// Deliver: move the clock from one due post to the next.
	p.section("Out: the dispatcher sends each post when it is due")
	if err := disp.Recover(ctx); err != nil {
		return err
	}
	seen := map[int64]bool{}
	for step := 0; step < 1000; step++ {
		next, ok, err := st.NextDue(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		clock.set(next)
		if _, err := disp.Dispatch(ctx); err != nil {
			return err
		}
		disp.Wait()
		before := len(seen)
		if err := p.sent(ctx, st, seen); err != nil {
			return err
		}
		if len(seen) == before {
			// Due, but held back: the channel's minimum gap since its last
			// post. Let a minute pass.
			clock.set(clock.now().Add(time.Minute))
		}
	}

	p.section("What each channel received")
	for _, c := range channels {
		msgs := fake.Messages(c.ChatID().(int64))
		p.line("%s (%s): %d posts", c.Title, c.Chat, len(msgs))
		for _, msg := range msgs {
			text := msg.Text
			if text == "" {
				text = msg.Caption
			}
			p.line("  ┌ message %d at %s%s", msg.ID, msg.Date.In(baku).Format("15:04"), silentMark(msg.DisableNotification))
			for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
				p.line("  │ %s", l)
			}
			p.line("  └")
		}
	}
	nets.show(p)
	p.section("Readers review")
	if err := people.readers(ctx, st); err != nil {
		return err
	}
	p.section("Readers reply on Mastodon and Bluesky; herald reads the replies in as reviews")
	if err := nets.readersReply(ctx, st, p); err != nil {
		return err
	}
	p.section("Done")
	p.line("Every post went out once. Run it for real: see README.md, \"Running herald\".")
	if deskAddr == "" {
		return nil
	}
	// Something ahead, so that the desk has a post to steer beside the
	// sent ones: Aysel schedules the archive piece that herald left alone
	// as old news, two hours from the demo's "now".
	all, err := st.Articles(ctx, store.ArticleFilter{})
	if err != nil {
		return err
	}
	tomorrow := clock.now().Add(2 * time.Hour).Truncate(time.Minute)
	for _, a := range all {
		if posts, err := st.Posts(ctx, store.PostFilter{ArticleID: a.ID}); err == nil && len(posts) == 0 {
			if _, err := queue.Schedule(ctx, scheduler.Actor{UserID: demoEditor, Name: "Aysel"}, a.ID, &tomorrow, nil); err != nil &&
				herald.ErrorCode(err) != herald.ENotFound {
				return err
			}
		}
	}
	return serveDemoDesk(ctx, p, st, queue, b, cfg, channels, networkText(nets.accounts), deskAddr)
}

// serveDemoDesk serves the web desk on the demo's data until ctx ends
// (Ctrl-C), with a one-time sign-in link for Aysel, the demo's owner.
func serveDemoDesk(ctx context.Context, p *printer, st *store.Store, q *scheduler.Queue, b *bot.Bot, cfg *config,
	channels []*herald.Channel, text func(context.Context, scheduler.Delivery) (string, error), addr string) error {
	d, err := desk.New(desk.Config{Store: st, Queue: q, Token: cfg.Token, BotUsername: b.Username(), Zone: cfg.Timezone,
		Now: q.Now, NetworkText: text, Doctor: func(ctx context.Context, report func(bot.Check)) {
			bot.Diagnose(ctx, bot.DoctorConfig{Token: cfg.Token, APIURL: cfg.APIURL, Channels: channels,
				Owners: []int64{demoEditor, demoEditorRU}}, report)
		}})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--desk-addr %s: %w", addr, err)
	}
	token, err := st.NewDeskLink(ctx, demoEditor, time.Hour)
	if err != nil {
		ln.Close()
		return err
	}
	base := "http://" + ln.Addr().String()
	p.section("The desk")
	p.line("The web desk serves this demo's data at %s/", base)
	p.line("(The demo's clock is where the evening's sending left it; \"Earlier\" on the plan shows the evening.)")
	p.line("Sign in as Aysel, the demo's owner, with this one-time link (it works once, within an hour):")
	p.line("  %s/auth/link?t=%s", base, token)
	p.line("Ctrl-C stops the demo.")
	srv := &http.Server{Handler: d.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func silentMark(silent bool) string {
	if silent {
		return " (silent)"
	}
	return ""
}

// demoPage fills the sample pages' date placeholders relative to the demo's
// evening, so that the demo is always about today.
func demoPage(raw []byte, now time.Time) []byte {
	s := string(raw)
	r := strings.NewReplacer(
		"{{DATE}}", now.Format("2006-01-02"),
		"{{DDMMYY}}", now.Format("02.01.06"),
		"{{AT-40m}}", now.Add(-40*time.Minute).Format("15:04"),
		"{{AT-30m}}", now.Add(-30*time.Minute).Format("15:04"),
		"{{AT-20m}}", now.Add(-20*time.Minute).Format("15:04"),
		"{{AT+90m}}", now.Add(90*time.Minute).Format("15:04"),
	)
	return []byte(r.Replace(s))
}

// printer writes the demo's transcript.
type printer struct {
	w     io.Writer
	loc   *time.Location
	clock *demoClock
}

func (p *printer) section(format string, args ...any) {
	fmt.Fprintf(p.w, "\n== "+format+"\n", args...)
}

func (p *printer) line(format string, args ...any) {
	fmt.Fprintf(p.w, format+"\n", args...)
}

func (p *printer) queue(ctx context.Context, st *store.Store) error {
	posts, err := st.Posts(ctx, store.PostFilter{States: []herald.PostState{herald.PostPlanned, herald.PostScheduled}})
	if err != nil {
		return err
	}
	for _, q := range posts {
		a, err := st.Article(ctx, q.ArticleID)
		if err != nil {
			return err
		}
		c, err := st.Channel(ctx, q.ChannelID)
		if err != nil {
			return err
		}
		p.line("post #%-2d %s  %-8s on %-28s %s", q.ID, q.ScheduledAt.In(p.loc).Format("15:04"), q.Purpose, c.Title, oneLine(a.Title, 44))
	}
	return nil
}

func (p *printer) sent(ctx context.Context, st *store.Store, seen map[int64]bool) error {
	posts, err := st.Posts(ctx, store.PostFilter{States: []herald.PostState{herald.PostSent, herald.PostFailed, herald.PostUnknown}})
	if err != nil {
		return err
	}
	for _, q := range posts {
		if seen[q.ID] {
			continue
		}
		seen[q.ID] = true
		c, err := st.Channel(ctx, q.ChannelID)
		if err != nil {
			return err
		}
		at := q.ScheduledAt
		if q.SentAt != nil {
			at = *q.SentAt
		}
		p.line("%s  post #%-2d %-8s %s → message %d on %s", at.In(p.loc).Format("15:04"), q.ID, q.Purpose, q.State, q.MessageID, c.Title)
	}
	return nil
}
