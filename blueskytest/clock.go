package blueskytest

import "time"

// clock is the fake's time: real time (or a test's clock) run scale times
// faster from the moment the server was made.
type clock struct {
	base  func() time.Time
	start time.Time
	scale float64
}

func newClock(base func() time.Time, scale float64) clock {
	return clock{base: base, start: base(), scale: scale}
}

// now is the fake's current time.
func (c clock) now() time.Time {
	return c.start.Add(time.Duration(float64(c.base().Sub(c.start)) * c.scale))
}

// real converts a span of fake time into the real time it takes.
func (c clock) real(d time.Duration) time.Duration {
	return time.Duration(float64(d) / c.scale)
}

// client converts a moment of fake time into the client's clock: what a
// client must compare with its own time.Now (a JWT's exp, RateLimit-Reset).
func (c clock) client(t time.Time) time.Time {
	return c.base().Add(c.real(t.Sub(c.now())))
}

// Now returns the fake's current time (records' indexedAt, limit windows),
// which runs WithScale times faster than real time.
func (s *Server) Now() time.Time { return s.clock.now() }
