package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

var (
	// Relative days, as whole words: "today", "bu gün", "сегодня вечером".
	dayToday     = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(today|tonight|this evening|bu\s*gün|bu\s+axşam|сегодня)(?:[^\p{L}]|$)`)
	dayTomorrow  = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(tomorrow|sabah|завтра)(?:[^\p{L}]|$)`)
	dayYesterday = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(yesterday|dünən|вчера)(?:[^\p{L}]|$)`)
	// A Russian weekday is a day only after "в"/"во" ("в среду"; "среда" is
	// also "environment"); an Azerbaijani "bazar" only with "günü"
	// ("bazar" is also "market").
	ruWeekday = regexp.MustCompile(`(?i)(?:^|[^\p{L}])во?\s+(понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)(?:[^\p{L}]|$)`)
	// "on 3 December", "3 dekabr", "3 декабря", "December 3".
	dayMonth = regexp.MustCompile(`(?:^|[^\p{L}\d])(\d{1,2})\s+(\p{L}+)(?:\s+(\d{4}))?`)
	monthDay = regexp.MustCompile(`(?:^|[^\p{L}])(\p{Lu}\p{Ll}+)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?:[^\d:]|$)`)
)

// airGuess is what a page says about when the show airs.
type airGuess struct {
	at     time.Time // the air time, when the day is known
	clock  string    // "21:00" when the page gives an air time at all
	sure   bool      // the day is known: named by the page, or counted from the page's own date
	reason string    // why the day is not known, for the editor
}

// detectEpisode looks for an announcement of a show: a paragraph (or the
// title) naming one with an air time ("at 21:00", "saat 21:00-da", "в
// 21:00"), the lead counting for a title that names the show. The air day
// is read from the same text, else from the title and lead: a date ("3
// December"), a weekday ("on Thursday", "cümə axşamı", "в четверг", the
// next one on or after ref), or "today", "tomorrow", "yesterday" counted
// from ref. Without a day named, or with only a relative one on a page
// that has no date of its own (dated says whether ref is the page's), the
// day is not known and the guess says why.
func (c *cleaner) detectEpisode(title string, paras []string, ref time.Time, dated bool) airGuess {
	texts := append([]string{title}, paras...)
	head := title
	if len(paras) > 0 {
		head += "\n" + paras[0]
	}
	for i, s := range texts {
		if c.programs.find(s) == "" {
			continue
		}
		candidates := []string{s}
		if i == 0 && len(texts) > 1 {
			candidates = append(candidates, texts[1])
		}
		for _, cand := range candidates {
			h, m, ok := findClock(cand)
			if !ok {
				continue
			}
			g := airGuess{clock: fmt.Sprintf("%02d:%02d", h, m)}
			day, named, relative := c.airDay(cand, ref)
			if !named {
				day, named, relative = c.airDay(head, ref)
			}
			switch {
			case !named:
				g.reason = herald.HeldReason(herald.HeldNoDay, g.clock)
			case relative && !dated:
				g.reason = herald.HeldReason(herald.HeldUndated, g.clock)
			default:
				g.sure = true
				g.at = time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, c.zone).UTC()
			}
			return g
		}
	}
	return airGuess{}
}

// findClock finds an air time in s: "at 21:00", "saat 21:00-da", "в 21:00".
func findClock(s string) (hour, min int, ok bool) {
	for _, re := range []*regexp.Regexp{airAzeri, airEnglish, airRussian} {
		m := re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		h, _ := strconv.Atoi(m[1])
		mi, _ := strconv.Atoi(m[2])
		if h > 23 || mi > 59 {
			continue
		}
		return h, mi, true
	}
	return 0, 0, false
}

// airDay reads the day a text names, in the agency's zone: a date, a
// weekday or a relative day. It returns the day, whether one was named,
// and whether it was counted from ref (a weekday or a relative day).
func (c *cleaner) airDay(s string, ref time.Time) (day time.Time, named, relative bool) {
	local := ref.In(c.zone)
	base := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, c.zone)
	if d, ok := c.namedDate(s, base); ok {
		return d, true, false
	}
	switch {
	case dayTomorrow.MatchString(s):
		return base.AddDate(0, 0, 1), true, true
	case dayYesterday.MatchString(s):
		return base.AddDate(0, 0, -1), true, true
	case dayToday.MatchString(s):
		return base, true, true
	}
	if wd, ok := airWeekday(s); ok {
		return base.AddDate(0, 0, (int(wd)-int(base.Weekday())+7)%7), true, true
	}
	return base, false, false
}

// namedDate reads "3 December", "3 dekabr 2026", "3 декабря" or
// "December 3" in s. Without a year the date is the one nearest after
// base, give or take a week (an announcement names a coming day).
func (c *cleaner) namedDate(s string, base time.Time) (time.Time, bool) {
	try := func(dayS, monS, yearS string) (time.Time, bool) {
		mon, ok := months[strings.ToLower(monS)]
		if !ok {
			return time.Time{}, false
		}
		d, _ := strconv.Atoi(dayS)
		y := base.Year()
		if yearS != "" {
			y, _ = strconv.Atoi(yearS)
		}
		t := time.Date(y, mon, d, 0, 0, 0, 0, c.zone)
		if t.Day() != d || d < 1 {
			return time.Time{}, false
		}
		if yearS == "" && t.Before(base.AddDate(0, 0, -7)) {
			t = t.AddDate(1, 0, 0)
		}
		return t, true
	}
	for _, m := range dayMonth.FindAllStringSubmatch(s, -1) {
		if t, ok := try(m[1], m[2], m[3]); ok {
			return t, true
		}
	}
	for _, m := range monthDay.FindAllStringSubmatch(s, -1) {
		if t, ok := try(m[2], m[1], m[3]); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// airWeekday finds a weekday named as a day in s.
func airWeekday(s string) (time.Weekday, bool) {
	if m := ruWeekday.FindStringSubmatch(s); m != nil {
		return weekdays[strings.ToLower(m[1])], true
	}
	for _, m := range findWeekdays(s) {
		if isCyrillicWord(m.name) {
			continue // only after "в", above
		}
		if m.name == "bazar" && !strings.HasPrefix(strings.ToLower(s[m.end:]), " günü") {
			continue
		}
		return weekdays[m.name], true
	}
	return 0, false
}

func isCyrillicWord(s string) bool {
	for _, r := range s {
		return r >= 'Ѐ' && r <= 'ӿ'
	}
	return false
}
