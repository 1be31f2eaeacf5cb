package telegramtest

import (
	"math"
	"time"
)

// Limits are the flood limits the fake enforces on messages sent and edited
// (sendMessage, sendPhoto, editMessageText, editMessageCaption,
// editMessageReplyMarkup), in fake time (see WithScale). They are what is
// known of Telegram's own (its Bots FAQ, "My bot is hitting limits, how do
// I avoid this?", and the throttles bot libraries built on it):
//
//   - in any one chat, about one message a second, with short bursts: a
//     token bucket of ChatBurst refilled at ChatPerSecond;
//   - in a group, supergroup or channel also no more than GroupPerMinute
//     messages in any span of a minute (a sliding window, which is why
//     Telegram's retry_after for a busy group runs to tens of seconds
//     rather than the three a refilling bucket would give);
//   - across all chats about 30 messages a second: a token bucket of
//     GlobalBurst refilled at GlobalPerSecond.
//
// A message that any of them refuses gets 429 Too Many Requests with
// parameters.retry_after, the whole fake seconds until every one of them
// would take it (at least 1), and counts against none.
type Limits struct {
	// ChatPerSecond and ChatBurst limit every chat.
	ChatPerSecond float64
	ChatBurst     int
	// GroupPerMinute limits each group, supergroup and channel.
	GroupPerMinute int
	// GlobalPerSecond and GlobalBurst limit the bot as a whole.
	GlobalPerSecond float64
	GlobalBurst     int
}

// DefaultLimits are Telegram's published limits: about one message a
// second in any chat with bursts of three, 20 a minute in a group or
// channel, 30 a second overall.
func DefaultLimits() Limits {
	return Limits{
		ChatPerSecond: 1, ChatBurst: 3,
		GroupPerMinute:  20,
		GlobalPerSecond: 30, GlobalBurst: 30,
	}
}

// bucket is a token bucket in fake time.
type bucket struct {
	perSecond float64
	burst     float64
	tokens    float64
	at        time.Time
}

func (b *bucket) refill(now time.Time) {
	if b.at.IsZero() {
		b.tokens, b.at = b.burst, now
		return
	}
	if now.After(b.at) {
		b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.at).Seconds()*b.perSecond)
		b.at = now
	}
}

// wait is how long until the bucket holds a whole token.
func (b *bucket) wait() time.Duration {
	if b.burst <= 0 || b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.perSecond * float64(time.Second))
}

// window is a sliding window: at most max messages in any minute.
type window struct {
	max   int
	times []time.Time // the accepted messages of the last minute, oldest first
}

// wait is how long until the window takes one more message at now.
func (w *window) wait(now time.Time) time.Duration {
	if w.max <= 0 {
		return 0
	}
	for len(w.times) > 0 && !w.times[0].After(now.Add(-time.Minute)) {
		w.times = w.times[1:]
	}
	if len(w.times) < w.max {
		return 0
	}
	return w.times[len(w.times)-w.max].Add(time.Minute).Sub(now)
}

// chatLimit is what one chat may take.
type chatLimit struct {
	bucket bucket
	window window // groups, supergroups and channels
}

// limiter holds the buckets and windows and when each chat's last 429
// said to come back.
type limiter struct {
	off          bool // limits disabled; 429s forced by faults still count
	limits       Limits
	global       bucket
	chats        map[int64]*chatLimit
	blockedUntil map[int64]time.Time // by chat id; 0 is the global limit
}

func newLimiter(l Limits, off bool) *limiter {
	return &limiter{
		off:          off,
		limits:       l,
		global:       bucket{perSecond: l.GlobalPerSecond, burst: float64(l.GlobalBurst)},
		chats:        map[int64]*chatLimit{},
		blockedUntil: map[int64]time.Time{},
	}
}

// early reports whether a request for the chat came before a retry_after
// it was given had passed.
func (l *limiter) early(chatID int64, now time.Time) bool {
	return now.Before(l.blockedUntil[chatID]) || now.Before(l.blockedUntil[0])
}

// take uses a place for a message to the chat, or returns the whole fake
// seconds to wait (at least 1) when there is none.
func (l *limiter) take(chatID int64, private bool, now time.Time) int {
	if l.off {
		return 0
	}
	c := l.chats[chatID]
	if c == nil {
		c = &chatLimit{bucket: bucket{perSecond: l.limits.ChatPerSecond, burst: float64(l.limits.ChatBurst)}}
		if !private {
			c.window.max = l.limits.GroupPerMinute
		}
		l.chats[chatID] = c
	}
	c.bucket.refill(now)
	l.global.refill(now)
	chatWait := max(c.bucket.wait(), c.window.wait(now))
	if wait := max(chatWait, l.global.wait()); wait > 0 {
		retry := max(1, int(math.Ceil(wait.Seconds())))
		key := chatID
		if l.global.wait() > chatWait {
			key = 0
		}
		l.block(key, now, retry)
		return retry
	}
	if c.bucket.burst > 0 {
		c.bucket.tokens--
	}
	if c.window.max > 0 {
		c.window.times = append(c.window.times, now)
	}
	if l.global.burst > 0 {
		l.global.tokens--
	}
	return 0
}

// block remembers that a 429 told the chat (0: everyone) to wait retry seconds.
func (l *limiter) block(chatID int64, now time.Time, retry int) {
	until := now.Add(time.Duration(retry) * time.Second)
	if until.After(l.blockedUntil[chatID]) {
		l.blockedUntil[chatID] = until
	}
}
