package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

const statsSynopsis = `[--since DATE] [--article ID] [--program NAME] [--json]

Readers' numbers, as /stats shows them: reviews and ratings, reactions on
the posts, and clicks on herald's own "Read on the site" links
(HERALD_LINKS) per post, article and channel. Without --since, everything.`

// statsJSON is herald stats --json.
type statsJSON struct {
	Reviews   int                `json:"reviews"`
	Pending   int                `json:"pending"`
	Rated     int                `json:"rated"`
	Average   float64            `json:"average"`
	Comments  int                `json:"comments"`
	Histogram [5]int             `json:"histogram"` // ratings 1..5
	Reactions map[string]int     `json:"reactions"`
	Clicks    int                `json:"clicks"`
	ByPost    []store.ClickCount `json:"clicks_by_post"`
	ByArticle []store.ClickCount `json:"clicks_by_article"`
	ByChannel []store.ClickCount `json:"clicks_by_channel"`
}

func cmdStats(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "stats", statsSynopsis)
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	article := fs.Int64("article", 0, "only this article `id`")
	program := fs.String("program", "", "only this program's articles (its `name`)")
	since := fs.String("since", "", "only from this `date` on (2026-11-01 or RFC 3339): reviews written, posts sent")
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	f := store.ReviewFilter{ArticleID: *article, Program: strings.TrimSpace(*program)}
	if *since != "" {
		t, err := parseDate(*since)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald stats: --since %q: want a date such as 2026-11-01 or 2026-11-01T09:00:00Z\n", *since)
			return exitUsage
		}
		f.Since = t
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	s, err := st.Stats(ctx, f)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald stats: %v\n", err)
		return exitFailed
	}
	c := s.Clicks
	if c == nil {
		c = &store.Clicks{}
	}
	if *asJSON {
		out := statsJSON{Reviews: s.Reviews, Pending: s.Pending, Rated: s.Rated, Average: s.Average, Comments: s.Comments,
			Reactions: s.Reactions, Clicks: c.Total, ByPost: nonNilClicks(c.ByPost), ByArticle: nonNilClicks(c.ByArticle), ByChannel: nonNilClicks(c.ByChannel)}
		copy(out.Histogram[:], s.Histogram[1:])
		return printJSON(e, out)
	}
	fmt.Fprintf(e.stdout, "reviews %d (%d awaiting moderation), %d rated, average %.2f, %d with comments\n",
		s.Reviews, s.Pending, s.Rated, s.Average, s.Comments)
	if len(s.Reactions) > 0 {
		var parts []string
		for emoji, n := range s.Reactions {
			parts = append(parts, fmt.Sprintf("%s %d", emoji, n))
		}
		sort.Strings(parts)
		fmt.Fprintf(e.stdout, "reactions: %s\n", strings.Join(parts, " · "))
	}
	fmt.Fprintf(e.stdout, "clicks on herald's links: %d\n", c.Total)
	for _, g := range []struct {
		name string
		cs   []store.ClickCount
	}{{"post", c.ByPost}, {"article", c.ByArticle}, {"channel", c.ByChannel}} {
		if len(g.cs) == 0 {
			continue
		}
		fmt.Fprintf(e.stdout, "  by %s:\n", g.name)
		for _, x := range g.cs {
			fmt.Fprintf(e.stdout, "    #%-5d %6d  %s\n", x.ID, x.Clicks, oneLine(x.Title, 70))
		}
	}
	if c.Total == 0 && s.Reviews == 0 && len(s.Reactions) == 0 {
		fmt.Fprintln(e.stdout, herald.ErrorMessage(herald.Errorf(herald.ENotFound, "nothing yet in this scope")))
	}
	return exitOK
}

func nonNilClicks(cs []store.ClickCount) []store.ClickCount {
	if cs == nil {
		return []store.ClickCount{}
	}
	return cs
}
