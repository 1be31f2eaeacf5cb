package mastodon

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

const watchToken = "mtok-watch-0a1b2c3d4e5f60718293a4b5c6d7e8f9"

// TestRepliesBecomeReviews drives one poll at a time (the same poll Watch
// runs every PollEvery): a reply that mentions herald (read from the
// notifications), a reply deeper in the thread that mentions no one (read
// from the status's context; from another reader, since a reader has one
// review of an article), a direct message (left out) and a reply to
// someone else's status (ignored) each come out as they should, once.
func TestRepliesBecomeReviews(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", watchToken)
	srv.MustAccount("reader", "reader-token")
	srv.MustAccount("second", "second-token")
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	n := New(Config{Store: st, Intake: &replies.Intake{Store: st, Now: func() time.Time { return now }, Log: log},
		Secret: func(string) string { return watchToken }, Log: log, Now: func() time.Time { return now },
		HTTP: &http.Client{Timeout: 5 * time.Second}})

	ch := &herald.Channel{Network: herald.NetworkMastodon, Title: "DQ Mastodon", Endpoint: srv.URL(),
		SecretEnv: "HERALD_MASTODON_TOKEN", Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent,
		ReviewLink: herald.ReviewLinkOff, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete, AutoApprove: true}
	if err := n.Verify(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	a := &herald.Article{Source: "test", ExternalID: "a1", Kind: herald.KindNews, Language: herald.LangEnglish,
		Title: "The corridor talks", Body: "Body.", URL: "https://example.org/a1", PublishedAt: now}
	if _, err := st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: now}}
	if _, err := st.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	key := herald.TID(now, 1)
	p.SendKey, p.SendKeyAt = key, &now
	rc, err := n.Publish(ctx, scheduler.Delivery{Post: &p.Post, Article: a, Channel: ch})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.ClaimDue(ctx, p.ID, p.Rev, now.Add(time.Minute)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := st.MarkSentRemote(ctx, p.ID, rc.RemoteID, a.ContentHash); err != nil {
		t.Fatal(err)
	}

	mention, err := srv.Post(mastodontest.PostInput{Username: "reader", Status: "@herald Clear and <fair> reporting", InReplyToID: rc.RemoteID, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	deeper, err := srv.Post(mastodontest.PostInput{Username: "second", Status: "And the map was useful too", InReplyToID: mention.ID, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Post(mastodontest.PostInput{Username: "reader", Status: "@herald a private word", InReplyToID: rc.RemoteID, Visibility: "direct"}); err != nil {
		t.Fatal(err)
	}
	other, _ := srv.Post(mastodontest.PostInput{Username: "reader", Status: "my own thread"})
	if _, err := srv.Post(mastodontest.PostInput{Username: "reader", Status: "@herald look at this", InReplyToID: other.ID}); err != nil {
		t.Fatal(err)
	}

	n.poll(ctx)
	rv, err := st.ReviewByRemote(ctx, mention.ID)
	if err != nil {
		t.Fatalf("the mention did not become a review: %v\n%s", err, logs.String())
	}
	if rv.ArticleID != a.ID || rv.Text != "Clear and <fair> reporting" || rv.UserID >= 0 {
		t.Fatalf("review %+v", rv)
	}
	deep, err := st.ReviewByRemote(ctx, deeper.ID)
	if err != nil || deep.ArticleID != a.ID || deep.Text != "And the map was useful too" {
		t.Fatalf("the reply deeper in the thread: %+v %v", deep, err)
	}
	all, err := st.Reviews(ctx, store.ReviewFilter{})
	if err != nil || len(all) != 2 {
		t.Fatalf("reviews %d (%v), want 2: the direct message and the reply elsewhere are not reviews", len(all), err)
	}

	// The cursor is kept: a new Network (a restart) reads nothing twice,
	// and a new mention is read.
	cur, ok, err := st.Value(ctx, cursorKey(ch))
	if err != nil || !ok || cur == "" {
		t.Fatalf("cursor %q %v %v", cur, ok, err)
	}
	before := len(srv.Calls("GET /api/v1/notifications"))
	srv.MustAccount("third", "third-token")
	later, _ := srv.Post(mastodontest.PostInput{Username: "third", Status: "@herald one more thing", InReplyToID: rc.RemoteID})
	n2 := New(n.cfg)
	n2.poll(ctx)
	calls := srv.Calls("GET /api/v1/notifications")
	if len(calls) != before+1 {
		t.Fatalf("%d notification reads after the restart", len(calls)-before)
	}
	if _, err := st.ReviewByRemote(ctx, later.ID); err != nil {
		t.Fatalf("the mention after the restart: %v", err)
	}
	if all, _ := st.Reviews(ctx, store.ReviewFilter{}); len(all) != 3 {
		t.Fatalf("%d reviews after the restart, want 3", len(all))
	}
	if strings.Contains(logs.String(), watchToken) {
		t.Fatal("the token is in the log")
	}
}
