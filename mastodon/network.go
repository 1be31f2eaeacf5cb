// Package mastodon posts herald's articles to Mastodon accounts and reads
// readers' replies to them, through the REST API of each account's instance
// (github.com/mattn/go-mastodon, with a transport of herald's own for what
// the library lacks: the Idempotency-Key header, honest 429s and the
// X-RateLimit headers).
//
// A channel is one account: ch.Endpoint is the instance, ch.SecretEnv names
// the variable holding its access token (read each time it is needed, never
// kept, logged or stored), ch.Chat its stable id "<account id>@<host>".
//
// Sends are made exactly once with Mastodon's idempotency: every status is
// posted with the post's SendKey as Idempotency-Key, and the instance
// answers a repeat of the key within the hour it keeps keys with the status
// the first request made. A send whose fate is unknown (a timeout after the
// request was written, a cut connection, a 5xx) is therefore repeated while
// the key is safely younger than that hour (CanRepeat); after it, the post
// becomes unknown, as on Telegram.
package mastodon

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gomasto "github.com/mattn/go-mastodon"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Config is what a Network needs.
type Config struct {
	Store  *store.Store
	Intake *replies.Intake
	// Secret returns the value of an environment variable (os.Getenv).
	Secret func(envName string) string
	Log    *slog.Logger
	Now    func() time.Time
	// HTTP is the client requests go through; nil: one with timeouts.
	HTTP *http.Client
	// Scale is how many times faster than real time the instance's clock
	// runs (a fake started with --scale); 0 or 1 for a real instance.
	Scale float64
	// PollEvery is how often Watch reads replies; 0: a minute.
	PollEvery time.Duration
}

// KeyKept is how long an instance keeps an Idempotency-Key (Mastodon's
// PostStatusService: an hour), and KeyMargin what herald leaves of it, for
// clocks that disagree and for a send that reached the instance some time
// after its key was made.
const (
	KeyKept   = time.Hour
	KeyMargin = 10 * time.Minute
)

// Network is herald's Mastodon: it implements scheduler.Network.
type Network struct {
	cfg Config

	mu        sync.Mutex
	instances map[string]*instance // by endpoint
	// previewFailed is when reading an instance for a preview last failed,
	// by endpoint (see Text).
	previewFailed map[string]time.Time
	rates         map[string]rateState // by channel Chat
	media         map[string]string    // SendKey -> media id uploaded for it
	seen          map[string]string    // reply id -> what was taken (edited_at), to skip repeats
	threadsAt     map[int64]time.Time  // channel -> when its threads were last read
	pollErr       map[int64]string     // channel -> the last poll's error, said once
}

var _ scheduler.Network = (*Network)(nil)

// New returns a Network; zero fields of cfg get their defaults.
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
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			MaxIdleConnsPerHost:   4,
			IdleConnTimeout:       90 * time.Second,
		}}
	}
	if cfg.Scale <= 0 {
		cfg.Scale = 1
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = time.Minute
	}
	return &Network{cfg: cfg, instances: map[string]*instance{}, previewFailed: map[string]time.Time{}, rates: map[string]rateState{},
		media: map[string]string{}, seen: map[string]string{}, threadsAt: map[int64]time.Time{}, pollErr: map[int64]string{}}
}

// Limits paces sends per account so that posting stays well inside what an
// instance allows by default: 300 new statuses per 3 hours (its
// RateLimiter), 300 requests per 5 minutes, 30 media uploads per 30 minutes.
// A burst of 3, then one status per 20 s, at most 240 per 3 hours, leaves
// room for replies' polling and for the image each status may carry.
// Under a fake's --scale the periods pass that many times sooner.
func (n *Network) Limits() scheduler.Limits {
	per := func(d time.Duration) time.Duration { return time.Duration(float64(d) / n.cfg.Scale) }
	return scheduler.Limits{PerChat: 240, ChatPer: per(3 * time.Hour), ChatBurst: 3, ChatGap: per(20 * time.Second),
		SafetyFrac: 0.05, TimeScale: n.cfg.Scale}
}

// CanRepeat reports whether p may be sent again with its SendKey without a
// risk of a second status: while the key is younger than the hour the
// instance keeps it, less a margin (both in the instance's time, which a
// fake may run faster).
func (n *Network) CanRepeat(p *herald.Post, now time.Time) bool {
	if p == nil || p.SendKey == "" || p.SendKeyAt == nil {
		return false
	}
	window := time.Duration(float64(KeyKept-KeyMargin) / n.cfg.Scale)
	age := now.Sub(*p.SendKeyAt)
	return age >= 0 && age < window
}

// secret returns the channel's access token, or an error naming the
// variable it should be in.
func (n *Network) secret(ch *herald.Channel) (string, error) {
	if ch.SecretEnv == "" {
		return "", fmt.Errorf("mastodon: channel %q names no variable for its access token (channel add --token-env VAR)", ch.Title)
	}
	tok := strings.TrimSpace(n.cfg.Secret(ch.SecretEnv))
	if tok == "" {
		return "", fmt.Errorf("mastodon: %s is empty or not set; want the access token of the account on %s (Preferences → Development → your application)", ch.SecretEnv, ch.Endpoint)
	}
	return tok, nil
}

// client returns a go-mastodon client for the channel's account.
func (n *Network) client(ch *herald.Channel) (*gomasto.Client, error) {
	tok, err := n.secret(ch)
	if err != nil {
		return nil, err
	}
	if _, err := endpointHost(ch.Endpoint); err != nil {
		return nil, err
	}
	base := n.cfg.HTTP.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := gomasto.NewClient(&gomasto.Config{Server: ch.Endpoint, AccessToken: tok})
	c.Client = http.Client{Timeout: n.cfg.HTTP.Timeout, Transport: &transport{base: base, n: n, chat: ch.Chat}}
	c.UserAgent = "herald (+https://github.com/herald-news/herald)"
	return c, nil
}

// endpointHost is the host of an instance's base URL.
func endpointHost(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("mastodon: instance %q: want the instance's address, such as https://mastodon.social", endpoint)
	}
	return u.Host, nil
}
