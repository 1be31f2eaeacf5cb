package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Sign-in pacing. createSession is limited by the PDS (30 per 5 minutes,
// 300 a day per identifier) and a client that signs in again whenever
// something fails can lock itself out, so herald signs in only when it has
// no session it can refresh, at most once per loginGap, and after a refused
// password waits loginBackoff, doubling up to loginBackoffMax.
const (
	loginGap        = time.Minute
	loginBackoff    = time.Minute
	loginBackoffMax = time.Hour
	// refreshAt is the part of an access token's life after which herald
	// refreshes it, well before it expires.
	refreshAt = 0.75
)

// account is what a session signs in as: a channel's service, handle and
// the name of the variable with its app password.
type account struct {
	endpoint  string
	handle    string
	secretEnv string
}

func (a account) key() string { return a.endpoint + "|" + strings.ToLower(a.handle) }

// authError is a sign-in that failed. Refused means the service said no to
// the credentials (the channel cannot post until an editor fixes them);
// otherwise the service could not be asked and Retry says when to try.
type authError struct {
	Refused bool
	Retry   time.Time
	Msg     string
	Err     error
}

func (e *authError) Error() string { return e.Msg }
func (e *authError) Unwrap() error { return e.Err }

// session is one account's tokens, in memory only.
type session struct {
	mu         sync.Mutex
	did        string
	handle     string
	access     string
	refresh    string
	accessIat  time.Time
	accessExp  time.Time
	refreshExp time.Time
	appPass    bool // made with an app password (scope com.atproto.appPass)

	lastLogin  time.Time
	loginFails int
	loginAfter time.Time
	refused    *authError // the last refusal, repeated while held back

	rate *rateState // the last write's RateLimit-* headers
}

// sessions keeps one session per account.
type sessions struct {
	x      *xrpc
	now    func() time.Time
	secret func(string) string
	scale  float64
	log    *slog.Logger

	mu sync.Mutex
	m  map[string]*session
}

func (ss *sessions) get(a account) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.m[a.key()]
	if s == nil {
		s = &session{}
		ss.m[a.key()] = s
	}
	return s
}

// scaled shortens a span of the service's time for a fake run faster.
func (ss *sessions) scaled(d time.Duration) time.Duration {
	if ss.scale > 1 {
		return time.Duration(float64(d) / ss.scale)
	}
	return d
}

// sessionAnswer is createSession's and refreshSession's output.
type sessionAnswer struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
	Active     *bool  `json:"active"`
	Status     string `json:"status"`
}

// token returns an access token for a that is good for a while: the one
// held, a refreshed one, or, when there is neither, one from a new sign-in.
func (ss *sessions) token(ctx context.Context, a account) (string, *session, error) {
	s := ss.get(a)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := ss.now()
	if s.access != "" && now.Before(s.accessIat.Add(time.Duration(float64(s.accessExp.Sub(s.accessIat))*refreshAt))) {
		return s.access, s, nil
	}
	if s.refresh != "" && now.Before(s.refreshExp) {
		err := ss.refreshLocked(ctx, a, s)
		if err == nil {
			return s.access, s, nil
		}
		if !isName(err, "ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing", "AccountTakedown") {
			// The service could not be asked: keep the refresh token for the next try.
			if s.access != "" && now.Before(s.accessExp) {
				return s.access, s, nil
			}
			return "", s, err
		}
		ss.log.Info("bluesky: the session could not be refreshed; signing in again", "handle", a.handle, "err", err)
		s.access, s.refresh = "", ""
	}
	if err := ss.loginLocked(ctx, a, s); err != nil {
		return "", s, err
	}
	return s.access, s, nil
}

// invalidate drops an access token the service refused (ExpiredToken), so
// that the next token call refreshes it.
func (ss *sessions) invalidate(a account, tok string) {
	s := ss.get(a)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.access == tok {
		s.access = ""
	}
}

func (ss *sessions) refreshLocked(ctx context.Context, a account, s *session) error {
	var out sessionAnswer
	_, err := ss.x.do(ctx, request{base: a.endpoint, nsid: "com.atproto.server.refreshSession", post: true, bearer: s.refresh}, &out)
	if err != nil {
		return err
	}
	return ss.keep(s, out)
}

func (ss *sessions) loginLocked(ctx context.Context, a account, s *session) error {
	now := ss.now()
	if now.Before(s.loginAfter) {
		if s.refused != nil {
			return s.refused
		}
		return &authError{Retry: s.loginAfter, Msg: fmt.Sprintf("signing in to %s again is held back until %s", a.endpoint, s.loginAfter.UTC().Format(time.RFC3339))}
	}
	pw := ""
	if a.secretEnv != "" {
		pw = ss.secret(a.secretEnv)
	}
	if strings.TrimSpace(pw) == "" {
		return &authError{Refused: true, Msg: fmt.Sprintf("the environment variable %s is empty or not set: put the account's app password in it (Bluesky: Settings → Privacy and security → App passwords)", orName(a.secretEnv))}
	}
	s.lastLogin = now
	s.loginAfter = now.Add(ss.scaled(loginGap))
	var out sessionAnswer
	_, err := ss.x.do(ctx, request{base: a.endpoint, nsid: "com.atproto.server.createSession", post: true,
		in: map[string]string{"identifier": a.handle, "password": pw}}, &out)
	if err != nil {
		var xe *xrpcError
		if errors.As(err, &xe) && (xe.Status == 401 || isName(err, "AccountTakedown", "AuthFactorTokenRequired")) {
			s.loginFails++
			back := loginBackoff << min(s.loginFails-1, 6)
			s.loginAfter = now.Add(ss.scaled(min(back, loginBackoffMax)))
			s.refused = &authError{Refused: true, Retry: s.loginAfter, Err: err,
				Msg: fmt.Sprintf("signing in as %s at %s was refused (%s: %s): check the app password in %s", a.handle, a.endpoint, xe.Name, xe.Message, a.secretEnv)}
			return s.refused
		}
		if errors.As(err, &xe) && xe.Status == 429 {
			s.loginAfter = later(s.loginAfter, xe.Reset)
			return &authError{Retry: s.loginAfter, Err: err, Msg: fmt.Sprintf("signing in as %s at %s: the service limits sign-ins (%s)", a.handle, a.endpoint, xe.Message)}
		}
		return &authError{Retry: s.loginAfter, Err: err, Msg: fmt.Sprintf("signing in as %s at %s: %v", a.handle, a.endpoint, err)}
	}
	if out.Active != nil && !*out.Active {
		return &authError{Refused: true, Msg: fmt.Sprintf("the account %s at %s is not active (%s)", a.handle, a.endpoint, orName(out.Status))}
	}
	s.loginFails, s.refused = 0, nil
	ss.log.Info("bluesky: signed in", "handle", out.Handle, "did", out.DID, "endpoint", a.endpoint)
	return ss.keep(s, out)
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func orName(s string) string {
	if s == "" {
		return "(none given)"
	}
	return s
}

// keep stores a session answer, reading the tokens' lifetimes from them.
func (ss *sessions) keep(s *session, out sessionAnswer) error {
	ac, err := readJWT(out.AccessJwt)
	if err != nil {
		return fmt.Errorf("the service's access token: %w", err)
	}
	rc, err := readJWT(out.RefreshJwt)
	if err != nil {
		return fmt.Errorf("the service's refresh token: %w", err)
	}
	s.access, s.refresh = out.AccessJwt, out.RefreshJwt
	s.accessIat, s.accessExp, s.refreshExp = ac.iat, ac.exp, rc.exp
	if s.accessIat.IsZero() || !s.accessIat.Before(s.accessExp) {
		s.accessIat = ss.now()
	}
	s.appPass = ac.scope == "com.atproto.appPass"
	s.did, s.handle = out.DID, out.Handle
	return nil
}

type jwtClaims struct {
	iat, exp time.Time
	scope    string
}

// readJWT reads a token's times and scope without checking its signature:
// the service checks it; herald only needs to know when to refresh.
func readJWT(tok string) (jwtClaims, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return jwtClaims{}, errors.New("not a JWT")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return jwtClaims{}, errors.New("not a JWT")
	}
	var p struct {
		Iat   int64  `json:"iat"`
		Exp   int64  `json:"exp"`
		Scope string `json:"scope"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Exp == 0 {
		return jwtClaims{}, errors.New("a JWT without exp")
	}
	c := jwtClaims{exp: time.Unix(p.Exp, 0), scope: p.Scope}
	if p.Iat > 0 {
		c.iat = time.Unix(p.Iat, 0)
	}
	return c, nil
}
