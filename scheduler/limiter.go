package scheduler

import (
	"sync"
	"time"
)

// Limits are the sending limits the dispatcher keeps, as Telegram documents
// them for bots: about 30 messages a second overall and 20 a minute in any
// one group or channel.
type Limits struct {
	Global     int           // messages per GlobalPer across all chats
	GlobalPer  time.Duration //
	PerChat    int           // messages per ChatPer in one group or channel
	ChatPer    time.Duration //
	SafetyFrac float64       // extra fraction of each window waited, for clock and network jitter
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
		SafetyFrac: 0.02,
	}
}

// window is a sliding-window limiter: at most max events in any span of
// per. It keeps the times of the last max events.
type window struct {
	max   int
	per   time.Duration
	times []time.Time // oldest first, at most max
	until time.Time   // blocked until, after a 429
}

// freeAt returns when the window admits one more event.
func (w *window) freeAt(now time.Time) time.Time {
	t := now
	if w.until.After(t) {
		t = w.until
	}
	if len(w.times) >= w.max {
		if f := w.times[len(w.times)-w.max].Add(w.per); f.After(t) {
			t = f
		}
	}
	return t
}

func (w *window) take(now time.Time) {
	w.times = append(w.times, now)
	if len(w.times) > w.max {
		w.times = w.times[len(w.times)-w.max:]
	}
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

// reserve takes one send for chat at now if both windows admit it, and
// otherwise returns the earliest moment they might.
func (l *limiter) reserve(chat string, now time.Time) (bool, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.chat(chat)
	g, cf := l.global.freeAt(now), c.freeAt(now)
	if g.After(now) || cf.After(now) {
		if cf.After(g) {
			return false, cf
		}
		return false, g
	}
	l.global.take(now)
	c.take(now)
	return true, now
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
	n := 0
	for _, t := range l.chat(chat).times {
		if now.Sub(t) < l.limits.ChatPer {
			n++
		}
	}
	return n
}
