package store

import (
	"context"
	"fmt"

	"github.com/herald-news/herald"
)

// AddAudit records one entry of the audit trail, stamping it with the
// store's clock.
func (s *Store) AddAudit(ctx context.Context, e *herald.AuditEntry) error {
	return addAudit(ctx, s.db, s, e)
}

func addAudit(ctx context.Context, q queryer, s *Store, e *herald.AuditEntry) error {
	e.At = s.now().UTC()
	res, err := q.ExecContext(ctx, `INSERT INTO audit (at, user_id, action, post_id, detail) VALUES (?, ?, ?, ?, ?)`,
		ts(e.At), e.UserID, e.Action, e.PostID, e.Detail)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	e.ID, _ = res.LastInsertId()
	return nil
}

// Audit returns the latest limit entries, newest first.
func (s *Store) Audit(ctx context.Context, limit int) ([]*herald.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, user_id, action, post_id, detail FROM audit
		ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: audit: %w", err)
	}
	defer rows.Close()
	var out []*herald.AuditEntry
	for rows.Next() {
		var e herald.AuditEntry
		if err := rows.Scan(&e.ID, scanTime{&e.At}, &e.UserID, &e.Action, &e.PostID, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, rows.Err()
}
