package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Outcome says what an upsert did.
type Outcome int

// Upsert outcomes.
const (
	Unchanged Outcome = iota // same content as stored: nothing written
	Created
	Updated // content, status or metadata changed: the row and updated_at were written
)

func (o Outcome) String() string {
	switch o {
	case Created:
		return "new"
	case Updated:
		return "updated"
	}
	return "unchanged"
}

const articleColumns = `id, source, external_id, kind, language, title, lead, body, program, people,
	url, image_url, video_url, place, breaking, published_at, air_at, content_hash, status,
	created_at, updated_at, needs_editor`

// UpsertArticle stores a by (source, external id). It fills in a.ID,
// a.ContentHash, a.CreatedAt and a.UpdatedAt. Content that hashes the same
// as what is stored, with the same status and metadata, is a no-op.
func (s *Store) UpsertArticle(ctx context.Context, a *herald.Article) (Outcome, error) {
	a.ContentHash = a.Hash()
	if a.Status == "" {
		a.Status = herald.ArticlePublished
	}
	// Stored times have millisecond precision; compare like with like.
	a.PublishedAt = a.PublishedAt.UTC().Truncate(time.Millisecond)
	if a.AirAt != nil {
		t := a.AirAt.UTC().Truncate(time.Millisecond)
		a.AirAt = &t
	}
	if err := a.Validate(); err != nil {
		return Unchanged, err
	}
	people, err := json.Marshal(nonNil(a.People))
	if err != nil {
		return Unchanged, err
	}
	var out Outcome
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		old, err := articleBy(ctx, tx, `source = ? AND external_id = ?`, a.Source, a.ExternalID)
		switch {
		case errors.Is(err, errNoRows):
			out = Created
		case err != nil:
			return err
		}
		if a.PublishedAt.IsZero() {
			// The page gave no date: it was published when herald first saw it.
			if old != nil {
				a.PublishedAt = old.PublishedAt
			} else {
				a.PublishedAt = s.now().UTC().Truncate(time.Millisecond)
			}
		}
		switch {
		case out == Created:
		case sameArticle(old, a):
			*a = *old
			out = Unchanged
			return nil
		default:
			out = Updated
		}
		now := ts(s.now())
		if out == Created {
			res, err := tx.ExecContext(ctx, `INSERT INTO articles (source, external_id, kind, language,
				title, lead, body, program, people, url, image_url, video_url, place, breaking,
				published_at, air_at, content_hash, status, change_seq, created_at, updated_at,
				needs_editor)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
				(SELECT COALESCE(MAX(change_seq), 0) + 1 FROM articles), ?, ?, ?)`,
				a.Source, a.ExternalID, a.Kind, a.Language, a.Title, a.Lead, a.Body, a.Program,
				string(people), a.URL, a.ImageURL, a.VideoURL, a.Place, a.Breaking,
				ts(a.PublishedAt), nullTS(a.AirAt), a.ContentHash, a.Status, now, now, a.NeedsEditor)
			if err != nil {
				return err
			}
			if a.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		} else {
			a.ID = old.ID
			_, err := tx.ExecContext(ctx, `UPDATE articles SET kind = ?, language = ?, title = ?,
				lead = ?, body = ?, program = ?, people = ?, url = ?, image_url = ?, video_url = ?,
				place = ?, breaking = ?, published_at = ?, air_at = ?, content_hash = ?, status = ?,
				change_seq = (SELECT MAX(change_seq) + 1 FROM articles), updated_at = ?,
				needs_editor = ?
				WHERE id = ?`,
				a.Kind, a.Language, a.Title, a.Lead, a.Body, a.Program, string(people), a.URL,
				a.ImageURL, a.VideoURL, a.Place, a.Breaking, ts(a.PublishedAt), nullTS(a.AirAt),
				a.ContentHash, a.Status, now, a.NeedsEditor, a.ID)
			if err != nil {
				return err
			}
		}
		got, err := articleBy(ctx, tx, `id = ?`, a.ID)
		if err != nil {
			return err
		}
		*a = *got
		return nil
	})
	if err != nil {
		return Unchanged, fmt.Errorf("store: upsert article %s/%s: %w", a.Source, a.ExternalID, err)
	}
	return out, nil
}

// sameArticle reports whether storing b over a would change nothing a
// reader or the planner would notice.
func sameArticle(a, b *herald.Article) bool {
	return a.ContentHash == b.ContentHash && a.Status == b.Status && a.Kind == b.Kind &&
		a.Language == b.Language && a.Program == b.Program && a.URL == b.URL &&
		a.ImageURL == b.ImageURL && a.VideoURL == b.VideoURL && a.Breaking == b.Breaking &&
		a.PublishedAt.Equal(b.PublishedAt) && equalTimes(a.AirAt, b.AirAt) && a.NeedsEditor == b.NeedsEditor &&
		strings.Join(a.People, "\x00") == strings.Join(b.People, "\x00")
}

func equalTimes(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Article returns the article with the given id, or a herald.ENotFound error.
func (s *Store) Article(ctx context.Context, id int64) (*herald.Article, error) {
	a, err := articleBy(ctx, s.db, `id = ?`, id)
	if errors.Is(err, errNoRows) {
		return nil, herald.Sayf(herald.ENotFound, herald.PhraseArticleNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: article %d: %w", id, err)
	}
	return a, nil
}

// ArticleByExternalID returns the article with the given source and
// external id, or a herald.ENotFound error.
func (s *Store) ArticleByExternalID(ctx context.Context, source, externalID string) (*herald.Article, error) {
	a, err := articleBy(ctx, s.db, `source = ? AND external_id = ?`, source, externalID)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "article %s/%s not found", source, externalID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: article %s/%s: %w", source, externalID, err)
	}
	return a, nil
}

// ArticleByURL returns the newest article with the given URL, or a
// herald.ENotFound error.
func (s *Store) ArticleByURL(ctx context.Context, u string) (*herald.Article, error) {
	a, err := articleBy(ctx, s.db, `url = ? ORDER BY id DESC LIMIT 1`, u)
	if errors.Is(err, errNoRows) {
		return nil, herald.Sayf(herald.ENotFound, herald.PhraseNoArticleAt, herald.Verbatim(u))
	}
	if err != nil {
		return nil, fmt.Errorf("store: article by url: %w", err)
	}
	return a, nil
}

// ArticleFilter narrows Articles. Zero values match everything.
type ArticleFilter struct {
	Kind     herald.Kind
	Language herald.Language
	Status   herald.ArticleStatus
	Held     bool // only articles held for an editor (NeedsEditor set)
	Limit    int  // 0: no limit
}

// Articles returns articles newest first (by publish time, then id).
func (s *Store) Articles(ctx context.Context, f ArticleFilter) ([]*herald.Article, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Language != "" {
		where, args = append(where, "language = ?"), append(args, f.Language)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.Held {
		where = append(where, "needs_editor != ''")
	}
	q := `SELECT ` + articleColumns + ` FROM articles WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY published_at DESC, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	out, err := queryArticles(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: articles: %w", err)
	}
	return out, nil
}

// ArticlesChangedSince returns up to limit articles whose change sequence is
// above seq, in sequence order, with the highest sequence among them.
func (s *Store) ArticlesChangedSince(ctx context.Context, seq int64, limit int) ([]*herald.Article, int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT change_seq, `+articleColumns+` FROM articles
		WHERE change_seq > ? ORDER BY change_seq LIMIT ?`, seq, limit)
	if err != nil {
		return nil, seq, fmt.Errorf("store: changed articles: %w", err)
	}
	defer rows.Close()
	var out []*herald.Article
	for rows.Next() {
		var a herald.Article
		var people string
		dest := append([]any{&seq}, articleDest(&a, &people)...)
		if err := rows.Scan(dest...); err != nil {
			return nil, seq, fmt.Errorf("store: changed articles: %w", err)
		}
		if err := json.Unmarshal([]byte(people), &a.People); err != nil {
			return nil, seq, fmt.Errorf("store: article %d people: %w", a.ID, err)
		}
		out = append(out, &a)
	}
	return out, seq, rows.Err()
}

// SetArticleStatus publishes or unpublishes an article. Unpublishing bumps
// its change sequence so that the watcher applies the channels' policies.
func (s *Store) SetArticleStatus(ctx context.Context, id int64, status herald.ArticleStatus) error {
	res, err := s.db.ExecContext(ctx, `UPDATE articles SET status = ?, updated_at = ?,
		change_seq = (SELECT MAX(change_seq) + 1 FROM articles)
		WHERE id = ? AND status != ?`, status, ts(s.now()), id, status)
	if err != nil {
		return fmt.Errorf("store: set article %d %s: %w", id, status, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.Article(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// CountArticles returns how many articles are stored.
func (s *Store) CountArticles(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n)
	return n, err
}

var errNoRows = sql.ErrNoRows

func articleBy(ctx context.Context, q queryer, where string, args ...any) (*herald.Article, error) {
	out, err := queryArticles(ctx, q, `SELECT `+articleColumns+` FROM articles WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errNoRows
	}
	return out[0], nil
}

func queryArticles(ctx context.Context, q queryer, query string, args ...any) ([]*herald.Article, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*herald.Article
	for rows.Next() {
		var a herald.Article
		var people string
		if err := rows.Scan(articleDest(&a, &people)...); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(people), &a.People); err != nil {
			return nil, fmt.Errorf("article %d people: %w", a.ID, err)
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

// articleDest lists scan targets in articleColumns order.
func articleDest(a *herald.Article, people *string) []any {
	return []any{&a.ID, &a.Source, &a.ExternalID, &a.Kind, &a.Language, &a.Title, &a.Lead,
		&a.Body, &a.Program, people, &a.URL, &a.ImageURL, &a.VideoURL, &a.Place, &a.Breaking,
		scanTime{&a.PublishedAt}, scanNullTime{&a.AirAt}, &a.ContentHash, &a.Status,
		scanTime{&a.CreatedAt}, scanTime{&a.UpdatedAt}, &a.NeedsEditor}
}
