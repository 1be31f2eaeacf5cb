package mastodontest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Account is a local account as the simulation face shows it.
type Account struct {
	ID          string `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Email       string `json:"email,omitempty"`
}

type account struct {
	Account
	password  string
	locale    string
	created   time.Time
	suspended bool
}

type app struct {
	id, name, website, clientID, clientSecret string
	redirectURIs                              []string
	scopes                                    []string
}

type token struct {
	value     string
	appID     string // client_id; "" for tokens the simulation made
	accountID string // "" for an app (client_credentials) token
	scopes    []string
	created   time.Time
	revoked   bool
}

// allows reports whether the token holds one of want: the scope itself or
// its parent ("write" covers "write:statuses"), as Doorkeeper's scopes do.
func (t *token) allows(want ...string) bool {
	for _, w := range want {
		parent, _, _ := strings.Cut(w, ":")
		for _, have := range t.scopes {
			if have == w || have == parent {
				return true
			}
		}
	}
	return false
}

// knownScopes are the scopes Mastodon 4 accepts.
var knownScopes = []string{"read", "write", "follow", "push", "profile", "admin:read", "admin:write",
	"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows",
	"read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
	"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
	"write:filters", "write:follows", "write:lists", "write:media", "write:mutes",
	"write:notifications", "write:reports", "write:statuses"}

func parseScopes(s string) ([]string, bool) {
	f := strings.Fields(strings.ReplaceAll(s, "+", " "))
	if len(f) == 0 {
		return []string{"read"}, true // Mastodon's default scope
	}
	for _, sc := range f {
		if !slices.Contains(knownScopes, sc) {
			return nil, false
		}
	}
	return f, true
}

// within reports whether every scope of want is granted by have.
func within(want, have []string) bool {
	t := &token{scopes: have}
	for _, w := range want {
		if !t.allows(w) {
			return false
		}
	}
	return true
}

func secret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,30}$`)

// AddAccount creates a local account; token, when not empty, becomes a user
// token of it with scopes (all of read, write, follow and push when none).
// It fails when the username is taken or malformed or the token is in use.
func (s *Server) AddAccount(username, tok string, scopes ...string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.addAccount(username, "", "", "")
	if err != nil {
		return Account{}, err
	}
	if tok != "" {
		if _, taken := s.tokens[tok]; taken {
			return Account{}, fmt.Errorf("mastodontest: token already in use")
		}
		if len(scopes) == 0 {
			scopes = []string{"read", "write", "follow", "push"}
		}
		if _, okS := parseScopes(strings.Join(scopes, " ")); !okS {
			return Account{}, fmt.Errorf("mastodontest: unknown scope in %q", scopes)
		}
		s.tokens[tok] = &token{value: tok, accountID: a.ID, scopes: scopes, created: s.clock.now()}
	}
	s.notify()
	return a.Account, nil
}

// MustAccount is AddAccount for tests: it panics on error.
func (s *Server) MustAccount(username, tok string, scopes ...string) Account {
	a, err := s.AddAccount(username, tok, scopes...)
	if err != nil {
		panic(err)
	}
	return a
}

func (s *Server) addAccount(username, email, password, locale string) (*account, error) {
	if !usernameRE.MatchString(username) {
		return nil, fmt.Errorf("mastodontest: username %q: want letters, digits and _, at most 30", username)
	}
	for _, a := range s.accounts {
		if strings.EqualFold(a.Username, username) {
			return nil, fmt.Errorf("mastodontest: username %q is already taken", username)
		}
	}
	a := &account{Account: Account{ID: s.newID(), Username: username, DisplayName: username, Email: email},
		password: password, locale: locale, created: s.clock.now()}
	s.accounts[a.ID] = a
	return a, nil
}

// Revoke revokes a token, as the user does under Preferences → Authorized
// apps: later requests with it get 401 "The access token was revoked".
func (s *Server) Revoke(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.tokens[tok]
	if t == nil {
		return false
	}
	t.revoked = true
	s.notify()
	return true
}

func (s *Server) accountByName(name string) *account {
	name = strings.TrimPrefix(name, "@")
	name, _, _ = strings.Cut(name, "@")
	for _, a := range s.accounts {
		if strings.EqualFold(a.Username, name) {
			return a
		}
	}
	return nil
}

// accountJSON renders an account as the REST API's Account entity.
func (s *Server) accountJSON(a *account) map[string]any {
	n := 0
	var last any
	for _, id := range s.order {
		if st := s.statuses[id]; st.accountID == a.ID && !st.deleted {
			n++
			last = st.created.Format("2006-01-02")
		}
	}
	avatar := s.url + "/avatars/original/missing.png"
	return map[string]any{
		"id": a.ID, "username": a.Username, "acct": a.Username, "display_name": a.DisplayName,
		"locked": false, "bot": false, "discoverable": true, "group": false, "indexable": true,
		"created_at": a.created.Truncate(24 * time.Hour).Format("2006-01-02T15:04:05.000Z"),
		"note":       "", "url": s.url + "/@" + a.Username, "uri": s.url + "/users/" + a.Username,
		"avatar": avatar, "avatar_static": avatar, "header": s.url + "/headers/original/missing.png",
		"header_static": s.url + "/headers/original/missing.png", "followers_count": 0,
		"following_count": 0, "statuses_count": n, "last_status_at": last,
		"emojis": []any{}, "fields": []any{},
	}
}

func (c *call) appsCreate() reply {
	name := strings.TrimSpace(c.p.get("client_name"))
	redirects := c.p.list("redirect_uris")
	if len(redirects) == 1 {
		redirects = strings.Fields(redirects[0])
	}
	if name == "" {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Application name can't be blank")
	}
	if len(redirects) == 0 {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Redirect URI can't be blank")
	}
	scopes, okS := parseScopes(c.p.get("scopes"))
	if !okS {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Scopes must only contain valid scopes")
	}
	a := &app{id: c.s.newID(), name: name, website: c.p.get("website"), clientID: secret(16),
		clientSecret: secret(16), redirectURIs: redirects, scopes: scopes}
	c.s.apps[a.clientID] = a
	c.stored = true
	out := c.s.appJSON(a)
	out["client_id"], out["client_secret"], out["client_secret_expires_at"] = a.clientID, a.clientSecret, 0
	out["vapid_key"] = "BFakeVapidKeyOfTheMastodonTestServer="
	return ok(out)
}

func (s *Server) appJSON(a *app) map[string]any {
	var website any
	if a.website != "" {
		website = a.website
	}
	return map[string]any{"id": a.id, "name": a.name, "website": website, "scopes": a.scopes,
		"redirect_uri": strings.Join(a.redirectURIs, "\n"), "redirect_uris": a.redirectURIs}
}

func (c *call) appsVerify() reply {
	a := c.s.apps[c.tok.appID]
	if a == nil { // a token the simulation made belongs to no registered app
		return ok(map[string]any{"id": "1", "name": "Web", "website": nil, "scopes": c.tok.scopes,
			"redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "redirect_uris": []string{"urn:ietf:wg:oauth:2.0:oob"}})
	}
	out := c.s.appJSON(a)
	out["scopes"] = c.tok.scopes
	return ok(out)
}

func oauthError(code int, kind, desc string) reply {
	return reply{status: code, body: map[string]string{"error": kind, "error_description": desc}}
}

func (c *call) oauthToken() reply {
	a := c.s.apps[c.p.get("client_id")]
	if a == nil || a.clientSecret != c.p.get("client_secret") {
		return oauthError(http.StatusUnauthorized, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")
	}
	want := a.scopes
	if c.p.has("scope") {
		var okS bool
		want, okS = parseScopes(c.p.get("scope"))
		if !okS || !within(want, a.scopes) {
			return oauthError(http.StatusBadRequest, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
		}
	}
	invalidGrant := oauthError(http.StatusBadRequest, "invalid_grant", "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")
	var accountID string
	switch c.p.get("grant_type") {
	case "client_credentials":
	case "password":
		var found *account
		for _, acc := range c.s.accounts {
			if strings.EqualFold(acc.Email, c.p.get("username")) || strings.EqualFold(acc.Username, c.p.get("username")) {
				found = acc
			}
		}
		if found == nil || found.password == "" || found.password != c.p.get("password") {
			return invalidGrant
		}
		accountID = found.ID
	case "authorization_code":
		code := c.s.codes[c.p.get("code")]
		if code == nil || code.appID != a.clientID {
			return invalidGrant
		}
		delete(c.s.codes, c.p.get("code"))
		accountID = code.accountID
		if !c.p.has("scope") {
			want = code.scopes
		}
	case "":
		return oauthError(http.StatusBadRequest, "invalid_request", "Missing required parameter: grant_type.")
	default:
		return oauthError(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
	}
	t := &token{value: secret(22)[:43], appID: a.clientID, accountID: accountID, scopes: want, created: c.s.clock.now()}
	c.s.tokens[t.value] = t
	c.stored = true
	return ok(tokenJSON(t))
}

func tokenJSON(t *token) map[string]any {
	return map[string]any{"access_token": t.value, "token_type": "Bearer",
		"scope": strings.Join(t.scopes, " "), "created_at": t.created.Unix()}
}

func (c *call) oauthRevoke() reply {
	a := c.s.apps[c.p.get("client_id")]
	if a == nil || a.clientSecret != c.p.get("client_secret") {
		return oauthError(http.StatusForbidden, "unauthorized_client", "You are not authorized to revoke this token")
	}
	if t := c.s.tokens[c.p.get("token")]; t != nil && t.appID == a.clientID {
		t.revoked = true
		c.stored = true
	}
	return ok(map[string]any{})
}

// accountsCreate is sign-up through the API: an app token makes an account
// and answers a user token with the app token's scopes.
func (c *call) accountsCreate() reply {
	if c.acct != nil {
		return fail(http.StatusForbidden, "This method requires an authenticated application")
	}
	username, email, pw := c.p.get("username"), c.p.get("email"), c.p.get("password")
	var problems []string
	switch {
	case username == "":
		problems = append(problems, "Username can't be blank")
	case !usernameRE.MatchString(username):
		problems = append(problems, "Username must contain only letters, numbers and underscores")
	case c.s.accountByName(username) != nil:
		problems = append(problems, "Username has already been taken")
	}
	if !strings.Contains(email, "@") {
		problems = append(problems, "Email is invalid")
	}
	if len(pw) < 8 {
		problems = append(problems, "Password is too short (minimum is 8 characters)")
	}
	if !c.p.boolean("agreement") {
		problems = append(problems, "Agreement must be accepted")
	}
	if len(problems) > 0 {
		return fail(http.StatusUnprocessableEntity, "Validation failed: "+strings.Join(problems, ", "))
	}
	a, err := c.s.addAccount(username, email, pw, c.p.get("locale"))
	if err != nil {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Username has already been taken")
	}
	t := &token{value: secret(22)[:43], appID: c.tok.appID, accountID: a.ID, scopes: c.tok.scopes, created: c.s.clock.now()}
	c.s.tokens[t.value] = t
	c.stored = true
	return ok(tokenJSON(t))
}

func (c *call) verifyCredentials() reply {
	out := c.s.accountJSON(c.acct)
	out["source"] = map[string]any{"privacy": "public", "sensitive": false, "language": c.acct.locale,
		"note": "", "fields": []any{}, "follow_requests_count": 0}
	out["role"] = map[string]any{"id": "-99", "name": "", "permissions": "0", "color": "", "highlighted": false}
	return ok(out)
}

func (c *call) accountShow() reply {
	a := c.s.accounts[c.ids[0]]
	if a == nil {
		return fail(http.StatusNotFound, "Record not found")
	}
	return ok(c.s.accountJSON(a))
}
