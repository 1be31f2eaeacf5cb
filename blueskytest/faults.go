package blueskytest

import (
	"fmt"
	"strings"
	"time"
)

// Fault is trouble to inject into the next calls of an XRPC method. It is
// also the body of POST /fake/faults. A fault applies to Count calls (1 when
// 0) that match Method (an NSID, any case; "" matches every method) and,
// when Repo is set, calls whose repo (input or parameter) is that DID or
// handle. The first matching fault is used, then the next.
type Fault struct {
	Method string `json:"method,omitempty"`
	Repo   string `json:"repo,omitempty"`
	Count  int    `json:"count,omitempty"`
	// Status answers with this HTTP error in XRPC's JSON (500
	// InternalServerError, 502 UpstreamFailure, 503 NotEnoughResources ...)
	// and does nothing else.
	Status  int    `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
	// DelayMS holds the call this many real milliseconds before carrying it
	// out (a stall); it is carried out even when the client has given up.
	DelayMS int `json:"delay_ms,omitempty"`
	// DropAfterStore carries the call out (the record is in the repo) and
	// then closes the connection without an answer: the ambiguous case.
	DropAfterStore bool `json:"drop_after_store,omitempty"`
	// RetryAfter answers 429 RateLimitExceeded, with RateLimit-Reset this
	// many fake seconds ahead, and nothing else.
	RetryAfter int `json:"retry_after,omitempty"`
	// StatusAfterStore carries the call out and then answers this 5xx
	// (500, 502 or 504), as a proxy that lost the PDS's answer does.
	StatusAfterStore int `json:"status_after_store,omitempty"`
}

// InjectFault queues a fault. It fails when the fault would do nothing or a
// status is not an error status.
func (s *Server) InjectFault(f Fault) error {
	if f.Status == 0 && f.DelayMS == 0 && !f.DropAfterStore && f.RetryAfter == 0 && f.StatusAfterStore == 0 {
		return fmt.Errorf("blueskytest: fault: give status, delay_ms, drop_after_store, status_after_store or retry_after")
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("blueskytest: fault: status %d is not an HTTP error status", f.Status)
	}
	switch f.StatusAfterStore {
	case 0, 500, 502, 504:
	default:
		return fmt.Errorf("blueskytest: fault: status_after_store %d: want 500, 502 or 504", f.StatusAfterStore)
	}
	if (f.StatusAfterStore != 0 || f.DropAfterStore) && (f.Status != 0 || f.RetryAfter != 0) {
		return fmt.Errorf("blueskytest: fault: drop_after_store and status_after_store go with delay_ms only")
	}
	if f.Method != "" {
		if _, ok := methods[f.Method]; !ok {
			return fmt.Errorf("blueskytest: fault: no method %q (give an NSID such as com.atproto.repo.createRecord)", f.Method)
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

// takeFault uses up one call of the first fault that matches c.
func (s *Server) takeFault(c *call) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, c.nsid) {
			continue
		}
		if f.Repo != "" {
			a := s.findLocked(f.Repo)
			r := s.findLocked(c.repo())
			if a == nil || r != a {
				continue
			}
		}
		taken := *f
		f.Count--
		if f.Count <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return &taken
	}
	return nil
}

// repo is the repo a call names, in its parameters or its JSON input.
func (c *call) repo() string {
	if r := c.param("repo"); r != "" {
		return r
	}
	var in struct {
		Repo string `json:"repo"`
	}
	_ = jsonUnmarshal(c.body, &in) // not JSON: no repo named
	return in.Repo
}

// faultLimit answers a RetryAfter fault: 429 with the headers of a limit
// that resets RetryAfter fake seconds from now. The caller's account writes
// nothing more until then, as when its points are spent.
func (s *Server) faultLimit(c *call, f *Fault) *xrpcError {
	cl, _ := s.auth(c, "") // an unsigned call blocks no account
	s.mu.Lock()
	defer s.mu.Unlock()
	until := s.clock.now().Add(time.Duration(f.RetryAfter) * time.Second)
	if cl.did != "" {
		s.blocked[cl.did] = until
	}
	s.stats.Served429++
	s.stats.Limited["fault"]++
	return limitError(c, WritePointsHour, 0, s.clock.client(until), writeHour)
}
