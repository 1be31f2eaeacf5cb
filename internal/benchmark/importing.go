package benchmark

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/store"
)

// Import defaults: issue 2's load, imported in turns of a thousand pages.
const (
	DefaultImportPages = 10_000
	DefaultImportChunk = 1_000
)

// ImportConfig is an import load: Pages generated pages (see WritePages),
// imported Chunk at a time. Zero values take the defaults.
type ImportConfig struct {
	Pages int
	Chunk int
	// Dir holds the pages and the databases; "" means a temporary
	// directory removed after.
	Dir string
}

func (c *ImportConfig) defaults() {
	if c.Pages <= 0 {
		c.Pages = DefaultImportPages
	}
	if c.Chunk <= 0 {
		c.Chunk = DefaultImportChunk
	}
	c.Chunk = min(c.Chunk, c.Pages)
}

// ImportResult is what one import run measured.
type ImportResult struct {
	Pages int
	// Rate is articles per second through ingest.Importer: reading,
	// parsing, cleaning and storing each page. StoreRate is articles per
	// second for storing the very same articles, already made, into a
	// fresh store with store.UpsertArticle: the floor the importer stands
	// on. Ratio is Rate over StoreRate.
	Rate      float64
	StoreRate float64
	Ratio     float64
	// New counts the pages imported as new articles; every one should be.
	New int
}

// Import generates cfg.Pages pages into a temporary directory, outside the
// clock, and imports them through ingest.Importer.ImportPaths into a fresh
// store; in the same run, in turns of cfg.Chunk pages, it stores the
// articles the importer made, copied, into a second fresh store with a
// plain loop of store.UpsertArticle, so that a neighbour's load weighs on
// both alike. It fails when the pages cannot be written, a store cannot be
// opened, or a page does not import as a new article.
func Import(ctx context.Context, cfg ImportConfig) (ImportResult, error) {
	cfg.defaults()
	res := ImportResult{Pages: cfg.Pages}
	dir, cleanup, err := workDir(cfg.Dir)
	if err != nil {
		return res, err
	}
	defer cleanup()
	chunkDir := func(i int) string { return filepath.Join(dir, "pages", fmt.Sprintf("%05d", i/cfg.Chunk)) }
	if err := writePages(cfg.Pages, chunkDir); err != nil {
		return res, err
	}
	st, err := store.Open(filepath.Join(dir, "import.db"))
	if err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	defer st.Close()
	plain, err := store.Open(filepath.Join(dir, "plain.db"))
	if err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	defer plain.Close()

	im := &ingest.Importer{Store: Upserter{Store: st}, Options: ingest.Options{Source: "bench"}}
	var importing, storing time.Duration
	made := make([]*herald.Article, 0, cfg.Chunk)
	for lo := 0; lo < cfg.Pages; lo += cfg.Chunk {
		made = made[:0]
		var failed error
		start := time.Now()
		sum, err := im.ImportPaths(ctx, []string{chunkDir(lo)}, func(r ingest.Result) {
			if r.Err != nil && failed == nil {
				failed = r.Err
			}
			if r.Article != nil {
				made = append(made, r.Article)
			}
		})
		importing += time.Since(start)
		if err != nil {
			return res, fmt.Errorf("benchmark: import: %w", err)
		}
		res.New += sum.New
		if sum.Failed > 0 || sum.New != len(made) {
			return res, fmt.Errorf("benchmark: import: %s; first failure: %v", sum, failed)
		}
		copies := make([]*herald.Article, len(made))
		for i, a := range made {
			c := *a
			c.ID = 0
			copies[i] = &c
		}
		start = time.Now()
		for _, a := range copies {
			if _, err := plain.UpsertArticle(ctx, a); err != nil {
				return res, fmt.Errorf("benchmark: plain upsert: %w", err)
			}
		}
		storing += time.Since(start)
	}
	res.Rate = rate(res.New, importing)
	res.StoreRate = rate(res.New, storing)
	if res.StoreRate > 0 {
		res.Ratio = res.Rate / res.StoreRate
	}
	if res.New != cfg.Pages {
		return res, fmt.Errorf("benchmark: import: %d of %d pages imported as new articles", res.New, cfg.Pages)
	}
	return res, nil
}

// Upserter adapts *store.Store to ingest.Upserter, as cmd/herald does.
type Upserter struct{ Store *store.Store }

// Upsert stores a and says whether it was new, changed or unchanged; it
// fails as store.UpsertArticle does.
func (u Upserter) Upsert(ctx context.Context, a *herald.Article) (ingest.Outcome, error) {
	out, err := u.Store.UpsertArticle(ctx, a)
	switch {
	case err != nil:
		return ingest.Failed, err
	case out == store.Created:
		return ingest.New, nil
	case out == store.Updated:
		return ingest.Updated, nil
	}
	return ingest.Unchanged, nil
}
