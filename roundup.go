package herald

import (
	"fmt"
	"strings"
	"time"
)

// SourceReaders is the source of herald's own roundup articles ("What
// readers said"): the watcher never plans them on its own; each goes to the
// one channel it was made for.
const SourceReaders = "herald:readers"

// RoundupItem is one review quoted in a roundup.
type RoundupItem struct {
	Rating  int    // 0: a comment without stars
	Text    string // what the reader wrote
	Reader  string // their display name
	Article string // the title of the piece they reviewed
}

// Roundup builds the article of a "What readers said" post for a channel
// in lang, quoting items; at is when it is made. The article's text is the
// readers' own words, which the renderer escapes like any article's.
func Roundup(channelID int64, lang Language, at time.Time, items []RoundupItem) *Article {
	w := roundupWords[lang]
	if w.title == "" {
		w = roundupWords[LangEnglish]
	}
	var paras []string
	for _, it := range items {
		stars := ""
		if it.Rating > 0 {
			stars = strings.Repeat("★", it.Rating) + strings.Repeat("☆", 5-it.Rating) + " "
		}
		// Quoted in a post the newsroom signs: what readers typed is shown
		// without direction controls or invisible characters (Neutral).
		who := Neutral(it.Reader)
		if who == "" {
			who = w.reader
		}
		paras = append(paras, fmt.Sprintf("%s«%s»\n“%s” — %s", stars, it.Article, Neutral(it.Text), who))
	}
	return &Article{
		Source:      SourceReaders,
		ExternalID:  fmt.Sprintf("channel-%d-%s", channelID, at.UTC().Format("2006-01-02T15:04")),
		Kind:        KindNews,
		Language:    lang,
		Title:       w.title,
		Lead:        w.lead,
		Body:        strings.Join(paras, "\n\n"),
		PublishedAt: at,
		Status:      ArticlePublished,
	}
}

// roundupWords are a roundup's fixed words by language. Read-only.
var roundupWords = map[Language]struct{ title, lead, reader string }{
	LangEnglish:     {"What readers said", "A few of the reviews our readers left on recent pieces.", "a reader"},
	LangAzerbaijani: {"Oxucular nə dedi", "Oxucularımızın son yazılara yazdığı rəylərdən seçmələr.", "oxucu"},
	LangRussian:     {"Что сказали читатели", "Несколько отзывов, которые читатели оставили к недавним материалам.", "читатель"},
}
