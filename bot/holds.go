package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// chatHolds remembers, per private chat, until when Telegram asked herald
// to leave it alone (a 429's retry_after), so that a reply, an edit and a
// notice to the same person all honour one another's 429s. Safe for
// concurrent use.
type chatHolds struct {
	mu    sync.Mutex
	until map[int64]time.Time
	locks map[int64]*chatLock
}

// chatLock lets one call at a time go to a chat, so that the answer to
// one (a 429) is known before the next is made.
type chatLock struct {
	mu    sync.Mutex
	users int
}

// lock takes chat's lock and returns its release.
func (h *chatHolds) lock(chat int64) func() {
	h.mu.Lock()
	if h.locks == nil {
		h.locks = map[int64]*chatLock{}
	}
	l := h.locks[chat]
	if l == nil {
		l = &chatLock{}
		h.locks[chat] = l
	}
	l.users++
	h.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		h.mu.Lock()
		if l.users--; l.users == 0 {
			delete(h.locks, chat)
		}
		h.mu.Unlock()
	}
}

// hold records a 429 for chat: nothing more before now+d.
func (h *chatHolds) hold(chat int64, now time.Time, d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.until == nil {
		h.until = map[int64]time.Time{}
	}
	if t := now.Add(d); t.After(h.until[chat]) {
		h.until[chat] = t
	}
	for c, t := range h.until {
		if t.Before(now) {
			delete(h.until, c) // long past: forget
		}
	}
}

// left is how long chat is still held at now (0: not held).
func (h *chatHolds) left(chat int64, now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return max(0, h.until[chat].Sub(now))
}

// sleep waits d or until ctx ends, and reports whether it waited it out.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// maxReplyWait is the longest Telegram may ask herald to wait (429) before
// it tries a reply to a person once more.
const maxReplyWait = 10

// patient runs one Bot API call made for a person in chat, one at a time
// in the chat (see chatLock): after any hold
// a 429 put on the chat, and once more after Telegram's retry_after when
// the answer is 429 and the wait is short: a reply a few seconds late
// beats none. Private chats allow about one message a second, and an
// editor pressing buttons goes faster.
func patient[T any](ctx context.Context, h *chatHolds, chat int64, call func() (T, error)) (T, error) {
	defer h.lock(chat)()
	if wait := h.left(chat, time.Now()); wait > 0 && wait <= maxReplyWait*time.Second {
		sleep(ctx, wait)
	}
	v, err := call()
	var tooMany *tgbot.TooManyRequestsError
	if !errors.As(err, &tooMany) {
		return v, err
	}
	wait := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
	h.hold(chat, time.Now(), wait)
	if tooMany.RetryAfter > maxReplyWait || !sleep(ctx, wait) {
		return v, err
	}
	return call()
}
