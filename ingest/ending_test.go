package ingest

import (
	"slices"
	"strings"
	"testing"
)

// TestEndOfArticle tests both sides of finding where an article ends: what
// follows a body is cut, with or without stamps, and a body's own short
// lines and lists stay whole.
func TestEndOfArticle(t *testing.T) {
	body := []string{long("one"), long("two")}
	tests := []struct {
		name string
		tail []string // after the body, as the page has it
		kept []string // of tail, what must stay
	}{
		// What is cut.
		{"a story code and the teasers after it go", []string{"-06В-", "Parliament meets on Monday", "-", "-03С04-", "A new exhibition opens"}, nil},
		{"a section label over a hyphen list of leads goes", []string{"Politics", "-", long("teaser lead"), "-", long("another lead")}, nil},
		{"a dashed section label and bare dashes go", []string{"- Политика", "-", "Парламент обсудит бюджет"}, nil},
		{"a read-also label and the headlines under it go", []string{"Read also:", "Central bank keeps its rate", "Floods in Lankaran"}, nil},
		{"a Russian read-also label goes with its list", []string{"Ещё по теме", "Новый порт в Астаре"}, nil},
		{"a run of three headlines closing the page goes", []string{"Tbilisi and Baku agree on a crossing", "Cotton harvest reaches a record", "Chess players win three medals"}, nil},
		{"the show's label closing the article goes with what follows", []string{"Çətin sual", long("another piece of the show")}, nil},
		{"closing chrome ends the article", []string{"Leave a review", long("a teaser with no stamp")}, nil},
		{"a lone hyphen with two teasers after it goes", []string{"-", "Snow closes mountain roads", "Bus fares rise in Ganja"}, nil},
		// What stays.
		{"Q&A questions stay", []string{"Why now?", long("answer one"), "What next?", long("answer two")}, []string{"Why now?", long("answer one"), "What next?", long("answer two")}},
		{"a numbered list of points stays", []string{"1. First point.", "2. Second point.", "3. Third point."}, []string{"1. First point.", "2. Second point.", "3. Third point."}},
		{"names under a label ending in ':' stay", []string{"Guests:", "Rauf Mirkadirov", "Sevinj Osmanqizi", "Ulvi Hasanli"}, []string{"Guests:", "Rauf Mirkadirov", "Sevinj Osmanqizi", "Ulvi Hasanli"}},
		{"the body's own em-dash separators stay", []string{"—", long("three"), "—", long("four")}, []string{"—", long("three"), "—", long("four")}},
		{"a short closing sentence stays", []string{"Thank you."}, []string{"Thank you."}},
		{"a signature after a hyphen stays", []string{"-", "Rauf Mammadli"}, []string{"-", "Rauf Mammadli"}},
		{"two short lines closing a text stay", []string{"Who pays?", "The taxpayer"}, []string{"Who pays?", "The taxpayer"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := Page{Title: "A headline of the page", Paragraphs: append(slices.Clone(body), tc.tail...)}
			a, err := Clean(page, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := append([]string{a.Lead}, a.Paragraphs()...)
			want := append(slices.Clone(body), tc.kept...)
			if !slices.Equal(got, want) {
				t.Errorf("paragraphs are\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestEndOfArticleCodeClosingTheBody checks that a story code written at
// the end of the last paragraph ends the article there, code removed.
func TestEndOfArticleCodeClosingTheBody(t *testing.T) {
	a, err := Clean(Page{Title: "Headline", Paragraphs: []string{long("one"), "The sides did not agree. -06В-", "Politics", "-", long("teaser")}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Paragraphs(); !slices.Equal(got, []string{"The sides did not agree."}) {
		t.Errorf("body is %q, want the last paragraph without its code and nothing after", got)
	}
}
