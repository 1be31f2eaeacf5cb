package bot_test

import (
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// comment has user reply to the post's automatic forward in the
// discussion group.
func (r *reviewRig) comment(user int64, replyTo int, text string) telegramtest.Message {
	r.t.Helper()
	m, err := r.srv.Reply(telegramtest.UserMessage{UserID: user, ChatID: rvGroup, ReplyToMessageID: replyTo,
		Text: text, FirstName: "Kamran", LanguageCode: "az"})
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

// waitReview waits until user's review of the article satisfies ok.
func (r *reviewRig) waitReview(user, article int64, what string, ok func(*herald.Review) bool) *herald.Review {
	r.t.Helper()
	var got *herald.Review
	r.waitFor(what, func() bool {
		rs, err := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: user, ArticleID: article})
		if err != nil || len(rs) != 1 {
			return false
		}
		got = rs[0]
		return ok(got)
	})
	return got
}

func TestCommentsInTheDiscussionGroupBecomeReviewsOfTheirArticle(t *testing.T) {
	r := newReviewRig(t)
	other := r.addArticle("A piece nobody comments on")
	fwd := r.forward()
	c := r.comment(4004, fwd.ID, "A brave question to <ask> & answer")
	got := r.waitReview(4004, r.article.ID, "the comment's review", func(*herald.Review) bool { return true })
	if got.Source != herald.ReviewComment || got.Rating != 0 || got.Text != "A brave question to <ask> & answer" ||
		got.ChannelID != r.ch.ID || got.Status != herald.ReviewPending || got.Language != herald.LangAzerbaijani {
		t.Errorf("comment review %+v", got)
	}
	if rs, _ := r.st.Reviews(r.ctx, store.ReviewFilter{ArticleID: other.ID}); len(rs) != 0 {
		t.Errorf("the comment went to another article: %+v", rs[0])
	}
	if msgs := r.botMessages(rvGroup); len(msgs) != 0 {
		t.Errorf("the bot spoke in the discussion group: %q", msgs[0].Text)
	}

	if _, err := r.srv.EditComment(telegramtest.CommentEdit{UserID: 4004, ChatID: rvGroup, MessageID: c.ID,
		Text: "On second thought, a brave question"}); err != nil {
		t.Fatal(err)
	}
	edited := r.waitReview(4004, r.article.ID, "the edited comment's review", func(rv *herald.Review) bool {
		return rv.Text == "On second thought, a brave question"
	})
	if edited.ID != got.ID || edited.Source != herald.ReviewComment {
		t.Errorf("the edit made another review: %+v", edited)
	}
}

func TestACommentAfterARatingKeepsTheRating(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 5)
	r.comment(rvReader, r.forward().ID, "And a word in the group as well")
	got := r.waitReview(rvReader, r.article.ID, "the comment", func(rv *herald.Review) bool { return rv.Text != "" })
	if got.Rating != 5 || got.Source != herald.ReviewDM {
		t.Errorf("a comment after a rating: %+v", got)
	}
}

func TestMessagesInTheGroupThatAreNoCommentsAreIgnored(t *testing.T) {
	r := newReviewRig(t)
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: 4004, ChatID: rvGroup, Text: "Hello everyone, off topic"}); err != nil {
		t.Fatal(err)
	}
	// A comment after it, to know the bot has read that far.
	r.comment(4005, r.forward().ID, "On topic")
	r.waitReview(4005, r.article.ID, "the comment", func(*herald.Review) bool { return true })
	if rs, _ := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: 4004}); len(rs) != 0 {
		t.Errorf("a message that answers no post became a review: %+v", rs[0])
	}
}

func TestACommentOnAPostWhoseForwardCameBeforeItWasMarkedSentIsKept(t *testing.T) {
	r := newReviewRig(t)
	a := r.addArticle("Breaking: a second piece")
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: r.ch.ID, Purpose: herald.PurposePublish, ScheduledAt: time.Now()}}
	if _, err := r.st.PlanPost(r.ctx, p); err != nil {
		t.Fatal(err)
	}
	if ok, err := r.st.ClaimPost(r.ctx, p.ID, time.Now().Add(time.Minute)); !ok || err != nil {
		t.Fatal(ok, err)
	}
	// The bot, polling, may hear the forward before the post is marked sent.
	rec, err := r.b.Publisher().Publish(r.ctx, scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.MarkSent(r.ctx, p.ID, rec.MessageID, nil, a.ContentHash); err != nil {
		t.Fatal(err)
	}
	var fwd telegramtest.Message
	for _, m := range r.srv.Messages(rvGroup) {
		if m.IsAutomaticForward && m.ForwardFromMessageID == int(rec.MessageID) {
			fwd = m
		}
	}
	r.comment(4004, fwd.ID, "Comment on the second piece")
	r.waitReview(4004, a.ID, "the comment on the second piece", func(*herald.Review) bool { return true })
	if _, err := r.st.PostByCopy(r.ctx, rvGroup, int64(fwd.ID)); err != nil {
		t.Errorf("the forward is still unknown after a comment named it: %v", err)
	}
}

func TestReactionCountsAreKeptPerPost(t *testing.T) {
	r := newReviewRig(t)
	if !strings.Contains(strings.Join(bot.AllowedUpdates, ","), "message_reaction_count") {
		t.Fatalf("allowed_updates %v lack message_reaction_count", bot.AllowedUpdates)
	}
	steps := []map[string]int{
		{"👍": 3, "🔥": 1},
		{"👍": 4},
	}
	for _, want := range steps {
		if err := r.srv.SetReactions(rvChannel, int(r.post.MessageID), want); err != nil {
			t.Fatal(err)
		}
		r.waitFor("the reactions", func() bool {
			got, err := r.st.Reactions(r.ctx, r.post.ID)
			return err == nil && maps.Equal(got, want)
		})
	}
	var named bool
	for _, c := range r.srv.Calls("getUpdates") {
		named = named || strings.Contains(c.Params["allowed_updates"], "message_reaction_count")
	}
	if !named {
		t.Error("getUpdates never named message_reaction_count in allowed_updates")
	}
}
