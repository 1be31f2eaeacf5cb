package bluesky

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Config is what a Network is built with.
type Config struct {
	Store  *store.Store // nil when only Verify is wanted
	Intake *replies.Intake
	// Secret reads an environment variable: the app password is read
	// through it each time herald signs in, and kept nowhere else.
	Secret func(envName string) string
	Log    *slog.Logger
	Now    func() time.Time
	HTTP   *http.Client // nil: one with timeouts
	// Scale is how many times faster than real time the service's clock
	// runs: 0 or 1 for Bluesky, f for herald fake-bluesky --scale f.
	Scale float64
	// PollEvery is how often replies are read; 0: DefaultPollEvery.
	PollEvery time.Duration
}

// DefaultPollEvery is how often Watch reads notifications.
const DefaultPollEvery = time.Minute

// Network posts to Bluesky accounts: it implements scheduler.Network, and
// reads replies to herald's posts into reviews.
type Network struct {
	cfg Config
	c   *client
	log *slog.Logger

	mu       sync.Mutex
	lastPoll map[string]time.Time // by account: when Watch last read it
}

// New returns a Network. Nothing is contacted until a post is sent or a
// channel verified.
func New(cfg Config) *Network {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Secret == nil {
		cfg.Secret = func(string) string { return "" }
	}
	if cfg.Scale <= 0 {
		cfg.Scale = 1
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = DefaultPollEvery
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
		}}
	}
	x := &xrpc{http: hc}
	n := &Network{cfg: cfg, log: cfg.Log, lastPoll: map[string]time.Time{}}
	n.c = &client{x: x, log: cfg.Log, now: cfg.Now, web: hc,
		ss: &sessions{x: x, now: cfg.Now, secret: cfg.Secret, scale: cfg.Scale, log: cfg.Log, m: map[string]*session{}}}
	return n
}

var _ scheduler.Network = (*Network)(nil)

func accountOf(ch *herald.Channel) account {
	return account{endpoint: strings.TrimRight(ch.Endpoint, "/"), handle: ch.Handle, secretEnv: ch.SecretEnv}
}

// Limits paces posts per account as the PDS's write points allow: a post
// costs 3 of the 5000 points an hour (35000 a day), and herald keeps to a
// steady pace within that. A 429 and the RateLimit-* headers do the rest.
func (n *Network) Limits() scheduler.Limits {
	per := func(d time.Duration) time.Duration { return time.Duration(float64(d) / n.cfg.Scale) }
	return scheduler.Limits{
		PerChat: 5000 / createPoints / 2, ChatPer: per(time.Hour), // half the hour's points: deletes and reposts need some
		ChatBurst: 5, ChatGap: per(2 * time.Second),
		SafetyFrac: 0.01, TimeScale: n.cfg.Scale,
	}
}

// CanRepeat is true for a post with a valid send key: the record key is the
// key, so a repeat either makes the record or finds it there (Publish
// settles it with getRecord); a second copy cannot happen.
func (n *Network) CanRepeat(p *herald.Post, _ time.Time) bool {
	return p != nil && herald.ValidTID(p.SendKey)
}

// Publish creates the post's app.bsky.feed.post at its SendKey, or finds it
// already there after a send that may have reached the PDS.
func (n *Network) Publish(ctx context.Context, d scheduler.Delivery) (scheduler.Receipt, error) {
	if d.Post == nil || !herald.ValidTID(d.Post.SendKey) {
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.Permanent, Err: errors.New("bluesky: the post has no send key (a TID) to use as its record key")}
	}
	return n.create(ctx, d, d.Post.SendKey)
}

func (n *Network) create(ctx context.Context, d scheduler.Delivery, rkey string) (scheduler.Receipt, error) {
	a := accountOf(d.Channel)
	did, err := n.did(ctx, d.Channel)
	if err != nil {
		return scheduler.Receipt{}, n.sendError(err)
	}
	if d.Post.Attempts > 1 {
		// A repeat (the claim counts the first attempt as 1): the record
		// may be there already, and asking costs no write points (nor the
		// image's upload).
		if ref, found, err := n.c.getRecord(ctx, a.endpoint, did, postCollection, rkey); err == nil && found {
			n.log.Info("bluesky: the post was already there", "post", d.Post.ID, "uri", ref.URI)
			return scheduler.Receipt{RemoteID: ref.URI}, nil
		}
	}
	m := d.Message(n.cfg.Now())
	rec := n.record(ctx, a, m)
	ref, found, err := n.c.create(ctx, a, did, postCollection, rkey, rec)
	if err != nil {
		return scheduler.Receipt{}, n.sendError(err)
	}
	n.log.Info("bluesky: posted", "post", d.Post.ID, "uri", ref.URI, "already_there", found)
	return scheduler.Receipt{RemoteID: ref.URI}, nil
}

// did is the channel's account DID: its Chat, filled by Verify, or the
// session's.
func (n *Network) did(ctx context.Context, ch *herald.Channel) (string, error) {
	if strings.HasPrefix(ch.Chat, "did:") {
		return ch.Chat, nil
	}
	_, s, err := n.c.ss.token(ctx, accountOf(ch))
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.did, nil
}

// Edit applies a changed article as the channel says: keep leaves the post
// (Bluesky has no edits); repost deletes the old post and makes it anew,
// returning the new post's receipt. The old one goes first, so that the
// article is never on the account twice; the new record's key comes from
// the article's change, so a repeated Edit (after a failure half-way)
// deletes nothing more and finds what an earlier one made.
func (n *Network) Edit(ctx context.Context, d scheduler.Delivery, r scheduler.Receipt) (scheduler.Receipt, error) {
	if d.Channel.OnEdit != herald.OnEditRepost {
		return r, nil
	}
	oldDID, coll, oldKey, err := splitURI(r.RemoteID)
	if err != nil {
		return r, &scheduler.SendError{Failure: scheduler.Permanent, Err: fmt.Errorf("bluesky: repost: %w", err)}
	}
	changed := d.Article.UpdatedAt
	if changed.IsZero() {
		changed = n.cfg.Now()
	}
	key := herald.TID(changed, uint(d.Post.ID))
	if key == oldKey {
		key = herald.TID(changed.Add(time.Microsecond), uint(d.Post.ID))
	}
	if err := n.c.deleteRecord(ctx, accountOf(d.Channel), oldDID, coll, oldKey); err != nil {
		return r, retryable(n.sendError(fmt.Errorf("repost: deleting the old post: %w", err)))
	}
	nr, err := n.create(ctx, d, key)
	if err != nil {
		// The old post is gone; the next pass deletes nothing (it is gone
		// already) and makes the new one at the same key, or finds it made.
		return r, retryable(err)
	}
	return nr, nil
}

// Delete removes the post's record; one already gone is no error.
func (n *Network) Delete(ctx context.Context, ch *herald.Channel, r scheduler.Receipt) error {
	did, coll, rkey, err := splitURI(r.RemoteID)
	if err != nil {
		return &scheduler.SendError{Failure: scheduler.Permanent, Err: fmt.Errorf("bluesky: delete: %w", err)}
	}
	if err := n.c.deleteRecord(ctx, accountOf(ch), did, coll, rkey); err != nil {
		return n.sendError(err)
	}
	return nil
}

// sendError classifies a failure for the dispatcher.
func (n *Network) sendError(err error) error {
	now := n.cfg.Now()
	wrap := func(f scheduler.Failure, after time.Duration) error {
		return &scheduler.SendError{Failure: f, RetryAfter: after, Err: fmt.Errorf("bluesky: %w", err)}
	}
	// RetryAfter is in the service's time; the dispatcher divides by the scale.
	until := func(t time.Time) time.Duration {
		d := t.Sub(now)
		if d < time.Second {
			d = time.Second
		}
		return time.Duration(float64(d) * n.cfg.Scale)
	}
	var ae *authError
	var xe *xrpcError
	var te *transportError
	var hb errHeldBack
	switch {
	case errors.As(err, &ae):
		if ae.Refused {
			return wrap(scheduler.Forbidden, 0)
		}
		if !ae.Retry.IsZero() && ae.Retry.After(now) {
			return wrap(scheduler.RateLimited, until(ae.Retry))
		}
		return wrap(scheduler.NotSent, 0)
	case errors.As(err, &hb):
		return wrap(scheduler.RateLimited, until(hb.until))
	case errors.As(err, &xe):
		switch {
		case xe.Status == http.StatusTooManyRequests:
			reset := xe.Reset
			if reset.IsZero() {
				reset = now.Add(time.Minute)
			}
			return wrap(scheduler.RateLimited, until(reset))
		case xe.Status == 401 || xe.Status == 403 || isName(err, "AccountTakedown", "AccountDeactivated", "RepoTakendown", "RepoDeactivated"):
			return wrap(scheduler.Forbidden, 0)
		case xe.Status >= 500:
			// Settled already: the record is not there.
			return wrap(scheduler.NotSent, 0)
		case isName(err, "ExpiredToken", "InvalidToken"):
			return wrap(scheduler.NotSent, 0)
		}
		return wrap(scheduler.Permanent, 0)
	case errors.As(err, &te):
		if te.Written {
			return wrap(scheduler.Ambiguous, 0)
		}
		return wrap(scheduler.NotSent, 0)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return wrap(scheduler.Ambiguous, 0)
	}
	return wrap(scheduler.Permanent, 0)
}

// Text is the post's text d would make, within Bluesky's 300 graphemes as
// Publish writes it (links shown shortened, as their facets' text), for
// previews (the web desk).
func (n *Network) Text(ctx context.Context, d scheduler.Delivery) (string, error) {
	text, _ := render(draftOf(d.Message(n.cfg.Now())))
	return text, nil
}

// retryable makes a correction's failure one the dispatcher tries again
// (NotSent), unless the network refused for good: every step of a repost
// is safe to repeat, its record key being fixed.
func retryable(err error) error {
	var se *scheduler.SendError
	if errors.As(err, &se) && (se.Failure == scheduler.Permanent || se.Failure == scheduler.Forbidden || se.Failure == scheduler.RateLimited) {
		return err
	}
	return &scheduler.SendError{Failure: scheduler.NotSent, Err: err}
}

// CheckEdit checks an editor's text for d's post (d.Edit) before it is
// saved, as Publish will write it: whole, never cut, with the post's link
// after it, within Bluesky's 300 graphemes.
func (n *Network) CheckEdit(ctx context.Context, d scheduler.Delivery) error {
	m := d.Message(n.cfg.Now())
	m.Hashtags = nil // they go when there is no room; the text may not
	text, _ := render(draftOf(m))
	if !strings.Contains(text, m.Title) {
		return herald.FieldError("text", "is %d graphemes; with its link after it a Bluesky post holds %d: shorten it",
			graphemes(m.Title), maxGraphemes)
	}
	return nil
}
