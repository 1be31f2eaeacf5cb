package scheduler

import (
	"slices"
	"sync"
	"time"
)

// Limits are the sending limits the dispatcher keeps, as Telegram documents
// them for bots: about 30 messages a second overall and 20 a minute in any
// one group or channel.
//
// Each is kept two ways at once. As a sliding window over the moments
// sends start: never more than Global in any GlobalPer. And as a token
// bucket of Global tokens refilled at Global per GlobalPer, charged as if
// each send reached Telegram when its answer came back (and, while it is in
// flight, as if it might at any moment): that is never earlier than it
// really did, so however the network and the machine delay requests, none
// overdraws a bucket Telegram keeps, and a burst of Global after a quiet
// spell goes out at once.
type Limits struct {
	Global     int           // messages per GlobalPer across all chats
	GlobalPer  time.Duration //
	PerChat    int           // messages per ChatPer in one group or channel
	ChatPer    time.Duration //
	SafetyFrac float64       // extra fraction of each window waited, for clocks that drift apart
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
	return Limits{
		Global: 30, GlobalPer: time.Duration(float64(time.Second) / scale),
		PerChat: 20, ChatPer: time.Duration(float64(time.Minute) / scale),
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

// window is one limit: a sliding window over starts (at most max in any
// span of per) and a token bucket charged at answers (max tokens, refilled
// at max per per), kept as a GCRA theoretical arrival time over the sends
// that ended, beside the count of those in flight.
type window struct {
	max      int
	per      time.Duration
	starts   []time.Time // the last max starts, oldest first
	inflight int
	tat      time.Time // when the bucket, charged at each answer, is full again
	until    time.Time // blocked until, after a 429
}

// interval is the time the bucket takes to refill one token.
func (w *window) interval() time.Duration { return w.per / time.Duration(max(w.max, 1)) }

// freeAt returns when the window admits one more send. While the sends in
// flight alone could empty the bucket, that is unknown: it answers one
// window from now, and the end of a send wakes the dispatcher sooner.
func (w *window) freeAt(now time.Time) time.Time {
	t := later(now, w.until)
	if w.max <= 0 {
		return t // no limit
	}
	if n := len(w.starts); n >= w.max {
		t = later(t, w.starts[n-w.max].Add(w.per))
	}
	if w.inflight+1 > w.max {
		return later(t, now.Add(w.per))
	}
	// The bucket holds max - r*(tat-t) tokens at t; every send in flight
	// may take one, and this one needs one more.
	spare := time.Duration(w.max-w.inflight-1) * w.interval()
	return later(t, w.tat.Add(-spare))
}

// take counts a send that starts at at.
func (w *window) take(at time.Time) {
	w.inflight++
	i := len(w.starts)
	for i > 0 && w.starts[i-1].After(at) {
		i--
	}
	w.starts = slices.Insert(w.starts, i, at)
	if len(w.starts) > w.max {
		w.starts = w.starts[len(w.starts)-w.max:]
	}
}

// end records that a send in flight got its answer at at: Telegram took its
// token then at the latest. It does nothing when none is in flight, so that
// it may be called twice for one send.
func (w *window) end(at time.Time) {
	if w.inflight == 0 {
		return
	}
	w.inflight--
	w.tat = later(w.tat, at).Add(w.interval())
}

// recent counts the sends that started within per of now.
func (w *window) recent(now time.Time) int {
	n := 0
	for _, t := range w.starts {
		if now.Sub(t) < w.per {
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

// limiter keeps one global window and one per chat. It is safe for
// concurrent use.
type limiter struct {
	mu     sync.Mutex
	limits Limits
	global *window
	chats  map[string]*window
}

func newLimiter(l Limits) *limiter {
	pad := func(d time.Duration) time.Duration { return d + time.Duration(float64(d)*l.SafetyFrac) }
	l.GlobalPer, l.ChatPer = pad(l.GlobalPer), pad(l.ChatPer)
	return &limiter{limits: l, global: &window{max: l.Global, per: l.GlobalPer}, chats: map[string]*window{}}
}

func (l *limiter) chat(c string) *window {
	w, ok := l.chats[c]
	if !ok {
		w = &window{max: l.limits.PerChat, per: l.limits.ChatPer}
		l.chats[c] = w
	}
	return w
}

// reserve takes one send for chat if both windows admit it by now+ahead,
// and returns when it may start: now, or the moment a place frees within
// ahead. Otherwise it returns false and the earliest moment they might
// admit it. A send taken must be ended with end.
func (l *limiter) reserve(chat string, now time.Time, ahead time.Duration) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat)
	at := later(l.global.freeAt(now), c.freeAt(now))
	if at.After(now.Add(ahead)) {
		return false, at
	}
	l.global.take(at)
	c.take(at)
	return true, at
}

// globalFreeAt returns when the global window admits one more send.
func (l *limiter) globalFreeAt(now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.global.freeAt(now)
}

// end records that the send in flight to chat got its answer (or failed)
// at at. The dispatcher sends one message at a time per chat, so that a
// second call for the same send does nothing.
func (l *limiter) end(chat string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat)
	if c.inflight == 0 {
		return
	}
	c.end(at)
	l.global.end(at)
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
	if global && until.After(l.global.until) {
		l.global.until = until
	}
}

// recentInChat counts the sends to chat within the last chat window, to
// tell a chat's own 429 from a global one.
func (l *limiter) recentInChat(chat string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.chat(chat).recent(now)
}
