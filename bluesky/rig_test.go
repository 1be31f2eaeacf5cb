package bluesky_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bluesky"
	"github.com/herald-news/herald/blueskytest"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// appPassword is the rig's secret: it must appear in no log line.
const (
	handle      = "herald.test"
	password    = "main-password-never-used"
	secretEnv   = "HERALD_TEST_BLUESKY_PASSWORD"
	readerPass  = "reader-password"
	readerHandl = "reader.test"
)

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

// syncBuffer is a log sink safe for the goroutines that write to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type rig struct {
	t      *testing.T
	ctx    context.Context
	clock  *clock
	fake   *blueskytest.Server
	st     *store.Store
	net    *bluesky.Network
	d      *scheduler.Dispatcher
	w      *scheduler.Watcher
	ch     *herald.Channel
	secret string // the app password
	logs   *syncBuffer
	mu     sync.Mutex
	events []scheduler.Event
}

// newRig starts a fake PDS with herald's account and an app password for
// it, a store with a Bluesky channel verified through the Network, and a
// dispatcher driving the Network, all on one clock.
func newRig(t *testing.T, mut func(*herald.Channel)) *rig {
	t.Helper()
	r := &rig{t: t, ctx: context.Background(), clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, logs: &syncBuffer{}}
	r.fake = blueskytest.NewTestServer(t, blueskytest.WithClock(r.clock.now),
		blueskytest.WithAccount(handle, password), blueskytest.WithAccount(readerHandl, readerPass))
	r.secret = r.appPassword()
	made := r.secret
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(r.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.st = st
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	r.net = bluesky.New(bluesky.Config{Store: st, Intake: &replies.Intake{Store: st, Now: r.clock.now, Log: log},
		Secret: r.getenv, Log: log, Now: r.clock.now, PollEvery: r.pollEvery()})
	r.ch = &herald.Channel{Network: herald.NetworkBluesky, Title: "DQ Bluesky", Endpoint: r.fake.URL(), Handle: handle,
		SecretEnv: secretEnv, Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent,
		ReviewLink: herald.ReviewLinkOff, OnEdit: herald.OnEditKeep, OnUnpublish: herald.OnUnpublishDelete, AutoApprove: true}
	if mut != nil {
		mut(r.ch)
	}
	if err := r.net.Verify(r.ctx, r.ch); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateChannel(r.ctx, r.ch); err != nil {
		t.Fatal(err)
	}
	r.w = &scheduler.Watcher{Store: st, Now: r.clock.now, Zone: "Asia/Baku"}
	r.d = &scheduler.Dispatcher{Store: st, Now: r.clock.now, Exclusive: true, Log: log,
		Networks: map[string]scheduler.Network{herald.NetworkBluesky: r.net},
		Notifier: scheduler.NotifierFunc(func(ctx context.Context, ev scheduler.Event) {
			r.mu.Lock()
			r.events = append(r.events, ev)
			r.mu.Unlock()
		})}
	t.Cleanup(func() {
		for _, s := range []string{made, password} {
			if strings.Contains(r.logs.String(), s) {
				t.Errorf("a password appears in the log:\n%s", r.logs.String())
			}
		}
	})
	return r
}

func (r *rig) getenv(name string) string {
	if name == secretEnv {
		return r.secret
	}
	return ""
}

// appPassword makes one through the API, as an editor does in Settings.
func (r *rig) appPassword() string {
	r.t.Helper()
	s := xrpcPost(r.t, r.fake.URL(), "com.atproto.server.createSession", map[string]string{"identifier": handle, "password": password}, "")
	ap := xrpcPost(r.t, r.fake.URL(), "com.atproto.server.createAppPassword", map[string]string{"name": "herald"}, s["accessJwt"].(string))
	return ap["password"].(string)
}

func (r *rig) article(id string, mut func(*herald.Article)) *herald.Article {
	r.t.Helper()
	a := &herald.Article{Source: "test", ExternalID: id, Kind: herald.KindNews, Language: herald.LangEnglish,
		Title: "Əliyev and Blinken: the corridor, the treaty — and “human rights”",
		Lead:  "İlham Əliyev’s talks with Secretary Blinken ran longer than planned, officials in Bakı said on Monday.",
		Body:  "Body.", URL: "https://www.example.org/en/news/2026/12/" + id, PublishedAt: r.clock.now()}
	if mut != nil {
		mut(a)
	}
	if _, err := r.st.UpsertArticle(r.ctx, a); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.w.Sweep(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	return a
}

func (r *rig) dispatch() {
	r.t.Helper()
	if _, err := r.d.Dispatch(r.ctx); err != nil {
		r.t.Fatal(err)
	}
	r.d.Wait()
}

func (r *rig) posts(states ...herald.PostState) []*store.PostRow {
	r.t.Helper()
	ps, err := r.st.Posts(r.ctx, store.PostFilter{States: states})
	if err != nil {
		r.t.Fatal(err)
	}
	return ps
}

func (r *rig) records() []blueskytest.Record { return r.fake.Records(handle, "app.bsky.feed.post") }

func (r *rig) fault(f blueskytest.Fault) {
	r.t.Helper()
	if err := r.fake.InjectFault(f); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) unknownEvents() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.events {
		if ev.Kind == scheduler.EventPostUnknown {
			n++
		}
	}
	return n
}

func (r *rig) pollEvery() time.Duration { return 5 * time.Millisecond }
