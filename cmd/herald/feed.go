package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/store"
)

const feedSynopsis = `add|list|remove [flags]

  herald feed add URL --kind K --lang L [--source S] [--fetch-page] [--window DURATION]
  herald feed list [--json]
  herald feed remove FEED                  (FEED: id or URL)

herald run polls every feed (RSS, Atom or JSON Feed) every few minutes with
conditional GETs and takes its items in as articles, cleaned as imports are.
Only items published after the feed was added, or within --window before
it, are planned for the channels; older ones are kept as old news.`

func cmdFeed(ctx context.Context, e *env) int {
	if len(e.args) == 0 {
		fmt.Fprintf(e.stderr, "usage: herald feed %s\n", feedSynopsis)
		return exitUsage
	}
	sub, args := e.args[0], e.args[1:]
	named := *e
	named.name = "feed " + sub // errors read "herald feed add: …"
	e = &named
	switch sub {
	case "add":
		return feedAdd(ctx, e, args)
	case "list", "ls":
		return feedList(ctx, e, args)
	case "remove", "rm":
		return feedRemove(ctx, e, args)
	case "-h", "--help", "help":
		fmt.Fprintf(e.stdout, "usage: herald feed %s\n", feedSynopsis)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "herald feed: unknown subcommand %q\nusage: herald feed %s\n", sub, feedSynopsis)
	return exitUsage
}

func feedAdd(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "feed add", "URL --kind K --lang L [flags]\n\nAdds an RSS, Atom or JSON feed; herald run polls it.")
	db := dbFlag(e, fs)
	kind := fs.String("kind", "", "the `kind` of its items: commentary, episode or news (an item's category naming a kind wins)")
	lang := fs.String("lang", "", "the `language` of its items: az, en or ru")
	source := fs.String("source", "", "the `source` its articles are filed under (default feed:HOST)")
	fetchPage := fs.Bool("fetch-page", false, "fetch the page of an item that carries only a summary and extract the article")
	window := fs.String("window", "0", "also plan items published this `duration` before the feed was added, e.g. 48h (at most the watcher's HERALD_OLD_AFTER counts)")
	var programs, chrome, sections []string
	fs.Func("program-name", "a program and the names this feed's pages use for it, as `'Stored name=Name|Other name'` (repeatable)", func(v string) error {
		if _, err := ingest.ParseProgram(v); err != nil {
			return err
		}
		programs = append(programs, v)
		return nil
	})
	fs.Func("chrome", "a `line` this feed's pages carry that is not text (repeatable)", func(v string) error {
		chrome = append(chrome, v)
		return nil
	})
	fs.Func("section", "a section `label` of this feed's site, after which other pieces follow (repeatable)", func(v string) error {
		sections = append(sections, v)
		return nil
	})
	if code, ok := parseFlags(fs, reorderFlags(fs, args)); !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(e.stderr, "herald feed add: "+format+"\n", a...)
		return exitUsage
	}
	if fs.NArg() != 1 {
		return fail("give one feed URL, e.g. herald feed add https://example.com/rss --kind news --lang en")
	}
	raw := strings.TrimSpace(fs.Arg(0))
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail("URL %q: want an http or https address such as https://example.com/rss", raw)
	}
	switch {
	case *kind == "":
		return fail("--kind is required: commentary, episode or news")
	case !herald.Kind(*kind).Valid():
		return fail("--kind %q: want commentary, episode or news", *kind)
	case *lang == "":
		return fail("--lang is required: az, en or ru")
	case !herald.Language(*lang).Valid():
		return fail("--lang %q: want az, en or ru", *lang)
	}
	w, err := time.ParseDuration(strings.TrimSpace(*window))
	if err != nil || w < 0 {
		return fail("--window %q: want a duration of zero or more, such as 48h or 90m", *window)
	}
	f := &store.Feed{URL: raw, Kind: herald.Kind(*kind), Language: herald.Language(*lang),
		Source: strings.TrimSpace(*source), FetchPage: *fetchPage, Window: herald.Duration(w),
		Programs: programs, Chrome: chrome, Sections: sections}
	if f.Source == "" {
		f.Source = "feed:" + u.Host
	}
	st, ok := createStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if err := st.AddFeed(ctx, f); err != nil {
		fmt.Fprintf(e.stderr, "herald feed add: %s\n", herald.ErrorMessage(err))
		if herald.ErrorCode(err) == herald.EInvalid {
			return exitUsage
		}
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "feed %d added: %s\n", f.ID, describeFeed(f))
	return exitOK
}

func feedList(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "feed list", "[--json]\n\nLists feeds with the state of their polls.")
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON array")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, reorderFlags(fs, args)); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(e.stderr, "herald feed list: unexpected %q\n", fs.Arg(0))
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	feeds, err := st.Feeds(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald feed list: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		return printJSON(e, nonNilSlice(feeds))
	}
	if len(feeds) == 0 {
		fmt.Fprintln(e.stdout, "no feeds yet: herald feed add URL --kind K --lang L adds one")
	}
	for _, f := range feeds {
		fmt.Fprintf(e.stdout, "%3d  %s\n     %s\n", f.ID, describeFeed(f), feedState(f, clk))
	}
	return exitOK
}

func feedRemove(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "feed remove", "FEED\n\nRemoves a feed (by id or URL). The articles it brought in stay.")
	db := dbFlag(e, fs)
	if code, ok := parseFlags(fs, reorderFlags(fs, args)); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "herald feed remove: name one feed by id or URL, as herald feed list shows them")
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	f, err := st.FeedByRef(ctx, fs.Arg(0))
	if err == nil {
		err = st.RemoveFeed(ctx, f.ID)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald feed remove: %s\n", herald.ErrorMessage(err))
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "feed %d removed: %s (its articles stay)\n", f.ID, f.URL)
	return exitOK
}

// describeFeed is one line about a feed's settings.
func describeFeed(f *store.Feed) string {
	parts := []string{f.URL, string(f.Kind), string(f.Language), "source " + ingest.FeedSource(feedOf(f))}
	if f.FetchPage {
		parts = append(parts, "fetches pages")
	}
	if f.Window > 0 {
		parts = append(parts, "window "+time.Duration(f.Window).String())
	}
	return strings.Join(parts, " · ")
}

// feedState is one line about how a feed's polls went.
func feedState(f *store.Feed, clk *clockFlag) string {
	stamp := func(t time.Time) string { return clk.show(t, nil) }
	var parts []string
	switch {
	case f.LastPolledAt == nil:
		parts = append(parts, "not polled yet")
	case f.Failures > 0:
		parts = append(parts, fmt.Sprintf("FAILING (%d in a row): %s", f.Failures, f.LastError))
	default:
		parts = append(parts, "ok at "+stamp(*f.LastOKAt))
	}
	parts = append(parts, "next poll "+stamp(f.NextPollAt))
	return strings.Join(parts, " · ")
}

// reorderFlags moves flags ahead of positional arguments, as reorder
// does, asking fs which flags take a value.
func reorderFlags(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(append(append(flags, "--"), pos...), args[i+1:]...)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if fl := fs.Lookup(name); fl != nil && !isBoolFlag(fl) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(append(flags, "--"), pos...)
}

func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// storeFeeds adapts *store.Store to ingest.FeedStore.
type storeFeeds struct{ st *store.Store }

func (s storeFeeds) DueFeeds(ctx context.Context, now time.Time) ([]ingest.Feed, error) {
	fs, err := s.st.DueFeeds(ctx, now)
	if err != nil {
		return nil, err
	}
	out := make([]ingest.Feed, len(fs))
	for i, f := range fs {
		out[i] = feedOf(f)
	}
	return out, nil
}

func (s storeFeeds) SaveFeedPoll(ctx context.Context, id int64, p ingest.FeedPoll) error {
	return s.st.SaveFeedPoll(ctx, id, store.FeedPoll{ETag: p.ETag, LastModified: p.LastModified,
		PolledAt: p.PolledAt, OKAt: p.OKAt, Failures: p.Failures, NextPollAt: p.NextPollAt,
		LastError: p.LastError, Skipped: p.Skipped})
}

func (s storeFeeds) HasArticle(ctx context.Context, source, externalID string) (bool, error) {
	_, err := s.st.ArticleByExternalID(ctx, source, externalID)
	switch herald.ErrorCode(err) {
	case "":
		return true, nil
	case herald.ENotFound:
		return false, nil
	}
	return false, err
}

// feedOf is a stored feed as the poller sees it. A program name that no
// longer reads (it was checked when the feed was added) is left out.
func feedOf(f *store.Feed) ingest.Feed {
	out := ingest.Feed{ID: f.ID, URL: f.URL, Kind: f.Kind, Language: f.Language, Source: f.Source,
		FetchPage: f.FetchPage, Window: time.Duration(f.Window), ETag: f.ETag, LastModified: f.LastModified,
		LastOKAt: f.LastOKAt, Failures: f.Failures, Skipped: f.Skipped, AddedAt: f.AddedAt,
		Chrome: f.Chrome, Sections: f.Sections}
	for _, s := range f.Programs {
		if p, err := ingest.ParseProgram(s); err == nil {
			out.Programs = append(out.Programs, p)
		}
	}
	return out
}

// newFeedPoller builds the poller herald run starts: the feeds and articles
// in st, the watcher's clock and OldAfter, and changed (the watcher's
// Nudge) called after new or changed articles.
func newFeedPoller(st *store.Store, log *slog.Logger, now func() time.Time, oldAfter time.Duration, changed func()) *ingest.FeedPoller {
	return &ingest.FeedPoller{Feeds: storeFeeds{st: st}, Articles: storeUpserter{st: st}, Log: log,
		Now: now, OldAfter: oldAfter, Changed: changed}
}
