package ingest

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// The lines a site puts above a headline and around an article that are
// not its text: the page's date with its weekday, the hero image as a
// scraper renders it, "last update" and "N hours ago", breadcrumbs,
// section labels and the agency's story codes.

// weekdays maps weekday names in English, Azerbaijani and Russian (the
// nominative, and the accusative of "в четверг"), lower case, to the day.
// Two-word Azerbaijani names are listed whole. Read-only.
var weekdays = map[string]time.Weekday{
	"monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday, "sunday": time.Sunday,
	"bazar ertəsi": time.Monday, "çərşənbə axşamı": time.Tuesday, "çərşənbə": time.Wednesday,
	"cümə axşamı": time.Thursday, "cümə": time.Friday, "şənbə": time.Saturday, "bazar": time.Sunday,
	"понедельник": time.Monday, "вторник": time.Tuesday, "среда": time.Wednesday, "среду": time.Wednesday,
	"четверг": time.Thursday, "пятница": time.Friday, "пятницу": time.Friday,
	"суббота": time.Saturday, "субботу": time.Saturday, "воскресенье": time.Sunday,
}

// weekdayMatch is a weekday name found in a text: its bytes and its name
// in lower case as weekdays lists it.
type weekdayMatch struct {
	start, end int
	name       string
}

// findWeekdays returns the weekday names in s, as whole words, a two-word
// Azerbaijani name ("cümə axşamı") whole rather than its first word. It
// scans words instead of running a regular expression over every line.
func findWeekdays(s string) []weekdayMatch {
	type word struct {
		start, end int
		lower      string
	}
	var words []word
	start := -1
	for i, r := range s + " " {
		letter := unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
		switch {
		case letter && start < 0:
			start = i
		case !letter && start >= 0:
			words = append(words, word{start, i, strings.ToLower(s[start:i])})
			start = -1
		}
	}
	var out []weekdayMatch
	for i := 0; i < len(words); i++ {
		w := words[i]
		if i+1 < len(words) {
			two := w.lower + " " + words[i+1].lower
			if _, ok := weekdays[two]; ok && strings.TrimSpace(s[w.end:words[i+1].start]) == "" {
				out = append(out, weekdayMatch{w.start, words[i+1].end, two})
				i++
				continue
			}
		}
		if _, ok := weekdays[w.lower]; ok {
			out = append(out, weekdayMatch{w.start, w.end, w.lower})
		}
	}
	return out
}

var (
	// "![Caption](https://…/photo.webp)" and `![](url "title")`, alone on a line.
	imageLine = regexp.MustCompile(`^!\[([^\[\]\n]*)\]\((\S+?)(?:\s+"[^"]*")?\)$`)
	// An image inside a line of text: dropped, the text kept.
	inlineImage = regexp.MustCompile(`!\[[^\[\]\n]*\]\(\S+?(?:\s+"[^"]*")?\)`)
	// "Last update: 14:05", "Son yenilənmə", "Последнее обновление 3 декабря".
	updateLine = regexp.MustCompile(`(?i)^(?:last\s+update[d]?|updated|published|son\s+yenilənmə|yenilənib|yeniləndi|dərc\s+olunub|tarix|последнее\s+обновление|обновлено|опубликовано|дата\s+публикации)\s*(?:[:\-–—,]|$)`)
	// "(1 час назад)", "2 hours ago", "5 saat əvvəl", "an hour ago".
	agoLine = regexp.MustCompile(`(?i)^\(?\s*(?:\d{1,3}\s+|an?\s+|one\s+|bir\s+)?(?:seconds?|minutes?|mins?|hours?|days?|weeks?|months?|saniyə|dəqiqə|saat|gün|həftə|ay|секунд\p{L}*|минут\p{L}*|час\p{L}*|дн\p{L}*|день|недел\p{L}*|месяц\p{L}*)\s+(?:ago|əvvəl|öncə|назад)\s*\)?$`)
	// "Today, 14:05", "Bu gün, 14:05", "Вчера в 18:30", "14:05".
	relativeStamp = regexp.MustCompile(`(?i)^\(?(?:(?:today|yesterday|bu\s*gün|dünən|сегодня|вчера)\s*(?:,|в|at|saat)?\s*)?\d{1,2}:\d{2}\)?$`)
	// Story codes of the agency's teasers: "-06В-", "-03C04-" (the letters
	// may be Latin or Cyrillic).
	agencyCode = regexp.MustCompile(`^[-–—]\s*\d{1,3}\s*(?:\p{L}{1,2}\s*\d{0,3})?\s*[-–—]$`)
	// The same code closing the body's last paragraph: "…the sides. -06В-",
	// "…negotiations.-0-".
	trailingCode = regexp.MustCompile(`(?:^|[\s.!?»"”)])([-–—]\d{1,3}(?:\p{L}{1,2}\d{0,3})?[-–—])$`)
	// A photo credit or caption above the headline: "Açıq mənbələrdən
	// foto.", "Photo: Turan", "Фото из открытых источников".
	captionLine = regexp.MustCompile(`(?i)(?:^(?:photo|foto|фото|şəkil)\s*[:/©]|(?:mənbələrdən|sources|источников|archive|arxiv|архива?)\s+(?:photo|foto|фото|şəkil)\.?$|^(?:фото|photo|foto)\s+(?:из открытых источников|from open sources|açıq mənbələrdən))`)
	// A line of metadata under a headline: "Bölmə: Müsahibə", "Section: Politics".
	metaLine = regexp.MustCompile(`(?i)^(?:section|category|rubric|author|bölmə|kateqoriya|rubrika|müəllif|рубрика|раздел|категория|автор)\s*:\s*\S.{0,60}$`)
	// Breadcrumb separators: "Home / Politics", "Ana səhifə » Siyasət".
	crumbSep = regexp.MustCompile(`\s*(?:/|»|›|>|→|\|)\s*`)
	// A bullet in front of a line: "• Thursday, 3 December 2026".
	bullet = regexp.MustCompile(`^(?:[•·▪◦●■*]|-(?:\s|$))\s*`)
)

// defaultSections are the section names the agency's site and its peers
// show above a headline and after a body (before the teasers of other
// pieces). Read-only.
var defaultSections = []string{
	// English.
	"Politics", "Economy", "Society", "World", "Region", "Regions", "Analytics",
	"Analysis", "Interview", "Interviews", "Opinion", "Opinions", "Commentary",
	"Culture", "Sport", "Sports", "Business", "Finance", "Energy", "Official",
	"Incidents", "Azerbaijan", "Caucasus", "Exclusive", "Video", "Photo", "Q&A",
	"Top news", "Main news", "News", "Human rights", "Elections", "Opposition",
	// Azerbaijani.
	"Siyasət", "İqtisadiyyat", "Cəmiyyət", "Dünya", "Analitika", "Müsahibə",
	"Mədəniyyət", "İdman", "Biznes", "Enerji", "Rəsmi", "Hadisə", "Hadisələr",
	"Azərbaycan", "Qafqaz", "Şərh", "Xəbərlər", "Gündəm", "Ölkə", "Müxalifət",
	"İnsan hüquqları", "Seçkilər", "Sual-cavab",
	// Russian.
	"Политика", "Экономика", "Общество", "Мир", "В мире", "Регион", "Регионы",
	"Аналитика", "Интервью", "Мнение", "Мнения", "Комментарий", "Культура",
	"Спорт", "Бизнес", "Финансы", "Энергетика", "Официально", "Происшествия",
	"Азербайджан", "Кавказ", "Новости", "Эксклюзив", "Права человека", "Выборы",
	"Оппозиция", "Вопрос-ответ", "Question-answer", "In Focus", "Diqqət mərkəzində", "В фокусе",
}

// readAlso are the labels that open a list of other pieces: the article
// has ended above them. Read-only.
var readAlso = []string{
	"Read also", "Also read", "See also", "Related", "Related news", "Related articles",
	"More on the topic", "More news", "Other news", "Latest news", "Most read", "Popular",
	"Həmçinin oxuyun", "Həmçinin bax", "Oxşar xəbərlər", "Digər xəbərlər", "Son xəbərlər",
	"Bu mövzuda", "Mövzu ilə bağlı", "Ən çox oxunanlar", "Xəbər lenti",
	"Читайте также", "Смотрите также", "Ещё по теме", "Еще по теме", "По теме",
	"Другие новости", "Похожие новости", "Последние новости", "Самое читаемое", "Лента новостей",
	"Important news", "Popular news", "All news", "Bütün xəbərlər", "Önəmli xəbərlər", "Все новости",
	"Главные новости", "Популярное",
}

// labelSet matches lines that are a section label or a "read also" label,
// with bullets, dashes and punctuation around them.
type labelSet struct {
	sections, also map[string]bool // by chromeKey
}

// defaultLabelSet is the built-in labels, keyed once for every call.
var defaultLabelSet = sync.OnceValue(func() labelSet { return buildLabelSet(nil) })

// newLabelSet returns the built-in labels plus a source's own sections.
func newLabelSet(extraSections []string) labelSet {
	if len(extraSections) == 0 {
		return defaultLabelSet()
	}
	return buildLabelSet(extraSections)
}

func buildLabelSet(extraSections []string) labelSet {
	s := labelSet{sections: map[string]bool{}, also: map[string]bool{}}
	for _, l := range append(append([]string{}, defaultSections...), extraSections...) {
		if k := chromeKey(l); k != "" {
			s.sections[k] = true
		}
	}
	for _, l := range readAlso {
		s.also[chromeKey(l)] = true
	}
	return s
}

func (s labelSet) isSection(line string) bool {
	return utf8.RuneCountInString(line) <= 60 && s.sections[chromeKey(line)]
}

func (s labelSet) isReadAlso(line string) bool {
	return utf8.RuneCountInString(line) <= 60 && s.also[chromeKey(line)]
}

// isReadAlsoLink reports whether a line is a "read also" label with the
// headline of another piece on the same line ("Read also: Oil output
// falls", "ƏLAQƏLİ: …", "Читайте также – …"), as sites put one inside a
// body: the line goes, the article goes on.
func (s labelSet) isReadAlsoLink(line string) bool {
	label, rest, ok := cutLabel(line)
	return ok && rest != "" && utf8.RuneCountInString(rest) <= 200 && (s.also[chromeKey(label)] || inlineAlso[chromeKey(label)])
}

// inlineAlso are labels that only ever stand before another piece's
// headline inside a body. By chromeKey. Read-only.
var inlineAlso = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range []string{"Also read", "Read more", "Related", "Əlaqəli", "Oxu", "Oxuyun", "Həmçinin oxu", "Читайте", "Читайте также", "По теме", "Смотрите"} {
		m[chromeKey(l)] = true
	}
	return m
}()

// cutLabel splits "Label: text" or "Label – text" at the first colon or
// spaced dash within the first 40 bytes.
func cutLabel(line string) (label, rest string, ok bool) {
	for _, sep := range []string{":", " – ", " — ", " - "} {
		if i := strings.Index(line, sep); i > 0 && i <= 40 {
			return line[:i], strings.TrimSpace(line[i+len(sep):]), true
		}
	}
	return "", "", false
}

// imageURL returns the URL of a line that is only an image, or "".
func imageURL(line string) string {
	if m := imageLine.FindStringSubmatch(line); m != nil {
		return strings.Trim(m[2], "<>")
	}
	return ""
}

// parseDateLine reads a line that is only the page's date, with or without
// its weekday, a time, a bullet and "Baku time" ("• Thursday, 3 December
// 2026", "Cümə axşamı, 3 dekabr 2026", "Четверг, 3 декабря 2026 г.",
// "2025, 25 Yanvar, şənbə, Bakı vaxtı 16:19", "03.12.2026 | 14:05",
// "Thursday 03rd December 2026,"). It returns the instant: the time given,
// else midnight, in the agency's zone.
func parseDateLine(line string) (time.Time, bool) {
	// Cheap tests first: every line of a page is asked.
	if len(line) > 160 || !hasYear(line) {
		return time.Time{}, false
	}
	s := bullet.ReplaceAllString(strings.TrimSpace(line), "")
	if utf8.RuneCountInString(s) > 72 {
		return time.Time{}, false
	}
	s = strings.ToLower(s)
	for _, filler := range dateFillers {
		s = strings.ReplaceAll(s, filler, " ")
	}
	if m := findWeekdays(s); len(m) > 0 {
		s = s[:m[0].start] + " " + s[m[0].end:]
	}
	var day, mon, year, hour, min int
	if m := clockToken.FindStringSubmatchIndex(s); m != nil {
		hour, _ = strconv.Atoi(s[m[2]:m[3]])
		min, _ = strconv.Atoi(s[m[4]:m[5]])
		s = s[:m[0]] + " " + s[m[1]:]
	}
	if m := numericDate.FindStringSubmatchIndex(s); m != nil {
		a, _ := strconv.Atoi(s[m[2]:m[3]])
		b, _ := strconv.Atoi(s[m[4]:m[5]])
		c, _ := strconv.Atoi(s[m[6]:m[7]])
		if a > 31 { // 2026-12-03
			year, mon, day = a, b, c
		} else {
			day, mon, year = a, b, c
		}
		rest := s[:m[0]] + " " + s[m[1]:]
		if strings.TrimFunc(rest, func(r rune) bool { return dateSep(r) || r == '.' }) != "" {
			return time.Time{}, false
		}
	} else {
		for _, w := range strings.FieldsFunc(s, dateSep) {
			w = strings.TrimSuffix(w, ".")
			digits := ordinal.ReplaceAllString(w, "$1")
			n, err := strconv.Atoi(digits)
			switch {
			case w == "":
			case err == nil && len(digits) == 4 && year == 0:
				year = n
			case err == nil && n >= 1 && n <= 31 && day == 0:
				day = n
			case months[w] != 0 && mon == 0:
				mon = int(months[w])
			default:
				return time.Time{}, false
			}
		}
		if year == 0 || mon == 0 || day == 0 {
			return time.Time{}, false
		}
	}
	if year < 100 && year > 0 {
		year += 2000
	}
	return civilDate(year, time.Month(mon), day, hour, min)
}

var (
	clockToken  = regexp.MustCompile(`(?:^|[^\d:])(\d{1,2}):(\d{2})(?:[^\d:]|$)`)
	numericDate = regexp.MustCompile(`(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})`)
	ordinal     = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th|-?ci|-?cı|-?cu|-?cü|-?го|-?е)$`)
	// Words a date line may carry beside the date, lower case.
	dateFillers = []string{"bakı vaxtı", "baku time", "по бакинскому времени", "бакинское время",
		"г.", " il", "года", " год", "saat", "at "}
)

// dateSep reports whether r separates the words of a date line.
func dateSep(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune(",|/()•·—–-", r)
}

// isBreadcrumb reports whether a line is a trail of two to six short
// section names ("Home / Politics / Azerbaijan", "Ana səhifə » Siyasət").
func isBreadcrumb(line string) bool {
	parts := crumbSep.Split(strings.TrimSpace(line), -1)
	if len(parts) < 2 || len(parts) > 6 || !crumbSep.MatchString(line) {
		return false
	}
	for _, p := range parts {
		if p == "" || utf8.RuneCountInString(p) > 30 {
			return false
		}
		for _, r := range p {
			if !unicode.IsLetter(r) && r != ' ' && r != '-' && r != '&' && !unicode.Is(unicode.Mn, r) {
				return false
			}
		}
	}
	return true
}

// isDash reports whether a line is only a dash or a bullet: the separator
// between the teasers of other pieces.
func isDash(line string) bool {
	switch strings.TrimSpace(line) {
	case "-", "–", "—", "•", "·", "|":
		return true
	}
	return false
}

// opening is what the lines above a headline (and just under it) told.
type opening struct {
	date    time.Time // from a date line or a bare stamp
	image   string    // from the first image line
	program string    // from a section label naming a show
}

// openingLine reports whether a line above or just under the headline is
// not text: a date line, an image, "last update", "N hours ago", a
// breadcrumb, a section label, a story code, a dash. What it tells goes
// into o.
func (c *cleaner) openingLine(line string, o *opening) bool {
	if u := imageURL(line); u != "" {
		if o.image == "" {
			o.image = u
		}
		return true
	}
	if t, ok := parseDateLine(line); ok {
		if o.date.IsZero() {
			o.date = t
		}
		return true
	}
	if isBareStamp(line) {
		if t, _, _, _ := parseStamp(line); o.date.IsZero() {
			o.date = t
		}
		return true
	}
	if p := c.programs.label(line); p != "" {
		if o.program == "" {
			o.program = p
		}
		return true
	}
	bare := bullet.ReplaceAllString(line, "")
	if m := updateLine.FindStringIndex(bare); m != nil {
		// "Tarix: 10-05-2019 13:10 | Bölmə: Müsahibə": the date is the page's.
		if t, _, _, ok := parseStamp(strings.TrimSpace(bare[m[1]:])); ok && o.date.IsZero() {
			o.date = t
		}
		return true
	}
	if utf8.RuneCountInString(line) <= 120 && captionLine.MatchString(line) {
		return true
	}
	return metaLine.MatchString(bare) || agoLine.MatchString(bare) || relativeStamp.MatchString(bare) ||
		isBreadcrumb(line) || c.labels.isSection(line) || agencyCode.MatchString(line) || isDash(line)
}
