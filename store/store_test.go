package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func openTest(t *testing.T) (*store.Store, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	s, err := store.Open(filepath.Join(t.TempDir(), "herald.db"), store.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, c
}

func sampleArticle() *herald.Article {
	return &herald.Article{
		Source: "file", ExternalID: "https://example.org/a/1", Kind: herald.KindCommentary,
		Language: herald.LangEnglish, Title: "A question", Lead: "The lead.",
		Body: "First paragraph.\n\nSecond paragraph.", Program: "Difficult Question",
		People: []string{"Azer Gasimly"}, URL: "https://example.org/a/1",
		PublishedAt: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
	}
}

func TestOpenAppliesMigrationsOnceAndRecordsThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Applied()) == 0 {
		t.Fatal("a fresh database had no migrations applied")
	}
	v, err := s.Version(context.Background())
	if err != nil || v != store.SchemaVersion() {
		t.Fatalf("version %d, %v; want %d", v, err, store.SchemaVersion())
	}
	s.Close()
	s, err = store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Applied()) != 0 {
		t.Fatalf("reopening applied %v again", s.Applied())
	}
}

func TestOpenRefusesADatabaseFromANewerHerald(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DB().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', 'x')`)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = store.Open(path)
	if !errors.Is(err, store.ErrTooNew) {
		t.Fatalf("open of a newer database: %v, want ErrTooNew", err)
	}
	if !strings.Contains(err.Error(), "newer herald") || !strings.Contains(err.Error(), path) {
		t.Fatalf("error does not explain itself: %v", err)
	}
}

func TestConnectionsHaveWALForeignKeysAndBusyTimeout(t *testing.T) {
	s, _ := openTest(t)
	var mode string
	var fk, busy int
	db := s.DB()
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode %q %v", mode, err)
	}
	if err := db.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign_keys %d %v", fk, err)
	}
	if err := db.QueryRow(`PRAGMA busy_timeout`).Scan(&busy); err != nil || busy < 1000 {
		t.Fatalf("busy_timeout %d %v", busy, err)
	}
}

func TestUpsertArticle(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	a := sampleArticle()
	out, err := s.UpsertArticle(ctx, a)
	if err != nil || out != store.Created || a.ID == 0 {
		t.Fatalf("first upsert: %v %v id=%d", out, err, a.ID)
	}
	created := a.UpdatedAt

	c.add(time.Hour)
	again := sampleArticle()
	out, err = s.UpsertArticle(ctx, again)
	if err != nil || out != store.Unchanged {
		t.Fatalf("same article again: %v %v", out, err)
	}
	if again.ID != a.ID || !again.UpdatedAt.Equal(created) {
		t.Fatalf("unchanged upsert moved the row: id %d updated %v", again.ID, again.UpdatedAt)
	}

	changed := sampleArticle()
	changed.Body += "\n\nA correction."
	out, err = s.UpsertArticle(ctx, changed)
	if err != nil || out != store.Updated {
		t.Fatalf("changed article: %v %v", out, err)
	}
	if changed.ContentHash == a.ContentHash || !changed.UpdatedAt.After(created) {
		t.Fatalf("changed article kept hash %s / updated_at %v", changed.ContentHash, changed.UpdatedAt)
	}
	n, _ := s.CountArticles(ctx)
	if n != 1 {
		t.Fatalf("%d articles stored, want 1", n)
	}
	got, err := s.Article(ctx, a.ID)
	if err != nil || got.Body != changed.Body || got.People[0] != "Azer Gasimly" {
		t.Fatalf("stored article %+v %v", got, err)
	}
}

func TestUpsertArticleWithoutADateKeepsTheFirstSighting(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	a := sampleArticle()
	a.PublishedAt = time.Time{}
	if _, err := s.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if !a.PublishedAt.Equal(c.now()) {
		t.Fatalf("published_at %v, want the time of import %v", a.PublishedAt, c.now())
	}
	c.add(time.Hour)
	b := sampleArticle()
	b.PublishedAt = time.Time{}
	out, err := s.UpsertArticle(ctx, b)
	if err != nil || out != store.Unchanged || !b.PublishedAt.Equal(a.PublishedAt) {
		t.Fatalf("re-import of an undated page: %v %v published %v", out, err, b.PublishedAt)
	}
}

func TestUpsertArticleRejectsInvalidArticlesNamingTheField(t *testing.T) {
	s, _ := openTest(t)
	a := sampleArticle()
	a.Kind = "gossip"
	_, err := s.UpsertArticle(context.Background(), a)
	var he *herald.Error
	if !errors.As(err, &he) || he.Field != "kind" || he.Code != herald.EInvalid {
		t.Fatalf("got %v, want an invalid kind error", err)
	}
}

func TestArticlesChangedSinceFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a := sampleArticle()
	s.UpsertArticle(ctx, a)
	b := sampleArticle()
	b.ExternalID, b.URL = "2", "https://example.org/a/2"
	s.UpsertArticle(ctx, b)
	got, seq, err := s.ArticlesChangedSince(ctx, 0, 10)
	if err != nil || len(got) != 2 || seq != 2 {
		t.Fatalf("changed since 0: %d articles, seq %d, %v", len(got), seq, err)
	}
	if err := s.SetArticleStatus(ctx, a.ID, herald.ArticleUnpublished); err != nil {
		t.Fatal(err)
	}
	got, seq, _ = s.ArticlesChangedSince(ctx, seq, 10)
	if len(got) != 1 || got[0].ID != a.ID || got[0].Status != herald.ArticleUnpublished || seq != 3 {
		t.Fatalf("after unpublishing: %+v seq %d", got, seq)
	}
}

func sampleChannel() *herald.Channel {
	return &herald.Channel{Network: "telegram", Chat: "-1001", Title: "DQ English",
		Language: herald.LangEnglish, Kinds: []herald.Kind{herald.KindCommentary},
		Slots: []string{"0 9 * * *", "0 19 * * *"}, QuietMode: herald.QuietSilent,
		ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete,
		MinGap: herald.Duration(30 * time.Minute), Quiet: herald.QuietHours{Start: 0, End: 7 * 60}}
}

func TestChannelsRoundTripAndRefuseDuplicates(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	c := sampleChannel()
	if err := s.CreateChannel(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateChannel(ctx, sampleChannel()); herald.ErrorCode(err) != herald.EConflict {
		t.Fatalf("second channel on the same chat: %v", err)
	}
	got, err := s.ChannelByRef(ctx, "dq english")
	if err != nil || got.ID != c.ID || len(got.Slots) != 2 || got.MinGap != c.MinGap || got.Quiet != c.Quiet {
		t.Fatalf("by title: %+v %v", got, err)
	}
	got.Paused = true
	if err := s.UpdateChannel(ctx, got); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Channel(ctx, c.ID)
	if !again.Paused {
		t.Fatal("update did not stick")
	}
	if err := s.DeleteChannel(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Channel(ctx, c.ID); herald.ErrorCode(err) != herald.ENotFound {
		t.Fatalf("deleted channel: %v", err)
	}
}

func TestPostLifecycle(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	a := sampleArticle()
	s.UpsertArticle(ctx, a)
	ch := sampleChannel()
	s.CreateChannel(ctx, ch)

	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
		ScheduledAt: c.now().Add(time.Minute)}}
	ins, err := s.PlanPost(ctx, p)
	if err != nil || !ins || p.State != herald.PostPlanned {
		t.Fatalf("plan: %v %v %+v", ins, err, p)
	}
	dup := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
		ScheduledAt: c.now().Add(time.Hour)}}
	if ins, err := s.PlanPost(ctx, dup); err != nil || ins || dup.ID != p.ID {
		t.Fatalf("planning twice inserted a second post: %v %v", ins, err)
	}

	if next, ok, _ := s.NextDue(ctx); !ok || !next.Equal(p.ScheduledAt) {
		t.Fatalf("next due %v %v, want the post's time %v", next, ok, p.ScheduledAt)
	}
	c.add(2 * time.Minute)
	heads, _ := s.QueueHeads(ctx)
	if len(heads) != 1 || heads[0].ID != p.ID {
		t.Fatalf("queue heads: %+v", heads)
	}
	if ok, err := s.ClaimPost(ctx, p.ID, c.now().Add(time.Minute)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if ok, _ := s.ClaimPost(ctx, p.ID, c.now().Add(time.Minute)); ok {
		t.Fatal("a post was claimed twice")
	}
	if err := s.MarkSent(ctx, p.ID, 42, nil, a.ContentHash); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, p.ID, 43, nil, a.ContentHash); err == nil {
		t.Fatal("a sent post was marked sent again")
	}
	got, _ := s.Post(ctx, p.ID)
	if got.State != herald.PostSent || got.MessageID != 42 || got.SentAt == nil || got.Attempts != 1 {
		t.Fatalf("after send: %+v", got)
	}
	if _, err := s.MoveState(ctx, p.ID, store.AnyRev, herald.PostCancelled, nil, "editor:1", nil); herald.ErrorCode(err) != herald.EConflict {
		t.Fatalf("cancelling a sent post: %v", err)
	}
}

func TestOrphanedSendsBecomeUnknown(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	a := sampleArticle()
	s.UpsertArticle(ctx, a)
	ch := sampleChannel()
	s.CreateChannel(ctx, ch)
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: c.now()}}
	s.PlanPost(ctx, p)
	s.ClaimPost(ctx, p.ID, c.now().Add(time.Minute))

	if got, _ := s.OrphanSending(ctx, c.now()); len(got) != 0 {
		t.Fatal("a post under a live lease was taken as orphaned")
	}
	c.add(2 * time.Minute)
	got, err := s.OrphanSending(ctx, c.now())
	if err != nil || len(got) != 1 || got[0].State != herald.PostUnknown {
		t.Fatalf("orphans: %+v %v", got, err)
	}
	again, _ := s.Post(ctx, p.ID)
	if again.State != herald.PostUnknown {
		t.Fatalf("state %s", again.State)
	}
}

func TestQueueHeadsAreEachChannelsFirstPostInOrder(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	busy := sampleChannel()
	s.CreateChannel(ctx, busy)
	quiet := sampleChannel()
	quiet.Chat, quiet.Title = "-1002", "Quiet"
	s.CreateChannel(ctx, quiet)
	var want int64
	for i := 0; i < 10; i++ {
		a := sampleArticle()
		a.ExternalID = fmt.Sprint("busy-", i)
		s.UpsertArticle(ctx, a)
		at := c.now().Add(-time.Hour)
		if i == 6 {
			at = at.Add(-time.Millisecond) // planned earliest, though inserted late
		}
		p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: busy.ID, Purpose: herald.PurposePublish, ScheduledAt: at}}
		s.PlanPost(ctx, p)
		if i == 6 {
			want = p.ID
		}
	}
	a := sampleArticle()
	a.ExternalID = "late"
	s.UpsertArticle(ctx, a)
	s.PlanPost(ctx, &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: quiet.ID, Purpose: herald.PurposePublish,
		ScheduledAt: c.now().Add(time.Hour)}})
	heads, err := s.QueueHeads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]int64{}
	for _, p := range heads {
		got[p.ChannelID] = p.ID
	}
	if len(heads) != 2 || got[busy.ID] != want || got[quiet.ID] == 0 {
		t.Fatalf("heads %v; want the busy channel's post %d (planned first) and the quiet channel's one", got, want)
	}
	if n, _ := s.CountDue(ctx, c.now()); n != 10 {
		t.Fatalf("CountDue = %d, want 10", n)
	}
	// The heads come from the index, one seek per channel, not from a scan
	// of every waiting post.
	rows, err := s.DB().QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT q.id FROM posts q INDEXED BY posts_queue WHERE q.channel_id = 1
		AND q.state IN ('planned', 'scheduled') ORDER BY q.scheduled_at, q.id LIMIT 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		rows.Scan(&id, &parent, &unused, &detail)
		plan += detail + "; "
	}
	if !strings.Contains(plan, "posts_queue") || strings.Contains(plan, "TEMP B-TREE") {
		t.Fatalf("a channel's first post is not read from posts_queue in order: %s", plan)
	}
}

func TestTheInboxKeepsUpdatesUntilTheyAreHandled(t *testing.T) {
	ctx := context.Background()
	s, c := openTest(t)
	if id, _, err := s.LastUpdateID(ctx); err != nil || id != 0 {
		t.Fatalf("fresh store: last update %d, %v", id, err)
	}
	batch := []store.InboxUpdate{{ID: 7, Raw: []byte(`{"update_id":7}`)}, {ID: 8, Raw: []byte(`{"update_id":8}`)}}
	if err := s.KeepUpdates(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := s.KeepUpdates(ctx, batch[:1]); err != nil {
		t.Fatalf("keeping an update twice: %v", err)
	}
	if err := s.UpdateHandled(ctx, 7); err != nil {
		t.Fatal(err)
	}
	pending, err := s.PendingUpdates(ctx)
	if err != nil || len(pending) != 1 || pending[0].ID != 8 || string(pending[0].Raw) != `{"update_id":8}` {
		t.Fatalf("pending after handling 7: %+v %v", pending, err)
	}
	id, at, err := s.LastUpdateID(ctx)
	if err != nil || id != 8 || !at.Equal(c.now()) {
		t.Fatalf("last update %d at %v, %v", id, at, err)
	}
}
