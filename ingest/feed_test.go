package ingest_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// t0 is when the tests' feeds are added; the fixtures' items are published
// a few minutes later.
var t0 = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

type feedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *feedClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *feedClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// feedStore adapts *store.Store to ingest.FeedStore and ingest.Upserter,
// as cmd/herald does.
type feedStore struct{ st *store.Store }

func (s feedStore) DueFeeds(ctx context.Context, now time.Time) ([]ingest.Feed, error) {
	fs, err := s.st.DueFeeds(ctx, now)
	var out []ingest.Feed
	for _, f := range fs {
		in := ingest.Feed{ID: f.ID, URL: f.URL, Kind: f.Kind, Language: f.Language, Source: f.Source,
			FetchPage: f.FetchPage, Window: time.Duration(f.Window), ETag: f.ETag, LastModified: f.LastModified,
			LastOKAt: f.LastOKAt, Failures: f.Failures, Skipped: f.Skipped, AddedAt: f.AddedAt,
			Chrome: f.Chrome, Sections: f.Sections}
		for _, p := range f.Programs {
			prog, err := ingest.ParseProgram(p)
			if err != nil {
				return nil, err
			}
			in.Programs = append(in.Programs, prog)
		}
		out = append(out, in)
	}
	return out, err
}

func (s feedStore) SaveFeedPoll(ctx context.Context, id int64, p ingest.FeedPoll) error {
	return s.st.SaveFeedPoll(ctx, id, store.FeedPoll{ETag: p.ETag, LastModified: p.LastModified,
		PolledAt: p.PolledAt, OKAt: p.OKAt, Failures: p.Failures, NextPollAt: p.NextPollAt,
		LastError: p.LastError, Skipped: p.Skipped})
}

func (s feedStore) HasArticle(ctx context.Context, source, externalID string) (bool, error) {
	_, err := s.st.ArticleByExternalID(ctx, source, externalID)
	if herald.ErrorCode(err) == herald.ENotFound {
		return false, nil
	}
	return err == nil, err
}

func (s feedStore) Upsert(ctx context.Context, a *herald.Article) (ingest.Outcome, error) {
	out, err := s.st.UpsertArticle(ctx, a)
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

// feedEnv is a store on a driven clock and a poller over it.
type feedEnv struct {
	t       *testing.T
	clock   *feedClock
	st      *store.Store
	poller  *ingest.FeedPoller
	changed atomic.Int32 // calls of the Changed hook
}

func newFeedEnv(t *testing.T) *feedEnv {
	t.Helper()
	e := &feedEnv{t: t, clock: &feedClock{t: t0}}
	st, err := store.Open(filepath.Join(t.TempDir(), "herald.db"), store.WithClock(e.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e.st = st
	e.poller = &ingest.FeedPoller{Feeds: feedStore{st}, Articles: feedStore{st}, Now: e.clock.now,
		Changed: func() { e.changed.Add(1) }, Interval: 5 * time.Minute, Timeout: 2 * time.Second}
	return e
}

// add adds a feed at the clock's time, as herald feed add does.
func (e *feedEnv) add(u string, kind herald.Kind, opts ...func(*store.Feed)) *store.Feed {
	e.t.Helper()
	f := &store.Feed{URL: u, Kind: kind, Language: herald.LangEnglish}
	for _, o := range opts {
		o(f)
	}
	if err := e.st.AddFeed(context.Background(), f); err != nil {
		e.t.Fatal(err)
	}
	return f
}

func (e *feedEnv) poll() {
	e.t.Helper()
	if err := e.poller.PollDue(context.Background()); err != nil {
		e.t.Fatalf("PollDue: %v", err)
	}
}

func (e *feedEnv) feed(id int64) *store.Feed {
	e.t.Helper()
	f, err := e.st.FeedByRef(context.Background(), fmt.Sprint(id))
	if err != nil {
		e.t.Fatal(err)
	}
	return f
}

func (e *feedEnv) articles() []*herald.Article {
	e.t.Helper()
	arts, err := e.st.Articles(context.Background(), store.ArticleFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return arts
}

func (e *feedEnv) article(source, externalID string) *herald.Article {
	e.t.Helper()
	a, err := e.st.ArticleByExternalID(context.Background(), source, externalID)
	if err != nil {
		e.t.Fatalf("article %s/%s: %v", source, externalID, err)
	}
	return a
}

// site is a fake web site on loopback: it serves documents by path with
// validators, answers conditional GETs, and records the requests.
type site struct {
	srv *httptest.Server
	mu  sync.Mutex
	doc map[string]doc
	req map[string][]http.Header // request headers by path
}

type doc struct {
	body        string
	contentType string
	etag        string
	modified    time.Time
	handler     http.HandlerFunc // serves the path instead, when set
}

func newSite(t *testing.T) *site {
	s := &site{doc: map[string]doc{}, req: map[string][]http.Header{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	d, ok := s.doc[r.URL.Path]
	s.req[r.URL.Path] = append(s.req[r.URL.Path], r.Header.Clone())
	s.mu.Unlock()
	switch {
	case !ok:
		http.NotFound(w, r)
	case d.handler != nil:
		d.handler(w, r)
	default:
		w.Header().Set("Content-Type", d.contentType)
		if d.etag != "" {
			w.Header().Set("ETag", d.etag)
		}
		http.ServeContent(w, r, "", d.modified, strings.NewReader(d.body))
	}
}

func (s *site) set(path string, d doc) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.doc[path] = d
	return s.srv.URL + path
}

func (s *site) requests(path string) []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.req[path]...)
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFeedItemsBecomeCleanArticles(t *testing.T) {
	type want struct {
		externalID, title, lead, bodyHas, url, image string
		kind                                         herald.Kind
		published                                    time.Time
	}
	cases := []struct {
		name, file, contentType string
		want                    []want
	}{
		{"an RSS feed gives one article per item, with HTML descriptions read as paragraphs, chrome gone and categories naming a kind", "rss.xml", "application/rss+xml", []want{
			{externalID: "https://gazette.example/news/harbour-budget", title: "Council approves the harbour budget",
				lead:    "The town council approved the harbour budget on Friday after a long debate about the ferry.",
				bodyHas: "The mayor said the ferry plan (https://gazette.example/ferry) would be ready by summer.",
				url:     "https://gazette.example/news/harbour-budget", image: "https://gazette.example/img/harbour.jpg",
				kind: herald.KindNews, published: t0.Add(10 * time.Minute)},
			{externalID: "https://gazette.example/opinion/ferry", title: "Why the ferry matters",
				lead:    "The ferry is the town's lifeline: without it, the island school closes every winter.",
				bodyHas: "Every budget since 1990", url: "https://gazette.example/opinion/ferry",
				kind: herald.KindCommentary, published: t0.Add(20 * time.Minute)},
		}},
		{"an Atom feed gives its entries, their HTML content and titles as text", "atom.xml", "application/atom+xml", []want{
			{externalID: "https://gazette.example/news/tram-line", title: "Tram line reopens after repairs",
				lead:    "The tram line along the harbour reopened on Saturday morning after three weeks of repairs.",
				bodyHas: "Trams run every ten minutes", url: "https://gazette.example/news/tram-line",
				kind: herald.KindNews, published: t0.Add(15 * time.Minute)},
		}},
		{"a JSON Feed gives its items, plain text paragraphs kept apart and the GUID as external id when there is no link", "feed.json", "application/feed+json", []want{
			{externalID: "gazette-json-7", title: "Lighthouse keeper retires after forty years",
				lead:    "The lighthouse keeper climbed the stairs for the last time on Saturday, forty years after his first night.",
				bodyHas: "He says he will miss the storms", image: "https://gazette.example/img/lighthouse.jpg",
				kind: herald.KindNews, published: t0.Add(12 * time.Minute)},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newFeedEnv(t)
			s := newSite(t)
			f := e.add(s.set("/feed", doc{body: fixture(t, c.file), contentType: c.contentType}), herald.KindNews)
			e.clock.add(time.Hour)
			e.poll()

			source := "feed:" + strings.TrimPrefix(s.srv.URL, "http://")
			if got := len(e.articles()); got != len(c.want) {
				t.Fatalf("%d articles stored, want %d", got, len(c.want))
			}
			for _, w := range c.want {
				a := e.article(source, w.externalID)
				if a.Title != w.title || a.Lead != w.lead || !strings.Contains(a.Body, w.bodyHas) {
					t.Errorf("article %s:\ntitle %q\nlead  %q\nbody  %q\nwant title %q, lead %q, body with %q",
						w.externalID, a.Title, a.Lead, a.Body, w.title, w.lead, w.bodyHas)
				}
				if strings.Contains(a.Body, "Follow us") {
					t.Errorf("article %s keeps site chrome: %q", w.externalID, a.Body)
				}
				if a.URL != w.url || a.ImageURL != w.image || a.Kind != w.kind || a.Language != herald.LangEnglish ||
					!a.PublishedAt.Equal(w.published) {
					t.Errorf("article %s: url %q image %q kind %s language %s published %s; want %q %q %s en %s",
						w.externalID, a.URL, a.ImageURL, a.Kind, a.Language, a.PublishedAt, w.url, w.image, w.kind, w.published)
				}
			}
			got := e.feed(f.ID)
			if got.Failures != 0 || got.LastError != "" || got.LastOKAt == nil || !got.NextPollAt.Equal(e.clock.now().Add(5*time.Minute)) {
				t.Errorf("feed after a good poll: failures %d, error %q, ok at %v, next poll %s; want none, none, now, in 5 minutes",
					got.Failures, got.LastError, got.LastOKAt, got.NextPollAt)
			}
			if e.changed.Load() != 1 {
				t.Errorf("Changed was called %d times, want once", e.changed.Load())
			}
			ua := s.requests("/feed")[0].Get("User-Agent")
			if !strings.Contains(ua, "herald") {
				t.Errorf("User-Agent is %q; want one naming herald", ua)
			}
		})
	}
}

func TestFeedIsPolledWithConditionalGET(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	modified := t0.Add(30 * time.Minute)
	f := e.add(s.set("/feed", doc{body: fixture(t, "rss.xml"), contentType: "application/rss+xml",
		etag: `"v1"`, modified: modified}), herald.KindNews)
	e.clock.add(time.Hour)
	e.poll()
	before := e.articles()

	e.clock.add(4 * time.Minute)
	e.poll() // not due yet
	if n := len(s.requests("/feed")); n != 1 {
		t.Fatalf("the feed was fetched %d times before its next poll was due, want once", n)
	}
	e.clock.add(time.Minute)
	e.poll()
	reqs := s.requests("/feed")
	if len(reqs) != 2 {
		t.Fatalf("the feed was fetched %d times, want twice", len(reqs))
	}
	second := reqs[1]
	if second.Get("If-None-Match") != `"v1"` || second.Get("If-Modified-Since") != modified.Format(http.TimeFormat) {
		t.Errorf("second poll sent If-None-Match %q and If-Modified-Since %q; want %q and %q",
			second.Get("If-None-Match"), second.Get("If-Modified-Since"), `"v1"`, modified.Format(http.TimeFormat))
	}
	after := e.articles()
	if len(after) != len(before) {
		t.Fatalf("after a 304 there are %d articles, want %d", len(after), len(before))
	}
	for i := range after {
		if !after[i].UpdatedAt.Equal(before[i].UpdatedAt) {
			t.Errorf("article %d was written again after a 304", after[i].ID)
		}
	}
	if e.changed.Load() != 1 {
		t.Errorf("Changed was called %d times, want once: a 304 brings nothing", e.changed.Load())
	}
	got := e.feed(f.ID)
	if got.ETag != `"v1"` || got.Failures != 0 || !got.NextPollAt.Equal(e.clock.now().Add(5*time.Minute)) {
		t.Errorf("feed after a 304: etag %q, failures %d, next poll %s; want the etag kept, no failures, in 5 minutes",
			got.ETag, got.Failures, got.NextPollAt)
	}
}

func TestSameItemTwiceIsOneArticleAndAChangedItemUpdatesIt(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	rss := fixture(t, "rss.xml")
	e.add(s.set("/feed", doc{body: rss, contentType: "application/rss+xml"}), herald.KindNews)
	e.clock.add(time.Hour)
	e.poll()
	source := "feed:" + strings.TrimPrefix(s.srv.URL, "http://")
	first := e.article(source, "https://gazette.example/news/harbour-budget")

	e.clock.add(5 * time.Minute)
	e.poll()
	if n := len(e.articles()); n != 2 || e.changed.Load() != 1 {
		t.Fatalf("after reading the same feed twice: %d articles and %d change notices, want 2 and 1", n, e.changed.Load())
	}

	s.set("/feed", doc{body: strings.Replace(rss, "after a long debate about the ferry", "after a debate that ran past midnight", 1),
		contentType: "application/rss+xml"})
	e.clock.add(5 * time.Minute)
	e.poll()
	changed := e.article(source, "https://gazette.example/news/harbour-budget")
	if n := len(e.articles()); n != 2 {
		t.Fatalf("after an item changed there are %d articles, want still 2", n)
	}
	if changed.ID != first.ID || !strings.Contains(changed.Lead, "past midnight") || !changed.UpdatedAt.After(first.UpdatedAt) {
		t.Errorf("changed item: id %d (was %d), lead %q, updated %s (was %s); want the same article with the new lead, updated",
			changed.ID, first.ID, changed.Lead, changed.UpdatedAt, first.UpdatedAt)
	}
	if e.changed.Load() != 2 {
		t.Errorf("Changed was called %d times, want twice", e.changed.Load())
	}
}

func TestAFailingFeedBacksOffAndTheOthersAreStillPolled(t *testing.T) {
	e := newFeedEnv(t)
	e.poller.Timeout = 200 * time.Millisecond
	e.poller.MaxBytes = 64 << 10
	s := newSite(t)
	huge := `<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>` +
		strings.Repeat(`<item><title>Filler</title><description>`+strings.Repeat("x", 1000)+`</description></item>`, 100) +
		`</channel></rss>`
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	bad := []struct {
		name, path string
		d          doc
		reason     string
	}{
		{"a feed of malformed XML", "/malformed", doc{body: fixture(t, "malformed.xml"), contentType: "application/rss+xml"},
			"not a feed herald can read"},
		{"a huge feed that says its length", "/huge", doc{body: huge, contentType: "application/rss+xml"},
			"over the 65536 bytes limit"},
		{"a huge feed streamed without a length", "/stream", doc{handler: func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i < 10; i++ {
				w.Write([]byte(huge[i*len(huge)/10 : (i+1)*len(huge)/10]))
				w.(http.Flusher).Flush()
			}
		}}, "over the 65536 bytes limit"},
		{"a slow feed that does not answer within the timeout", "/slow", doc{handler: func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}}, "no complete answer within 200ms"},
		{"a feed whose server fails", "/down", doc{handler: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "down for maintenance", http.StatusInternalServerError)
		}}, "HTTP 500 Internal Server Error"},
	}
	ids := map[string]int64{}
	for _, b := range bad {
		ids[b.path] = e.add(s.set(b.path, b.d), herald.KindNews).ID
	}
	good := e.add(s.set("/good", doc{body: fixture(t, "atom.xml"), contentType: "application/atom+xml"}), herald.KindNews)

	e.clock.add(time.Hour)
	e.poll()
	now := e.clock.now()
	for _, b := range bad {
		f := e.feed(ids[b.path])
		if !strings.Contains(f.LastError, s.srv.URL+b.path) || !strings.Contains(f.LastError, b.reason) {
			t.Errorf("%s: last error %q; want it to name %s and say %q", b.name, f.LastError, s.srv.URL+b.path, b.reason)
		}
		if f.Failures != 1 || f.NextPollAt.Before(now.Add(5*time.Minute)) || f.NextPollAt.After(now.Add(10*time.Minute)) {
			t.Errorf("%s: failures %d, next poll %s; want 1, 5 to 10 minutes after %s", b.name, f.Failures, f.NextPollAt, now)
		}
	}
	if n := len(e.articles()); n != 1 {
		t.Errorf("%d articles stored; want the good feed's one, nothing from the bad ones", n)
	}
	if f := e.feed(good.ID); f.Failures != 0 || f.LastOKAt == nil {
		t.Errorf("the good feed: failures %d, last ok %v; want it read", f.Failures, f.LastOKAt)
	}

	// The second failure in a row waits twice as long.
	e.clock.add(10 * time.Minute)
	e.poll()
	now = e.clock.now()
	f := e.feed(ids["/malformed"])
	if f.Failures != 2 || f.NextPollAt.Before(now.Add(10*time.Minute)) || f.NextPollAt.After(now.Add(20*time.Minute)) {
		t.Errorf("after a second failure: failures %d, next poll %s; want 2, 10 to 20 minutes after %s", f.Failures, f.NextPollAt, now)
	}

	// A feed that recovers is read, and its failures are forgotten.
	s.set("/malformed", doc{body: fixture(t, "rss.xml"), contentType: "application/rss+xml"})
	e.clock.add(20 * time.Minute)
	e.poll()
	if f := e.feed(ids["/malformed"]); f.Failures != 0 || f.LastError != "" {
		t.Errorf("after the feed was fixed: failures %d, last error %q; want none", f.Failures, f.LastError)
	}
}

func TestAFeedThatAsksToWaitIsNotPolledBeforeThen(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	f := e.add(s.set("/busy", doc{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}}), herald.KindNews)
	e.poll()
	got := e.feed(f.ID)
	if !strings.Contains(got.LastError, "HTTP 429") || got.NextPollAt.Before(e.clock.now().Add(time.Hour)) {
		t.Errorf("after a 429 with Retry-After 3600: last error %q, next poll %s; want the 429 kept and no poll before %s",
			got.LastError, got.NextPollAt, e.clock.now().Add(time.Hour))
	}
}

func TestAnItemWithOnlyASummaryGetsItsPageWhenTheFeedAsks(t *testing.T) {
	cases := []struct {
		name      string
		fetchPage bool
		page      *doc
		leadHas   string
		bodyHas   string
		image     string
	}{
		{"with fetch-page the article comes from the page, without its navigation, share buttons or related links", true,
			&doc{body: fixture(t, "storm.html"), contentType: "text/html; charset=utf-8"},
			"The harbour master closed the port", "Residents of the sea front", "https://gazette.example/img/storm.jpg"},
		{"with fetch-page and a page that is gone, the summary is kept", true, nil,
			"The port is closed until the storm passes.", "", ""},
		{"without fetch-page the summary is the article", false,
			&doc{body: fixture(t, "storm.html"), contentType: "text/html"},
			"The port is closed until the storm passes.", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newFeedEnv(t)
			s := newSite(t)
			if c.page != nil {
				s.set("/news/storm", *c.page)
			}
			feed := strings.ReplaceAll(fixture(t, "summary.xml"), "{{BASE}}", s.srv.URL)
			e.add(s.set("/feed", doc{body: feed, contentType: "application/rss+xml"}), herald.KindNews,
				func(f *store.Feed) { f.FetchPage = c.fetchPage })
			e.clock.add(time.Hour)
			e.poll()

			arts := e.articles()
			if len(arts) != 1 {
				t.Fatalf("%d articles, want 1", len(arts))
			}
			a := arts[0]
			if a.Title != "Storm closes the port" || !strings.HasPrefix(a.Lead, c.leadHas) || !strings.Contains(a.Body, c.bodyHas) {
				t.Errorf("title %q\nlead %q\nbody %q\nwant lead starting %q and body with %q", a.Title, a.Lead, a.Body, c.leadHas, c.bodyHas)
			}
			for _, chrome := range []string{"Share on", "Ferry timetable", "All rights reserved", "Sport"} {
				if strings.Contains(a.Lead+a.Body, chrome) {
					t.Errorf("the article keeps %q from the page: %q", chrome, a.Body)
				}
			}
			if a.ImageURL != c.image || a.URL != s.srv.URL+"/news/storm" {
				t.Errorf("image %q, url %q; want %q, %q", a.ImageURL, a.URL, c.image, s.srv.URL+"/news/storm")
			}
			if !c.fetchPage {
				if n := len(s.requests("/news/storm")); n != 0 {
					t.Errorf("the page was fetched %d times without fetch-page", n)
				}
				return
			}
			// A known item's page is not fetched again on the next polls.
			e.clock.add(5 * time.Minute)
			e.poll()
			if n := len(s.requests("/news/storm")); c.page != nil && n != 1 {
				t.Errorf("the page was fetched %d times over two polls, want once", n)
			}
			if got := e.articles()[0]; got.Lead != a.Lead || !got.UpdatedAt.Equal(a.UpdatedAt) {
				t.Errorf("the second poll changed the article: lead %q", got.Lead)
			}
		})
	}
}

// rssFeed renders a feed of items published at the times given; a zero
// time is an item without a date.
func rssFeed(base string, at []time.Time) string {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Archive</title><link>` + base + `</link><description>d</description>`)
	for i, t := range at {
		fmt.Fprintf(&b, `<item><title>Story number %d</title><link>%s/story/%d</link>`, i, base, i)
		if !t.IsZero() {
			fmt.Fprintf(&b, `<pubDate>%s</pubDate>`, t.Format(time.RFC1123Z))
		}
		fmt.Fprintf(&b, `<description>This is the text of story number %d, long enough to be a paragraph of its own.</description></item>`, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func TestAFeedWithALongHistoryDoesNotFloodTheChannels(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	ctx := context.Background()
	ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: "-1001001", Title: "EN", Language: herald.LangEnglish,
		Kinds: []herald.Kind{herald.KindNews}, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := e.st.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	w := &scheduler.Watcher{Store: e.st, Now: e.clock.now, Zone: "UTC"}

	// 50 items from the last 50 days, 2 from the hours just before the feed
	// was added (fresh to the watcher, but history all the same), 3 without
	// a date, and, once the feed is added, 2 new ones.
	var at []time.Time
	for d := 50; d >= 1; d-- {
		at = append(at, t0.Add(-time.Duration(d)*24*time.Hour-time.Hour))
	}
	at = append(at, t0.Add(-3*time.Hour), t0.Add(-2*time.Hour), time.Time{}, time.Time{}, time.Time{})
	feedURL := s.set("/feed", doc{body: rssFeed(s.srv.URL, at), contentType: "application/rss+xml", etag: `"a"`})
	f := e.add(feedURL, herald.KindNews)
	e.clock.add(10 * time.Minute)
	e.poll()
	at = append(at, t0.Add(5*time.Minute), t0.Add(15*time.Minute))
	s.set("/feed", doc{body: rssFeed(s.srv.URL, at), contentType: "application/rss+xml", etag: `"b"`})
	e.clock.add(10 * time.Minute)
	e.poll()
	if _, err := w.Sweep(ctx); err != nil {
		t.Fatal(err)
	}

	posts, err := e.st.Posts(ctx, store.PostFilter{})
	if err != nil {
		t.Fatal(err)
	}
	planned := map[string]bool{}
	for _, p := range posts {
		a, err := e.st.Article(ctx, p.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		planned[a.Title] = true
	}
	if len(posts) != 2 || !planned["Story number 55"] || !planned["Story number 56"] {
		t.Fatalf("%d posts planned, for %v; want 2, for the stories published after the feed was added", len(posts), planned)
	}
	if n := len(e.articles()); n != 52 {
		t.Errorf("%d articles stored; want the 50 old ones as old news and the 2 new ones", n)
	}
	if got := e.feed(f.ID); got.ETag != "" {
		t.Errorf("etag %q kept while items are held back; want none, so that the next polls read them", got.ETag)
	}

	// A day later the two held back are old news: stored, never planned;
	// the undated ones are still history.
	e.clock.add(24 * time.Hour)
	e.poll()
	if _, err := w.Sweep(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.articles()); n != 54 {
		t.Errorf("%d articles stored a day later; want 54: the 2 held back taken in, the 3 undated still left out", n)
	}
	if posts, _ := e.st.Posts(ctx, store.PostFilter{}); len(posts) != 2 {
		t.Errorf("%d posts planned a day later, want still 2", len(posts))
	}
	if got := e.feed(f.ID); got.ETag != `"b"` {
		t.Errorf("etag %q once nothing is held back; want %q", got.ETag, `"b"`)
	}
}

func TestAWindowPlansItemsPublishedShortlyBeforeTheFeedWasAdded(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	at := []time.Time{t0.Add(-72 * time.Hour), t0.Add(-3 * time.Hour)}
	e.add(s.set("/feed", doc{body: rssFeed(s.srv.URL, at), contentType: "application/rss+xml"}), herald.KindNews,
		func(f *store.Feed) { f.Window = herald.Duration(6 * time.Hour) })
	e.clock.add(time.Minute)
	e.poll()
	arts := e.articles()
	if len(arts) != 2 {
		t.Fatalf("%d articles; want the one within the window and the old one as old news", len(arts))
	}
}

func TestStartPollsUntilCancelledAndWaits(t *testing.T) {
	e := newFeedEnv(t)
	s := newSite(t)
	e.add(s.set("/feed", doc{body: fixture(t, "atom.xml"), contentType: "application/atom+xml"}), herald.KindNews)
	e.clock.add(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	polled := make(chan struct{})
	e.poller.Changed = func() { close(polled) }
	done := make(chan error)
	go func() { done <- e.poller.Start(ctx) }()
	<-polled
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Start returned %v, want nil after cancel", err)
	}
	if n := len(e.articles()); n != 1 {
		t.Errorf("%d articles after Start, want 1", n)
	}
}
