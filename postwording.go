package herald

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Wording is a post's fixed text in one language, the same on every
// network: labels of links, the lines above an episode. Its episode lines
// have {day}, {time} and {program} in them.
type Wording struct {
	readOn, continueReading, leaveReview, watchRecording, breaking string
	guest, guests, expert, experts                                 string
	today, tonight, tomorrow, yesterday, date                      string // date: fmt over (day, month)
	months                                                         [12]string
	quote                                                          string // fmt around the program's name
	announce, announceBare, soon, soonBare, live, liveBare         string
	recording, recordingBare                                       string
}

var wordings = map[Language]*Wording{
	LangEnglish: {
		readOn: "Read on the site", continueReading: "Continue reading on the site",
		leaveReview: "Leave a review", watchRecording: "Watch the recording", breaking: "Breaking",
		guest: "Guest", guests: "Guests", expert: "Expert", experts: "Experts",
		today: "today", tonight: "tonight", tomorrow: "tomorrow", yesterday: "yesterday", date: "on %d %s",
		months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"},
		quote:    "“%s”",
		announce: "{day} at {time} in {program}:", announceBare: "{day} at {time} on air:",
		soon: "Coming up in {program}:", soonBare: "Coming up on air:",
		live: "🔴 On air now: {program}", liveBare: "🔴 On air now:",
		recording: "Recording of {program}, aired {day} at {time}:", recordingBare: "Recording of the broadcast aired {day} at {time}:",
	},
	LangRussian: {
		readOn: "Читать на сайте", continueReading: "Читать полностью на сайте",
		leaveReview: "Оставить отзыв", watchRecording: "Смотреть запись", breaking: "Срочно",
		guest: "Гость", guests: "Гости", expert: "Эксперт", experts: "Эксперты",
		today: "сегодня", tonight: "сегодня", tomorrow: "завтра", yesterday: "вчера", date: "%d %s",
		months: [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
			"августа", "сентября", "октября", "ноября", "декабря"},
		quote:    "«%s»",
		announce: "{day} в {time} в программе {program}:", announceBare: "{day} в {time} в эфире:",
		soon: "Скоро в эфире программа {program}:", soonBare: "Скоро в эфире:",
		live: "🔴 Сейчас в эфире программа {program}", liveBare: "🔴 Сейчас в эфире:",
		recording: "Запись эфира программы {program} {day} в {time}:", recordingBare: "Запись эфира {day} в {time}:",
	},
	LangAzerbaijani: {
		readOn: "Saytda oxuyun", continueReading: "Davamını saytda oxuyun",
		leaveReview: "Rəy bildirin", watchRecording: "Videoya baxın", breaking: "Təcili",
		guest: "Qonaq", guests: "Qonaqlar", expert: "Ekspert", experts: "Ekspertlər",
		today: "bu gün", tonight: "bu axşam", tomorrow: "sabah", yesterday: "dünən", date: "%d %s",
		months: [12]string{"yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul",
			"avqust", "sentyabr", "oktyabr", "noyabr", "dekabr"},
		quote:    "«%s»",
		announce: "{day} saat {time} {program} verilişində:", announceBare: "{day} saat {time} efirdə:",
		soon: "Tezliklə {program} verilişində:", soonBare: "Tezliklə efirdə:",
		live: "🔴 {program} verilişi hazırda efirdədir", liveBare: "🔴 Hazırda efirdəyik:",
		recording: "{program} verilişinin {day} saat {time} efirinin yazısı:", recordingBare: "{day} saat {time} efirinin yazısı:",
	},
}

// WordingFor returns the wording of lang, English for a language herald
// does not know.
func WordingFor(lang Language) *Wording {
	if w, ok := wordings[lang]; ok {
		return w
	}
	return wordings[LangEnglish]
}

// PostLabels is the fixed wording of a post, in the channel's language.
type PostLabels struct {
	ReadOn          string // "Read on the site"
	ContinueReading string // "Continue reading on the site"
	LeaveReview     string // "Leave a review"
	WatchRecording  string // "Watch the recording"
	Breaking        string // "Breaking"
	People          string // "Guests", "Expert"...; "" when the kind names nobody
}

// Labels returns the labels of a post of kind naming people people.
func (w *Wording) Labels(kind Kind, people int) PostLabels {
	l := PostLabels{ReadOn: w.readOn, ContinueReading: w.continueReading, LeaveReview: w.leaveReview,
		WatchRecording: w.watchRecording, Breaking: w.breaking}
	switch {
	case kind == KindEpisode && people == 1:
		l.People = w.guest
	case kind == KindEpisode:
		l.People = w.guests
	case kind == KindCommentary && people == 1:
		l.People = w.expert
	case kind == KindCommentary:
		l.People = w.experts
	}
	return l
}

// Episode returns the line above an episode's title, not escaped: when it
// airs (announce), that it is on air (live), or that this is its recording.
// air and now are in the channel's zone; air is zero when unknown. What the
// title already says is not said again: a title naming the program gets
// the line without it, and one naming the day ("Tonight in …") the line
// without the day.
func (w *Wording) Episode(purpose Purpose, recording bool, air, now time.Time, program, title string) string {
	var pattern, bare string
	switch {
	case recording:
		pattern, bare = w.recording, w.recordingBare
	case purpose == PurposeLive:
		pattern, bare = w.live, w.liveBare
	case purpose == PurposeAnnounce && air.IsZero():
		pattern, bare = w.soon, w.soonBare
	case purpose == PurposeAnnounce:
		pattern, bare = w.announce, w.announceBare
	default:
		return ""
	}
	lower := strings.ToLower(title)
	if program != "" && !strings.Contains(lower, strings.ToLower(program)) {
		bare = pattern
	}
	day := w.day(air, now, recording)
	if mentions(lower, strings.ToLower(day)) {
		bare = strings.Replace(bare, "{day} ", "", 1)
	}
	line := strings.NewReplacer("{day}", day, "{time}", air.Format("15:04"),
		"{program}", fmt.Sprintf(w.quote, program)).Replace(bare)
	r, size := utf8.DecodeRuneInString(line)
	return string(unicode.ToUpper(r)) + line[size:]
}

// day names air's day as seen from now: today, tonight (from 18:00),
// tomorrow, yesterday, or the date.
func (w *Wording) day(air, now time.Time, past bool) string {
	y1, m1, d1 := air.Date()
	y2, m2, d2 := now.Date()
	days := int(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC).Sub(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == 0 && !past && air.Hour() >= 18:
		return w.tonight
	case days == 0:
		return w.today
	case days == 1 && !past:
		return w.tomorrow
	case days == -1 && past:
		return w.yesterday
	}
	return fmt.Sprintf(w.date, d1, w.months[m1-1])
}

// mentions reports whether text has word as a whole word (or words), so
// that "today" is not found in "todays".
func mentions(text, word string) bool {
	for i := 0; word != ""; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || !unicode.IsLetter(before)) && (end == len(text) || !unicode.IsLetter(after)) {
			return true
		}
		i = end
	}
	return false
}
