package scheduler_test

import (
	"context"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// An article held for an editor (an episode whose air day the page does
// not tell) is stored but never planned on its own; the people in charge
// are told once; an editor's schedule still plans it.
func TestArticlesHeldForAnEditorAreNotPostedOnTheirOwn(t *testing.T) {
	r := newRig(t)
	r.channel(nil)
	r.w.Notifier = scheduler.NotifierFunc(func(ctx context.Context, ev scheduler.Event) {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
	})
	held := r.article("held", func(a *herald.Article) {
		a.Kind = herald.KindEpisode
		a.NeedsEditor = herald.HeldReason(herald.HeldNoDay, "21:00")
	})
	r.article("free", nil)
	r.sweep()
	for _, p := range r.posts() {
		if p.ArticleID == held.ID {
			t.Fatalf("the held article got post %d (%s) on its own", p.ID, p.State)
		}
	}
	if len(r.posts()) != 1 {
		t.Fatalf("%d posts planned, want one for the article that is not held", len(r.posts()))
	}
	if kinds := r.eventKinds(); len(kinds) != 1 || kinds[0] != scheduler.EventArticleHeld {
		t.Errorf("events %v, want one %s", kinds, scheduler.EventArticleHeld)
	}
	r.sweep() // a later sweep neither plans it nor tells again
	if len(r.posts()) != 1 || len(r.eventKinds()) != 1 {
		t.Errorf("after a second sweep: %d posts, %d events", len(r.posts()), len(r.eventKinds()))
	}
	if _, err := r.w.PlanArticle(r.ctx, held.ID); err != nil {
		t.Fatalf("an editor could not schedule the held article: %v", err)
	}
	if len(r.posts()) != 2 {
		t.Fatal("the editor's schedule planned nothing for the held article")
	}
}

// Importing an archive does not flood the owners: a held article that is
// old news, or that no channel takes, is stored held without a notice.
func TestHeldArticlesNobodyWouldPostAreNotNotified(t *testing.T) {
	r := newRig(t)
	r.channel(nil) // English only
	r.w.Notifier = scheduler.NotifierFunc(func(ctx context.Context, ev scheduler.Event) {
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
	})
	held := func(a *herald.Article) {
		a.Kind = herald.KindEpisode
		a.NeedsEditor = herald.HeldReason(herald.HeldNoDay, "21:00")
	}
	r.article("old", func(a *herald.Article) {
		held(a)
		a.PublishedAt = r.clock.now().AddDate(0, -3, 0)
	})
	r.article("russian", func(a *herald.Article) {
		held(a)
		a.Language = herald.LangRussian
	})
	r.sweep()
	if kinds := r.eventKinds(); len(kinds) != 0 {
		t.Errorf("events %v for held articles herald would not have posted anyway", kinds)
	}
	r.article("current", held)
	r.sweep()
	if kinds := r.eventKinds(); len(kinds) != 1 || kinds[0] != scheduler.EventArticleHeld {
		t.Errorf("events %v, want one %s for the current English one", kinds, scheduler.EventArticleHeld)
	}
}
