package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/herald-news/herald"
)

// Backup writes a consistent snapshot of the database to path with VACUUM
// INTO: the copy holds every transaction committed before it started and
// none after, while other connections go on reading and writing. It never
// overwrites: an existing path is a herald.EConflict error. On any failure
// the partial copy is removed.
func (s *Store) Backup(ctx context.Context, path string) error {
	if strings.TrimSpace(path) == "" {
		return herald.FieldError("path", "give a file to write the backup to")
	}
	// Creating the file with O_EXCL claims the name atomically, so a file
	// that appears after a check cannot be overwritten; VACUUM INTO accepts
	// an empty file as its target.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return herald.Errorf(herald.EConflict, "%s already exists; a backup never overwrites a file: choose a new name or remove it first", path)
	}
	if err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	f.Close()
	if err := s.vacuumInto(ctx, path); err != nil {
		os.Remove(path)
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

func (s *Store) vacuumInto(ctx context.Context, path string) error {
	// SQLite reads a name starting with "file:" as a URI; "./" keeps a
	// relative path literal.
	target := path
	if strings.HasPrefix(target, "file:") {
		target = "./" + target
	}
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, target); err != nil {
		return err
	}
	// VACUUM INTO does not fsync what it wrote; a backup that a power cut
	// can leave half on disk is not one.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// IntegrityCheck opens the database file at path without changing it (no
// migrations, nothing created) and runs PRAGMA integrity_check. It returns
// the check's lines: just "ok" for a sound file. It fails when the file is
// missing or is not a database.
func IntegrityCheck(ctx context.Context, path string) ([]string, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: check %s: %w", path, err)
	}
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite3", "file:"+esc+"?mode=ro")
	if err != nil {
		return nil, fmt.Errorf("store: check %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, fmt.Errorf("store: check %s: %w", path, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, fmt.Errorf("store: check %s: %w", path, err)
		}
		out = append(out, line)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: check %s: %w", path, err)
	}
	return out, nil
}
