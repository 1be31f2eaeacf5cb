package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// reviewWorld is a store with a channel, two articles and a post of the
// first, copied into the discussion group -1002 as message 9.
func reviewWorld(t *testing.T) (*store.Store, *clock, *herald.Channel, [2]*herald.Article, *store.PostRow) {
	t.Helper()
	ctx := context.Background()
	s, c := openTest(t)
	ch := sampleChannel()
	if err := s.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	var arts [2]*herald.Article
	for i := range arts {
		a := sampleArticle()
		a.ExternalID = a.ExternalID + string(rune('a'+i))
		if _, err := s.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		arts[i] = a
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: arts[0].ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
		ScheduledAt: c.now()}}
	if _, err := s.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := s.AddPostCopy(ctx, -1002, 9, p.ID); err != nil {
		t.Fatal(err)
	}
	return s, c, ch, arts, p
}

func TestSaveReviewKeepsOneReviewPerReaderAndArticle(t *testing.T) {
	ctx := context.Background()
	s, c, ch, arts, _ := reviewWorld(t)
	r := &herald.Review{ArticleID: arts[0].ID, ChannelID: ch.ID, UserID: 42, UserName: "Leyla", Rating: 4,
		Text: "Sharp", Source: herald.ReviewDM, Status: herald.ReviewPending}
	created, err := s.SaveReview(ctx, r)
	if err != nil || !created || r.ID == 0 || !r.CreatedAt.Equal(c.now()) {
		t.Fatalf("first save: created %v, %+v, %v", created, r, err)
	}
	first := *r

	steps := []struct {
		name   string
		review herald.Review
		want   func(*herald.Review) bool
	}{
		{"a rating without words keeps the words",
			herald.Review{Rating: 2, Source: herald.ReviewDM, Status: herald.ReviewPending},
			func(g *herald.Review) bool { return g.Rating == 2 && g.Text == "Sharp" }},
		{"words without a rating keep the rating",
			herald.Review{Text: "Sharper", Source: herald.ReviewComment, Status: herald.ReviewApproved, ChatID: -1002, MessageID: 10},
			func(g *herald.Review) bool {
				return g.Rating == 2 && g.Text == "Sharper" && g.Source == herald.ReviewDM && g.MessageID == 10 &&
					g.Status == herald.ReviewApproved
			}},
		{"a spam mark stays with its words",
			herald.Review{Text: "Pasted everywhere", Spam: true, Source: herald.ReviewDM, Status: herald.ReviewPending},
			func(g *herald.Review) bool { return g.Spam && g.Status == herald.ReviewPending }},
		{"a rating alone does not clear the spam mark or approve the spam",
			herald.Review{Rating: 5, Source: herald.ReviewDM, Status: herald.ReviewApproved},
			func(g *herald.Review) bool {
				return g.Spam && g.Status == herald.ReviewPending && g.Rating == 5 && g.Text == "Pasted everywhere"
			}},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			c.add(time.Minute)
			r := tt.review
			r.ArticleID, r.UserID, r.UserName = arts[0].ID, 42, "Leyla"
			created, err := s.SaveReview(ctx, &r)
			if err != nil || created || r.ID != first.ID {
				t.Fatalf("created %v, id %d (first %d), %v", created, r.ID, first.ID, err)
			}
			got, err := s.Review(ctx, first.ID)
			if err != nil || !tt.want(got) || !got.CreatedAt.Equal(first.CreatedAt) || !got.UpdatedAt.Equal(c.now()) {
				t.Errorf("stored %+v, %v", got, err)
			}
			if got.ChannelID != ch.ID {
				t.Errorf("the channel was lost: %d", got.ChannelID)
			}
		})
	}
	if all, _ := s.Reviews(ctx, store.ReviewFilter{}); len(all) != 1 {
		t.Errorf("%d reviews, want 1", len(all))
	}
	bad := herald.Review{ArticleID: arts[0].ID, UserID: 42, Rating: 6, Source: herald.ReviewDM, Status: herald.ReviewPending}
	if _, err := s.SaveReview(ctx, &bad); herald.ErrorCode(err) != herald.EInvalid {
		t.Errorf("a rating of 6: %v", err)
	}
}

func TestReviewGateTellsWhatTheRulesNeed(t *testing.T) {
	ctx := context.Background()
	s, c, ch, arts, p := reviewWorld(t)
	save := func(user, article int64, text string) {
		t.Helper()
		r := &herald.Review{ArticleID: article, UserID: user, Text: text, Source: herald.ReviewComment, Status: herald.ReviewPending}
		if _, err := s.SaveReview(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	save(1, arts[0].ID, "Visit my channel for the truth")
	c.add(20 * time.Minute)
	save(1, arts[1].ID, "Fine")
	if err := s.Ban(ctx, 2, 99); err != nil {
		t.Fatal(err)
	}
	since := c.now().Add(-10 * time.Minute)
	tests := []struct {
		name      string
		user      int64
		article   int64
		channel   int64
		text      string
		want      store.ReviewGate
		autoApply bool
	}{
		{"a new reader on a new article", 3, arts[0].ID, ch.ID, "", store.ReviewGate{}, false},
		{"a reader with a review of the article", 1, arts[0].ID, ch.ID, "", store.ReviewGate{Recent: 1, Exists: true}, false},
		{"a banned reader", 2, arts[0].ID, ch.ID, "", store.ReviewGate{Banned: true}, false},
		{"a text left on another article, in other case", 3, arts[1].ID, ch.ID, "VISIT my channel for the truth",
			store.ReviewGate{SameText: true}, false},
		{"a text left on the same article only", 3, arts[0].ID, ch.ID, "Visit my channel for the truth", store.ReviewGate{}, false},
		{"an auto-approving channel", 3, arts[0].ID, ch.ID, "", store.ReviewGate{AutoApprove: true}, true},
		{"an unknown channel", 3, arts[0].ID, 0, "", store.ReviewGate{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.autoApply != ch.AutoApprove {
				ch.AutoApprove = tt.autoApply
				if err := s.UpdateChannel(ctx, ch); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.ReviewGate(ctx, tt.user, tt.article, tt.channel, since, tt.text)
			if err != nil || got != tt.want {
				t.Errorf("gate %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}

	ref, g, err := s.CommentGate(ctx, -1002, 9, 1, since, "")
	if err != nil || ref.ID != p.ID || ref.ArticleID != arts[0].ID || ref.ChannelID != ch.ID || !g.Exists || g.Recent != 1 || !g.AutoApprove {
		t.Errorf("comment gate %+v %+v %v", ref, g, err)
	}
	if _, _, err := s.CommentGate(ctx, -1002, 10, 1, since, ""); herald.ErrorCode(err) != herald.ENotFound {
		t.Errorf("a message that is no copy: %v", err)
	}
}

func TestPurgeReaderForgetsReviewsAndTheConversation(t *testing.T) {
	ctx := context.Background()
	s, _, _, arts, _ := reviewWorld(t)
	for _, a := range arts {
		if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: a.ID, UserID: 7, Rating: 3, Source: herald.ReviewDM,
			Status: herald.ReviewPending}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveReview(ctx, &herald.Review{ArticleID: arts[0].ID, UserID: 8, Rating: 3, Source: herald.ReviewDM,
		Status: herald.ReviewPending}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSession(ctx, &store.ReviewSession{UserID: 7, ArticleID: arts[0].ID, Step: "comment", Draft: "long"}); err != nil {
		t.Fatal(err)
	}
	n, err := s.PurgeReader(ctx, 7)
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v", n, err)
	}
	if sess, _ := s.Session(ctx, 7); sess != nil {
		t.Errorf("the conversation survived: %+v", sess)
	}
	if left, _ := s.Reviews(ctx, store.ReviewFilter{}); len(left) != 1 || left[0].UserID != 8 {
		t.Errorf("left %+v", left)
	}
}
