package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// Dispatch defaults.
const (
	DefaultLease       = 2 * time.Minute
	DefaultSendTimeout = 30 * time.Second
	DefaultMaxAttempts = 8
	DefaultGrace       = 8 * time.Second
	// DefaultRetryBackoff is the wait before the second attempt at a send
	// that surely did not reach its network; it doubles with every attempt, up
	// to ten minutes. With DefaultMaxAttempts a post holds its chat's queue
	// for about four minutes before it fails.
	DefaultRetryBackoff = 2 * time.Second
	maxBackoff          = 10 * time.Minute
	batch               = 200
	idleWait            = time.Second
	// lookahead: a pass also reserves places in the limits that free
	// within GlobalPer/lookahead, each post claimed and sent when its place
	// comes, so that sends ending one by one do not cost a pass each.
	lookahead = 4
)

// Dispatcher sends due posts through a Publisher per network, within each
// network's limits (Telegram's, and each Network's per account).
//
// Within one chat (or account) posts leave in the order of (scheduled_at, post id), one
// at a time: a pass looks only at each channel's first waiting post (one
// index seek per channel, however long the queue), and a first post
// waiting for a retry holds the others behind it. A post is claimed
// (sending, under a lease) at its place in the limits, just before its
// request is written, then sent; the outcome, and the remote message id,
// are recorded in the transaction that leaves sending. It retries what
// surely did not reach the network, and what may have when the network
// will recognise the repeat by its key (Network.CanRepeat: Mastodon's
// Idempotency-Key while it is kept, Bluesky's record key); any other
// ambiguous send becomes unknown and the owners are told. It also carries corrections (edits, deletions) to
// posts already sent.
type Dispatcher struct {
	Store     *store.Store
	Publisher Publisher // Telegram's
	// Networks are the other networks' publishers, by network name
	// (herald.NetworkMastodon...). A channel on a network missing here
	// keeps its posts waiting, and the dispatcher says so in its log.
	Networks map[string]Network
	Notifier Notifier // may be nil
	Observer Observer // may be nil; hears of every send settled, for metrics
	Log      *slog.Logger
	Now      func() time.Time
	Limits   Limits
	// Exclusive says this process is the only dispatcher on the database
	// (herald run holds a lock file), so that every post found in sending at
	// start was left by a process that died mid-send.
	Exclusive   bool
	Lease       time.Duration
	SendTimeout time.Duration
	MaxAttempts int
	Grace       time.Duration // how long in-flight sends may finish after ctx ends
	// Links is the base of herald's short links (HERALD_LINKS), "" for
	// none: a post's "Read on the site" then links to the article itself.
	Links string
	// RetryBackoff is the first wait before a send that surely did not go
	// out is tried again; it doubles with each attempt. Default
	// DefaultRetryBackoff.
	RetryBackoff time.Duration

	initOnce sync.Once
	lim      *limiter            // Telegram's
	lims     map[string]*limiter // the other networks', by name
	missing  map[string]bool     // networks without a publisher, already logged
	wake     chan struct{}
	wg       sync.WaitGroup

	writeMu sync.Mutex // see write

	mu       sync.Mutex
	busy     map[string]bool     // chats with a send reserved or in flight: one at a time keeps order
	syncing  map[int64]bool      // posts being corrected
	lastSent map[int64]time.Time // per channel, for pacing by the minimum gap
	sendCtx  context.Context
	cancel   context.CancelFunc
}

func (d *Dispatcher) init() {
	d.initOnce.Do(func() {
		if d.Now == nil {
			d.Now = time.Now
		}
		if d.Log == nil {
			d.Log = slog.New(slog.DiscardHandler)
		}
		if d.Limits.Global == 0 {
			d.Limits = TelegramLimits(1)
		}
		if d.Lease == 0 {
			d.Lease = DefaultLease
		}
		if d.SendTimeout == 0 {
			d.SendTimeout = DefaultSendTimeout
		}
		if d.MaxAttempts == 0 {
			d.MaxAttempts = DefaultMaxAttempts
		}
		if d.Grace == 0 {
			d.Grace = DefaultGrace
		}
		if d.RetryBackoff == 0 {
			d.RetryBackoff = DefaultRetryBackoff
		}
		d.lim = newLimiter(d.Limits)
		d.lims = map[string]*limiter{}
		for name, n := range d.Networks {
			d.lims[name] = newLimiter(n.Limits())
		}
		d.missing = map[string]bool{}
		d.wake = make(chan struct{}, 1)
		d.busy = map[string]bool{}
		d.syncing = map[int64]bool{}
		d.lastSent = map[int64]time.Time{}
		d.sendCtx, d.cancel = context.WithCancel(context.Background())
	})
}

// Wake asks the dispatcher to look for due posts now. It never blocks.
func (d *Dispatcher) Wake() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Start dispatches until ctx ends, then stops claiming, lets in-flight sends
// finish (for at most Grace; those cut short become unknown) and returns.
func (d *Dispatcher) Start(ctx context.Context) error {
	d.init()
	if err := d.Recover(ctx); err != nil {
		return err
	}
	for {
		next, err := d.Dispatch(ctx)
		if err != nil && ctx.Err() == nil {
			d.Log.Error("dispatch failed", "err", err)
			next = d.Now().Add(idleWait)
		}
		wait := time.Until(next)
		if wait > idleWait {
			wait = idleWait // other processes (the CLI, editors) may add work
		}
		t := time.NewTimer(max(wait, time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			d.drain()
			return nil
		case <-d.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// drain waits for in-flight sends, cutting them short after Grace.
func (d *Dispatcher) drain() {
	done := make(chan struct{})
	go func() { d.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d.Grace):
		d.cancel()
		<-done
	}
}

// Wait blocks until every send started so far has settled. Tests use it
// after Dispatch.
func (d *Dispatcher) Wait() { d.wg.Wait() }

// stoppedMidSend is the reason the owners are given for a post a stopped
// herald left in sending (the store records the same).
const stoppedMidSend = "herald stopped while sending; check the channel, then settle it"

// Recover turns posts left in sending by a dead process into unknown and
// tells the owners. With Exclusive, every such post is orphaned; otherwise
// only those whose lease ran out.
func (d *Dispatcher) Recover(ctx context.Context) error {
	d.init()
	cutoff := d.Now()
	if d.Exclusive {
		cutoff = cutoff.Add(100 * 365 * 24 * time.Hour)
	}
	if err := d.repeatOrphans(ctx, cutoff); err != nil {
		return err
	}
	if d.noticesInStore() {
		if err := d.recoverOrphans(ctx, cutoff); err != nil {
			return err
		}
	} else if err := d.recoverTold(ctx, cutoff); err != nil {
		return err
	}
	last, err := d.Store.LastSent(ctx)
	if err != nil {
		return err
	}
	d.mu.Lock()
	d.lastSent = last
	d.mu.Unlock()
	return nil
}

// noticeStorer is a Notifier that keeps the notices it owes in Store (the
// bot does, store.AddNotice) and delivers them from there when woken.
type noticeStorer interface{ WakeNotices() }

// noticesInStore says whether posts left in sending are turned unknown
// with their notices stored in one transaction (store.RecoverOrphans),
// rather than told through Notify one by one.
func (d *Dispatcher) noticesInStore() bool {
	_, ok := d.Notifier.(noticeStorer)
	return ok
}

// repeatOrphans puts the posts a stopped herald left in sending back in
// the queue when their network can take a repeat of their send without a
// second copy (see Network.CanRepeat): nobody needs to settle those.
func (d *Dispatcher) repeatOrphans(ctx context.Context, cutoff time.Time) error {
	if len(d.Networks) == 0 {
		return nil
	}
	posts, err := d.Store.Sending(ctx, cutoff)
	if err != nil {
		return err
	}
	for _, p := range posts {
		ch, err := d.Store.Channel(ctx, p.ChannelID)
		if err != nil {
			return err
		}
		n, ok := d.Networks[ch.Network]
		// Without a key its request was never written: the key is stored first.
		if !ok || p.SendKey != "" && !n.CanRepeat(&p.Post, d.Now()) {
			continue
		}
		d.Log.Warn("post left in sending by a stopped herald is sent again with the same key", "post", p.ID, "network", ch.Network, "key", p.SendKey)
		mark := d.Store.MarkRepeat
		if p.SendKey == "" {
			mark = d.Store.MarkRetry // nothing was written
		}
		if err := mark(ctx, p.ID, d.Now(), "herald stopped while sending; repeating with the same key"); err != nil {
			return err
		}
	}
	return nil
}

// recoverOrphans turns posts left in sending (lease ended before cutoff)
// into unknown and stores their notices in the same transaction, then
// wakes the notices' sender: nothing is sent to anyone before the
// dispatcher goes on, and a post's orphan notice is stored once.
func (d *Dispatcher) recoverOrphans(ctx context.Context, cutoff time.Time) error {
	orphans, err := d.Store.RecoverOrphans(ctx, cutoff, stoppedMidSend)
	if err != nil {
		return err
	}
	for _, p := range orphans {
		d.Log.Warn("post left in sending by a stopped herald is now unknown", "post", p.ID, "channel", p.ChannelID)
	}
	if w, ok := d.Notifier.(noticeStorer); ok && len(orphans) > 0 {
		w.WakeNotices()
	}
	return nil
}

// recoverTold is Recover for a Notifier that keeps nothing: with
// Exclusive, the owners hear of each orphan before it leaves sending (a
// kill in between leaves it to be found, and told of, again: twice at
// worst, never turned unknown unannounced).
func (d *Dispatcher) recoverTold(ctx context.Context, cutoff time.Time) error {
	if d.Exclusive {
		left, err := d.Store.Posts(ctx, store.PostFilter{States: []herald.PostState{herald.PostSending}})
		if err != nil {
			return err
		}
		for _, p := range left {
			d.Log.Warn("post left in sending by a stopped herald is now unknown", "post", p.ID, "channel", p.ChannelID)
			d.notify(ctx, EventPostUnknown, &p.Post, nil, stoppedMidSend)
		}
	}
	orphans, err := d.Store.OrphanSending(ctx, cutoff)
	if err != nil {
		return err
	}
	for _, p := range orphans {
		if !d.Exclusive {
			d.Log.Warn("post left in sending by a stopped herald is now unknown", "post", p.ID, "channel", p.ChannelID)
			d.notify(ctx, EventPostUnknown, &p.Post, nil, p.LastError)
		}
	}
	return nil
}

// Dispatch starts a send for every chat whose next post is due and that
// the limits allow now (or within the lookahead), and returns when it
// should next look.
func (d *Dispatcher) Dispatch(ctx context.Context) (time.Time, error) {
	d.init()
	now := d.Now()
	next := now.Add(idleWait)
	soonest := func(t time.Time) {
		if t.Before(next) {
			next = t
		}
	}
	if !d.Exclusive && d.noticesInStore() {
		if err := d.recoverOrphans(ctx, now); err != nil {
			return next, err
		}
	} else if !d.Exclusive {
		orphans, err := d.Store.OrphanSending(ctx, now)
		if err != nil {
			return next, err
		}
		for _, p := range orphans {
			d.Log.Warn("post whose lease ran out in sending is now unknown", "post", p.ID, "channel", p.ChannelID)
			d.notify(ctx, EventPostUnknown, &p.Post, nil, p.LastError)
		}
	}
	ahead := d.Limits.GlobalPer / lookahead
	if t := d.lim.globalFreeAt(now); len(d.Networks) == 0 && t.After(now.Add(ahead/2)) {
		// Nothing may go out before t; a send that ends wakes the loop
		// sooner. Skipping the queries keeps a busy fan-out from spending
		// a core on passes that cannot send.
		soonest(t.Add(-ahead / 2))
		return next, nil
	}
	channels, err := d.channels(ctx)
	if err != nil {
		return next, err
	}
	if err := d.correct(ctx, channels, now, soonest); err != nil {
		return next, err
	}
	// A chat busy now is left to the end of its send, which wakes the loop:
	// its first waiting post, read below, may be the very post reserved.
	// Only this loop makes a chat busy, so those free now stay free until
	// it takes them.
	d.mu.Lock()
	busy := maps.Clone(d.busy)
	d.mu.Unlock()
	heads, err := d.Store.QueueHeads(ctx)
	if err != nil {
		return next, err
	}
	due := heads[:0]
	for _, p := range heads {
		ch := channels[p.ChannelID]
		if ch == nil || busy[lane(ch)] || !d.canSend(ch) {
			continue
		}
		at := p.ScheduledAt
		if p.NextAttemptAt != nil && p.NextAttemptAt.After(at) {
			at = *p.NextAttemptAt // held for a retry, and holding the posts behind it
		}
		if at.After(now) {
			soonest(at)
			continue
		}
		due = append(due, p)
	}
	// Breaking news first, then the longest waiting: who gets the next
	// places in the global limit when there are fewer than chats.
	slices.SortFunc(due, func(a, b *store.PostRow) int {
		if a.Priority != b.Priority {
			return b.Priority - a.Priority
		}
		if c := a.ScheduledAt.Compare(b.ScheduledAt); c != 0 {
			return c
		}
		return int(a.ID - b.ID)
	})
	for _, p := range due {
		if ctx.Err() != nil {
			return next, nil
		}
		ch := channels[p.ChannelID]
		if t, ok := d.paced(ch, now); !ok {
			soonest(t)
			continue
		}
		at, ok := d.acquireAt(ch, now, ahead, soonest)
		if !ok {
			continue
		}
		d.wg.Add(1)
		go d.send(p, ch, at)
	}
	return next, nil
}

func (d *Dispatcher) channels(ctx context.Context) (map[int64]*herald.Channel, error) {
	cs, err := d.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*herald.Channel, len(cs))
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

// paced reports whether the channel's minimum gap has passed since its last
// post, so that posts caught up after downtime go out spaced, not in a
// burst. Otherwise it returns when it will have.
func (d *Dispatcher) paced(ch *herald.Channel, now time.Time) (time.Time, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	last, ok := d.lastSent[ch.ID]
	if !ok || ch.MinGap <= 0 {
		return now, true
	}
	t := last.Add(time.Duration(ch.MinGap))
	return t, !t.After(now)
}

// lane names the chat (or account) of ch across networks: sends in one
// lane go one at a time, in order, under one set of its network's limits.
func lane(ch *herald.Channel) string {
	if ch.Network == herald.NetworkTelegram || ch.Network == "" {
		return ch.Chat
	}
	return ch.Network + ":" + ch.Chat
}

// publisher returns the Publisher of ch's network.
func (d *Dispatcher) publisher(ch *herald.Channel) Publisher {
	if n, ok := d.Networks[ch.Network]; ok {
		return n
	}
	return d.Publisher
}

// limiter returns the limiter of ch's network and its limits.
func (d *Dispatcher) limiter(ch *herald.Channel) (*limiter, Limits) {
	if l, ok := d.lims[ch.Network]; ok {
		return l, d.Networks[ch.Network].Limits()
	}
	return d.lim, d.Limits
}

// canSend reports whether the dispatcher has a publisher for ch's network,
// saying once in its log when it has not.
func (d *Dispatcher) canSend(ch *herald.Channel) bool {
	if ch.Network == herald.NetworkTelegram || ch.Network == "" || d.Networks[ch.Network] != nil {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.missing[ch.Network] {
		d.missing[ch.Network] = true
		d.Log.Error("posts wait: herald has no publisher for this network", "network", ch.Network, "channel", ch.ID)
	}
	return false
}

// acquire takes ch's chat for one send now: none other in flight there,
// and a place in both rate windows.
func (d *Dispatcher) acquire(ch *herald.Channel, now time.Time, soonest func(time.Time)) bool {
	if !d.canSend(ch) {
		return false
	}
	_, ok := d.acquireAt(ch, now, 0, soonest)
	return ok
}

// acquireAt takes ch's chat for one send that may start by now+ahead, and
// returns when it may.
func (d *Dispatcher) acquireAt(ch *herald.Channel, now time.Time, ahead time.Duration, soonest func(time.Time)) (time.Time, bool) {
	chat := lane(ch)
	lim, _ := d.limiter(ch)
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.busy[chat] {
		return time.Time{}, false // its completion wakes the loop
	}
	ok, at := lim.reserve(chat, now, ahead)
	if !ok {
		soonest(at.Add(-ahead / 2)) // to claim it, and others, ahead of its turn
		return time.Time{}, false
	}
	d.busy[chat] = true
	return at, true
}

// write runs one of the frequent writes of a busy dispatch (claims, sends
// recorded) one at a time. SQLite admits one writer and makes the others
// retry after sleeping a millisecond or more; queued here, they wait only
// for each other, for microseconds.
func (d *Dispatcher) write(f func() error) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	return f()
}

// release frees ch's chat after its send settled (or never started),
// ending its place in the limiter if the send did not already.
func (d *Dispatcher) release(ch *herald.Channel) {
	chat := lane(ch)
	lim, _ := d.limiter(ch)
	lim.end(chat, d.Now())
	d.mu.Lock()
	delete(d.busy, chat)
	d.mu.Unlock()
	d.Wake()
}

// send waits for the post's place in the limits, at, then claims it and
// publishes it at once, and settles it. The post enters sending only when
// its request is about to be written: stopped, or taken away by an editor,
// before its turn, it stays in the queue as it was.
func (d *Dispatcher) send(p *store.PostRow, ch *herald.Channel, at time.Time) {
	defer d.wg.Done()
	defer d.release(ch)
	lim, _ := d.limiter(ch)
	chat := lane(ch)
	// Settling must happen even when herald is stopping.
	ctx := context.WithoutCancel(d.sendCtx)
	a, err := d.Store.Article(ctx, p.ArticleID)
	if err != nil {
		lim.cancel(chat)
		d.Log.Error("could not read the article of a due post; trying again on the next pass", "post", p.ID, "err", err)
		return
	}
	if wait := at.Sub(d.Now()); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-d.sendCtx.Done():
			t.Stop()
			lim.cancel(chat)
			return
		}
	}
	var claimed bool
	err = d.write(func() (err error) {
		claimed, err = d.Store.ClaimDue(ctx, p.ID, p.Rev, d.Now().Add(d.Lease))
		return err
	})
	if err != nil || !claimed {
		// Cancelled, moved or unpublished meanwhile: nothing went out.
		lim.cancel(chat)
		if err != nil {
			d.Log.Error("could not claim a due post", "post", p.ID, "err", err)
		}
		return
	}
	p.State, p.Attempts = herald.PostSending, p.Attempts+1
	dl := Delivery{Post: &p.Post, Article: a, Channel: ch}
	if err := dress(ctx, d.Store, d.Links, &dl); err != nil {
		// Claimed, nothing written to the network: surely not sent.
		lim.end(chat, d.Now())
		d.settle(ctx, p, ch, a, Receipt{}, &SendError{Failure: NotSent, Err: err})
		return
	}
	if _, ok := d.Networks[ch.Network]; ok {
		// The key goes to the database before the request is written, so
		// that whatever becomes of this attempt, the next one says the same.
		now := d.Now()
		key, at, err := d.Store.SetSendKey(ctx, p.ID, herald.TID(now, uint(p.ID)), now)
		if err != nil {
			// Claimed, nothing written to the network: surely not sent.
			lim.end(chat, d.Now())
			d.settle(ctx, p, ch, a, Receipt{}, &SendError{Failure: NotSent, Err: fmt.Errorf("store its send key: %w", err)})
			return
		}
		p.SendKey, p.SendKeyAt = key, &at
		// A repeat of a send that may have gone out is safe only while the
		// network knows its key; one that waited past that (a 429, the
		// channel's gap) is the editors' to settle.
		if n := d.Networks[ch.Network]; p.MaybeSent && !n.CanRepeat(&p.Post, now) {
			lim.cancel(chat) // nothing is written
			d.settle(ctx, p, ch, a, Receipt{}, &SendError{Failure: Ambiguous,
				Err: fmt.Errorf("an earlier send may have reached %s, and its key is too old to repeat safely", ch.Network)})
			return
		}
	}
	sctx, cancel := context.WithTimeout(d.sendCtx, d.SendTimeout)
	rec, err := d.publisher(ch).Publish(sctx, dl)
	cancel()
	// The network saw the request by now, if ever: the limiter charges its
	// token here, the latest it can have been taken, so that no delay on
	// the way can bunch requests up at the network's end unnoticed.
	lim.end(chat, d.Now())
	d.settle(ctx, p, ch, a, rec, err)
}

// settle records the outcome of one send.
func (d *Dispatcher) settle(ctx context.Context, p *store.PostRow, ch *herald.Channel, a *herald.Article, rec Receipt, err error) {
	log := d.Log.With("post", p.ID, "channel", ch.ID, "network", ch.Network, "chat", ch.Chat, "attempt", p.Attempts)
	now := d.Now()
	if err == nil {
		err := d.write(func() error {
			if rec.RemoteID != "" {
				return d.Store.MarkSentRemote(ctx, p.ID, rec.RemoteID, a.ContentHash)
			}
			return d.Store.MarkSent(ctx, p.ID, rec.MessageID, rec.ExtraIDs, a.ContentHash)
		})
		if err != nil {
			// The message is out but not recorded. Never send it twice: tell
			// the owners first, then try to record it as unknown; if even
			// that fails, it stays in sending and the next start tells again.
			reason := fmt.Sprintf("sent as message %s, but herald could not record it: %v", receiptName(rec), err)
			log.Error("post sent but not recorded", "message_id", receiptName(rec), "err", err)
			d.notify(ctx, EventPostUnknown, &p.Post, a, reason)
			if err := d.write(func() error { return d.Store.MarkUnknown(ctx, p.ID, reason) }); err != nil {
				log.Error("could not record a sent post as unknown either", "err", err)
			}
			return
		}
		d.mu.Lock()
		d.lastSent[ch.ID] = now
		d.mu.Unlock()
		if d.Observer != nil {
			d.Observer.Sent(ch, now.Sub(p.ScheduledAt))
		}
		log.Info("post sent", "message_id", receiptName(rec), "lateness", now.Sub(p.ScheduledAt).Round(time.Millisecond))
		return
	}
	se := classify(err)
	reason := se.Error()
	// Where the owners must hear of the outcome, they hear before it is
	// recorded: a kill in between leaves the post in sending, to be told
	// of again at the next start, rather than settled unannounced.
	if d.Observer != nil {
		d.Observer.Failed(ch, se.Failure)
	}
	var serr error
	switch se.Failure {
	case RateLimited:
		lim, limits := d.limiter(ch)
		until := now.Add(limits.apiDuration(se.RetryAfter))
		// On Telegram a 429 in a chat that sent little means the bot as a
		// whole is slowed; elsewhere limits are the account's.
		global := ch.IsTelegram() && lim.recentInChat(lane(ch), now) < limits.PerChat/2
		lim.block(lane(ch), until, global)
		log.Warn("the network asked to slow down", "retry_after", se.RetryAfter, "global", global)
		serr = d.Store.MarkRetry(ctx, p.ID, until, reason)
	case NotSent:
		if p.Attempts >= d.MaxAttempts {
			log.Error("post failed after retries", "err", reason)
			d.notify(ctx, EventPostFailed, &p.Post, a, reason)
			serr = d.Store.MarkFailed(ctx, p.ID, reason)
			break
		}
		next := now.Add(backoff(d.RetryBackoff, p.Attempts))
		log.Warn("send did not reach the network; will retry", "err", reason, "next", next)
		serr = d.Store.MarkRetry(ctx, p.ID, next, reason)
	case Migrated:
		chat := strconv.FormatInt(se.MigrateTo, 10)
		log.Warn("group migrated to a supergroup; moving the channel", "to", chat)
		if serr = d.Store.MoveChannelChat(ctx, ch.ID, chat); serr == nil {
			serr = d.Store.MarkRetry(ctx, p.ID, now, reason)
		}
	case Forbidden:
		log.Error("herald may not post in the channel; pausing it", "err", reason)
		d.notify(ctx, EventPostFailed, &p.Post, a, reason)
		serr = d.Store.MarkFailed(ctx, p.ID, reason)
		// Worded as the bot words a lost right, so that it is said in each language.
		why := "the bot lost its rights in the chat (" + reason + ")"
		if !ch.IsTelegram() {
			why = "the network refused herald's account (" + reason + ")"
		}
		if changed, err := d.Store.SetChannelPaused(ctx, ch.ID, true, why); err == nil && changed {
			d.notify(ctx, EventChannelPaused, nil, a, reason, ch)
		}
	case Permanent:
		log.Error("the network refused the post", "err", reason)
		d.notify(ctx, EventPostFailed, &p.Post, a, reason)
		serr = d.Store.MarkFailed(ctx, p.ID, reason)
	default: // Ambiguous
		if n, ok := d.Networks[ch.Network]; ok && p.Attempts < d.MaxAttempts && n.CanRepeat(&p.Post, now) {
			// The network will recognise the repeat by its key: send again
			// rather than ask an editor.
			// Not before the first request could still be at work there: a
			// network that stores the key with the post it made (Mastodon)
			// would not know it yet.
			next := now.Add(max(backoff(d.RetryBackoff, p.Attempts), d.SendTimeout))
			log.Warn("send may or may not have reached the network; repeating it with the same key", "err", reason, "next", next, "key", p.SendKey)
			serr = d.Store.MarkRepeat(ctx, p.ID, next, reason+"; repeating with the same key")
			break
		}
		log.Error("send may or may not have reached the network; post is unknown", "err", reason)
		d.notify(ctx, EventPostUnknown, &p.Post, a, reason)
		serr = d.Store.MarkUnknown(ctx, p.ID, reason)
	}
	if serr != nil {
		log.Error("could not record the outcome of a send", "err", serr)
	}
}

// receiptName is how a receipt is named in logs and notices.
func receiptName(r Receipt) string {
	if r.RemoteID != "" {
		return r.RemoteID
	}
	return strconv.FormatInt(r.MessageID, 10)
}

// backoff returns the wait before attempt n+1: doubling from base up to
// maxBackoff, with ±20% jitter so that retries do not march in step.
func backoff(base time.Duration, n int) time.Duration {
	d := base << min(n-1, 12)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

func (d *Dispatcher) notify(ctx context.Context, kind EventKind, p *herald.Post, a *herald.Article, reason string, ch ...*herald.Channel) {
	if d.Notifier == nil {
		return
	}
	ev := Event{Kind: kind, Post: p, Article: a, Reason: reason}
	if len(ch) > 0 {
		ev.Channel = ch[0]
	} else if p != nil {
		ev.Channel, _ = d.Store.Channel(ctx, p.ChannelID)
	}
	d.Notifier.Notify(ctx, ev)
}
