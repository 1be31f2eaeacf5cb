// Package herald holds the domain of the herald newsroom distribution bot:
// articles that come in, channels that take them, posts that carry an
// article to a channel, readers' reviews, editors and their audit trail.
//
// It imports only the standard library. Adapters live in their own packages
// and are named after what they wrap: store (SQLite), ingest (getting
// articles in), scheduler (planning and dispatch) and bot (Telegram).
package herald

import "time"

// Kind is what sort of piece an article is.
type Kind string

// The kinds of article herald knows.
const (
	KindCommentary Kind = "commentary"
	KindEpisode    Kind = "episode"
	KindNews       Kind = "news"
)

// Kinds lists every valid Kind, in the order they are shown to people.
var Kinds = []Kind{KindCommentary, KindEpisode, KindNews}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Language is an ISO 639-1 code of a language herald publishes in.
type Language string

// The languages of the agency.
const (
	LangAzerbaijani Language = "az"
	LangEnglish     Language = "en"
	LangRussian     Language = "ru"
)

// Languages lists every valid Language.
var Languages = []Language{LangAzerbaijani, LangEnglish, LangRussian}

// Valid reports whether l is one of Languages.
func (l Language) Valid() bool {
	for _, v := range Languages {
		if l == v {
			return true
		}
	}
	return false
}

// AgencyZone is the agency's own time zone (Asia/Baku, UTC+4 all year).
// It is used where a page gives a local time without a zone. When the
// system has no zone database, a fixed UTC+4 zone stands in; Baku has not
// observed daylight saving time since 2016.
func AgencyZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Baku"); err == nil {
		return loc
	}
	return time.FixedZone("+04", 4*60*60)
}
