package herald

import (
	"strings"
	"testing"
	"time"
)

// TestPhrases checks every phrase in each language: present, the same
// arguments as in English, not English outside English; and that Sayf
// names states, kinds and languages in the reader's language.
func TestPhrases(t *testing.T) {
	for _, lang := range Languages {
		for p := Phrase(0); p < phraseCount; p++ {
			s := phrases[lang][p]
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: phrase %d is missing", lang, p)
				continue
			}
			if strings.Count(s, "%") != strings.Count(phrases[LangEnglish][p], "%") {
				t.Errorf("%s: phrase %d takes other arguments than in English: %q", lang, p, s)
			}
			if lang == LangEnglish {
				continue
			}
			if s == phrases[LangEnglish][p] {
				t.Errorf("%s: phrase %d is the English %q", lang, p, s)
			}
			prose := strings.NewReplacer("HERALD_OWNERS", "", "/channels", "", "ID", "", "%s", "", "%d", "").Replace(s)
			for _, w := range strings.FieldsFunc(prose, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) }) {
				if lang == LangRussian && strings.IndexFunc(w, func(r rune) bool { return r < 128 }) >= 0 {
					t.Errorf("ru: phrase %d has the Latin word %q: %q", p, w, s)
				}
			}
		}
	}
	e := Sayf(EConflict, PhrasePostIs, int64(5), PostCancelled)
	if got := e.In(LangRussian); got != "публикация #5 уже отменена" {
		t.Errorf("ru: %q", got)
	}
	if got := e.Message; got != "post 5 is cancelled" {
		t.Errorf("en: %q", got)
	}
	e = Sayf(ENotFound, PhraseNoChannelTakes, KindCommentary, LangAzerbaijani)
	if got := e.In(LangAzerbaijani); got != "şərh növünü Azərbaycan dilində qəbul edən kanal yoxdur" {
		t.Errorf("az: %q", got)
	}
	e = Sayf(EInvalid, PhraseInThePast, time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC))
	if got := e.In(LangRussian); got != "вт, 1 декабря 2026, 15:00 UTC уже прошло" {
		t.Errorf("ru time: %q", got)
	}
	if got := ErrorMessageIn(Sayf(ENotFound, PhraseNoChannel, "Dev"), LangAzerbaijani); !strings.HasPrefix(got, "«Dev» adlı kanal yoxdur") {
		t.Errorf("az quoted: %q", got)
	}
}
