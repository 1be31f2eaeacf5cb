package desk

import (
	"fmt"

	"github.com/herald-news/herald"
)

// lang is the language a page is shown in. Its T looks a sentence up in
// the desk's catalogue (i18n_en.go, i18n_az.go, i18n_ru.go); TestCatalogue
// fails until every key used anywhere is given in all three.
type lang herald.Language

// catalogues holds the desk's sentences by language, then by key.
var catalogues = map[herald.Language]map[string]string{
	herald.LangEnglish:     catalogueEN,
	herald.LangAzerbaijani: catalogueAZ,
	herald.LangRussian:     catalogueRU,
}

// T returns the sentence key in l, formatted with args; English when l
// lacks it (the test sees to it that none does), the key itself as a last
// resort, so that a page never fails over a word.
func (l lang) T(key string, args ...any) string {
	s, ok := catalogues[herald.Language(l)][key]
	if !ok {
		if s, ok = catalogueEN[key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Code is the language's code, for <html lang>.
func (l lang) Code() string {
	if !herald.Language(l).Valid() {
		return "en"
	}
	return string(l)
}

// State names a post's state as the bot does.
func (l lang) State(s herald.PostState) string { return herald.StateName(herald.Language(l), s) }

// Kind names an article's kind.
func (l lang) Kind(k herald.Kind) string { return l.T("kind." + string(k)) }

// LangName names a language in its own words.
func (l lang) LangName(c herald.Language) string { return l.T("lang." + string(c)) }
