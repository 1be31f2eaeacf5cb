package bot

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

var (
	// verbs finds the fmt verbs of a sentence, which every language must
	// take in the same order.
	verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	// notWords are the parts of a sentence that are not prose: commands,
	// markup, entities, verbs, and the words every language keeps (herald,
	// Telegram, ID, the arguments of commands, the units of "+2h").
	notWords = regexp.MustCompile(`herald [a-z-]+( add| set| list| remove)?|/[a-z_]+(@\w+)?|<[^>]+>|&[a-z]+;|%[-+# 0-9.]*[a-zA-Z%]|\{[a-z]+\}|\[[a-z|]+\]|\+\d+[hm]\b`)
	// kept are the Latin words every language keeps.
	kept = map[string]bool{"herald": true, "Telegram": true, "ID": true, "UTC": true, "all": true, "add": true, "remove": true}
	word = regexp.MustCompile(`[\p{L}']+`)
	// english are common English words no Azerbaijani sentence has.
	english = map[string]bool{}
)

func init() {
	for _, w := range strings.Fields("the and or is are not of to in at on for with you your this that post posts review reviews sent now day days yet no back next try again please time") {
		english[w] = true
	}
}

// foreign returns the words of prose that lang should not have: Latin
// words in Russian, English words in Azerbaijani.
func foreign(lang herald.Language, prose string) []string {
	var out []string
	for _, w := range word.FindAllString(prose, -1) {
		switch {
		case kept[w]:
		case lang == herald.LangRussian && regexp.MustCompile(`^[A-Za-z']+$`).MatchString(w) && len(w) > 1:
			out = append(out, w)
		case lang == herald.LangAzerbaijani && english[strings.ToLower(w)]:
			out = append(out, w)
		}
	}
	return out
}

// sentences lists every entry of the catalogue, the readers' post wording
// and the post states, by language, under a name for the error message.
func sentences() map[herald.Language]map[string]string {
	out := map[herald.Language]map[string]string{}
	for _, lang := range herald.Languages {
		out[lang] = map[string]string{}
		for m := msg(0); m < msgCount; m++ {
			out[lang][fmt.Sprintf("msg %d", m)] = catalogue[lang][m]
		}
		w := reflect.ValueOf(herald.WordingFor(lang)).Elem()
		for i := 0; i < w.NumField(); i++ {
			f := w.Field(i)
			switch f.Kind() {
			case reflect.String:
				out[lang]["wording."+w.Type().Field(i).Name] = f.String()
			case reflect.Array:
				for j := 0; j < f.Len(); j++ {
					out[lang][fmt.Sprintf("wording.%s[%d]", w.Type().Field(i).Name, j)] = f.Index(j).String()
				}
			}
		}
	}
	return out
}

// TestCatalogue walks every sentence herald says to editors and readers
// in each language: each is there, takes the same arguments as in
// English, and is in its own language (no Latin words in Russian but
// commands and names; no English words in Azerbaijani).
func TestCatalogue(t *testing.T) {
	all := sentences()
	en := all[herald.LangEnglish]
	// Where two languages really say the same thing.
	same := map[string]bool{"wording.quote": true}
	for _, lang := range herald.Languages {
		t.Run(string(lang), func(t *testing.T) {
			if len(catalogue[lang]) != int(msgCount) {
				t.Errorf("%s has %d sentences, want %d (one for each msg)", lang, len(catalogue[lang]), msgCount)
			}
			for name, s := range all[lang] {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s: %s is missing", lang, name)
					continue
				}
				if got, want := verbs.FindAllString(s, -1), verbs.FindAllString(en[name], -1); !reflect.DeepEqual(got, want) {
					t.Errorf("%s: %s takes %v, English takes %v: %q", lang, name, got, want, s)
				}
				if lang == herald.LangEnglish {
					continue
				}
				if s == en[name] && !same[name] && !strings.HasPrefix(name, "wording.months") {
					t.Errorf("%s: %s is the English %q", lang, name, s)
				}
				prose := notWords.ReplaceAllString(s, " ")
				if w := foreign(lang, prose); len(w) > 0 {
					t.Errorf("%s: %s has words of another language %v: %q", lang, name, w, s)
				}
			}
		})
	}
}

// TestStatesAndDaysInEveryLanguage checks the words built from numbers
// and states: every state has a name, and Russian counts days with the
// right plural.
func TestStatesAndDaysInEveryLanguage(t *testing.T) {
	for _, lang := range herald.Languages {
		for _, s := range []herald.PostState{herald.PostPlanned, herald.PostScheduled, herald.PostSending, herald.PostSent,
			herald.PostEdited, herald.PostDeleted, herald.PostUnknown, herald.PostFailed, herald.PostCancelled} {
			if lang != herald.LangEnglish && stateName(lang, s) == string(s) {
				t.Errorf("%s: state %s has no name of its own", lang, s)
			}
		}
	}
	ru := map[int]string{1: "1 день", 2: "2 дня", 4: "4 дня", 5: "5 дней", 11: "11 дней", 12: "12 дней", 14: "14 дней",
		21: "21 день", 22: "22 дня", 25: "25 дней", 30: "30 дней", 101: "101 день", 111: "111 дней"}
	for n, want := range ru {
		if got := days(herald.LangRussian, n); got != want {
			t.Errorf("days(ru, %d) = %q, want %q", n, got, want)
		}
	}
	if got := days(herald.LangAzerbaijani, 30); got != "30 gün" {
		t.Errorf("days(az, 30) = %q", got)
	}
	if got := days(herald.LangEnglish, 1); got != "1 day" {
		t.Errorf("days(en, 1) = %q", got)
	}
}

func TestPauseReasonsInEveryLanguage(t *testing.T) {
	lost := fmt.Sprintf(reasonLostRights, "left")
	if got := pauseReason(herald.LangRussian, lost); got != "бот потерял права в канале (left)" {
		t.Errorf("ru: %q", got)
	}
	if got := pauseReason(herald.LangAzerbaijani, reasonByEditor); got != "redaktor dayandırıb" {
		t.Errorf("az: %q", got)
	}
	if got := pauseReason(herald.LangRussian, "maintenance"); got != "maintenance" {
		t.Errorf("a reason herald did not write is shown as it is, not %q", got)
	}
}

// TestRefusedTimesReadInTheEditorsLanguage composes the reply an editor
// gets for each kind of unreadable time, as /reschedule sends it, and
// reads it for words of another language.
func TestRefusedTimesReadInTheEditorsLanguage(t *testing.T) {
	now := time.Date(2026, 11, 30, 14, 20, 0, 0, time.UTC)
	quoted := regexp.MustCompile(`«[^»]*»|"[^"]*"`)
	for _, in := range []string{"бла", "", "+2x", "+30m1h", "in", "today", "today 10:00", "9", "Dec", "31 Nov",
		"2026-02-30 10:00", "now 19:00", "tomorrow mon", "19:00 20:00", "25:00", strings.Repeat("x", 300)} {
		_, err := herald.ParseWhen(in, now, time.UTC)
		if err == nil {
			t.Fatalf("ParseWhen(%q) read a time", in)
		}
		for _, lang := range []herald.Language{herald.LangAzerbaijani, herald.LangRussian} {
			reply := badTime(lang, err)
			prose := notWords.ReplaceAllString(quoted.ReplaceAllString(reply, " "), " ")
			if w := foreign(lang, prose); len(w) > 0 {
				t.Errorf("%s reply to %q has words of another language %v:\n%s", lang, in, w, reply)
			}
			if !regexp.MustCompile(`\d:\d\d`).MatchString(reply) {
				t.Errorf("%s reply to %q gives no example time", lang, in)
			}
		}
	}
}
