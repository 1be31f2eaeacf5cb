package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// loadArticle is the i-th article a test writes.
func loadArticle(i int) *herald.Article {
	return &herald.Article{Source: "load", ExternalID: fmt.Sprintf("load-%05d", i), Kind: herald.KindNews,
		Language: herald.LangEnglish, Title: fmt.Sprintf("Load article %d", i), Body: "A paragraph.\n\nAnother one.",
		URL: fmt.Sprintf("https://example.org/load/%d", i), PublishedAt: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func TestBackupUnderWriteLoadPassesIntegrityCheck(t *testing.T) {
	db := newDB(t)
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	const before = 100
	for i := range before {
		if _, err := st.UpsertArticle(ctx, loadArticle(i)); err != nil {
			t.Fatal(err)
		}
	}
	// Another writer, as herald run would be, inserts while the backup runs.
	stop, writing, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		for i := before; ; i++ {
			if _, err := st.UpsertArticle(ctx, loadArticle(i)); err != nil {
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
	out := filepath.Join(t.TempDir(), "herald-backup.db")
	r := runHerald(t, nil, "backup", "--db", db, out)
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("the writer failed during the backup: %v", err)
	}
	if r.code != exitOK {
		t.Fatalf("backup: %v", r)
	}
	if !strings.HasPrefix(r.lastLine(), "backup written: "+out+" (") || !strings.HasSuffix(r.lastLine(), "integrity_check: ok") {
		t.Errorf("backup says %q, want the file, its size and integrity_check: ok", r.lastLine())
	}
	lines, err := store.IntegrityCheck(ctx, out)
	if err != nil || strings.Join(lines, "") != "ok" {
		t.Fatalf("the backup's integrity_check: %q, %v", lines, err)
	}
	// Every article committed before the backup started is in it.
	var got []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", out, "--json", "--limit", "0"), &got)
	titles := map[string]bool{}
	for _, a := range got {
		titles[a.Title] = true
	}
	for i := range before + 1 {
		if !titles[loadArticle(i).Title] {
			t.Fatalf("the backup lacks %q, committed before it started (it has %d articles)", loadArticle(i).Title, len(got))
		}
	}
}

func TestBackupRefuses(t *testing.T) {
	db := newDB(t)
	mustRun(t, nil, "migrate", "--db", db)
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("yesterday's backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.db")
	cases := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"to overwrite an existing file", []string{"--db", db, existing}, exitFailed, existing + " already exists; a backup never overwrites a file"},
		{"to back up a database that is not there", []string{"--db", missing, filepath.Join(dir, "new.db")}, exitFailed, "no database at " + missing},
		{"to run without a file to write", []string{"--db", db}, exitUsage, "give one file to write the backup to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runHerald(t, nil, append([]string{"backup"}, c.args...)...)
			if r.code != c.code || !strings.Contains(r.stderr, c.says) {
				t.Fatalf("want exit %d saying %q\n%v", c.code, c.says, r)
			}
		})
	}
	if b, _ := os.ReadFile(existing); string(b) != "yesterday's backup" {
		t.Errorf("the existing file was changed: %q", b)
	}
	for _, p := range []string{missing, filepath.Join(dir, "new.db")} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("backup created %s", p)
		}
	}
}
