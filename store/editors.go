package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/herald-news/herald"
)

// SyncOwners makes the given users owners, as configuration says, and
// demotes to editor any owner no longer listed.
func (s *Store) SyncOwners(ctx context.Context, owners []int64) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		listed := map[int64]bool{}
		for _, id := range owners {
			listed[id] = true
			if _, err := tx.ExecContext(ctx, `INSERT INTO editors (user_id, role, added_by, added_at)
				VALUES (?, 'owner', 0, ?) ON CONFLICT (user_id) DO UPDATE SET role = 'owner'`, id, ts(s.now())); err != nil {
				return fmt.Errorf("store: owner %d: %w", id, err)
			}
		}
		rows, err := tx.QueryContext(ctx, `SELECT user_id FROM editors WHERE role = 'owner'`)
		if err != nil {
			return err
		}
		var stale []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if !listed[id] {
				stale = append(stale, id)
			}
		}
		rows.Close()
		for _, id := range stale {
			if _, err := tx.ExecContext(ctx, `UPDATE editors SET role = 'editor' WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// AddEditor makes a user an editor, added by an owner. Adding an owner or
// an existing editor is a herald.EConflict error.
func (s *Store) AddEditor(ctx context.Context, e *herald.Editor) error {
	e.Role = herald.RoleEditor
	e.AddedAt = s.now().UTC()
	_, err := s.db.ExecContext(ctx, `INSERT INTO editors (user_id, name, role, added_by, added_at)
		VALUES (?, ?, 'editor', ?, ?)`, e.UserID, e.Name, e.AddedBy, ts(e.AddedAt))
	if isUniqueViolation(err) || isPrimaryKeyViolation(err) {
		old, _ := s.Editor(ctx, e.UserID)
		if old != nil && old.Role == herald.RoleOwner {
			return herald.Sayf(herald.EConflict, herald.PhraseIsAnOwner, e.UserID)
		}
		return herald.Sayf(herald.EConflict, herald.PhraseAlreadyAnEditor, e.UserID)
	}
	if err != nil {
		return fmt.Errorf("store: add editor %d: %w", e.UserID, err)
	}
	return nil
}

// RemoveEditor removes an editor. Owners come from configuration and cannot
// be removed here.
func (s *Store) RemoveEditor(ctx context.Context, userID int64) error {
	ed, err := s.Editor(ctx, userID)
	if err != nil {
		return err
	}
	if ed.Role == herald.RoleOwner {
		return herald.Sayf(herald.EConflict, herald.PhraseIsAnOwner, userID)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM editors WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: remove editor %d: %w", userID, err)
	}
	return nil
}

// Editor returns the editor or owner with the user id, or a
// herald.ENotFound error for anyone else.
func (s *Store) Editor(ctx context.Context, userID int64) (*herald.Editor, error) {
	var e herald.Editor
	var lang string
	err := s.db.QueryRowContext(ctx, `SELECT user_id, name, role, language, added_by, added_at FROM editors
		WHERE user_id = ?`, userID).Scan(&e.UserID, &e.Name, &e.Role, &lang, &e.AddedBy, scanTime{&e.AddedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, herald.Sayf(herald.ENotFound, herald.PhraseNotAnEditor, userID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: editor %d: %w", userID, err)
	}
	e.Language = herald.Language(lang)
	return &e, nil
}

// Editors returns owners and editors, owners first.
func (s *Store) Editors(ctx context.Context) ([]*herald.Editor, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT user_id, name, role, language, added_by, added_at FROM editors
		ORDER BY role = 'owner' DESC, added_at, user_id`)
	if err != nil {
		return nil, fmt.Errorf("store: editors: %w", err)
	}
	defer rows.Close()
	var out []*herald.Editor
	for rows.Next() {
		var e herald.Editor
		var lang string
		if err := rows.Scan(&e.UserID, &e.Name, &e.Role, &lang, &e.AddedBy, scanTime{&e.AddedAt}); err != nil {
			return nil, err
		}
		e.Language = herald.Language(lang)
		out = append(out, &e)
	}
	return out, rows.Err()
}

// SeenEditor records an editor's display name and language as Telegram last
// gave them, for notices in their language. It does nothing for others.
func (s *Store) SeenEditor(ctx context.Context, userID int64, name string, lang herald.Language) error {
	_, err := s.db.ExecContext(ctx, `UPDATE editors SET name = ?, language = ? WHERE user_id = ?
		AND (name != ? OR language != ?)`, name, lang, userID, name, lang)
	if err != nil {
		return fmt.Errorf("store: editor %d seen: %w", userID, err)
	}
	return nil
}
