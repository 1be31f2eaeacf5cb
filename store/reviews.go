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
	r.language, r.rating, r.text, r.source, r.status, r.spam, r.chat_id, r.message_id, r.created_at, r.updated_at,
	r.remote_id`

// SaveReview stores a reader's review of an article: the first one is
// created, a later one updates it (a reader has one review per article).
// A review without a rating keeps the rating given before, and one without
// words keeps the words (and their spam mark) written before. It fills in
// r's id and times and reports whether the review is new.
//
// A new review, by far the most common, is one plain INSERT; a changed one
// an UPDATE after it, which reads the review back. Each statement is atomic on its own, and a review
// deleted in between (a reader's /forgetme) is written anew. The write is
// committed together with the others arriving at the same moment (see
// grouped): readers' reviews come in floods.
func (s *Store) SaveReview(ctx context.Context, r *herald.Review) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	var created bool
	// Each of saveReview's statements is whole on its own (see above).
	err := s.groupedSingle(ctx, func(ctx context.Context, q queryer) (err error) {
		created, err = s.saveReview(ctx, q, r)
		return err
	})
	return created, err
}

func (s *Store) saveReview(ctx context.Context, q queryer, r *herald.Review) (bool, error) {
	now := ts(s.now())
	for range 3 {
		res, err := q.ExecContext(ctx, `INSERT INTO reviews (article_id, channel_id, user_id, user_name,
			username, language, rating, text, source, status, spam, chat_id, message_id, created_at, updated_at, remote_id)
			VALUES (?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (article_id, user_id) DO NOTHING`,
			r.ArticleID, r.ChannelID, r.UserID, r.UserName, r.Username, r.Language, r.Rating, r.Text,
			r.Source, r.Status, r.Spam, r.ChatID, r.MessageID, now, now, r.RemoteID)
		if err != nil {
			return false, fmt.Errorf("store: save review of article %d by %d: %w", r.ArticleID, r.UserID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			// The row is r as given: no need to read it back.
			id, err := res.LastInsertId()
			if err != nil {
				return false, fmt.Errorf("store: save review of article %d by %d: %w", r.ArticleID, r.UserID, err)
			}
			r.ID = id
			r.CreatedAt, _ = parseTS(now)
			r.UpdatedAt = r.CreatedAt
			return true, nil
		}
		err = scanReview(q.QueryRowContext(ctx, `UPDATE reviews SET
			channel_id = COALESCE(NULLIF(:channel, 0), channel_id),
			user_name = :name, username = :username, language = :language,
			rating = CASE WHEN :rating > 0 THEN :rating ELSE rating END,
			text = CASE WHEN :text != '' THEN :text ELSE text END,
			source = CASE WHEN :source = 'dm' THEN 'dm' ELSE source END,
			status = CASE WHEN :text = '' AND spam THEN 'pending' ELSE :status END,
			spam = CASE WHEN :text != '' THEN :spam ELSE spam END,
			chat_id = CASE WHEN :chat != 0 THEN :chat ELSE chat_id END,
			message_id = CASE WHEN :message != 0 THEN :message ELSE message_id END,
			remote_id = CASE WHEN :remote != '' THEN :remote ELSE remote_id END,
			updated_at = :now
			WHERE article_id = :article AND user_id = :user
			RETURNING `+returnedReview,
			sql.Named("channel", r.ChannelID), sql.Named("name", r.UserName), sql.Named("username", r.Username),
			sql.Named("language", r.Language), sql.Named("rating", r.Rating), sql.Named("text", r.Text),
			sql.Named("source", r.Source), sql.Named("status", r.Status), sql.Named("spam", r.Spam),
			sql.Named("chat", r.ChatID), sql.Named("message", r.MessageID), sql.Named("now", now),
			sql.Named("article", r.ArticleID), sql.Named("user", r.UserID), sql.Named("remote", r.RemoteID)), r)
		if err == nil {
			return false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, fmt.Errorf("store: save review of article %d by %d: %w", r.ArticleID, r.UserID, err)
		}
	}
	return false, fmt.Errorf("store: save review of article %d by %d: %w", r.ArticleID, r.UserID,
		herald.Errorf(herald.EConflict, "the review keeps being deleted and written"))
}

// returnedReview is reviewColumns for a RETURNING clause, which names no
// table.
const returnedReview = `id, article_id, COALESCE(channel_id, 0), user_id, user_name, username, language, rating,
	text, source, status, spam, chat_id, message_id, created_at, updated_at, remote_id`

// scanReview reads one review of reviewColumns or returnedReview into r.
func scanReview(row *sql.Row, r *herald.Review) error {
	return row.Scan(&r.ID, &r.ArticleID, &r.ChannelID, &r.UserID, &r.UserName, &r.Username, &r.Language,
		&r.Rating, &r.Text, &r.Source, &r.Status, &r.Spam, &r.ChatID, &r.MessageID,
		scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt}, &r.RemoteID)
}

// ReviewGate is what the rules a review goes through need to know about
// it before it is kept.
type ReviewGate struct {
	Banned      bool // the reader is banned: their reviews are dropped quietly
	Recent      int  // reviews the reader wrote or changed since the window began
	Exists      bool // the reader has reviewed this article before
	SameText    bool // the text was already left on another article
	AutoApprove bool // the channel approves its readers' reviews as they come
}

// ReviewGate reads, in one query, what the rules need to know before
// userID's review of articleID (from channelID, 0 when unknown) is kept:
// see ReviewGate's fields. Reviews written or changed since since count as
// recent. text is looked up on other articles only when it is not empty.
func (s *Store) ReviewGate(ctx context.Context, userID, articleID, channelID int64, since time.Time, text string) (ReviewGate, error) {
	var g ReviewGate
	err := s.db.QueryRowContext(ctx, `SELECT `+gateColumns(":article", ":channel"),
		sql.Named("user", userID), sql.Named("since", ts(since)), sql.Named("article", articleID),
		sql.Named("text", text), sql.Named("channel", channelID)).Scan(
		&g.Banned, &g.Recent, &g.Exists, &g.SameText, &g.AutoApprove)
	if err != nil {
		return ReviewGate{}, fmt.Errorf("store: review gate of article %d for %d: %w", articleID, userID, err)
	}
	return g, nil
}

// CommentGate is CopiedPost and ReviewGate in one query, for a comment in
// a discussion group: it finds the post whose automatic forward is message
// copyID of chatID, and what the rules need to know about userID's review
// of that post's article. It fails with a herald.ENotFound error when the
// message is no post's copy.
func (s *Store) CommentGate(ctx context.Context, chatID, copyID, userID int64, since time.Time, text string) (PostRef, ReviewGate, error) {
	var p PostRef
	var g ReviewGate
	err := s.db.QueryRowContext(ctx, `SELECT p.id, p.article_id, p.channel_id, `+gateColumns("p.article_id", "p.channel_id")+`
		FROM posts p WHERE p.id = (SELECT post_id FROM post_copies WHERE chat_id = :chat AND message_id = :copy)`,
		sql.Named("chat", chatID), sql.Named("copy", copyID), sql.Named("user", userID),
		sql.Named("since", ts(since)), sql.Named("text", text)).Scan(
		&p.ID, &p.ArticleID, &p.ChannelID, &g.Banned, &g.Recent, &g.Exists, &g.SameText, &g.AutoApprove)
	if errors.Is(err, sql.ErrNoRows) {
		return PostRef{}, ReviewGate{}, herald.Errorf(herald.ENotFound, "no post copied as message %d", copyID)
	}
	if err != nil {
		return PostRef{}, ReviewGate{}, fmt.Errorf("store: comment gate of %d/%d for %d: %w", chatID, copyID, userID, err)
	}
	return p, g, nil
}

// gateColumns selects ReviewGate's fields, in order, for the reader :user,
// the article and channel named by the given expressions, the window's
// start :since and the text :text.
func gateColumns(article, channel string) string {
	return `EXISTS (SELECT 1 FROM banned_readers WHERE user_id = :user),
		(SELECT COUNT(*) FROM reviews WHERE user_id = :user AND updated_at >= :since),
		EXISTS (SELECT 1 FROM reviews WHERE article_id = ` + article + ` AND user_id = :user),
		CASE WHEN :text = '' THEN 0 ELSE EXISTS (SELECT 1 FROM reviews
			WHERE lower(text) = lower(:text) AND text != '' AND article_id != ` + article + `) END,
		COALESCE((SELECT auto_approve FROM channels WHERE id = ` + channel + `), 0)`
}

// Review returns one review, or a herald.ENotFound error.
func (s *Store) Review(ctx context.Context, id int64) (*herald.Review, error) {
	r, err := reviewBy(ctx, s.db, `r.id = ?`, id)
	if errors.Is(err, errNoRows) {
		return nil, herald.Sayf(herald.ENotFound, herald.PhraseReviewNotFound, id)
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
	Newest    bool // the newest first (with Limit: the latest Limit)
}

// Reviews returns reviews, oldest first (newest first with f.Newest).
func (s *Store) Reviews(ctx context.Context, f ReviewFilter) ([]*herald.Review, error) {
	where, args := reviewWhere(f)
	order := ` ORDER BY r.created_at, r.id`
	if f.Newest {
		order = ` ORDER BY r.created_at DESC, r.id DESC`
	}
	q := `SELECT ` + reviewColumns + ` FROM reviews r JOIN articles a ON a.id = r.article_id WHERE ` + where + order
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	out, err := queryReviews(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	return out, nil
}

// CountReviews counts the reviews f selects (its Limit aside).
func (s *Store) CountReviews(ctx context.Context, f ReviewFilter) (int, error) {
	where, args := reviewWhere(f)
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reviews r JOIN articles a ON a.id = r.article_id WHERE `+where, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count reviews: %w", err)
	}
	return n, nil
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
		return herald.Sayf(herald.ENotFound, herald.PhraseReviewNotFound, id)
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
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM reviews
		WHERE lower(text) = lower(?) AND text != '' AND article_id != ?`,
		text, articleID).Scan(&n)
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
			scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt}, &r.RemoteID); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// ApprovedForChannel returns up to limit approved reviews with words,
// written or changed since t, of articles that went out on the channel —
// the material of its "What readers said" roundup — newest first, with the
// titles of the articles.
func (s *Store) ApprovedForChannel(ctx context.Context, channelID int64, since time.Time, limit int) ([]*herald.Review, []string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+reviewColumns+`, a.title FROM reviews r JOIN articles a ON a.id = r.article_id
		WHERE r.status = 'approved' AND r.text != '' AND r.updated_at >= ? AND a.source != ?
		AND EXISTS (SELECT 1 FROM posts p WHERE p.article_id = r.article_id AND p.channel_id = ?
			AND p.state IN ('sent', 'edited'))
		ORDER BY r.rating DESC, r.updated_at DESC LIMIT ?`, ts(since), herald.SourceReaders, channelID, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("store: reviews for channel %d: %w", channelID, err)
	}
	defer rows.Close()
	var out []*herald.Review
	var titles []string
	for rows.Next() {
		var r herald.Review
		var title string
		if err := rows.Scan(&r.ID, &r.ArticleID, &r.ChannelID, &r.UserID, &r.UserName, &r.Username, &r.Language,
			&r.Rating, &r.Text, &r.Source, &r.Status, &r.Spam, &r.ChatID, &r.MessageID,
			scanTime{&r.CreatedAt}, scanTime{&r.UpdatedAt}, &r.RemoteID, &title); err != nil {
			return nil, nil, err
		}
		out = append(out, &r)
		titles = append(titles, title)
	}
	return out, titles, rows.Err()
}
