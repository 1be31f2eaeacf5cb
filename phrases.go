package herald

import (
	"fmt"
	"time"
)

// Phrase names a sentence the domain and the store say to people when
// they refuse something (a post that is not there, a post already sent),
// so that an editor reads it in their own language. Adding one: name it
// here and give it in each language below; TestPhrases fails until all
// three have it.
type Phrase int

// The phrases; the comment says what arguments each takes.
const (
	PhrasePostNotFound       Phrase = iota // post id
	PhraseArticleNotFound                  // article id
	PhraseNoArticleAt                      // url
	PhraseNoChannel                        // what was typed
	PhraseChannelAmbiguous                 // what was typed, how many, the matches
	PhrasePostIs                           // post id, its state (PostState)
	PhrasePostChanged                      // post id, its state now (PostState)
	PhraseArticleUnpublished               // article id
	PhraseNoChannelTakes                   // kind (Kind), language (Language)
	PhraseNotAnEditor                      // user id
	PhraseAlreadyAnEditor                  // user id
	PhraseIsAnOwner                        // user id
	PhraseReviewNotFound                   // review id
	PhraseInThePast                        // when (time.Time, shown in UTC)
	phraseCount
)

// phrases holds them in each language. Read-only.
var phrases = map[Language][phraseCount]string{
	LangEnglish: {
		PhrasePostNotFound:       "post %d not found",
		PhraseArticleNotFound:    "article %d not found",
		PhraseNoArticleAt:        "no article with url %s",
		PhraseNoChannel:          "no channel %s (give its id, chat or title; herald channel list shows them)",
		PhraseChannelAmbiguous:   "%s names %d channels: %s; give the id or the chat instead",
		PhrasePostIs:             "post %d is %s",
		PhrasePostChanged:        "post %d changed since (now %s)",
		PhraseArticleUnpublished: "article %d is unpublished",
		PhraseNoChannelTakes:     "no channel takes %s in %s",
		PhraseNotAnEditor:        "%d is not an editor",
		PhraseAlreadyAnEditor:    "%d is already an editor",
		PhraseIsAnOwner:          "%d is an owner (owners come from HERALD_OWNERS)",
		PhraseReviewNotFound:     "review %d not found",
		PhraseInThePast:          "%s is in the past",
	},
	LangAzerbaijani: {
		PhrasePostNotFound:       "#%d yazısı tapılmadı",
		PhraseArticleNotFound:    "#%d məqaləsi tapılmadı",
		PhraseNoArticleAt:        "%s ünvanlı məqalə yoxdur",
		PhraseNoChannel:          "%s adlı kanal yoxdur (ID-sini, çatını və ya adını yazın; /channels kanalları göstərir)",
		PhraseChannelAmbiguous:   "%s %d kanala uyğun gəlir: %s; əvəzinə ID-ni və ya çatı yazın",
		PhrasePostIs:             "#%d yazısı artıq %s",
		PhrasePostChanged:        "#%d yazısı artıq dəyişib (indi: %s)",
		PhraseArticleUnpublished: "#%d məqaləsi dərcdən çıxarılıb",
		PhraseNoChannelTakes:     "%s növünü %s dilində qəbul edən kanal yoxdur",
		PhraseNotAnEditor:        "%d redaktor deyil",
		PhraseAlreadyAnEditor:    "%d artıq redaktordur",
		PhraseIsAnOwner:          "%d sahibdir (sahiblər HERALD_OWNERS-dən gəlir)",
		PhraseReviewNotFound:     "#%d rəyi tapılmadı",
		PhraseInThePast:          "%s artıq keçib",
	},
	LangRussian: {
		PhrasePostNotFound:       "публикация #%d не найдена",
		PhraseArticleNotFound:    "статья #%d не найдена",
		PhraseNoArticleAt:        "статьи по адресу %s нет",
		PhraseNoChannel:          "канала %s нет (укажите его ID, чат или название; /channels покажет каналы)",
		PhraseChannelAmbiguous:   "под %s подходят каналы (%d): %s; укажите вместо этого ID или чат",
		PhrasePostIs:             "публикация #%d уже %s",
		PhrasePostChanged:        "публикация #%d уже изменилась (сейчас: %s)",
		PhraseArticleUnpublished: "статья #%d снята с публикации",
		PhraseNoChannelTakes:     "ни один канал не принимает материалы вида «%s» на языке «%s»",
		PhraseNotAnEditor:        "%d не редактор",
		PhraseAlreadyAnEditor:    "%d уже редактор",
		PhraseIsAnOwner:          "%d — владелец (владельцы задаются в HERALD_OWNERS)",
		PhraseReviewNotFound:     "отзыв #%d не найден",
		PhraseInThePast:          "%s уже прошло",
	},
}

// Sayf returns an *Error of code saying phrase p with args, in every
// language herald speaks; Message is the English. PostState, Kind,
// Language and time.Time arguments are named in each language; strings
// are quoted as each language quotes.
func Sayf(code string, p Phrase, args ...any) *Error {
	say := func(lang Language) string {
		local := make([]any, len(args))
		for i, a := range args {
			switch a := a.(type) {
			case PostState:
				local[i] = StateName(lang, a)
			case Kind:
				local[i] = kindNames[lang][a]
				if local[i] == "" {
					local[i] = string(a)
				}
			case Language:
				local[i] = languageNames[lang][a]
				if local[i] == "" {
					local[i] = string(a)
				}
			case time.Time:
				local[i] = FormatWhenIn(a, time.UTC, lang)
			case string:
				// What someone typed, quoted and cut short: a reference of
				// thousands of characters must not make the refusal itself
				// too long to send.
				local[i] = whenQuote(clipped(a, 64)).in(lang)
			case Verbatim:
				local[i] = clipped(string(a), 300)
			default:
				local[i] = a
			}
		}
		return fmt.Sprintf(phrases[lang][p], local...)
	}
	e := &Error{Code: code, Message: say(LangEnglish), local: map[Language]string{}}
	for _, lang := range Languages {
		e.local[lang] = say(lang)
	}
	return e
}

// Verbatim is an argument of Sayf shown as it is, not quoted: a list, a
// URL.
type Verbatim string

// StateName names a post state for people in lang: "planned",
// "planlaşdırılıb", "запланирована". English uses the state's own name.
func StateName(lang Language, s PostState) string {
	if n, ok := stateNames[lang][s]; ok {
		return n
	}
	return string(s)
}

var stateNames = map[Language]map[PostState]string{
	LangAzerbaijani: {PostAwaiting: "təsdiq gözləyir", PostPlanned: "planlaşdırılıb", PostScheduled: "təyin edilib", PostSending: "göndərilir",
		PostSent: "göndərilib", PostEdited: "düzəldilib", PostDeleted: "silinib", PostUnknown: "bilinmir",
		PostFailed: "uğursuz", PostCancelled: "ləğv edilib"},
	LangRussian: {PostAwaiting: "ждёт одобрения", PostPlanned: "запланирована", PostScheduled: "назначена", PostSending: "отправляется",
		PostSent: "вышла", PostEdited: "исправлена", PostDeleted: "удалена", PostUnknown: "под вопросом",
		PostFailed: "не удалась", PostCancelled: "отменена"},
}

var kindNames = map[Language]map[Kind]string{
	LangEnglish:     {KindCommentary: "commentary", KindEpisode: "episodes", KindNews: "news"},
	LangAzerbaijani: {KindCommentary: "şərh", KindEpisode: "veriliş", KindNews: "xəbər"},
	LangRussian:     {KindCommentary: "комментарий", KindEpisode: "выпуск", KindNews: "новости"},
}

var languageNames = map[Language]map[Language]string{
	LangEnglish:     {LangAzerbaijani: "Azerbaijani", LangEnglish: "English", LangRussian: "Russian"},
	LangAzerbaijani: {LangAzerbaijani: "Azərbaycan", LangEnglish: "ingilis", LangRussian: "rus"},
	LangRussian:     {LangAzerbaijani: "азербайджанский", LangEnglish: "английский", LangRussian: "русский"},
}
