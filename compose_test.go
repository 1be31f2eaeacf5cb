package herald

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestComposeAndPlainText(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	a := &Article{ID: 7, Kind: KindNews, Language: LangEnglish, Breaking: true,
		Title: "Talks\tresume  in Brussels", Lead: "", Body: "Negotiators met on Monday to discuss the corridor and the treaty.\n\nA second paragraph.",
		URL: "https://www.example.org/news/talks", ImageURL: "javascript:alert(1)", Program: "Difficult Question"}
	ch := &Channel{Language: LangEnglish, Timezone: "Asia/Baku"}
	m := Compose(a, ch, PurposePublish, now)
	if m.Title != "Breaking: Talks resume in Brussels" {
		t.Errorf("title %q", m.Title)
	}
	if m.Lead != "Negotiators met on Monday to discuss the corridor and the treaty." {
		t.Errorf("lead %q: want the body's first paragraph", m.Lead)
	}
	if m.ImageURL != "" {
		t.Errorf("a javascript: image URL was kept: %q", m.ImageURL)
	}
	if len(m.Hashtags) != 1 || m.Hashtags[0] != "#DifficultQuestion" {
		t.Errorf("hashtags %q", m.Hashtags)
	}
	runes := utf8.RuneCountInString
	full := PlainText(m, 500, runes)
	for _, want := range []string{m.Title, m.Lead, m.URL, "#DifficultQuestion"} {
		if !strings.Contains(full, want) {
			t.Errorf("the full text lacks %q:\n%s", want, full)
		}
	}
	for limit := 200; limit >= 20; limit-- {
		s := PlainText(m, limit, runes)
		if runes(s) > limit && runes(m.URL) <= limit {
			t.Fatalf("limit %d: %d runes:\n%s", limit, runes(s), s)
		}
		if !strings.Contains(s, m.URL) {
			t.Fatalf("limit %d: the link was dropped:\n%s", limit, s)
		}
	}
	cut := PlainText(m, 100, runes)
	if !strings.Contains(cut, "…") || strings.Contains(cut, "#Difficult") {
		t.Errorf("at 100 the lead should be cut with … and the hashtag gone:\n%s", cut)
	}
}

func TestPlainFromHTML(t *testing.T) {
	got := PlainFromHTML("<b>Talks &amp; treaty</b>\n\n\n\nSee <a href=\"https://x.example/a\">the text</a> &lt;now&gt;.  \n")
	if want := "Talks & treaty\n\nSee the text <now>."; got != want {
		t.Fatalf("PlainFromHTML = %q, want %q", got, want)
	}
}
