package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Notice is something owed to every owner and editor: a post whose fate is
// unknown, a post that failed, a channel paused, the poller stalled, a
// reader muted. Key names the event, so that the same event stored twice
// (found again after a restart) is owed once.
type Notice struct {
	ID        int64
	Key       string
	Kind      string
	PostID    int64
	ArticleID int64
	ChannelID int64
	Purpose   string
	Title     string // the article's title, as it was
	Channel   string // the channel's "Title (chat)", as it was
	Reason    string
	CreatedAt time.Time
}

// NoticeSend is one notice owed to one person, with the language they
// speak (empty when unknown).
type NoticeSend struct {
	Notice
	UserID    int64
	Language  herald.Language
	Attempts  int
	LastError string // why the last try failed
}

// NoticeCounts says how many notices (per person) were owed, delivered,
// given up on because the person cannot be reached, and are still pending.
type NoticeCounts struct {
	Owed, Delivered, Unreachable, Pending int
}

// AddNotice stores a notice owed to everyone who is an owner or editor now.
// It reports false, and stores nothing, when the event was stored before.
func (s *Store) AddNotice(ctx context.Context, n *Notice) (bool, error) {
	var added bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		added, err = addNotice(ctx, tx, s, n)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: notice %s: %w", n.Key, err)
	}
	return added, nil
}

func addNotice(ctx context.Context, q queryer, s *Store, n *Notice) (bool, error) {
	now := s.now().UTC()
	n.CreatedAt = now
	res, err := q.ExecContext(ctx, `INSERT INTO notices (event_key, kind, post_id, article_id, channel_id, purpose, title, channel, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`,
		n.Key, n.Kind, n.PostID, n.ArticleID, n.ChannelID, n.Purpose, n.Title, n.Channel, n.Reason, ts(now))
	if err != nil {
		return false, err
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return false, nil
	}
	n.ID, _ = res.LastInsertId()
	_, err = q.ExecContext(ctx, `INSERT INTO notice_sends (notice_id, user_id, next_at)
		SELECT ?, user_id, ? FROM editors`, n.ID, ts(now))
	return err == nil, err
}

// postNotice is the notice owed for a post left in sending by the claim
// of p.UpdatedAt, with its article's title and its channel, read in q.
func postNotice(ctx context.Context, q queryer, kind string, p *PostRow, reason string) (*Notice, error) {
	n := &Notice{Key: fmt.Sprintf("%s:%d:claimed:%s", kind, p.ID, ts(p.UpdatedAt)), Kind: kind, PostID: p.ID,
		ChannelID: p.ChannelID, Purpose: string(p.Purpose), Reason: reason}
	var chTitle, chat string
	err := q.QueryRowContext(ctx, `SELECT a.title, c.title, c.chat FROM posts p
		JOIN articles a ON a.id = p.article_id JOIN channels c ON c.id = p.channel_id WHERE p.id = ?`, p.ID).
		Scan(&n.Title, &chTitle, &chat)
	if err != nil && err != sql.ErrNoRows {
		return nil, err
	}
	n.Channel = strings.TrimSpace(chTitle + " (" + chat + ")")
	return n, nil
}

// RecoverOrphans turns every post left in sending whose lease ended before
// cutoff into unknown, as OrphanSending does, and in the same transaction
// stores the notice owed for each, unless the process that died stored one
// about the post since it claimed it (a post in sending was last changed
// by its claim): a post's fate is announced once. It returns those posts.
func (s *Store) RecoverOrphans(ctx context.Context, cutoff time.Time, reason string) ([]*PostRow, error) {
	var out []*PostRow
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryPosts(ctx, tx, `SELECT `+postColumns+` FROM posts p
			WHERE p.state = 'sending' AND (p.lease_until IS NULL OR p.lease_until <= ?)`, ts(cutoff))
		if err != nil {
			return err
		}
		for _, p := range out {
			var told int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices WHERE post_id = ?
				AND kind IN ('post_unknown', 'post_failed') AND created_at >= ?`, p.ID, ts(p.UpdatedAt)).Scan(&told); err != nil {
				return err
			}
			if told == 0 {
				n, err := postNotice(ctx, tx, "post_unknown", p, reason)
				if err != nil {
					return err
				}
				if _, err := addNotice(ctx, tx, s, n); err != nil {
					return err
				}
			}
			p.State, p.LastError = herald.PostUnknown, reason
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET state = 'unknown', last_error = ?,
				lease_until = NULL, updated_at = ? WHERE id = ?`, reason, ts(s.now()), p.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: orphaned sends: %w", err)
	}
	return out, nil
}

// DueNotices returns up to limit notices pending for people whose next try
// is due by now, oldest first (so that one person's backlog cannot keep
// the others' notices out of the limit).
func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]*NoticeSend, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT n.id, n.event_key, n.kind, n.post_id, n.article_id, n.channel_id, n.purpose, n.title,
		n.channel, n.reason, n.created_at, ns.user_id, COALESCE(e.language, ''), ns.attempts, ns.last_error
		FROM notice_sends ns JOIN notices n ON n.id = ns.notice_id LEFT JOIN editors e ON e.user_id = ns.user_id
		WHERE ns.state = 'pending' AND ns.next_at <= ? ORDER BY n.id, ns.user_id LIMIT ?`, ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due notices: %w", err)
	}
	defer rows.Close()
	var out []*NoticeSend
	for rows.Next() {
		var n NoticeSend
		if err := rows.Scan(&n.ID, &n.Key, &n.Kind, &n.PostID, &n.ArticleID, &n.ChannelID, &n.Purpose, &n.Title, &n.Channel,
			&n.Reason, scanTime{&n.CreatedAt}, &n.UserID, &n.Language, &n.Attempts, &n.LastError); err != nil {
			return nil, fmt.Errorf("store: due notices: %w", err)
		}
		out = append(out, &n)
	}
	return out, rows.Err()
}

// NextNoticeAt returns when the soonest pending notice is next due.
func (s *Store) NextNoticeAt(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(next_at) FROM notice_sends WHERE state = 'pending'`).Scan(&at); err != nil {
		return time.Time{}, false, fmt.Errorf("store: next notice: %w", err)
	}
	if !at.Valid {
		return time.Time{}, false, nil
	}
	t, err := parseTS(at.String)
	return t, err == nil, err
}

// NoticesDelivered records that the person got these notices.
func (s *Store) NoticesDelivered(ctx context.Context, userID int64, ids []int64) error {
	return s.settleNotices(ctx, userID, ids, `state = 'delivered', delivered_at = ?, last_error = ''`, ts(s.now()))
}

// NoticesUnreachable gives up on these notices for the person: Telegram
// says they cannot be written to (blocked the bot, never started it).
func (s *Store) NoticesUnreachable(ctx context.Context, userID int64, ids []int64, reason string) error {
	return s.settleNotices(ctx, userID, ids, `state = 'unreachable', last_error = ?`, reason)
}

// NoticesRetry puts these notices off for the person until next.
func (s *Store) NoticesRetry(ctx context.Context, userID int64, ids []int64, next time.Time, reason string) error {
	return s.settleNotices(ctx, userID, ids, `attempts = attempts + 1, next_at = ?, last_error = ?`, ts(next), reason)
}

func (s *Store) settleNotices(ctx context.Context, userID int64, ids []int64, set string, args ...any) error {
	if len(ids) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE notice_sends SET `+set+` WHERE notice_id = ? AND user_id = ? AND state = 'pending'`,
				append(append([]any{}, args...), id, userID)...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: notices to %d: %w", userID, err)
	}
	return nil
}

// CountNotices counts notices per person by state, for the chaos drill,
// metrics and herald doctor: owed equals delivered plus unreachable plus
// pending.
func (s *Store) CountNotices(ctx context.Context) (NoticeCounts, error) {
	var c NoticeCounts
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(state = 'delivered'), 0), COALESCE(SUM(state = 'unreachable'), 0), COALESCE(SUM(state = 'pending'), 0)
		FROM notice_sends`).Scan(&c.Owed, &c.Delivered, &c.Unreachable, &c.Pending)
	if err != nil {
		return c, fmt.Errorf("store: count notices: %w", err)
	}
	return c, nil
}

// NoticesAbout returns the notices stored about a post, oldest first.
func (s *Store) NoticesAbout(ctx context.Context, postID int64) ([]*Notice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, event_key, kind, post_id, article_id, channel_id, purpose, title, channel, reason, created_at
		FROM notices WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, fmt.Errorf("store: notices about post %d: %w", postID, err)
	}
	defer rows.Close()
	var out []*Notice
	for rows.Next() {
		var n Notice
		if err := rows.Scan(&n.ID, &n.Key, &n.Kind, &n.PostID, &n.ArticleID, &n.ChannelID, &n.Purpose, &n.Title, &n.Channel,
			&n.Reason, scanTime{&n.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, &n)
	}
	return out, rows.Err()
}
