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

// Next returns the earliest moment at or after after when the channel can
// take one more post, given the times already taken on it: a free slot (or,
// without slots, any moment), at least the minimum gap from every taken
// time, within the daily cap of the local day, and outside quiet hours when
// they hold posts back. silent is true when the moment falls in quiet hours
// that send posts silently. It fails when no moment is found within a
// bounded search.
func (r *Rules) Next(after time.Time, taken []time.Time) (at time.Time, silent bool, err error) {
	taken = append([]time.Time(nil), taken...)
	sort.Slice(taken, func(i, j int) bool { return taken[i].Before(taken[j]) })
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
			if hasAt(taken, cand) {
				cand = cand.Add(time.Second)
				continue
			}
		}
		local := cand.In(r.loc)
		if r.quietMode == herald.QuietHold && r.quiet.Contains(local) {
			cand = r.quietEnd(local)
			continue
		}
		if t, ok := within(taken, cand, r.minGap); ok {
			cand = t.Add(r.minGap)
			continue
		}
		if r.dailyCap > 0 && countDay(taken, local, r.loc) >= r.dailyCap {
			y, m, d := local.Date()
			cand = time.Date(y, m, d+1, 0, 0, 0, 0, r.loc)
			continue
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

func hasAt(taken []time.Time, t time.Time) bool {
	i := sort.Search(len(taken), func(i int) bool { return !taken[i].Before(t) })
	return i < len(taken) && taken[i].Sub(t) < time.Second
}

// within returns the latest taken time closer to t than gap, if any.
func within(taken []time.Time, t time.Time, gap time.Duration) (time.Time, bool) {
	if gap <= 0 {
		return time.Time{}, false
	}
	var found time.Time
	ok := false
	for _, x := range taken {
		d := x.Sub(t)
		if d > -gap && d < gap {
			found, ok = x, true
		}
	}
	return found, ok
}

// countDay counts the taken times on the local calendar day of local.
func countDay(taken []time.Time, local time.Time, loc *time.Location) int {
	y, m, d := local.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	end := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	n := 0
	for _, x := range taken {
		if !x.Before(start) && x.Before(end) {
			n++
		}
	}
	return n
}
