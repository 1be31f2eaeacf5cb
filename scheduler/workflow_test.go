package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

func (r *rig) heard() {
	r.w.Notifier = scheduler.NotifierFunc(func(ctx context.Context, ev scheduler.Event) {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
	})
}

func TestTheWatcherPlansOnlyWhatAChannelsFiltersTake(t *testing.T) {
	r := newRig(t)
	ch := r.channel(func(c *herald.Channel) {
		c.Filters = herald.Filters{Include: []string{"eliyev"}, Exclude: []string{"football"}}
	})
	r.article("a", func(a *herald.Article) { a.Title = "İlham Əliyev receives the envoys" })
	r.article("b", func(a *herald.Article) { a.Title = "Snow in Baku" })
	r.article("c", func(a *herald.Article) { a.Title = "Əliyev at the football final" })
	r.sweep()
	ps := r.posts()
	if len(ps) != 1 {
		t.Fatalf("%d posts planned, want the one matching article", len(ps))
	}
	a, _ := r.st.Article(r.ctx, ps[0].ArticleID)
	if ps[0].ChannelID != ch.ID || !strings.Contains(a.Title, "receives") {
		t.Errorf("planned %q, want the article with Əliyev and no football", a.Title)
	}
}

func TestAnApprovalChannelsPostsWaitUntilApproved(t *testing.T) {
	r := newRig(t)
	r.heard()
	r.channel(func(c *herald.Channel) { c.Approval = true })
	r.article("a", nil)
	r.sweep()
	ps := r.posts()
	if len(ps) != 1 || ps[0].State != herald.PostAwaiting {
		t.Fatalf("posts %+v, want one awaiting approval", ps)
	}
	if k := r.eventKinds(); len(k) != 1 || k[0] != scheduler.EventApprovalWanted {
		t.Errorf("events %v, want the approvers told once", k)
	}
	r.clock.add(time.Hour)
	r.dispatch()
	if r.pub.count() != 0 {
		t.Fatal("a post awaiting approval went out")
	}
	// Its time passed: it waits, and is reported late once.
	r.sweep()
	r.sweep()
	late := 0
	for _, k := range r.eventKinds() {
		if k == scheduler.EventApprovalLate {
			late++
		}
	}
	if late != 1 {
		t.Errorf("told late %d times, want once", late)
	}
	q := &scheduler.Queue{Store: r.st, Now: r.clock.now}
	// An editor who is not an approver may not approve.
	if err := r.st.AddEditor(r.ctx, &herald.Editor{UserID: 2002, Role: herald.RoleEditor, AddedBy: 1001}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Approve(r.ctx, scheduler.Actor{UserID: 2002}, ps[0].ID, store.AnyRev); herald.ErrorCode(err) != herald.EUnauthorized {
		t.Fatalf("an editor approved: %v", err)
	}
	p, err := q.Approve(r.ctx, scheduler.CLI, ps[0].ID, ps[0].Rev)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != herald.PostScheduled || p.ScheduledAt.Before(r.clock.now()) {
		t.Errorf("approved post is %s at %s; want scheduled now, its time having passed", p.State, p.ScheduledAt)
	}
	r.dispatch()
	if r.pub.count() != 1 {
		t.Fatalf("sent %d after approval, want 1", r.pub.count())
	}
	entries, _ := r.st.Audit(r.ctx, 10)
	if len(entries) == 0 || entries[0].Action != "approve" {
		t.Errorf("approval not audited: %+v", entries)
	}
}

func TestRejectingCancelsAndAnEditorsSchedulingWaitsForApproval(t *testing.T) {
	r := newRig(t)
	r.heard()
	ch := r.channel(func(c *herald.Channel) { c.Approval = true; c.Approvers = []int64{3003} })
	a := r.article("a", nil)
	r.sweep()
	ps := r.posts()
	q := &scheduler.Queue{Store: r.st, Now: r.clock.now, Notifier: r.w.Notifier}
	if _, err := q.Reject(r.ctx, scheduler.Actor{UserID: 3003}, ps[0].ID, store.AnyRev); err != nil {
		t.Fatal(err)
	}
	if p, _ := r.st.Post(r.ctx, ps[0].ID); p.State != herald.PostCancelled {
		t.Fatalf("rejected post is %s", p.State)
	}
	// An owner who is not among the named approvers schedules it again: it waits.
	if err := r.st.SyncOwners(r.ctx, []int64{1001}); err != nil {
		t.Fatal(err)
	}
	at := r.clock.now().Add(time.Hour)
	out, err := q.Schedule(r.ctx, scheduler.Actor{UserID: 1001}, a.ID, &at, []*herald.Channel{ch})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].State != herald.PostAwaiting {
		t.Errorf("an owner's scheduling on a channel with named approvers is %s, want awaiting approval", out[0].State)
	}
	// Moving it is not approving it.
	p, err := q.Reschedule(r.ctx, scheduler.Actor{UserID: 1001}, out[0].ID, store.AnyRev, at.Add(time.Hour))
	if err != nil || p.State != herald.PostAwaiting {
		t.Fatalf("rescheduled: %v %v, want still awaiting", p, err)
	}
	// The approver's own scheduling goes.
	p, err = q.Approve(r.ctx, scheduler.Actor{UserID: 3003}, out[0].ID, store.AnyRev)
	if err != nil || p.State != herald.PostScheduled {
		t.Fatalf("approver's approve: %v %v", p, err)
	}
}

func TestAnEditedPostSaysTheEditAndAChangedArticleAsks(t *testing.T) {
	r := newRig(t)
	r.heard()
	r.channel(func(c *herald.Channel) { c.Slots = []string{"0 20 * * *"} })
	a := r.article("a", nil)
	r.sweep()
	ps := r.posts()
	q := &scheduler.Queue{Store: r.st, Now: r.clock.now}
	check := func(a *herald.Article, ch *herald.Channel, p *herald.Post, e *herald.PostEdit) error {
		if len(e.Text) > 20 {
			return herald.FieldError("text", "too long for this test's network")
		}
		return nil
	}
	if _, err := q.Edit(r.ctx, scheduler.CLI, &herald.PostEdit{PostID: ps[0].ID, Text: strings.Repeat("x", 30)}, store.AnyRev, check); err == nil {
		t.Fatal("an edit over the network's limit was saved")
	}
	if _, err := q.Edit(r.ctx, scheduler.CLI, &herald.PostEdit{PostID: ps[0].ID, Text: "New words"}, ps[0].Rev, check); err != nil {
		t.Fatal(err)
	}
	// A button drawn before the edit is stale now.
	if _, err := q.PostNow(r.ctx, scheduler.CLI, ps[0].ID, ps[0].Rev); err == nil {
		t.Error("a press drawn before the edit still acted")
	}
	a.Title = "A changed title"
	if _, err := r.st.UpsertArticle(r.ctx, a); err != nil {
		t.Fatal(err)
	}
	r.sweep()
	stale := 0
	for _, k := range r.eventKinds() {
		if k == scheduler.EventEditStale {
			stale++
		}
	}
	if stale != 1 {
		t.Fatalf("editors asked %d times about the changed article, want once", stale)
	}
	if _, err := q.PostNow(r.ctx, scheduler.CLI, ps[0].ID, store.AnyRev); err != nil {
		t.Fatal(err)
	}
	r.dispatch()
	r.pub.mu.Lock()
	sent := r.pub.sent
	r.pub.mu.Unlock()
	if len(sent) != 1 || sent[0].Edit == nil || sent[0].Edit.Text != "New words" || !sent[0].Edit.Stale {
		t.Fatalf("delivery %+v, want the edit (flagged stale) until an editor answers", sent)
	}
	if _, err := q.KeepEdit(r.ctx, scheduler.CLI, ps[0].ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.st.PostEdit(r.ctx, ps[0].ID); herald.ErrorCode(err) != herald.ENotFound {
		t.Errorf("the edit is still there after Use the article's text: %v", err)
	}
}

func TestShortLinksAreMadeOncePerPostWhenLinksAreOn(t *testing.T) {
	r := newRig(t)
	r.d.Links = "https://go.example"
	r.channel(nil)
	r.article("a", func(a *herald.Article) { a.URL = "https://www.example.org/a" })
	r.sweep()
	r.dispatch()
	r.pub.mu.Lock()
	sent := r.pub.sent
	r.pub.mu.Unlock()
	if len(sent) != 1 || !strings.HasPrefix(sent[0].Link, "https://go.example/") {
		t.Fatalf("delivery link %q, want one under HERALD_LINKS", sent[0].Link)
	}
	code := strings.TrimPrefix(sent[0].Link, "https://go.example/")
	again, err := r.st.LinkCode(r.ctx, sent[0].Post.ID)
	if err != nil || again != code {
		t.Errorf("the post's code is %q then %q (%v), want one code per post", code, again, err)
	}
	l, err := r.st.LinkByCode(r.ctx, code)
	if err != nil || l.URL != "https://www.example.org/a" {
		t.Fatalf("link %+v %v", l, err)
	}
	r.st.CountClick(r.ctx, code)
	r.st.CountClick(r.ctx, code)
	s, err := r.st.Stats(r.ctx, store.ReviewFilter{})
	if err != nil || s.Clicks.Total != 2 || len(s.Clicks.ByChannel) != 1 || s.Clicks.ByArticle[0].Clicks != 2 {
		t.Errorf("stats %+v %v, want two clicks on one post, article and channel", s.Clicks, err)
	}
}
