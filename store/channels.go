package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/mattn/go-sqlite3"
)

const channelColumns = `id, network, chat, title, language, kinds, slots, timezone, min_gap_s,
	daily_cap, quiet_start, quiet_end, quiet_mode, template, review_link, auto_approve, on_edit,
	on_unpublish, paused, pause_reason, created_at, updated_at, readers_post, endpoint, handle,
	secret_env, visibility, include_rules, exclude_rules, approval, approvers`

// CreateChannel stores a new channel and fills in its id and times. A chat
// that already has a channel, or a title another channel in use has
// (ignoring case), is a herald.EConflict error. A chat whose channel was
// removed (without --purge) gets that channel back, with c's settings and
// its history: c.ID is then the old id.
func (s *Store) CreateChannel(ctx context.Context, c *herald.Channel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	kinds, slots, err := channelLists(c)
	if err != nil {
		return err
	}
	var inUse int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM channels WHERE network = ? AND chat = ? AND removed_at IS NULL`,
		c.Network, c.Destination()).Scan(&inUse); err != nil {
		return fmt.Errorf("store: create channel %s: %w", c.Chat, err)
	}
	if inUse > 0 {
		return herald.Errorf(herald.EConflict, "chat %s already has a channel", c.Destination())
	}
	if err := s.titleFree(ctx, c.Title, 0); err != nil {
		return err
	}
	var removed int64
	err = s.db.QueryRowContext(ctx, `SELECT id FROM channels WHERE network = ? AND chat = ? AND removed_at IS NOT NULL`,
		c.Network, c.Destination()).Scan(&removed)
	if err == nil {
		c.ID = removed
		if err := s.UpdateChannel(ctx, c); err != nil {
			return err
		}
		if _, err := s.db.ExecContext(ctx, `UPDATE channels SET removed_at = NULL WHERE id = ?`, removed); err != nil {
			return fmt.Errorf("store: restore channel %d: %w", removed, err)
		}
		restored, err := s.Channel(ctx, removed)
		if err != nil {
			return err
		}
		*c = *restored
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: create channel %s: %w", c.Chat, err)
	}
	now := s.now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO channels (network, chat, title, language, kinds,
		slots, timezone, min_gap_s, daily_cap, quiet_start, quiet_end, quiet_mode, template,
		review_link, auto_approve, on_edit, on_unpublish, paused, pause_reason, created_at, updated_at, readers_post,
		endpoint, handle, secret_env, visibility, include_rules, exclude_rules, approval, approvers)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Network, c.Destination(), c.Title, c.Language, kinds, slots, c.Timezone,
		int64(time.Duration(c.MinGap)/time.Second), c.DailyCap, c.Quiet.Start, c.Quiet.End,
		c.QuietMode, c.Template, c.ReviewLink, c.AutoApprove, c.OnEdit, c.OnUnpublish, c.Paused,
		c.PauseReason, ts(now), ts(now), c.ReadersPost, c.Endpoint, c.Handle, c.SecretEnv, c.Visibility,
		herald.MarshalRules(c.Filters.Include), herald.MarshalRules(c.Filters.Exclude), c.Approval, joinIDs(c.Approvers))
	if isUniqueViolation(err) {
		return herald.Errorf(herald.EConflict, "chat %s already has a channel", c.Destination())
	}
	if err != nil {
		return fmt.Errorf("store: create channel %s: %w", c.Chat, err)
	}
	c.ID, _ = res.LastInsertId()
	c.CreatedAt, c.UpdatedAt = now.UTC().Truncate(time.Millisecond), now.UTC().Truncate(time.Millisecond)
	return nil
}

// UpdateChannel writes every field of c over the stored channel with c.ID.
// A title another channel in use has is a herald.EConflict error.
func (s *Store) UpdateChannel(ctx context.Context, c *herald.Channel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if err := s.titleFree(ctx, c.Title, c.ID); err != nil {
		return err
	}
	kinds, slots, err := channelLists(c)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE channels SET network = ?, chat = ?, title = ?,
		language = ?, kinds = ?, slots = ?, timezone = ?, min_gap_s = ?, daily_cap = ?,
		quiet_start = ?, quiet_end = ?, quiet_mode = ?, template = ?, review_link = ?,
		auto_approve = ?, on_edit = ?, on_unpublish = ?, paused = ?, pause_reason = ?,
		readers_post = ?, endpoint = ?, handle = ?, secret_env = ?, visibility = ?,
		include_rules = ?, exclude_rules = ?, approval = ?, approvers = ?,
		updated_at = ? WHERE id = ?`,
		c.Network, c.Destination(), c.Title, c.Language, kinds, slots, c.Timezone,
		int64(time.Duration(c.MinGap)/time.Second), c.DailyCap, c.Quiet.Start, c.Quiet.End,
		c.QuietMode, c.Template, c.ReviewLink, c.AutoApprove, c.OnEdit, c.OnUnpublish, c.Paused,
		c.PauseReason, c.ReadersPost, c.Endpoint, c.Handle, c.SecretEnv, c.Visibility,
		herald.MarshalRules(c.Filters.Include), herald.MarshalRules(c.Filters.Exclude),
		c.Approval, joinIDs(c.Approvers), ts(s.now()), c.ID)
	if isUniqueViolation(err) {
		return herald.Errorf(herald.EConflict, "chat %s or title %q already has a channel", c.Chat, c.Title)
	}
	if err != nil {
		return fmt.Errorf("store: update channel %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return herald.Errorf(herald.ENotFound, "channel %d not found", c.ID)
	}
	return nil
}

// SetChannelPaused pauses or resumes a channel, with a reason shown to
// editors (e.g. "the bot lost its rights"). It reports whether anything
// changed.
func (s *Store) SetChannelPaused(ctx context.Context, id int64, paused bool, reason string) (bool, error) {
	if !paused {
		reason = ""
	}
	res, err := s.db.ExecContext(ctx, `UPDATE channels SET paused = ?, pause_reason = ?, updated_at = ?
		WHERE id = ? AND (paused != ? OR pause_reason != ?)`, paused, reason, ts(s.now()), id, paused, reason)
	if err != nil {
		return false, fmt.Errorf("store: pause channel %d: %w", id, err)
	}
	n, _ := res.RowsAffected()
	if n == 0 {
		if _, err := s.Channel(ctx, id); err != nil {
			return false, err
		}
	}
	return n > 0, nil
}

// MoveChannelChat points a channel at a new chat id, as when Telegram
// migrates a group to a supergroup. A forum topic stays the channel's.
func (s *Store) MoveChannelChat(ctx context.Context, id int64, chat string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE channels SET chat = ? || CASE WHEN instr(chat, '/') > 0
		THEN substr(chat, instr(chat, '/')) ELSE '' END, updated_at = ? WHERE id = ?`, chat, ts(s.now()), id)
	if err != nil {
		return fmt.Errorf("store: move channel %d to %s: %w", id, chat, err)
	}
	return nil
}

// RemoveChannel takes a channel out of use: nothing more is planned, sent
// or edited on it, its planned, scheduled and failed posts are cancelled
// (a retry would have nowhere to go), and it leaves the lists; its sent
// posts, the unknown ones, reviews and audit stay, as history, and adding
// its chat again brings it back. It returns how many posts were
// cancelled, or a herald.ENotFound error.
func (s *Store) RemoveChannel(ctx context.Context, id int64) (cancelled int, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		now := ts(s.now())
		res, err := tx.ExecContext(ctx, `UPDATE channels SET removed_at = ?, updated_at = ? WHERE id = ? AND removed_at IS NULL`, now, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return herald.Errorf(herald.ENotFound, "channel %d not found", id)
		}
		res, err = tx.ExecContext(ctx, `UPDATE posts SET state = 'cancelled', updated_at = ?
			WHERE channel_id = ? AND state IN ('awaiting_approval', 'planned', 'scheduled', 'failed')`, now, id)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		cancelled = int(n)
		return nil
	})
	if err != nil && herald.ErrorCode(err) == herald.EInternal {
		return 0, fmt.Errorf("store: remove channel %d: %w", id, err)
	}
	return cancelled, err
}

// DeleteChannel removes a channel for good, with its posts and the
// reviews readers left through it (herald channel remove --purge).
func (s *Store) DeleteChannel(ctx context.Context, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM reviews WHERE channel_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM channels WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return herald.Errorf(herald.ENotFound, "channel %d not found", id)
		}
		return nil
	})
	if err != nil && herald.ErrorCode(err) == herald.EInternal {
		return fmt.Errorf("store: delete channel %d: %w", id, err)
	}
	return err
}

// titleFree returns a herald.EConflict error when a channel in use other
// than the one with id except already has title, compared with Unicode
// case folding ("Трудный вопрос" and "трудный вопрос" are one title).
func (s *Store) titleFree(ctx context.Context, title string, except int64) error {
	cs, err := s.Channels(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID != except && strings.EqualFold(strings.TrimSpace(c.Title), strings.TrimSpace(title)) {
			return herald.Errorf(herald.EConflict, "channel #%d is already titled %q: titles name channels, so each must be unique; choose another --title", c.ID, c.Title)
		}
	}
	return nil
}

// Channel returns the channel with the given id, or a herald.ENotFound error.
func (s *Store) Channel(ctx context.Context, id int64) (*herald.Channel, error) {
	cs, err := queryChannels(ctx, s.db, `SELECT `+channelColumns+` FROM channels WHERE id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("store: channel %d: %w", id, err)
	}
	if len(cs) == 0 {
		return nil, herald.Errorf(herald.ENotFound, "channel %d not found", id)
	}
	return cs[0], nil
}

// ChannelByRef finds a channel in use by its id, its chat (-100…,
// @username) or its title (ignoring case), in that order: an id or chat
// that matches wins over a title. It returns a herald.ENotFound error when
// none matches, and a herald.EConflict error listing the matches when the
// reference names more than one channel in the same way (titles that
// differ only in letters SQLite cannot fold, from before titles were
// unique).
func (s *Store) ChannelByRef(ctx context.Context, ref string) (*herald.Channel, error) {
	ref = strings.TrimSpace(ref)
	cs, err := s.Channels(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: channel %q: %w", ref, err)
	}
	byID := func(c *herald.Channel) bool { return strconv.FormatInt(c.ID, 10) == strings.TrimPrefix(ref, "#") }
	byChat := func(c *herald.Channel) bool {
		return strings.EqualFold(c.Destination(), ref) || c.Topic == 0 && strings.EqualFold(c.Chat, ref)
	}
	byTitle := func(c *herald.Channel) bool { return strings.EqualFold(strings.TrimSpace(c.Title), ref) }
	for _, match := range []func(*herald.Channel) bool{byID, byChat, byTitle} {
		var found []*herald.Channel
		for _, c := range cs {
			if match(c) {
				found = append(found, c)
			}
		}
		switch len(found) {
		case 0:
			continue
		case 1:
			return found[0], nil
		}
		names := make([]string, len(found))
		for i, c := range found {
			names[i] = fmt.Sprintf("#%d %s (%s)", c.ID, c.Title, c.Chat)
		}
		return nil, herald.Sayf(herald.EConflict, herald.PhraseChannelAmbiguous, ref, len(found), herald.Verbatim(strings.Join(names, ", ")))
	}
	return nil, herald.Sayf(herald.ENotFound, herald.PhraseNoChannel, ref)
}

// RemovedChannels returns the channels taken out of use whose history is
// kept (herald channel remove without --purge), in id order.
func (s *Store) RemovedChannels(ctx context.Context) ([]*herald.Channel, error) {
	cs, err := queryChannels(ctx, s.db, `SELECT `+channelColumns+` FROM channels WHERE removed_at IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: removed channels: %w", err)
	}
	return cs, nil
}

// Channels returns every channel in use (not removed), in id order.
func (s *Store) Channels(ctx context.Context) ([]*herald.Channel, error) {
	cs, err := queryChannels(ctx, s.db, `SELECT `+channelColumns+` FROM channels WHERE removed_at IS NULL ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: channels: %w", err)
	}
	return cs, nil
}

func channelLists(c *herald.Channel) (kinds, slots string, err error) {
	ks := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		ks[i] = string(k)
	}
	b, err := json.Marshal(nonNil(c.Slots))
	return strings.Join(ks, ","), string(b), err
}

func queryChannels(ctx context.Context, q queryer, query string, args ...any) ([]*herald.Channel, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*herald.Channel
	for rows.Next() {
		var c herald.Channel
		var kinds, slots, include, exclude, approvers string
		var gap int64
		err := rows.Scan(&c.ID, &c.Network, &c.Chat, &c.Title, &c.Language, &kinds, &slots,
			&c.Timezone, &gap, &c.DailyCap, &c.Quiet.Start, &c.Quiet.End, &c.QuietMode,
			&c.Template, &c.ReviewLink, &c.AutoApprove, &c.OnEdit, &c.OnUnpublish, &c.Paused,
			&c.PauseReason, scanTime{&c.CreatedAt}, scanTime{&c.UpdatedAt}, &c.ReadersPost,
			&c.Endpoint, &c.Handle, &c.SecretEnv, &c.Visibility,
			&include, &exclude, &c.Approval, &approvers)
		if err != nil {
			return nil, err
		}
		if err := scanWorkflow(&c, include, exclude, approvers); err != nil {
			return nil, err
		}
		c.MinGap = herald.Duration(time.Duration(gap) * time.Second)
		for _, k := range strings.Split(kinds, ",") {
			if k != "" {
				c.Kinds = append(c.Kinds, herald.Kind(k))
			}
		}
		if err := json.Unmarshal([]byte(slots), &c.Slots); err != nil {
			return nil, fmt.Errorf("channel %d slots: %w", c.ID, err)
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

func isPrimaryKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey
}
