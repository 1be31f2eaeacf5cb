package telegramtest

import (
	"strconv"
	"strings"
	"time"
)

// Call is one Bot API call as the fake journals it.
type Call struct {
	At     time.Time         `json:"at"`
	Method string            `json:"method"` // as the Bot API spells it, e.g. "sendMessage"
	Params map[string]string `json:"params"` // files appear as "<file NAME, N bytes>"
	Status int               `json:"status"` // the HTTP status answered; 0 when the connection was dropped
	Error  string            `json:"error,omitempty"`
	// Duration is how long the call took in real time.
	Duration time.Duration `json:"duration_ns"`
}

// Answer is an answerCallbackQuery call.
type Answer struct {
	CallbackQueryID string    `json:"callback_query_id"`
	UserID          int64     `json:"user_id"`
	Data            string    `json:"data"`
	Text            string    `json:"text,omitempty"`
	ShowAlert       bool      `json:"show_alert"`
	URL             string    `json:"url,omitempty"`
	CacheTime       int       `json:"cache_time,omitempty"`
	At              time.Time `json:"at"`
}

// LimitEvent is a 429 the fake served, or a request that came before the
// retry_after of an earlier 429 had passed.
type LimitEvent struct {
	At         time.Time `json:"at"` // fake time
	Method     string    `json:"method"`
	ChatID     int64     `json:"chat_id"`
	RetryAfter int       `json:"retry_after,omitempty"`
}

// Stats counts what the fake has served. GET /fake/stats returns it.
type Stats struct {
	Calls map[string]int `json:"calls"` // by method
	// TooManyRequests counts 429 answers, forced ones included.
	TooManyRequests int `json:"too_many_requests"`
	// EarlyRetries counts requests that came before their retry_after passed.
	EarlyRetries int          `json:"early_retries"`
	Served429    []LimitEvent `json:"served_429"`
	Early        []LimitEvent `json:"early"`
	// WebhookDeliveries and WebhookFailures count POSTs to the webhook.
	WebhookDeliveries int `json:"webhook_deliveries"`
	WebhookFailures   int `json:"webhook_failures"`
}

// record adds a call to the journal.
func (s *Server) record(name string, p params, start time.Time, status int, errText string) {
	c := Call{At: s.clock.now().UTC(), Method: name, Params: map[string]string{}, Status: status, Error: errText, Duration: time.Since(start)}
	for k, v := range p.values {
		c.Params[k] = v
	}
	for k, f := range p.files {
		c.Params[k] = "<file " + f.name + ", " + strconv.Itoa(len(f.data)) + " bytes>"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if s.stats.Calls == nil {
		s.stats.Calls = map[string]int{}
	}
	s.stats.Calls[name]++
	s.notifyLocked()
	s.log.Info("bot api call", "method", name, "status", status, "error", errText)
}

// Calls returns the journal of Bot API calls, oldest first; with a method
// name (any case) only that method's calls, with "" all of them.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || strings.EqualFold(c.Method, method) {
			out = append(out, c)
		}
	}
	return out
}

// Answers returns the callback answers the bot gave, oldest first.
func (s *Server) Answers() []Answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Answer(nil), s.answers...)
}

// Stats returns the counters of calls, 429s and early retries so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Calls = map[string]int{}
	for k, v := range s.stats.Calls {
		st.Calls[k] = v
	}
	st.Served429 = append([]LimitEvent(nil), s.stats.Served429...)
	st.Early = append([]LimitEvent(nil), s.stats.Early...)
	return st
}

// limitLocked applies the flood limits to a message sent to or edited in
// the chat: it counts an early retry, and answers 429 when the chat or the
// bot is over its limit.
func (s *Server) limitLocked(name string, ch *chat) *apiError {
	now := s.clock.now()
	if s.limits.early(ch.ID, now) {
		s.stats.EarlyRetries++
		s.stats.Early = append(s.stats.Early, LimitEvent{At: now.UTC(), Method: name, ChatID: ch.ID})
	}
	if retry := s.limits.take(ch.ID, ch.private(), now); retry > 0 {
		s.served429Locked(name, ch.ID, retry)
		return tooManyRequests(retry)
	}
	return nil
}

func (s *Server) served429Locked(name string, chatID int64, retry int) {
	s.stats.TooManyRequests++
	s.stats.Served429 = append(s.stats.Served429, LimitEvent{At: s.clock.now().UTC(), Method: name, ChatID: chatID, RetryAfter: retry})
}
