package herald

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// whenGrace is how far before now a parsed time may fall and still be
// accepted: an editor who types the current minute means "now", not
// "tomorrow", and a post a few seconds late is simply due.
const whenGrace = time.Minute

// whenDefaultHour is the time of day for a day given without one
// ("tomorrow", "fri", "2026-12-01"): the start of a newsroom's morning.
const whenDefaultHour = 9

// whenMaxLen bounds the input in bytes before any work is done; real times
// are a few dozen bytes even in Cyrillic.
const whenMaxLen = 200

// ParseWhen reads a time as an editor types it, relative to now, in loc (the
// channel's zone; nil means UTC), and returns the instant in loc. The forms
// are those in WhenExamples; matching ignores case, extra spaces and
// invisible characters, and parts may come in either order ("9:30
// tomorrow"). A day without a time means 09:00. Relative hours and minutes
// are real time ("+2h" across a clock change is two hours); "+Nd" keeps the
// clock time N calendar days on. A date and clock time means the earliest
// instant at which clocks in loc show it or later: a time skipped when
// clocks go forward (02:30 in Berlin's spring) is the instant they jump
// (03:00), and a time shown twice when they go back is its first
// occurrence (02:30 summer time). A time up to a minute
// before now is accepted as typed. It fails with an *Error of code EInvalid
// that says what was not understood, or that the time is in the past,
// naming it in loc with its zone.
func ParseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	now = now.In(loc)
	if len(s) > whenMaxLen {
		return time.Time{}, whenErr(whenTooLong)
	}
	toks := whenTokens(s)
	if len(toks) == 0 {
		return time.Time{}, whenErr(whenNoTime)
	}
	var t time.Time
	var err *Error
	switch {
	case len(toks) == 1 && isNowWord(toks[0]):
		return now, nil
	case strings.HasPrefix(toks[0], "+"):
		t, err = whenRelative(now, loc, append([]string{toks[0][1:]}, toks[1:]...))
	case toks[0] == "in" || toks[0] == "через":
		t, err = whenRelative(now, loc, toks[1:])
	case len(toks) > 1 && toks[len(toks)-1] == "sonra":
		t, err = whenRelative(now, loc, toks[:len(toks)-1])
	default:
		t, err = whenAbsolute(now, loc, toks)
	}
	if err != nil {
		return time.Time{}, err
	}
	if t.Before(now.Add(-whenGrace)) {
		return time.Time{}, whenErr(whenInPast, whenAt{t, loc})
	}
	return t.In(loc), nil
}

// whenTokens lowercases s and splits it into words, dropping characters
// nobody sees (zero-width spaces, joiners, direction marks, byte-order
// marks) that arrive with text copied from elsewhere.
func whenTokens(s string) []string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == 'İ':
			// Lowercasing the Azerbaijani dotted capital I gives i plus a
			// combining dot; "İndi" should read as "indi".
			b.WriteRune('i')
		case r == '\u0307' || unicode.Is(unicode.Cf, r):
		case unicode.IsSpace(r) || r == ',' || r == '@':
			// "tomorrow, 9:30" and "@ 19:00" are the same as with spaces.
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Fields(b.String())
}

// whenRelative reads a span such as "1h30m", "2 hours", "2 saat" or "1д"
// and adds it to now: days on the calendar, hours and minutes in real time.
func whenRelative(now time.Time, loc *time.Location, toks []string) (time.Time, *Error) {
	span := strings.Join(toks, "")
	if span == "" {
		return time.Time{}, whenErr(whenHowLong)
	}
	var days, hours, mins int
	last := 0 // the units must come largest first, each once: 1d2h30m
	for rest := span; rest != ""; {
		n, digits := leadingInt(rest)
		if digits == 0 || digits > 4 {
			return time.Time{}, whenErr(whenBadSpan, quoteBit(span))
		}
		rest = rest[digits:]
		end := strings.IndexFunc(rest, func(r rune) bool { return r >= '0' && r <= '9' })
		if end < 0 {
			end = len(rest)
		}
		unit := unitWord(rest[:end])
		if unit == 0 || unit <= last {
			return time.Time{}, whenErr(whenBadUnit, quoteBit(span))
		}
		last = unit
		rest = rest[end:]
		switch unit {
		case 1:
			days = n
		case 2:
			hours = n
		case 3:
			mins = n
		}
	}
	t := now
	if days > 0 {
		t = atWall(wallOf(now).AddDate(0, 0, days), loc)
	}
	return t.Add(time.Duration(hours)*time.Hour + time.Duration(mins)*time.Minute), nil
}

// whenParts is what an absolute time says, before it is placed on a day.
type whenParts struct {
	day      int // one of the day* constants below
	weekday  time.Weekday
	year     int
	hasYear  bool
	month    time.Month
	mday     int
	clock    bool
	hour     int
	min      int
	bareHour int // a lone number, read as an hour only where that is clear
	at       bool
}

const (
	dayNone = iota
	dayToday
	dayTomorrow
	dayWeekday
	dayDate
)

// whenAbsolute reads a day and a time of day in any order and places them
// after now.
func whenAbsolute(now time.Time, loc *time.Location, toks []string) (time.Time, *Error) {
	p := whenParts{bareHour: -1}
	setDay := func(tok string, kind int) *Error {
		if p.day != dayNone {
			return whenErr(whenTwoDays, quoteBit(tok))
		}
		p.day = kind
		return nil
	}
	setClock := func(tok string, h, m int) *Error {
		if p.clock {
			return whenErr(whenTwoTimes, quoteBit(tok))
		}
		p.clock, p.hour, p.min = true, h, m
		return nil
	}
	for i := 0; i < len(toks); i++ {
		tok := toks[i]
		next := ""
		if i+1 < len(toks) {
			next = toks[i+1]
		}
		var err *Error
		if kind, wd, ok := dayWord(strings.ReplaceAll(tok+" "+next, ".", "")); ok && next != "" {
			// Two-word days first, so that "bazar ertəsi" is Monday, not Sunday.
			err = setDay(tok, kind)
			p.weekday = wd
			i++
		} else if kind, wd, ok := dayWord(strings.ReplaceAll(tok, ".", "")); ok {
			err = setDay(tok, kind)
			p.weekday = wd
		} else if isFiller(tok) {
			p.at = true
		} else if y, mo, d, rest, ok := numericDate(tok); ok {
			err = setDay(tok, dayDate)
			p.year, p.hasYear, p.month, p.mday = y, true, mo, d
			if err == nil && rest != "" {
				h, m, ok := clockOf(rest)
				if !ok {
					return time.Time{}, whenErr(whenNotClock, quoteBit(tok))
				}
				err = setClock(tok, h, m)
			}
		} else if h, m, ok := clockOf(tok + next); ok && (next == "am" || next == "pm") {
			err = setClock(tok+" "+next, h, m)
			i++
		} else if h, m, ok := clockOf(tok); ok {
			err = setClock(tok, h, m)
		} else if mo, ok := monthWord(tok); ok {
			// "Dec 1", "Dec 1 2026"
			d, digits := leadingInt(next)
			if digits == 0 || digits > 2 || digits != len(next) {
				return time.Time{}, whenErr(whenWhichDay, quoteBit(tok))
			}
			err = setDay(tok, dayDate)
			p.month, p.mday = mo, d
			i++
			i += p.takeYear(toks, i+1)
		} else if n, digits := leadingInt(tok); digits == len(tok) && digits <= 2 {
			if mo, ok := monthWord(next); ok {
				// "1 Dec", "1 Dec 2026"
				err = setDay(tok, dayDate)
				p.month, p.mday = mo, n
				i++
				i += p.takeYear(toks, i+1)
			} else if p.bareHour >= 0 {
				return time.Time{}, whenErr(whenNotHere, quoteBit(tok))
			} else {
				p.bareHour = n
			}
		} else if isNowWord(tok) {
			return time.Time{}, whenErr(whenAlone, quoteBit(tok))
		} else if strings.ContainsAny(tok, ":") {
			return time.Time{}, whenErr(whenNotClock, quoteBit(tok))
		} else {
			return time.Time{}, whenErr(whenUnknown, quoteBit(tok))
		}
		if err != nil {
			return time.Time{}, err
		}
	}
	if p.bareHour >= 0 {
		// "tomorrow 9" and "at 9" are clear; a lone "9" could be an hour,
		// minutes or a day, so it is refused.
		if p.clock || p.bareHour > 23 {
			return time.Time{}, whenErr(whenNotHere, quoteBit(fmt.Sprint(p.bareHour)))
		}
		if p.day == dayNone && !p.at {
			return time.Time{}, whenErr(whenBareHour, quoteBit(fmt.Sprint(p.bareHour)), p.bareHour, p.bareHour)
		}
		p.clock, p.hour, p.min = true, p.bareHour, 0
	}
	if !p.clock {
		switch p.day {
		case dayNone:
			return time.Time{}, whenErr(whenNoTime)
		case dayToday:
			return time.Time{}, whenErr(whenWhatTimeToday)
		}
		p.hour = whenDefaultHour
	}
	return p.place(now, loc)
}

// takeYear consumes a four-digit year at toks[i] after a month-name date.
func (p *whenParts) takeYear(toks []string, i int) int {
	if i >= len(toks) {
		return 0
	}
	if y, digits := leadingInt(toks[i]); digits == 4 && len(toks[i]) == 4 {
		p.year, p.hasYear = y, true
		return 1
	}
	return 0
}

// place puts the parsed day and clock on the calendar after now.
func (p whenParts) place(now time.Time, loc *time.Location) (time.Time, *Error) {
	earliest := now.Add(-whenGrace)
	y, mo, d := now.Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC) // calendar arithmetic on a zone without clock changes
	clock := time.Duration(p.hour)*time.Hour + time.Duration(p.min)*time.Minute
	on := func(days int) time.Time { return atWall(today.AddDate(0, 0, days).Add(clock), loc) }
	switch p.day {
	case dayToday:
		return on(0), nil
	case dayTomorrow:
		return on(1), nil
	case dayWeekday:
		t := on((int(p.weekday) - int(today.Weekday()) + 7) % 7)
		if t.Before(earliest) {
			t = on((int(p.weekday)-int(today.Weekday())+7)%7 + 7)
		}
		return t, nil
	case dayDate:
		first, last := p.year, p.year
		if !p.hasYear {
			// Without a year, the next such date: this year or a later one
			// (29 Feb may be up to eight years on).
			first, last = y, y+8
		}
		for yy := first; yy <= last; yy++ {
			date := time.Date(yy, p.month, p.mday, 0, 0, 0, 0, time.UTC)
			if date.Day() != p.mday {
				continue // 31 Nov, 29 Feb in a common year
			}
			t := atWall(date.Add(clock), loc)
			if !t.Before(earliest) || yy == last {
				return t, nil
			}
		}
		if p.hasYear {
			return time.Time{}, whenErr(whenNoDateYear, p.mday, whenMonth(p.month), p.year)
		}
		return time.Time{}, whenErr(whenNoDate, p.mday, whenMonth(p.month))
	}
	t := on(0)
	if t.Before(earliest) {
		t = on(1)
	}
	return t, nil
}

// atWall returns the earliest instant at which clocks in loc show the wall
// time carried in w's UTC fields, or a later one: where the clocks skip w,
// the instant they jump; where they show it twice, the first of the two.
// time.Date leaves both cases unspecified (today it picks an hour after the
// gap and the second of the two), so the choice is made here.
func atWall(w time.Time, loc *time.Location) time.Time {
	// Every offset loc uses within a day of w: the answer is w minus one of
	// them, and no zone changes its offset twice within three hours.
	var offsets []int
	for k := -9; k <= 9; k++ {
		_, off := w.Add(time.Duration(k) * 3 * time.Hour).In(loc).Zone()
		seen := false
		for _, o := range offsets {
			seen = seen || o == off
		}
		if !seen {
			offsets = append(offsets, off)
		}
	}
	var best time.Time
	found := false
	for _, off := range offsets {
		t := w.Add(-time.Duration(off) * time.Second)
		if wallOf(t.In(loc)).Equal(w) && (!found || t.Before(best)) {
			best, found = t, true
		}
	}
	if found {
		return best
	}
	// In a gap: some reading lands after it, in the zone that starts when
	// the clocks jump; that start is the answer if the clocks were still
	// short of w just before it.
	for _, off := range offsets {
		t := w.Add(-time.Duration(off) * time.Second).In(loc)
		start, _ := t.ZoneBounds()
		if start.IsZero() || !wallOf(t).After(w) {
			continue
		}
		if !wallOf(start.In(loc)).Before(w) && wallOf(start.Add(-time.Nanosecond).In(loc)).Before(w) && (!found || start.Before(best)) {
			best, found = start, true
		}
	}
	if found {
		return best
	}
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
}

// wallOf returns t's wall clock in its own zone, carried in UTC fields so
// that wall times compare and add without clock changes.
func wallOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// clockOf reads "19:00", "19.00", "9:30", "7pm", "7:30pm" and "12am".
func clockOf(s string) (hour, min int, ok bool) {
	half := ""
	if strings.HasSuffix(s, "am") || strings.HasSuffix(s, "pm") {
		half, s = s[len(s)-2:], s[:len(s)-2]
	}
	h, hd := leadingInt(s)
	if hd == 0 || hd > 2 {
		return 0, 0, false
	}
	rest := s[hd:]
	switch {
	case rest == "" && half != "":
	case len(rest) == 3 && (rest[0] == ':' || rest[0] == '.'):
		m, md := leadingInt(rest[1:])
		if md != 2 || m > 59 {
			return 0, 0, false
		}
		min = m
	default:
		return 0, 0, false
	}
	if half == "" {
		return h, min, h <= 23
	}
	if h < 1 || h > 12 {
		return 0, 0, false
	}
	h %= 12
	if half == "pm" {
		h += 12
	}
	return h, min, true
}

// numericDate reads "2026-12-01", "2026-12-01t19:00" (returning the clock
// part in rest) and "01.12.2026". The date may still not exist (31.11).
func numericDate(s string) (y int, mo time.Month, d int, rest string, ok bool) {
	if date, clock, found := strings.Cut(s, "t"); found {
		if clock == "" {
			return 0, 0, 0, "", false
		}
		s, rest = date, clock
	}
	var a, b, c string
	if parts := strings.Split(s, "-"); len(parts) == 3 {
		a, b, c = parts[2], parts[1], parts[0]
	} else if parts := strings.Split(s, "."); len(parts) == 3 && rest == "" {
		a, b, c = parts[0], parts[1], parts[2]
	} else {
		return 0, 0, 0, "", false
	}
	d, dok := number(a, 1, 2)
	m, mok := number(b, 1, 2)
	y, yok := number(c, 4, 4)
	if !dok || !mok || !yok || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, 0, "", false
	}
	return y, time.Month(m), d, rest, true
}

// number reads s as a number of between min and max ASCII digits.
func number(s string, min, max int) (int, bool) {
	n, digits := leadingInt(s)
	return n, digits == len(s) && digits >= min && digits <= max
}

// leadingInt reads the ASCII digits at the start of s, at most five of them
// so that the number never overflows.
func leadingInt(s string) (n, digits int) {
	for digits < len(s) && digits < 5 && s[digits] >= '0' && s[digits] <= '9' {
		n = n*10 + int(s[digits]-'0')
		digits++
	}
	return n, digits
}

// quoteBit quotes part of the input for an error message, short enough to
// read and with invisible characters made visible.
func quoteBit(s string) whenQuote { return whenQuote(clipped(s, 24)) }

// clipped is s cut to at most n runes, "…" marking the cut: what someone
// typed, quoted back short enough to read and to send.
func clipped(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		return string([]rune(s)[:n]) + "…"
	}
	return s
}

func isNowWord(s string) bool {
	switch s {
	case "now", "indi", "сейчас":
		return true
	}
	return false
}

// isFiller reports words that only introduce a day or a time: "at 9",
// "в пятницу в 19:00", "saat 9", "on mon".
func isFiller(s string) bool {
	switch s {
	case "at", "on", "в", "во", "saat":
		return true
	}
	return false
}

// dayWord reads today, tomorrow and the weekdays in English, Azerbaijani
// (with and without its own letters, and the abbreviations with their dots
// removed) and Russian.
func dayWord(s string) (kind int, wd time.Weekday, ok bool) {
	switch s {
	case "today", "bugün", "bugun", "bu gün", "bu gun", "сегодня":
		return dayToday, 0, true
	case "tomorrow", "tmrw", "sabah", "завтра":
		return dayTomorrow, 0, true
	case "mon", "monday", "be", "b e", "bazar ertəsi", "bazar ertesi", "пн", "понедельник":
		return dayWeekday, time.Monday, true
	case "tue", "tues", "tuesday", "ça", "ç a", "çərşənbə axşamı", "cersenbe axsami", "вт", "вторник":
		return dayWeekday, time.Tuesday, true
	case "wed", "wednesday", "ç", "çərşənbə", "cersenbe", "ср", "среда", "среду":
		return dayWeekday, time.Wednesday, true
	case "thu", "thur", "thurs", "thursday", "ca", "c a", "cümə axşamı", "cume axsami", "чт", "четверг":
		return dayWeekday, time.Thursday, true
	case "fri", "friday", "c", "cümə", "cume", "пт", "пятница", "пятницу":
		return dayWeekday, time.Friday, true
	case "sat", "saturday", "ş", "şənbə", "senbe", "сб", "суббота", "субботу":
		return dayWeekday, time.Saturday, true
	case "sun", "sunday", "b", "bazar", "вс", "воскресенье":
		return dayWeekday, time.Sunday, true
	}
	return dayNone, 0, false
}

// monthWord reads month names and their abbreviations (with or without a
// dot) in English, Azerbaijani and Russian, including the genitive that
// Russian dates use ("1 декабря").
func monthWord(s string) (time.Month, bool) {
	switch strings.TrimSuffix(s, ".") {
	case "jan", "january", "yan", "yanvar", "янв", "январь", "января":
		return time.January, true
	case "feb", "february", "fev", "fevral", "фев", "февраль", "февраля":
		return time.February, true
	case "mar", "march", "mart", "мар", "март", "марта":
		return time.March, true
	case "apr", "april", "aprel", "апр", "апрель", "апреля":
		return time.April, true
	case "may", "май", "мая":
		return time.May, true
	case "jun", "june", "iyn", "iyun", "июн", "июнь", "июня":
		return time.June, true
	case "jul", "july", "iyl", "iyul", "июл", "июль", "июля":
		return time.July, true
	case "aug", "august", "avq", "avqust", "авг", "август", "августа":
		return time.August, true
	case "sep", "sept", "september", "sen", "sentyabr", "сен", "сент", "сентябрь", "сентября":
		return time.September, true
	case "oct", "october", "okt", "oktyabr", "окт", "октябрь", "октября":
		return time.October, true
	case "nov", "november", "noy", "noyabr", "ноя", "нояб", "ноябрь", "ноября":
		return time.November, true
	case "dec", "december", "dek", "dekabr", "дек", "декабрь", "декабря":
		return time.December, true
	}
	return 0, false
}

// unitWord reads the unit of a span: 1 for days, 2 for hours, 3 for
// minutes, 0 for anything else.
func unitWord(s string) int {
	switch s {
	case "d", "day", "days", "g", "gün", "gun", "д", "дн", "день", "дня", "дней":
		return 1
	case "h", "hr", "hrs", "hour", "hours", "saat", "ч", "час", "часа", "часов":
		return 2
	case "m", "min", "mins", "minute", "minutes", "dəq", "deq", "dəqiqə", "deqiqe", "м", "мин", "минута", "минуту", "минуты", "минут":
		return 3
	}
	return 0
}
