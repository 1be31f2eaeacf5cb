package benchmark

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/telegramtest"
)

// Throughput defaults: as many updates as the intake load, spread over
// as many discussion groups as the bot has lanes.
const (
	DefaultThroughputUpdates = 10_000
	DefaultThroughputGroups  = 8
)

// ThroughputConfig is a polling load: Updates readers' comments spread
// over Groups discussion groups, waiting in the fake's queue. Zero values
// take the defaults.
type ThroughputConfig struct {
	Updates int
	Groups  int
	// Timeout bounds the run; zero means 30 s plus 10 ms an update.
	Timeout time.Duration
	// Dir holds the database; "" means a temporary directory removed after.
	Dir string
	// Log receives the bot's log; nil discards it.
	Log *slog.Logger
}

func (c *ThroughputConfig) defaults() {
	if c.Updates <= 0 {
		c.Updates = DefaultThroughputUpdates
	}
	if c.Groups <= 0 {
		c.Groups = DefaultThroughputGroups
	}
	if c.Timeout <= 0 {
		c.Timeout = 30*time.Second + time.Duration(c.Updates)*10*time.Millisecond
	}
}

// ThroughputResult is what one polling run measured.
type ThroughputResult struct {
	Updates int
	// Elapsed runs from the moment the bot's first update reached a
	// handler to the moment the last review was stored; Rate is Updates
	// over it.
	Elapsed time.Duration
	Rate    float64
	// Startup runs from calling (*bot.Bot).Start to the first update
	// reaching a handler: removing a webhook, syncing owners, publishing
	// the command menus and the first getUpdates.
	Startup time.Duration
	// Routed counts the updates the bot routed, Stored the reviews saved.
	Routed int
	Stored int
}

// Throughput queues cfg.Updates readers' comments in a telegramtest fake
// on 127.0.0.1 (no flood limits: nothing is sent), starts the bot's long
// polling as herald run does (*bot.Bot).Start, with its per-chat lanes),
// and measures until every comment has been stored as a review: updates
// per second from getUpdates to handled. It fails when the world cannot be
// built, the bot stops, or not every review is stored within cfg.Timeout;
// the result then holds what was measured so far.
func Throughput(ctx context.Context, cfg ThroughputConfig) (ThroughputResult, error) {
	cfg.defaults()
	res := ThroughputResult{Updates: cfg.Updates}
	dir, cleanup, err := workDir(cfg.Dir)
	if err != nil {
		return res, err
	}
	defer cleanup()
	w, err := openReviewWorld(ctx, filepath.Join(dir, "poll.db"), cfg.Groups)
	if err != nil {
		return res, err
	}
	defer w.st.Close()
	fake := telegramtest.NewServer(telegramtest.WithoutLimits())
	defer fake.Close()
	for i, raw := range w.comments(cfg.Updates) {
		if _, err := fake.InjectUpdate(json.RawMessage(raw)); err != nil {
			return res, fmt.Errorf("benchmark: queue update %d: %w", i, err)
		}
	}
	m := &countingMetrics{want: cfg.Updates, done: make(chan struct{})}
	b, err := bot.New(ctx, bot.Config{Token: fake.Token(), APIURL: fake.URL(), Store: w.st, Log: cfg.Log,
		Metrics: m, PollTimeout: 5 * time.Second})
	if err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}

	rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	bctx, stop := context.WithCancel(rctx)
	defer stop()
	errc := make(chan error, 1)
	start := time.Now()
	go func() { errc <- b.Start(bctx) }()
	var runErr error
	select {
	case <-m.done:
	case <-rctx.Done():
		runErr = fmt.Errorf("benchmark: %d of %d reviews stored: %w", m.storedCount(), cfg.Updates, rctx.Err())
	case err := <-errc:
		errc <- err
		runErr = fmt.Errorf("benchmark: the bot stopped early: %v", err)
	}
	stop()
	if err := <-errc; err != nil && runErr == nil {
		runErr = fmt.Errorf("benchmark: bot: %w", err)
	}
	first, last, routed, stored := m.record()
	res.Routed, res.Stored = routed, stored
	if !first.IsZero() {
		res.Startup = first.Sub(start)
		res.Elapsed = last.Sub(first)
		res.Rate = rate(stored, res.Elapsed)
	}
	if runErr != nil {
		return res, fmt.Errorf("benchmark: throughput of %d updates: %w", cfg.Updates, runErr)
	}
	return res, nil
}

// countingMetrics is the bot's Metrics for Throughput: it notes the first
// update routed and the last review stored, and closes done when want
// reviews have been stored.
type countingMetrics struct {
	mu     sync.Mutex
	first  time.Time
	last   time.Time
	routed int
	stored int
	want   int
	done   chan struct{}
}

var _ bot.Metrics = (*countingMetrics)(nil)

// Update notes an update routed.
func (m *countingMetrics) Update(string) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.first.IsZero() {
		m.first = now
	}
	m.routed++
}

// PollError is ignored: a failing poll shows as a run that times out.
func (m *countingMetrics) PollError() {}

// ReviewIn notes a review stored.
func (m *countingMetrics) ReviewIn(string) {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last = now
	m.stored++
	if m.stored == m.want {
		close(m.done)
	}
}

func (m *countingMetrics) storedCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stored
}

func (m *countingMetrics) record() (first, last time.Time, routed, stored int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.first, m.last, m.routed, m.stored
}
