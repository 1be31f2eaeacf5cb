package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

func forumChannel(title string, topic int64) *herald.Channel {
	return &herald.Channel{Network: herald.NetworkTelegram, Chat: "-100123", Topic: topic, Title: title,
		Language: herald.LangEnglish, Kinds: []herald.Kind{herald.KindNews}, QuietMode: herald.QuietSilent,
		ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete,
		Filters:  herald.Filters{Include: []string{"eliyev", "re:peace\\s+treaty"}, Exclude: []string{"football"}},
		Approval: true, Approvers: []int64{1001, 1002}}
}

func TestTopicsOfOneForumAreChannelsOfTheirOwn(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	evening, sport := forumChannel("Evening", 7), forumChannel("Sport", 9)
	for _, c := range []*herald.Channel{evening, sport} {
		if err := s.CreateChannel(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateChannel(ctx, forumChannel("Evening again", 7)); herald.ErrorCode(err) != herald.EConflict {
		t.Errorf("a second channel on topic 7: %v, want a conflict", err)
	}
	got, err := s.ChannelByRef(ctx, "-100123/9")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != sport.ID || got.Chat != "-100123" || got.Topic != 9 {
		t.Errorf("by destination: %+v, want Sport on chat -100123 topic 9", got)
	}
	if !slices.Equal(got.Filters.Include, evening.Filters.Include) || !slices.Equal(got.Filters.Exclude, []string{"football"}) ||
		!got.Approval || !slices.Equal(got.Approvers, []int64{1001, 1002}) {
		t.Errorf("workflow settings did not survive the store: %+v", got)
	}
	got.Filters, got.Approval, got.Approvers, got.Topic = herald.Filters{}, false, nil, 11
	if err := s.UpdateChannel(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Channel(ctx, got.ID)
	if !again.Filters.IsZero() || again.Approval || again.Approvers != nil || again.Topic != 11 {
		t.Errorf("cleared settings read back as %+v", again)
	}
	if err := s.MoveChannelChat(ctx, got.ID, "-100999"); err != nil {
		t.Fatal(err)
	}
	if moved, _ := s.Channel(ctx, got.ID); moved.Chat != "-100999" || moved.Topic != 11 {
		t.Errorf("a moved forum channel is %s topic %d, want its topic kept", moved.Chat, moved.Topic)
	}
}

func TestEditsAreSavedAgainstARevisionAndOnlyBeforeAPostGoes(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	ch := forumChannel("Evening", 7)
	if err := s.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	a := sampleArticle()
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, State: herald.PostAwaiting, ScheduledAt: a.PublishedAt}}
	if _, err := s.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	e := &herald.PostEdit{PostID: p.ID, Text: "<b>Mine</b>", ImageData: []byte("\x89PNG"), ImageName: "a.png", EditedBy: 1001}
	if err := s.SavePostEdit(ctx, e, p.Rev+5, nil); err == nil {
		t.Fatal("an edit against a later revision was saved")
	}
	if err := s.SavePostEdit(ctx, e, p.Rev, &herald.AuditEntry{UserID: 1001, Action: "edit_post", Detail: "x"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.PostEdit(ctx, p.ID)
	if err != nil || got.Text != "<b>Mine</b>" || string(got.ImageData) != "\x89PNG" || got.ArticleHash != a.ContentHash {
		t.Fatalf("edit read back as %+v, %v", got, err)
	}
	if after, _ := s.Post(ctx, p.ID); after.Rev == p.Rev {
		t.Error("saving an edit left the post's revision as it was")
	}
	a.Lead = "A new lead."
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	a, _ = s.Article(ctx, a.ID)
	stale, err := s.MarkEditsStale(ctx, a.ID, a.ContentHash)
	if err != nil || len(stale) != 1 {
		t.Fatalf("stale edits %v %v, want the one", stale, err)
	}
	if again, _ := s.MarkEditsStale(ctx, a.ID, a.ContentHash); len(again) != 0 {
		t.Error("a stale edit was asked about twice")
	}
	if err := s.ResolveEdit(ctx, p.ID, true, nil); err != nil {
		t.Fatal(err)
	}
	if kept, _ := s.PostEdit(ctx, p.ID); kept.Stale || kept.ArticleHash != a.ContentHash {
		t.Errorf("kept edit %+v, want it current with the article", kept)
	}
	if _, err := s.MoveState(ctx, p.ID, store.AnyRev, herald.PostCancelled, nil, "cli", nil); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePostEdit(ctx, &herald.PostEdit{PostID: p.ID, Text: "again"}, store.AnyRev, nil); err != nil {
		t.Errorf("a cancelled post may still be edited before it is scheduled again: %v", err)
	}
	n, err := s.CancelPending(ctx, a.ID)
	if err != nil || n != 0 {
		t.Errorf("cancel pending: %d %v", n, err)
	}
}

func TestNoticesForApproversGoToThemOnly(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if err := s.SyncOwners(ctx, []int64{1001}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddEditor(ctx, &herald.Editor{UserID: 2002, Role: herald.RoleEditor, AddedBy: 1001}); err != nil {
		t.Fatal(err)
	}
	added, err := s.AddNoticeFor(ctx, &store.Notice{Key: "approval_wanted:1:0", Kind: "approval_wanted", PostID: 1}, []int64{2002, 9999})
	if err != nil || !added {
		t.Fatal(added, err)
	}
	c, err := s.CountNotices(ctx)
	if err != nil || c.Owed != 1 {
		t.Errorf("notice owed to %d people (%v), want the one approver who is an editor", c.Owed, err)
	}
}
