package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LateAfter is how long a post awaits approval before its approvers are
// told it is late (its time having come): a post due at once when it is
// planned is not late the moment it is asked for.
const LateAfter = 10 * time.Minute

// LateApprovals returns the posts still awaiting approval whose time came
// by now, asked for at least LateAfter ago, and not reported late yet, and
// records them as reported, in one transaction: each is told to its
// approvers once.
func (s *Store) LateApprovals(ctx context.Context, now time.Time) ([]*PostRow, error) {
	var out []*PostRow
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryPosts(ctx, tx, `SELECT `+postColumns+` FROM posts p
			WHERE p.state = 'awaiting_approval' AND p.scheduled_at <= ? AND p.updated_at <= ?
			AND NOT EXISTS (SELECT 1 FROM approval_late l WHERE l.post_id = p.id)
			ORDER BY p.scheduled_at, p.id LIMIT 100`, ts(now), ts(now.Add(-LateAfter)))
		if err != nil {
			return err
		}
		for _, p := range out {
			if _, err := tx.ExecContext(ctx, `INSERT INTO approval_late (post_id, told_at) VALUES (?, ?)
				ON CONFLICT (post_id) DO NOTHING`, p.ID, ts(s.now())); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: late approvals: %w", err)
	}
	return out, nil
}

// ForgetLate drops a post's "late for approval" mark, as when it is
// approved, rejected or moved to a new time: late again, it is told again.
func (s *Store) ForgetLate(ctx context.Context, postID int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM approval_late WHERE post_id = ?`, postID); err != nil {
		return fmt.Errorf("store: late mark of post %d: %w", postID, err)
	}
	return nil
}

// AddNoticeFor stores a notice owed to the given people only (a post's
// approvers), as AddNotice does for everyone. People who are not editors
// are left out: they could not press its buttons. It reports false, and
// stores nothing, when the event was stored before.
func (s *Store) AddNoticeFor(ctx context.Context, n *Notice, users []int64) (bool, error) {
	var added bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC()
		n.CreatedAt = now
		res, err := tx.ExecContext(ctx, `INSERT INTO notices (event_key, kind, post_id, article_id, channel_id, purpose, title, channel, reason, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING`,
			n.Key, n.Kind, n.PostID, n.ArticleID, n.ChannelID, n.Purpose, n.Title, n.Channel, n.Reason, ts(now))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		n.ID, _ = res.LastInsertId()
		for _, u := range users {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notice_sends (notice_id, user_id, next_at)
				SELECT ?, user_id, ? FROM editors WHERE user_id = ? ON CONFLICT DO NOTHING`, n.ID, ts(now), u); err != nil {
				return err
			}
		}
		added = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: notice %s: %w", n.Key, err)
	}
	return added, nil
}
