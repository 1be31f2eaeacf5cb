package herald_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, even on a machine without tzdata

	"github.com/herald-news/herald"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseWhen(t *testing.T) {
	baku := mustZone(t, "Asia/Baku")
	berlin := mustZone(t, "Europe/Berlin")
	at := func(loc *time.Location, y int, mo time.Month, d, h, m int) time.Time {
		return time.Date(y, mo, d, h, m, 0, 0, loc)
	}
	utc := func(y int, mo time.Month, d, h, m int) time.Time { return time.Date(y, mo, d, h, m, 0, 0, time.UTC) }
	// Monday 30 November 2026, 14:20 in Baku (+04).
	monday := at(baku, 2026, 11, 30, 14, 20)
	b := func(mo time.Month, d, h, m int) time.Time { return at(baku, 2026, mo, d, h, m) }

	tests := []struct {
		name string
		in   string
		now  time.Time
		loc  *time.Location
		want time.Time
	}{
		{"now is now", "now", monday, baku, monday},
		{"now ignores case and spaces", "  NoW ", monday, baku, monday},
		{"indi is Azerbaijani for now", "indi", monday, baku, monday},
		{"capital İndi reads as indi", "İNDİ", monday, baku, monday},
		{"сейчас is Russian for now", "Сейчас", monday, baku, monday},

		{"a clock time still ahead is today", "19:00", monday, baku, b(11, 30, 19, 0)},
		{"a dot works like a colon", "19.00", monday, baku, b(11, 30, 19, 0)},
		{"a clock time that has passed is tomorrow", "9:30", monday, baku, b(12, 1, 9, 30)},
		{"the current minute is today", "14:20", monday, baku, b(11, 30, 14, 20)},
		{"a minute late is still today, as typed", "14:19", monday, baku, b(11, 30, 14, 19)},
		{"two minutes late is tomorrow", "14:18", monday, baku, b(12, 1, 14, 18)},
		{"midnight is tomorrow's start", "00:00", monday, baku, b(12, 1, 0, 0)},
		{"pm is the afternoon", "7pm", monday, baku, b(11, 30, 19, 0)},
		{"am and pm may stand apart", "7:30 PM", monday, baku, b(11, 30, 19, 30)},
		{"12am is midnight", "12am", monday, baku, b(12, 1, 0, 0)},
		{"12pm is noon", "12pm", monday, baku, b(12, 1, 12, 0)},
		{"at before a bare hour makes it a time", "at 19", monday, baku, b(11, 30, 19, 0)},

		{"tomorrow with a time", "tomorrow 9:30", monday, baku, b(12, 1, 9, 30)},
		{"the time may come first", "9:30 tomorrow", monday, baku, b(12, 1, 9, 30)},
		{"tomorrow alone is nine in the morning", "tomorrow", monday, baku, b(12, 1, 9, 0)},
		{"tomorrow at a bare hour", "Tomorrow at 9", monday, baku, b(12, 1, 9, 0)},
		{"tomorrow, with a comma", "tomorrow, 21:15", monday, baku, b(12, 1, 21, 15)},
		{"sabah is Azerbaijani for tomorrow", "sabah 9:30", monday, baku, b(12, 1, 9, 30)},
		{"saat introduces an hour in Azerbaijani", "Sabah saat 9", monday, baku, b(12, 1, 9, 0)},
		{"завтра is Russian for tomorrow", "завтра в 9:30", monday, baku, b(12, 1, 9, 30)},
		{"Russian in capitals", "ЗАВТРА 9:30", monday, baku, b(12, 1, 9, 30)},
		{"today with a time still ahead", "today 19:00", monday, baku, b(11, 30, 19, 0)},
		{"bugün is Azerbaijani for today", "bugün 19:00", monday, baku, b(11, 30, 19, 0)},
		{"bu gün in two words", "bu gün saat 19:00", monday, baku, b(11, 30, 19, 0)},
		{"сегодня is Russian for today", "сегодня в 19:00", monday, baku, b(11, 30, 19, 0)},

		{"plus hours", "+2h", monday, baku, b(11, 30, 16, 20)},
		{"plus minutes", "+45m", monday, baku, b(11, 30, 15, 5)},
		{"plus hours and minutes", "+1h30m", monday, baku, b(11, 30, 15, 50)},
		{"plus a day keeps the clock time", "+1d", monday, baku, b(12, 1, 14, 20)},
		{"plus days and hours", "+1d2h", monday, baku, b(12, 1, 16, 20)},
		{"plus nothing is now", "+0m", monday, baku, monday},
		{"a space after the plus", "+ 2h", monday, baku, b(11, 30, 16, 20)},
		{"in hours", "in 2h", monday, baku, b(11, 30, 16, 20)},
		{"in words", "in 1 hour 30 minutes", monday, baku, b(11, 30, 15, 50)},
		{"через is Russian for in", "через 2ч", monday, baku, b(11, 30, 16, 20)},
		{"через with Russian words", "через 1 час 30 минут", monday, baku, b(11, 30, 15, 50)},
		{"sonra after an Azerbaijani span", "2 saat sonra", monday, baku, b(11, 30, 16, 20)},
		{"Azerbaijani minutes", "45 dəq sonra", monday, baku, b(11, 30, 15, 5)},

		{"a weekday whose time has passed today is next week", "mon 09:00", monday, baku, b(12, 7, 9, 0)},
		{"a weekday whose time is still ahead today is today", "mon 19:00", monday, baku, b(11, 30, 19, 0)},
		{"a full weekday name", "Monday 9:00", monday, baku, b(12, 7, 9, 0)},
		{"a weekday alone is nine in the morning", "tue", monday, baku, b(12, 1, 9, 0)},
		{"wednesday", "wed 19:00", monday, baku, b(12, 2, 19, 0)},
		{"thursday", "thursday 8:00", monday, baku, b(12, 3, 8, 0)},
		{"friday", "fri", monday, baku, b(12, 4, 9, 0)},
		{"saturday", "sat 10:00", monday, baku, b(12, 5, 10, 0)},
		{"sunday", "on sunday at 10:00", monday, baku, b(12, 6, 10, 0)},
		{"az b.e. is Monday", "b.e. 19:00", monday, baku, b(11, 30, 19, 0)},
		{"az b. e. with a space is Monday", "b. e. 10:00", monday, baku, b(12, 7, 10, 0)},
		{"az ç.a. is Tuesday", "ç.a. 10:00", monday, baku, b(12, 1, 10, 0)},
		{"az ç. is Wednesday", "Ç. 10:00", monday, baku, b(12, 2, 10, 0)},
		{"az c.a. is Thursday", "c.a. 10:00", monday, baku, b(12, 3, 10, 0)},
		{"az c. is Friday", "c. 10:00", monday, baku, b(12, 4, 10, 0)},
		{"az ş. is Saturday", "ş. 10:00", monday, baku, b(12, 5, 10, 0)},
		{"az b. is Sunday", "b. 10:00", monday, baku, b(12, 6, 10, 0)},
		{"az bazar ertəsi is Monday", "bazar ertəsi 10:00", monday, baku, b(12, 7, 10, 0)},
		{"az çərşənbə axşamı is Tuesday", "Çərşənbə axşamı 10:00", monday, baku, b(12, 1, 10, 0)},
		{"az çərşənbə is Wednesday", "çərşənbə 10:00", monday, baku, b(12, 2, 10, 0)},
		{"az cümə axşamı is Thursday", "cümə axşamı", monday, baku, b(12, 3, 9, 0)},
		{"az cümə is Friday", "cümə saat 19:00", monday, baku, b(12, 4, 19, 0)},
		{"az cume without its letters is Friday", "cume 19:00", monday, baku, b(12, 4, 19, 0)},
		{"az şənbə is Saturday", "şənbə", monday, baku, b(12, 5, 9, 0)},
		{"az bazar is Sunday", "bazar 10:00", monday, baku, b(12, 6, 10, 0)},
		{"ru пн is Monday", "пн 10:00", monday, baku, b(12, 7, 10, 0)},
		{"ru вт is Tuesday", "вт 10:00", monday, baku, b(12, 1, 10, 0)},
		{"ru ср is Wednesday", "ср 10:00", monday, baku, b(12, 2, 10, 0)},
		{"ru чт is Thursday", "чт 10:00", monday, baku, b(12, 3, 10, 0)},
		{"ru пт is Friday", "ПТ 10:00", monday, baku, b(12, 4, 10, 0)},
		{"ru сб is Saturday", "сб 10:00", monday, baku, b(12, 5, 10, 0)},
		{"ru вс is Sunday", "вс 10:00", monday, baku, b(12, 6, 10, 0)},
		{"ru full name in the accusative", "в пятницу в 19:00", monday, baku, b(12, 4, 19, 0)},
		{"ru понедельник still ahead today", "Понедельник 19:00", monday, baku, b(11, 30, 19, 0)},

		{"an ISO date and time", "2026-12-01 19:00", monday, baku, b(12, 1, 19, 0)},
		{"an ISO date with T", "2026-12-01T19:00", monday, baku, b(12, 1, 19, 0)},
		{"an ISO date alone is nine in the morning", "2026-12-01", monday, baku, b(12, 1, 9, 0)},
		{"a dotted day.month.year", "01.12.2026 19:00", monday, baku, b(12, 1, 19, 0)},
		{"a dotted date without leading zeros", "1.12.2026 19.00", monday, baku, b(12, 1, 19, 0)},
		{"day then month name", "1 Dec 19:00", monday, baku, b(12, 1, 19, 0)},
		{"month name then day", "Dec 1 19:00", monday, baku, b(12, 1, 19, 0)},
		{"day, full month and year", "1 December 2027 19:00", monday, baku, at(baku, 2027, 12, 1, 19, 0)},
		{"month, day, comma, year", "Dec 1, 2027 19:00", monday, baku, at(baku, 2027, 12, 1, 19, 0)},
		{"an Azerbaijani month", "1 dekabr 19:00", monday, baku, b(12, 1, 19, 0)},
		{"a Russian month in the genitive", "1 декабря в 19:00", monday, baku, b(12, 1, 19, 0)},
		{"a Russian month abbreviated with a dot", "1 дек. 19:00", monday, baku, b(12, 1, 19, 0)},
		{"a passed date without a year is next year", "29 Nov 10:00", monday, baku, at(baku, 2027, 11, 29, 10, 0)},
		{"29 February without a year is the next leap year", "29 Feb", monday, baku, at(baku, 2028, 2, 29, 9, 0)},

		{"zero-width characters are ignored", "\u200btomor\u200crow\u00a0 9:30\u200d\ufeff", monday, baku, b(12, 1, 9, 30)},
		{"a zero-width space inside a clock time", "19\u200b:00", monday, baku, b(11, 30, 19, 0)},
		{"a byte order mark before a span", "\ufeff+2h", monday, baku, b(11, 30, 16, 20)},

		// Europe/Berlin: clocks go forward at 02:00 on 29 March 2026 and back
		// at 03:00 on 25 October 2026.
		{"tomorrow on the day before spring forward is local time", "tomorrow 9:30",
			at(berlin, 2026, 3, 28, 20, 0), berlin, utc(2026, 3, 29, 7, 30)},
		{"+2h across spring forward is two real hours", "+2h",
			at(berlin, 2026, 3, 29, 1, 30), berlin, utc(2026, 3, 29, 2, 30)},
		{"+1d across spring forward keeps the clock time", "+1d",
			at(berlin, 2026, 3, 28, 10, 0), berlin, utc(2026, 3, 29, 8, 0)},
		{"+24h across spring forward is a day of real time", "+24h",
			at(berlin, 2026, 3, 28, 10, 0), berlin, utc(2026, 3, 29, 9, 0)},
		{"a skipped time is the instant clocks jump", "tomorrow 2:30",
			at(berlin, 2026, 3, 28, 20, 0), berlin, utc(2026, 3, 29, 1, 0)},
		{"a skipped time today is the instant clocks jump", "2:30",
			at(berlin, 2026, 3, 29, 1, 30), berlin, utc(2026, 3, 29, 1, 0)},
		{"the start of the skipped hour is the jump too", "2026-03-29 02:00",
			at(berlin, 2026, 3, 1, 0, 0), berlin, utc(2026, 3, 29, 1, 0)},
		{"the minute before the gap is itself", "2026-03-29 01:59",
			at(berlin, 2026, 3, 1, 0, 0), berlin, utc(2026, 3, 29, 0, 59)},
		{"a repeated time is its first occurrence", "tomorrow 2:30",
			at(berlin, 2026, 10, 24, 20, 0), berlin, utc(2026, 10, 25, 0, 30)},
		{"a repeated time with a date is its first occurrence", "2026-10-25 02:00",
			at(berlin, 2026, 10, 1, 0, 0), berlin, utc(2026, 10, 25, 0, 0)},
		{"the hour after the repeat is winter time", "2026-10-25 03:00",
			at(berlin, 2026, 10, 1, 0, 0), berlin, utc(2026, 10, 25, 2, 0)},
		{"+30m in the repeated hour is thirty real minutes", "+30m",
			time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC), berlin, utc(2026, 10, 25, 2, 15)},
		{"a repeated time whose first occurrence has passed is tomorrow", "02:30",
			time.Date(2026, 10, 25, 0, 45, 0, 0, time.UTC), berlin, utc(2026, 10, 26, 1, 30)},
		{"a weekday across fall back is local time", "sun 12:00",
			at(berlin, 2026, 10, 24, 20, 0), berlin, utc(2026, 10, 25, 11, 0)},
		{"a nil zone is UTC", "19:00", utc(2026, 11, 30, 10, 0), nil, utc(2026, 11, 30, 19, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := herald.ParseWhen(tt.in, tt.now, tt.loc)
			if err != nil {
				t.Fatalf("ParseWhen(%q) error: %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseWhen(%q) = %s, want %s", tt.in, herald.FormatWhen(got, tt.loc), herald.FormatWhen(tt.want, tt.loc))
			}
			wantLoc := tt.loc
			if wantLoc == nil {
				wantLoc = time.UTC
			}
			if got.Location() != wantLoc {
				t.Errorf("ParseWhen(%q) is in %v, want %v", tt.in, got.Location(), wantLoc)
			}
		})
	}
}

func TestParseWhenRefuses(t *testing.T) {
	baku := mustZone(t, "Asia/Baku")
	monday := time.Date(2026, 11, 30, 14, 20, 0, 0, baku)

	tests := []struct {
		name string
		in   string
		want string // a part of the message the editor reads
	}{
		{"empty input", "", "no time given"},
		{"only spaces", "   \t ", "no time given"},
		{"only zero-width characters", "\u200b\u200d\ufeff", "no time given"},
		{"a word that is no time", "banana", `don't understand "banana"`},
		{"a good time with a stray word", "tomorrow 9:30 please", `don't understand "please"`},
		{"very long input", strings.Repeat("tomorrow ", 1000), "too long"},
		{"an hour past 23", "25:00", `"25:00" is not a time of day`},
		{"a minute past 59", "19:60", `"19:60" is not a time of day`},
		{"13pm", "13pm", `don't understand "13pm"`},
		{"a date that does not exist", "2026-02-30 10:00", "there is no 30 February 2026"},
		{"a month-name date that does not exist", "31 Nov", "there is no 31 November"},
		{"a month out of range", "2026-13-01", `don't understand "2026-13-01"`},
		{"today at a time that has passed", "today 10:00", "Mon 30 Nov 2026 10:00 Asia/Baku (+04) is in the past"},
		{"a date that has passed", "2026-11-29 19:00", "Sun 29 Nov 2026 19:00 Asia/Baku (+04) is in the past"},
		{"a year long gone", "01.01.2020", "is in the past"},
		{"two minutes ago today", "сегодня 14:18", "is in the past"},
		{"today without a time", "today", "what time today"},
		{"a bare number", "9", `"9" alone is unclear`},
		{"a span without a unit", "+2", "span of time"},
		{"a span with an unknown unit", "+2x", "span of time"},
		{"a span with a unit twice", "+2h2h", "span of time"},
		{"a span with units out of order", "+30m1h", "span of time"},
		{"a span too large to mean anything", "+99999h", "span of time"},
		{"in without a span", "in", "how long from now"},
		{"a minus span", "-2h", `don't understand "-2h"`},
		{"now with a time", "now 19:00", `"now" goes alone`},
		{"two days", "tomorrow mon", "two days given"},
		{"two times", "19:00 20:00", "two times given"},
		{"a month without a day", "Dec", "which day"},
		{"invalid UTF-8", "\xff19:00", "is not a time of day"},
		{"invalid UTF-8 alone", "\xff", "don't understand"},
		{"a control character", "19:00\x00", "not a time of day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := herald.ParseWhen(tt.in, monday, baku)
			if err == nil {
				t.Fatalf("ParseWhen(%q) = %s, want an error", tt.in, herald.FormatWhen(got, baku))
			}
			var e *herald.Error
			if !errors.As(err, &e) || e.Code != herald.EInvalid {
				t.Fatalf("ParseWhen(%q) error %#v, want an *herald.Error with code %q", tt.in, err, herald.EInvalid)
			}
			msg := herald.ErrorMessage(err)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("ParseWhen(%q) says %q, want it to say %q", tt.in, msg, tt.want)
			}
			if !strings.Contains(msg, "tomorrow 9:30") {
				t.Errorf("ParseWhen(%q) says %q, without examples", tt.in, msg)
			}
			if len(msg) > 400 {
				t.Errorf("ParseWhen(%q) says %d bytes, too long for a reply", tt.in, len(msg))
			}
		})
	}
}

// TestParseWhenClockTimesAcrossClockChanges checks every minute of days on
// which clocks change against the rule, found by brute force: the earliest
// instant whose clock reading is the time asked for or later.
func TestParseWhenClockTimesAcrossClockChanges(t *testing.T) {
	days := []struct {
		zone string
		day  time.Time // midnight UTC of the date, as a calendar date
	}{
		{"Europe/Berlin", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},
		{"Europe/Berlin", time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC)},
		{"America/New_York", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},
		{"America/New_York", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"Australia/Lord_Howe", time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC)}, // back 30 minutes
		{"Australia/Lord_Howe", time.Date(2026, 10, 4, 0, 0, 0, 0, time.UTC)},
		{"Pacific/Apia", time.Date(2011, 12, 30, 0, 0, 0, 0, time.UTC)}, // a whole day skipped
		{"Asia/Baku", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, d := range days {
		loc := mustZone(t, d.zone)
		// Every minute from two days before to two days after, with its
		// clock reading in loc as a UTC-fielded time.
		type reading struct{ at, wall time.Time }
		var readings []reading
		for at := d.day.Add(-48 * time.Hour); at.Before(d.day.Add(72 * time.Hour)); at = at.Add(time.Minute) {
			l := at.In(loc)
			readings = append(readings, reading{at, time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)})
		}
		now := d.day.Add(-36 * time.Hour)
		for m := 0; m < 24*60; m++ {
			want := d.day.Add(time.Duration(m) * time.Minute)
			in := want.Format("2006-01-02 15:04")
			var expect time.Time
			for _, r := range readings {
				if !r.wall.Before(want) {
					expect = r.at
					break
				}
			}
			got, err := herald.ParseWhen(in, now, loc)
			if err != nil {
				t.Fatalf("%s: ParseWhen(%q) error: %v", d.zone, in, err)
			}
			if !got.Equal(expect) {
				t.Fatalf("%s: ParseWhen(%q) = %s (%s), want %s", d.zone, in, herald.FormatWhen(got, loc), got.UTC(), expect)
			}
		}
	}
}

func TestFormatWhen(t *testing.T) {
	baku := mustZone(t, "Asia/Baku")
	berlin := mustZone(t, "Europe/Berlin")
	at := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		loc  *time.Location
		want string
	}{
		{"Baku shows its name and offset", baku, "Tue 1 Dec 2026 19:00 Asia/Baku (+04)"},
		{"Berlin in winter shows CET", berlin, "Tue 1 Dec 2026 16:00 Europe/Berlin (CET)"},
		{"UTC says it once", time.UTC, "Tue 1 Dec 2026 15:00 UTC"},
		{"nil is UTC", nil, "Tue 1 Dec 2026 15:00 UTC"},
		{"a zone without a name shows its offset", time.FixedZone("", 3*3600), "Tue 1 Dec 2026 18:00 +03:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := herald.FormatWhen(at, tt.loc); got != tt.want {
				t.Errorf("FormatWhen = %q, want %q", got, tt.want)
			}
		})
	}
	summer := time.Date(2026, 7, 1, 15, 0, 0, 0, time.UTC)
	if got, want := herald.FormatWhen(summer, berlin), "Wed 1 Jul 2026 17:00 Europe/Berlin (CEST)"; got != want {
		t.Errorf("FormatWhen in summer = %q, want %q", got, want)
	}
}

// TestWhenExamplesAllParse keeps the help text honest: every example on
// every line, before the dash and after "also:", is read.
func TestWhenExamplesAllParse(t *testing.T) {
	baku := mustZone(t, "Asia/Baku")
	now := time.Date(2026, 11, 30, 6, 0, 0, 0, baku)
	lines := strings.Split(herald.WhenExamples, "\n")
	if len(lines) < 8 {
		t.Fatalf("WhenExamples has %d lines, want one per form", len(lines))
	}
	for _, line := range lines {
		forms, rest, ok := strings.Cut(line, " — ")
		if !ok {
			t.Fatalf("line %q has no dash between examples and meaning", line)
		}
		examples := strings.Split(forms, ", ")
		if _, also, ok := strings.Cut(rest, "(also: "); ok {
			examples = append(examples, strings.Split(strings.TrimSuffix(also, ")"), ", ")...)
		}
		for _, ex := range examples {
			if _, err := herald.ParseWhen(ex, now, baku); err != nil {
				t.Errorf("example %q from %q: %v", ex, line, err)
			}
		}
	}
}

func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{
		"now", "19:00", "19.00", "9:30", "7pm", "tomorrow 9:30", "tomorrow", "+2h", "+45m", "+1h30m",
		"+1d", "in 2h", "mon 09:00", "monday 9:00", "2026-12-01 19:00", "2026-12-01T19:00",
		"01.12.2026 19:00", "1 Dec 19:00", "Dec 1 19:00", "indi", "сейчас", "sabah 9:30",
		"завтра в 9:30", "b.e. 10:00", "ç.a.", "c.a. 9", "bazar ertəsi 10:00", "пт 19:00",
		"29 Feb", "2 saat sonra", "через 1 час 30 минут", "2026-03-29 02:30", "\u200b19:00",
		"", "+99999d", "31 Nov 2026", "12am",
	} {
		f.Add(s, int64(1796033000), uint8(0))
	}
	zones := []*time.Location{
		mustZone(f, "Asia/Baku"), mustZone(f, "Europe/Berlin"), time.UTC,
		mustZone(f, "Australia/Lord_Howe"), mustZone(f, "Pacific/Apia"), mustZone(f, "America/St_Johns"),
	}
	f.Fuzz(func(t *testing.T, s string, nowSec int64, zone uint8) {
		// Any second from 1970 to 2200, wherever the fuzzer wanders.
		const span = 230 * 365 * 24 * 3600
		nowSec %= span
		if nowSec < 0 {
			nowSec += span
		}
		now := time.Unix(nowSec, 0)
		loc := zones[int(zone)%len(zones)]
		got, err := herald.ParseWhen(s, now, loc)
		if err != nil {
			var e *herald.Error
			if !errors.As(err, &e) || e.Code != herald.EInvalid {
				t.Fatalf("ParseWhen(%q) error %#v, want an *herald.Error with code %q", s, err, herald.EInvalid)
			}
			return
		}
		if got.Before(now.Add(-time.Minute)) {
			t.Fatalf("ParseWhen(%q, %s) = %s, before now", s, herald.FormatWhen(now, loc), herald.FormatWhen(got, loc))
		}
		if got.Location() != loc {
			t.Fatalf("ParseWhen(%q) is in %v, want %v", s, got.Location(), loc)
		}
	})
}
