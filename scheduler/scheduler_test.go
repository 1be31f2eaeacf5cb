package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
func (c *clock) add(d time.Duration) { c.set(c.now().Add(d)) }

// publisher is a fake at the network edge: it records what it was asked to
// send and fails as told.
type publisher struct {
	mu      sync.Mutex
	sent    []scheduler.Delivery
	edited  []int64
	deleted []int64
	fail    []error // errors to return from the next Publish calls, in order
	nextID  int64
}

func (p *publisher) Publish(ctx context.Context, d scheduler.Delivery) (scheduler.Receipt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.fail) > 0 {
		err := p.fail[0]
		p.fail = p.fail[1:]
		if err != nil {
			return scheduler.Receipt{}, err
		}
	}
	p.sent = append(p.sent, d)
	p.nextID++
	return scheduler.Receipt{MessageID: 100 + p.nextID}, nil
}

func (p *publisher) Edit(ctx context.Context, d scheduler.Delivery, r scheduler.Receipt) (scheduler.Receipt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.edited = append(p.edited, r.MessageID)
	return r, nil
}

func (p *publisher) Delete(ctx context.Context, ch *herald.Channel, r scheduler.Receipt) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deleted = append(p.deleted, r.MessageID)
	return nil
}

func (p *publisher) count() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.sent) }

type rig struct {
	t      *testing.T
	ctx    context.Context
	clock  *clock
	st     *store.Store
	pub    *publisher
	w      *scheduler.Watcher
	d      *scheduler.Dispatcher
	events []scheduler.Event
	mu     sync.Mutex
}

func newRig(t *testing.T) *rig {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)} // 12:00 in Baku
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, ctx: context.Background(), clock: c, st: st, pub: &publisher{}}
	r.w = &scheduler.Watcher{Store: st, Now: c.now, Zone: "Asia/Baku"}
	r.d = &scheduler.Dispatcher{Store: st, Publisher: r.pub, Now: c.now, Exclusive: true,
		Notifier: scheduler.NotifierFunc(func(ctx context.Context, ev scheduler.Event) {
			r.mu.Lock()
			r.events = append(r.events, ev)
			r.mu.Unlock()
		})}
	return r
}

func (r *rig) channel(mut func(*herald.Channel)) *herald.Channel {
	r.t.Helper()
	ch := &herald.Channel{Network: "telegram", Chat: "-1001", Title: "DQ English", Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if mut != nil {
		mut(ch)
	}
	if ch.Title == "DQ English" && ch.Chat != "-1001" {
		ch.Title = "DQ " + ch.Chat // titles are unique
	}
	if err := r.st.CreateChannel(r.ctx, ch); err != nil {
		r.t.Fatal(err)
	}
	return ch
}

func (r *rig) article(id string, mut func(*herald.Article)) *herald.Article {
	r.t.Helper()
	a := &herald.Article{Source: "test", ExternalID: id, Kind: herald.KindCommentary, Language: herald.LangEnglish,
		Title: "Title " + id, Lead: "Lead.", Body: "Body.", PublishedAt: r.clock.now()}
	if mut != nil {
		mut(a)
	}
	if _, err := r.st.UpsertArticle(r.ctx, a); err != nil {
		r.t.Fatal(err)
	}
	return a
}

func (r *rig) sweep() int {
	r.t.Helper()
	n, err := r.w.Sweep(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

func (r *rig) dispatch() {
	r.t.Helper()
	if _, err := r.d.Dispatch(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	r.d.Wait()
}

func (r *rig) posts(states ...herald.PostState) []*store.PostRow {
	r.t.Helper()
	ps, err := r.st.Posts(r.ctx, store.PostFilter{States: states})
	if err != nil {
		r.t.Fatal(err)
	}
	return ps
}

func (r *rig) eventKinds() []scheduler.EventKind {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []scheduler.EventKind
	for _, e := range r.events {
		out = append(out, e.Kind)
	}
	return out
}

func TestAnArticleReachesEveryMatchingChannelOnce(t *testing.T) {
	r := newRig(t)
	en := r.channel(nil)
	r.channel(func(c *herald.Channel) { c.Chat, c.Language = "-1002", herald.LangRussian })
	r.channel(func(c *herald.Channel) { c.Chat, c.Kinds = "-1003", []herald.Kind{herald.KindEpisode} })
	r.article("a1", nil)

	if n := r.sweep(); n != 1 {
		t.Fatalf("planned %d posts, want 1 (only the English commentary channel matches)", n)
	}
	if n := r.sweep(); n != 0 {
		t.Fatalf("a second sweep planned %d more", n)
	}
	r.dispatch()
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatalf("published %d times", r.pub.count())
	}
	sent := r.posts(herald.PostSent)
	if len(sent) != 1 || sent[0].ChannelID != en.ID || sent[0].MessageID == 0 {
		t.Fatalf("sent posts: %+v", sent)
	}
}

func TestPlanningFollowsSlotsAndWaitsForThem(t *testing.T) {
	r := newRig(t)
	r.channel(func(c *herald.Channel) { c.Slots = []string{"0 19 * * *"} })
	r.article("a1", nil)
	r.sweep()
	p := r.posts()[0]
	want := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC) // 19:00 in Baku
	if !p.ScheduledAt.Equal(want) {
		t.Fatalf("scheduled at %v, want %v", p.ScheduledAt, want)
	}
	r.dispatch()
	if r.pub.count() != 0 {
		t.Fatal("a post went out before its slot")
	}
	r.clock.set(want)
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatal("the post did not go out at its slot")
	}
}

func TestMissedSlotsAreCaughtUpInOrderAndPaced(t *testing.T) {
	r := newRig(t)
	r.channel(func(c *herald.Channel) {
		c.Slots = []string{"0 13 * * *", "0 14 * * *", "0 15 * * *"}
		c.MinGap = herald.Duration(10 * time.Minute)
	})
	r.article("a1", nil)
	r.article("a2", nil)
	r.article("a3", nil)
	r.sweep()
	// herald was down from before 13:00 to 16:00 Baku time.
	r.clock.set(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC))
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatalf("after downtime %d posts went out at once; want 1, then the gap", r.pub.count())
	}
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatal("the minimum gap was not kept while catching up")
	}
	r.clock.add(10 * time.Minute)
	r.dispatch()
	r.clock.add(10 * time.Minute)
	r.dispatch()
	if r.pub.count() != 3 {
		t.Fatalf("%d of 3 missed posts caught up", r.pub.count())
	}
	for i, d := range r.pub.sent {
		if want := []string{"a1", "a2", "a3"}[i]; d.Article.ExternalID != want {
			t.Fatalf("post %d was %s, want %s: caught up out of order", i, d.Article.ExternalID, want)
		}
	}
}

func TestOldNewsIsStoredButNotPlanned(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("old", func(a *herald.Article) { a.PublishedAt = r.clock.now().Add(-72 * time.Hour) })
	r.article("breaking", func(a *herald.Article) {
		a.PublishedAt = r.clock.now().Add(-72 * time.Hour)
		a.Breaking = true
	})
	r.sweep()
	ps := r.posts()
	if len(ps) != 1 {
		t.Fatalf("%d posts planned, want only the breaking one", len(ps))
	}
	if _, err := r.w.PlanArticle(r.ctx, 1); err != nil {
		t.Fatalf("an editor could not schedule old news: %v", err)
	}
	if len(r.posts()) != 2 {
		t.Fatal("editor's schedule of old news planned nothing")
	}
}

func TestBreakingNewsGoesAheadOfTheQueue(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.article("a2", nil)
	r.article("urgent", func(a *herald.Article) { a.Breaking = true })
	r.sweep()
	r.dispatch()
	if len(r.pub.sent) != 1 || r.pub.sent[0].Article.ExternalID != "urgent" {
		t.Fatalf("first post out: %+v", r.pub.sent)
	}
}

func TestEpisodesAreAnnouncedAndPostedAtAirTime(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	air := r.clock.now().Add(5 * time.Hour)
	r.article("ep", func(a *herald.Article) { a.Kind, a.AirAt = herald.KindEpisode, &air })
	late := r.clock.now().Add(-2 * time.Hour)
	r.article("rec", func(a *herald.Article) {
		a.Kind, a.AirAt, a.PublishedAt = herald.KindEpisode, &late, late.Add(-time.Hour)
	})
	r.sweep()
	byPurpose := map[string]time.Time{}
	for _, p := range r.posts() {
		a, _ := r.st.Article(r.ctx, p.ArticleID)
		byPurpose[a.ExternalID+"/"+string(p.Purpose)] = p.ScheduledAt
	}
	if len(byPurpose) != 3 {
		t.Fatalf("posts: %v", byPurpose)
	}
	if got := byPurpose["ep/announce"]; !got.Equal(air.Add(-time.Hour)) {
		t.Fatalf("announcement at %v, want an hour before air", got)
	}
	if got := byPurpose["ep/live"]; !got.Equal(air) {
		t.Fatalf("live post at %v, want air time %v", got, air)
	}
	if _, ok := byPurpose["rec/publish"]; !ok {
		t.Fatal("an episode that arrived after air was not posted as a recording")
	}
}

func TestRateLimitedSendsWaitForRetryAfter(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.sweep()
	r.pub.fail = []error{&scheduler.SendError{Failure: scheduler.RateLimited, RetryAfter: 7 * time.Second}}
	r.dispatch()
	p := r.posts()[0]
	if p.State != herald.PostScheduled || p.NextAttemptAt == nil || !p.NextAttemptAt.Equal(r.clock.now().Add(7*time.Second)) {
		t.Fatalf("after 429: %+v", p)
	}
	r.clock.add(6 * time.Second)
	r.dispatch()
	if r.pub.count() != 0 {
		t.Fatal("sent again before retry_after passed")
	}
	r.clock.add(2 * time.Second)
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatal("not sent after retry_after")
	}
}

func TestSendsThatSurelyFailedAreRetriedThenFail(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.sweep()
	r.d.MaxAttempts = 3
	down := &scheduler.SendError{Failure: scheduler.NotSent, Err: errors.New("502 Bad Gateway")}
	r.pub.fail = []error{down, down, down}
	for i := 0; i < 3; i++ {
		r.dispatch()
		r.clock.add(time.Hour)
	}
	p := r.posts()[0]
	if p.State != herald.PostFailed || p.Attempts != 3 || r.pub.count() != 0 {
		t.Fatalf("after three failures: %+v", p)
	}
	if k := r.eventKinds(); len(k) != 1 || k[0] != scheduler.EventPostFailed {
		t.Fatalf("events: %v", k)
	}
}

func TestAmbiguousSendsBecomeUnknownAndAreNotRepeated(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.sweep()
	r.pub.fail = []error{errors.New("read tcp: connection reset by peer")}
	r.dispatch()
	r.clock.add(time.Hour)
	r.dispatch()
	p := r.posts()[0]
	if p.State != herald.PostUnknown || r.pub.count() != 0 {
		t.Fatalf("after an ambiguous send: %+v, %d sends", p, r.pub.count())
	}
	if k := r.eventKinds(); len(k) != 1 || k[0] != scheduler.EventPostUnknown {
		t.Fatalf("owners were not told: %v", k)
	}
}

func TestForbiddenPausesTheChannel(t *testing.T) {
	r := newRig(t)
	ch := r.channel(nil)
	r.article("a1", nil)
	r.article("a2", nil)
	r.sweep()
	r.pub.fail = []error{&scheduler.SendError{Failure: scheduler.Forbidden, Err: errors.New("bot was kicked")}}
	r.dispatch()
	got, _ := r.st.Channel(r.ctx, ch.ID)
	if !got.Paused || got.PauseReason == "" {
		t.Fatalf("channel after 403: %+v", got)
	}
	r.dispatch()
	if r.pub.count() != 0 {
		t.Fatal("posted to a paused channel")
	}
	if len(r.posts(herald.PostFailed)) != 1 || len(r.posts(herald.PostPlanned)) != 1 {
		t.Fatal("want one failed post and one still waiting")
	}
}

func TestMigratedGroupsMoveTheChannelAndResend(t *testing.T) {
	r := newRig(t)
	ch := r.channel(func(c *herald.Channel) { c.Chat = "-42" })
	r.article("a1", nil)
	r.sweep()
	r.pub.fail = []error{&scheduler.SendError{Failure: scheduler.Migrated, MigrateTo: -1009}}
	r.dispatch()
	r.dispatch()
	got, _ := r.st.Channel(r.ctx, ch.ID)
	if got.Chat != "-1009" || r.pub.count() != 1 || r.pub.sent[0].Channel.Chat != "-1009" {
		t.Fatalf("after migration: chat %s, %d sends", got.Chat, r.pub.count())
	}
}

func TestPostsLeftSendingByADeadProcessBecomeUnknown(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.sweep()
	p := r.posts()[0]
	if ok, _ := r.st.ClaimPost(r.ctx, p.ID, r.clock.now().Add(time.Hour)); !ok {
		t.Fatal("claim")
	}
	if err := r.d.Recover(r.ctx); err != nil {
		t.Fatal(err)
	}
	r.dispatch()
	if got := r.posts()[0]; got.State != herald.PostUnknown || r.pub.count() != 0 {
		t.Fatalf("orphaned post: %+v, %d sends", got, r.pub.count())
	}
}

func TestChangedArticlesAreEditedAndUnpublishedOnesDeleted(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	a := r.article("a1", nil)
	b := r.article("a2", nil)
	r.sweep()
	r.dispatch()
	r.dispatch()
	if r.pub.count() != 2 {
		t.Fatalf("%d sent", r.pub.count())
	}
	a.Body = "Corrected body."
	if _, err := r.st.UpsertArticle(r.ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := r.st.SetArticleStatus(r.ctx, b.ID, herald.ArticleUnpublished); err != nil {
		t.Fatal(err)
	}
	r.sweep()
	r.dispatch()
	r.clock.add(2 * time.Second) // one message at a time per chat, and about one a second
	r.dispatch()
	if len(r.pub.edited) != 1 || len(r.pub.deleted) != 1 {
		t.Fatalf("edited %v deleted %v", r.pub.edited, r.pub.deleted)
	}
	if len(r.posts(herald.PostEdited)) != 1 || len(r.posts(herald.PostDeleted)) != 1 {
		t.Fatal("post states do not show the corrections")
	}
	r.sweep()
	r.dispatch()
	if len(r.pub.edited) != 1 || len(r.pub.deleted) != 1 {
		t.Fatal("a correction was applied twice")
	}
}

func TestUnpublishingCancelsPostsNotYetSent(t *testing.T) {
	r := newRig(t)
	r.channel(func(c *herald.Channel) { c.Slots = []string{"0 19 * * *"} })
	a := r.article("a1", nil)
	r.sweep()
	r.st.SetArticleStatus(r.ctx, a.ID, herald.ArticleUnpublished)
	r.sweep()
	if ps := r.posts(herald.PostCancelled); len(ps) != 1 {
		t.Fatalf("pending post of an unpublished article: %+v", r.posts())
	}
}

func TestAPostBeingSentCannotBeMovedByAnEditor(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.sweep()
	p := r.posts()[0]
	if ok, _ := r.st.ClaimPost(r.ctx, p.ID, r.clock.now().Add(time.Minute)); !ok {
		t.Fatal("claim")
	}
	q := &scheduler.Queue{Store: r.st, Watcher: r.w, Now: r.clock.now}
	if _, err := q.Reschedule(r.ctx, scheduler.CLI, p.ID, store.AnyRev, r.clock.now().Add(time.Hour)); herald.ErrorCode(err) != herald.EConflict {
		t.Fatalf("rescheduling a post being sent: %v, want a conflict", err)
	}
	if _, err := q.Cancel(r.ctx, scheduler.CLI, p.ID, store.AnyRev); herald.ErrorCode(err) != herald.EConflict {
		t.Fatalf("cancelling a post being sent: %v, want a conflict", err)
	}
	if err := r.st.MarkSent(r.ctx, p.ID, 77, nil, "h"); err != nil {
		t.Fatalf("the send could not be recorded: %v", err)
	}
}

func TestAnArticleUnpublishedWhileItsPostWasSentIsDeleted(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	a := r.article("a1", nil)
	r.sweep()
	p := r.posts()[0]
	r.st.ClaimPost(r.ctx, p.ID, r.clock.now().Add(time.Minute))
	// The CMS unpublishes while the message is on its way.
	r.st.SetArticleStatus(r.ctx, a.ID, herald.ArticleUnpublished)
	r.sweep()
	if err := r.st.MarkSent(r.ctx, p.ID, 77, nil, a.ContentHash); err != nil {
		t.Fatal(err)
	}
	r.dispatch()
	if len(r.pub.deleted) != 1 || r.pub.deleted[0] != 77 {
		t.Fatalf("deleted %v, want message 77", r.pub.deleted)
	}
}

func TestAnUnpublishDuringAnEditIsNotLost(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	a := r.article("a1", nil)
	r.sweep()
	r.dispatch()
	a.Body = "Changed."
	r.st.UpsertArticle(r.ctx, a)
	r.sweep() // flags an edit
	p := r.posts(herald.PostSent)[0]
	if p.Sync != "edit" {
		t.Fatalf("sync %q", p.Sync)
	}
	// The unpublish lands while the edit is in flight; the edit then ends.
	r.st.SetArticleStatus(r.ctx, a.ID, herald.ArticleUnpublished)
	r.sweep()
	if err := r.st.SyncDone(r.ctx, p.ID, "edit", herald.PostEdited, "x", ""); err != nil {
		t.Fatal(err)
	}
	r.dispatch()
	if len(r.pub.deleted) != 1 {
		t.Fatalf("the unpublish that came during the edit was lost: deleted %v", r.pub.deleted)
	}
}

func TestRetryGivesAFailedPostItsAttemptsBack(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.article("a1", nil)
	r.sweep()
	r.d.MaxAttempts = 2
	down := &scheduler.SendError{Failure: scheduler.NotSent, Err: errors.New("502")}
	r.pub.fail = []error{down, down, down}
	r.dispatch()
	r.clock.add(time.Hour)
	r.dispatch()
	p := r.posts()[0]
	if p.State != herald.PostFailed {
		t.Fatalf("state %s", p.State)
	}
	q := &scheduler.Queue{Store: r.st, Watcher: r.w, Now: r.clock.now}
	if _, err := q.Retry(r.ctx, scheduler.CLI, p.ID, store.AnyRev); err != nil {
		t.Fatal(err)
	}
	r.dispatch() // fails once more: with attempts back, it is retried, not failed
	if got := r.posts()[0]; got.State != herald.PostScheduled || got.Attempts != 1 {
		t.Fatalf("after retry and one more failure: %s, %d attempts", got.State, got.Attempts)
	}
	r.clock.add(time.Hour)
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatal("the retried post never went out")
	}
}

func TestAPostEntersSendingOnlyAtItsPlaceInTheLimits(t *testing.T) {
	r := newRig(t)
	// One message at a time in the chat, the next 300 ms later; a pass
	// reserves places up to a second ahead.
	r.d.Limits = scheduler.Limits{Global: 30, GlobalPer: 4 * time.Second, ChatBurst: 1, ChatGap: 300 * time.Millisecond}
	r.channel(nil)
	r.article("a1", nil)
	r.article("a2", nil)
	r.sweep()
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatalf("%d sent, want the first", r.pub.count())
	}
	if _, err := r.d.Dispatch(r.ctx); err != nil { // reserves the second's place, 300 ms on
		t.Fatal(err)
	}
	second := r.posts(herald.PostPlanned, herald.PostScheduled, herald.PostSending)
	if len(second) != 1 || second[0].State == herald.PostSending {
		t.Fatalf("while it waits for its place the second post is %+v; want it still in the queue", second)
	}
	// herald killed now and started again: nothing was in flight, so
	// nothing becomes unknown.
	again := &scheduler.Dispatcher{Store: r.st, Publisher: r.pub, Now: r.clock.now, Exclusive: true}
	if err := again.Recover(r.ctx); err != nil {
		t.Fatal(err)
	}
	if len(r.posts(herald.PostUnknown)) != 0 || len(r.eventKinds()) != 0 {
		t.Fatalf("a post waiting for its place was taken for one cut short mid-send: %v", r.eventKinds())
	}
	r.d.Wait()
	if r.pub.count() != 2 || len(r.posts(herald.PostSent)) != 2 {
		t.Fatalf("%d sent; the reserved post did not go at its place", r.pub.count())
	}
}

func TestPlanningManyArticlesFindsWhatPlanningEachAloneWould(t *testing.T) {
	r := newRig(t)
	ch := r.channel(func(c *herald.Channel) {
		c.Slots = []string{"*/5 * * * *"}
		c.MinGap = herald.Duration(10 * time.Minute)
		c.DailyCap = 20
		c.Quiet = herald.QuietHours{Start: 60, End: 7 * 60}
		c.QuietMode = herald.QuietHold
	})
	for i := range 70 {
		r.article(fmt.Sprint("a", i), nil)
	}
	// A post already taken in the middle of where the planner will look.
	x := r.article("editor", func(a *herald.Article) { a.PublishedAt = r.clock.now().Add(-72 * time.Hour) })
	taken0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // 13:00 Baku
	if _, err := r.st.PlanPost(r.ctx, &store.PostRow{Post: herald.Post{ArticleID: x.ID, ChannelID: ch.ID,
		Purpose: herald.PurposePublish, State: herald.PostScheduled, ScheduledAt: taken0}}); err != nil {
		t.Fatal(err)
	}
	if n := r.sweep(); n != 70 {
		t.Fatalf("planned %d of 70", n)
	}
	rules, err := scheduler.CompileRules(ch, "Asia/Baku")
	if err != nil {
		t.Fatal(err)
	}
	posts := r.posts()
	slices.SortFunc(posts, func(a, b *store.PostRow) int { return int(a.ID - b.ID) })
	taken := []time.Time{taken0}
	for _, p := range posts[1:] {
		want, _, err := rules.Next(r.clock.now(), taken)
		if err != nil {
			t.Fatal(err)
		}
		if !p.ScheduledAt.Equal(want) {
			t.Fatalf("post %d planned at %v; planning it alone against the %d before it gives %v", p.ID, p.ScheduledAt, len(taken), want)
		}
		taken = append(taken, p.ScheduledAt)
	}
}

func TestAPostMovedWhileWaitingForItsPlaceIsNotSentAsItWas(t *testing.T) {
	r := newRig(t)
	r.d.Limits = scheduler.Limits{Global: 30, GlobalPer: 4 * time.Second, ChatBurst: 1, ChatGap: 300 * time.Millisecond}
	r.channel(nil)
	r.article("a1", nil)
	r.article("a2", nil)
	r.sweep()
	r.dispatch()
	if _, err := r.d.Dispatch(r.ctx); err != nil { // reserves the second's place
		t.Fatal(err)
	}
	second := r.posts(herald.PostPlanned)
	if len(second) != 1 {
		t.Fatalf("posts waiting: %+v", second)
	}
	later := r.clock.now().Add(time.Hour)
	q := &scheduler.Queue{Store: r.st, Now: r.clock.now}
	if _, err := q.Reschedule(r.ctx, scheduler.CLI, second[0].ID, store.AnyRev, later); err != nil {
		t.Fatal(err)
	}
	r.d.Wait()
	if r.pub.count() != 1 {
		t.Fatalf("%d sent: the post an editor moved to %v went out at its old place", r.pub.count(), later)
	}
	if p, _ := r.st.Post(r.ctx, second[0].ID); p.State != herald.PostScheduled || !p.ScheduledAt.Equal(later) {
		t.Fatalf("the moved post is %+v", p)
	}
}
