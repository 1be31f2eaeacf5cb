package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"time"

	"github.com/herald-news/herald/scheduler"
)

// Lateness defaults: enough posts for a p99 that means something, spaced
// so that no limit binds (at scale 10 the fake allows 300 a second).
const (
	DefaultLatenessPosts   = 100
	DefaultLatenessLead    = 500 * time.Millisecond
	DefaultLatenessSpacing = 20 * time.Millisecond
	DefaultLatenessScale   = 10
)

// LatenessConfig is a load where nothing contends: Posts posts, each on a
// channel of its own, the first due Lead after the dispatcher starts and
// each next one Spacing later. Zero values take the defaults.
type LatenessConfig struct {
	Posts   int
	Lead    time.Duration
	Spacing time.Duration
	Scale   float64
	// Timeout bounds the run; zero means 30 s past the last post's time.
	Timeout time.Duration
	// Dir holds the database; "" means a temporary directory removed after.
	Dir string
	// Log receives the dispatcher's and the bot's log; nil discards it.
	Log *slog.Logger
}

func (c *LatenessConfig) defaults() {
	if c.Posts <= 0 {
		c.Posts = DefaultLatenessPosts
	}
	if c.Lead <= 0 {
		c.Lead = DefaultLatenessLead
	}
	if c.Spacing <= 0 {
		c.Spacing = DefaultLatenessSpacing
	}
	if c.Scale <= 0 {
		c.Scale = DefaultLatenessScale
	}
}

// LatenessResult is how late posts went out: for each, the moment its
// message was in the channel (Publish returned) minus its scheduled time.
type LatenessResult struct {
	Samples      int
	P50, P99     time.Duration // nearest-rank percentiles
	Max          time.Duration
	HTTP429      int // 429s the fake served; limits should not bind here
	Sent         int // posts the store holds as sent
	Delivered    int // bot messages in the fake's channels
	Duplicates   int // messages repeating one in the same channel
	EarlyRetries int
}

// Lateness plans cfg.Posts posts on as many channels, a little in the
// future, starts a scheduler.Dispatcher on them as herald run would, and
// measures how late each went out through bot.Publisher to a telegramtest
// fake. It fails when the world cannot be built, the dispatcher stops, or
// the posts do not settle within cfg.Timeout; the result then holds what
// was measured so far.
func Lateness(ctx context.Context, cfg LatenessConfig) (LatenessResult, error) {
	cfg.defaults()
	var res LatenessResult
	span := cfg.Lead + time.Duration(cfg.Posts)*cfg.Spacing
	if cfg.Timeout <= 0 {
		cfg.Timeout = span + 30*time.Second
	}
	r, err := newRig(ctx, cfg.Dir, cfg.Posts, cfg.Scale, cfg.Log)
	if err != nil {
		return res, err
	}
	defer r.close()
	a, err := r.article(ctx, 0)
	if err != nil {
		return res, err
	}
	// The store keeps milliseconds; plan whole ones so that lateness is
	// measured from the time the dispatcher sees.
	start := time.Now().Add(cfg.Lead).Truncate(time.Millisecond)
	for i, ch := range r.channels {
		if err := r.plan(ctx, a, ch, start.Add(time.Duration(i)*cfg.Spacing)); err != nil {
			return res, err
		}
	}
	if late := time.Until(start); late < 0 {
		return res, fmt.Errorf("benchmark: planning %d posts took longer than the lead of %s; give a longer one", cfg.Posts, cfg.Lead)
	}

	rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	runErr := r.run(rctx, scheduler.TelegramLimits(cfg.Scale), cfg.Posts)

	sends, _ := r.pub.record()
	late := make([]time.Duration, 0, len(sends))
	for _, s := range sends {
		late = append(late, s.end.Sub(s.scheduled))
	}
	res.Samples = len(late)
	res.P50, res.P99, res.Max = percentile(late, 0.50), percentile(late, 0.99), percentile(late, 1)
	st := r.fake.Stats()
	res.HTTP429, res.EarlyRetries = st.TooManyRequests, st.EarlyRetries
	res.Delivered, res.Duplicates = r.delivered()
	if res.Sent, err = r.sentPosts(ctx); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return res, fmt.Errorf("benchmark: lateness of %d posts: %w", cfg.Posts, runErr)
	}
	return res, nil
}

// percentile returns the nearest-rank p-th percentile of ds (0 < p <= 1),
// or 0 when ds is empty. It sorts ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(math.Ceil(p*float64(len(ds)))) - 1
	return ds[min(max(i, 0), len(ds)-1)]
}
