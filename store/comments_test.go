package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

func TestSaveCommentAppliesTheRulesInTheWrite(t *testing.T) {
	ctx := context.Background()
	s, c, ch, arts, _ := reviewWorld(t)
	const spam = "Visit my channel for the truth, every day"
	comment := func(user, msg int64, text string) *store.Comment {
		return &store.Comment{ChatID: -1002, CopyID: 9, MessageID: msg, UserID: user, UserName: "Leyla M",
			Username: "leyla", Language: herald.LangEnglish, Text: text, SpamProbe: text,
			Since: c.now().Add(-10 * time.Minute), Burst: 3}
	}
	// Reader 1 has a rated review of the article from a DM, and pasted the
	// spam on the other article.
	if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: arts[0].ID, UserID: 1, Rating: 4, Source: herald.ReviewDM,
		Status: herald.ReviewApproved}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: arts[1].ID, UserID: 5, Text: spam, Source: herald.ReviewDM,
		Status: herald.ReviewPending}); err != nil {
		t.Fatal(err)
	}
	c.add(time.Minute)

	// A new reader's comment: pending, tied to the article and channel.
	r, err := s.SaveComment(ctx, comment(2, 20, "A fair piece"))
	if err != nil || r == nil {
		t.Fatalf("a new reader's comment: %+v, %v", r, err)
	}
	got, err := s.Review(ctx, r.ID)
	if err != nil || got.ArticleID != arts[0].ID || got.ChannelID != ch.ID || got.Status != herald.ReviewPending ||
		got.Spam || got.Source != herald.ReviewComment || got.Text != "A fair piece" || got.UserName != "Leyla M" ||
		got.Username != "leyla" || got.Language != herald.LangEnglish || got.ChatID != -1002 || got.MessageID != 20 ||
		!got.CreatedAt.Equal(c.now()) || *got != *r {
		t.Errorf("stored %+v, %v; returned %+v", got, err, r)
	}

	// A comment on a review from a DM changes its words, keeps its rating
	// and source; the status is the comment's.
	r, err = s.SaveComment(ctx, comment(1, 21, "Sharp"))
	if err != nil || r == nil || r.Rating != 4 || r.Source != herald.ReviewDM || r.Status != herald.ReviewPending {
		t.Fatalf("a comment on a review: %+v, %v", r, err)
	}
	if got, _ := s.Review(ctx, r.ID); got.Text != "Sharp" || got.MessageID != 21 || got.Rating != 4 {
		t.Errorf("changed review %+v", got)
	}

	// Spam waits, even on an auto-approving channel; the rest is approved.
	ch.AutoApprove = true
	if err := s.UpdateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if r, err := s.SaveComment(ctx, comment(3, 22, "VISIT my channel for the truth, every day")); err != nil || r == nil ||
		!r.Spam || r.Status != herald.ReviewPending {
		t.Errorf("spam: %+v, %v", r, err)
	}
	short := comment(4, 23, "Thank you")
	short.SpamProbe = ""
	if r, err := s.SaveComment(ctx, short); err != nil || r == nil || r.Spam || r.Status != herald.ReviewApproved {
		t.Errorf("an auto-approved comment: %+v, %v", r, err)
	}

	// A banned reader's comment is not kept, nor one that is no post's.
	if err := s.Ban(ctx, 6, 99); err != nil {
		t.Fatal(err)
	}
	if r, err := s.SaveComment(ctx, comment(6, 24, "Hello")); err != nil || r != nil {
		t.Errorf("a banned reader: %+v, %v", r, err)
	}
	other := comment(7, 25, "Hello")
	other.CopyID = 10
	if r, err := s.SaveComment(ctx, other); err != nil || r != nil {
		t.Errorf("a reply to no post: %+v, %v", r, err)
	}

	// Past the limit a new review is dropped; a change of one is not.
	busy := int64(100)
	for i := range 3 {
		a := &herald.Article{Source: "file", ExternalID: fmt.Sprint("busy-", i), Kind: herald.KindNews,
			Language: herald.LangEnglish, Title: "T", Lead: "L", Body: "B", URL: fmt.Sprint("https://example.org/b/", i)}
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: a.ID, UserID: busy, Rating: 3, Source: herald.ReviewDM,
			Status: herald.ReviewPending}); err != nil {
			t.Fatal(err)
		}
	}
	if r, err := s.SaveComment(ctx, comment(busy, 26, "One more")); err != nil || r != nil {
		t.Errorf("a new review past the limit: %+v, %v", r, err)
	}
	if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: arts[0].ID, UserID: 1, Rating: 2, Source: herald.ReviewDM,
		Status: herald.ReviewPending}); err != nil {
		t.Fatal(err)
	}
	for _, a := range []int64{arts[1].ID, arts[1].ID} {
		if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: a, UserID: 1, Rating: 1, Source: herald.ReviewDM,
			Status: herald.ReviewPending}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.ReviewsSince(ctx, 1, c.now().Add(-10*time.Minute)); n < 2 {
		t.Fatalf("reader 1 has %d recent reviews", n)
	}
	limited := comment(1, 27, "Changed my mind")
	limited.Burst = 2
	if r, err := s.SaveComment(ctx, limited); err != nil || r == nil || r.Rating != 2 {
		t.Errorf("a change past the limit: %+v, %v", r, err)
	}

	// What the comment's review must be is checked like any review.
	bad := comment(9, 28, "Hi")
	bad.UserID = 0
	if _, err := s.SaveComment(ctx, bad); herald.ErrorCode(err) != herald.EInvalid {
		t.Errorf("no reader: %v", err)
	}
}
