package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/herald-news/herald"
)

func TestWritesCommittedTogetherKeepEachOnesOutcome(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a := sampleArticle()
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	const n = 200
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &herald.Review{ArticleID: a.ID, UserID: int64(1000 + i), Text: fmt.Sprintf("Review %d, with words.", i),
				Source: herald.ReviewComment, Status: herald.ReviewPending}
			if i%10 == 3 {
				r.ArticleID = 999_999 // no such article: this one alone must fail
			}
			_, errs[i] = s.SaveReview(ctx, r)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if (i%10 == 3) != (err != nil) {
			t.Errorf("review %d: %v", i, err)
		}
	}
	var stored int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM reviews`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != n-n/10 {
		t.Fatalf("%d reviews stored, want %d: a failing write took others with it, or one was lost", stored, n-n/10)
	}
}
