package scheduler

import (
	"sync"
	"time"
)

// Limits are the sending limits the dispatcher keeps, modelled on what is
// known of Telegram's (its Bots FAQ, "My bot is hitting limits", and what
// bot libraries found and built throttles for: python-telegram-bot's
// wiki, grammY's throttler, teloxide's Throttle):
//
//   - about 30 messages a second overall, for a bot sending to many chats:
//     a bucket of Global messages refilled at Global per GlobalPer;
//   - in any one chat about one message a second, with short bursts: a
//     bucket of ChatBurst refilled at one per ChatGap;
//   - in one group or channel no more than 20 messages a minute: at most
//     PerChat messages in any span of ChatPer.
//
// telegramtest enforces the same three (telegramtest.DefaultLimits), so
// that a load bound by any of them can be measured against what the fake
// allows.
//
// Every limit is charged as if each send reached Telegram when its answer
// came back, and, while it is in flight, as if it might at any moment: that
// is never earlier than it really did, so however the network and the
// machine delay requests, none overdraws a limit Telegram keeps.
type Limits struct {
	Global    int           // messages per GlobalPer across all chats, in a burst of as many
	GlobalPer time.Duration //
	PerChat   int           // messages in any ChatPer in one group or channel
	ChatPer   time.Duration //
	ChatBurst int           // messages at once in one chat, then one per ChatGap
	ChatGap   time.Duration //
	// SafetyFrac is the extra fraction of each period waited, for clocks
	// that drift apart.
	SafetyFrac float64
	// TimeScale is how many times faster than real time the Bot API's clock
	// runs: 1 (or 0) for Telegram, f for a fake started with --scale f. A
	// 429's retry_after, in the API's seconds, is divided by it.
	TimeScale float64
}

// TelegramLimits returns Telegram's limits, with time running scale times
// faster (1 for the real thing; a fake started with --scale 10 needs 10).
func TelegramLimits(scale float64) Limits {
	if scale <= 0 {
		scale = 1
	}
	per := func(d time.Duration) time.Duration { return time.Duration(float64(d) / scale) }
	return Limits{
		Global: 30, GlobalPer: per(time.Second),
		PerChat: 20, ChatPer: per(time.Minute),
		ChatBurst: 3, ChatGap: per(time.Second),
		SafetyFrac: 0.01, TimeScale: scale,
	}
}

// apiDuration converts a span the Bot API gave (retry_after) to real time.
func (l Limits) apiDuration(d time.Duration) time.Duration {
	if l.TimeScale <= 0 {
		return d
	}
	return time.Duration(float64(d) / l.TimeScale)
}

// bucket is a token bucket of burst tokens refilled one per interval, kept
// as a GCRA theoretical arrival time: tat is when it is full again.
type bucket struct {
	burst    int
	interval time.Duration
	tat      time.Time
}

// freeAt returns the earliest moment from now on when one more send may
// start with inflight others unanswered: even if all of them and this one
// took their tokens at that moment, the bucket would not be overdrawn.
func (b *bucket) freeAt(now time.Time, inflight int) time.Time {
	if b.burst <= 0 {
		return now // no limit
	}
	if inflight+1 > b.burst {
		return now.Add(time.Duration(b.burst) * b.interval) // an answer wakes the dispatcher sooner
	}
	spare := time.Duration(b.burst-inflight-1) * b.interval
	return later(now, b.tat.Add(-spare))
}

// charge takes the token of a send answered at at.
func (b *bucket) charge(at time.Time) {
	if b.burst > 0 {
		b.tat = later(b.tat, at).Add(b.interval)
	}
}

// slide is a sliding window: at most max messages in any span of per,
// counted at the answers of the last max sends.
type slide struct {
	max  int
	per  time.Duration
	ends []time.Time // oldest first
}

// freeAt returns when one more send may start with inflight others
// unanswered: when enough of the answers counted have left the window.
func (s *slide) freeAt(now time.Time, inflight int) time.Time {
	if s.max <= 0 {
		return now
	}
	need := len(s.ends) + inflight + 1 - s.max // answers that must leave the window first
	if need <= 0 {
		return now
	}
	if need > len(s.ends) {
		return now.Add(s.per)
	}
	return later(now, s.ends[need-1].Add(s.per))
}

func (s *slide) charge(at time.Time) {
	if s.max <= 0 {
		return
	}
	i := len(s.ends)
	for i > 0 && s.ends[i-1].After(at) {
		i--
	}
	s.ends = append(s.ends, time.Time{})
	copy(s.ends[i+1:], s.ends[i:])
	s.ends[i] = at
	if len(s.ends) > s.max {
		s.ends = s.ends[len(s.ends)-s.max:]
	}
}

// recent counts the answers within per of now.
func (s *slide) recent(now time.Time) int {
	n := 0
	for _, t := range s.ends {
		if now.Sub(t) < s.per {
			n++
		}
	}
	return n
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// chatLimit is what one chat may take: its bucket, its window, the sends
// in flight to it and a block after a 429.
type chatLimit struct {
	b        bucket
	s        slide
	inflight int
	until    time.Time
}

func (c *chatLimit) freeAt(now time.Time) time.Time {
	return later(later(now, c.until), later(c.b.freeAt(now, c.inflight), c.s.freeAt(now, c.inflight)))
}

// limiter keeps the global bucket and each chat's limits. It is safe for
// concurrent use.
type limiter struct {
	mu       sync.Mutex
	limits   Limits
	global   bucket
	inflight int       // sends in flight, all chats
	until    time.Time // every chat blocked until, after a global 429
	chats    map[string]*chatLimit
}

func newLimiter(l Limits) *limiter {
	pad := func(d time.Duration) time.Duration { return d + time.Duration(float64(d)*l.SafetyFrac) }
	l.GlobalPer, l.ChatPer, l.ChatGap = pad(l.GlobalPer), pad(l.ChatPer), pad(l.ChatGap)
	return &limiter{limits: l, global: bucket{burst: l.Global, interval: l.GlobalPer / time.Duration(max(l.Global, 1))},
		chats: map[string]*chatLimit{}}
}

func (l *limiter) chat(c string) *chatLimit {
	w, ok := l.chats[c]
	if !ok {
		w = &chatLimit{b: bucket{burst: l.limits.ChatBurst, interval: l.limits.ChatGap},
			s: slide{max: l.limits.PerChat, per: l.limits.ChatPer}}
		l.chats[c] = w
	}
	return w
}

func (l *limiter) globalFree(now time.Time) time.Time {
	return later(l.global.freeAt(now, l.inflight), l.until)
}

// reserve takes one send for chat if the limits admit it by now+ahead, and
// returns when it may start: now, or the moment a place frees within
// ahead. Otherwise it returns false and the earliest moment they might
// admit it. A send taken must be ended with end, or given back with cancel.
func (l *limiter) reserve(chat string, now time.Time, ahead time.Duration) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat)
	at := later(l.globalFree(now), c.freeAt(now))
	if at.After(now.Add(ahead)) {
		return false, at
	}
	l.inflight++
	c.inflight++
	return true, at
}

// globalFreeAt returns when the global limit admits one more send.
func (l *limiter) globalFreeAt(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.globalFree(now)
}

// end records that the send in flight to chat got its answer (or failed
// in a way that may have reached Telegram) at at. The dispatcher sends one
// message at a time per chat, so that a second call for the same send does
// nothing.
func (l *limiter) end(chat string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat)
	if c.inflight == 0 {
		return
	}
	c.inflight--
	l.inflight--
	c.b.charge(at)
	c.s.charge(at)
	l.global.charge(at)
}

// cancel gives back a send reserved and never made (the post was taken
// away, or herald stopped before its turn).
func (l *limiter) cancel(chat string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat)
	if c.inflight == 0 {
		return
	}
	c.inflight--
	l.inflight--
}

// block stops sends to chat until until, after Telegram's 429. When global
// is set, every chat waits: Telegram slowed the bot as a whole.
func (l *limiter) block(chat string, until time.Time, global bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.chat(chat)
	if until.After(w.until) {
		w.until = until
	}
	if global && until.After(l.until) {
		l.until = until
	}
}

// recentInChat counts the sends to chat answered within the last chat
// window, to tell a chat's own 429 from a global one.
func (l *limiter) recentInChat(chat string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.chat(chat).s.recent(now)
}
