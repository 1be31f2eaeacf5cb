package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// AddPostCopy records the automatic forward of a channel post into the
// channel's discussion group, where readers' comments hang.
func (s *Store) AddPostCopy(ctx context.Context, chatID, messageID, postID int64) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO post_copies (chat_id, message_id, post_id) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, chatID, messageID, postID)
	if err != nil {
		return fmt.Errorf("store: post copy %d/%d: %w", chatID, messageID, err)
	}
	return nil
}

// PostByCopy returns the post whose automatic forward is the given message
// of a discussion group, or a herald.ENotFound error.
func (s *Store) PostByCopy(ctx context.Context, chatID, messageID int64) (*PostRow, error) {
	p, err := postBy(ctx, s.db, `p.id = (SELECT post_id FROM post_copies WHERE chat_id = ? AND message_id = ?)`, chatID, messageID)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no post copied as message %d", messageID)
	}
	return p, err
}

// PostRef names a post and what it is a post of: enough to tie a reader's
// comment to its article (see CommentGate).
type PostRef struct {
	ID        int64
	ArticleID int64
	ChannelID int64
}

// PostByMessage returns the post that became a message of a channel, given
// the channel's chat id or @username, or a herald.ENotFound error.
func (s *Store) PostByMessage(ctx context.Context, chats []string, messageID int64) (*PostRow, error) {
	for _, chat := range chats {
		if chat == "" || chat == "@" {
			continue
		}
		p, err := postBy(ctx, s.db, `p.message_id = ?1 AND p.channel_id IN (SELECT id FROM channels WHERE lower(chat) = lower(?2) OR chat LIKE ?2 || '/%')
			ORDER BY p.id DESC LIMIT 1`, messageID, chat)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, errNoRows) {
			return nil, err
		}
	}
	return nil, herald.Errorf(herald.ENotFound, "no post is message %d", messageID)
}

// SetReactions keeps the latest reaction counts of a post: emoji (or
// custom emoji id) to count. Emoji no longer listed are dropped.
func (s *Store) SetReactions(ctx context.Context, postID int64, counts map[string]int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM reactions WHERE post_id = ?`, postID); err != nil {
			return err
		}
		for emoji, n := range counts {
			if n <= 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO reactions (post_id, emoji, count, updated_at) VALUES (?, ?, ?, ?)`,
				postID, emoji, n, ts(s.now())); err != nil {
				return err
			}
		}
		return nil
	})
}

// Reactions returns the latest reaction counts of a post.
func (s *Store) Reactions(ctx context.Context, postID int64) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT emoji, count FROM reactions WHERE post_id = ?`, postID)
	if err != nil {
		return nil, fmt.Errorf("store: reactions of post %d: %w", postID, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var e string
		var n int
		if err := rows.Scan(&e, &n); err != nil {
			return nil, err
		}
		out[e] = n
	}
	return out, rows.Err()
}

// ReviewStats are the numbers the newsroom sees for a set of reviews.
type ReviewStats struct {
	Reviews   int            // reviews of any kind, not rejected
	Rated     int            // of them, with a rating
	Average   float64        // mean rating of those rated; 0 when none
	Histogram [6]int         // Histogram[n]: reviews rated n (1..5)
	Comments  int            // reviews with text
	Pending   int            // awaiting moderation
	Reactions map[string]int // reactions on the articles' posts, by emoji
	Clicks    *Clicks        // readers' clicks on herald's links to the articles
	PerDay    []DayCount     // reviews by day (UTC), oldest first
}

// DayCount is the number of reviews written on one day.
type DayCount struct {
	Day   time.Time
	Count int
}

// Stats computes review numbers over the reviews f selects (rejected ones
// left out), with the reactions on the same articles' posts.
func (s *Store) Stats(ctx context.Context, f ReviewFilter) (*ReviewStats, error) {
	where, args := reviewWhere(f)
	st := &ReviewStats{Reactions: map[string]int{}}
	rows, err := s.db.QueryContext(ctx, `SELECT r.rating, r.text != '', r.status, substr(r.created_at, 1, 10)
		FROM reviews r JOIN articles a ON a.id = r.article_id WHERE `+where+` AND r.status != 'rejected'`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: stats: %w", err)
	}
	days := map[string]int{}
	sum := 0
	for rows.Next() {
		var rating int
		var hasText bool
		var status, day string
		if err := rows.Scan(&rating, &hasText, &status, &day); err != nil {
			rows.Close()
			return nil, err
		}
		st.Reviews++
		if rating > 0 {
			st.Rated++
			st.Histogram[rating]++
			sum += rating
		}
		if hasText {
			st.Comments++
		}
		if status == string(herald.ReviewPending) {
			st.Pending++
		}
		days[day]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if st.Rated > 0 {
		st.Average = float64(sum) / float64(st.Rated)
	}
	for d, n := range days {
		t, err := time.Parse("2006-01-02", d)
		if err == nil {
			st.PerDay = append(st.PerDay, DayCount{Day: t, Count: n})
		}
	}
	sort.Slice(st.PerDay, func(i, j int) bool { return st.PerDay[i].Day.Before(st.PerDay[j].Day) })

	// Reactions on the posts of the articles in scope.
	aw, aargs := []string{"1 = 1"}, []any{}
	if f.ArticleID != 0 {
		aw, aargs = append(aw, "a.id = ?"), append(aargs, f.ArticleID)
	}
	if f.Program != "" {
		aw, aargs = append(aw, "lower(a.program) = lower(?)"), append(aargs, f.Program)
	}
	if !f.Since.IsZero() {
		aw, aargs = append(aw, "x.updated_at >= ?"), append(aargs, ts(f.Since))
	}
	rrows, err := s.db.QueryContext(ctx, `SELECT x.emoji, SUM(x.count) FROM reactions x
		JOIN posts p ON p.id = x.post_id JOIN articles a ON a.id = p.article_id
		WHERE `+joinAnd(aw)+` GROUP BY x.emoji`, aargs...)
	if err != nil {
		return nil, fmt.Errorf("store: reaction stats: %w", err)
	}
	defer rrows.Close()
	for rrows.Next() {
		var e string
		var n int
		if err := rrows.Scan(&e, &n); err != nil {
			return nil, err
		}
		st.Reactions[e] = n
	}
	if err := rrows.Err(); err != nil {
		return nil, err
	}
	st.Clicks, err = s.ClickStats(ctx, f)
	return st, err
}

func joinAnd(parts []string) string { return strings.Join(parts, " AND ") }
