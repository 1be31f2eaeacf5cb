package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/herald-news/herald"
)

// editable are the states in which a post's text may still be changed: it
// has not gone out, and is not going out now.
const editable = `('awaiting_approval', 'planned', 'scheduled', 'failed', 'cancelled')`

// SavePostEdit stores an editor's text (and image) for a post that has not
// gone out, replacing an earlier edit, if the post is still at revision rev
// (or rev is AnyRev), with its audit entry (when not nil), in one
// transaction. The post's revision changes, so that buttons drawn before
// are stale. It returns a *StaleError when the post changed since rev, and
// a herald.EConflict error when it went out or is going out.
func (s *Store) SavePostEdit(ctx context.Context, e *herald.PostEdit, rev int64, audit *herald.AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := postBy(ctx, tx, `p.id = ?`, e.PostID)
		if errors.Is(err, errNoRows) {
			return herald.Sayf(herald.ENotFound, herald.PhrasePostNotFound, e.PostID)
		}
		if err != nil {
			return err
		}
		if rev != AnyRev && rev != p.Rev {
			return &StaleError{Post: p}
		}
		var hash string
		if err := tx.QueryRowContext(ctx, `SELECT content_hash FROM articles WHERE id = ?`, p.ArticleID).Scan(&hash); err != nil {
			return err
		}
		e.ArticleHash, e.Stale, e.EditedAt = hash, false, s.now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE posts SET updated_at = ? WHERE id = ? AND state IN `+editable, ts(s.now()), p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return herald.Sayf(herald.EConflict, herald.PhrasePostIs, p.ID, p.State)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO post_edits (post_id, text, image, image_data, image_name, article_hash, stale, edited_by, edited_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
			ON CONFLICT (post_id) DO UPDATE SET text = excluded.text, image = excluded.image, image_data = excluded.image_data,
			image_name = excluded.image_name, article_hash = excluded.article_hash, stale = 0,
			edited_by = excluded.edited_by, edited_at = excluded.edited_at`,
			e.PostID, e.Text, e.Image, e.ImageData, e.ImageName, hash, e.EditedBy, ts(e.EditedAt))
		if err != nil || audit == nil {
			return err
		}
		audit.PostID = e.PostID
		return addAudit(ctx, tx, s, audit)
	})
	if err != nil && herald.ErrorCode(err) == herald.EInternal {
		return fmt.Errorf("store: edit post %d: %w", e.PostID, err)
	}
	return err
}

// PostEdit returns the editor's edit of a post, or a herald.ENotFound error
// when the post says what its article says.
func (s *Store) PostEdit(ctx context.Context, postID int64) (*herald.PostEdit, error) {
	e := &herald.PostEdit{PostID: postID}
	err := s.db.QueryRowContext(ctx, `SELECT text, image, image_data, image_name, article_hash, stale, edited_by, edited_at
		FROM post_edits WHERE post_id = ?`, postID).Scan(&e.Text, &e.Image, &e.ImageData, &e.ImageName,
		&e.ArticleHash, &e.Stale, &e.EditedBy, scanTime{&e.EditedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "post %d is not edited", postID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: edit of post %d: %w", postID, err)
	}
	return e, nil
}

// ResolveEdit settles an edit whose article changed since: keep it (it is
// then current with the article as it is now) or drop it (the post says
// the article's text again). Either is audited; the post's revision
// changes when the edit is dropped. Dropping a post's edit that is not
// there is a herald.ENotFound error.
func (s *Store) ResolveEdit(ctx context.Context, postID int64, keep bool, audit *herald.AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		if keep {
			res, err = tx.ExecContext(ctx, `UPDATE post_edits SET stale = 0,
				article_hash = (SELECT a.content_hash FROM posts p JOIN articles a ON a.id = p.article_id WHERE p.id = post_edits.post_id)
				WHERE post_id = ?`, postID)
		} else {
			res, err = tx.ExecContext(ctx, `DELETE FROM post_edits WHERE post_id = ?`, postID)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return herald.Errorf(herald.ENotFound, "post %d is not edited", postID)
		}
		if !keep {
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET updated_at = ? WHERE id = ?`, ts(s.now()), postID); err != nil {
				return err
			}
		}
		if audit == nil {
			return nil
		}
		audit.PostID = postID
		return addAudit(ctx, tx, s, audit)
	})
	if err != nil && herald.ErrorCode(err) == herald.EInternal {
		return fmt.Errorf("store: settle edit of post %d: %w", postID, err)
	}
	return err
}

// MarkEditsStale flags the edits of an article's posts made against an
// older version of it (hash is the article's now) and not flagged yet, and
// returns those posts: their editors are asked whether to keep the edit.
func (s *Store) MarkEditsStale(ctx context.Context, articleID int64, hash string) ([]*PostRow, error) {
	var out []*PostRow
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryPosts(ctx, tx, `SELECT `+postColumns+` FROM posts p JOIN post_edits e ON e.post_id = p.id
			WHERE p.article_id = ? AND e.article_hash != ? AND e.stale = 0`, articleID, hash)
		if err != nil || len(out) == 0 {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE post_edits SET stale = 1 WHERE article_hash != ? AND stale = 0
			AND post_id IN (SELECT id FROM posts WHERE article_id = ?)`, hash, articleID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: edits of article %d: %w", articleID, err)
	}
	return out, nil
}

// EditDraft is an edit being written in the bot: asked for (Step "text"),
// or written and shown back to be saved or discarded (Step "preview").
type EditDraft struct {
	UserID int64
	PostID int64
	Rev    int64 // the post's revision when the edit began
	Step   string
	Text   string // Telegram HTML
	Image  string // "tg:<file_id>" of a photo sent, or ""
}

// SetEditDraft stores (replacing) a person's edit in progress.
func (s *Store) SetEditDraft(ctx context.Context, d *EditDraft) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO edit_drafts (user_id, post_id, rev, step, text, image, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET post_id = excluded.post_id, rev = excluded.rev,
		step = excluded.step, text = excluded.text, image = excluded.image, created_at = excluded.created_at`,
		d.UserID, d.PostID, d.Rev, d.Step, d.Text, d.Image, ts(s.now()))
	if err != nil {
		return fmt.Errorf("store: edit draft of %d: %w", d.UserID, err)
	}
	return nil
}

// EditDraftOf returns a person's edit in progress, or a herald.ENotFound
// error when there is none.
func (s *Store) EditDraftOf(ctx context.Context, userID int64) (*EditDraft, error) {
	d := &EditDraft{UserID: userID}
	err := s.db.QueryRowContext(ctx, `SELECT post_id, rev, step, text, image FROM edit_drafts WHERE user_id = ?`, userID).
		Scan(&d.PostID, &d.Rev, &d.Step, &d.Text, &d.Image)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no edit in progress")
	}
	if err != nil {
		return nil, fmt.Errorf("store: edit draft of %d: %w", userID, err)
	}
	return d, nil
}

// DropEditDraft forgets a person's edit in progress.
func (s *Store) DropEditDraft(ctx context.Context, userID int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM edit_drafts WHERE user_id = ?`, userID); err != nil {
		return fmt.Errorf("store: edit draft of %d: %w", userID, err)
	}
	return nil
}
