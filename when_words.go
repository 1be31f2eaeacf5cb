package herald

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// WhenExamples is the English help text for the times ParseWhen reads, for
// the command line and for English-speaking editors: WhenHelp(LangEnglish).
const WhenExamples = `now — at once (also: indi, сейчас)
19:00, 19.00, 9:30, 7pm — today, or tomorrow if that time has passed
today 19:00 — today only; a time that has passed is refused (also: bu gün 19:00, сегодня 19:00)
tomorrow 9:30, tomorrow — tomorrow; a day without a time means 09:00 (also: sabah 9:30, завтра в 9:30)
+2h, +45m, +1h30m, +1d, in 2h — from now; h and m are real hours and minutes, d keeps the clock time (also: 2 saat sonra, через 2ч)
mon 09:00, monday 9:00, fri — the next such day, today if still ahead (also: b.e., ç.a., ç., c.a., c., ş., b., cümə 19:00, пн, вт, ср, чт, пт, сб, вс, пятница 19:00)
2026-12-01 19:00, 2026-12-01T19:00, 01.12.2026 19:00, 2026-12-01 — that date
1 Dec 19:00, Dec 1 19:00, 1 Dec 2026 — the next such date (also: 1 dekabr 19:00, 1 декабря 19:00)`

// whenHelp is the help text in each language: one line per form, its
// examples before the dash (every one of them parses), its meaning after.
// Each language shows its own words; the grammar reads all three at once.
var whenHelp = map[Language]string{
	LangEnglish: WhenExamples,
	LangAzerbaijani: `indi — dərhal
19:00, 19.00, 9:30 — bu gün, bu vaxt artıq keçibsə, sabah
bu gün 19:00 — yalnız bu gün; keçmiş vaxt qəbul edilmir
sabah 9:30, sabah saat 9:30, sabah — sabah; saatsız gün 09:00 deməkdir
+2 saat, +45 dəq, +1 saat 30 dəq, +1 gün, 2 saat sonra — indidən; saat və dəqiqə real vaxtdır, gün saatı saxlayır
b.e. 09:00, cümə 19:00, ç.a., c. — həftənin ən yaxın həmin günü, vaxtı hələ keçməyibsə, bu gün
2026-12-01 19:00, 01.12.2026 19:00, 2026-12-01 — həmin tarix
1 dekabr 19:00, 1 dekabr 2026 — ən yaxın belə tarix`,
	LangRussian: `сейчас — немедленно
19:00, 19.00, 9:30 — сегодня, а если это время уже прошло, то завтра
сегодня 19:00, сегодня в 19:00 — только сегодня; прошедшее время не принимается
завтра 9:30, завтра в 9:30, завтра — завтра; день без времени означает 09:00
+2ч, +45мин, +1ч30мин, +1д, через 2ч, через 45 минут — от текущего момента; часы и минуты отсчитываются точно, +1д сохраняет время на часах
пн 09:00, пятница 19:00, в пятницу в 19:00, пт — ближайший такой день, сегодня, если время ещё впереди
2026-12-01 19:00, 01.12.2026 19:00, 2026-12-01 — эта дата
1 декабря 19:00, 1 декабря 2026 — ближайшая такая дата`,
}

// WhenHelp returns the help text for the times ParseWhen reads in lang
// (English for a language herald does not speak), one line per form.
func WhenHelp(lang Language) string {
	if h, ok := whenHelp[lang]; ok {
		return h
	}
	return WhenExamples
}

// whenMsg names one reason ParseWhen refuses a time.
type whenMsg int

const (
	whenTooLong whenMsg = iota
	whenNoTime
	whenInPast
	whenHowLong
	whenBadSpan
	whenBadUnit
	whenTwoDays
	whenTwoTimes
	whenNotClock
	whenWhichDay
	whenNotHere
	whenAlone
	whenUnknown
	whenBareHour
	whenWhatTimeToday
	whenNoDateYear
	whenNoDate
	whenTry // the short list of examples every refusal ends with
	whenMsgCount
)

// whenWords holds the refusals in each language. Arguments are quoted
// input (whenQuote), numbers, months (whenMonth) and times (whenAt), each
// rendered in the reader's language.
var whenWords = map[Language][whenMsgCount]string{
	LangEnglish: {
		whenTooLong:       "that is too long to be a time.",
		whenNoTime:        "no time given.",
		whenInPast:        "%s is in the past.",
		whenHowLong:       "how long from now?",
		whenBadSpan:       "don't understand %s as a span of time.",
		whenBadUnit:       "don't understand %s as a span of time: give days, hours or minutes, like +2h or +1h30m.",
		whenTwoDays:       "two days given (%s is the second).",
		whenTwoTimes:      "two times given (%s is the second).",
		whenNotClock:      "%s is not a time of day.",
		whenWhichDay:      "which day of %s? Write it like 1 Dec.",
		whenNotHere:       "don't understand %s here.",
		whenAlone:         "%s goes alone, without a day or time.",
		whenUnknown:       "don't understand %s.",
		whenBareHour:      "%s alone is unclear: write %d:00 for a time of day or +%dh for hours from now.",
		whenWhatTimeToday: "what time today? Write it like today 19:00.",
		whenNoDateYear:    "there is no %d %s %d.",
		whenNoDate:        "there is no %d %s.",
		whenTry:           "Try: now, 19:00, tomorrow 9:30, +2h, in 45m, mon 09:00, 2026-12-01 19:00.",
	},
	LangAzerbaijani: {
		whenTooLong:       "bu, vaxt üçün çox uzundur.",
		whenNoTime:        "vaxt göstərilməyib.",
		whenInPast:        "%s artıq keçib.",
		whenHowLong:       "indidən nə qədər sonra?",
		whenBadSpan:       "%s müddət kimi başa düşülmür.",
		whenBadUnit:       "%s müddət kimi başa düşülmür: gün, saat və ya dəqiqə yazın, məsələn, +2 saat və ya +1 saat 30 dəq.",
		whenTwoDays:       "iki gün göstərilib (%s ikincisidir).",
		whenTwoTimes:      "iki vaxt göstərilib (%s ikincisidir).",
		whenNotClock:      "%s günün saatı deyil.",
		whenWhichDay:      "%s ayının neçəsi? Məsələn, 1 dekabr yazın.",
		whenNotHere:       "%s burada başa düşülmür.",
		whenAlone:         "%s gün və saat olmadan, tək yazılır.",
		whenUnknown:       "%s başa düşülmür.",
		whenBareHour:      "tək %s aydın deyil: günün saatı üçün %d:00, indidən neçə saat sonra olduğunu bildirmək üçün +%d saat yazın.",
		whenWhatTimeToday: "bu gün saat neçədə? Məsələn, bu gün 19:00 yazın.",
		whenNoDateYear:    "%d %s %d tarixi yoxdur.",
		whenNoDate:        "%d %s tarixi yoxdur.",
		whenTry:           "Məsələn: indi, 19:00, sabah 9:30, +2 saat, 45 dəq sonra, b.e. 09:00, 2026-12-01 19:00.",
	},
	LangRussian: {
		whenTooLong:       "это слишком длинно для времени.",
		whenNoTime:        "время не указано.",
		whenInPast:        "%s уже прошло.",
		whenHowLong:       "через сколько?",
		whenBadSpan:       "не понимаю %s как промежуток времени.",
		whenBadUnit:       "не понимаю %s как промежуток времени: укажите дни, часы или минуты, например +2ч или +1ч30мин.",
		whenTwoDays:       "указаны два дня (второй — %s).",
		whenTwoTimes:      "указаны два времени (второе — %s).",
		whenNotClock:      "%s — не время суток.",
		whenWhichDay:      "какое число? Напишите день перед %s, как в «1 декабря».",
		whenNotHere:       "не понимаю здесь %s.",
		whenAlone:         "%s пишется отдельно, без дня и времени.",
		whenUnknown:       "не понимаю %s.",
		whenBareHour:      "одно %s неясно: напишите %d:00 для времени суток или +%dч для часов от текущего момента.",
		whenWhatTimeToday: "во сколько сегодня? Напишите, например, сегодня 19:00.",
		whenNoDateYear:    "даты %d %s %d не существует.",
		whenNoDate:        "даты %d %s не бывает.",
		whenTry:           "Например: сейчас, 19:00, завтра в 9:30, +2ч, через 45 мин, пн 09:00, 2026-12-01 19:00.",
	},
}

// localArg is an argument of a refusal that reads differently in each
// language.
type localArg interface{ in(lang Language) string }

// whenQuote is a bit of the editor's input, quoted the way each language
// quotes, with invisible characters made visible.
type whenQuote string

func (q whenQuote) in(lang Language) string {
	s := strconv.Quote(string(q))
	if lang == LangEnglish {
		return s
	}
	return "«" + strings.ReplaceAll(s[1:len(s)-1], `\"`, `"`) + "»"
}

// whenMonth is a month as a date names it ("1 декабря" takes the genitive).
type whenMonth time.Month

func (m whenMonth) in(lang Language) string {
	switch lang {
	case LangAzerbaijani:
		return azMonths[m-1]
	case LangRussian:
		return ruMonthsOf[m-1]
	}
	return time.Month(m).String()
}

// whenAt is an instant shown in a zone.
type whenAt struct {
	t   time.Time
	loc *time.Location
}

func (a whenAt) in(lang Language) string { return FormatWhenIn(a.t, a.loc, lang) }

// whenErr returns an EInvalid *Error saying m, then the short list of
// examples, in every language; Message is the English.
func whenErr(m whenMsg, args ...any) *Error {
	say := func(lang Language) string {
		words := whenWords[lang]
		local := make([]any, len(args))
		for i, a := range args {
			if la, ok := a.(localArg); ok {
				local[i] = la.in(lang)
			} else {
				local[i] = a
			}
		}
		return fmt.Sprintf(words[m], local...) + " " + words[whenTry]
	}
	e := &Error{Code: EInvalid, Message: say(LangEnglish), local: map[Language]string{}}
	for _, lang := range Languages {
		e.local[lang] = say(lang)
	}
	return e
}

var (
	azMonths = [12]string{"yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul",
		"avqust", "sentyabr", "oktyabr", "noyabr", "dekabr"}
	ruMonthsOf = [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
		"августа", "сентября", "октября", "ноября", "декабря"}
	azWeekdays = [7]string{"bazar", "bazar ertəsi", "çərşənbə axşamı", "çərşənbə", "cümə axşamı", "cümə", "şənbə"}
	ruWeekdays = [7]string{"вс", "пн", "вт", "ср", "чт", "пт", "сб"}
)

// FormatWhen renders t in loc (nil means UTC) in English, for echoing a
// time back to an editor and for the command line:
// FormatWhenIn(t, loc, LangEnglish).
func FormatWhen(t time.Time, loc *time.Location) string {
	return FormatWhenIn(t, loc, LangEnglish)
}

// FormatWhenIn renders t in loc (nil means UTC) in lang: weekday, date,
// 24-hour clock, then the zone's name and, when it says something more, its
// abbreviation. In English "Tue 1 Dec 2026 19:00 Asia/Baku (+04)"; in
// Azerbaijani "1 dekabr 2026, çərşənbə axşamı, 19:00 Asia/Baku (+04)"; in
// Russian "вт, 1 декабря 2026, 19:00 Asia/Baku (+04)". A zone without a
// real name ("Local") shows its abbreviation. Outside English a lettered
// abbreviation (CET) is given as an offset from UTC, which reads in any
// language.
func FormatWhenIn(t time.Time, loc *time.Location, lang Language) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	abbr, off := t.Zone()
	if abbr == "" {
		abbr = t.Format("-07:00")
	}
	if lang != LangEnglish && abbr != "UTC" && strings.IndexFunc(abbr, unicode.IsLetter) >= 0 {
		abbr = "UTC" + t.Format("-07:00")
		if off%3600 == 0 {
			abbr = "UTC" + t.Format("-07")
		}
	}
	zone := loc.String()
	switch {
	case zone == "" || zone == "Local" || zone == abbr:
		zone = abbr
	default:
		zone += " (" + abbr + ")"
	}
	clock := t.Format("15:04")
	switch lang {
	case LangAzerbaijani:
		return fmt.Sprintf("%d %s %d, %s, %s %s", t.Day(), azMonths[t.Month()-1], t.Year(), azWeekdays[t.Weekday()], clock, zone)
	case LangRussian:
		return fmt.Sprintf("%s, %d %s %d, %s %s", ruWeekdays[t.Weekday()], t.Day(), ruMonthsOf[t.Month()-1], t.Year(), clock, zone)
	}
	return t.Format("Mon 2 Jan 2006 15:04") + " " + zone
}
