package mastodon_test

import (
	"context"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/mastodon"
	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// clock is a test clock the dispatcher and the network share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// dispatchRig is the real dispatcher driving the real network against the fake.
type dispatchRig struct {
	srv *mastodontest.Server
	st  *store.Store
	d   *scheduler.Dispatcher
	clk *clock
	ch  *herald.Channel
}

func newDispatchRig(t *testing.T) *dispatchRig {
	t.Helper()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)}
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", token)
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n := mastodon.New(mastodon.Config{Store: st, Secret: func(string) string { return token }, Now: clk.now,
		HTTP: &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}})
	ch := &herald.Channel{Network: herald.NetworkMastodon, Title: "DQ Mastodon", Endpoint: srv.URL(),
		SecretEnv: "HERALD_TEST_MASTODON_TOKEN", Visibility: herald.VisibilityPublic, Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkOff,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete, Timezone: "UTC"}
	if err := n.Verify(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	a := article()
	a.Source, a.ExternalID, a.PublishedAt = "test", "a1", clk.now()
	if _, err := st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: clk.now()}}
	if _, err := st.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	d := &scheduler.Dispatcher{Store: st, Now: clk.now, Exclusive: true, SendTimeout: 2 * time.Second,
		Networks: map[string]scheduler.Network{herald.NetworkMastodon: n}}
	return &dispatchRig{srv: srv, st: st, d: d, clk: clk, ch: ch}
}

func (r *dispatchRig) run(t *testing.T, rounds int, step time.Duration) {
	t.Helper()
	for range rounds {
		if _, err := r.d.Dispatch(context.Background()); err != nil {
			t.Fatal(err)
		}
		r.d.Wait()
		r.clk.add(step)
	}
}

func (r *dispatchRig) post(t *testing.T) *store.PostRow {
	t.Helper()
	ps, err := r.st.Posts(context.Background(), store.PostFilter{})
	if err != nil || len(ps) != 1 {
		t.Fatalf("posts: %d %v", len(ps), err)
	}
	return ps[0]
}

func TestTheDispatcherSettlesAmbiguousSendsWithTheKey(t *testing.T) {
	r := newDispatchRig(t)
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", DropAfterStore: true, Count: 2}); err != nil {
		t.Fatal(err)
	}
	r.run(t, 8, time.Minute)
	p := r.post(t)
	sts := r.srv.Statuses("herald")
	if p.State != herald.PostSent || len(sts) != 1 || p.RemoteID != sts[0].ID {
		t.Fatalf("post %s remote %q; %d statuses on the instance; want sent, exactly one", p.State, p.RemoteID, len(sts))
	}
	calls := r.srv.Calls("POST /api/v1/statuses")
	if len(calls) != 3 || calls[0].IdempotencyKey != p.SendKey || calls[2].IdempotencyKey != p.SendKey {
		t.Fatalf("calls %+v, want three with the post's key %s", calls, p.SendKey)
	}
}

func TestTheDispatcherGivesUpRepeatingPastTheKeysHour(t *testing.T) {
	r := newDispatchRig(t)
	// A send held an hour by the instance before it is cut: by the time the
	// dispatcher hears, the key is too old to ask with.
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", DropAfterStore: true}); err != nil {
		t.Fatal(err)
	}
	p := r.post(t)
	at := r.clk.now().Add(-55 * time.Minute)
	if _, _, err := r.st.SetSendKey(context.Background(), p.ID, herald.TID(at, 1), at); err != nil {
		t.Fatal(err)
	}
	r.run(t, 1, time.Minute)
	if p := r.post(t); p.State != herald.PostUnknown {
		t.Fatalf("post %s, want unknown: an hour-old key cannot settle it", p.State)
	}
}

func TestTheDispatcherWaitsOutA429(t *testing.T) {
	r := newDispatchRig(t)
	if err := r.srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", RetryAfter: 120}); err != nil {
		t.Fatal(err)
	}
	r.run(t, 1, time.Minute)
	if p := r.post(t); p.State == herald.PostSent {
		t.Fatal("sent through a 429")
	}
	r.run(t, 1, 0) // a minute later: still inside the 120 s
	if n := len(r.srv.Calls("POST /api/v1/statuses")); n != 1 {
		t.Fatalf("%d sends before X-RateLimit-Reset, want 1", n)
	}
	r.clk.add(2 * time.Minute)
	r.run(t, 1, 0)
	if p := r.post(t); p.State != herald.PostSent || len(r.srv.Statuses("herald")) != 1 {
		t.Fatalf("after the reset: %s", p.State)
	}
}
