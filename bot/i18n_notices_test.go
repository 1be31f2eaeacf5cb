package bot

import (
	"regexp"
	"slices"
	"testing"

	"github.com/herald-news/herald"
)

var verbs = regexp.MustCompile(`%(\[\d+\])?[a-z]`)

// Every sentence of the notices is said in each language, with the same
// arguments (in whatever order the language puts them).
func TestNoticeSentencesAreInEveryLanguageWithTheSameArguments(t *testing.T) {
	en := noticeCatalogue[herald.LangEnglish]
	for _, lang := range []herald.Language{herald.LangAzerbaijani, herald.LangRussian} {
		for m, s := range en {
			got, ok := noticeCatalogue[lang][m]
			if !ok || got == "" {
				t.Errorf("%s lacks sentence %d (%q)", lang, m, s)
				continue
			}
			a, b := verbs.FindAllString(s, -1), verbs.FindAllString(got, -1)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("%s sentence %d has arguments %v, English %v", lang, m, b, a)
			}
			if catalogue[lang][m] != got {
				t.Errorf("%s sentence %d is not in the catalogue tr reads", lang, m)
			}
		}
	}
}
