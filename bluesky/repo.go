package bluesky

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// postCollection is the collection of Bluesky posts.
const postCollection = "app.bsky.feed.post"

// Record-write costs in the PDS's points (create 3, update 2, delete 1).
const (
	createPoints = 3
	deletePoints = 1
)

// client makes herald's calls to one network's services on behalf of the
// channels' accounts.
type client struct {
	x   *xrpc
	ss  *sessions
	log *slog.Logger
	now func() time.Time
	web *http.Client // fetches article images
}

// authed makes a call with a's session, refreshing the session once when
// the service says the token expired.
func (c *client) authed(ctx context.Context, a account, rq request, out any) (*session, error) {
	for try := 0; ; try++ {
		tok, s, err := c.ss.token(ctx, a)
		if err != nil {
			return s, err
		}
		rq.bearer = tok
		rs, err := c.x.do(ctx, rq, out)
		if rs != nil && isWrite(rq.nsid) {
			s.mu.Lock()
			s.rate = rs
			s.rate.At = c.now()
			s.mu.Unlock()
		}
		if err != nil && try == 0 && isName(err, "ExpiredToken", "InvalidToken") {
			c.ss.invalidate(a, tok)
			continue
		}
		return s, err
	}
}

// isWrite reports the calls that spend the PDS's record-write points, whose
// RateLimit-* headers tell how many are left.
func isWrite(nsid string) bool {
	switch nsid {
	case "com.atproto.repo.createRecord", "com.atproto.repo.putRecord", "com.atproto.repo.deleteRecord", "com.atproto.repo.applyWrites":
		return true
	}
	return false
}

// strongRef names a record and its version.
type strongRef struct {
	URI string `json:"uri"`
	CID string `json:"cid"`
}

// heldBack reports a write the account's last RateLimit-* headers say the
// PDS would refuse now, and until when.
func (c *client) heldBack(a account, points int) (time.Time, bool) {
	s := c.ss.get(a)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rate == nil || s.rate.Remaining >= points || !c.now().Before(s.rate.Reset) {
		return time.Time{}, false
	}
	return s.rate.Reset, true
}

// errHeldBack is a write not tried because the PDS's points are spent.
type errHeldBack struct{ until time.Time }

func (e errHeldBack) Error() string {
	return "the account's record-write points are spent until " + e.until.UTC().Format(time.RFC3339)
}

// create makes the record at rkey, or finds it already there: a repeat of
// a send that may have reached the PDS is settled by asking for the key.
// The PDS answers a create at a key already taken with a bare 500; any 5xx
// or a lost answer is settled the same way.
func (c *client) create(ctx context.Context, a account, did, collection, rkey string, rec map[string]any) (strongRef, bool, error) {
	if until, held := c.heldBack(a, createPoints); held {
		return strongRef{}, false, errHeldBack{until}
	}
	var out strongRef
	_, err := c.authed(ctx, a, request{base: a.endpoint, nsid: "com.atproto.repo.createRecord", post: true,
		in: map[string]any{"repo": did, "collection": collection, "rkey": rkey, "record": rec}}, &out)
	if err == nil {
		return out, false, nil
	}
	var te *transportError
	if statusOf(err) >= 500 || (errors.As(err, &te) && te.Written) {
		// Ask on a context of its own: the send's may be what ran out.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		ref, found, gerr := c.getRecord(actx, a.endpoint, did, collection, rkey)
		if gerr == nil && found {
			c.log.Info("bluesky: the record was already there", "uri", ref.URI, "after", err)
			return ref, true, nil
		}
		if gerr != nil {
			return strongRef{}, false, fmt.Errorf("%w (and asking whether it was made failed: %v)", err, gerr)
		}
	}
	return strongRef{}, false, err
}

// getRecord reads a record; found is false for RecordNotFound.
func (c *client) getRecord(ctx context.Context, endpoint, did, collection, rkey string) (strongRef, bool, error) {
	var out strongRef
	_, err := c.x.do(ctx, request{base: endpoint, nsid: "com.atproto.repo.getRecord",
		params: url.Values{"repo": {did}, "collection": {collection}, "rkey": {rkey}}}, &out)
	if isName(err, "RecordNotFound") {
		return strongRef{}, false, nil
	}
	if err != nil {
		return strongRef{}, false, err
	}
	return out, true, nil
}

// deleteRecord removes a record; one already gone is no error.
func (c *client) deleteRecord(ctx context.Context, a account, did, collection, rkey string) error {
	if until, held := c.heldBack(a, deletePoints); held {
		return errHeldBack{until}
	}
	_, err := c.authed(ctx, a, request{base: a.endpoint, nsid: "com.atproto.repo.deleteRecord", post: true,
		in: map[string]any{"repo": did, "collection": collection, "rkey": rkey}}, nil)
	return err
}

// splitURI splits at://did/collection/rkey.
func splitURI(uri string) (did, collection, rkey string, err error) {
	rest, ok := strings.CutPrefix(uri, "at://")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", "", fmt.Errorf("%q is not an at:// URI of a record", uri)
	}
	return parts[0], parts[1], parts[2], nil
}
