package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// Planning defaults.
const (
	DefaultOldAfter       = 24 * time.Hour
	DefaultAnnounceBefore = 60 * time.Minute
	DefaultWatchInterval  = 5 * time.Second
)

// watcherSeqKey is where the watcher keeps how far it has read the
// articles' change sequence.
const watcherSeqKey = "watcher.seq"

// Watcher notices new and changed articles and plans their posts: one per
// matching channel and purpose, at the channel's next free moment. It also
// flags sent posts for correction when their article changes, and cancels
// unsent ones when it is unpublished. Planning is idempotent.
type Watcher struct {
	Store          *store.Store
	Log            *slog.Logger
	Now            func() time.Time
	Zone           string        // channels without a zone read their slots here
	OldAfter       time.Duration // articles older than this on arrival are not planned on their own
	AnnounceBefore time.Duration // how long before air an episode is announced
	Interval       time.Duration // how often to look for changes written by other processes
	// Planned, when set, is called after posts were planned or corrected,
	// e.g. to wake the dispatcher.
	Planned func()
	// Notifier, when set, is told of an article held for an editor.
	Notifier Notifier

	mu       sync.Mutex // serialises sweeps: one planner at a time
	nudge    chan struct{}
	initOnce sync.Once
	chanSig  string // fingerprint of the channels at the last full sweep
	// plans is what this sweep learnt of each channel's taken times, so
	// that planning many articles on one channel reads each stretch of its
	// queue once (see channelPlan). Reset at every sweep: other processes
	// plan and cancel between sweeps.
	plans map[int64]*channelPlan
}

// plan returns the planning state of the channel for this sweep.
func (w *Watcher) channelPlan(ctx context.Context, id int64) *channelPlan {
	p, ok := w.plans[id]
	if !ok {
		p = &channelPlan{taken: newStoreTaken(ctx, w.Store, id)}
		w.plans[id] = p
	}
	return p
}

func (w *Watcher) init() {
	w.initOnce.Do(func() {
		w.nudge = make(chan struct{}, 1)
		if w.Now == nil {
			w.Now = time.Now
		}
		if w.Log == nil {
			w.Log = slog.New(slog.DiscardHandler)
		}
		if w.OldAfter == 0 {
			w.OldAfter = DefaultOldAfter
		}
		if w.AnnounceBefore == 0 {
			w.AnnounceBefore = DefaultAnnounceBefore
		}
		if w.Interval == 0 {
			w.Interval = DefaultWatchInterval
		}
	})
}

// Nudge asks the watcher to look for changes now. It never blocks.
func (w *Watcher) Nudge() {
	w.init()
	select {
	case w.nudge <- struct{}{}:
	default:
	}
}

// Start sweeps at once, then whenever nudged or every Interval, until ctx
// ends. Errors are logged and the next sweep tries again.
func (w *Watcher) Start(ctx context.Context) error {
	w.init()
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		if _, err := w.Sweep(ctx); err != nil && ctx.Err() == nil {
			w.Log.Error("watcher sweep failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.nudge:
		case <-t.C:
		}
	}
}

// Sweep plans posts for every article changed since the last sweep, and,
// when the channels changed, for every recent article on them. It returns
// how many posts it planned or flagged.
func (w *Watcher) Sweep(ctx context.Context) (int, error) {
	w.init()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.plans = map[int64]*channelPlan{}
	channels, err := w.Store.Channels(ctx)
	if err != nil {
		return 0, err
	}
	rules := map[int64]*Rules{}
	for _, ch := range channels {
		r, err := CompileRules(ch, w.Zone)
		if err != nil {
			w.Log.Error("channel rules are invalid; nothing planned on it", "channel", ch.ID, "err", err)
			continue
		}
		rules[ch.ID] = r
	}
	n := 0
	if sig := channelSignature(channels); sig != w.chanSig {
		// New or changed channels: give them what is still fresh.
		recent, err := w.Store.Articles(ctx, store.ArticleFilter{Status: herald.ArticlePublished, Limit: 500})
		if err != nil {
			return n, err
		}
		for i := len(recent) - 1; i >= 0; i-- { // oldest first, so that slots go in order
			k, err := w.plan(ctx, recent[i], channels, rules, w.Now())
			n += k
			if err != nil {
				return n, err
			}
		}
		w.chanSig = sig
	}
	seq, err := w.seq(ctx)
	if err != nil {
		return n, err
	}
	for {
		arts, next, err := w.Store.ArticlesChangedSince(ctx, seq, 200)
		if err != nil {
			return n, err
		}
		for _, a := range arts {
			k, err := w.follow(ctx, a, channels, rules)
			n += k
			if err != nil {
				return n, err
			}
		}
		if next != seq {
			if err := w.Store.SetValue(ctx, watcherSeqKey, strconv.FormatInt(next, 10)); err != nil {
				return n, err
			}
		}
		if len(arts) < 200 {
			break
		}
		seq = next
	}
	if err := w.tellLate(ctx); err != nil {
		return n, err
	}
	if n > 0 && w.Planned != nil {
		w.Planned()
	}
	return n, nil
}

func (w *Watcher) seq(ctx context.Context) (int64, error) {
	v, ok, err := w.Store.Value(ctx, watcherSeqKey)
	if err != nil || !ok {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("watcher: stored position %q: %w", v, err)
	}
	return n, nil
}

// follow handles one new or changed article.
func (w *Watcher) follow(ctx context.Context, a *herald.Article, channels []*herald.Channel, rules map[int64]*Rules) (int, error) {
	if a.Status == herald.ArticleUnpublished {
		cancelled, err := w.Store.CancelPending(ctx, a.ID)
		if err != nil {
			return 0, err
		}
		if cancelled > 0 {
			w.plans = map[int64]*channelPlan{} // moments freed: search them again
		}
		flagged, err := w.Store.MarkSync(ctx, a.ID, a.ContentHash, true)
		if cancelled+flagged > 0 {
			w.Log.Info("article unpublished", "article", a.ID, "cancelled", cancelled, "to_delete", flagged)
		}
		return cancelled + flagged, err
	}
	flagged, err := w.Store.MarkSync(ctx, a.ID, a.ContentHash, false)
	if err != nil {
		return 0, err
	}
	if flagged > 0 {
		w.Log.Info("article changed after it was sent", "article", a.ID, "to_edit", flagged)
	}
	if err := w.askEdits(ctx, a); err != nil {
		return flagged, err
	}
	if a.NeedsEditor != "" && w.wouldTake(a, channels, rules, a.CreatedAt) {
		// Told once per change of the article, not on every sweep, and
		// only when herald would have planned it: an imported archive's
		// old episodes, or ones no channel takes, are nobody's business.
		w.Log.Info("article held for an editor", "article", a.ID, "why", a.NeedsEditor)
		if w.Notifier != nil {
			w.Notifier.Notify(ctx, Event{Kind: EventArticleHeld, Article: a, Reason: a.NeedsEditor})
		}
	}
	planned, err := w.plan(ctx, a, channels, rules, a.CreatedAt)
	return flagged + planned, err
}

// plan places the posts article a needs on every channel that takes it,
// unless it is old news by seen, the moment herald took it in: more than
// OldAfter after it was published (or aired), or more than OldAfter ago.
// Editors may still schedule old news by hand.
func (w *Watcher) plan(ctx context.Context, a *herald.Article, channels []*herald.Channel, rules map[int64]*Rules, seen time.Time) (int, error) {
	now := w.Now()
	if a.Status != herald.ArticlePublished || a.Source == herald.SourceReaders {
		return 0, nil // a roundup goes only where it was made for
	}
	if !a.Breaking && w.isOld(a, seen, now) {
		return 0, nil
	}
	if a.NeedsEditor != "" {
		// Held: herald could not tell when it goes out (an episode whose
		// air day the page does not say); an editor schedules it.
		return 0, nil
	}
	n := 0
	for _, ch := range channels {
		r, ok := rules[ch.ID]
		if !ok || !ch.Accepts(a) {
			continue
		}
		for _, p := range w.postsFor(a, now) {
			k, err := w.place(ctx, a, ch, r, p, now)
			n += k
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// wouldTake reports whether plan would place posts for a were it not
// held for an editor: it is published, not a readers' roundup, not old
// news, and some channel with rules takes its kind and language.
func (w *Watcher) wouldTake(a *herald.Article, channels []*herald.Channel, rules map[int64]*Rules, seen time.Time) bool {
	if a.Status != herald.ArticlePublished || a.Source == herald.SourceReaders {
		return false
	}
	if !a.Breaking && w.isOld(a, seen, w.Now()) {
		return false
	}
	for _, ch := range channels {
		if _, ok := rules[ch.ID]; ok && ch.Accepts(a) {
			return true
		}
	}
	return false
}

func (w *Watcher) isOld(a *herald.Article, seen, now time.Time) bool {
	if now.Sub(seen) > w.OldAfter {
		return true // herald was down longer than the window: do not flood the channels
	}
	if a.AirAt != nil && seen.Sub(*a.AirAt) <= w.OldAfter {
		return false // a recent episode, even if the page is older
	}
	return seen.Sub(a.PublishedAt) > w.OldAfter
}

// wanted is a post an article needs: its purpose, and a fixed time for
// episode posts that follow the air time rather than the channel's slots.
type wanted struct {
	purpose herald.Purpose
	at      time.Time // zero: the channel's next free moment
}

// postsFor lists the posts article a needs. An episode that has not aired
// gets an announcement before air and a post at air time; one that arrives
// after air is posted once, as a recording.
func (w *Watcher) postsFor(a *herald.Article, now time.Time) []wanted {
	if a.Kind != herald.KindEpisode || a.AirAt == nil || !a.AirAt.After(now) {
		return []wanted{{purpose: herald.PurposePublish}}
	}
	out := []wanted{}
	announce := a.AirAt.Add(-w.AnnounceBefore)
	if announce.Before(now) {
		announce = now
	}
	// An announcement minutes before air is noise; the live post follows.
	if a.AirAt.Sub(announce) >= w.AnnounceBefore/4 {
		out = append(out, wanted{purpose: herald.PurposeAnnounce, at: announce})
	}
	return append(out, wanted{purpose: herald.PurposeLive, at: *a.AirAt})
}

// place plans one post unless it exists already.
func (w *Watcher) place(ctx context.Context, a *herald.Article, ch *herald.Channel, r *Rules, want wanted, now time.Time) (int, error) {
	switch _, err := w.Store.PostOf(ctx, a.ID, ch.ID, want.purpose); {
	case err == nil:
		return 0, nil // planned already
	case herald.ErrorCode(err) != herald.ENotFound:
		return 0, err
	}
	after := now
	if a.PublishedAt.After(after) {
		after = a.PublishedAt // published in the future: wait for it
	}
	post := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: want.purpose}}
	if ch.Approval {
		post.State = herald.PostAwaiting // keeps its moment; goes only once approved
	}
	searched := false // the moment was found by the channel's rules
	switch {
	case a.Breaking:
		// A chat's posts leave in the order of their times, so breaking
		// news is planned at the front of the channel's queue: just
		// before the first waiting post that is not breaking news itself,
		// when that one is due already.
		at := after
		front, ok, err := w.Store.QueueFront(ctx, ch.ID)
		if err != nil {
			return 0, err
		}
		if ok && !front.After(at) {
			at = front.Add(-time.Millisecond)
		}
		post.ScheduledAt, post.Priority = at, 1
	case !want.at.IsZero():
		post.ScheduledAt = want.at
		post.Silent = ch.QuietMode == herald.QuietSilent && ch.Quiet.Contains(want.at.In(r.Location()))
	default:
		cp := w.channelPlan(ctx, ch.ID)
		at, silent, err := r.NextIn(cp.start(after), cp.taken)
		if err != nil {
			w.Log.Error("no moment for a post", "article", a.ID, "channel", ch.ID, "err", err)
			return 0, nil
		}
		post.ScheduledAt, post.Silent = at, silent
		searched = true
	}
	at := post.ScheduledAt
	inserted, err := w.Store.PlanPost(ctx, post)
	if err != nil {
		return 0, err
	}
	if !inserted {
		return 0, nil
	}
	if searched {
		w.channelPlan(ctx, ch.ID).planned(after, at)
	} else if cp, ok := w.plans[ch.ID]; ok {
		cp.taken.add(at)
	}
	w.Log.Info("post planned", "post", post.ID, "article", a.ID, "channel", ch.ID,
		"purpose", post.Purpose, "at", post.ScheduledAt.In(r.Location()).Format(time.RFC3339), "state", post.State)
	if post.State == herald.PostAwaiting && w.Notifier != nil {
		w.Notifier.Notify(ctx, Event{Kind: EventApprovalWanted, Post: &post.Post, Article: a, Channel: ch})
	}
	return 1, nil
}

// PlanArticle plans the posts of one article on the channels that take it,
// even when it is old news: what an editor's "schedule" does without a time.
// It returns the posts the article has afterwards.
func (w *Watcher) PlanArticle(ctx context.Context, articleID int64) ([]*store.PostRow, error) {
	w.init()
	w.mu.Lock()
	defer w.mu.Unlock()
	w.plans = map[int64]*channelPlan{}
	a, err := w.Store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if a.Status != herald.ArticlePublished {
		return nil, herald.Sayf(herald.EConflict, herald.PhraseArticleUnpublished, articleID)
	}
	channels, err := w.Store.Channels(ctx)
	if err != nil {
		return nil, err
	}
	now := w.Now()
	for _, ch := range channels {
		if !ch.Accepts(a) {
			continue
		}
		r, err := CompileRules(ch, w.Zone)
		if err != nil {
			return nil, err
		}
		for _, p := range w.postsFor(a, now) {
			if _, err := w.place(ctx, a, ch, r, p, now); err != nil {
				return nil, err
			}
		}
	}
	if w.Planned != nil {
		w.Planned()
	}
	posts, err := w.Store.Posts(ctx, store.PostFilter{ArticleID: a.ID})
	if err == nil && len(posts) == 0 {
		err = herald.Sayf(herald.ENotFound, herald.PhraseNoChannelTakes, a.Kind, a.Language)
	}
	return posts, err
}

func channelSignature(cs []*herald.Channel) string {
	sig := ""
	for _, c := range cs {
		sig += fmt.Sprintf("%d@%s;", c.ID, c.UpdatedAt.Format(time.RFC3339Nano))
	}
	return sig
}
