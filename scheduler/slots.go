package scheduler

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/robfig/cron/v3"
)

// slotParser reads the five-field cron specs channels use ("0 19 * * *"),
// with robfig/cron's descriptors (@daily) and an optional CRON_TZ= prefix.
var slotParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Rules are a channel's timing rules, compiled: when it may take a post.
type Rules struct {
	loc       *time.Location
	slots     []cron.Schedule
	minGap    time.Duration
	dailyCap  int
	quiet     herald.QuietHours
	quietMode herald.QuietMode
}

// maxSearch bounds the search for a free moment, so that impossible rules
// (a cap of one and every slot in quiet hours) fail instead of looping.
const maxSearch = 20000

// CompileRules compiles the rules of ch. Slots without CRON_TZ= are read in
// the channel's zone, or defaultZone when the channel has none. A bad slot
// spec is an EInvalid error naming it.
func CompileRules(ch *herald.Channel, defaultZone string) (*Rules, error) {
	zone := ch.Timezone
	if zone == "" {
		zone = defaultZone
	}
	if zone == "" {
		zone = herald.DefaultChannelZone
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, herald.FieldError("timezone", "is %q; want an IANA zone such as Asia/Baku", zone)
	}
	slots, err := ParseSlots(ch.Slots, loc)
	if err != nil {
		return nil, err
	}
	return &Rules{loc: loc, slots: slots, minGap: time.Duration(ch.MinGap), dailyCap: ch.DailyCap,
		quiet: ch.Quiet, quietMode: ch.QuietMode}, nil
}

// ParseSlots parses cron specs, reading those without CRON_TZ= in loc.
func ParseSlots(specs []string, loc *time.Location) ([]cron.Schedule, error) {
	var out []cron.Schedule
	for _, spec := range specs {
		spec = strings.TrimSpace(spec)
		if spec == "" {
			continue
		}
		full := spec
		if !strings.HasPrefix(spec, "CRON_TZ=") && !strings.HasPrefix(spec, "TZ=") {
			full = "CRON_TZ=" + loc.String() + " " + spec
		}
		s, err := slotParser.Parse(full)
		if err != nil {
			return nil, herald.FieldError("slots", "%q is not a cron spec (%v); want five fields like \"0 19 * * *\" or @daily", spec, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Location returns the zone the rules are read in.
func (r *Rules) Location() *time.Location { return r.loc }

// Slotted reports whether the channel posts in slots (rather than as soon
// as it may).
func (r *Rules) Slotted() bool { return len(r.slots) > 0 }

// Taken is what a planner knows of the moments a channel has taken: the
// times of its posts that still count (see store.ChannelTimes).
type Taken interface {
	// Between returns the taken times in [from, to), in order.
	Between(from, to time.Time) ([]time.Time, error)
}

// Times is a Taken held in memory, in any order.
type Times []time.Time

// Between returns the times in [from, to), in order.
func (ts Times) Between(from, to time.Time) ([]time.Time, error) {
	var out []time.Time
	for _, t := range ts {
		if !t.Before(from) && t.Before(to) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out, nil
}

// Next returns the earliest moment at or after after when the channel can
// take one more post, given the times already taken on it: a free slot (or,
// without slots, any moment), at least the minimum gap from every taken
// time, within the daily cap of the local day, and outside quiet hours when
// they hold posts back. silent is true when the moment falls in quiet hours
// that send posts silently. It fails when no moment is found within a
// bounded search.
func (r *Rules) Next(after time.Time, taken []time.Time) (at time.Time, silent bool, err error) {
	return r.NextIn(after, Times(taken))
}

// NextIn is Next reading the taken times from taken, and only around the
// moments it considers: the second of a slot, the minimum gap either side
// of a moment, the local day when there is a daily cap. Its cost so does
// not grow with the channel's queue, only with how far it has to look.
func (r *Rules) NextIn(after time.Time, taken Taken) (at time.Time, silent bool, err error) {
	cand := after
	if r.Slotted() {
		// Slots fall on whole seconds; so do the candidates.
		if cand = after.Truncate(time.Second); cand.Before(after) {
			cand = cand.Add(time.Second)
		}
	}
	for i := 0; i < maxSearch; i++ {
		if r.Slotted() {
			cand = r.nextSlot(cand)
			near, err := taken.Between(cand, cand.Add(time.Second))
			if err != nil {
				return time.Time{}, false, err
			}
			if len(near) > 0 {
				cand = cand.Add(time.Second)
				continue
			}
		}
		local := cand.In(r.loc)
		if r.quietMode == herald.QuietHold && r.quiet.Contains(local) {
			cand = r.quietEnd(local)
			continue
		}
		if r.minGap > 0 {
			// The latest taken time closer to cand than the gap, if any.
			near, err := taken.Between(cand.Add(-r.minGap+time.Nanosecond), cand.Add(r.minGap))
			if err != nil {
				return time.Time{}, false, err
			}
			if len(near) > 0 {
				cand = near[len(near)-1].Add(r.minGap)
				continue
			}
		}
		if r.dailyCap > 0 {
			y, m, d := local.Date()
			start, end := time.Date(y, m, d, 0, 0, 0, 0, r.loc), time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
			day, err := taken.Between(start, end)
			if err != nil {
				return time.Time{}, false, err
			}
			if len(day) >= r.dailyCap {
				cand = end
				continue
			}
		}
		return cand.UTC(), r.quietMode == herald.QuietSilent && r.quiet.Contains(local), nil
	}
	return time.Time{}, false, fmt.Errorf("no free moment found after %s: the channel's slots, gap, cap and quiet hours leave no room",
		after.In(r.loc).Format("2006-01-02 15:04 MST"))
}

// NextSlot returns the first slot at or after t, or t itself for a
// channel without slots.
func (r *Rules) NextSlot(t time.Time) time.Time {
	if !r.Slotted() {
		return t
	}
	return r.nextSlot(t)
}

// nextSlot returns the earliest slot at or after t. cron's Next is strictly
// after its argument, hence the nanosecond back.
func (r *Rules) nextSlot(t time.Time) time.Time {
	var best time.Time
	for _, s := range r.slots {
		n := s.Next(t.Add(-time.Nanosecond))
		if !n.IsZero() && (best.IsZero() || n.Before(best)) {
			best = n
		}
	}
	if best.IsZero() { // a spec that never fires again, e.g. Feb 30
		return t.Add(100 * 365 * 24 * time.Hour)
	}
	return best
}

// quietEnd returns the end of the quiet window that local falls in.
func (r *Rules) quietEnd(local time.Time) time.Time {
	y, m, d := local.Date()
	end := time.Date(y, m, d, r.quiet.End/60, r.quiet.End%60, 0, 0, r.loc)
	if !end.After(local) {
		end = time.Date(y, m, d+1, r.quiet.End/60, r.quiet.End%60, 0, 0, r.loc)
	}
	return end
}
