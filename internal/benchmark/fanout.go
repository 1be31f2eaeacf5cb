package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/telegramtest"
)

// Fan-out defaults: issue 4's load.
const (
	DefaultFanOutPosts    = 1000
	DefaultFanOutChannels = 50
	DefaultFanOutScale    = 10
)

// FanOutConfig is a fan-out load: Posts posts spread evenly over Channels
// channels, all due at once, with the fake's time and herald's limits both
// running Scale times faster than real time. Zero values take the defaults.
type FanOutConfig struct {
	Posts    int
	Channels int
	Scale    float64
	// Timeout bounds the run; zero means 30 s plus 20 times the minimum.
	Timeout time.Duration
	// Dir holds the database; "" means a temporary directory removed after.
	Dir string
	// Log receives the dispatcher's and the bot's log; nil discards it.
	Log *slog.Logger
	// Faults are injected into the fake before the run (say 502s for the
	// first sends to a chat), to see retries keep each chat's order.
	Faults []telegramtest.Fault
}

func (c *FanOutConfig) defaults() {
	if c.Posts <= 0 {
		c.Posts = DefaultFanOutPosts
	}
	if c.Channels <= 0 {
		c.Channels = DefaultFanOutChannels
	}
	if c.Scale <= 0 {
		c.Scale = DefaultFanOutScale
	}
}

// FanOutResult is what one fan-out run measured.
type FanOutResult struct {
	Posts    int
	Channels int
	Scale    float64
	// Makespan runs from the first claim (the first Publish call, which
	// follows it at once) to the moment the last message was in its channel.
	Makespan time.Duration
	// Minimum is the least makespan the fake's limits allow for the load
	// (see MinimumMakespan), and Ratio is Makespan over Minimum; 0 when the
	// load fits in the bursts and Minimum is 0.
	Minimum time.Duration
	Ratio   float64
	// HTTP429 counts the 429 Too Many Requests the fake served, and
	// EarlyRetries the requests that came before a retry_after had passed.
	HTTP429      int
	EarlyRetries int
	// Sent counts the posts the store holds as sent; Delivered the bot's
	// messages in the fake's channels; Duplicates the messages that repeat
	// one already in the same channel. Every post sent exactly once means
	// Sent == Delivered == Posts and Duplicates == 0.
	Sent       int
	Delivered  int
	Duplicates int
	// OutOfOrder counts the pairs of posts in one channel whose messages
	// came in the other order than their (scheduled_at, id).
	OutOfOrder int
}

// FanOut plans cfg.Posts posts on cfg.Channels channels (article i on every
// channel, as a story fanned out to a newsroom's channels), all due now,
// starts a scheduler.Dispatcher on them as herald run would, with
// scheduler.TelegramLimits(cfg.Scale), publishing through bot.Publisher to
// a telegramtest fake with telegramtest.WithScale(cfg.Scale), and waits
// until every post has settled. It fails when the world cannot be built,
// the dispatcher stops, or the posts do not settle within cfg.Timeout; the
// result then holds what was measured so far.
func FanOut(ctx context.Context, cfg FanOutConfig) (FanOutResult, error) {
	cfg.defaults()
	res := FanOutResult{Posts: cfg.Posts, Channels: cfg.Channels, Scale: cfg.Scale}
	per := make([]int, cfg.Channels)
	for i := range cfg.Posts {
		per[i%cfg.Channels]++
	}
	res.Minimum = MinimumMakespan(telegramtest.DefaultLimits(), cfg.Scale, per)
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30*time.Second + 20*res.Minimum
	}

	r, err := newRig(ctx, cfg.Dir, cfg.Channels, cfg.Scale, cfg.Log)
	if err != nil {
		return res, err
	}
	defer r.close()
	for _, f := range cfg.Faults {
		if err := r.fake.InjectFault(f); err != nil {
			return res, fmt.Errorf("benchmark: %w", err)
		}
	}
	due := time.Now().Add(-time.Second)
	for i := 0; i*cfg.Channels < cfg.Posts; i++ {
		a, err := r.article(ctx, i)
		if err != nil {
			return res, err
		}
		for j := 0; j < cfg.Channels && i*cfg.Channels+j < cfg.Posts; j++ {
			if err := r.plan(ctx, a, r.channels[j], due); err != nil {
				return res, err
			}
		}
	}

	rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	runErr := r.run(rctx, scheduler.TelegramLimits(cfg.Scale), cfg.Posts)

	sends, first := r.pub.record()
	var last time.Time
	for _, s := range sends {
		if s.end.After(last) {
			last = s.end
		}
	}
	if !first.IsZero() && !last.IsZero() {
		res.Makespan = last.Sub(first)
	}
	if res.Minimum > 0 {
		res.Ratio = res.Makespan.Seconds() / res.Minimum.Seconds()
	}
	st := r.fake.Stats()
	res.HTTP429, res.EarlyRetries = st.TooManyRequests, st.EarlyRetries
	res.Delivered, res.Duplicates = r.delivered()
	if res.Sent, err = r.sentPosts(ctx); err != nil && runErr == nil {
		runErr = err
	}
	if res.OutOfOrder, err = r.outOfOrder(ctx); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return res, fmt.Errorf("benchmark: fan-out of %d posts to %d channels: %w", cfg.Posts, cfg.Channels, runErr)
	}
	return res, nil
}

// MinimumMakespan returns the least time the fake's limits allow for
// sending perChat[i] messages to channel i, all ready at once, with time
// running scale times faster: the larger of what the global bucket needs,
// (N - GlobalBurst) / GlobalPerSecond for N messages in all, and what the
// busiest channel's own limits need (ChannelMinimum). Each is a lower
// bound, so their maximum is one too; a load within the bursts needs no
// time at all.
func MinimumMakespan(l telegramtest.Limits, scale float64, perChat []int) time.Duration {
	if scale <= 0 {
		scale = 1
	}
	total, busiest := 0, 0
	for _, n := range perChat {
		total += n
		busiest = max(busiest, n)
	}
	secs := 0.0
	if l.GlobalPerSecond > 0 {
		secs = math.Max(secs, float64(max(0, total-l.GlobalBurst))/l.GlobalPerSecond)
	}
	secs = math.Max(secs, ChannelMinimum(l, busiest).Seconds())
	return time.Duration(secs / scale * float64(time.Second))
}

// ChannelMinimum returns the least time, in the fake's seconds, from the
// first to the last of n messages sent to one channel as fast as its limits
// allow: its bucket (ChatBurst at once, then ChatPerSecond) and its window
// (GroupPerMinute in any minute). Sending each message at the first moment
// both take it is the fastest any sender can go, so the time of the last
// is the least.
func ChannelMinimum(l telegramtest.Limits, n int) time.Duration {
	if n <= 0 {
		return 0
	}
	var times []float64 // when each message went, in seconds from the first
	tokens, last := float64(l.ChatBurst), 0.0
	for i := range n {
		t := last
		if l.ChatPerSecond > 0 && l.ChatBurst > 0 {
			// Refill to t, then wait for a whole token.
			tokens = math.Min(float64(l.ChatBurst), tokens+(t-last)*l.ChatPerSecond)
			if tokens < 1 {
				t += (1 - tokens) / l.ChatPerSecond
				tokens = 1
			}
		}
		if w := l.GroupPerMinute; w > 0 && i >= w {
			if need := times[i-w] + 60; need > t {
				if l.ChatPerSecond > 0 && l.ChatBurst > 0 {
					tokens = math.Min(float64(l.ChatBurst), tokens+(need-t)*l.ChatPerSecond)
				}
				t = need
			}
		}
		tokens--
		times = append(times, t)
		last = t
	}
	return time.Duration(times[n-1] * float64(time.Second))
}

// OrderFaults are the faults of the order check for a load over the given
// number of channels: the third channel's chat answers 502 to its first two
// sends and the seventh's (or the last's) to its first, so that retried
// posts must still keep their chat's order.
func OrderFaults(channels int) []telegramtest.Fault {
	chat := func(i int) int64 { return firstChat - int64(min(i, channels-1)) }
	return []telegramtest.Fault{{Method: "sendMessage", ChatID: chat(2), Status: 502, Count: 2},
		{Method: "sendMessage", ChatID: chat(6), Status: 502, Count: 1}}
}
