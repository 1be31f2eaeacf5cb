package blueskytest

import (
	"context"
	"encoding/json"
	"time"
)

// Call is one XRPC request the fake served, in its journal.
type Call struct {
	At     time.Time `json:"at"` // fake time
	Method string    `json:"method"`
	HTTP   string    `json:"http"`
	Status int       `json:"status"`          // 0: the connection was dropped
	Error  string    `json:"error,omitempty"` // the XRPC error name
}

// Stats counts what the fake served.
type Stats struct {
	Calls     map[string]int `json:"calls"`      // by NSID
	Sessions  int            `json:"sessions"`   // createSession that succeeded
	Refreshes int            `json:"refreshes"`  // refreshSession that succeeded
	Served429 int            `json:"served_429"` // RateLimitExceeded answers
	Limited   map[string]int `json:"limited"`    // 429s by the limit that gave them
	// Early counts calls refused because they came before the reset of a
	// 429 already served for the same limit: a client not honouring it.
	Early int `json:"early"`
}

// Calls returns the journal, oldest first; method filters by NSID when set.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Calls = map[string]int{}
	for k, v := range s.stats.Calls {
		st.Calls[k] = v
	}
	st.Limited = map[string]int{}
	for k, v := range s.stats.Limited {
		st.Limited[k] = v
	}
	return st
}

// WaitUntil waits until cond (called with no lock held) is true, re-checking
// whenever the fake's state changes, or until ctx ends.
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
			return ctx.Err()
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
