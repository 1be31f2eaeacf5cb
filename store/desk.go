package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// DeskSession is one signed-in browser of the web desk. The token that
// identifies it lives only in the browser's cookie; the store keeps its
// hash.
type DeskSession struct {
	ID        int64
	UserID    int64
	Name      string
	Via       string // "widget" (Telegram Login Widget) or "link" (the bot's one-time link)
	UserAgent string
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
}

// NewDeskToken returns a fresh random token (256 bits, URL-safe) for a
// session cookie or a one-time link.
func NewDeskToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: desk token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// DeskTokenHash is what the store keeps of a token.
func DeskTokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateDeskSession stores a session for token, valid until expires.
func (s *Store) CreateDeskSession(ctx context.Context, token string, ds *DeskSession) error {
	now := s.now().UTC()
	ds.CreatedAt, ds.SeenAt = now, now
	res, err := s.db.ExecContext(ctx, `INSERT INTO desk_sessions (token_hash, user_id, name, via, user_agent, created_at, seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, DeskTokenHash(token), ds.UserID, ds.Name, ds.Via, ds.UserAgent, ts(now), ts(now), ts(ds.ExpiresAt))
	if err != nil {
		return fmt.Errorf("store: desk session for %d: %w", ds.UserID, err)
	}
	ds.ID, _ = res.LastInsertId()
	return nil
}

const deskSessionColumns = `id, user_id, name, via, user_agent, created_at, seen_at, expires_at`

func scanDeskSession(sc interface{ Scan(...any) error }, ds *DeskSession) error {
	return sc.Scan(&ds.ID, &ds.UserID, &ds.Name, &ds.Via, &ds.UserAgent, scanTime{&ds.CreatedAt}, scanTime{&ds.SeenAt}, scanTime{&ds.ExpiresAt})
}

// DeskSessionByToken returns the live session of a cookie's token: not
// expired, and seen within idle. It returns an EUnauthorized error for any
// other token, and notes the session as seen (at most once a minute).
func (s *Store) DeskSessionByToken(ctx context.Context, token string, idle time.Duration) (*DeskSession, error) {
	now := s.now().UTC()
	var ds DeskSession
	err := scanDeskSession(s.db.QueryRowContext(ctx, `SELECT `+deskSessionColumns+` FROM desk_sessions
		WHERE token_hash = ? AND expires_at > ? AND seen_at > ?`, DeskTokenHash(token), ts(now), ts(now.Add(-idle))), &ds)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, herald.Errorf(herald.EUnauthorized, "no such desk session")
	}
	if err != nil {
		return nil, fmt.Errorf("store: desk session: %w", err)
	}
	if now.Sub(ds.SeenAt) > time.Minute {
		if _, err := s.db.ExecContext(ctx, `UPDATE desk_sessions SET seen_at = ? WHERE id = ?`, ts(now), ds.ID); err != nil {
			return nil, fmt.Errorf("store: desk session %d seen: %w", ds.ID, err)
		}
		ds.SeenAt = now
	}
	return &ds, nil
}

// DeskSessions returns the sessions not yet expired, newest first.
func (s *Store) DeskSessions(ctx context.Context) ([]*DeskSession, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+deskSessionColumns+` FROM desk_sessions WHERE expires_at > ?
		ORDER BY id DESC`, ts(s.now()))
	if err != nil {
		return nil, fmt.Errorf("store: desk sessions: %w", err)
	}
	defer rows.Close()
	var out []*DeskSession
	for rows.Next() {
		var ds DeskSession
		if err := scanDeskSession(rows, &ds); err != nil {
			return nil, err
		}
		out = append(out, &ds)
	}
	return out, rows.Err()
}

// RevokeDeskSession ends one session (by its id), or every session of a
// person when userID is set instead; it returns how many it ended.
func (s *Store) RevokeDeskSession(ctx context.Context, id, userID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM desk_sessions WHERE (? != 0 AND id = ?) OR (? != 0 AND user_id = ?)`,
		id, id, userID, userID)
	if err != nil {
		return 0, fmt.Errorf("store: revoke desk session: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// EndDeskSession ends the session of a cookie's token (sign-out).
func (s *Store) EndDeskSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM desk_sessions WHERE token_hash = ?`, DeskTokenHash(token))
	if err != nil {
		return fmt.Errorf("store: end desk session: %w", err)
	}
	return nil
}

// NewDeskLink makes a one-time sign-in link token for userID, valid for
// ttl, and keeps only its hash. Expired links are swept at the same time.
func (s *Store) NewDeskLink(ctx context.Context, userID int64, ttl time.Duration) (string, error) {
	token, err := NewDeskToken()
	if err != nil {
		return "", err
	}
	now := s.now().UTC()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM desk_links WHERE expires_at < ?`, ts(now.Add(-24*time.Hour))); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO desk_links (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			DeskTokenHash(token), userID, ts(now), ts(now.Add(ttl)))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: desk link for %d: %w", userID, err)
	}
	return token, nil
}

// UseDeskLink spends a one-time link token and returns whose it was. A
// token used before, expired or unknown is an EUnauthorized error; two
// browsers spending one token at once: exactly one gets it.
func (s *Store) UseDeskLink(ctx context.Context, token string) (int64, error) {
	now := s.now().UTC()
	var userID int64
	err := s.db.QueryRowContext(ctx, `UPDATE desk_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING user_id`, ts(now), DeskTokenHash(token), ts(now)).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, herald.Errorf(herald.EUnauthorized, "the sign-in link is used, expired or unknown")
	}
	if err != nil {
		return 0, fmt.Errorf("store: use desk link: %w", err)
	}
	return userID, nil
}

// DeskLanguage returns the desk language a person chose, or "".
func (s *Store) DeskLanguage(ctx context.Context, userID int64) (herald.Language, error) {
	var lang string
	err := s.db.QueryRowContext(ctx, `SELECT language FROM desk_people WHERE user_id = ?`, userID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: desk language of %d: %w", userID, err)
	}
	return herald.Language(lang), nil
}

// SetDeskLanguage remembers the desk language a person chose.
func (s *Store) SetDeskLanguage(ctx context.Context, userID int64, lang herald.Language) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO desk_people (user_id, language) VALUES (?, ?)
		ON CONFLICT (user_id) DO UPDATE SET language = excluded.language`, userID, lang)
	if err != nil {
		return fmt.Errorf("store: desk language of %d: %w", userID, err)
	}
	return nil
}

// PostAudit returns the audit entries about one post, oldest first.
func (s *Store) PostAudit(ctx context.Context, postID int64) ([]*herald.AuditEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, user_id, action, post_id, detail, count, COALESCE(last_at, at) FROM audit
		WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, fmt.Errorf("store: audit of post %d: %w", postID, err)
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

// SpendDeskLogin records a Login Widget answer (its hash) as used and
// reports whether it was new: the same answer twice signs in once. Answers
// older than two days, which the desk refuses anyway, are swept.
func (s *Store) SpendDeskLogin(ctx context.Context, hash string, userID int64, authDate time.Time) (bool, error) {
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM desk_logins WHERE auth_date < ?`, ts(s.now().Add(-48*time.Hour))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO desk_logins (hash, user_id, auth_date) VALUES (?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
			hash, userID, ts(authDate))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: desk login of %d: %w", userID, err)
	}
	return n == 1, nil
}
