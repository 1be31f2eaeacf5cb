package ingest

import "testing"

func TestIsChrome(t *testing.T) {
	set := newChromeSet([]string{"Turan Premium"})
	tests := map[string]struct {
		line string
		want bool
	}{
		"The review prompt is chrome":                {"Leave a review", true},
		"The follow prompt in Azerbaijani is chrome": {"Bizi sosial şəbəkələrdə izləyin", true},
		"The news line in Russian is chrome":         {"Лента новостей", true},
		"The section label is chrome in any case":    {"DIFFICULT QUESTION", true},
		"The Azerbaijani section label is chrome":    {"Çətin sual", true},
		"A share button with an arrow is chrome":     {"» Share", true},
		"Read more with punctuation is chrome":       {"Read more...", true},
		"A bare network name is chrome":              {"WhatsApp", true},
		"An empty YouTube link label is chrome":      {"Youtube səhifəsinin ünvanı:", true},
		"An empty Russian link label is chrome":      {"Наш канал в Telegram:", true},
		"A copyright line is chrome":                 {"© 2024 Turan. All rights reserved.", true},
		"A source's own line is chrome":              {"turan premium!", true},
		"A row of bullets is a separator":            {"• • •", false},
		"Arrows alone are chrome":                    {"»", true},
		"A dash separator is text":                   {"—", false},
		"A star separator is text":                   {"* * *", false},
		"The show's name inside a sentence is text":  {"He spoke on Difficult Question last night.", false},
		"A one-word answer is text":                  {"Yes.", false},
		"A sentence introducing a quote is text":     {"The minister said:", false},
		"A sentence mentioning Facebook is text":     {"Facebook removed the post on Monday.", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := set.isChrome(tc.line); got != tc.want {
				t.Errorf("isChrome(%q) = %v, want %v", tc.line, got, tc.want)
			}
		})
	}
}
