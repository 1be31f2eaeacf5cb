package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/telegramtest"
)

// Backlog defaults: issue 12's load, a hundred thousand posts all due at
// once on 200 channels, with Telegram's limits as they are.
const (
	DefaultBacklogPosts    = 100_000
	DefaultBacklogChannels = 200
	DefaultBacklogScale    = 1
	DefaultBacklogWarmup   = 2 * time.Second
	DefaultBacklogWindow   = 20 * time.Second
)

// BacklogConfig is a due backlog: Posts posts spread evenly over Channels
// channels, all due, with the fake's time and herald's limits running Scale
// times faster; the dispatcher runs for Warmup, then is measured for
// Window. Zero values take the defaults.
type BacklogConfig struct {
	Posts    int
	Channels int
	Scale    float64
	Warmup   time.Duration
	Window   time.Duration
	// Dir holds the database; "" means a temporary directory removed after.
	Dir string
	// Log receives the dispatcher's and the bot's log; nil discards it.
	Log *slog.Logger
}

func (c *BacklogConfig) defaults() {
	if c.Posts <= 0 {
		c.Posts = DefaultBacklogPosts
	}
	if c.Channels <= 0 {
		c.Channels = DefaultBacklogChannels
	}
	if c.Scale <= 0 {
		c.Scale = DefaultBacklogScale
	}
	if c.Warmup <= 0 {
		c.Warmup = DefaultBacklogWarmup
	}
	if c.Window <= 0 {
		c.Window = DefaultBacklogWindow
	}
}

// BacklogResult is what one backlog run measured, over its window.
type BacklogResult struct {
	Posts    int
	Channels int
	Scale    float64
	// Sent counts the messages that reached their channels within the
	// window; Rate is Sent per second. Limit is the most a second the
	// fake's limits let through once the bursts are spent: the global rate,
	// or what all the channels' own limits allow when that is less.
	Sent  int
	Rate  float64
	Limit float64
	// CPUPerSend is the process's CPU time over the window (herald's
	// dispatcher, store and bot, and the in-process fake with them) per
	// message sent; 0 when the system does not give CPU times.
	CPUPerSend time.Duration
	HTTP429    int
	// OutOfOrder counts the pairs of posts in one channel whose messages
	// came in the other order than their (scheduled_at, id).
	OutOfOrder int
}

// Backlog plans cfg.Posts posts over cfg.Channels channels, all due (the
// rows written straight into the store, outside the clock), starts a
// scheduler.Dispatcher as herald run does, sending through bot.Publisher to
// a telegramtest fake, lets it run for cfg.Warmup, then counts the
// messages that reach their channels and the CPU the process spends over
// cfg.Window. A dispatcher whose passes read the whole backlog falls
// behind the limit, and its CPU per send grows with the backlog. It fails
// when the world cannot be built or the dispatcher stops.
func Backlog(ctx context.Context, cfg BacklogConfig) (BacklogResult, error) {
	cfg.defaults()
	res := BacklogResult{Posts: cfg.Posts, Channels: cfg.Channels, Scale: cfg.Scale}
	l := telegramtest.DefaultLimits()
	res.Limit = math.Min(l.GlobalPerSecond, float64(cfg.Channels)*math.Min(l.ChatPerSecond, float64(l.GroupPerMinute)/60)) * cfg.Scale

	r, err := newRig(ctx, cfg.Dir, cfg.Channels, cfg.Scale, cfg.Log)
	if err != nil {
		return res, err
	}
	defer r.close()
	if err := r.bulkPlan(ctx, cfg.Posts, time.Now().Add(-time.Minute)); err != nil {
		return res, err
	}
	d := &scheduler.Dispatcher{Store: r.st, Publisher: r.pub, Log: r.log, Limits: scheduler.TelegramLimits(cfg.Scale), Exclusive: true}
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- d.Start(dctx) }()
	wait := func(dt time.Duration) error {
		t := time.NewTimer(dt)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			return fmt.Errorf("the dispatcher stopped: %v", err)
		}
	}
	if err := wait(cfg.Warmup); err != nil {
		return res, fmt.Errorf("benchmark: backlog: %w", err)
	}
	t0 := time.Now()
	cpu0, cpuErr := processCPU()
	if err := wait(cfg.Window); err != nil {
		return res, fmt.Errorf("benchmark: backlog: %w", err)
	}
	t1 := time.Now()
	cpu1, _ := processCPU()
	cancel()
	if err := <-errc; err != nil {
		return res, fmt.Errorf("benchmark: dispatcher: %w", err)
	}
	sends, _ := r.pub.record()
	for _, s := range sends {
		if !s.end.Before(t0) && s.end.Before(t1) {
			res.Sent++
		}
	}
	res.Rate = rate(res.Sent, t1.Sub(t0))
	if cpuErr == nil && res.Sent > 0 {
		res.CPUPerSend = (cpu1 - cpu0) / time.Duration(res.Sent)
	}
	res.HTTP429 = r.fake.Stats().TooManyRequests
	if res.OutOfOrder, err = r.outOfOrder(ctx); err != nil {
		return res, err
	}
	if res.Sent == 0 {
		return res, fmt.Errorf("benchmark: backlog of %d posts: nothing sent in %s", cfg.Posts, cfg.Window)
	}
	return res, nil
}

// bulkPlan writes n posts due at at, spread evenly over the rig's
// channels (article i on every channel), straight into the store in one
// transaction: the setup of a backlog, which is not what is measured.
func (r *rig) bulkPlan(ctx context.Context, n int, at time.Time) error {
	per := (n + len(r.channels) - 1) / len(r.channels)
	var arts []*herald.Article
	for i := range per {
		a, err := r.article(ctx, i)
		if err != nil {
			return err
		}
		arts = append(arts, a)
	}
	tx, err := r.st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("benchmark: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO posts (article_id, channel_id, purpose, state, scheduled_at,
		scheduled_by, created_at, updated_at) VALUES (?, ?, 'publish', 'scheduled', ?, 'auto', ?, ?)`)
	if err != nil {
		return fmt.Errorf("benchmark: %w", err)
	}
	defer stmt.Close()
	stamp := at.UTC().Format("2006-01-02T15:04:05.000Z")
	made := 0
	for _, a := range arts {
		for _, ch := range r.channels {
			if made == n {
				break
			}
			if _, err := stmt.ExecContext(ctx, a.ID, ch.ID, stamp, stamp, stamp); err != nil {
				return fmt.Errorf("benchmark: plan post %d: %w", made, err)
			}
			made++
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("benchmark: %w", err)
	}
	return nil
}
