package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/desk"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/robfig/cron/v3"
)

// app is herald assembled: the store, the bot, the watcher, the dispatcher
// and the HTTP server. herald run and herald demo both build one.
type app struct {
	cfg     *config
	st      *store.Store
	log     *slog.Logger
	bot     *bot.Bot
	watcher *scheduler.Watcher
	disp    *scheduler.Dispatcher
	queue   *scheduler.Queue
	metrics *metrics
	api     *ingest.API
	feeds   *ingest.FeedPoller
	roundup *scheduler.Roundups
	desk    *desk.Desk // nil: the desk is off
	// accounts are the networks besides Telegram, by name.
	accounts map[string]account
	now      func() time.Time
}

// deskOn returns the desk's address for the bot's /desk links, or "" when
// the desk is off (HERALD_DESK=off, or no bot token to sign people in with).
func (c *config) deskOn() string {
	if !c.Desk || c.Token == "" {
		return ""
	}
	return c.deskURL()
}

// startDesk builds the web desk when it is on; its health page runs
// doctor (at most every ten minutes) and shows errs.
func (a *app) startDesk(doctor func(context.Context, func(bot.Check)), errs *desk.ErrorLog) error {
	if a.cfg.deskOn() == "" {
		return nil
	}
	d, err := desk.New(desk.Config{Store: a.st, Queue: a.queue, Token: a.cfg.Token, BotUsername: a.bot.Username(),
		Domain: a.cfg.DeskDomain, URL: a.cfg.deskOn(), Zone: a.cfg.Timezone, TrustProxy: a.cfg.DeskTrustProxy, Doctor: doctor, Errors: errs,
		Log: a.log.With("part", "desk"), Now: a.now, NetworkText: networkText(a.accounts)})
	if err != nil {
		return err
	}
	a.desk = d
	return nil
}

// newApp connects to Telegram and wires the parts together.
func newApp(ctx context.Context, cfg *config, st *store.Store, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, st: st, log: log, now: time.Now}
	wake := func() { a.disp.Wake() } // the dispatcher needs the bot's publisher, so it comes last
	a.watcher = &scheduler.Watcher{Store: st, Log: log.With("part", "watcher"), Now: a.now, Zone: cfg.Timezone,
		OldAfter: cfg.OldAfter, AnnounceBefore: cfg.AnnounceBefore, Interval: cfg.WatchInterval, Planned: wake}
	a.queue = &scheduler.Queue{Store: st, Watcher: a.watcher, Now: a.now, Wake: wake}
	a.metrics = newMetrics(st)
	b, err := bot.New(ctx, bot.Config{Token: cfg.Token, APIURL: cfg.APIURL, Store: st, Log: log.With("part", "bot"),
		Owners: cfg.Owners, Now: a.now, Queue: a.queue, Zone: cfg.Timezone, Metrics: a.metrics, ReaderLimit: cfg.ReaderLimit,
		DeskURL: cfg.deskOn()})
	if err != nil {
		return nil, err
	}
	a.bot = b
	// Owners are owed notices from the first moment (orphans found as the
	// dispatcher starts), before the bot's Start runs.
	if err := st.SyncOwners(ctx, cfg.Owners); err != nil {
		return nil, err
	}
	a.watcher.Notifier = b // articles held for an editor, posts awaiting approval
	a.queue.Notifier = b
	intake := &replies.Intake{Store: st, Now: a.now, Log: log.With("part", "replies")}
	a.accounts = buildNetworks(networkDeps{Store: st, Intake: intake, Secret: cfg.secret, Log: log,
		Now: a.now, Scale: cfg.RateScale, PollEvery: cfg.RepliesEvery})
	a.queue.NetworkCheck = networkEditCheck(a.accounts)
	a.disp = &scheduler.Dispatcher{Store: st, Publisher: b.Publisher(), Networks: publishers(a.accounts), Notifier: b, Log: log.With("part", "dispatcher"),
		Now: a.now, Limits: scheduler.TelegramLimits(cfg.RateScale), Exclusive: true, SendTimeout: cfg.SendTimeout,
		Observer: a.metrics, Links: cfg.Links}
	a.roundup = &scheduler.Roundups{Store: st, Queue: a.queue, Log: log.With("part", "roundup"), Now: a.now, Zone: cfg.Timezone}
	a.feeds = newFeedPoller(st, log.With("part", "feeds"), a.now, cfg.OldAfter, a.watcher.Nudge)
	a.api = &ingest.API{Store: apiStore{storeUpserter{st: st, after: func(*herald.Article) { a.watcher.Nudge() }}},
		Token: cfg.APIToken, Log: log.With("part", "api"),
		Plan: func(ctx context.Context) error { _, err := a.watcher.Sweep(ctx); return err }}
	a.api.Clean.Programs, a.api.Clean.Chrome, a.api.Clean.Sections = cfg.APIPrograms, cfg.APIChrome, cfg.APISections
	if zone, err := time.LoadLocation(cfg.Timezone); err == nil { // validated with the config
		a.api.Clean.Zone, a.feeds.Clean.Zone = zone, zone
	}
	return a, nil
}

// run starts every part and blocks until ctx ends and they have stopped.
func (a *app) run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	var secret string
	if a.cfg.WebhookURL != "" {
		var err error
		if secret, err = a.webhookSecret(ctx); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 10)
	// One part failing stops them all: herald without its dispatcher or its
	// bot must not look alive.
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	start := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f(ctx)
			if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
				// Stopped while starting (SIGTERM, or another part
				// failed first): not a failure of its own.
				err = nil
			}
			if err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
				stop()
			}
		}()
	}
	start("dispatcher", a.disp.Start)
	start("digest", a.digest)
	start("feeds", a.feeds.Start)
	start("roundup", a.roundup.Start)
	start("watcher", a.watcher.Start)
	for _, name := range networkNames() {
		if acct := a.accounts[name]; acct != nil {
			start(name+" replies", acct.Watch)
		}
	}
	if a.cfg.WebhookURL != "" {
		start("bot", func(ctx context.Context) error { return a.bot.StartWebhook(ctx, a.cfg.WebhookURL, secret) })
	} else {
		start("bot", a.bot.Start)
	}
	if ln != nil {
		start("http", func(ctx context.Context) error {
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
		})
	}
	a.log.Info("herald running", "bot", "@"+a.bot.Username(), "http", addrOf(ln))
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// digest sends the owners the week's reviews on HERALD_DIGEST's schedule,
// in HERALD_TIMEZONE, until ctx ends.
func (a *app) digest(ctx context.Context) error {
	if a.cfg.Digest == "" || a.cfg.Digest == "off" {
		return nil
	}
	loc := zoneOr(a.cfg.Timezone)
	c := cron.New(cron.WithLocation(loc), cron.WithParser(cron.NewParser(cron.Minute|cron.Hour|cron.Dom|cron.Month|cron.Dow|cron.Descriptor)),
		cron.WithLogger(cronLogger{a.log.With("part", "digest")}))
	if _, err := c.AddFunc(a.cfg.Digest, func() { a.bot.SendDigest(ctx) }); err != nil {
		return fmt.Errorf("HERALD_DIGEST %q: %w", a.cfg.Digest, err)
	}
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}

// cronLogger routes robfig/cron's log into herald's.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}

func addrOf(ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return ln.Addr().String()
}

// routes serves /healthz (alive), /readyz (the database is writable and
// Telegram answers), /metrics (Prometheus), the ingest API under /api/, and,
// in webhook mode, the path of HERALD_WEBHOOK_URL.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		checks := map[string]string{"database": "ok", "telegram": "ok"}
		ready := true
		if err := a.st.Ping(r.Context()); err != nil {
			checks["database"], ready = "not writable: "+err.Error(), false
		}
		if ok, why := a.bot.Ready(r.Context()); !ok {
			checks["telegram"], ready = why, false
		}
		status := http.StatusOK
		if !ready {
			status = http.StatusServiceUnavailable
		}
		writeStatus(w, status, checks)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.metrics.reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}))
	mux.Handle("/api/", a.api.Handler())
	if a.desk != nil {
		mux.Handle("/", a.desk.Handler())
	}
	if a.cfg.WebhookURL != "" {
		if u, err := url.Parse(a.cfg.WebhookURL); err == nil {
			mux.Handle(u.Path, a.bot.WebhookHandler())
		}
	}
	if a.cfg.Links == "" {
		return mux
	}
	// Short links are answered before the routes: only a path of the
	// link's shape that names a stored link is taken; every other path
	// (the desk at /, /healthz, /api) goes on to the mux.
	return &linkHandler{st: a.st, base: a.cfg.Links, log: a.log.With("part", "links"), next: mux}
}

func writeStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// webhookSecretKey is where a generated webhook secret is kept.
const webhookSecretKey = "webhook.secret"

// webhookSecret returns HERALD_WEBHOOK_SECRET, or a secret generated once
// and kept in the database, so that a restart keeps the webhook valid.
func (a *app) webhookSecret(ctx context.Context) (string, error) {
	if a.cfg.WebhookSecret != "" {
		return a.cfg.WebhookSecret, nil
	}
	if v, ok, err := a.st.Value(ctx, webhookSecretKey); err != nil || ok {
		return v, err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(buf)
	return secret, a.st.SetValue(ctx, webhookSecretKey, secret)
}

// apiStore adapts the store to the ingest API.
type apiStore struct{ storeUpserter }

func (s apiStore) Article(ctx context.Context, id int64) (*herald.Article, error) {
	return s.st.Article(ctx, id)
}
func (s apiStore) ArticleByExternalID(ctx context.Context, source, ext string) (*herald.Article, error) {
	return s.st.ArticleByExternalID(ctx, source, ext)
}
func (s apiStore) SetArticleStatus(ctx context.Context, id int64, st herald.ArticleStatus) error {
	return s.st.SetArticleStatus(ctx, id, st)
}
func (s apiStore) PostsOf(ctx context.Context, articleID int64) ([]ingest.APIPost, error) {
	return s.posts(ctx, store.PostFilter{ArticleID: articleID})
}
func (s apiStore) PostsIn(ctx context.Context, states []herald.PostState, limit int) ([]ingest.APIPost, error) {
	return s.posts(ctx, store.PostFilter{States: states, Limit: limit})
}

func (s apiStore) posts(ctx context.Context, f store.PostFilter) ([]ingest.APIPost, error) {
	ps, err := s.st.Posts(ctx, f)
	if err != nil {
		return nil, err
	}
	chans, err := channelsByID(ctx, s.st)
	if err != nil {
		return nil, err
	}
	out := make([]ingest.APIPost, len(ps))
	for i, p := range ps {
		chat := ""
		if c := chans[p.ChannelID]; c != nil {
			chat = c.Chat
		}
		out[i] = ingest.APIPost{ID: p.ID, ArticleID: p.ArticleID, Channel: chat, Purpose: p.Purpose, State: p.State,
			ScheduledAt: p.ScheduledAt, Attempts: p.Attempts, LastError: p.LastError, MessageID: p.MessageID, SentAt: p.SentAt}
	}
	return out, nil
}

func cmdRun(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "run", "[flags]\n\nRuns herald: the bot (long polling), the watcher that plans posts, the\ndispatcher that sends them, and the HTTP server (/healthz) on\nHERALD_HTTP_ADDR. Needs TELEGRAM_BOT_TOKEN. Stops cleanly on SIGINT or\nSIGTERM, finishing the sends in flight.")
	db := dbFlag(e, fs)
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	cfg, err := loadConfig(e.getenv)
	if err == nil {
		err = cfg.requireToken()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald run: %v\n", err)
		return exitUsage
	}
	rx := e.redact
	if rx == nil {
		rx = secrets(e.getenv, e.environ)
	}
	hide := rx.Func()
	errs := desk.NewErrorLog(50, hide)
	log := slog.New(errs.Handler(newLogger(cfg, e.stderr).Handler()))
	if err := preflight(cfg, *db, e, log); err != nil {
		fmt.Fprintf(e.stderr, "herald run: %v\n", err)
		return exitUsage
	}
	release, err := lockDB(*db)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald run: %v\n", err)
		return exitFailed
	}
	defer release()
	st, ok := createStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	// The channels' own secrets, whatever their variables are called.
	if chs, err := st.Channels(ctx); err == nil {
		rx.Add(channelSecrets(chs, cfg.secret)...)
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald run: HERALD_HTTP_ADDR=%s: %v\n", cfg.HTTPAddr, err)
		return exitFailed
	}
	if cfg.DeskURL == "" && cfg.DeskDomain == "" {
		// The address as bound: HERALD_HTTP_ADDR may name port 0.
		cfg.DeskURL = (&config{HTTPAddr: ln.Addr().String()}).deskURL()
	}
	a, err := newApp(ctx, cfg, st, log)
	if err != nil {
		ln.Close()
		fmt.Fprintf(e.stderr, "herald run: %v\n", err)
		return exitFailed
	}
	doctor := func(ctx context.Context, report func(bot.Check)) {
		runDoctor(ctx, e, *db, &checklist{w: io.Discard, sink: report})
	}
	if err := a.startDesk(doctor, errs); err != nil {
		ln.Close()
		fmt.Fprintf(e.stderr, "herald run: %v\n", err)
		return exitFailed
	}
	if err := a.run(ctx, ln); err != nil {
		log.Error("herald stopped with an error", "err", err)
		return exitFailed
	}
	log.Info("herald stopped")
	return exitOK
}

// newLogger builds the one logger herald uses, from HERALD_LOG_FORMAT and
// HERALD_LOG_LEVEL.
func newLogger(cfg *config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
