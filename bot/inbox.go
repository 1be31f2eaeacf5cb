package bot

import (
	"context"
	"sync"
	"time"
)

// Forgetting handled updates in batches: every update the lanes handle is
// deleted from the inbox, and one commit for each would cost as much as
// the review it carried. An update handled and not yet forgotten when
// herald is killed is handled again at the next start, which handlers are
// written to bear (see replay).
const (
	forgetBatch = 64                    // forget at once when this many are waiting
	forgetAfter = 50 * time.Millisecond // and at the latest this long after the first
)

// forgetter collects the ids of handled updates and deletes them from the
// inbox a batch at a time.
type forgetter struct {
	forget func(ids []int64) error
	warn   func(ids []int64, err error)

	mu    sync.Mutex
	ids   []int64
	timer *time.Timer
}

// handled queues id to be forgotten, and forgets the batch when it is full.
func (f *forgetter) handled(id int64) {
	f.mu.Lock()
	f.ids = append(f.ids, id)
	if len(f.ids) < forgetBatch {
		if f.timer == nil {
			f.timer = time.AfterFunc(forgetAfter, f.flush)
		}
		f.mu.Unlock()
		return
	}
	ids := f.take()
	f.mu.Unlock()
	f.write(ids)
}

// flush forgets every id waiting.
func (f *forgetter) flush() {
	f.mu.Lock()
	ids := f.take()
	f.mu.Unlock()
	f.write(ids)
}

// take empties the batch; f.mu is held.
func (f *forgetter) take() []int64 {
	ids := f.ids
	f.ids = nil
	if f.timer != nil {
		f.timer.Stop()
		f.timer = nil
	}
	return ids
}

func (f *forgetter) write(ids []int64) {
	if len(ids) == 0 {
		return
	}
	if err := f.forget(ids); err != nil && f.warn != nil {
		f.warn(ids, err)
	}
}

// newForgetter forgets through the bot's store, warning in its log.
func (b *Bot) newForgetter() *forgetter {
	return &forgetter{
		forget: func(ids []int64) error { return b.cfg.Store.UpdatesHandled(context.Background(), ids) },
		warn: func(ids []int64, err error) {
			b.log.Warn("could not mark updates handled; they may be handled again after a restart", "count", len(ids), "err", err)
		},
	}
}
