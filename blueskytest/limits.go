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
	start time.Time
	used  int
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
	if !over {
		for _, st := range all {
			st.b.used += points
		}
	}
	h := http.Header{}
	rem := max(worst.remaining, 0)
	reset := s.clock.client(worst.b.start.Add(worst.l.window))
	h.Set("RateLimit-Limit", strconv.Itoa(worst.l.points))
	h.Set("RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("RateLimit-Policy", strconv.Itoa(worst.l.points)+";w="+strconv.Itoa(int(worst.l.window/time.Second)))
	for k, v := range h {
		c.headers[k] = v
	}
	if over {
		s.stats.Served429++
		s.stats.Limited[kind]++
		return &xrpcError{Status: http.StatusTooManyRequests, Name: "RateLimitExceeded", Message: "Rate Limit Exceeded", headers: h}
	}
	return nil
}
