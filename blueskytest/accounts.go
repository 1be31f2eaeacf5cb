package blueskytest

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Domain is the handle suffix the fake offers (describeServer's
// availableUserDomains): accounts are named like reader.test.
const Domain = ".test"

// Token lifetimes, as the reference PDS issues them, in fake time.
const (
	AccessLifetime  = 2 * time.Hour
	RefreshLifetime = 90 * 24 * time.Hour
	// RefreshGrace is how long a refresh token still works after it was
	// rotated, so that a client that lost the answer may repeat the call.
	RefreshGrace = 2 * time.Hour
)

// Account is a user of the fake PDS.
type Account struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	Email       string `json:"email,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

type account struct {
	Account
	password     string
	appPasswords []*appPassword
	takendown    bool
	seenAt       time.Time
	created      time.Time
}

type appPassword struct {
	Name       string `json:"name"`
	password   string
	CreatedAt  string `json:"createdAt"`
	Privileged bool   `json:"privileged"`
}

// refreshToken is the server's record of a refresh JWT (by its jti).
type refreshToken struct {
	did      string
	appPass  string // the app password's name, "" for the account password
	expires  time.Time
	rotated  time.Time // when refreshSession replaced it; zero while current
	revoked  bool
	replaced string // the jti that replaced it
}

var handleRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$`)

// AddAccount creates an account (handle under Domain, or a full handle
// ending in it; the password as given) and returns it. It fails on a handle
// taken or malformed, as createAccount does.
func (s *Server) AddAccount(handle, password string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.addAccountLocked(handle, "", password)
	if err != nil {
		return Account{}, err
	}
	return a.Account, nil
}

func (s *Server) addAccountLocked(handle, email, password string) (*account, *xrpcError) {
	handle = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(handle), "@"))
	if !strings.Contains(handle, ".") {
		handle += Domain
	}
	if !handleRE.MatchString(handle) || len(handle) > 253 {
		return nil, invalidRequest("InvalidHandle", "Input/handle must be a valid handle")
	}
	if !strings.HasSuffix(handle, Domain) {
		return nil, invalidRequest("UnsupportedDomain", "Not a supported handle domain")
	}
	if front := strings.TrimSuffix(handle, Domain); len(front) < 3 || len(front) > 18 || strings.Contains(front, ".") {
		return nil, invalidRequest("InvalidHandle", "Handle too short or too long")
	}
	if password == "" {
		return nil, invalidRequest("", "Password is required")
	}
	if s.findLocked(handle) != nil {
		return nil, invalidRequest("HandleNotAvailable", "Handle already taken: %s", handle)
	}
	if email != "" && s.findLocked(email) != nil {
		return nil, invalidRequest("InvalidEmail", "Email already taken: %s", email)
	}
	s.seq++
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", handle, s.seq)))
	did := "did:plc:" + strings.ToLower(base32.StdEncoding.EncodeToString(sum[:]))[:24]
	a := &account{Account: Account{DID: did, Handle: handle, Email: email}, password: password, created: s.clock.now()}
	s.accounts = append(s.accounts, a)
	s.repos[did] = newRepo(did)
	s.touchLocked()
	return a, nil
}

// findLocked finds an account by handle, email or DID (any case).
func (s *Server) findLocked(id string) *account {
	id = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(id), "@"))
	for _, a := range s.accounts {
		if a.DID == id || a.Handle == id || (a.Email != "" && strings.ToLower(a.Email) == id) {
			return a
		}
	}
	return nil
}

// Account returns the account by handle, email or DID.
func (s *Server) Account(id string) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(id)
	if a == nil {
		return Account{}, false
	}
	return a.Account, true
}

// RevokeAppPasswords revokes every app password of the account and the
// sessions made with them, as deleting them in Settings does.
func (s *Server) RevokeAppPasswords(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(id)
	if a == nil {
		return fmt.Errorf("blueskytest: no account %q", id)
	}
	a.appPasswords = nil
	for _, r := range s.refresh {
		if r.did == a.DID && r.appPass != "" {
			r.revoked = true
		}
	}
	s.touchLocked()
	return nil
}

// SetTakendown takes an account down (or restores it): its sign-ins answer
// AccountTakedown.
func (s *Server) SetTakendown(id string, down bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(id)
	if a == nil {
		return fmt.Errorf("blueskytest: no account %q", id)
	}
	a.takendown = down
	s.touchLocked()
	return nil
}

// describeServer answers com.atproto.server.describeServer.
func (s *Server) describeServer(*call) (any, *xrpcError) {
	return map[string]any{
		"did":                       s.serverDID(),
		"availableUserDomains":      []string{Domain},
		"inviteCodeRequired":        false,
		"phoneVerificationRequired": false,
		"links":                     map[string]string{},
		"contact":                   map[string]string{},
	}, nil
}

func (s *Server) createAccount(c *call) (any, *xrpcError) {
	var in struct {
		Handle   string `json:"handle"`
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	if in.Handle == "" {
		return nil, invalidRequest("", `Input must have the property "handle"`)
	}
	if in.Email == "" {
		return nil, invalidRequest("", "Email is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e := s.addAccountLocked(in.Handle, in.Email, in.Password)
	if e != nil {
		return nil, e
	}
	return s.sessionLocked(a, "", nil), nil
}

func (s *Server) createSession(c *call) (any, *xrpcError) {
	var in struct {
		Identifier string `json:"identifier"`
		Password   string `json:"password"`
	}
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	if in.Identifier == "" || in.Password == "" {
		return nil, invalidRequest("", `Input must have the properties "identifier" and "password"`)
	}
	if e := s.consume(c, "createSession", strings.ToLower(in.Identifier), 1,
		limit{"createSession-5m", 5 * time.Minute, 30}, limit{"createSession-day", 24 * time.Hour, 300}); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(in.Identifier)
	if a == nil {
		return nil, authRequired("", "Invalid identifier or password")
	}
	appPass := ""
	if in.Password != a.password {
		var found *appPassword
		for _, p := range a.appPasswords {
			if p.password == in.Password {
				found = p
			}
		}
		if found == nil {
			return nil, authRequired("", "Invalid identifier or password")
		}
		appPass = found.Name
	}
	if a.takendown {
		return nil, authRequired("AccountTakedown", "Account has been taken down")
	}
	s.stats.Sessions++
	return s.sessionLocked(a, appPass, nil), nil
}

// sessionLocked issues a pair of tokens; old, when set, is the refresh
// token being rotated.
func (s *Server) sessionLocked(a *account, appPass string, old *refreshToken) map[string]any {
	now := s.clock.now()
	scope := "com.atproto.access"
	if appPass != "" {
		scope = "com.atproto.appPass"
	}
	s.seq++
	jti := fmt.Sprintf("r%d-%x", s.seq, sha256.Sum256([]byte(fmt.Sprint(now.UnixNano(), s.seq))))[:20]
	rt := &refreshToken{did: a.DID, appPass: appPass, expires: now.Add(RefreshLifetime)}
	if old != nil {
		rt.expires = old.expires // a rotated token keeps the session's end
	}
	s.refresh[jti] = rt
	access := s.sign("at+jwt", map[string]any{"scope": scope, "sub": a.DID, "aud": s.serverDID(),
		"iat": s.clock.client(now).Unix(), "exp": s.clock.client(now.Add(AccessLifetime)).Unix()})
	refresh := s.sign("refresh+jwt", map[string]any{"scope": "com.atproto.refresh", "sub": a.DID, "aud": s.serverDID(),
		"jti": jti, "iat": s.clock.client(now).Unix(), "exp": s.clock.client(rt.expires).Unix()})
	s.touchLocked()
	return map[string]any{
		"accessJwt": access, "refreshJwt": refresh, "handle": a.Handle, "did": a.DID,
		"email": a.Email, "emailConfirmed": true, "active": true,
	}
}

func (s *Server) refreshSession(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "com.atproto.refresh")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.refresh[cl.jti]
	now := s.clock.now()
	if rt == nil || rt.revoked || (!rt.rotated.IsZero() && now.Sub(rt.rotated) > RefreshGrace) {
		return nil, invalidRequest("ExpiredToken", "Token has been revoked")
	}
	a := s.findLocked(rt.did)
	if a == nil {
		return nil, invalidRequest("", "Could not find user info for account: %s", rt.did)
	}
	if a.takendown {
		return nil, authRequired("AccountTakedown", "Account has been taken down")
	}
	if rt.rotated.IsZero() {
		rt.rotated = now
	}
	s.stats.Refreshes++
	return s.sessionLocked(a, rt.appPass, rt), nil
}

func (s *Server) getSession(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(cl.did)
	if a == nil {
		return nil, invalidRequest("", "Could not find user info for account: %s", cl.did)
	}
	return map[string]any{"handle": a.Handle, "did": a.DID, "email": a.Email, "emailConfirmed": true, "active": true}, nil
}

func (s *Server) deleteSession(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "com.atproto.refresh")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt := s.refresh[cl.jti]; rt != nil {
		rt.revoked = true
	}
	s.touchLocked()
	return nil, nil
}

var appPasswordAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

func (s *Server) createAppPassword(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "com.atproto.access") // an app password cannot make another
	if e != nil {
		return nil, e
	}
	var in struct {
		Name       string `json:"name"`
		Privileged bool   `json:"privileged"`
	}
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, invalidRequest("", `Input must have the property "name"`)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(cl.did)
	for _, p := range a.appPasswords {
		if p.Name == in.Name {
			return nil, invalidRequest("DuplicateName", "A app password with this name already exists.")
		}
	}
	var b strings.Builder
	raw := randomBytes(16)
	for i, x := range raw {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(appPasswordAlphabet[int(x)%len(appPasswordAlphabet)])
	}
	p := &appPassword{Name: in.Name, password: b.String(), CreatedAt: s.clock.now().UTC().Format(time.RFC3339Nano), Privileged: in.Privileged}
	a.appPasswords = append(a.appPasswords, p)
	s.touchLocked()
	return map[string]any{"name": p.Name, "password": p.password, "createdAt": p.CreatedAt, "privileged": p.Privileged}, nil
}

func (s *Server) listAppPasswords(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(cl.did)
	out := []*appPassword{}
	out = append(out, a.appPasswords...)
	return map[string]any{"passwords": out}, nil
}

func (s *Server) revokeAppPassword(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "com.atproto.access")
	if e != nil {
		return nil, e
	}
	var in struct {
		Name string `json:"name"`
	}
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(cl.did)
	kept := a.appPasswords[:0]
	for _, p := range a.appPasswords {
		if p.Name != in.Name {
			kept = append(kept, p)
		}
	}
	a.appPasswords = kept
	for _, r := range s.refresh {
		if r.did == a.DID && r.appPass == in.Name {
			r.revoked = true
		}
	}
	s.touchLocked()
	return nil, nil
}
