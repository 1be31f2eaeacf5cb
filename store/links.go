package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/herald-news/herald"
)

// LinkCode returns the short code of a post's "Read on the site" link,
// making one the first time: random, so that codes say nothing and are not
// found by counting.
func (s *Store) LinkCode(ctx context.Context, postID int64) (string, error) {
	for range 5 {
		var code string
		err := s.db.QueryRowContext(ctx, `SELECT code FROM post_links WHERE post_id = ?`, postID).Scan(&code)
		if err == nil {
			return code, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("store: link of post %d: %w", postID, err)
		}
		_, err = s.db.ExecContext(ctx, `INSERT INTO post_links (code, post_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (post_id) DO NOTHING`, herald.NewLinkCode(), postID, ts(s.now()))
		if err != nil && !isPrimaryKeyViolation(err) && !isUniqueViolation(err) {
			return "", fmt.Errorf("store: link of post %d: %w", postID, err)
		}
	}
	return "", fmt.Errorf("store: link of post %d: no free code", postID)
}

// Link is where a short link leads: the post's article's URL, on its
// channel.
type Link struct {
	Code      string
	PostID    int64
	ArticleID int64
	URL       string
	Channel   *herald.Channel
	Clicks    int
}

// LinkByCode returns the link with the given code, or a herald.ENotFound
// error.
func (s *Store) LinkByCode(ctx context.Context, code string) (*Link, error) {
	l := &Link{Code: code}
	var channelID int64
	err := s.db.QueryRowContext(ctx, `SELECT l.post_id, p.article_id, a.url, p.channel_id, l.clicks FROM post_links l
		JOIN posts p ON p.id = l.post_id JOIN articles a ON a.id = p.article_id WHERE l.code = ?`, code).
		Scan(&l.PostID, &l.ArticleID, &l.URL, &channelID, &l.Clicks)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no link %q", code)
	}
	if err != nil {
		return nil, fmt.Errorf("store: link %q: %w", code, err)
	}
	if l.Channel, err = s.Channel(ctx, channelID); err != nil {
		return nil, err
	}
	return l, nil
}

// CountClick counts one reader's click on a link. Nothing about the reader
// is kept.
func (s *Store) CountClick(ctx context.Context, code string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE post_links SET clicks = clicks + 1, last_click_at = ? WHERE code = ?`, ts(s.now()), code)
	if err != nil {
		return fmt.Errorf("store: click on %q: %w", code, err)
	}
	return nil
}

// ClickCount is the clicks on one post, article or channel.
type ClickCount struct {
	ID     int64  `json:"id"`    // the post, article or channel
	Title  string `json:"title"` // the article's title, or the channel's
	Clicks int    `json:"clicks"`
}

// Clicks are the readers' clicks on herald's links in the scope of a
// ReviewFilter (the posts of its articles; with Since, the posts sent since).
type Clicks struct {
	Total     int
	ByPost    []ClickCount // most clicked first, at most 10
	ByArticle []ClickCount
	ByChannel []ClickCount
}

// ClickStats counts the clicks on the links of the posts f selects.
func (s *Store) ClickStats(ctx context.Context, f ReviewFilter) (*Clicks, error) {
	where, args := []string{"l.clicks > 0"}, []any{}
	if f.ArticleID != 0 {
		where, args = append(where, "a.id = ?"), append(args, f.ArticleID)
	}
	if f.Program != "" {
		where, args = append(where, "lower(a.program) = lower(?)"), append(args, f.Program)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "COALESCE(p.sent_at, l.created_at) >= ?"), append(args, ts(f.Since))
	}
	from := ` FROM post_links l JOIN posts p ON p.id = l.post_id JOIN articles a ON a.id = p.article_id
		JOIN channels c ON c.id = p.channel_id WHERE ` + joinAnd(where)
	out := &Clicks{}
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(l.clicks), 0)`+from, args...).Scan(&out.Total); err != nil {
		return nil, fmt.Errorf("store: clicks: %w", err)
	}
	for _, q := range []struct {
		dst  *[]ClickCount
		cols string
	}{
		{&out.ByPost, `p.id, a.title || ' · ' || c.title, SUM(l.clicks)` + from + ` GROUP BY p.id`},
		{&out.ByArticle, `a.id, a.title, SUM(l.clicks)` + from + ` GROUP BY a.id`},
		{&out.ByChannel, `c.id, c.title, SUM(l.clicks)` + from + ` GROUP BY c.id`},
	} {
		rows, err := s.db.QueryContext(ctx, `SELECT `+q.cols+` ORDER BY 3 DESC, 1 LIMIT 10`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: clicks: %w", err)
		}
		for rows.Next() {
			var c ClickCount
			if err := rows.Scan(&c.ID, &c.Title, &c.Clicks); err != nil {
				rows.Close()
				return nil, err
			}
			*q.dst = append(*q.dst, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
