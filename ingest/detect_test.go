package ingest

import (
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func TestDetectLanguage(t *testing.T) {
	tests := map[string]struct {
		text string
		want herald.Language
	}{
		"Cyrillic text is Russian":                                      {"Экономист заявил, что санкции не изменят курс страны.", herald.LangRussian},
		"Text with schwa is Azerbaijani":                                {"Ekspert bildirib ki, islahatlar gözlənilmir.", herald.LangAzerbaijani},
		"Azerbaijani without its special letters is known by its words": {"Bu bir xeber idi ve deyib ki, bu da ola biler.", herald.LangAzerbaijani},
		"English text is English":                                       {"The minister said the budget would be passed next week.", herald.LangEnglish},
		"English naming the show in Azerbaijani stays English":          {"Azer Gasimly commented on the call in the Çətin sual program, which airs every night on the agency's channel.", herald.LangEnglish},
		"Text without letters falls back to English":                    {"2024 — 21:00", herald.LangEnglish},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := detectLanguage(tc.text); got != tc.want {
				t.Errorf("detectLanguage = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseDateline(t *testing.T) {
	tests := map[string]struct {
		text, place, date, rest string
		ok                      bool
	}{
		"An Azerbaijani slash dateline":                 {"Bakı/23.09.22/Turan: Mətn.", "Bakı", "2022-09-22T20:00:00Z", "Mətn.", true},
		"A Russian slash dateline with a dash":          {"Баку/23.09.2022/Туран — Текст.", "Баку", "2022-09-22T20:00:00Z", "Текст.", true},
		"An English dateline in words":                  {"Baku, 23 September 2022 (Turan): Text.", "Baku", "2022-09-22T20:00:00Z", "Text.", true},
		"An Azerbaijani dateline in words":              {"Bakı, 5 mart 2024 (Turan): Mətn.", "Bakı", "2024-03-04T20:00:00Z", "Mətn.", true},
		"A dateline with an impossible date is not one": {"Bakı/31.02.22/Turan: Mətn.", "", "", "Bakı/31.02.22/Turan: Mətn.", false},
		"A sentence with a slash is not a dateline":     {"He said and/or she said: nothing.", "", "", "He said and/or she said: nothing.", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d, rest, ok := parseDateline(tc.text)
			if ok != tc.ok || d.Place != tc.place || rest != tc.rest {
				t.Fatalf("parseDateline = %+v, %q, %v", d, rest, ok)
			}
			if ok && d.Date.Format(time.RFC3339) != tc.date {
				t.Errorf("date = %s, want %s", d.Date.Format(time.RFC3339), tc.date)
			}
		})
	}
}

func TestParseStamp(t *testing.T) {
	tests := map[string]struct {
		line, when, text string
		ok               bool
	}{
		"A date in words with a time":              {"16 February 2024, 23:04", "2024-02-16T19:04:00Z", "", true},
		"A numeric date and time after a title":    {"Parliament passes the budget 16.02.2024 23:04", "2024-02-16T19:04:00Z", "Parliament passes the budget", true},
		"A time before a date before a title":      {"23:04 16.02.2024 Headline", "2024-02-16T19:04:00Z", "Headline", true},
		"An English month-first stamp":             {"February 16, 2024 23:04", "2024-02-16T19:04:00Z", "", true},
		"A Russian genitive month":                 {"16 февраля 2024, 23:04", "2024-02-16T19:04:00Z", "", true},
		"A date inside a sentence is no stamp":     {"On 16 February 2024 the vote ended.", "", "", false},
		"A number that is not a month is no stamp": {"16 people 2024", "", "", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			when, text, _, ok := parseStamp(tc.line)
			if ok != tc.ok || text != tc.text || (ok && when.Format(time.RFC3339) != tc.when) {
				t.Errorf("parseStamp = %v, %q, %v", when, text, ok)
			}
		})
	}
}

func TestFindClock(t *testing.T) {
	tests := map[string]struct {
		text      string
		hour, min int
		ok        bool
	}{
		"English at 21:00":                 {"Talk to him at 21:00 in 'Difficult Question'", 21, 0, true},
		"Azerbaijani saat 21:00-da":        {`Saat 21:00-da "Çətin sual" proqramında`, 21, 0, true},
		"Russian в 21.30":                  {"в 21.30 в программе «Трудный вопрос»", 21, 30, true},
		"An impossible time is not a time": {"at 25:00", 0, 0, false},
		"No time at all":                   {"Difficult Question tonight", 0, 0, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h, m, ok := findClock(tc.text)
			if h != tc.hour || m != tc.min || ok != tc.ok {
				t.Errorf("findClock = %d:%d %v", h, m, ok)
			}
		})
	}
}

func TestAirDay(t *testing.T) {
	c := &cleaner{zone: agencyZone()}
	ref := time.Date(2026, 12, 3, 0, 0, 0, 0, agencyZone()) // a Thursday
	tests := map[string]struct {
		text  string
		want  string // the day, "" when none is named
		count bool   // counted from ref
	}{
		"Today is the page's day":               {"Tonight at 21:00 on Difficult Question", "2026-12-03", true},
		"Azerbaijani bu gün":                    {"bu gün saat 21:00-da", "2026-12-03", true},
		"Tomorrow moves it a day":               {"Tomorrow at 20:00", "2026-12-04", true},
		"Russian завтра":                        {"завтра в 21:00", "2026-12-04", true},
		"A weekday is the next one":             {"On Saturday at 21:00", "2026-12-05", true},
		"The page's own weekday is that day":    {"on Thursday at 21:00", "2026-12-03", true},
		"A weekday already past is next week's": {"on Tuesday at 21:00", "2026-12-08", true},
		"Azerbaijani two-word weekday":          {"çərşənbə axşamı saat 21:00-da", "2026-12-08", true},
		"Russian weekday after в":               {"в пятницу в 21:00", "2026-12-04", true},
		"Russian среда without в is no day":     {"окружающая среда в 21:00", "", false},
		"Azerbaijani bazar alone is a market":   {"bazar saat 21:00-da açılır", "", false},
		"A named date needs no page date":       {"on 9 December at 21:00", "2026-12-09", false},
		"A Russian named date":                  {"10 декабря в 21:00", "2026-12-10", false},
		"A date in January is next year's":      {"5 yanvar saat 21:00-da", "2027-01-05", false},
		"A time alone names no day":             {"at 21:00", "", false},
		"An English month first":                {"December 12 at 21:00", "2026-12-12", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			d, named, counted := c.airDay(tc.text, ref)
			got := ""
			if named {
				got = d.Format("2006-01-02")
			}
			if got != tc.want || (named && counted != tc.count) {
				t.Errorf("airDay(%q) = %q counted %v; want %q counted %v", tc.text, got, counted, tc.want, tc.count)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"RFC 3339 keeps its zone":          {"2024-02-16T23:04:00+02:00", "2024-02-16T21:04:00Z"},
		"A local time is read in Baku":     {"2024-02-16 23:04", "2024-02-16T19:04:00Z"},
		"A date alone is midnight in Baku": {"2024-02-16", "2024-02-15T20:00:00Z"},
		"A European date and time":         {"16.02.2024 23:04", "2024-02-16T19:04:00Z"},
		"A date in words":                  {"16 February 2024, 23:04", "2024-02-16T19:04:00Z"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseTime(tc.in)
			if err != nil || got.Format(time.RFC3339) != tc.want {
				t.Errorf("parseTime = %v, %v; want %s", got, err, tc.want)
			}
		})
	}
	if _, err := parseTime("next Tuesday"); herald.ErrorCode(err) != herald.EInvalid {
		t.Errorf("parseTime(next Tuesday) err = %v, want EInvalid", err)
	}
}
