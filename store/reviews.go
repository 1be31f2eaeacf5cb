package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

const reviewColumns = `r.id, r.article_id, COALESCE(r.channel_id, 0), r.user_id, r.user_name, r.username,
	r.language, r.rating, r.text, r.source, r.status, r.spam, r.chat_id, r.message_id, r.created_at, r.updated_at`

// SaveReview stores a reader's review of an article: the first one is
// created, a later one updates it (a reader has one review per article).
// A comment without a rating keeps the rating given before. It fills in
// r's id and times and reports whether the review is new.
func (s *Store) SaveReview(ctx context.Context, r *herald.Review) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	now := ts(s.now())
	var created bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := reviewBy(ctx, tx, `r.article_id = ? AND r.user_id = ?`, r.ArticleID, r.UserID)
		created = errors.Is(err, errNoRows)
		if err != nil && !created {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO reviews (article_id, channel_id, user_id, user_name, username,
			language, rating, text, source, status, spam, chat_id, message_id, created_at, updated_at)
			VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (article_id, user_id) DO UPDATE SET
				channel_id = COALESCE(excluded.channel_id, reviews.channel_id),
				user_name = excluded.user_name, username = excluded.username, language = excluded.language,
				rating = CASE WHEN excluded.rating > 0 THEN excluded.rating ELSE reviews.rating END,
				text = CASE WHEN excluded.text != '' OR excluded.source = 'dm' THEN excluded.text ELSE reviews.text END,
				source = CASE WHEN excluded.source = 'dm' THEN 'dm' ELSE reviews.source END,
				status = excluded.status, spam = excluded.spam,
				chat_id = CASE WHEN excluded.chat_id != 0 THEN excluded.chat_id ELSE reviews.chat_id END,
				message_id = CASE WHEN excluded.message_id != 0 THEN excluded.message_id ELSE reviews.message_id END,
				updated_at = excluded.updated_at`,
			r.ArticleID, r.ChannelID, r.UserID, r.UserName, r.Username, r.Language, r.Rating, r.Text,
			r.Source, r.Status, r.Spam, r.ChatID, r.MessageID, now, now)
		if err != nil {
			return err
		}
		got, err := reviewBy(ctx, tx, `r.article_id = ? AND r.user_id = ?`, r.ArticleID, r.UserID)
		if err != nil {
			return err
		}
		*r = *got
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: save review of article %d by %d: %w", r.ArticleID, r.UserID, err)
	}
	return created, nil
}

// Review returns one review, or a herald.ENotFound error.
func (s *Store) Review(ctx context.Context, id int64) (*herald.Review, error) {
	r, err := reviewBy(ctx, s.db, `r.id = ?`, id)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "review %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: review %d: %w", id, err)
	}
	return r, nil
}

// ReviewByComment returns the review a discussion-group comment became, or
// a herald.ENotFound error.
func (s *Store) ReviewByComment(ctx context.Context, chatID, messageID int64) (*herald.Review, error) {
	r, err := reviewBy(ctx, s.db, `r.chat_id = ? AND r.message_id = ?`, chatID, messageID)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no review for comment %d", messageID)
	}
	return r, err
}

// ReviewFilter narrows Reviews. Zero values match everything.
type ReviewFilter struct {
	ArticleID int64
	UserID    int64
	Status    herald.ReviewStatus
	Program   string
	Since     time.Time
	Limit     int
}

// Reviews returns reviews, oldest first.
func (s *Store) Reviews(ctx context.Context, f ReviewFilter) ([]*herald.Review, error) {
	where, args := reviewWhere(f)
	q := `SELECT ` + reviewColumns + ` FROM reviews r JOIN articles a ON a.id = r.article_id WHERE ` + where +
		` ORDER BY r.created_at, r.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	out, err := queryReviews(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	return out, nil
}

func reviewWhere(f ReviewFilter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	if f.ArticleID != 0 {
		where, args = append(where, "r.article_id = ?"), append(args, f.ArticleID)
	}
	if f.UserID != 0 {
		where, args = append(where, "r.user_id = ?"), append(args, f.UserID)
	}
	if f.Status != "" {
		where, args = append(where, "r.status = ?"), append(args, f.Status)
	}
	if f.Program != "" {
		where, args = append(where, "lower(a.program) = lower(?)"), append(args, f.Program)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "r.created_at >= ?"), append(args, ts(f.Since))
	}
	return strings.Join(where, " AND "), args
}

// SetReviewStatus approves or rejects a review.
func (s *Store) SetReviewStatus(ctx context.Context, id int64, status herald.ReviewStatus) error {
	res, err := s.db.ExecContext(ctx, `UPDATE reviews SET status = ?, updated_at = ? WHERE id = ?`, status, ts(s.now()), id)
	if err != nil {
		return fmt.Errorf("store: review %d %s: %w", id, status, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return herald.Errorf(herald.ENotFound, "review %d not found", id)
	}
	return nil
}

// ReviewsSince counts a reader's reviews written or changed since t, for
// the rate limit.
func (s *Store) ReviewsSince(ctx context.Context, userID int64, t time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reviews WHERE user_id = ? AND updated_at >= ?`,
		userID, ts(t)).Scan(&n)
	return n, err
}

// SameTextElsewhere reports whether text was already left on another
// article, by anyone: the mark of a reader pasting one text everywhere.
func (s *Store) SameTextElsewhere(ctx context.Context, articleID int64, text string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reviews WHERE article_id != ? AND lower(text) = lower(?)`,
		articleID, text).Scan(&n)
	return n > 0, err
}

// Ban stops a reader's reviews: they are dropped quietly from then on, and
// the ones pending are rejected.
func (s *Store) Ban(ctx context.Context, userID, by int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO banned_readers (user_id, banned_by, at) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO NOTHING`, userID, by, ts(s.now())); err != nil {
			return fmt.Errorf("store: ban %d: %w", userID, err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE reviews SET status = 'rejected', updated_at = ?
			WHERE user_id = ? AND status = 'pending'`, ts(s.now()), userID)
		return err
	})
}

// Banned reports whether a reader is banned.
func (s *Store) Banned(ctx context.Context, userID int64) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM banned_readers WHERE user_id = ?`, userID).Scan(&n)
	return n > 0, err
}

// PurgeReader deletes everything herald keeps about a reader: reviews and
// the conversation in progress. It returns how many reviews went.
func (s *Store) PurgeReader(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM reviews WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `DELETE FROM review_sessions WHERE user_id = ?`, userID)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: purge reader %d: %w", userID, err)
	}
	return int(n), nil
}

// ReviewSession is a reader's review conversation in progress. It lives in
// the database so that a restart in the middle loses nothing.
type ReviewSession struct {
	UserID    int64
	ArticleID int64
	ChannelID int64
	Step      string // "rating" or "comment"
	Rating    int
	Draft     string // a text too long to keep, kept for the reader to shorten
	Language  herald.Language
}

// Session returns a reader's conversation in progress, or nil.
func (s *Store) Session(ctx context.Context, userID int64) (*ReviewSession, error) {
	var r ReviewSession
	var lang string
	err := s.db.QueryRowContext(ctx, `SELECT user_id, article_id, COALESCE(channel_id, 0), step, rating, draft, language
		FROM review_sessions WHERE user_id = ?`, userID).Scan(&r.UserID, &r.ArticleID, &r.ChannelID, &r.Step,
		&r.Rating, &r.Draft, &lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: review session %d: %w", userID, err)
	}
	r.Language = herald.Language(lang)
	return &r, nil
}

// SaveSession stores a reader's conversation, replacing the one before.
func (s *Store) SaveSession(ctx context.Context, r *ReviewSession) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO review_sessions (user_id, article_id, channel_id, step, rating,
		draft, language, updated_at) VALUES (?, ?, NULLIF(?, 0), ?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET article_id = excluded.article_id, channel_id = excluded.channel_id,
		step = excluded.step, rating = excluded.rating, draft = excluded.draft, language = excluded.language,
		updated_at = excluded.updated_at`,
		r.UserID, r.ArticleID, r.ChannelID, r.Step, r.Rating, r.Draft, r.Language, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: save review session %d: %w", r.UserID, err)
	}
	return nil
}

// EndSession forgets a reader's conversation.
func (s *Store) EndSession(ctx context.Context, userID int64) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM review_sessions WHERE user_id = ?`, userID)
	return err
}

func reviewBy(ctx context.Context, q queryer, where string, args ...any) (*herald.Review, error) {
	out, err := queryReviews(ctx, q, `SELECT `+reviewColumns+` FROM reviews r WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errNoRows
	}
	return out[0], nil
}

func queryReviews(ctx context.Context, q queryer, query string, args ...any) ([]*herald.Review, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*herald.Review
	for rows.Next() {
		var r herald.Review
		if err := rows.Scan(&r.ID, &r.ArticleID, &r.ChannelID, &r.UserID, &r.UserName, &r.Username, &r.Language,
			&r.Rating, &r.Text, &r.Source, &r.Status, &r.Spam, &r.ChatID, &r.MessageID,
			scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt}); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}
