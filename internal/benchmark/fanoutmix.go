package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Share is one network's part of a mixed fan-out: Posts posts on each of
// Channels channels (accounts, on Mastodon and Bluesky).
type Share struct {
	Channels int
	Posts    int // per channel
}

func (s Share) total() int { return s.Channels * s.Posts }

// The mixed fan-out's default load, at ×10: each network's share takes its
// own limits about ten seconds. Telegram's 40 posts a channel are bound by
// its burst of 3, one a second and 20 in any minute (77 s of API time);
// Mastodon's 8 an account by the burst of 3 then one per 20 s herald keeps
// there (100 s); Bluesky's 50 by its burst of 5 then one per 2 s (90 s).
var (
	DefaultMixTelegram = Share{Channels: 10, Posts: 40}
	DefaultMixMastodon = Share{Channels: 4, Posts: 8}
	DefaultMixBluesky  = Share{Channels: 4, Posts: 50}
)

// DefaultFanOutMixScale is the mixed fan-out's time scale.
const DefaultFanOutMixScale = 10

// FanOutMixConfig is a fan-out over Telegram, Mastodon and Bluesky at once:
// article i goes to every channel of each network whose share has more
// than i posts a channel (the first articles everywhere, the later ones to
// the networks that carry more), all due at once. The fakes' time and
// herald's limits run Scale times faster than real time. A zero share
// takes its default; a share of Channels -1 leaves the network out.
type FanOutMixConfig struct {
	Telegram, Mastodon, Bluesky Share
	Scale                       float64
	// Timeout bounds the run; zero means 30 s plus 20 times the largest
	// minimum.
	Timeout time.Duration
	// Dir holds the database; "" means a temporary directory removed after.
	Dir string
	// Log receives the dispatcher's and the networks' log; nil discards it.
	Log *slog.Logger
}

func (c *FanOutMixConfig) defaults() {
	for _, s := range []struct {
		sh  *Share
		def Share
	}{{&c.Telegram, DefaultMixTelegram}, {&c.Mastodon, DefaultMixMastodon}, {&c.Bluesky, DefaultMixBluesky}} {
		switch {
		case s.sh.Channels < 0 || s.sh.Posts < 0:
			*s.sh = Share{}
		case s.sh.Channels == 0 && s.sh.Posts == 0:
			*s.sh = s.def
		}
	}
	if c.Scale <= 0 {
		c.Scale = DefaultFanOutMixScale
	}
}

// NetworkResult is what a mixed fan-out measured on one network.
type NetworkResult struct {
	Network string
	Share   Share
	// Makespan runs from the network's first send to the moment its last
	// post was there; Minimum is the least its limits allow for its share
	// (NetworkMinimum of the limits the dispatcher keeps for it), Ratio
	// their quotient (0 when the share fits in the bursts).
	Makespan time.Duration
	Minimum  time.Duration
	Ratio    float64
	// Sent counts the network's posts the store holds as sent, Delivered
	// those on the fake (messages in the chats, statuses on the accounts,
	// records in the repos) and Duplicates those repeating one already in
	// the same channel; HTTP429 the 429s the fake served.
	Sent, Delivered, Duplicates, HTTP429 int
}

// FanOutMixResult is what one mixed fan-out measured.
type FanOutMixResult struct {
	Scale    float64
	Posts    int
	Networks []NetworkResult // Telegram, Mastodon, Bluesky; those in the load
	// Makespan runs from the first send on any network to the last post
	// there on any. Ratio is the largest of the networks' ratios, and
	// Worst the network it is of: each network is held to its own limits,
	// so one that paces its share slowly shows even when another's share
	// takes longer.
	Makespan time.Duration
	Ratio    float64
	Worst    *NetworkResult
	// The sums over the networks.
	Sent, Delivered, Duplicates, HTTP429 int
}

// FanOutMix plans the load of cfg on Telegram channels of a telegramtest
// fake, Mastodon accounts of a mastodontest fake and Bluesky accounts of a
// blueskytest fake, all on 127.0.0.1 with their time scaled, and starts one
// scheduler.Dispatcher on it as herald run does: bot.Publisher for
// Telegram with scheduler.TelegramLimits, the mastodon and bluesky
// packages' Networks for the others, each signed in with a token or app
// password made on its fake. It waits until every post has settled. It
// fails when the world cannot be built, the dispatcher stops, or the posts
// do not settle within cfg.Timeout; the result then holds what was
// measured so far.
func FanOutMix(ctx context.Context, cfg FanOutMixConfig) (FanOutMixResult, error) {
	cfg.defaults()
	res := FanOutMixResult{Scale: cfg.Scale}
	m, err := newMixRig(ctx, cfg)
	if err != nil {
		return res, err
	}
	defer m.close()
	tgLimits := scheduler.TelegramLimits(cfg.Scale)
	type lane struct {
		name   string
		share  Share
		chs    []*herald.Channel
		rec    *recorder
		limits scheduler.Limits
	}
	lanes := []lane{
		{herald.NetworkTelegram, cfg.Telegram, m.channels, m.pub, tgLimits},
		{herald.NetworkMastodon, cfg.Mastodon, m.mastoChs, m.mastoNet.recorder, m.mastoNet.Limits()},
		{herald.NetworkBluesky, cfg.Bluesky, m.bskyChs, m.bskyNet.recorder, m.bskyNet.Limits()},
	}
	most := 0
	var largest time.Duration
	for _, l := range lanes {
		if l.share.total() == 0 {
			continue
		}
		per := make([]int, l.share.Channels)
		for i := range per {
			per[i] = l.share.Posts
		}
		nr := NetworkResult{Network: l.name, Share: l.share, Minimum: NetworkMinimum(l.limits, per)}
		largest = max(largest, nr.Minimum)
		res.Networks = append(res.Networks, nr)
		res.Posts += l.share.total()
		most = max(most, l.share.Posts)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30*time.Second + 20*largest
	}

	due := time.Now().Add(-time.Second)
	for i := range most {
		a, err := m.article(ctx, i)
		if err != nil {
			return res, err
		}
		for _, l := range lanes {
			if i >= l.share.Posts {
				continue
			}
			for _, ch := range l.chs {
				if err := m.plan(ctx, a, ch, due); err != nil {
					return res, err
				}
			}
		}
	}

	rctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	var waits []*recorder
	for _, l := range lanes {
		if l.share.total() > 0 {
			l.rec.expect(l.share.total())
			waits = append(waits, l.rec)
		}
	}
	d := &scheduler.Dispatcher{Store: m.st, Publisher: m.pub, Log: m.log, Limits: tgLimits, Exclusive: true,
		Networks: map[string]scheduler.Network{herald.NetworkMastodon: m.mastoNet, herald.NetworkBluesky: m.bskyNet}}
	runErr := runUntil(rctx, d, waits, res.Posts)

	var first, last time.Time
	for i := range res.Networks {
		nr := &res.Networks[i]
		var l lane
		for _, x := range lanes {
			if x.name == nr.Network {
				l = x
			}
		}
		sends, start := l.rec.record()
		var end time.Time
		for _, s := range sends {
			if s.end.After(end) {
				end = s.end
			}
		}
		if !start.IsZero() && !end.IsZero() {
			nr.Makespan = end.Sub(start)
			if first.IsZero() || start.Before(first) {
				first = start
			}
			if end.After(last) {
				last = end
			}
		}
		if nr.Minimum > 0 {
			nr.Ratio = nr.Makespan.Seconds() / nr.Minimum.Seconds()
		}
		if nr.Sent, err = sentOn(ctx, m.st, l.chs); err != nil && runErr == nil {
			runErr = err
		}
		switch nr.Network {
		case herald.NetworkTelegram:
			nr.Delivered, nr.Duplicates = m.delivered()
			nr.HTTP429 = m.fake.Stats().TooManyRequests
		case herald.NetworkMastodon:
			nr.Delivered, nr.Duplicates = m.mastodonDelivered()
			nr.HTTP429 = m.masto.Stats().RateLimited
		case herald.NetworkBluesky:
			if nr.Delivered, nr.Duplicates, err = m.blueskyDelivered(); err != nil && runErr == nil {
				runErr = err
			}
			nr.HTTP429 = m.bsky.Stats().Served429
		}
		res.Sent += nr.Sent
		res.Delivered += nr.Delivered
		res.Duplicates += nr.Duplicates
		res.HTTP429 += nr.HTTP429
		if res.Worst == nil || nr.Ratio > res.Ratio {
			res.Worst, res.Ratio = nr, nr.Ratio
		}
	}
	if !first.IsZero() {
		res.Makespan = last.Sub(first)
	}
	if runErr != nil {
		return res, fmt.Errorf("benchmark: mixed fan-out of %d posts: %w", res.Posts, runErr)
	}
	return res, nil
}

// runUntil starts d and stops it once every recorder of waits has seen its
// posts settle, or when ctx ends (an error then).
func runUntil(ctx context.Context, d *scheduler.Dispatcher, waits []*recorder, want int) error {
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- d.Start(dctx) }()
	var err error
	for _, w := range waits {
		select {
		case <-w.done:
			continue
		case <-ctx.Done():
			n := 0
			for _, w := range waits {
				n += w.settledCount()
			}
			err = fmt.Errorf("%d of %d posts settled: %w", n, want, ctx.Err())
		case err = <-errc:
			return fmt.Errorf("dispatcher stopped early: %w", err)
		}
		break
	}
	cancel()
	if serr := <-errc; serr != nil && err == nil {
		err = fmt.Errorf("dispatcher: %w", serr)
	}
	return err
}

// sentOn counts the posts on chs the store holds as sent.
func sentOn(ctx context.Context, st *store.Store, chs []*herald.Channel) (int, error) {
	ctx = context.WithoutCancel(ctx)
	n := 0
	for _, ch := range chs {
		ps, err := st.Posts(ctx, store.PostFilter{ChannelID: ch.ID, States: []herald.PostState{herald.PostSent}})
		if err != nil {
			return n, fmt.Errorf("benchmark: %w", err)
		}
		n += len(ps)
	}
	return n, nil
}

// NetworkMinimum returns the least time the limits l allow for sending
// perLane[i] posts to lane (chat, account) i, all ready at once: the
// larger of what the global bucket needs, (N - Global) posts at Global per
// GlobalPer for N in all, and what the busiest lane's own limits need
// (LaneMinimum). Each is a lower bound, so their maximum is one too.
// SafetyFrac is not counted: it is herald's own margin, part of what is
// measured.
func NetworkMinimum(l scheduler.Limits, perLane []int) time.Duration {
	total, busiest := 0, 0
	for _, n := range perLane {
		total += n
		busiest = max(busiest, n)
	}
	d := LaneMinimum(l, busiest)
	if l.Global > 0 && l.GlobalPer > 0 && total > l.Global {
		d = max(d, time.Duration(float64(total-l.Global)*float64(l.GlobalPer)/float64(l.Global)))
	}
	return d
}

// LaneMinimum returns the least time from the first to the last of n posts
// sent to one lane as fast as the limits l allow: its bucket (ChatBurst at
// once, then one per ChatGap) and its window (PerChat in any ChatPer).
// Sending each post at the first moment both take it is the fastest any
// sender can go, so the time of the last is the least. It is
// ChannelMinimum for limits in real time, as scheduler.Limits are.
func LaneMinimum(l scheduler.Limits, n int) time.Duration {
	if n <= 0 {
		return 0
	}
	bucket := l.ChatBurst > 0 && l.ChatGap > 0
	gap := l.ChatGap.Seconds()
	times := make([]float64, 0, n) // when each post went, in seconds from the first
	tokens, last := float64(l.ChatBurst), 0.0
	refill := func(to float64) {
		if bucket {
			tokens = math.Min(float64(l.ChatBurst), tokens+(to-last)/gap)
			last = to
		}
	}
	for i := range n {
		t := last
		if bucket && tokens < 1 {
			t += (1 - tokens) * gap
		}
		if w := l.PerChat; w > 0 && l.ChatPer > 0 && i >= w {
			t = math.Max(t, times[i-w]+l.ChatPer.Seconds())
		}
		refill(t)
		if bucket {
			tokens--
		}
		times = append(times, t)
		last = t
	}
	return time.Duration(times[n-1] * float64(time.Second))
}
