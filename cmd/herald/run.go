package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
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
	now     func() time.Time
}

// newApp connects to Telegram and wires the parts together.
func newApp(ctx context.Context, cfg *config, st *store.Store, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, st: st, log: log, now: time.Now}
	wake := func() { a.disp.Wake() } // the dispatcher needs the bot's publisher, so it comes last
	a.watcher = &scheduler.Watcher{Store: st, Log: log.With("part", "watcher"), Now: a.now, Zone: cfg.Timezone,
		OldAfter: cfg.OldAfter, AnnounceBefore: cfg.AnnounceBefore, Interval: cfg.WatchInterval, Planned: wake}
	a.queue = &scheduler.Queue{Store: st, Watcher: a.watcher, Now: a.now, Wake: wake}
	b, err := bot.New(ctx, bot.Config{Token: cfg.Token, APIURL: cfg.APIURL, Store: st, Log: log.With("part", "bot"),
		Owners: cfg.Owners, Now: a.now, Queue: a.queue, Zone: cfg.Timezone})
	if err != nil {
		return nil, err
	}
	a.bot = b
	a.disp = &scheduler.Dispatcher{Store: st, Publisher: b.Publisher(), Notifier: b, Log: log.With("part", "dispatcher"),
		Now: a.now, Limits: scheduler.TelegramLimits(cfg.RateScale), Exclusive: true, SendTimeout: cfg.SendTimeout}
	return a, nil
}

// run starts every part and blocks until ctx ends and they have stopped.
func (a *app) run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(a.log.Handler(), slog.LevelWarn)}
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	start := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := f(ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	start("dispatcher", a.disp.Start)
	start("digest", a.digest)
	start("watcher", a.watcher.Start)
	start("bot", a.bot.Start)
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

// routes serves /healthz: alive, with the state of the queue.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	})
	return mux
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
	log := newLogger(cfg, e.stderr)
	release, err := lockDB(*db)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald run: %v\n", err)
		return exitFailed
	}
	defer release()
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald run: HERALD_HTTP_ADDR=%s: %v\n", cfg.HTTPAddr, err)
		return exitFailed
	}
	a, err := newApp(ctx, cfg, st, log)
	if err != nil {
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
