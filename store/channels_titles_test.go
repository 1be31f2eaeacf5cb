package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// TestMigrationRenamesDuplicateTitles takes a database back to before
// migration 0011, gives two channels the same title (as herald allowed
// then), and opens it: the migration applies, the older channel keeps the
// title and the other is renamed after its id.
func TestMigrationRenamesDuplicateTitles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, chat := range []string{"-1101", "-1102", "-1103", "-1104", "-1105"} {
		c := sampleChannel()
		c.Chat, c.Title = chat, "Dev"+chat
		if err := s.CreateChannel(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP INDEX channels_title`, `ALTER TABLE channels DROP COLUMN removed_at`,
		`DELETE FROM schema_migrations WHERE version = 11`, `UPDATE channels SET title = 'Dev' WHERE id IN (1, 2)`,
		`UPDATE channels SET title = 'dev' WHERE id = 3`,
		// Titles of the form the renaming gives, already there.
		`UPDATE channels SET title = 'Dev (#3)' WHERE id = 4`, `UPDATE channels SET title = 'DEV (#3) (#4)' WHERE id = 5`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	s, err = store.Open(path)
	if err != nil {
		t.Fatalf("migration 0011 failed on duplicate titles: %v", err)
	}
	defer s.Close()
	cs, err := s.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Dev", "Dev (#2)", "dev (#3)", "Dev (#3) (#4)", "DEV (#3) (#4) (#5)"}
	if len(cs) != len(want) {
		t.Fatalf("%d channels after the migration, want %d", len(cs), len(want))
	}
	for i, c := range cs {
		if c.Title != want[i] {
			t.Errorf("channel %d is titled %q, want %q", c.ID, c.Title, want[i])
		}
	}
	if c, err := s.ChannelByRef(ctx, "dev"); err != nil || c.ID != 1 {
		t.Errorf("ChannelByRef(dev) = %v, %v; want channel 1", c, err)
	}
}

func TestRemovedChannelKeepsItsPostsAndComesBack(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a := sampleArticle()
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	c := sampleChannel()
	c.Chat, c.Title, c.Kinds = "-1001", "Çətin sual", []herald.Kind{a.Kind}
	if err := s.CreateChannel(ctx, c); err != nil {
		t.Fatal(err)
	}
	other := sampleChannel()
	other.Chat, other.Title = "-1002", "ÇƏTIN SUAL"
	if err := s.CreateChannel(ctx, other); herald.ErrorCode(err) != herald.EConflict {
		t.Errorf("a title differing only in case: %v, want a conflict", err)
	}
	if _, err := s.PlanPost(ctx, &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: c.ID, Purpose: herald.PurposePublish,
		ScheduledAt: a.PublishedAt}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.RemoveChannel(ctx, c.ID)
	if err != nil || n != 1 {
		t.Fatalf("RemoveChannel = %d, %v; want 1 post cancelled", n, err)
	}
	if _, err := s.ChannelByRef(ctx, "Çətin sual"); herald.ErrorCode(err) != herald.ENotFound {
		t.Errorf("a removed channel is still found by title: %v", err)
	}
	posts, err := s.Posts(ctx, store.PostFilter{})
	if err != nil || len(posts) != 1 || posts[0].State != herald.PostCancelled {
		t.Errorf("the removed channel's post: %v, %v; want it kept, cancelled", posts, err)
	}
	again := sampleChannel()
	again.Chat, again.Title = "-1001", "Çətin sual"
	if err := s.CreateChannel(ctx, again); err != nil || again.ID != c.ID {
		t.Errorf("adding the chat again: id %d, %v; want channel %d back", again.ID, err, c.ID)
	}
}

// TestAmbiguousTitleIsRefusedWithTheMatches: SQLite's lower() folds only
// ASCII, so an old database may keep "Трудный вопрос" and "трудный вопрос"
// through migration 0011; naming either is refused, listing both.
func TestAmbiguousTitleIsRefusedWithTheMatches(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, chat := range []string{"-1101", "-1102"} {
		c := sampleChannel()
		c.Chat, c.Title = chat, "t"+chat
		if err := s.CreateChannel(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE channels SET title = 'Трудный вопрос' WHERE id = 1`, `UPDATE channels SET title = 'трудный вопрос' WHERE id = 2`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.ChannelByRef(ctx, "ТРУДНЫЙ ВОПРОС")
	if herald.ErrorCode(err) != herald.EConflict || !strings.Contains(err.Error(), "#1") || !strings.Contains(err.Error(), "#2") {
		t.Errorf("an ambiguous title: %v; want a conflict listing #1 and #2", err)
	}
	if c, err := s.ChannelByRef(ctx, "-1102"); err != nil || c.ID != 2 {
		t.Errorf("by chat it is still found: %v, %v", c, err)
	}
}
