package scheduler_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

func TestReadersRoundupQuotesApprovedReviewsOnItsChannelOnce(t *testing.T) {
	r := newRig(t)
	en := r.channel(func(c *herald.Channel) { c.ReadersPost = "0 20 * * *" }) // 20:00 in Baku
	other := r.channel(func(c *herald.Channel) { c.Chat = "-1002" })
	a := r.article("a1", nil)
	r.sweep()
	r.dispatch()
	r.dispatch()
	review := func(user int64, status herald.ReviewStatus, text string) {
		rv := &herald.Review{ArticleID: a.ID, ChannelID: en.ID, UserID: user, UserName: "Reader <b>", Rating: 4,
			Text: text, Source: herald.ReviewDM, Status: status}
		if _, err := r.st.SaveReview(r.ctx, rv); err != nil {
			t.Fatal(err)
		}
	}
	review(1, herald.ReviewApproved, "Clear & fair.")
	review(2, herald.ReviewPending, "Not yet moderated.")
	review(3, herald.ReviewApproved, "") // a rating alone has nothing to quote

	q := &scheduler.Queue{Store: r.st, Watcher: r.w, Now: r.clock.now}
	ru := &scheduler.Roundups{Store: r.st, Queue: q, Log: slog.New(slog.DiscardHandler), Now: r.clock.now, Zone: "Asia/Baku"}
	if n, err := ru.Due(r.ctx); err != nil || n != 0 {
		t.Fatalf("before its slot: %d roundups, %v", n, err)
	}
	r.clock.set(time.Date(2026, 3, 2, 16, 0, 30, 0, time.UTC)) // 20:00:30 in Baku
	if n, err := ru.Due(r.ctx); err != nil || n != 1 {
		t.Fatalf("at its slot: %d roundups, %v", n, err)
	}
	if n, _ := ru.Due(r.ctx); n != 0 {
		t.Fatal("the same slot made a second roundup")
	}
	r.sweep() // the watcher must not put the roundup on other channels
	r.dispatch()
	r.dispatch()
	var roundup *scheduler.Delivery
	for i, d := range r.pub.sent {
		if d.Article.Source == herald.SourceReaders {
			if roundup != nil {
				t.Fatal("the roundup went out twice")
			}
			roundup = &r.pub.sent[i]
		}
	}
	if roundup == nil || roundup.Channel.ID != en.ID {
		t.Fatalf("the roundup did not go to its channel: %+v", roundup)
	}
	body := roundup.Article.Body
	if !strings.Contains(body, "Clear & fair.") || strings.Contains(body, "Not yet moderated") || !strings.Contains(body, "★★★★☆") {
		t.Fatalf("roundup body: %q", body)
	}
	posts, _ := r.st.Posts(r.ctx, store.PostFilter{ChannelID: other.ID})
	for _, p := range posts {
		if p.ArticleID == roundup.Article.ID {
			t.Fatal("the roundup was planned on another channel")
		}
	}
}
