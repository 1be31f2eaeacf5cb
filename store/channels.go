package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/mattn/go-sqlite3"
)

const channelColumns = `id, network, chat, title, language, kinds, slots, timezone, min_gap_s,
	daily_cap, quiet_start, quiet_end, quiet_mode, template, review_link, auto_approve, on_edit,
	on_unpublish, paused, pause_reason, created_at, updated_at, readers_post`

// CreateChannel stores a new channel and fills in its id and times. A chat
// that already has a channel is a herald.EConflict error.
func (s *Store) CreateChannel(ctx context.Context, c *herald.Channel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	kinds, slots, err := channelLists(c)
	if err != nil {
		return err
	}
	now := s.now()
	res, err := s.db.ExecContext(ctx, `INSERT INTO channels (network, chat, title, language, kinds,
		slots, timezone, min_gap_s, daily_cap, quiet_start, quiet_end, quiet_mode, template,
		review_link, auto_approve, on_edit, on_unpublish, paused, pause_reason, created_at, updated_at, readers_post)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Network, c.Chat, c.Title, c.Language, kinds, slots, c.Timezone,
		int64(time.Duration(c.MinGap)/time.Second), c.DailyCap, c.Quiet.Start, c.Quiet.End,
		c.QuietMode, c.Template, c.ReviewLink, c.AutoApprove, c.OnEdit, c.OnUnpublish, c.Paused,
		c.PauseReason, ts(now), ts(now), c.ReadersPost)
	if isUniqueViolation(err) {
		return herald.Errorf(herald.EConflict, "chat %s already has a channel", c.Chat)
	}
	if err != nil {
		return fmt.Errorf("store: create channel %s: %w", c.Chat, err)
	}
	c.ID, _ = res.LastInsertId()
	c.CreatedAt, c.UpdatedAt = now.UTC().Truncate(time.Millisecond), now.UTC().Truncate(time.Millisecond)
	return nil
}

// UpdateChannel writes every field of c over the stored channel with c.ID.
func (s *Store) UpdateChannel(ctx context.Context, c *herald.Channel) error {
	if err := c.Validate(); err != nil {
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
		readers_post = ?, updated_at = ? WHERE id = ?`,
		c.Network, c.Chat, c.Title, c.Language, kinds, slots, c.Timezone,
		int64(time.Duration(c.MinGap)/time.Second), c.DailyCap, c.Quiet.Start, c.Quiet.End,
		c.QuietMode, c.Template, c.ReviewLink, c.AutoApprove, c.OnEdit, c.OnUnpublish, c.Paused,
		c.PauseReason, c.ReadersPost, ts(s.now()), c.ID)
	if isUniqueViolation(err) {
		return herald.Errorf(herald.EConflict, "chat %s already has a channel", c.Chat)
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
// migrates a group to a supergroup.
func (s *Store) MoveChannelChat(ctx context.Context, id int64, chat string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE channels SET chat = ?, updated_at = ? WHERE id = ?`, chat, ts(s.now()), id)
	if err != nil {
		return fmt.Errorf("store: move channel %d to %s: %w", id, chat, err)
	}
	return nil
}

// DeleteChannel removes a channel and its posts.
func (s *Store) DeleteChannel(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM channels WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: delete channel %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return herald.Errorf(herald.ENotFound, "channel %d not found", id)
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

// ChannelByRef finds a channel by its id, its chat (-100…, @username) or,
// failing those, its title (case-insensitive). It returns a
// herald.ENotFound error when none matches.
func (s *Store) ChannelByRef(ctx context.Context, ref string) (*herald.Channel, error) {
	ref = strings.TrimSpace(ref)
	cs, err := queryChannels(ctx, s.db, `SELECT `+channelColumns+` FROM channels
		WHERE CAST(id AS TEXT) = ?1 OR chat = ?1 OR lower(chat) = lower(?1) OR lower(title) = lower(?1)
		ORDER BY (CAST(id AS TEXT) = ?1) DESC, (chat = ?1) DESC LIMIT 1`, ref)
	if err != nil {
		return nil, fmt.Errorf("store: channel %q: %w", ref, err)
	}
	if len(cs) == 0 {
		return nil, herald.Errorf(herald.ENotFound, "no channel %q (give its id, chat or title)", ref)
	}
	return cs[0], nil
}

// Channels returns every channel, in id order.
func (s *Store) Channels(ctx context.Context) ([]*herald.Channel, error) {
	cs, err := queryChannels(ctx, s.db, `SELECT `+channelColumns+` FROM channels ORDER BY id`)
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
		var kinds, slots string
		var gap int64
		err := rows.Scan(&c.ID, &c.Network, &c.Chat, &c.Title, &c.Language, &kinds, &slots,
			&c.Timezone, &gap, &c.DailyCap, &c.Quiet.Start, &c.Quiet.End, &c.QuietMode,
			&c.Template, &c.ReviewLink, &c.AutoApprove, &c.OnEdit, &c.OnUnpublish, &c.Paused,
			&c.PauseReason, scanTime{&c.CreatedAt}, scanTime{&c.UpdatedAt}, &c.ReadersPost)
		if err != nil {
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
