package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// numberedArticle is the i-th article of a test: its own external id and URL.
func numberedArticle(i int) *herald.Article {
	a := sampleArticle()
	a.ExternalID = fmt.Sprintf("load-%05d", i)
	a.URL = fmt.Sprintf("https://example.org/load/%d", i)
	a.Title = fmt.Sprintf("Article number %d", i)
	return a
}

func TestBackupUnderWriteLoadIsAConsistentSnapshot(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	const before = 200
	for i := range before {
		if _, err := s.UpsertArticle(ctx, numberedArticle(i)); err != nil {
			t.Fatal(err)
		}
	}

	// A writer goes on inserting, in order, while the backup runs.
	stop, writing, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		for i := before; ; i++ {
			if _, err := s.UpsertArticle(ctx, numberedArticle(i)); err != nil {
				done <- err
				return
			}
			if i == before {
				close(writing)
			}
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
		}
	}()
	<-writing
	path := filepath.Join(t.TempDir(), "backup.db")
	err := s.Backup(ctx, path)
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatalf("the writer failed while the backup ran: %v", werr)
	}
	if err != nil {
		t.Fatalf("backup under write load: %v", err)
	}

	lines, err := store.IntegrityCheck(ctx, path)
	if err != nil || len(lines) != 1 || lines[0] != "ok" {
		t.Fatalf("the backup's integrity_check says %q (err %v), want ok", lines, err)
	}
	b, err := store.Open(path)
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer b.Close()
	if len(b.Applied()) != 0 {
		t.Errorf("the backup was not at the current schema: opening it applied %v", b.Applied())
	}
	n, err := b.CountArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < before+1 {
		t.Fatalf("the backup holds %d articles, want at least the %d committed before it started", n, before+1)
	}
	// The writer committed in order, so a consistent snapshot holds exactly
	// the first n articles: none missing in between.
	for i := range n {
		if _, err := b.ArticleByExternalID(ctx, "file", numberedArticle(i).ExternalID); err != nil {
			t.Fatalf("the backup holds %d articles but not number %d: %v", n, i, err)
		}
	}
}

func TestBackupRefusesToOverwrite(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if _, err := s.UpsertArticle(ctx, numberedArticle(1)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cases := []struct {
		name    string
		prepare func(path string) error
	}{
		{"an earlier backup is kept as it is", func(p string) error { return s.Backup(ctx, p) }},
		{"an empty file is not filled in", func(p string) error { return os.WriteFile(p, nil, 0o600) }},
		{"a text file keeps its text", func(p string) error { return os.WriteFile(p, []byte("notes\n"), 0o600) }},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("target-%d", i))
			if err := c.prepare(path); err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Backup(ctx, path)
			if herald.ErrorCode(err) != herald.EConflict {
				t.Fatalf("backup over an existing file: err %v (code %q), want a conflict", err, herald.ErrorCode(err))
			}
			got, _ := os.ReadFile(path)
			if string(got) != string(want) {
				t.Errorf("the existing file changed: %d bytes, had %d", len(got), len(want))
			}
		})
	}
}

func TestIntegrityCheckFailsOnWhatIsNotADatabase(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notDB, []byte("this is not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, path string }{
		{"a missing file is an error", filepath.Join(dir, "missing.db")},
		{"a text file is an error", notDB},
	} {
		t.Run(c.name, func(t *testing.T) {
			if lines, err := store.IntegrityCheck(context.Background(), c.path); err == nil {
				t.Fatalf("integrity check of %s passed with %q", c.path, lines)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("the check created the missing file")
	}
}
