package mastodontest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a fake Mastodon instance. Its methods are safe for concurrent use.
type Server struct {
	clock        clock
	limits       Limits
	noLim        bool
	log          *slog.Logger
	domain       string
	mediaProcess time.Duration

	httpSrv  *http.Server
	listener net.Listener
	handler  http.Handler
	url      string
	routes   []route

	mu       sync.Mutex
	changed  chan struct{}
	maxChars int
	nextID   int64
	accounts map[string]*account // by id
	apps     map[string]*app     // by client_id
	tokens   map[string]*token   // by value
	codes    map[string]*token   // authorization codes, by code
	statuses map[string]*status
	order    []string // status ids, oldest first
	media    map[string]*media
	notes    []*notification
	idem     map[string]idemEntry
	windows  map[string]*window
	faults   []*Fault
	calls    []Call
	stats    Stats
}

// Option configures a Server.
type Option func(*config)

type config struct {
	scale        float64
	base         func() time.Time
	limits       Limits
	noLimits     bool
	log          *slog.Logger
	maxChars     int
	domain       string
	mediaProcess time.Duration
}

// WithScale makes fake time run f times faster than real time: rate-limit
// windows, idempotency keys and media processing pass f times sooner.
// f <= 0 means 1.
func WithScale(f float64) Option { return func(c *config) { c.scale = f } }

// WithClock makes the server read real time from now instead of time.Now, so
// that a test can move time forward by hand. The scale still applies.
func WithClock(now func() time.Time) Option { return func(c *config) { c.base = now } }

// WithLimits replaces the default rate limits.
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithoutLimits turns the rate limits off: no 429 unless a fault asks for one.
// The X-RateLimit headers are still sent.
func WithoutLimits() Option { return func(c *config) { c.noLimits = true } }

// WithLogger makes the server log each request. Tokens never appear in it.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// WithMaxCharacters sets the instance's configuration.statuses.max_characters
// (500, Mastodon's default, otherwise).
func WithMaxCharacters(n int) Option { return func(c *config) { c.maxChars = n } }

// WithDomain sets the instance's LOCAL_DOMAIN: the domain in accounts'
// full handles and in mentions of local accounts (the listener's host name
// otherwise).
func WithDomain(d string) Option { return func(c *config) { c.domain = d } }

// WithMediaProcessing sets how long, in fake time, an uploaded attachment
// stays in processing (2 s unless set; 0 keeps the default, a negative value
// means ready at once, answered 200 rather than 202).
func WithMediaProcessing(d time.Duration) Option { return func(c *config) { c.mediaProcess = d } }

// New returns a server that is not listening yet: serve its Handler with a
// base URL given by SetURL, or use NewTestServer or Listen instead.
func New(opts ...Option) *Server {
	c := config{scale: 1, base: time.Now, limits: DefaultLimits(), maxChars: 500, mediaProcess: 2 * time.Second}
	for _, o := range opts {
		o(&c)
	}
	if c.scale <= 0 {
		c.scale = 1
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.maxChars <= 0 {
		c.maxChars = 500
	}
	if c.mediaProcess < 0 {
		c.mediaProcess = 0
	}
	s := &Server{
		clock: newClock(c.base, c.scale), limits: c.limits, noLim: c.noLimits, log: c.log,
		domain: c.domain, mediaProcess: c.mediaProcess, maxChars: c.maxChars,
		changed:  make(chan struct{}),
		accounts: map[string]*account{}, apps: map[string]*app{}, tokens: map[string]*token{},
		codes: map[string]*token{}, statuses: map[string]*status{}, media: map[string]*media{},
		idem: map[string]idemEntry{}, windows: map[string]*window{},
	}
	s.routes = s.apiRoutes()
	mux := http.NewServeMux()
	s.routeSim(mux)
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/fake/") {
			mux.ServeHTTP(w, r)
			return
		}
		s.serveAPI(w, r)
	})
	return s
}

// Handler serves the fake: the Mastodon API and the /fake/ simulation routes.
func (s *Server) Handler() http.Handler { return s.handler }

// SetURL sets the base URL the server is reached at (used in statuses' url
// and uri, accounts' url and Link headers) when serving Handler yourself.
func (s *Server) SetURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.url = strings.TrimRight(u, "/")
	if s.domain == "" {
		if pu, err := url.Parse(s.url); err == nil {
			s.domain = pu.Hostname()
		}
	}
}

// URL is the server's base URL, such as http://127.0.0.1:41234.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Domain is the instance's local domain, as in acct "user@domain".
func (s *Server) Domain() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.domain
}

// Listen starts a server on addr, which must be a loopback address.
func Listen(addr string, opts ...Option) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("mastodontest: address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("mastodontest: address %q is not loopback", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mastodontest: listen: %w", err)
	}
	s := New(opts...)
	s.listener = ln
	s.SetURL("http://" + ln.Addr().String())
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// NewTestServer starts a server on a free loopback port and closes it when
// the test ends.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Listen("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() {
	if s.httpSrv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			_ = s.httpSrv.Close()
		}
	}
}

// Now returns the fake's current time, which runs WithScale times faster
// than real time.
func (s *Server) Now() time.Time { return s.clock.now() }

// notify wakes WaitUntil callers; call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitUntil waits until cond, called with the server's state locked, reports
// true after some change, or until ctx ends.
func (s *Server) WaitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ch := s.changed
		s.mu.Unlock()
		if cond() {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return errors.New("mastodontest: wait: " + ctx.Err().Error())
		}
	}
}

// newID returns a Mastodon-style id: milliseconds since the epoch shifted
// left 16 bits plus a sequence, so ids sort by time as snowflakes do.
func (s *Server) newID() string {
	ms := s.clock.now().UnixMilli()
	id := ms<<16 | (s.nextID & 0xffff)
	s.nextID++
	return fmt.Sprint(id)
}

type clock struct {
	base  func() time.Time
	start time.Time
	scale float64
}

func newClock(base func() time.Time, scale float64) clock {
	return clock{base: base, start: base(), scale: scale}
}

func (c clock) now() time.Time {
	return c.start.Add(time.Duration(float64(c.base().Sub(c.start)) * c.scale)).UTC()
}
