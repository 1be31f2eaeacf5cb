package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// InboxUpdate is one update from Telegram kept until it is handled.
type InboxUpdate struct {
	ID  int64
	Raw []byte
}

// KeepUpdates stores a batch of updates, ignoring those already kept, and
// remembers the newest id seen (LastUpdateID), all at once. It is committed
// together with the other intake writes arriving at the same moment (see
// grouped), so that polling never waits on the lanes' writes in SQLite's
// busy handler.
func (s *Store) KeepUpdates(ctx context.Context, us []InboxUpdate) error {
	if len(us) == 0 {
		return nil
	}
	// One statement for the batch (getUpdates hands over up to 100): a
	// statement each cost the poller most of its time.
	now := ts(s.now())
	top := int64(0)
	args := make([]any, 0, 3*len(us))
	for _, u := range us {
		args = append(args, u.ID, string(u.Raw), now)
		top = max(top, u.ID)
	}
	rows := strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(us)), ", ")
	err := s.grouped(ctx, func(ctx context.Context, tx queryer) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO inbox (update_id, raw, received_at) VALUES `+rows+`
			ON CONFLICT (update_id) DO NOTHING`, args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kv (key, value) VALUES ('updates.last', ?1), ('updates.last_at', ?2)
			ON CONFLICT (key) DO UPDATE SET value = CASE WHEN key = 'updates.last'
				THEN MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) ELSE excluded.value END`, top, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: keep %d updates: %w", len(us), err)
	}
	return nil
}

// UpdateHandled forgets a kept update.
func (s *Store) UpdateHandled(ctx context.Context, id int64) error {
	return s.UpdatesHandled(ctx, []int64{id})
}

// UpdatesHandled forgets kept updates, in one statement committed together
// with the other intake writes arriving at the same moment (see grouped).
func (s *Store) UpdatesHandled(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := s.groupedSingle(ctx, func(ctx context.Context, q queryer) error {
		_, err := q.ExecContext(ctx, `DELETE FROM inbox WHERE update_id IN (`+marks+`)`, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: %d updates handled: %w", len(ids), err)
	}
	return nil
}

// PendingUpdates returns the kept updates not yet handled, oldest first:
// what a stopped herald received and did not get to.
func (s *Store) PendingUpdates(ctx context.Context) ([]InboxUpdate, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT update_id, raw FROM inbox ORDER BY update_id`)
	if err != nil {
		return nil, fmt.Errorf("store: pending updates: %w", err)
	}
	defer rows.Close()
	var out []InboxUpdate
	for rows.Next() {
		var u InboxUpdate
		var raw string
		if err := rows.Scan(&u.ID, &raw); err != nil {
			return nil, err
		}
		u.Raw = []byte(raw)
		out = append(out, u)
	}
	return out, rows.Err()
}

// LastUpdateID returns the newest update id ever kept and when it was
// kept; 0 and the zero time when none was. Polling resumes after it, so
// that Telegram does not hand over again what the inbox already holds or
// what was already handled.
func (s *Store) LastUpdateID(ctx context.Context) (int64, time.Time, error) {
	id, ok, err := s.Value(ctx, "updates.last")
	if err != nil || !ok {
		return 0, time.Time{}, err
	}
	at, _, err := s.Value(ctx, "updates.last_at")
	if err != nil {
		return 0, time.Time{}, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: last update id %q: %w", id, err)
	}
	t, _ := parseTS(at)
	return n, t, nil
}
