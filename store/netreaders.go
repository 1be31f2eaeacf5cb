package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/herald-news/herald"
)

// NetworkReader returns the herald user id of the reader who is account on
// network (Mastodon's account id@host, Bluesky's DID), making one the
// first time: minus the reader's row in network_readers, so that it never
// meets a Telegram user id, which is positive. The handle is kept up to
// date, for editors and for `reviews purge --reader`.
func (s *Store) NetworkReader(ctx context.Context, network, account, handle string) (int64, error) {
	if network == "" || account == "" {
		return 0, herald.Errorf(herald.EInvalid, "a network reader needs a network and an account")
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO network_readers (network, account, handle, created_at)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (network, account) DO UPDATE SET handle = CASE WHEN excluded.handle != '' THEN excluded.handle ELSE handle END
		RETURNING id`, network, account, handle, ts(s.now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: reader %s on %s: %w", account, network, err)
	}
	return -id, nil
}

// NetworkReaderByHandle finds the herald user id of a reader on network
// by handle ("@user@host" or "user@host" on Mastodon, "name.bsky.social"
// on Bluesky; case does not matter) or by account id. It fails with a
// herald.ENotFound error when herald has no such reader.
func (s *Store) NetworkReaderByHandle(ctx context.Context, network, handle string) (int64, error) {
	h := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT id FROM network_readers
		WHERE network = ? AND (lower(ltrim(handle, '@')) = lower(?) OR account = ?) ORDER BY id LIMIT 1`,
		network, h, strings.TrimSpace(handle)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, herald.Errorf(herald.ENotFound, "herald has no reader %s on %s", handle, network)
	}
	if err != nil {
		return 0, fmt.Errorf("store: reader %s on %s: %w", handle, network, err)
	}
	return -id, nil
}

// ReviewByRemote returns the review kept from the reply remoteID, or a
// herald.ENotFound error.
func (s *Store) ReviewByRemote(ctx context.Context, remoteID string) (*herald.Review, error) {
	r, err := reviewBy(ctx, s.db, `r.remote_id = ? AND r.remote_id != ''`, remoteID)
	if errors.Is(err, errNoRows) {
		return nil, herald.Errorf(herald.ENotFound, "no review of reply %s", remoteID)
	}
	if err != nil {
		return nil, fmt.Errorf("store: review of reply %s: %w", remoteID, err)
	}
	return r, nil
}

// PostNetworks returns the network of each of the posts ids that exist
// (for lists that show it, such as the audit): one query per 500 ids.
func (s *Store) PostNetworks(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	var args []any
	for _, id := range ids {
		if id != 0 {
			args = append(args, id)
		}
	}
	for len(args) > 0 {
		chunk := args[:min(len(args), 500)]
		args = args[len(chunk):]
		rows, err := s.db.QueryContext(ctx, `SELECT p.id, c.network FROM posts p JOIN channels c ON c.id = p.channel_id
			WHERE p.id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, chunk...)
		if err != nil {
			return nil, fmt.Errorf("store: networks of posts: %w", err)
		}
		for rows.Next() {
			var id int64
			var n string
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: networks of posts: %w", err)
			}
			out[id] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("store: networks of posts: %w", err)
		}
	}
	return out, nil
}
