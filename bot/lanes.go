package bot

import (
	"context"
	"encoding/json"
	"hash/maphash"
	"sync"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Updates are handled in lanes: every update of one chat (and every press
// by one user) goes to the same lane, in the order Telegram sent them, and
// lanes run side by side. A reader's comment is never handled after its
// edit, and one slow chat does not hold up the others.
//
// No one can hold up anyone else:
//   - owners and editors have lanes of their own (staffLanes), so that a
//     crowd of readers never stands between an editor and /queue;
//   - each reader's updates pass a limit (readerLimits) before anything is
//     queued for them: beyond it they are dropped, and a reader who keeps
//     going is muted for a while, the owners told;
//   - handing an update to a lane never blocks the poller: a lane's queue
//     grows instead (the limits keep it short), up to laneCap, past which
//     an update is left in the inbox, to be handled after a restart.
const (
	laneCount  = 8
	staffLanes = 2
	laneCap    = 4096
	// maxCommentRun bounds the comments of a lane stored with one commit
	// (see commentRun).
	maxCommentRun = 64
)

type laneJob struct {
	ctx context.Context
	u   *models.Update
	fn  func(context.Context) // instead of an update: a reply the lane owes (a reader told to slow down)
}

// lane is one ordered worker's queue: a slice, so that adding never waits.
type lane struct {
	mu     sync.Mutex
	jobs   []laneJob
	closed bool
	ready  chan struct{} // a job was added, or the lane closed
}

func newLane() *lane { return &lane{ready: make(chan struct{}, 1)} }

// push adds a job; it reports false when the lane is full or closed.
func (l *lane) push(j laneJob) bool {
	l.mu.Lock()
	if l.closed || len(l.jobs) >= laneCap {
		l.mu.Unlock()
		return false
	}
	l.jobs = append(l.jobs, j)
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default:
	}
	return true
}

// pop waits for the next job; it reports false once the lane is closed and
// empty.
func (l *lane) pop() (laneJob, bool) {
	for {
		l.mu.Lock()
		if len(l.jobs) > 0 {
			j := l.jobs[0]
			l.jobs[0] = laneJob{}
			l.jobs = l.jobs[1:]
			l.mu.Unlock()
			return j, true
		}
		if l.closed {
			l.mu.Unlock()
			return laneJob{}, false
		}
		l.mu.Unlock()
		<-l.ready
	}
}

// popWhile takes, without waiting, up to max of the jobs next in line for
// which ok holds, stopping at the first for which it does not.
func (l *lane) popWhile(max int, ok func(laneJob) bool) []laneJob {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for n < len(l.jobs) && n < max && ok(l.jobs[n]) {
		n++
	}
	out := append([]laneJob(nil), l.jobs[:n]...)
	clear(l.jobs[:n])
	l.jobs = l.jobs[n:]
	return out
}

func (l *lane) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// depth is how many jobs wait.
func (l *lane) depth() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.jobs)
}

var laneSeed = maphash.MakeSeed()

// startLanes starts the lanes' workers; stopLanes lets them finish what
// they hold and stops them.
func (b *Bot) startLanes() {
	b.laneMu.Lock()
	defer b.laneMu.Unlock()
	b.lanes = make([]*lane, laneCount+staffLanes)
	for i := range b.lanes {
		l := newLane()
		b.lanes[i] = l
		b.laneWG.Add(1)
		go func() {
			defer b.laneWG.Done()
			for {
				job, ok := l.pop()
				if !ok {
					return
				}
				if job.fn != nil {
					job.fn(job.ctx)
					continue
				}
				if b.laneComment(job) != nil {
					// The comments queued behind it are stored with it.
					b.commentRun(append([]laneJob{job}, l.popWhile(maxCommentRun-1, func(j laneJob) bool {
						return b.laneComment(j) != nil
					})...))
					continue
				}
				b.recoverer(b.route)(job.ctx, b.tg, job.u)
				b.handled(job.u.ID)
			}
		}()
	}
}

func (b *Bot) stopLanes() {
	b.laneMu.Lock()
	for _, l := range b.lanes {
		l.close()
	}
	b.lanes = nil
	b.laneMu.Unlock()
	b.laneWG.Wait()
	b.forget.flush()
}

// enqueue hands an update to its chat's lane, never waiting: staff to
// their lanes, a reader's only within the reader's limits. Without lanes
// (the bot is not running) the update is handled at once.
func (b *Bot) enqueue(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	b.laneMu.RLock()
	defer b.laneMu.RUnlock()
	if b.lanes == nil {
		b.route(ctx, b.tg, u)
		b.handled(u.ID)
		return
	}
	from := updateFrom(u)
	staff := from != 0 && b.isStaff(ctx, from)
	if !staff && from != 0 {
		switch v := b.readers.admit(from, b.cfg.Now()); v.verdict {
		case readerDropped, readerMuted:
			b.cfg.Metrics.Update("throttled")
			b.handled(u.ID)
			if v.mutedNow {
				b.readerMuted(ctx, u, v)
			}
			if v.tellOnce {
				b.laneFor(laneKey(u), false).push(laneJob{ctx: ctx, fn: func(ctx context.Context) { b.slowDown(ctx, u) }})
			}
			return
		}
	}
	if !b.laneFor(laneKey(u), staff).push(laneJob{ctx: ctx, u: u}) {
		// Left in the inbox: handled after the next start, not lost.
		b.log.Warn("a lane is full; update left for the next start", "update_id", u.ID)
	}
}

// laneFor is the lane of a chat: one of the staff lanes or of the others.
func (b *Bot) laneFor(key int64, staff bool) *lane {
	var h maphash.Hash
	h.SetSeed(laneSeed)
	var k [8]byte
	for i := range k {
		k[i] = byte(key >> (8 * i))
	}
	h.Write(k[:])
	if staff {
		return b.lanes[laneCount+int(h.Sum64()%staffLanes)]
	}
	return b.lanes[h.Sum64()%laneCount]
}

// laneKey is the chat an update belongs to (the user, for a button press).
func laneKey(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MessageReactionCount != nil:
		return u.MessageReactionCount.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return u.ID
}

// updateFrom is the person behind an update, 0 when none (a channel's
// reaction counts, a post in a channel).
func updateFrom(u *models.Update) int64 {
	switch {
	case u.Message != nil && u.Message.From != nil:
		return u.Message.From.ID
	case u.EditedMessage != nil && u.EditedMessage.From != nil:
		return u.EditedMessage.From.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	}
	return 0
}

// handled forgets an update kept in the inbox, now that it was handled:
// soon, with others (see forgetter).
func (b *Bot) handled(id int64) { b.forget.handled(id) }

// replay hands the lanes the updates a stopped herald had received and not
// handled, in order, before polling for new ones. A handler may so see an
// update twice (stopped after handling, before forgetting it); they are
// written to bear that: a review is an upsert, a button carries the
// revision it was drawn for.
func (b *Bot) replay(ctx context.Context) {
	pending, err := b.cfg.Store.PendingUpdates(ctx)
	if err != nil {
		b.log.Error("could not read the updates kept from before", "err", err)
		return
	}
	for _, p := range pending {
		var u models.Update
		if err := json.Unmarshal(p.Raw, &u); err != nil {
			b.handled(p.ID)
			continue
		}
		b.enqueue(ctx, b.tg, &u)
	}
	if len(pending) > 0 {
		b.log.Info("updates received before a stop handled now", "count", len(pending))
	}
}
