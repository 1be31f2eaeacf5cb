package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// reviewJSON is a review as herald reviews --json prints it.
type reviewJSON struct {
	ID        int64               `json:"id"`
	ArticleID int64               `json:"article_id"`
	UserID    int64               `json:"user_id"`
	UserName  string              `json:"user_name"`
	Rating    int                 `json:"rating"`
	Text      string              `json:"text"`
	Source    herald.ReviewSource `json:"source"`
	Status    herald.ReviewStatus `json:"status"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

const reviewsSynopsis = `[--json|--csv] [--article ID] [--since DATE] [--status S]
       herald reviews purge --user ID | --reader NETWORK:HANDLE

Exports readers' reviews, oldest first: a table, JSON (one array) or CSV
that opens cleanly in a spreadsheet. "purge --user ID" deletes everything
herald keeps about one reader (as the reader's /forgetme does); a reader
who replied on Mastodon or Bluesky is named by --reader
mastodon:@name@instance or bluesky:name.bsky.social.`

func cmdReviews(ctx context.Context, e *env) int {
	if len(e.args) > 0 && e.args[0] == "purge" {
		return reviewsPurge(ctx, e)
	}
	fs := newFlagSet(e, "reviews", reviewsSynopsis)
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON array")
	asCSV := fs.Bool("csv", false, "print CSV with a header row")
	article := fs.Int64("article", 0, "only reviews of this article `id`")
	since := fs.String("since", "", "only reviews written on or after this `date` (2026-11-01 or RFC 3339)")
	status := fs.String("status", "", "only reviews in this `status`: pending, approved or rejected")
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if *asJSON && *asCSV {
		fmt.Fprintln(e.stderr, "herald reviews: choose --json or --csv, not both")
		return exitUsage
	}
	f := store.ReviewFilter{ArticleID: *article, Status: herald.ReviewStatus(*status)}
	switch f.Status {
	case "", herald.ReviewPending, herald.ReviewApproved, herald.ReviewRejected:
	default:
		fmt.Fprintf(e.stderr, "herald reviews: --status %q: want pending, approved or rejected\n", *status)
		return exitUsage
	}
	if *since != "" {
		t, err := parseDate(*since)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald reviews: --since %q: want a date such as 2026-11-01 or 2026-11-01T09:00:00Z\n", *since)
			return exitUsage
		}
		f.Since = t
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	rs, err := st.Reviews(ctx, f)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald reviews: %v\n", err)
		return exitFailed
	}
	out := make([]reviewJSON, len(rs))
	for i, r := range rs {
		out[i] = reviewJSON{ID: r.ID, ArticleID: r.ArticleID, UserID: r.UserID, UserName: r.UserName, Rating: r.Rating,
			Text: r.Text, Source: r.Source, Status: r.Status, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	}
	switch {
	case *asJSON:
		return printJSON(e, out)
	case *asCSV:
		return printReviewsCSV(e, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "no reviews")
	}
	for _, r := range out {
		stars := "-"
		if r.Rating > 0 {
			stars = strings.Repeat("*", r.Rating)
		}
		fmt.Fprintf(e.stdout, "#%-5d article %-5d %-5s %-8s %-8s %s: %s\n", r.ID, r.ArticleID, stars, r.Source, r.Status,
			oneLine(herald.Neutral(r.UserName), 24), oneLine(herald.Neutral(r.Text), 80))
	}
	return exitOK
}

// printReviewsCSV writes CSV a spreadsheet opens cleanly: a UTF-8 byte
// order mark (Excel needs it to read Azerbaijani and Russian), a header,
// and cells that would start a formula defused with a leading quote.
func printReviewsCSV(e *env, rs []reviewJSON) int {
	fmt.Fprint(e.stdout, "\ufeff")
	w := csv.NewWriter(e.stdout)
	w.Write([]string{"id", "article_id", "user_id", "user_name", "rating", "text", "source", "status", "created_at", "updated_at"})
	for _, r := range rs {
		w.Write([]string{strconv.FormatInt(r.ID, 10), strconv.FormatInt(r.ArticleID, 10), strconv.FormatInt(r.UserID, 10),
			safeCell(r.UserName), strconv.Itoa(r.Rating), safeCell(r.Text), string(r.Source), string(r.Status),
			r.CreatedAt.Format(time.RFC3339), r.UpdatedAt.Format(time.RFC3339)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		fmt.Fprintf(e.stderr, "herald reviews: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// safeCell keeps a reader's text from running as a spreadsheet formula.
func safeCell(s string) string {
	s = herald.Neutral(s) // direction controls would garble the sheet as they would a chat
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", s, herald.AgencyZone())
}

func reviewsPurge(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "reviews purge", "--user ID | --reader NETWORK:HANDLE\n\nDeletes a reader's reviews and conversation in progress.")
	db := dbFlag(e, fs)
	user := fs.Int64("user", 0, "the reader's Telegram user `id`")
	reader := fs.String("reader", "", "a reader on Mastodon or Bluesky, as `network:handle` (mastodon:@ann@mastodon.social)")
	if code, ok := parseFlags(fs, e.args[1:]); !ok {
		return code
	}
	network, handle, _ := strings.Cut(*reader, ":")
	switch {
	case *reader != "" && *user != 0:
		fmt.Fprintln(e.stderr, "herald reviews purge: give --user or --reader, not both")
		return exitUsage
	case *reader != "" && (!herald.ValidNetwork(network) || network == herald.NetworkTelegram || strings.TrimSpace(handle) == ""):
		fmt.Fprintf(e.stderr, "herald reviews purge: --reader %q: want mastodon:@name@instance or bluesky:name.bsky.social\n", *reader)
		return exitUsage
	case *reader == "" && *user <= 0:
		fmt.Fprintln(e.stderr, "herald reviews purge: give the reader's Telegram user id (--user 123456789) or their handle on another network (--reader mastodon:@ann@mastodon.social)")
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if *reader != "" {
		id, err := st.NetworkReaderByHandle(ctx, network, handle)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald reviews purge: %s\n", herald.ErrorMessage(err))
			return exitFailed
		}
		*user = id
	}
	n, err := st.PurgeReader(ctx, *user)
	if err == nil {
		err = st.AddAudit(ctx, &herald.AuditEntry{Action: "purge_reader", Detail: fmt.Sprintf("user %d: %d reviews deleted", *user, n)})
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald reviews purge: %v\n", err)
		return exitFailed
	}
	if *reader != "" {
		fmt.Fprintf(e.stdout, "deleted %d reviews of %s\n", n, *reader)
		return exitOK
	}
	fmt.Fprintf(e.stdout, "deleted %d reviews of user %d\n", n, *user)
	return exitOK
}
