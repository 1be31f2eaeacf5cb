// Package store keeps herald's state in SQLite: articles, channels, posts,
// reviews, editors and the audit trail. One file per noun holds the SQL for
// it. Open applies the embedded migrations; every connection in the pool
// gets WAL, a busy timeout, foreign keys and immediate transactions from the
// connection string.
//
// Past one machine, this package is what moves to PostgreSQL; nothing else
// in herald speaks SQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Store is herald's database. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	now     func() time.Time
	applied []string    // migrations applied by Open
	group   groupCommit // see grouped
}

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock used for created_at, updated_at and the like.
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// busyTimeout is how long a connection waits for another writer before
// SQLITE_BUSY. Writers are short; five seconds covers a burst of them.
const busyTimeout = 5 * time.Second

// maxIdleConns is how many connections the pool keeps open between
// queries: enough for every goroutine of herald run that queries at once
// (the bot's ten lanes, the poller, the forgetter, the dispatcher and its
// senders), so that none is opened and closed per query.
const maxIdleConns = 32

// DSN returns the connection string for the database at path, with the
// settings every herald connection must have.
func DSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	// herald runs the same few dozen statements all day: keep them prepared.
	q.Set("_stmt_cache_size", "128")
	// SQLite reads a file: name as a URI: a "#" or "?" in the path would end
	// it early and a "%" would be decoded, opening another file.
	path = strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and brings its
// schema up to date. It fails with ErrTooNew when the database was written
// by a newer herald, and names the path in every error.
func Open(path string, opts ...Option) (*Store, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("store: open: empty database path")
	}
	db, err := sql.Open("sqlite3", DSN(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// database/sql keeps two idle connections by default: with the bot's
	// lanes, the poller and the dispatcher reading at once, every other
	// connection was closed when returned and a new one opened for the
	// next query — SQLite parsing the whole schema again and the
	// connection's prepared statements lost each time.
	db.SetMaxIdleConns(maxIdleConns)
	s := &Store{db: db, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if s.applied, err = s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// Applied returns the names of the migrations Open applied, oldest first;
// none when the database was already up to date.
func (s *Store) Applied() []string { return s.applied }

// DB returns the underlying database, for backups and benchmarks that must
// compare herald's path with plain SQL.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers and is writable.
func (s *Store) Ping(ctx context.Context) error {
	return s.SetValue(ctx, "ping", ts(s.now()))
}

// inTx runs fn in one (immediate) transaction, committing when fn returns
// nil and rolling back otherwise.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// queryer is what *sql.DB and *sql.Tx have in common, so that reads can
// run inside or outside a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// timeFormat is fixed-width, so that stored times sort as text.
const timeFormat = "2006-01-02T15:04:05.000Z"

// ts renders t for storage: UTC, millisecond precision.
func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

// nullTS renders an optional time; nil is NULL.
func nullTS(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return ts(*t)
}

// parseTS reads a stored time.
func parseTS(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		// Tolerate RFC 3339 written by hand or by an older herald.
		if t2, err2 := time.Parse(time.RFC3339Nano, s); err2 == nil {
			return t2.UTC(), nil
		}
		return time.Time{}, fmt.Errorf("bad stored time %q: %w", s, err)
	}
	return t, nil
}

// scanTime and scanNullTime adapt stored times to sql.Scanner.
type scanTime struct{ t *time.Time }

func (st scanTime) Scan(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("stored time is %T, not text", v)
	}
	t, err := parseTS(s)
	*st.t = t
	return err
}

type scanNullTime struct{ t **time.Time }

func (st scanNullTime) Scan(v any) error {
	if v == nil {
		*st.t = nil
		return nil
	}
	var t time.Time
	if err := (scanTime{&t}).Scan(v); err != nil {
		return err
	}
	*st.t = &t
	return nil
}
