package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// agencyZone is herald.AgencyZone, loaded once: loading reads the zone
// database from disk, and every stamp and dateline needs it.
var agencyZone = sync.OnceValue(herald.AgencyZone)

// ProgramName is the agency's talk show as herald stores it: always the
// English name, whatever the page's language, so that channel rules and
// queries match one value. Renderers may translate it.
const ProgramName = herald.ProgramDifficultQuestion

// azWords are frequent Azerbaijani words that English and Russian texts
// lack. Read-only.
var azWords = map[string]bool{
	"və": true, "ilə": true, "üçün": true, "bu": true, "bir": true,
	"olan": true, "olub": true, "deyib": true, "isə": true, "də": true,
	"da": true, "ki": true, "görə": true, "qeyd": true, "edib": true,
}

// detectLanguage guesses the language of a text: Russian when most letters
// are Cyrillic; Azerbaijani when many of its words have the letters only
// Azerbaijani (or Turkish) writes, or are frequent Azerbaijani words; else
// English. It never fails; English is the fallback.
func detectLanguage(text string) herald.Language {
	var cyr, latin int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			latin++
		}
	}
	if cyr > latin {
		return herald.LangRussian
	}
	words, lettered, common := 0, 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		words++
		if strings.ContainsAny(w, "əğışçöü") {
			lettered++
		}
		if azWords[w] {
			common++
		}
	}
	// A name such as "Çətin sual" in an English text stays below these.
	if words > 0 && (float64(lettered)/float64(words) > 0.15 || float64(common)/float64(words) > 0.05) {
		return herald.LangAzerbaijani
	}
	return herald.LangEnglish
}

// months maps month names in English, Azerbaijani and Russian (nominative
// and genitive), lower case, to their number. Read-only.
var months = map[string]time.Month{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
	"sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
	"yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "iyun": 6, "iyul": 7,
	"avqust": 8, "sentyabr": 9, "oktyabr": 10, "noyabr": 11, "dekabr": 12,
	"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
	"июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
	"январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6,
	"июль": 7, "август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
}

var (
	// "Bakı/23.09.22/Turan:" and "Баку/23.09.2022/Туран —".
	datelineSlash = regexp.MustCompile(`^(\p{L}[\p{L} .'-]{0,40}?)\s*/\s*(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\s*/\s*\p{L}[\p{L} .'-]{0,30}?\s*(?::|—|–|-)\s*`)
	// "Baku, 23 September 2022 (Turan):" and "Bakı, 23 sentyabr 2022 (Turan) —".
	datelineWords = regexp.MustCompile(`^(\p{L}[\p{L} .'-]{0,40}?),\s*(\d{1,2})\s+(\p{L}+)\.?\s+(\d{4})\s*\([^()]{1,30}\)\s*(?::|—|–|-)\s*`)

	// Stamps of related headlines: "16 February 2024, 23:04",
	// "16.02.2024 23:04", "February 16, 2024 23:04", "23:04 16.02.2024".
	// Each is tried at the start and at the end of a line only.
	stampPatterns = []stampPattern{
		newStampPattern(`(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*,?\s*(?:(\d{1,2}):(\d{2}))?`, 1, 2, 3),
		newStampPattern(`(\d{1,2})\s+(\p{L}+)\.?\s+(\d{4})\s*,?\s*(?:(\d{1,2}):(\d{2}))?`, 1, 2, 3),
		newStampPattern(`(\p{L}+)\.?\s+(\d{1,2}),?\s+(\d{4})\s*,?\s*(?:(\d{1,2}):(\d{2}))?`, 2, 1, 3),
	}
	stampTime = regexp.MustCompile(`^(\d{1,2}):(\d{2})\s*[,/|]?\s*`)

	// Air times: "at 21:00", "saat 21:00-da", "в 21:00".
	airEnglish = regexp.MustCompile(`(?i)(?:^|[^\p{L}])at\s+(\d{1,2})[:.](\d{2})(?:[^\d]|$)`)
	airAzeri   = regexp.MustCompile(`(?i)(?:^|[^\p{L}])saat\s+(\d{1,2})[:.](\d{2})`)
	airRussian = regexp.MustCompile(`(?i)(?:^|[^\p{L}])в\s+(\d{1,2})[:.](\d{2})(?:[^\d]|$)`)
)

// dateline is the place and date that open a news agency's lead.
type dateline struct {
	Place string
	Date  time.Time // midnight in the agency's zone, as UTC
}

// parseDateline reads a dateline at the start of s. It returns the
// dateline, the rest of s after it, and whether there was one; a dateline
// with an impossible date is not one.
func parseDateline(s string) (dateline, string, bool) {
	// Cheap test first: every paragraph is asked whether it opens with one.
	if i := strings.IndexAny(s, "/("); i < 0 || i > 80 {
		return dateline{}, s, false
	}
	if m := datelineSlash.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[2])
		mon, _ := strconv.Atoi(m[3])
		year, _ := strconv.Atoi(m[4])
		if year < 100 {
			year += 2000
		}
		if d, ok := civilDate(year, time.Month(mon), day, 0, 0); ok {
			return dateline{Place: strings.TrimSpace(m[1]), Date: d}, s[len(m[0]):], true
		}
	}
	if m := datelineWords.FindStringSubmatch(s); m != nil {
		day, _ := strconv.Atoi(m[2])
		year, _ := strconv.Atoi(m[4])
		if mon, ok := months[strings.ToLower(m[3])]; ok {
			if d, ok := civilDate(year, mon, day, 0, 0); ok {
				return dateline{Place: strings.TrimSpace(m[1]), Date: d}, s[len(m[0]):], true
			}
		}
	}
	return dateline{}, s, false
}

// civilDate returns the instant of a wall-clock date and time in the
// agency's zone, in UTC, or false when the date does not exist.
func civilDate(year int, mon time.Month, day, hour, min int) (time.Time, bool) {
	if year < 1900 || year > 2200 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, mon, day, hour, min, 0, 0, agencyZone())
	if t.Day() != day { // 31 February rolled over
		return time.Time{}, false
	}
	return t.UTC(), true
}

// stampPattern is one shape of date stamp, anchored at the start and at
// the end of a line, with the numbers of its day, month and year groups;
// groups 4 and 5 are the hour and minute.
type stampPattern struct {
	head, tail     *regexp.Regexp
	day, mon, year int
}

func newStampPattern(expr string, day, mon, year int) stampPattern {
	return stampPattern{
		head: regexp.MustCompile(`^(?:` + expr + `)`),
		tail: regexp.MustCompile(`(?:` + expr + `)$`),
		day:  day, mon: mon, year: year,
	}
}

// stampWindow is how many bytes at either end of a line a stamp may take:
// "16 сентября 2024, 23:04" fits, and long lines cost no more than short.
const stampWindow = 48

// parseStamp reads a date stamp at the start or end of a line ("16
// February 2024, 23:04", "16.02.2024 23:04"). It returns the time, the
// line's text without the stamp, whether the stamp had a time of day, and
// whether the line had a stamp. A date inside a sentence is not a stamp.
func parseStamp(line string) (t time.Time, text string, clock bool, ok bool) {
	// A time may come first: "23:04 16.02.2024 Headline".
	lead := stampTime.FindStringSubmatch(line)
	rest := line
	if lead != nil {
		rest = line[len(lead[0]):]
	}
	head, tail := rest, rest
	if len(rest) > stampWindow {
		i, j := stampWindow, len(rest)-stampWindow
		for i > 0 && !utf8.RuneStart(rest[i]) {
			i--
		}
		for j < len(rest) && !utf8.RuneStart(rest[j]) {
			j++
		}
		head, tail = rest[:i], rest[j:]
	}
	for _, p := range stampPatterns {
		for _, at := range []struct {
			re     *regexp.Regexp
			s      string
			offset int
		}{{p.head, head, 0}, {p.tail, tail, len(rest) - len(tail)}} {
			if !hasYear(at.s) {
				continue // every stamp has one; most lines of text do not
			}
			loc := at.re.FindStringSubmatchIndex(at.s)
			if loc == nil {
				continue
			}
			group := func(i int) string {
				if loc[2*i] < 0 {
					return ""
				}
				return at.s[loc[2*i]:loc[2*i+1]]
			}
			d, _ := strconv.Atoi(group(p.day))
			y, _ := strconv.Atoi(group(p.year))
			m, err := strconv.Atoi(group(p.mon))
			if err != nil {
				m = int(months[strings.ToLower(group(p.mon))]) // 0 when not a month
			}
			hh, mm := group(4), group(5)
			if lead != nil {
				hh, mm = lead[1], lead[2]
			}
			h, _ := strconv.Atoi(hh)
			mi, _ := strconv.Atoi(mm)
			when, ok := civilDate(y, time.Month(m), d, h, mi)
			if !ok {
				continue
			}
			text := rest[:at.offset+loc[0]] + " " + rest[at.offset+loc[1]:]
			return when, strings.Trim(text, " ,|-–—"), hh != "", true
		}
	}
	return time.Time{}, "", false, false
}

// hasYear reports whether s has four digits in a row.
func hasYear(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			if run++; run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// isStampLine reports whether a line is a stamped headline of a list of
// related items (short, opening or closing with a date and time) or a
// bare date stamp.
func isStampLine(line string) bool {
	if len([]rune(line)) > 200 {
		return false
	}
	_, text, clock, ok := parseStamp(line)
	return ok && (clock || text == "")
}

// isBareStamp reports whether a line is a date stamp and nothing else.
func isBareStamp(line string) bool {
	_, text, _, ok := parseStamp(line)
	return ok && text == ""
}

// parseTime reads a date or date and time from metadata. Times without a
// zone are read in the agency's zone. It fails with the value quoted.
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", time.RFC1123Z, time.RFC1123} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "02.01.2006 15:04", "02.01.2006"} {
		if t, err := time.ParseInLocation(layout, s, agencyZone()); err == nil {
			return t.UTC(), nil
		}
	}
	if t, text, _, ok := parseStamp(s); ok && text == "" {
		return t, nil
	}
	return time.Time{}, herald.Errorf(herald.EInvalid, "cannot read %q as a date; use RFC 3339 such as 2024-02-16T23:04:00+04:00", s)
}
