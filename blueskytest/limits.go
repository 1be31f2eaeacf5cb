package blueskytest

import (
	"net/http"
	"strconv"
	"time"
)

// The reference PDS's limits (packages/pds/src/rate-limits.ts and the
// methods' own), in fake time. Record writes share two buckets per account,
// in points: a create costs 3, an update 2, a delete 1.
const (
	WritePointsHour = 5000
	WritePointsDay  = 35000
	CreatePoints    = 3
	UpdatePoints    = 2
	DeletePoints    = 1
	// SessionsPer5Min and SessionsPerDay limit createSession per identifier.
	SessionsPer5Min = 30
	SessionsPerDay  = 300
	// GlobalPer5Min limits every call from one address.
	GlobalPer5Min = 3000
	// BlobsPerDay limits uploadBlob per account.
	BlobsPerDay = 1000
)

var (
	writeHour = limit{"repo-write-hour", time.Hour, WritePointsHour}
	writeDay  = limit{"repo-write-day", 24 * time.Hour, WritePointsDay}
)

// limit is one of the PDS's rate limits: points per window.
type limit struct {
	name   string
	window time.Duration
	points int
}

// bucket is a fixed window, started by its first consumption, as the
// rate-limiter-flexible memory limiter the PDS uses keeps them.
type bucket struct {
	start   time.Time
	used    int
	refused bool // a 429 was served in this window: a call before its reset is early
}

// consume takes points from each limit for key. Past any of them it answers
// 429 RateLimitExceeded; either way the answer carries the RateLimit-*
// headers of the limit nearest to running out. kind only names the call in
// Stats.
func (s *Server) consume(c *call, kind, key string, points int, ls ...limit) *xrpcError {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.now()
	type state struct {
		l         limit
		b         *bucket
		remaining int
	}
	var worst *state
	var over bool
	var all []state
	for _, l := range ls {
		k := l.name + "|" + key
		b := s.buckets[k]
		if b == nil || now.Sub(b.start) >= l.window {
			b = &bucket{start: now}
			s.buckets[k] = b
		}
		st := state{l: l, b: b, remaining: l.points - b.used - points}
		if st.remaining < 0 && s.limits {
			over = true
		}
		all = append(all, st)
		if worst == nil || st.remaining < worst.remaining {
			w := st
			worst = &w
		}
	}
	if worst == nil {
		return nil
	}
	if until, ok := s.blocked[key]; ok && kind == "write" && now.Before(until) {
		// A 429 a fault forced holds the account's writes until its reset.
		s.stats.Early++
		s.stats.Served429++
		s.stats.Limited["fault"]++
		return limitError(c, worst.l.points, 0, s.clock.client(until), worst.l)
	}
	if !over {
		for _, st := range all {
			st.b.used += points
		}
	}
	reset := s.clock.client(worst.b.start.Add(worst.l.window))
	e := limitError(c, worst.l.points, max(worst.remaining, 0), reset, worst.l)
	if over {
		for _, st := range all {
			if st.remaining < 0 {
				if st.b.refused {
					s.stats.Early++
				}
				st.b.refused = true
			}
		}
		s.stats.Served429++
		s.stats.Limited[kind]++
		return e
	}
	return nil
}

// limitError sets the RateLimit-* headers on c's answer and returns the
// 429 to answer when the limit is past.
func limitError(c *call, points, remaining int, reset time.Time, l limit) *xrpcError {
	h := http.Header{}
	h.Set("RateLimit-Limit", strconv.Itoa(points))
	h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("RateLimit-Policy", strconv.Itoa(points)+";w="+strconv.Itoa(int(l.window/time.Second)))
	for k, v := range h {
		c.headers[k] = v
	}
	return &xrpcError{Status: http.StatusTooManyRequests, Name: "RateLimitExceeded", Message: "Rate Limit Exceeded", headers: h}
}
