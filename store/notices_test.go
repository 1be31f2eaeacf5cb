package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

func TestANoticeIsOwedToEveryoneOnceAndSettledPerPerson(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	if err := s.SyncOwners(ctx, []int64{5001, 5002}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddEditor(ctx, &herald.Editor{UserID: 6001, Name: "Leyla", AddedBy: 5001}); err != nil {
		t.Fatal(err)
	}
	n := &store.Notice{Key: "post_unknown:7:1", Kind: "post_unknown", PostID: 7, Title: "Harbour budget"}
	if added, err := s.AddNotice(ctx, n); err != nil || !added {
		t.Fatalf("first store: %v %v", added, err)
	}
	if added, err := s.AddNotice(ctx, &store.Notice{Key: "post_unknown:7:1", Kind: "post_unknown", PostID: 7}); err != nil || added {
		t.Fatalf("the same event stored again: added %v, %v; want it ignored", added, err)
	}
	due, err := s.DueNotices(ctx, c.now(), 100)
	if err != nil || len(due) != 3 {
		t.Fatalf("due: %d %v, want one per owner and editor", len(due), err)
	}
	if due[0].Title != "Harbour budget" || due[0].UserID != 5001 {
		t.Errorf("first due %+v", due[0])
	}
	if err := s.NoticesDelivered(ctx, 5001, []int64{n.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.NoticesUnreachable(ctx, 5002, []int64{n.ID}, "forbidden, bot was blocked by the user"); err != nil {
		t.Fatal(err)
	}
	if err := s.NoticesRetry(ctx, 6001, []int64{n.ID}, c.now().Add(5*time.Second), "too many requests"); err != nil {
		t.Fatal(err)
	}
	if due, _ := s.DueNotices(ctx, c.now(), 100); len(due) != 0 {
		t.Fatalf("due before the retry time: %+v", due)
	}
	if at, ok, err := s.NextNoticeAt(ctx); err != nil || !ok || !at.Equal(c.now().Add(5*time.Second)) {
		t.Errorf("next notice at %v %v %v", at, ok, err)
	}
	c.add(5 * time.Second)
	due, _ = s.DueNotices(ctx, c.now(), 100)
	if len(due) != 1 || due[0].UserID != 6001 || due[0].Attempts != 1 || due[0].LastError != "too many requests" {
		t.Fatalf("due after the wait: %+v", due)
	}
	counts, err := s.CountNotices(ctx)
	if err != nil || counts != (store.NoticeCounts{Owed: 3, Delivered: 1, Unreachable: 1, Pending: 1}) {
		t.Errorf("counts %+v %v", counts, err)
	}
}

func TestRecoverOrphansStoresTheirNoticesInTheSameTransaction(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	s.SyncOwners(ctx, []int64{5001})
	a := sampleArticle()
	s.UpsertArticle(ctx, a)
	ch := sampleChannel()
	s.CreateChannel(ctx, ch)
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: c.now()}}
	s.PlanPost(ctx, p)
	if ok, err := s.ClaimPost(ctx, p.ID, c.now().Add(time.Minute)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// The process that claimed it stored the notice before it died.
	before := &store.Notice{Key: "post_unknown:1:1", Kind: "post_unknown", PostID: p.ID, Reason: "EOF"}
	if _, err := s.AddNotice(ctx, before); err != nil {
		t.Fatal(err)
	}
	got, err := s.RecoverOrphans(ctx, c.now().Add(time.Hour), "herald stopped while sending")
	if err != nil || len(got) != 1 || got[0].State != herald.PostUnknown {
		t.Fatalf("orphans %+v %v", got, err)
	}
	if again, _ := s.Post(ctx, p.ID); again.State != herald.PostUnknown {
		t.Errorf("post is %s", again.State)
	}
	ns, err := s.NoticesAbout(ctx, p.ID)
	if err != nil || len(ns) != 1 || ns[0].Reason != "EOF" {
		t.Fatalf("notices about the post: %+v %v; want the one stored before the kill, once", ns, err)
	}
	// Sent again by an editor (attempts start afresh) and orphaned again,
	// unannounced: that gets its notice, with its title and channel.
	c.add(time.Second)
	if _, err := s.MoveState(ctx, p.ID, store.AnyRev, herald.PostScheduled, nil, "test", nil); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.ClaimPost(ctx, p.ID, c.now().Add(time.Minute)); err != nil || !ok {
		t.Fatalf("second claim: %v %v", ok, err)
	}
	if _, err := s.RecoverOrphans(ctx, c.now().Add(time.Hour), "herald stopped while sending"); err != nil {
		t.Fatal(err)
	}
	ns, _ = s.NoticesAbout(ctx, p.ID)
	if len(ns) != 2 || ns[1].Kind != "post_unknown" || ns[1].Title != a.Title || ns[1].Channel != "DQ English (-1001)" {
		t.Fatalf("notices after the second orphaning: %+v", *ns[len(ns)-1])
	}
	if again, err := s.RecoverOrphans(ctx, c.now().Add(time.Hour), "again"); err != nil || len(again) != 0 {
		t.Errorf("a second recovery found %d orphans, %v", len(again), err)
	}
}

func TestRefusalsAreCountedInOneEntryPerWindow(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	for range 60 {
		if err := s.AddCounted(ctx, &herald.AuditEntry{UserID: 666, Action: "refused", Detail: "/queue (Spammer)"}, 10*time.Minute); err != nil {
			t.Fatal(err)
		}
		c.add(time.Second)
	}
	s.AddAudit(ctx, &herald.AuditEntry{UserID: 5001, Action: "cancel", PostID: 3})
	c.add(10 * time.Minute)
	s.AddCounted(ctx, &herald.AuditEntry{UserID: 666, Action: "refused", Detail: "/pause (Spammer)"}, 10*time.Minute)
	es, err := s.Audit(ctx, 10)
	if err != nil || len(es) != 3 {
		t.Fatalf("audit: %d entries %v, want the window's refusals, the cancel and a new window", len(es), err)
	}
	if es[2].Count != 60 || es[2].Action != "refused" || !es[2].LastAt.Equal(es[2].At.Add(59*time.Second)) {
		t.Errorf("first window %+v, want 60 refusals over 59 s", es[2])
	}
	if es[1].Action != "cancel" || es[1].Count != 1 {
		t.Errorf("the real change %+v", es[1])
	}
	if es[0].Count != 1 || es[0].Detail != "/pause (Spammer)" {
		t.Errorf("the next window %+v", es[0])
	}
}
