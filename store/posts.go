package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

const postColumns = `p.id, p.article_id, p.channel_id, p.purpose, p.state, p.scheduled_at, p.silent,
	p.priority, p.attempts, p.next_attempt_at, p.lease_until, p.last_error, p.message_id,
	p.extra_ids, p.sent_at, p.sent_hash, p.sync, p.scheduled_by, p.created_at, p.updated_at, p.rev,
	p.remote_id, p.send_key, p.send_key_at, p.maybe_sent`

// PostRow is a post as the store keeps it, with the bookkeeping the
// dispatcher needs beside the domain fields.
type PostRow struct {
	herald.Post
	Priority int     // higher goes first among due posts (breaking news)
	ExtraIDs []int64 // follow-up messages sent with the post
	Sync     string  // "edit" or "delete" when the delivered post must follow its article
	Rev      int64   // grows with every change: a button drawn for an older rev is stale
	// MaybeSent says a send under the post's SendKey may have reached its
	// network: a repeat is safe only while the network knows the key.
	MaybeSent bool
}

// AnyRev, given as the expected revision, accepts the post as it is now.
const AnyRev int64 = -1

// PlanPost inserts a post unless one exists for its (article, channel,
// purpose). It reports whether it inserted, and fills in p.ID either way.
func (s *Store) PlanPost(ctx context.Context, p *PostRow) (bool, error) {
	if p.State == "" {
		p.State = herald.PostPlanned
	}
	if p.ScheduledBy == "" {
		p.ScheduledBy = herald.ScheduledByAuto
	}
	now := ts(s.now())
	var inserted bool
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO posts (article_id, channel_id, purpose, state,
			scheduled_at, silent, priority, scheduled_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (article_id, channel_id, purpose) DO NOTHING`,
			p.ArticleID, p.ChannelID, p.Purpose, p.State, ts(p.ScheduledAt), p.Silent, p.Priority,
			p.ScheduledBy, now, now)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		inserted = n == 1
		got, err := postBy(ctx, tx, `p.article_id = ? AND p.channel_id = ? AND p.purpose = ?`,
			p.ArticleID, p.ChannelID, p.Purpose)
		if err != nil {
			return err
		}
		*p = *got
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: plan post of article %d on channel %d: %w", p.ArticleID, p.ChannelID, err)
	}
	return inserted, nil
}

// Post returns the post with the given id, or a herald.ENotFound error.
func (s *Store) Post(ctx context.Context, id int64) (*PostRow, error) {
	p, err := postBy(ctx, s.db, `p.id = ?`, id)
	if errors.Is(err, errNoRows) {
		return nil, herald.Sayf(herald.ENotFound, herald.PhrasePostNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: post %d: %w", id, err)
	}
	return p, nil
}

// PostOf returns the post of an article on a channel for a purpose, or a
// herald.ENotFound error: one seek in the unique index, however many posts
// the channel has.
func (s *Store) PostOf(ctx context.Context, articleID, channelID int64, purpose herald.Purpose) (*PostRow, error) {
	p, err := postBy(ctx, s.db, `p.article_id = ? AND p.channel_id = ? AND p.purpose = ?`, articleID, channelID, purpose)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no %s post of article %d on channel %d", purpose, articleID, channelID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: post of article %d on channel %d: %w", articleID, channelID, err)
	}
	return p, nil
}

// PostFilter narrows Posts. Zero values match everything.
type PostFilter struct {
	ChannelID int64
	ArticleID int64
	States    []herald.PostState
	From, To  time.Time // scheduled at or after From and before To; zero: unbounded
	Limit     int
}

// Posts returns posts in the order they are due: by scheduled time, then id.
func (s *Store) Posts(ctx context.Context, f PostFilter) ([]*PostRow, error) {
	where, args := []string{"1 = 1"}, []any{}
	if f.ChannelID != 0 {
		where, args = append(where, "p.channel_id = ?"), append(args, f.ChannelID)
	}
	if f.ArticleID != 0 {
		where, args = append(where, "p.article_id = ?"), append(args, f.ArticleID)
	}
	if len(f.States) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.States)), ", ")
		where = append(where, "p.state IN ("+marks+")")
		for _, st := range f.States {
			args = append(args, st)
		}
	}
	if !f.From.IsZero() {
		where, args = append(where, "p.scheduled_at >= ?"), append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "p.scheduled_at < ?"), append(args, ts(f.To))
	}
	q := `SELECT ` + postColumns + ` FROM posts p WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY p.scheduled_at, p.id`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	out, err := queryPosts(ctx, s.db, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: posts: %w", err)
	}
	return out, nil
}

// ChannelTimes returns the times taken on a channel from since on: the
// scheduled time of every post that is pending or in flight, and the send
// time of every delivered one. The planner keeps gaps and caps against them.
func (s *Store) ChannelTimes(ctx context.Context, channelID int64, since time.Time) ([]time.Time, error) {
	return s.TakenTimes(ctx, channelID, since, time.Time{})
}

// TakenTimes returns, in order, the times taken on a channel (as
// ChannelTimes counts them) in [from, to); a zero to means no end. It reads
// only that stretch of the channel's index, so that the planner's cost does
// not grow with the channel's queue.
func (s *Store) TakenTimes(ctx context.Context, channelID int64, from, to time.Time) ([]time.Time, error) {
	q := `SELECT COALESCE(sent_at, scheduled_at) FROM posts INDEXED BY posts_taken
		WHERE channel_id = ?1 AND state NOT IN ('cancelled', 'failed')
		AND COALESCE(sent_at, scheduled_at) >= ?2`
	args := []any{channelID, ts(from)}
	if !to.IsZero() {
		q += ` AND COALESCE(sent_at, scheduled_at) < ?3`
		args = append(args, ts(to))
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY COALESCE(sent_at, scheduled_at)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: channel %d times: %w", channelID, err)
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var t time.Time
		if err := rows.Scan(scanTime{&t}); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: channel %d times: %w", channelID, err)
	}
	return out, nil
}

// queueHead picks, for each channel c, the first of its waiting posts in
// the order they leave: (scheduled_at, id). It is one seek in posts_queue.
const queueHead = `(SELECT q.id FROM posts q INDEXED BY posts_queue WHERE q.channel_id = c.id AND q.state IN ('planned', 'scheduled')
	ORDER BY q.scheduled_at, q.id LIMIT 1)`

// QueueHeads returns the next post of every unpaused channel that has one
// waiting (planned or scheduled), whether or not it is due yet: a
// channel's posts leave in the order of (scheduled_at, id), so only its
// first may go, and a first waiting for a retry holds the rest. The cost is
// one index seek per channel, whatever the backlog.
func (s *Store) QueueHeads(ctx context.Context) ([]*PostRow, error) {
	out, err := queryPosts(ctx, s.db, `SELECT `+postColumns+` FROM channels c
		JOIN posts p ON p.id = `+queueHead+` WHERE c.paused = 0`)
	if err != nil {
		return nil, fmt.Errorf("store: queue heads: %w", err)
	}
	return out, nil
}

// QueueFront returns the scheduled time of the first waiting post on a
// channel that is not breaking news, or false when there is none: a
// breaking post is planned ahead of it.
func (s *Store) QueueFront(ctx context.Context, channelID int64) (time.Time, bool, error) {
	var v sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT scheduled_at FROM posts INDEXED BY posts_queue
		WHERE channel_id = ? AND state IN ('planned', 'scheduled') AND priority = 0
		ORDER BY scheduled_at, id LIMIT 1`, channelID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !v.Valid) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store: channel %d queue front: %w", channelID, err)
	}
	t, err := parseTS(v.String)
	return t, err == nil, err
}

// NextDue returns when the next post on an unpaused channel may go (the
// later of its scheduled time and its next attempt), looking only at each
// channel's first waiting post, or false when there is none.
func (s *Store) NextDue(ctx context.Context) (time.Time, bool, error) {
	var v sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT MIN(MAX(p.scheduled_at, COALESCE(p.next_attempt_at, '')))
		FROM channels c JOIN posts p ON p.id = `+queueHead+` WHERE c.paused = 0`).Scan(&v)
	if err != nil || !v.Valid {
		return time.Time{}, false, err
	}
	t, err := parseTS(v.String)
	return t, err == nil, err
}

// ClaimPost moves a pending post to sending under a lease that ends at
// leaseUntil, counting the attempt. It reports false when the post is no
// longer pending (an editor cancelled it, another dispatcher took it).
func (s *Store) ClaimPost(ctx context.Context, id int64, leaseUntil time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE posts SET state = 'sending', lease_until = ?,
		attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN ('planned', 'scheduled')`,
		ts(leaseUntil), ts(s.now()), id)
	if err != nil {
		return false, fmt.Errorf("store: claim post %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClaimDue is ClaimPost for the dispatcher: it claims the post only if it
// is still at revision rev, as it was read from the queue, so that a post
// an editor moved or changed meanwhile is read again rather than sent as
// it was.
func (s *Store) ClaimDue(ctx context.Context, id, rev int64, leaseUntil time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE posts SET state = 'sending', lease_until = ?,
		attempts = attempts + 1, updated_at = ? WHERE id = ? AND rev = ? AND state IN ('planned', 'scheduled')`,
		ts(leaseUntil), ts(s.now()), id, rev)
	if err != nil {
		return false, fmt.Errorf("store: claim post %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkSent records a successful send: the message ids, the article's hash
// as sent and the time, in the one transaction that leaves sending.
//
// An article unpublished or changed while its post was being sent flags the
// post at once, so that the channel's policy still applies (delete, edit).
func (s *Store) MarkSent(ctx context.Context, id int64, messageID int64, extra []int64, hash string) error {
	return s.finish(ctx, id, herald.PostSent, `message_id = ?, extra_ids = ?, sent_at = ?, sent_hash = ?,
		last_error = '', lease_until = NULL, next_attempt_at = NULL, sync = `+syncAfterSend,
		messageID, joinIDs(extra), ts(s.now()), hash, hash)
}

// MarkSentRemote is MarkSent for a network whose posts are named by a
// string (a Mastodon status id, a Bluesky at:// URI).
func (s *Store) MarkSentRemote(ctx context.Context, id int64, remoteID string, hash string) error {
	if remoteID == "" {
		return fmt.Errorf("store: post %d sent: %w", id, herald.Errorf(herald.EInvalid, "no remote id"))
	}
	return s.finish(ctx, id, herald.PostSent, `remote_id = ?, sent_at = ?, sent_hash = ?,
		last_error = '', lease_until = NULL, next_attempt_at = NULL, sync = `+syncAfterSend,
		remoteID, ts(s.now()), hash, hash)
}

// syncAfterSend is the sync flag of a post just sent, given the article's
// hash as sent (the last argument): set at once when the article was
// unpublished or changed while the post was being sent, so that the
// channel's policy still applies.
const syncAfterSend = `(SELECT CASE
			WHEN a.status = 'unpublished' AND c.on_unpublish = 'delete' THEN 'delete'
			WHEN a.status = 'published' AND a.content_hash != ? AND c.on_edit IN ('edit', 'repost') THEN 'edit'
			ELSE '' END
			FROM articles a, channels c WHERE a.id = posts.article_id AND c.id = posts.channel_id)`

// SetSendKey gives post id the key its sends to a network carry, unless it
// has one already, and returns the key it has and when it was made. The
// key is kept for good: every later attempt sends the same.
func (s *Store) SetSendKey(ctx context.Context, id int64, key string, at time.Time) (string, time.Time, error) {
	var got string
	var when time.Time
	err := s.db.QueryRowContext(ctx, `UPDATE posts SET send_key = CASE WHEN send_key = '' THEN ? ELSE send_key END,
		send_key_at = CASE WHEN send_key = '' THEN ? ELSE send_key_at END
		WHERE id = ? RETURNING send_key, send_key_at`, key, ts(at), id).Scan(&got, scanTime{&when})
	if errors.Is(err, sql.ErrNoRows) {
		return "", time.Time{}, herald.Errorf(herald.ENotFound, "post %d not found", id)
	}
	if err != nil {
		return "", time.Time{}, fmt.Errorf("store: send key of post %d: %w", id, err)
	}
	return got, when, nil
}

// SetRemoteID records that a delivered post is now remoteID on its
// network: a Bluesky post deleted and posted again after its article
// changed.
func (s *Store) SetRemoteID(ctx context.Context, id int64, remoteID string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET remote_id = ?, updated_at = ?, rev = rev + 1 WHERE id = ?`,
		remoteID, ts(s.now()), id)
	if err != nil {
		return fmt.Errorf("store: remote id of post %d: %w", id, err)
	}
	return nil
}

// Sending returns the posts in sending whose lease ended before cutoff:
// left by a process that stopped mid-send.
func (s *Store) Sending(ctx context.Context, cutoff time.Time) ([]*PostRow, error) {
	out, err := queryPosts(ctx, s.db, `SELECT `+postColumns+` FROM posts p
		WHERE p.state = 'sending' AND (p.lease_until IS NULL OR p.lease_until <= ?)`, ts(cutoff))
	if err != nil {
		return nil, fmt.Errorf("store: posts in sending: %w", err)
	}
	return out, nil
}

// NetworkPost is a delivered post on a network other than Telegram, as
// the readers' replies to it are looked up.
type NetworkPost struct {
	PostID    int64
	ArticleID int64
	ChannelID int64
	RemoteID  string
	SentAt    time.Time
}

// NetworkPosts returns the delivered posts on network sent at or after
// since, newest first, at most limit of them.
func (s *Store) NetworkPosts(ctx context.Context, network string, since time.Time, limit int) ([]NetworkPost, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT p.id, p.article_id, p.channel_id, p.remote_id, p.sent_at
		FROM posts p JOIN channels c ON c.id = p.channel_id
		WHERE c.network = ? AND p.remote_id != '' AND p.state IN ('sent', 'edited') AND p.sent_at >= ?
		ORDER BY p.sent_at DESC, p.id DESC LIMIT ?`, network, ts(since), limit)
	if err != nil {
		return nil, fmt.Errorf("store: posts on %s: %w", network, err)
	}
	defer rows.Close()
	var out []NetworkPost
	for rows.Next() {
		var p NetworkPost
		if err := rows.Scan(&p.PostID, &p.ArticleID, &p.ChannelID, &p.RemoteID, scanTime{&p.SentAt}); err != nil {
			return nil, fmt.Errorf("store: posts on %s: %w", network, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PostByRemote returns the post that is remoteID on a channel of network,
// or a herald.ENotFound error.
func (s *Store) PostByRemote(ctx context.Context, network, remoteID string) (*PostRow, error) {
	p, err := postBy(ctx, s.db, `p.remote_id = ? AND p.channel_id IN (SELECT id FROM channels WHERE network = ?)`, remoteID, network)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no post is %s on %s", remoteID, network)
	}
	return p, err
}

// MarkRetry puts a post whose send surely did not reach its network back in the
// queue, to be tried again at next.
func (s *Store) MarkRetry(ctx context.Context, id int64, next time.Time, reason string) error {
	return s.finish(ctx, id, herald.PostScheduled, `next_attempt_at = ?, last_error = ?, lease_until = NULL`,
		ts(next), reason)
}

// MarkRepeat puts a post whose send may have reached its network back in
// the queue, to be sent again at next under the same key, and marks it as
// maybe sent: the repeat is made only while the network knows the key.
func (s *Store) MarkRepeat(ctx context.Context, id int64, next time.Time, reason string) error {
	return s.finish(ctx, id, herald.PostScheduled, `next_attempt_at = ?, last_error = ?, lease_until = NULL, maybe_sent = 1`,
		ts(next), reason)
}

// MarkFailed records a permanent failure.
func (s *Store) MarkFailed(ctx context.Context, id int64, reason string) error {
	return s.finish(ctx, id, herald.PostFailed, `last_error = ?, lease_until = NULL`, reason)
}

// MarkUnknown records a send that may or may not have reached its network.
func (s *Store) MarkUnknown(ctx context.Context, id int64, reason string) error {
	return s.finish(ctx, id, herald.PostUnknown, `last_error = ?, lease_until = NULL`, reason)
}

// finish moves a post out of sending. It fails when the post is not in
// sending: only its claimer may settle it.
func (s *Store) finish(ctx context.Context, id int64, to herald.PostState, set string, args ...any) error {
	args = append([]any{to}, args...)
	args = append(args, ts(s.now()), id)
	res, err := s.db.ExecContext(ctx, `UPDATE posts SET state = ?, `+set+`, updated_at = ?
		WHERE id = ? AND state = 'sending'`, args...)
	if err != nil {
		return fmt.Errorf("store: post %d to %s: %w", id, to, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: post %d to %s: %w", id, to, herald.Errorf(herald.EConflict, "post %d is not being sent", id))
	}
	return nil
}

// StaleError says a post changed since the revision an action was based
// on, as when two editors press buttons on it at once. Its code is
// herald.EConflict.
type StaleError struct {
	Post *PostRow // the post as it is now
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("post %d changed since (now %s)", e.Post.ID, e.Post.State)
}

// Unwrap lets herald.ErrorCode see the conflict.
func (e *StaleError) Unwrap() error {
	return herald.Sayf(herald.EConflict, herald.PhrasePostChanged, e.Post.ID, e.Post.State)
}

// OrphanSending turns every post left in sending whose lease ended before
// now into unknown: the process that claimed it died mid-send, and nobody
// can tell whether Telegram got the message. It returns those posts.
func (s *Store) OrphanSending(ctx context.Context, now time.Time) ([]*PostRow, error) {
	var out []*PostRow
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = queryPosts(ctx, tx, `SELECT `+postColumns+` FROM posts p
			WHERE p.state = 'sending' AND (p.lease_until IS NULL OR p.lease_until <= ?)`, ts(now))
		if err != nil {
			return err
		}
		for _, p := range out {
			p.State = herald.PostUnknown
			p.LastError = "herald stopped while sending; check the channel, then settle it"
			if _, err := tx.ExecContext(ctx, `UPDATE posts SET state = 'unknown', last_error = ?,
				lease_until = NULL, updated_at = ? WHERE id = ?`, p.LastError, ts(s.now()), p.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: orphaned sends: %w", err)
	}
	return out, nil
}

// MoveState changes a post's state (and, when at is not nil, its time) if
// the transition is allowed from its current state and the post is still at
// revision rev (or rev is AnyRev), on behalf of by, and records audit (when
// not nil) in the same transaction. It returns the post as it was before; a
// *StaleError when the post changed since rev; a herald.EConflict error
// naming the current state when the transition is not allowed.
func (s *Store) MoveState(ctx context.Context, id, rev int64, to herald.PostState, at *time.Time, by string, audit *herald.AuditEntry) (before *PostRow, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		p, err := postBy(ctx, tx, `p.id = ?`, id)
		if errors.Is(err, errNoRows) {
			return herald.Sayf(herald.ENotFound, herald.PhrasePostNotFound, id)
		}
		if err != nil {
			return err
		}
		before = p
		if rev != AnyRev && rev != p.Rev {
			return &StaleError{Post: p}
		}
		if !herald.CanTransition(p.State, to) {
			return herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
		}
		when := p.ScheduledAt
		if at != nil {
			when = *at
		}
		// A failed or unknown post put back in the queue by an editor gets
		// its full set of attempts again.
		_, err = tx.ExecContext(ctx, `UPDATE posts SET state = ?, scheduled_at = ?, next_attempt_at = NULL,
			attempts = CASE WHEN state IN ('failed', 'unknown') THEN 0 ELSE attempts END,
			scheduled_by = ?, updated_at = ? WHERE id = ?`, to, ts(when), by, ts(s.now()), id)
		if err != nil || audit == nil {
			return err
		}
		audit.PostID = id
		return addAudit(ctx, tx, s, audit)
	})
	if err != nil && herald.ErrorCode(err) == herald.EInternal {
		err = fmt.Errorf("store: post %d to %s: %w", id, to, err)
	}
	return before, err
}

// SettleSent records that an unknown post did reach its channel, as an
// editor confirmed, with its audit entry (when not nil).
func (s *Store) SettleSent(ctx context.Context, id int64, messageID int64, audit *herald.AuditEntry) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE posts SET state = 'sent', message_id = ?, sent_at = ?,
			sent_hash = (SELECT content_hash FROM articles WHERE id = posts.article_id), updated_at = ?
			WHERE id = ? AND state = 'unknown'`, messageID, ts(s.now()), ts(s.now()), id)
		if err != nil {
			return fmt.Errorf("store: settle post %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := postBy(ctx, tx, `p.id = ?`, id); errors.Is(err, errNoRows) {
				return herald.Sayf(herald.ENotFound, herald.PhrasePostNotFound, id)
			}
			return herald.Errorf(herald.EConflict, "post %d is not unknown", id)
		}
		if audit == nil {
			return nil
		}
		audit.PostID = id
		return addAudit(ctx, tx, s, audit)
	})
}

// CancelPending cancels every post of an article that has not been sent
// (awaiting approval, planned, scheduled or failed), as when the article is
// unpublished. It returns how many were cancelled.
func (s *Store) CancelPending(ctx context.Context, articleID int64) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE posts SET state = 'cancelled', updated_at = ?
		WHERE article_id = ? AND state IN ('awaiting_approval', 'planned', 'scheduled', 'failed')`, ts(s.now()), articleID)
	if err != nil {
		return 0, fmt.Errorf("store: cancel posts of article %d: %w", articleID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// MarkSync flags the delivered posts of an article whose channel's policy
// asks them to follow it: "edit" after a change, "delete" after it was
// unpublished. It returns how many were flagged.
func (s *Store) MarkSync(ctx context.Context, articleID int64, hash string, unpublished bool) (int, error) {
	var res sql.Result
	var err error
	if unpublished {
		res, err = s.db.ExecContext(ctx, `UPDATE posts SET sync = 'delete', updated_at = ?
			WHERE article_id = ? AND state IN ('sent', 'edited') AND (message_id != 0 OR remote_id != '')
			AND channel_id IN (SELECT id FROM channels WHERE on_unpublish = 'delete')`, ts(s.now()), articleID)
	} else {
		res, err = s.db.ExecContext(ctx, `UPDATE posts SET sync = 'edit', updated_at = ?
			WHERE article_id = ? AND state IN ('sent', 'edited') AND (message_id != 0 OR remote_id != '') AND sent_hash != ?
			AND channel_id IN (SELECT id FROM channels WHERE on_edit IN ('edit', 'repost'))`, ts(s.now()), articleID, hash)
	}
	if err != nil {
		return 0, fmt.Errorf("store: flag posts of article %d: %w", articleID, err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// SyncPosts returns up to limit delivered posts flagged by MarkSync.
func (s *Store) SyncPosts(ctx context.Context, limit int) ([]*PostRow, error) {
	out, err := queryPosts(ctx, s.db, `SELECT `+postColumns+` FROM posts p WHERE p.sync != ''
		ORDER BY p.updated_at LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: posts to correct: %w", err)
	}
	return out, nil
}

// SyncDone records that a flagged post was corrected: edited to the article
// with the given hash, or deleted. A failed correction clears the flag too
// and keeps the error, so that one bad edit is not retried forever.
//
// handled is the flag that was acted on: a newer flag set meanwhile (an
// unpublish arriving during an edit) stays for the next pass.
func (s *Store) SyncDone(ctx context.Context, id int64, handled string, state herald.PostState, hash, lastError string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE posts SET sync = CASE WHEN sync = ? THEN '' ELSE sync END, state = ?,
		sent_hash = CASE WHEN ? = '' THEN sent_hash ELSE ? END,
		last_error = ?, updated_at = ? WHERE id = ?`, handled, state, hash, hash, lastError, ts(s.now()), id)
	if err != nil {
		return fmt.Errorf("store: post %d corrected: %w", id, err)
	}
	return nil
}

// CountPosts returns the number of posts in each state.
func (s *Store) CountPosts(ctx context.Context) (map[herald.PostState]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM posts GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("store: count posts: %w", err)
	}
	defer rows.Close()
	out := map[herald.PostState]int{}
	for rows.Next() {
		var st herald.PostState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

func postBy(ctx context.Context, q queryer, where string, args ...any) (*PostRow, error) {
	out, err := queryPosts(ctx, q, `SELECT `+postColumns+` FROM posts p WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errNoRows
	}
	return out[0], nil
}

func queryPosts(ctx context.Context, q queryer, query string, args ...any) ([]*PostRow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*PostRow
	for rows.Next() {
		var p PostRow
		var extra string
		err := rows.Scan(&p.ID, &p.ArticleID, &p.ChannelID, &p.Purpose, &p.State,
			scanTime{&p.ScheduledAt}, &p.Silent, &p.Priority, &p.Attempts,
			scanNullTime{&p.NextAttemptAt}, scanNullTime{&p.LeaseUntil}, &p.LastError, &p.MessageID,
			&extra, scanNullTime{&p.SentAt}, &p.SentHash, &p.Sync, &p.ScheduledBy,
			scanTime{&p.CreatedAt}, scanTime{&p.UpdatedAt}, &p.Rev,
			&p.RemoteID, &p.SendKey, scanNullTime{&p.SendKeyAt}, &p.MaybeSent)
		if err != nil {
			return nil, err
		}
		if p.ExtraIDs, err = splitIDs(extra); err != nil {
			return nil, fmt.Errorf("post %d extra ids: %w", p.ID, err)
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}

func joinIDs(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

func splitIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var out []int64
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// LastSent returns, per channel, when its latest post went out.
func (s *Store) LastSent(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT channel_id, MAX(sent_at) FROM posts
		WHERE sent_at IS NOT NULL GROUP BY channel_id`)
	if err != nil {
		return nil, fmt.Errorf("store: last sent: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var t time.Time
		if err := rows.Scan(&id, scanTime{&t}); err != nil {
			return nil, err
		}
		out[id] = t
	}
	return out, rows.Err()
}

// CountDue returns how many posts are due at now and not yet sent, on
// unpaused channels.
func (s *Store) CountDue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts p JOIN channels c ON c.id = p.channel_id
		WHERE p.state IN ('planned', 'scheduled') AND p.scheduled_at <= ?1
		AND (p.next_attempt_at IS NULL OR p.next_attempt_at <= ?1) AND c.paused = 0`, ts(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count due posts: %w", err)
	}
	return n, nil
}
