package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// AddAudit records one entry of the audit trail, stamping it with the
// store's clock.
func (s *Store) AddAudit(ctx context.Context, e *herald.AuditEntry) error {
	return addAudit(ctx, s.db, s, e)
}

func addAudit(ctx context.Context, q queryer, s *Store, e *herald.AuditEntry) error {
	e.At = s.now().UTC()
	e.Count, e.LastAt = 1, e.At
	res, err := q.ExecContext(ctx, `INSERT INTO audit (at, user_id, action, post_id, detail, count, last_at) VALUES (?, ?, ?, ?, ?, 1, ?)`,
		ts(e.At), e.UserID, e.Action, e.PostID, e.Detail, ts(e.At))
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	e.ID, _ = res.LastInsertId()
	return nil
}

// AddCounted records an attempt that is counted rather than listed (a
// refusal): when the same person's last entry of that action began within
// window, it counts one more there (and keeps the latest detail);
// otherwise it starts a new entry. e is filled in as stored.
func (s *Store) AddCounted(ctx context.Context, e *herald.AuditEntry, window time.Duration) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now().UTC()
		var id int64
		var count int
		var at string
		err := tx.QueryRowContext(ctx, `SELECT id, count, at FROM audit WHERE user_id = ? AND action = ? AND at > ?
			ORDER BY id DESC LIMIT 1`, e.UserID, e.Action, ts(now.Add(-window))).Scan(&id, &count, &at)
		if err == sql.ErrNoRows {
			return addAudit(ctx, tx, s, e)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE audit SET count = count + 1, last_at = ?, detail = ? WHERE id = ?`,
			ts(now), e.Detail, id); err != nil {
			return err
		}
		e.ID, e.Count, e.LastAt = id, count+1, now
		e.At, err = parseTS(at)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit returns the latest limit entries, newest first.
func (s *Store) Audit(ctx context.Context, limit int) ([]*herald.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, user_id, action, post_id, detail, count, COALESCE(last_at, at) FROM audit
		ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []*herald.AuditEntry
	for rows.Next() {
		var e herald.AuditEntry
		if err := rows.Scan(&e.ID, scanTime{&e.At}, &e.UserID, &e.Action, &e.PostID, &e.Detail, &e.Count, scanTime{&e.LastAt}); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}
