package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/mmcdole/gofeed"

	"github.com/herald-news/herald"
)

// Feed polling defaults.
const (
	DefaultFeedInterval   = 5 * time.Minute
	DefaultFeedTimeout    = 20 * time.Second
	DefaultFeedMaxBytes   = 10 << 20
	DefaultFeedMaxBackoff = 2 * time.Hour
	DefaultFeedParallel   = 4
	// DefaultOldAfter is the watcher's default (scheduler.DefaultOldAfter):
	// an article published longer than this before herald first saw it is
	// old news and not planned.
	DefaultOldAfter = 24 * time.Hour
	// DefaultUserAgent names herald to the sites it polls.
	DefaultUserAgent = "herald/1 (newsroom feed reader; +https://github.com/herald-news/herald)"
)

// Feed is a feed as the poller sees it: where it is, what its items are,
// and what the last polls left.
type Feed struct {
	ID           int64
	URL          string
	Kind         herald.Kind     // the items' kind, unless an item's category names another
	Language     herald.Language // the items' language
	Source       string          // the articles' source; "" means "feed:<host>"
	FetchPage    bool            // fetch the page of an item that carries only a summary
	Window       time.Duration   // items published this long before AddedAt are planned too
	ETag         string
	LastModified string
	LastOKAt     *time.Time // nil: never read successfully
	Failures     int        // consecutive failed polls
	Skipped      []string   // keys of undated items the feed carried when first read
	AddedAt      time.Time
	// The feed's own programs, chrome lines and section labels, on top of
	// the poller's Clean options.
	Programs []Program
	Chrome   []string
	Sections []string
}

// FeedPoll is what one poll of a feed leaves for the next.
type FeedPoll struct {
	ETag, LastModified string // validators for the next conditional GET
	PolledAt           time.Time
	OKAt               *time.Time // nil: the poll failed
	Failures           int
	NextPollAt         time.Time
	LastError          string // "" after a good poll; names the feed's URL
	Skipped            []string
}

// FeedStore keeps the feeds. *store.Store satisfies it through a small
// adapter in cmd/herald, as it does Upserter.
type FeedStore interface {
	// DueFeeds returns the feeds whose next poll is at or before now.
	DueFeeds(ctx context.Context, now time.Time) ([]Feed, error)
	// SaveFeedPoll records what a poll of feed id left.
	SaveFeedPoll(ctx context.Context, id int64, p FeedPoll) error
	// HasArticle reports whether an article with this source and external
	// id is stored, so that a page is not fetched again for a known item.
	HasArticle(ctx context.Context, source, externalID string) (bool, error)
}

// FeedPoller polls the feeds that are due with conditional GETs, turns
// their items into articles through the same cleaning as imports and
// upserts them. A feed that fails is retried later with capped exponential
// backoff and jitter; the error is kept on the feed and logged, and the
// other feeds are polled as usual.
//
// Items published before the feed was added (less its Window) do not
// flood the channels: they are stored with their real publish time once
// the watcher counts them as old news (OldAfter after they were
// published), and held back until then; undated items of a feed's first
// read are history and never taken in.
type FeedPoller struct {
	Feeds    FeedStore
	Articles Upserter
	Log      *slog.Logger
	Client   *http.Client     // nil: a client on http.DefaultTransport (Timeout applies per request)
	Now      func() time.Time // nil: time.Now
	// Changed, when set, is called after a poll brought new or changed
	// articles, e.g. the watcher's Nudge.
	Changed func()

	Interval   time.Duration // between polls of one feed; default DefaultFeedInterval
	Timeout    time.Duration // per request, body included; default DefaultFeedTimeout
	MaxBytes   int64         // largest feed or page read; default DefaultFeedMaxBytes
	MaxBackoff time.Duration // longest wait after failures; default DefaultFeedMaxBackoff
	OldAfter   time.Duration // the watcher's OldAfter; default DefaultOldAfter
	Parallel   int           // feeds polled at once; default DefaultFeedParallel
	UserAgent  string        // default DefaultUserAgent
	// Clean holds what items are cleaned with beyond each feed's own
	// source, kind and language: the agency's zone, programs, chrome and
	// section labels.
	Clean Options

	initOnce sync.Once
}

func (p *FeedPoller) init() {
	p.initOnce.Do(func() {
		if p.Log == nil {
			p.Log = slog.New(slog.DiscardHandler)
		}
		if p.Client == nil {
			p.Client = &http.Client{}
		}
		if p.Now == nil {
			p.Now = time.Now
		}
		if p.Interval <= 0 {
			p.Interval = DefaultFeedInterval
		}
		if p.Timeout <= 0 {
			p.Timeout = DefaultFeedTimeout
		}
		if p.MaxBytes <= 0 {
			p.MaxBytes = DefaultFeedMaxBytes
		}
		if p.MaxBackoff <= 0 {
			p.MaxBackoff = DefaultFeedMaxBackoff
		}
		p.MaxBackoff = max(p.MaxBackoff, p.Interval)
		if p.OldAfter <= 0 {
			p.OldAfter = DefaultOldAfter
		}
		if p.Parallel <= 0 {
			p.Parallel = DefaultFeedParallel
		}
		if p.UserAgent == "" {
			p.UserAgent = DefaultUserAgent
		}
	})
}

// Start polls the feeds that are due at once, then every half minute (or
// Interval, when shorter), until ctx ends. It returns after the polls in
// flight have stopped. Errors are logged and the next round tries again.
func (p *FeedPoller) Start(ctx context.Context) error {
	p.init()
	t := time.NewTicker(min(p.Interval, 30*time.Second))
	defer t.Stop()
	for {
		if err := p.PollDue(ctx); err != nil && ctx.Err() == nil {
			p.Log.Error("feed poll round failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PollDue polls every feed that is due, Parallel at a time, and returns
// when they are done. A feed's own failure is recorded on the feed, not
// returned; PollDue fails only when the feeds cannot be read or a poll
// cannot be recorded.
func (p *FeedPoller) PollDue(ctx context.Context) error {
	p.init()
	feeds, err := p.Feeds.DueFeeds(ctx, p.Now())
	if err != nil {
		return fmt.Errorf("feeds: %w", err)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, p.Parallel)
	)
	for _, f := range feeds {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := p.poll(ctx, f); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// itemCounts counts what one poll did with a feed's items.
type itemCounts struct {
	new, updated, unchanged, held, history, failed int
}

// poll polls one feed and records the outcome.
func (p *FeedPoller) poll(ctx context.Context, f Feed) error {
	now := p.Now()
	rec := FeedPoll{PolledAt: now, ETag: f.ETag, LastModified: f.LastModified, Failures: f.Failures, Skipped: f.Skipped}
	got, err := p.get(ctx, f.URL, f.ETag, f.LastModified, acceptFeed)
	var n itemCounts
	if err == nil && got.status != http.StatusNotModified {
		n, rec.Skipped, err = p.takeItems(ctx, f, got.body, now)
	}
	if ctx.Err() != nil {
		return nil // shutting down: the feed stays due and is polled on the next start
	}
	log := p.Log.With("feed", f.ID, "url", f.URL)
	if err != nil {
		rec.Failures++
		rec.LastError = fmt.Sprintf("feed %s: %v", f.URL, err)
		rec.NextPollAt = now.Add(max(p.backoff(rec.Failures), got.retryAfter))
		log.Warn("feed poll failed", "err", err, "failures", rec.Failures, "next_poll_at", rec.NextPollAt)
	} else {
		ok := now
		rec.OKAt, rec.Failures, rec.LastError = &ok, 0, ""
		rec.NextPollAt = now.Add(p.Interval)
		switch {
		case got.status == http.StatusNotModified:
			log.Debug("feed not modified")
		case n.held > 0:
			// Items held back must be read again once they are old news:
			// no validators until then, so the next polls read the feed whole.
			rec.ETag, rec.LastModified = "", ""
		default:
			rec.ETag, rec.LastModified = got.etag, got.lastModified
		}
		if got.status != http.StatusNotModified {
			level := slog.LevelDebug
			if n.new+n.updated+n.failed > 0 {
				level = slog.LevelInfo
			}
			log.Log(ctx, level, "feed polled", "new", n.new, "updated", n.updated, "unchanged", n.unchanged,
				"held_back", n.held, "history", n.history, "failed", n.failed)
		}
	}
	if n.new+n.updated > 0 && p.Changed != nil {
		p.Changed()
	}
	// The poll is done: record it even if ctx ends now.
	if err := p.Feeds.SaveFeedPoll(context.WithoutCancel(ctx), f.ID, rec); err != nil {
		return fmt.Errorf("feed %s: %w", f.URL, err)
	}
	return nil
}

// backoff is how long to wait after the nth failure in a row: Interval
// doubled n times, capped at MaxBackoff, of which a random half is taken
// off so that feeds failing together do not retry together.
func (p *FeedPoller) backoff(failures int) time.Duration {
	d := p.MaxBackoff
	if failures < 32 {
		if e := p.Interval << failures; e > 0 && e < d {
			d = e
		}
	}
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// takeItems reads a feed's body and stores its items, oldest first. It
// fails only when the body is not a feed; an item that cannot be cleaned
// is logged and skipped. It returns the keys of undated history items.
func (p *FeedPoller) takeItems(ctx context.Context, f Feed, body []byte, now time.Time) (itemCounts, []string, error) {
	var n itemCounts
	parsed, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return n, f.Skipped, fmt.Errorf("not a feed herald can read (RSS, Atom or JSON Feed): %v", err)
	}
	items := parsed.Items
	sort.SliceStable(items, func(i, j int) bool {
		a, b := itemTime(items[i]), itemTime(items[j])
		return !a.IsZero() && (b.IsZero() || a.Before(b))
	})
	source := FeedSource(f)
	firstRead := f.LastOKAt == nil
	skipped := append([]string(nil), f.Skipped...)
	history := map[string]bool{}
	for _, k := range skipped {
		history[k] = true
	}
	cutoff := f.AddedAt.Add(-f.Window)
	for _, it := range items {
		if ctx.Err() != nil {
			return n, skipped, ctx.Err()
		}
		page, err := itemPage(it)
		key := first(page.URL, page.GUID, page.Title)
		log := p.Log.With("feed", f.ID, "item", key)
		if err != nil {
			n.failed++
			log.Warn("feed item skipped", "err", err)
			continue
		}
		when := page.PublishedAt
		switch {
		case when.IsZero() && (firstRead || history[key]):
			// In the feed before herald read it, and no date to tell how old.
			if !history[key] {
				history[key] = true
				skipped = append(skipped, key)
			}
			n.history++
			continue
		case !when.IsZero() && when.Before(cutoff) && !p.oldNews(when, now):
			n.held++
			continue
		}
		if f.FetchPage && strings.TrimSpace(it.Content) == "" && isWebURL(page.URL) {
			known, err := p.Feeds.HasArticle(ctx, source, page.URL)
			if err != nil {
				return n, skipped, err
			}
			if known && !changedSince(it, f.LastOKAt) {
				n.unchanged++ // its body came from its page; the summary is no news
				continue
			}
			if paras, img, err := p.fetchArticle(ctx, page.URL); err != nil {
				log.Warn("page fetch failed; keeping the feed's summary", "url", page.URL, "err", err)
			} else {
				page.Paragraphs, page.ImageURL = paras, first(page.ImageURL, img)
			}
		}
		opts := p.Clean
		opts.Source, opts.Kind, opts.Language = source, first(page.Kind, f.Kind), f.Language
		opts.Programs = append(append([]Program{}, opts.Programs...), f.Programs...)
		opts.Chrome = append(append([]string{}, opts.Chrome...), f.Chrome...)
		opts.Sections = append(append([]string{}, opts.Sections...), f.Sections...)
		a, err := Clean(page, opts)
		if err != nil {
			n.failed++
			log.Warn("feed item skipped", "err", err)
			continue
		}
		if !when.IsZero() && when.Before(cutoff) && a.AirAt != nil && !p.oldNews(*a.AirAt, now) {
			n.held++ // an old page about a show that airs soon: the watcher would plan it
			continue
		}
		out, err := p.Articles.Upsert(ctx, a)
		if err != nil {
			return n, skipped, fmt.Errorf("item %s: %w", key, err)
		}
		switch out {
		case New:
			n.new++
		case Updated:
			n.updated++
		default:
			n.unchanged++
		}
	}
	// Keep the newest keys only: a feed lists a few hundred items at most.
	if len(skipped) > 1000 {
		skipped = skipped[len(skipped)-1000:]
	}
	return n, skipped, nil
}

// oldNews reports whether the watcher will leave an article published at
// t alone: it was published more than OldAfter before now.
func (p *FeedPoller) oldNews(t, now time.Time) bool {
	return now.Sub(t) > p.OldAfter
}

// changedSince reports whether an item says it was updated after t.
func changedSince(it *gofeed.Item, t *time.Time) bool {
	return t == nil || it.UpdatedParsed != nil && it.UpdatedParsed.After(*t)
}

// FeedSource is the source a feed's articles are filed under: its own, or
// "feed:" and the feed's host.
func FeedSource(f Feed) string {
	if s := strings.TrimSpace(f.Source); s != "" {
		return s
	}
	if u, err := url.Parse(f.URL); err == nil && u.Host != "" {
		return "feed:" + u.Host
	}
	return "feed:" + f.URL
}

// itemTime is when an item was published, else updated; zero when it
// says neither.
func itemTime(it *gofeed.Item) time.Time {
	switch {
	case it.PublishedParsed != nil:
		return it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		return it.UpdatedParsed.UTC()
	}
	return time.Time{}
}

// itemPage reads one feed item into a Page: the title, the content (or
// else the description) as paragraphs, HTML read as parse.go reads pages,
// the link as URL, the GUID, the publish (else update) time, the image
// from the item or an enclosure, and a kind from a category that names
// one.
func itemPage(it *gofeed.Item) (Page, error) {
	p := Page{URL: strings.TrimSpace(it.Link), GUID: strings.TrimSpace(it.GUID), PublishedAt: itemTime(it)}
	if p.URL == "" && len(it.Links) > 0 {
		p.URL = strings.TrimSpace(it.Links[0])
	}
	if p.URL == "" && isWebURL(p.GUID) {
		p.URL = p.GUID
	}
	p.Title = it.Title
	if looksHTML(p.Title) {
		if t, err := html2page(p.Title); err == nil {
			p.Title = strings.Join(t.Paragraphs, " ")
		}
	}
	body := it.Content
	if strings.TrimSpace(body) == "" {
		body = it.Description
	}
	if looksHTML(body) {
		hp, err := html2page(body)
		if err != nil {
			return p, err
		}
		p.Paragraphs, p.ImageURL, p.VideoURL = hp.Paragraphs, hp.ImageURL, hp.VideoURL
	} else {
		for _, b := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
			p.Paragraphs = append(p.Paragraphs, b)
		}
	}
	if it.Image != nil && isWebURL(it.Image.URL) {
		p.ImageURL = it.Image.URL
	}
	for _, e := range it.Enclosures {
		switch t := strings.ToLower(e.Type); {
		case strings.HasPrefix(t, "image/") && p.ImageURL == "":
			p.ImageURL = e.URL
		case strings.HasPrefix(t, "video/") && p.VideoURL == "":
			p.VideoURL = e.URL
		}
	}
	for _, c := range it.Categories {
		if k := herald.Kind(strings.ToLower(strings.TrimSpace(c))); k.Valid() {
			p.Kind = k
			break
		}
	}
	return p, nil
}

// looksHTML reports whether feed text is HTML (tags or entities) rather
// than plain text, whose blank lines separate paragraphs.
func looksHTML(s string) bool { return htmlish.MatchString(s) }

var htmlish = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*[\s/>]|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);`)

// html2page reads an HTML fragment as parseHTML reads a page, keeping its
// text, links, image and video but none of its metadata.
func html2page(s string) (Page, error) {
	p, err := parseHTML([]byte(s))
	if err != nil {
		return p, err
	}
	return Page{Paragraphs: p.Paragraphs, ImageURL: p.ImageURL, VideoURL: p.VideoURL}, nil
}

// fetchArticle fetches an item's page and extracts the article from it
// with readability, returning its paragraphs and image.
func (p *FeedPoller) fetchArticle(ctx context.Context, link string) ([]string, string, error) {
	got, err := p.get(ctx, link, "", "", acceptHTML)
	if err != nil {
		return nil, "", err
	}
	if ct := strings.ToLower(got.contentType); ct != "" && !strings.Contains(ct, "html") {
		return nil, "", fmt.Errorf("not an HTML page but %s", got.contentType)
	}
	u, err := url.Parse(link)
	if err != nil {
		return nil, "", err
	}
	parser := readability.NewParser()
	parser.Logger = p.Log.With("part", "readability")
	art, err := parser.Parse(bytes.NewReader(got.body), u)
	if err != nil {
		return nil, "", fmt.Errorf("no article found on the page: %v", err)
	}
	if art.Node == nil {
		return nil, "", errors.New("no article found on the page")
	}
	var buf bytes.Buffer
	if err := art.RenderHTML(&buf); err != nil {
		return nil, "", err
	}
	hp, err := html2page(buf.String())
	if err != nil {
		return nil, "", err
	}
	if len(hp.Paragraphs) == 0 {
		return nil, "", errors.New("no article text found on the page")
	}
	return hp.Paragraphs, first(art.ImageURL(), hp.ImageURL), nil
}

// What herald asks for.
const (
	acceptFeed = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
	acceptHTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
)

// response is what a GET brought back.
type response struct {
	status             int
	body               []byte
	etag, lastModified string
	contentType        string
	retryAfter         time.Duration // asked for by a 429 or 503
}

// get fetches u within Timeout, conditionally when a validator is given,
// reading at most MaxBytes of the body: a longer one is an error, not cut
// short. A 304 has no body; any status but 200 and 304 is an error.
func (p *FeedPoller) get(ctx context.Context, u, etag, lastModified, accept string) (response, error) {
	ctx, cancel := context.WithTimeout(ctx, p.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("User-Agent", p.UserAgent)
	req.Header.Set("Accept", accept)
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		return response{}, p.netError(ctx, err)
	}
	defer resp.Body.Close()
	r := response{status: resp.StatusCode, etag: resp.Header.Get("ETag"),
		lastModified: resp.Header.Get("Last-Modified"), contentType: resp.Header.Get("Content-Type")}
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		return r, nil
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		r.retryAfter = retryAfter(resp.Header.Get("Retry-After"), p.Now(), p.MaxBackoff)
		fallthrough
	default:
		return r, fmt.Errorf("HTTP %s", resp.Status)
	}
	tooBig := fmt.Errorf("over the %s limit", sizeOf(p.MaxBytes))
	if resp.ContentLength > p.MaxBytes {
		return r, tooBig
	}
	r.body, err = io.ReadAll(io.LimitReader(resp.Body, p.MaxBytes+1))
	if err != nil {
		return r, p.netError(ctx, err)
	}
	if int64(len(r.body)) > p.MaxBytes {
		r.body = nil
		return r, tooBig
	}
	return r, nil
}

// netError words a failed request without repeating the URL.
func (p *FeedPoller) netError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no complete answer within %s", p.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped.
func retryAfter(v string, now time.Time, limit time.Duration) time.Duration {
	var d time.Duration
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, limit))
}

func sizeOf(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
