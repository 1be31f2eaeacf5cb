package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Feed is an RSS, Atom or JSON feed herald polls for articles, with what
// the last polls left: validators for a conditional GET, failures and when
// to poll next.
type Feed struct {
	ID        int64           `json:"id"`
	URL       string          `json:"url"`
	Kind      herald.Kind     `json:"kind"`
	Language  herald.Language `json:"language"`
	Source    string          `json:"source"` // "" means "feed:<host>"
	FetchPage bool            `json:"fetch_page"`
	// Window is how long before AddedAt an item may have been published and
	// still be planned: older items are kept as old news.
	Window       herald.Duration `json:"window"`
	ETag         string          `json:"etag"`
	LastModified string          `json:"last_modified"`
	LastPolledAt *time.Time      `json:"last_polled_at"`
	LastOKAt     *time.Time      `json:"last_ok_at"`
	Failures     int             `json:"failures"`
	NextPollAt   time.Time       `json:"next_poll_at"`
	LastError    string          `json:"last_error"`
	// Skipped holds the keys of undated items the feed carried when first
	// read: history, never taken in.
	Skipped []string  `json:"-"`
	AddedAt time.Time `json:"added_at"`
	// What the feed's pages are cleaned with on top of the built-in lists:
	// programs as "Stored name=Name on the page|Other name", chrome lines
	// and section labels.
	Programs []string `json:"programs,omitempty"`
	Chrome   []string `json:"chrome,omitempty"`
	Sections []string `json:"sections,omitempty"`
}

// FeedPoll is what one poll of a feed leaves for the next.
type FeedPoll struct {
	ETag, LastModified string
	PolledAt           time.Time
	OKAt               *time.Time // nil: the poll failed; last_ok_at is kept
	Failures           int
	NextPollAt         time.Time
	LastError          string
	Skipped            []string
}

// Validate checks a feed's settings, naming the field that is wrong.
func (f *Feed) Validate() error {
	u, err := url.Parse(f.URL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return herald.FieldError("url", "is %q; want an http or https address such as https://example.com/rss", f.URL)
	case !f.Kind.Valid():
		return herald.FieldError("kind", "is %q; want commentary, episode or news", f.Kind)
	case !f.Language.Valid():
		return herald.FieldError("lang", "is %q; want az, en or ru", f.Language)
	case f.Window < 0:
		return herald.FieldError("window", "is %s; want a duration of zero or more", time.Duration(f.Window))
	}
	return nil
}

const feedColumns = `id, url, kind, language, source, fetch_page, window_s, etag, last_modified,
	last_polled_at, last_ok_at, failures, next_poll_at, last_error, skipped, added_at,
	clean_programs, clean_chrome, clean_sections`

// AddFeed stores a new feed, due to be polled at once, and fills in its id
// and AddedAt. A feed whose URL is already stored fails with EConflict.
func (s *Store) AddFeed(ctx context.Context, f *Feed) error {
	if err := f.Validate(); err != nil {
		return err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, f.URL).Scan(&id)
		if err == nil {
			return herald.Errorf(herald.EConflict, "feed %s is already added, as feed %d", f.URL, id)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO feeds (url, kind, language, source, fetch_page,
			window_s, next_poll_at, added_at, clean_programs, clean_chrome, clean_sections)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			f.URL, f.Kind, f.Language, f.Source, f.FetchPage, int64(time.Duration(f.Window)/time.Second),
			ts(now), ts(now), jsonList(f.Programs), jsonList(f.Chrome), jsonList(f.Sections))
		if err != nil {
			return err
		}
		f.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		if herald.ErrorCode(err) == herald.EConflict {
			return err
		}
		return fmt.Errorf("store: add feed %s: %w", f.URL, err)
	}
	f.AddedAt, f.NextPollAt, f.Skipped = now, now, nil
	return nil
}

// Feeds returns every feed, by id.
func (s *Store) Feeds(ctx context.Context) ([]*Feed, error) {
	out, err := queryFeeds(ctx, s.db, `SELECT `+feedColumns+` FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: feeds: %w", err)
	}
	return out, nil
}

// DueFeeds returns the feeds whose next poll is at or before now, the
// longest overdue first.
func (s *Store) DueFeeds(ctx context.Context, now time.Time) ([]*Feed, error) {
	out, err := queryFeeds(ctx, s.db, `SELECT `+feedColumns+` FROM feeds WHERE next_poll_at <= ?
		ORDER BY next_poll_at, id`, ts(now))
	if err != nil {
		return nil, fmt.Errorf("store: due feeds: %w", err)
	}
	return out, nil
}

// FeedByRef returns the feed with the given id or URL, or an ENotFound
// error.
func (s *Store) FeedByRef(ctx context.Context, ref string) (*Feed, error) {
	ref = strings.TrimSpace(ref)
	q, arg := `SELECT `+feedColumns+` FROM feeds WHERE url = ?`, any(ref)
	if id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); err == nil {
		q, arg = `SELECT `+feedColumns+` FROM feeds WHERE id = ?`, id
	}
	out, err := queryFeeds(ctx, s.db, q, arg)
	if err != nil {
		return nil, fmt.Errorf("store: feed %s: %w", ref, err)
	}
	if len(out) == 0 {
		return nil, herald.Errorf(herald.ENotFound, "no feed %s: give a feed id or URL from herald feed list", ref)
	}
	return out[0], nil
}

// RemoveFeed removes a feed; the articles it brought in stay. A feed that
// is not there fails with ENotFound.
func (s *Store) RemoveFeed(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: remove feed %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return herald.Errorf(herald.ENotFound, "no feed %d", id)
	}
	return nil
}

// SaveFeedPoll records what a poll of feed id left. A feed removed while it
// was polled is not an error: there is nothing left to record.
func (s *Store) SaveFeedPoll(ctx context.Context, id int64, p FeedPoll) error {
	skipped, err := json.Marshal(nonNil(p.Skipped))
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE feeds SET etag = ?, last_modified = ?, last_polled_at = ?,
		last_ok_at = COALESCE(?, last_ok_at), failures = ?, next_poll_at = ?, last_error = ?, skipped = ?
		WHERE id = ?`,
		p.ETag, p.LastModified, ts(p.PolledAt), nullTS(p.OKAt), p.Failures, ts(p.NextPollAt),
		p.LastError, string(skipped), id)
	if err != nil {
		return fmt.Errorf("store: save poll of feed %d: %w", id, err)
	}
	return nil
}

func queryFeeds(ctx context.Context, q queryer, query string, args ...any) ([]*Feed, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Feed
	for rows.Next() {
		var f Feed
		var window int64
		var skipped, programs, chrome, sections string
		if err := rows.Scan(&f.ID, &f.URL, &f.Kind, &f.Language, &f.Source, &f.FetchPage, &window,
			&f.ETag, &f.LastModified, scanNullTime{&f.LastPolledAt}, scanNullTime{&f.LastOKAt},
			&f.Failures, scanTime{&f.NextPollAt}, &f.LastError, &skipped, scanTime{&f.AddedAt},
			&programs, &chrome, &sections); err != nil {
			return nil, err
		}
		for _, l := range []struct {
			raw  string
			dest *[]string
		}{{programs, &f.Programs}, {chrome, &f.Chrome}, {sections, &f.Sections}} {
			if err := json.Unmarshal([]byte(l.raw), l.dest); err != nil {
				return nil, fmt.Errorf("feed %d cleaning lists: %w", f.ID, err)
			}
		}
		f.Window = herald.Duration(time.Duration(window) * time.Second)
		if err := json.Unmarshal([]byte(skipped), &f.Skipped); err != nil {
			return nil, fmt.Errorf("feed %d skipped: %w", f.ID, err)
		}
		out = append(out, &f)
	}
	return out, rows.Err()
}

// jsonList encodes a list of strings for a JSON column, [] for none.
func jsonList(l []string) string {
	b, err := json.Marshal(nonNil(l))
	if err != nil { // a []string always encodes
		return "[]"
	}
	return string(b)
}
