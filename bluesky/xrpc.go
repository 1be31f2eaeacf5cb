package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// xrpcError is an XRPC error answer: the HTTP status, the error name and
// message the server gave, and, for 429, when the limit resets.
type xrpcError struct {
	NSID    string
	Status  int
	Name    string
	Message string
	Reset   time.Time // RateLimit-Reset, zero when not given
}

func (e *xrpcError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("%s: HTTP %d", e.NSID, e.Status)
	}
	return fmt.Sprintf("%s: %s: %s", e.NSID, e.Name, e.Message)
}

// transportError is a request that got no XRPC answer. Written reports
// whether the request may have reached the server (anything but a refused
// or unresolvable connection).
type transportError struct {
	NSID    string
	Written bool
	Err     error
}

func (e *transportError) Error() string { return e.NSID + ": " + e.Err.Error() }
func (e *transportError) Unwrap() error { return e.Err }

// rateState is what the last RateLimit-* headers said.
type rateState struct {
	Limit     int
	Remaining int
	Reset     time.Time
	Policy    string
	At        time.Time
}

// xrpc is a minimal XRPC client over net/http: queries are GET with
// parameters, procedures POST with a JSON body (or raw bytes for blobs).
// herald needs a dozen methods of it; github.com/bluesky-social/indigo,
// the official Go SDK, would bring some 45 modules (IPFS, multiformats,
// OpenTelemetry, zap...) and about 166 third-party packages for them, and
// its generated types change with the lexicons, while the wire format here
// is plain JSON over HTTP that the lexicons pin down.
type xrpc struct {
	http *http.Client
}

// request describes one call.
type request struct {
	base   string // the service endpoint, no trailing slash
	nsid   string
	post   bool
	params url.Values
	in     any    // JSON input
	raw    []byte // raw input (uploadBlob), with rawType
	rawTyp string
	bearer string
}

// do makes the call and decodes a 200 answer into out (when not nil). It
// returns the rate-limit headers seen, if any.
func (x *xrpc) do(ctx context.Context, rq request, out any) (*rateState, error) {
	u := rq.base + "/xrpc/" + rq.nsid
	if len(rq.params) > 0 {
		u += "?" + rq.params.Encode()
	}
	var body io.Reader
	method := http.MethodGet
	ctype := ""
	if rq.post {
		method = http.MethodPost
		switch {
		case rq.raw != nil:
			body, ctype = bytes.NewReader(rq.raw), rq.rawTyp
		case rq.in != nil:
			b, err := json.Marshal(rq.in)
			if err != nil {
				return nil, fmt.Errorf("%s: encode: %w", rq.nsid, err)
			}
			body, ctype = bytes.NewReader(b), "application/json"
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rq.nsid, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "herald (+https://github.com/herald-news/herald)")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if rq.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+rq.bearer)
	}
	resp, err := x.http.Do(req)
	if err != nil {
		return nil, &transportError{NSID: rq.nsid, Written: mayHaveWritten(err), Err: cleanErr(err)}
	}
	defer resp.Body.Close()
	rs := readRate(resp.Header)
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return rs, &transportError{NSID: rq.nsid, Written: true, Err: cleanErr(err)}
	}
	if resp.StatusCode != http.StatusOK {
		e := &xrpcError{NSID: rq.nsid, Status: resp.StatusCode}
		var eb struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &eb) == nil {
			e.Name, e.Message = eb.Error, eb.Message
		}
		if rs != nil {
			e.Reset = rs.Reset
		}
		return rs, e
	}
	if out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return rs, fmt.Errorf("%s: decode answer: %w", rq.nsid, err)
		}
	}
	return rs, nil
}

// readRate reads RateLimit-Limit/-Remaining/-Reset/-Policy.
func readRate(h http.Header) *rateState {
	lim, err1 := strconv.Atoi(h.Get("RateLimit-Limit"))
	rem, err2 := strconv.Atoi(h.Get("RateLimit-Remaining"))
	if err1 != nil || err2 != nil {
		return nil
	}
	rs := &rateState{Limit: lim, Remaining: rem, Policy: h.Get("RateLimit-Policy")}
	if sec, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64); err == nil {
		rs.Reset = time.Unix(sec, 0)
	}
	return rs
}

// mayHaveWritten reports whether a failed request may have reached the
// server: only a connection never made surely did not.
func mayHaveWritten(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	return !errors.As(err, &dns)
}

// cleanErr drops the URL *url.Error carries: it is only the endpoint, and
// keeping errors short keeps them readable in the queue.
func cleanErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// isName reports whether err is an XRPC error with one of the names.
func isName(err error, names ...string) bool {
	var xe *xrpcError
	if !errors.As(err, &xe) {
		return false
	}
	for _, n := range names {
		if strings.EqualFold(xe.Name, n) {
			return true
		}
	}
	return false
}

func statusOf(err error) int {
	var xe *xrpcError
	if errors.As(err, &xe) {
		return xe.Status
	}
	return 0
}
