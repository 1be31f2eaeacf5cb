package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync/atomic"
	"time"

	gomasto "github.com/mattn/go-mastodon"

	"github.com/herald-news/herald/internal/redact"
	"github.com/herald-news/herald/scheduler"
)

// transport is what go-mastodon's requests go through. It adds the
// Idempotency-Key of a send (from the context), remembers the account's
// X-RateLimit headers, tells whether a failed request was written, and turns
// a 429 into an error at once: the library would otherwise wait and retry
// on its own for up to an hour, which is the dispatcher's call to make.
type transport struct {
	base http.RoundTripper
	n    *Network
	chat string
}

type keyCtx struct{}

// withKey makes requests under ctx carry Idempotency-Key key.
func withKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, keyCtx{}, key)
}

// rateState is the last X-RateLimit headers an account's answers carried.
type rateState struct {
	Limit, Remaining int
	Reset            time.Time
	At               time.Time
}

// rateLimited is a 429, with when the instance said to come back.
type rateLimited struct {
	reset time.Time
	ahead time.Duration // reset - the answer's Date, in the instance's time
	after time.Duration // Retry-After
	msg   string
}

func (e *rateLimited) Error() string { return "429 " + e.msg }

// transportError is a request that got no answer; written says whether the
// whole request had gone out, so that the instance may have carried it out.
type transportError struct {
	err     error
	written bool
}

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var written atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { written.Store(true) }}
	r := req.Clone(httptrace.WithClientTrace(req.Context(), trace))
	if key, _ := req.Context().Value(keyCtx{}).(string); key != "" {
		r.Header.Set("Idempotency-Key", key)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, &transportError{err: err, written: written.Load()}
	}
	rs := t.n.noteRate(t.chat, resp.Header)
	if resp.StatusCode == http.StatusTooManyRequests {
		var body struct {
			Error string `json:"error"`
		}
		_ = json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&body)
		resp.Body.Close()
		if body.Error == "" {
			body.Error = "Too many requests"
		}
		e := &rateLimited{reset: rs.Reset, msg: body.Error}
		// The reset is in the instance's clock: measure it from the
		// instance's own Date, so that clocks apart (or a fake's, run
		// faster) do not matter.
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil && !rs.Reset.IsZero() {
			e.ahead = rs.Reset.Sub(d)
		}
		if v, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && v > 0 {
			e.after = time.Duration(v) * time.Second
		}
		return nil, e
	}
	return resp, nil
}

// noteRate keeps the X-RateLimit headers of an answer, if it has them.
func (n *Network) noteRate(chat string, h http.Header) rateState {
	lim, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	rem, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	reset, err3 := time.Parse(time.RFC3339Nano, h.Get("X-RateLimit-Reset"))
	if err1 != nil || err2 != nil || err3 != nil {
		return rateState{}
	}
	rs := rateState{Limit: lim, Remaining: rem, Reset: reset, At: n.cfg.Now()}
	n.mu.Lock()
	n.rates[chat] = rs
	n.mu.Unlock()
	return rs
}

// retryAfter is how long to wait before trying again after a 429, in the
// instance's time (the dispatcher converts it with Limits.TimeScale): until
// X-RateLimit-Reset read against the answer's own Date, or Retry-After, or a
// minute when neither was given.
func (n *Network) retryAfter(e *rateLimited) time.Duration {
	switch {
	case e.after > 0:
		return e.after
	case e.ahead > 0:
		return max(e.ahead, time.Second)
	case !e.reset.IsZero():
		if d := e.reset.Sub(n.cfg.Now()); d > 0 {
			return d
		}
		return time.Second
	}
	return time.Minute
}

// sendError classifies err from a request of op (post, edit, delete,
// media) as the dispatcher needs it. A status post's uncertain failures are
// Ambiguous: the instance may have stored it, and the Idempotency-Key makes
// asking again safe while CanRepeat says so. An edit's or a delete's may
// simply be made again.
func (n *Network) sendError(op string, err error) *scheduler.SendError {
	var rl *rateLimited
	var te *transportError
	var ae *gomasto.APIError
	switch {
	case errors.As(err, &rl):
		return &scheduler.SendError{Failure: scheduler.RateLimited, RetryAfter: n.retryAfter(rl), Err: fmt.Errorf("mastodon: %s: %w", op, err)}
	case errors.As(err, &te):
		if te.written && op == "post" {
			return &scheduler.SendError{Failure: scheduler.Ambiguous, Err: fmt.Errorf("mastodon: %s: no answer after the request was sent: %w", op, redactErr(err))}
		}
		return &scheduler.SendError{Failure: scheduler.NotSent, Err: fmt.Errorf("mastodon: %s: %w", op, redactErr(err))}
	case errors.As(err, &ae):
		e := fmt.Errorf("mastodon: %s: %d %s", op, ae.StatusCode, ae.Message)
		switch {
		case ae.StatusCode == http.StatusUnauthorized:
			return &scheduler.SendError{Failure: scheduler.Forbidden, Err: fmt.Errorf("%w (the access token was refused: make a new one and set it in the channel's variable)", e)}
		case ae.StatusCode == http.StatusForbidden:
			return &scheduler.SendError{Failure: scheduler.Forbidden, Err: fmt.Errorf("%w (the token lacks a scope herald needs: write:statuses, write:media, read:notifications, read:statuses)", e)}
		case ae.StatusCode >= 500 && op == "post":
			return &scheduler.SendError{Failure: scheduler.Ambiguous, Err: e}
		case ae.StatusCode >= 500 || ae.StatusCode == http.StatusRequestTimeout:
			return &scheduler.SendError{Failure: scheduler.NotSent, Err: e}
		}
		return &scheduler.SendError{Failure: scheduler.Permanent, Err: e}
	case errors.Is(err, context.DeadlineExceeded) && op == "post":
		return &scheduler.SendError{Failure: scheduler.Ambiguous, Err: fmt.Errorf("mastodon: %s: %w", op, err)}
	}
	if op == "post" {
		return &scheduler.SendError{Failure: scheduler.Ambiguous, Err: fmt.Errorf("mastodon: %s: %w", op, redactErr(err))}
	}
	return &scheduler.SendError{Failure: scheduler.NotSent, Err: fmt.Errorf("mastodon: %s: %w", op, redactErr(err))}
}

// redactErr keeps err's text free of anything secret-looking (a token in a
// proxy's URL, say); the token itself is only ever in a header.
func redactErr(err error) error {
	if s := redact.Text(err.Error()); s != err.Error() {
		return errors.New(s)
	}
	return err
}
