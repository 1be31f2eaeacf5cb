package mastodontest

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Fault is trouble to inject into the next calls of a route. It is also the
// body of POST /fake/faults. A fault applies to Count calls (1 when 0) whose
// route matches Route ("POST /api/v1/statuses", "PUT /api/v1/statuses/:id";
// any case; "" matches every route) and, when Account is set, whose token
// is that username's. The first matching fault is used, then the next.
type Fault struct {
	Route   string `json:"route,omitempty"`
	Account string `json:"account,omitempty"`
	Count   int    `json:"count,omitempty"`
	// Status answers with this HTTP error and does nothing else: Rails' JSON
	// {"error":...} for 500, nginx's page for 502, 503 and 504.
	Status int `json:"status,omitempty"`
	// DelayMS holds the call this many real milliseconds before carrying it
	// out; it is carried out even when the client has given up by then.
	DelayMS int `json:"delay_ms,omitempty"`
	// DropAfterStore carries the call out (the status is stored) and then
	// closes the connection without an answer: the ambiguous case.
	DropAfterStore bool `json:"drop_after_store,omitempty"`
	// StatusAfterStore carries the call out and then answers this 5xx.
	StatusAfterStore int `json:"status_after_store,omitempty"`
	// RetryAfter answers 429 {"error":"Too many requests"} with
	// X-RateLimit-Reset this many fake seconds ahead.
	RetryAfter int `json:"retry_after,omitempty"`
}

// InjectFault queues a fault. It fails when the fault would do nothing or
// names a status that is not an HTTP error.
func (s *Server) InjectFault(f Fault) error {
	if f.Status == 0 && f.DelayMS == 0 && !f.DropAfterStore && f.RetryAfter == 0 && f.StatusAfterStore == 0 {
		return fmt.Errorf("mastodontest: fault: give status, delay_ms, drop_after_store, status_after_store or retry_after")
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("mastodontest: fault: status %d is not an HTTP error status", f.Status)
	}
	if f.StatusAfterStore != 0 && (f.StatusAfterStore < 500 || f.StatusAfterStore > 599) {
		return fmt.Errorf("mastodontest: fault: status_after_store %d: want a 5xx", f.StatusAfterStore)
	}
	if n := boolInt(f.Status != 0) + boolInt(f.DropAfterStore) + boolInt(f.StatusAfterStore != 0) + boolInt(f.RetryAfter != 0); n > 1 {
		return fmt.Errorf("mastodontest: fault: status, drop_after_store, status_after_store and retry_after exclude each other")
	}
	if f.Route != "" {
		m, p, okr := strings.Cut(f.Route, " ")
		found := false
		for _, rt := range s.routes {
			if okr && strings.EqualFold(rt.method, m) && strings.EqualFold(rt.pattern, p) {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("mastodontest: fault: route %q: want a method and a route such as \"POST /api/v1/statuses\"", f.Route)
		}
	}
	if f.Count <= 0 {
		f.Count = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Faults returns the faults still waiting to be used.
func (s *Server) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		out = append(out, *f)
	}
	return out
}

// ClearFaults drops every fault still waiting.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault uses up one call of the first fault matching; s.mu is held.
func (s *Server) takeFault(name string, a *account) *Fault {
	for i, f := range s.faults {
		if f.Route != "" && !strings.EqualFold(f.Route, name) {
			continue
		}
		if f.Account != "" && (a == nil || !strings.EqualFold(a.Username, f.Account)) {
			continue
		}
		f.Count--
		if f.Count <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		s.stats.Faults++
		cp := *f
		return &cp
	}
	return nil
}

// answer is what a fault that stores nothing answers.
func (f *Fault) answer(now time.Time) reply {
	if f.RetryAfter != 0 {
		r := fail(http.StatusTooManyRequests, "Too many requests")
		r.header = rateHeaders(300, 0, now.Add(time.Duration(f.RetryAfter)*time.Second))
		return r
	}
	if f.Status >= 500 && f.Status != http.StatusInternalServerError {
		return reply{status: -f.Status} // nginx's page, written by serveAPI
	}
	if f.Status == http.StatusInternalServerError {
		return fail(f.Status, "We're sorry, but something went wrong on our end.")
	}
	return fail(f.Status, http.StatusText(f.Status))
}
