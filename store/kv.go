package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Value returns the value stored under key, and false when there is none.
// herald keeps small pieces of state there: the watcher's position, a
// generated webhook secret.
func (s *Store) Value(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM kv WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: read %s: %w", key, err)
	}
	return v, true, nil
}

// SetValue stores value under key, replacing what was there.
func (s *Store) SetValue(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO kv (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return fmt.Errorf("store: write %s: %w", key, err)
	}
	return nil
}
