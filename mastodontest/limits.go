package mastodontest

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// Limits are the rate limits the fake applies, in fixed windows of fake time
// as rack-attack counts them (a window starts at a multiple of its period
// since the epoch). Zero fields turn that limit off.
type Limits struct {
	// API limits every authenticated request per account, and every
	// request without a token per address, in APIPeriod.
	API       int
	APIPeriod time.Duration
	// Media limits POST /api/v1/media and /api/v2/media per account.
	Media       int
	MediaPeriod time.Duration
	// Deletes limits DELETE /api/v1/statuses/:id per account.
	Deletes      int
	DeletePeriod time.Duration
	// Statuses limits the statuses an account creates (Mastodon's
	// RateLimiter family "statuses"); idempotent repeats do not count.
	Statuses       int
	StatusesPeriod time.Duration
}

// DefaultLimits are Mastodon's defaults: 300 requests per 5 minutes, 30
// media uploads and 30 deletions per 30 minutes, 300 statuses per 3 hours.
func DefaultLimits() Limits {
	return Limits{API: 300, APIPeriod: 5 * time.Minute, Media: 30, MediaPeriod: 30 * time.Minute,
		Deletes: 30, DeletePeriod: 30 * time.Minute, Statuses: 300, StatusesPeriod: 3 * time.Hour}
}

type window struct {
	start time.Time
	count int
}

// hit counts one request against the window named key with limit per
// period; it reports the remaining count, the window's reset, and whether
// the request was over the limit (then it still counts, as rack-attack does).
func (s *Server) hit(key string, limit int, period time.Duration, count bool) (remaining int, reset time.Time, over bool) {
	now := s.clock.now()
	start := now.Truncate(period)
	w := s.windows[key]
	if w == nil || !w.start.Equal(start) {
		w = &window{start: start}
		s.windows[key] = w
	}
	if count {
		w.count++
	}
	reset = start.Add(period)
	return max(limit-w.count, 0), reset, w.count > limit
}

func (s *Server) limitSubject(c *call, r *http.Request) string {
	if c.acct != nil {
		return "account:" + c.acct.ID
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// countLimits counts a request and answers the X-RateLimit headers for the
// tightest window it counts against, or a 429 when one is exceeded.
func (s *Server) countLimits(subject string, rt *route, authed bool) (http.Header, *reply) {
	type lim struct {
		name   string
		limit  int
		period time.Duration
	}
	ls := []lim{{"api", s.limits.API, s.limits.APIPeriod}}
	switch rt.family {
	case "media":
		ls = append(ls, lim{"media", s.limits.Media, s.limits.MediaPeriod})
	case "delete":
		ls = append(ls, lim{"delete", s.limits.Deletes, s.limits.DeletePeriod})
	}
	var h http.Header
	best := -1
	var over *reply
	for _, l := range ls {
		if l.limit <= 0 || l.period <= 0 {
			continue
		}
		rem, reset, exceeded := s.hit(subject+":"+l.name, l.limit, l.period, true)
		if best == -1 || rem < best || exceeded {
			best = rem
			h = rateHeaders(l.limit, rem, reset)
		}
		if exceeded && !s.noLim {
			r := fail(http.StatusTooManyRequests, "Too many requests")
			r.header = rateHeaders(l.limit, 0, reset)
			over = &r
		}
	}
	if !authed && over == nil {
		return nil, nil // Mastodon sends the headers on authenticated answers
	}
	return h, over
}

// countCreation applies the statuses family of Mastodon's RateLimiter to a
// new status; called with the status about to be stored.
func (s *Server) countCreation(a *account) (reply, bool) {
	if s.limits.Statuses <= 0 || s.limits.StatusesPeriod <= 0 {
		return reply{}, false
	}
	rem, reset, over := s.hit("account:"+a.ID+":statuses", s.limits.Statuses, s.limits.StatusesPeriod, true)
	if over && !s.noLim {
		s.windows["account:"+a.ID+":statuses"].count-- // a refused status is not one made
		s.stats.RateLimited++
		r := fail(http.StatusTooManyRequests, "Too many requests")
		r.header = rateHeaders(s.limits.Statuses, rem, reset)
		return r, true
	}
	return reply{}, false
}

func rateHeaders(limit, remaining int, reset time.Time) http.Header {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
	return h
}
