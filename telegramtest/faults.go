package telegramtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Fault is trouble to inject into the next calls of a method. It is also
// the body of POST /fake/faults. A fault applies to Count calls (1 when 0)
// that match Method (any case; "" matches every method) and, when ChatID is
// set, that chat. The first matching fault is used, then the next.
type Fault struct {
	Method string `json:"method,omitempty"`
	ChatID int64  `json:"chat_id,omitempty"`
	Count  int    `json:"count,omitempty"`
	// Status answers with this HTTP error (say 502) and does nothing else.
	Status      int    `json:"status,omitempty"`
	Description string `json:"description,omitempty"`
	// DelayMS holds the call this many real milliseconds before carrying it
	// out; it is carried out even when the client has given up by then.
	DelayMS int `json:"delay_ms,omitempty"`
	// DropAfterStore carries the call out (the message is stored) and then
	// closes the connection without a response: the ambiguous case.
	DropAfterStore bool `json:"drop_after_store,omitempty"`
	// RetryAfter answers 429 Too Many Requests with this retry_after.
	RetryAfter int `json:"retry_after,omitempty"`
	// StatusAfterStore carries the call out (the message is stored, the
	// readers see it) and then answers with this HTTP error: 502 or 504 as
	// a proxy in front of a self-hosted Bot API server answers when it lost
	// the server's answer (nginx's HTML page, not the Bot API's JSON), or
	// 500 as telegram-bot-api itself does when TDLib failed a request
	// already passed on (JSON; Description defaults to "Internal Server
	// Error: Request aborted"). Status, by contrast, answers in the Bot
	// API's JSON and stores nothing.
	StatusAfterStore int `json:"status_after_store,omitempty"`
}

// InjectFault queues a fault. It fails when the fault would do nothing or
// Status is not an HTTP error status.
func (s *Server) InjectFault(f Fault) error {
	if f.Status == 0 && f.DelayMS == 0 && !f.DropAfterStore && f.RetryAfter == 0 && f.StatusAfterStore == 0 {
		return fmt.Errorf("telegramtest: fault: give status, delay_ms, drop_after_store, status_after_store or retry_after")
	}
	for _, st := range []int{f.Status, f.StatusAfterStore} {
		if st != 0 && (st < 400 || st > 599) {
			return fmt.Errorf("telegramtest: fault: status %d is not an HTTP error status", st)
		}
	}
	if f.StatusAfterStore != 0 && (f.Status != 0 || f.DropAfterStore || f.RetryAfter != 0) {
		return fmt.Errorf("telegramtest: fault: status_after_store goes with delay_ms only")
	}
	switch f.StatusAfterStore {
	case 0, 500, 502, 504:
	default:
		return fmt.Errorf("telegramtest: fault: status_after_store %d: want 500, 502 or 504 (the answers that can follow a call carried out)", f.StatusAfterStore)
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

// takeFault uses up one call of the first fault that matches.
func (s *Server) takeFault(method string, p params) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.ChatID != 0 && p.str("chat_id") != strconv.FormatInt(f.ChatID, 10) {
			continue
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

// faultError is the answer a fault forces.
func (s *Server) faultError(f *Fault, method string, p params) *apiError {
	if f.RetryAfter > 0 {
		chatID, _ := strconv.ParseInt(p.str("chat_id"), 10, 64)
		s.mu.Lock()
		s.served429Locked(method, chatID, f.RetryAfter)
		s.limits.block(chatID, s.clock.now(), f.RetryAfter)
		s.mu.Unlock()
		return tooManyRequests(f.RetryAfter)
	}
	desc := f.Description
	if desc == "" {
		desc = http.StatusText(f.Status)
	}
	return &apiError{Code: f.Status, Description: desc}
}

// writeAfterStore answers a call carried out with f.StatusAfterStore: a
// proxy's page for 502 and 504, telegram-bot-api's JSON for 500.
func writeAfterStore(w http.ResponseWriter, f *Fault) {
	if f.StatusAfterStore == http.StatusInternalServerError {
		desc := f.Description
		if desc == "" {
			desc = "Internal Server Error: Request aborted"
		}
		writeAPIError(w, &apiError{Code: http.StatusInternalServerError, Description: desc})
		return
	}
	text := strconv.Itoa(f.StatusAfterStore) + " " + http.StatusText(f.StatusAfterStore)
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(f.StatusAfterStore)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", text, text)
}
