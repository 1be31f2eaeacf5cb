package telegramtest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// DefaultToken is the bot token a server accepts unless WithToken says otherwise.
const DefaultToken = "123456:fake-telegram-token"

// DefaultBotUsername is the bot's username unless WithBotUsername says otherwise.
const DefaultBotUsername = "herald_test_bot"

// Server is a fake Telegram Bot API. Its methods are safe for concurrent use.
type Server struct {
	token  string
	bot    models.User
	clock  clock
	limits *limiter
	log    *slog.Logger

	httpSrv  *http.Server
	listener net.Listener
	handler  http.Handler
	api      map[string]method
	client   *http.Client // for webhook deliveries
	done     chan struct{}
	wg       sync.WaitGroup
	closeMu  sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every change of state
	closed  bool
	chats   map[int64]*chat
	users   map[int64]*models.User
	files   map[string]models.PhotoSize
	queue   []queuedUpdate
	nextUpd int64
	polling pollState
	webhook webhookState
	cmds    map[commandKey][]models.BotCommand
	queries map[string]pendingQuery
	nextQID int
	faults  []*Fault
	calls   []Call
	answers []Answer
	stats   Stats
}

// Option configures a Server.
type Option func(*config)

type config struct {
	token    string
	username string
	scale    float64
	base     func() time.Time
	limits   Limits
	noLimits bool
	log      *slog.Logger
}

// WithToken sets the bot token the server accepts; requests with any other
// token get 401 Unauthorized. The part before ":" is the bot's user id.
func WithToken(token string) Option { return func(c *config) { c.token = token } }

// WithBotUsername sets the bot's username, as getMe reports it and as
// "/command@username" addresses it.
func WithBotUsername(name string) Option { return func(c *config) { c.username = name } }

// WithScale makes the fake's time run f times faster than real time: limits
// allow f times more per real second, retry_after and long-poll timeouts
// are in fake seconds, and webhook backoff is f times shorter. f <= 0 means 1.
func WithScale(f float64) Option { return func(c *config) { c.scale = f } }

// WithClock makes the server read real time from now instead of time.Now,
// so that a test can move time forward by hand. The scale still applies.
// Long-poll timeouts and webhook backoff wait on real timers regardless.
func WithClock(now func() time.Time) Option { return func(c *config) { c.base = now } }

// WithLimits replaces the default rate limits.
func WithLimits(l Limits) Option { return func(c *config) { c.limits = l } }

// WithoutLimits turns the rate limits off: no 429 unless a fault asks for one.
func WithoutLimits() Option { return func(c *config) { c.noLimits = true } }

// WithLogger makes the server log each Bot API call and webhook delivery.
// The token never appears in what it logs.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.log = l } }

// New returns a server that is not listening yet: serve its Handler, or use
// NewServer or Listen instead. Close it to stop its webhook deliveries.
func New(opts ...Option) *Server {
	c := config{token: DefaultToken, username: DefaultBotUsername, scale: 1, base: time.Now, limits: DefaultLimits()}
	for _, o := range opts {
		o(&c)
	}
	if c.scale <= 0 {
		c.scale = 1
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	botID, _ := strconv.ParseInt(strings.SplitN(c.token, ":", 2)[0], 10, 64)
	if botID == 0 {
		botID = 123456
	}
	s := &Server{
		token:   c.token,
		bot:     models.User{ID: botID, IsBot: true, FirstName: "Herald Test Bot", Username: c.username},
		clock:   newClock(c.base, c.scale),
		log:     c.log,
		client:  &http.Client{Timeout: 10 * time.Second},
		done:    make(chan struct{}),
		changed: make(chan struct{}),
		chats:   map[int64]*chat{},
		users:   map[int64]*models.User{},
		files:   map[string]models.PhotoSize{},
		nextUpd: 1,
		cmds:    map[commandKey][]models.BotCommand{},
		queries: map[string]pendingQuery{},
		api:     methods(),
	}
	s.limits = newLimiter(c.limits, c.noLimits)
	mux := http.NewServeMux()
	s.routeSim(mux)
	s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/bot") {
			s.serveAPI(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
	s.wg.Add(1)
	go s.runWebhook()
	return s
}

// Listen starts a server on addr, which must be a loopback address such as
// "127.0.0.1:8081". It fails when addr is not loopback or cannot be bound.
func Listen(addr string, opts ...Option) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("telegramtest: listen %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("telegramtest: listen %q: only loopback addresses are served", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("telegramtest: %w", err)
	}
	s := New(opts...)
	s.listener = ln
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("fake telegram: serve", "err", err)
		}
	}()
	return s, nil
}

// NewServer starts a server on 127.0.0.1 at a free port. Like
// httptest.NewServer it panics when it cannot listen.
func NewServer(opts ...Option) *Server {
	s, err := Listen("127.0.0.1:0", opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// NewTestServer starts a server as NewServer does and closes it when the
// test ends.
func NewTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := NewServer(opts...)
	t.Cleanup(s.Close)
	return s
}

// URL is the server's base URL, such as "http://127.0.0.1:38121", for
// tgbot.WithServerURL. It is empty for a server made with New.
func (s *Server) URL() string {
	if s.listener == nil {
		return ""
	}
	return "http://" + s.listener.Addr().String()
}

// Token is the bot token the server accepts.
func (s *Server) Token() string { return s.token }

// BotUsername is the bot's username, without "@".
func (s *Server) BotUsername() string { return s.bot.Username }

// BotUser is the bot as getMe describes it.
func (s *Server) BotUser() models.User { return s.bot }

// Handler serves both the Bot API (/bot<token>/<method>) and the simulation
// endpoints (/fake/...), for use with httptest or an http.Server of one's own.
func (s *Server) Handler() http.Handler { return s.handler }

// Close ends waiting long polls, stops webhook deliveries and, when the
// server listens, stops listening. It is safe to call more than once.
func (s *Server) Close() {
	s.closeMu.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.notifyLocked()
		s.mu.Unlock()
		close(s.done)
		if s.httpSrv != nil {
			// Long polls were just woken and answer at once; a connection
			// that never sent a request would hold Shutdown for seconds.
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			if err := s.httpSrv.Shutdown(ctx); err != nil {
				s.httpSrv.Close()
			}
			cancel()
		}
		s.wg.Wait()
	})
}

// notifyLocked wakes everything waiting for the state to change: long polls,
// the webhook sender and WaitUntil. The caller holds s.mu.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitUntil calls cond after every change of the server's state until it
// returns true, and fails when ctx ends first. cond may call the server's
// methods.
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
			return fmt.Errorf("telegramtest: wait: %w", ctx.Err())
		case <-s.done:
			return errors.New("telegramtest: wait: server closed")
		}
	}
}

// WaitMessages waits until the chat holds at least n messages (from anyone,
// deleted ones included) and returns them; it fails when ctx ends first.
func (s *Server) WaitMessages(ctx context.Context, chatID int64, n int) ([]Message, error) {
	var msgs []Message
	err := s.WaitUntil(ctx, func() bool {
		msgs = s.Messages(chatID)
		return len(msgs) >= n
	})
	return msgs, err
}

// WaitBotMessages waits until the bot has sent at least n messages to the
// chat and returns them; it fails when ctx ends first.
func (s *Server) WaitBotMessages(ctx context.Context, chatID int64, n int) ([]Message, error) {
	var mine []Message
	err := s.WaitUntil(ctx, func() bool {
		mine = mine[:0]
		for _, m := range s.Messages(chatID) {
			if m.From != nil && m.From.ID == s.bot.ID {
				mine = append(mine, m)
			}
		}
		return len(mine) >= n
	})
	return mine, err
}
