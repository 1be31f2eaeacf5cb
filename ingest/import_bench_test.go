package ingest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/internal/benchmark"
	"github.com/herald-news/herald/store"
)

// BenchmarkImport imports 10,000 generated pages in the agency's shapes
// (plain text with the body twice and the site's chrome, Markdown with
// front matter; English, Azerbaijani and Russian) through ingest.Importer
// into a fresh SQLite store, and reports articles per second, beside the
// rate of storing the same articles, already made, into another fresh
// store: benchmark.Import, which herald bench also runs. Generating the
// pages and opening the stores are outside the clock.
//
//	go test -run '^$' -bench BenchmarkImport -benchtime 1x ./ingest/
func BenchmarkImport(b *testing.B) {
	var res benchmark.ImportResult
	for b.Loop() {
		var err error
		res, err = benchmark.Import(b.Context(), benchmark.ImportConfig{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.Rate, "articles/s")
	b.ReportMetric(res.StoreRate, "store-articles/s")
	b.ReportMetric(res.Ratio, "ratio")
}

// TestGeneratedPagesImportCleanly keeps the generator honest on a few
// pages: each becomes one new article, with its chrome gone and each body
// paragraph once.
func TestGeneratedPagesImportCleanly(t *testing.T) {
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages")
	const n = 30
	if err := benchmark.WritePages(pages, n); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	im := &ingest.Importer{Store: benchmark.Upserter{Store: st}, Options: ingest.Options{Source: "bench"}}
	var arts []*herald.Article
	sum, err := im.ImportPaths(context.Background(), []string{pages}, func(r ingest.Result) {
		if r.Err != nil {
			t.Errorf("%s: %v", r.Path, r.Err)
		}
		if r.Article != nil {
			arts = append(arts, r.Article)
		}
	})
	if err != nil || sum.New != n {
		t.Fatalf("import: %s, %v; want %d new", sum, err, n)
	}
	langs := map[herald.Language]int{}
	for _, a := range arts {
		langs[a.Language]++
		text := a.Lead + "\n\n" + a.Body
		for _, chrome := range []string{"Leave a review", "Rəy bildirin", "Оставить отзыв", "News Line", "Xəbər lenti"} {
			if strings.Contains(text, chrome) {
				t.Errorf("article %q kept the chrome line %q", a.Title, chrome)
			}
		}
		seen := map[string]bool{}
		for _, p := range a.Paragraphs() {
			if len(p) > 40 && seen[p] {
				t.Errorf("article %q has a paragraph twice: %q", a.Title, p)
			}
			seen[p] = true
		}
	}
	if len(langs) != 3 {
		t.Errorf("languages detected: %v; want en, az and ru", langs)
	}
}
