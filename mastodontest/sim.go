package mastodontest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Call is one API request in the journal.
type Call struct {
	Route          string    `json:"route"`
	Account        string    `json:"account,omitempty"` // the token's username; "" for none or an app token
	Status         int       `json:"status"`
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	At             time.Time `json:"at"`
}

// Stats counts what the fake did.
type Stats struct {
	Calls             int `json:"calls"`
	RateLimited       int `json:"rate_limited"`       // 429s served
	IdempotentRepeats int `json:"idempotent_repeats"` // repeats answered with the original status
	Faults            int `json:"faults"`             // calls a fault changed
}

func (s *Server) record(c *call, name string, status int) {
	if status < 0 {
		status = -status
	}
	entry := Call{Route: name, Status: status, IdempotencyKey: c.key, At: s.clock.now()}
	if c.acct != nil {
		entry.Account = c.acct.Username
	}
	s.calls = append(s.calls, entry)
	s.stats.Calls++
}

// Calls returns the journal of API requests, oldest first; route filters it
// ("POST /api/v1/statuses"; "" for all).
func (s *Server) Calls(route string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if route == "" || strings.EqualFold(c.Route, route) {
			out = append(out, c)
		}
	}
	return out
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// SimRoutes lists the simulation routes with an example body each, as
// "herald fake-mastodon --help" prints them.
const SimRoutes = `  POST /fake/accounts  {"username":"reader","token":"reader-token","display_name":"A Reader","scopes":"read write"}
                       makes an account; with "token", a user token of it
  POST /fake/statuses  {"username":"reader","status":"@herald well put","in_reply_to_id":"1","language":"en"}
                       the account posts (a reader replying to herald's status)
  POST /fake/faults    {"route":"POST /api/v1/statuses","status":502,"count":1}
                       also "delay_ms":N, "drop_after_store":true, "status_after_store":502,
                       "retry_after":N, "account":"herald"
  POST /fake/instance  {"max_characters":500}
  POST /fake/codes     {"client_id":"...","username":"herald","scope":"read write"}
                       an authorization code, for grant_type=authorization_code
  POST /fake/revoke    {"token":"reader-token"}
  GET  /fake/statuses?account=NAME   GET /fake/notifications?account=NAME   GET /fake/media
  GET  /fake/calls?route=POST+/api/v1/statuses   GET /fake/stats   GET|DELETE /fake/faults
`

func (s *Server) routeSim(mux *http.ServeMux) {
	mux.HandleFunc("POST /fake/accounts", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Username    string `json:"username"`
			Token       string `json:"token"`
			DisplayName string `json:"display_name"`
			Scopes      string `json:"scopes"`
		}
		if !decode(w, r, &in) {
			return
		}
		a, err := s.AddAccount(in.Username, in.Token, strings.Fields(in.Scopes)...)
		if err != nil {
			simError(w, http.StatusBadRequest, err)
			return
		}
		if in.DisplayName != "" {
			s.mu.Lock()
			s.accounts[a.ID].DisplayName = in.DisplayName
			s.mu.Unlock()
			a.DisplayName = in.DisplayName
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": a.ID, "username": a.Username, "acct": a.Username,
			"display_name": a.DisplayName, "token": in.Token, "access_token": in.Token}, nil)
	})
	mux.HandleFunc("POST /fake/statuses", func(w http.ResponseWriter, r *http.Request) {
		var in PostInput
		if !decode(w, r, &in) {
			return
		}
		st, err := s.Post(in)
		if err != nil {
			simError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusOK, st, nil)
	})
	mux.HandleFunc("POST /fake/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if !decode(w, r, &f) {
			return
		}
		if err := s.InjectFault(f); err != nil {
			simError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusOK, s.Faults(), nil)
	})
	mux.HandleFunc("GET /fake/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Faults(), nil) })
	mux.HandleFunc("DELETE /fake/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		writeJSON(w, http.StatusOK, []Fault{}, nil)
	})
	mux.HandleFunc("POST /fake/instance", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			MaxCharacters int `json:"max_characters"`
		}
		if !decode(w, r, &in) {
			return
		}
		if in.MaxCharacters <= 0 {
			simError(w, http.StatusBadRequest, fmt.Errorf("max_characters must be a positive number, such as 500"))
			return
		}
		s.SetMaxCharacters(in.MaxCharacters)
		writeJSON(w, http.StatusOK, map[string]int{"max_characters": in.MaxCharacters}, nil)
	})
	mux.HandleFunc("POST /fake/codes", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			ClientID string `json:"client_id"`
			Username string `json:"username"`
			Scope    string `json:"scope"`
		}
		if !decode(w, r, &in) {
			return
		}
		code, err := s.AuthorizationCode(in.ClientID, in.Username, in.Scope)
		if err != nil {
			simError(w, http.StatusBadRequest, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"code": code}, nil)
	})
	mux.HandleFunc("POST /fake/revoke", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Token string `json:"token"`
		}
		if !decode(w, r, &in) {
			return
		}
		if !s.Revoke(in.Token) {
			simError(w, http.StatusNotFound, fmt.Errorf("no such token"))
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"revoked": true}, nil)
	})
	mux.HandleFunc("GET /fake/statuses", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, orEmpty(s.Statuses(r.URL.Query().Get("account"))), nil)
	})
	mux.HandleFunc("GET /fake/notifications", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, orEmpty(s.Notifications(r.URL.Query().Get("account"))), nil)
	})
	mux.HandleFunc("GET /fake/media", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, orEmpty(s.MediaList()), nil) })
	mux.HandleFunc("GET /fake/calls", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, orEmpty(s.Calls(r.URL.Query().Get("route"))), nil)
	})
	mux.HandleFunc("GET /fake/stats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Stats(), nil) })
	mux.HandleFunc("/fake/", func(w http.ResponseWriter, r *http.Request) {
		simError(w, http.StatusNotFound, fmt.Errorf("no simulation route %s %s", r.Method, r.URL.Path))
	})
}

// AuthorizationCode makes the code the user with that username would get
// by approving the app in the browser (Mastodon's /oauth/authorize).
func (s *Server) AuthorizationCode(clientID, username, scope string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[clientID]
	if a == nil {
		return "", fmt.Errorf("mastodontest: no app with client_id %q", clientID)
	}
	acc := s.accountByName(username)
	if acc == nil {
		return "", fmt.Errorf("mastodontest: no account %q", username)
	}
	scopes, okS := parseScopes(scope)
	if !okS || !within(scopes, a.scopes) {
		return "", fmt.Errorf("mastodontest: scope %q is not within the app's %q", scope, a.scopes)
	}
	code := secret(16)
	s.codes[code] = &token{appID: clientID, accountID: acc.ID, scopes: scopes}
	return code, nil
}

func orEmpty[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		simError(w, http.StatusBadRequest, fmt.Errorf("bad JSON body: %v", err))
		return false
	}
	return true
}

func simError(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()}, nil)
}
