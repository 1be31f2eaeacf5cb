package main

import (
	"flag"
	"time"

	"github.com/herald-news/herald"
)

// clockFlag is how a command shows times: herald's one format for people
// (herald.FormatWhen: "Tue 1 Dec 2026 19:00 Asia/Baku (+04)", the same as
// the bot's), in the channel's zone or HERALD_TIMEZONE's, always labelled;
// or, with --utc, RFC 3339 in UTC for a program to read. JSON output is
// always RFC 3339 in UTC.
type clockFlag struct {
	utc  *bool
	zone *time.Location
}

// timeFlags adds --utc to fs. The zone is HERALD_TIMEZONE's, read from
// e's environment and ./.env (Asia/Baku when unset or not valid; the
// command that needs it valid says so itself).
func timeFlags(e *env, fs *flag.FlagSet) *clockFlag {
	c := &clockFlag{utc: fs.Bool("utc", false, "print times in UTC as RFC 3339 (2026-12-01T15:00:00Z), for programs")}
	c.zone = herald.AgencyZone()
	if cfg, err := loadConfig(e.getenv); err == nil {
		c.zone = zoneOr(cfg.Timezone)
	}
	return c
}

// show renders t in loc (nil: HERALD_TIMEZONE's zone), or in UTC with --utc.
func (c *clockFlag) show(t time.Time, loc *time.Location) string {
	if *c.utc {
		return t.UTC().Format(time.RFC3339)
	}
	if loc == nil {
		loc = c.zone
	}
	return herald.FormatWhen(t, loc)
}
