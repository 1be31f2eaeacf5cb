package blueskytest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake PDS with the AppView methods herald reads. Make one with
// NewTestServer (tests) or Listen (a process: herald fake-bluesky).
type Server struct {
	srv    *http.Server
	ln     net.Listener
	url    string
	log    *slog.Logger
	clock  clock
	secret []byte // signs the JWTs
	limits bool

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever state changes
	accounts []*account    // in order of creation
	repos    map[string]*repo
	blobs    map[string]*blob
	notes    []*notification
	faults   []*Fault
	calls    []Call
	stats    Stats
	buckets  map[string]*bucket
	refresh  map[string]*refreshToken // by jti
	blocked  map[string]time.Time     // accounts a RetryAfter fault holds back, until (fake time)
	seq      int64                    // TID clock ids and the like
	lastTID  int64                    // the microseconds of the last TID made
	pending  [][2]string              // WithAccount's handle and password, made once options are read
}

// Option configures a Server.
type Option func(*Server)

// WithScale runs the fake's time f times faster: rate-limit windows and
// token lifetimes pass f times sooner in real time.
func WithScale(f float64) Option {
	return func(s *Server) {
		if f > 0 {
			s.clock = newClock(s.clock.base, f)
		}
	}
}

// WithClock makes the fake read time from now (before WithScale is applied),
// so that a test can drive token expiry and limit windows.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.clock = newClock(now, s.clock.scale) }
}

// WithLogger routes the fake's own log lines.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithoutLimits never answers 429 unless a fault asks for it.
func WithoutLimits() Option { return func(s *Server) { s.limits = false } }

// WithAccount creates an account at start (herald's, in herald fake-bluesky).
func WithAccount(handle, password string) Option {
	return func(s *Server) { s.pending = append(s.pending, [2]string{handle, password}) }
}

func newServer(opts ...Option) *Server {
	s := &Server{
		log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		clock:   newClock(time.Now, 1),
		limits:  true,
		changed: make(chan struct{}),
		repos:   map[string]*repo{},
		blobs:   map[string]*blob{},
		buckets: map[string]*bucket{},
		refresh: map[string]*refreshToken{},
		blocked: map[string]time.Time{},
		stats:   Stats{Calls: map[string]int{}, Limited: map[string]int{}},
		secret:  make([]byte, 32),
	}
	if _, err := rand.Read(s.secret); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for _, o := range opts {
		o(s)
	}
	for _, a := range s.pending {
		if _, err := s.AddAccount(a[0], a[1]); err != nil {
			s.log.Error("blueskytest: account", "handle", a[0], "err", err)
		}
	}
	s.pending = nil
	return s
}

// Listen serves the fake on addr (a loopback address such as
// 127.0.0.1:8082) until Close.
func Listen(addr string, opts ...Option) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("blueskytest: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("blueskytest: address %q is not a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("blueskytest: listen: %w", err)
	}
	s := newServer(opts...)
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("blueskytest: serve", "err", err)
		}
	}()
	return s, nil
}

// NewTestServer starts a fake for t on a loopback port and closes it when
// the test ends.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := newServer(opts...)
	ts := httptest.NewServer(s)
	s.url = ts.URL
	t.Cleanup(ts.Close)
	return s
}

// URL is the service's base URL (what herald calls the PDS endpoint).
func (s *Server) URL() string { return s.url }

// Close stops a server made by Listen.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// serverDID is the service's own DID, the audience of its tokens.
func (s *Server) serverDID() string {
	host := strings.TrimPrefix(strings.TrimPrefix(s.url, "http://"), "https://")
	return "did:web:" + strings.ReplaceAll(host, ":", "%3A")
}

// touchLocked wakes whoever waits for a change.
func (s *Server) touchLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// ServeHTTP routes /xrpc/<nsid> and /fake/...
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, "/xrpc/"):
		s.serveXRPC(w, r)
	case strings.HasPrefix(r.URL.Path, "/fake/"):
		s.serveSim(w, r)
	case r.URL.Path == "/xrpc" || r.URL.Path == "/":
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintln(w, "This is an AT Protocol Personal Data Server (PDS): a fake one, for tests.")
	default:
		http.NotFound(w, r)
	}
}

// xrpcError is an XRPC error answer: {"error":Name,"message":Message}.
type xrpcError struct {
	Status  int
	Name    string
	Message string
	headers http.Header
}

func (e *xrpcError) Error() string { return e.Name + ": " + e.Message }

func invalidRequest(name, format string, args ...any) *xrpcError {
	if name == "" {
		name = "InvalidRequest"
	}
	return &xrpcError{Status: 400, Name: name, Message: fmt.Sprintf(format, args...)}
}

func authRequired(name, msg string) *xrpcError {
	if name == "" {
		name = "AuthenticationRequired"
	}
	if msg == "" {
		msg = "Authentication Required"
	}
	return &xrpcError{Status: 401, Name: name, Message: msg}
}

// internalError is what the PDS answers for any error it did not expect,
// without details.
func internalError() *xrpcError {
	return &xrpcError{Status: 500, Name: "InternalServerError", Message: "Internal Server Error"}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		return // the client went away; nothing to tell it
	}
}

func writeXRPCError(w http.ResponseWriter, e *xrpcError) {
	for k, v := range e.headers {
		w.Header()[k] = v
	}
	writeJSON(w, e.Status, map[string]string{"error": e.Name, "message": e.Message})
}
