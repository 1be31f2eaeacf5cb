package telegramtest

import (
	"math"
	"time"
)

// Limits are the flood limits the fake enforces on messages sent and edited
// (sendMessage, sendPhoto, editMessageText, editMessageCaption,
// editMessageReplyMarkup). Each is a token bucket: Burst messages at once,
// refilled at the given rate, in fake time (see WithScale). A message needs
// a token from its chat's bucket and from the global one; without both it
// gets 429 Too Many Requests with parameters.retry_after, the whole fake
// seconds until both have one (at least 1), and uses up neither.
type Limits struct {
	// PrivatePerSecond and PrivateBurst limit each private chat.
	PrivatePerSecond float64
	PrivateBurst     int
	// GroupPerMinute and GroupBurst limit each group, supergroup and channel.
	GroupPerMinute float64
	GroupBurst     int
	// GlobalPerSecond and GlobalBurst limit the bot as a whole.
	GlobalPerSecond float64
	GlobalBurst     int
}

// DefaultLimits are Telegram's published limits: about one message a second
// in a private chat with bursts of three, 20 a minute in a group or channel,
// 30 a second overall.
func DefaultLimits() Limits {
	return Limits{
		PrivatePerSecond: 1, PrivateBurst: 3,
		GroupPerMinute: 20, GroupBurst: 20,
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
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.perSecond * float64(time.Second))
}

// limiter holds the buckets and when each chat's last 429 said to come back.
type limiter struct {
	off          bool // limits disabled; 429s forced by faults still count
	limits       Limits
	global       bucket
	chats        map[int64]*bucket
	blockedUntil map[int64]time.Time // by chat id; 0 is the global limit
}

func newLimiter(l Limits, off bool) *limiter {
	return &limiter{
		off:          off,
		limits:       l,
		global:       bucket{perSecond: l.GlobalPerSecond, burst: float64(l.GlobalBurst)},
		chats:        map[int64]*bucket{},
		blockedUntil: map[int64]time.Time{},
	}
}

// early reports whether a request for the chat came before a retry_after
// it was given had passed.
func (l *limiter) early(chatID int64, now time.Time) bool {
	return now.Before(l.blockedUntil[chatID]) || now.Before(l.blockedUntil[0])
}

// take uses a token for a message to the chat, or returns the whole fake
// seconds to wait (at least 1) when there is none.
func (l *limiter) take(chatID int64, private bool, now time.Time) int {
	if l.off {
		return 0
	}
	b := l.chats[chatID]
	if b == nil {
		b = &bucket{perSecond: l.limits.GroupPerMinute / 60, burst: float64(l.limits.GroupBurst)}
		if private {
			b = &bucket{perSecond: l.limits.PrivatePerSecond, burst: float64(l.limits.PrivateBurst)}
		}
		l.chats[chatID] = b
	}
	b.refill(now)
	l.global.refill(now)
	wait := max(b.wait(), l.global.wait())
	if wait > 0 {
		retry := max(1, int(math.Ceil(wait.Seconds())))
		key := chatID
		if l.global.wait() > b.wait() {
			key = 0
		}
		l.block(key, now, retry)
		return retry
	}
	b.tokens--
	l.global.tokens--
	return 0
}

// block remembers that a 429 told the chat (0: everyone) to wait retry seconds.
func (l *limiter) block(chatID int64, now time.Time, retry int) {
	until := now.Add(time.Duration(retry) * time.Second)
	if until.After(l.blockedUntil[chatID]) {
		l.blockedUntil[chatID] = until
	}
}
