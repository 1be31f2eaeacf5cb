package bluesky

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// cut returns the text a facet covers, failing when its range is not whole
// characters of the text's UTF-8 bytes.
func cut(t *testing.T, text string, f facet) string {
	t.Helper()
	if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
		t.Fatalf("facet %+v outside the text's %d bytes", f, len(text))
	}
	seg := text[f.Start:f.End]
	if !utf8.ValidString(seg) || !utf8.RuneStart(text[f.Start]) || (f.End < len(text) && !utf8.RuneStart(text[f.End])) {
		t.Fatalf("facet %+v cuts a character: %q", f, seg)
	}
	return seg
}

func TestRenderFacetsAreUTF8ByteRanges(t *testing.T) {
	cases := []struct {
		name string
		d    draft
	}{
		{"Azerbaijani letters before the link", draft{
			Title: "Əliyev və Blinken: dəhliz, sülh müqaviləsi — və «insan hüquqları»",
			Lead:  "İlham Əliyevin dövlət katibi ilə söhbəti gözləniləndən uzun çəkdi, Bakıda rəsmilər bazar ertəsi bildirdilər.",
			URL:   "https://www.example.org/az/xeber/2026/12/eliyev-blinken-dehliz", Tags: []string{"Azərbaycan", "Sülh"}, Lang: "az"}},
		{"Russian text with a mention", draft{
			Title: "Алиев и Блинкен: коридор, договор и права человека",
			Lead:  "Как сообщил @analyst.bsky.social, разговор длился дольше, чем планировалось; в Баку говорят о «новом этапе».",
			URL:   "https://example.org/ru/news/aliev-blinken", Tags: []string{"Азербайджан", "мир"}, Lang: "ru"}},
		{"emoji and flags", draft{
			Marker: "🔴", Title: "Breaking: 🇦🇿 talks resume 👩🏽‍💻 in Bakı",
			Lead: "Officials 🙌 confirmed the date. Read the statement at https://example.org/statement today.",
			URL:  "https://example.org/en/news/talks", Tags: []string{"#Talks", "Bakı"}, Lang: "en"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, facets := render(c.d)
			if graphemes(text) > maxGraphemes {
				t.Fatalf("%d graphemes", graphemes(text))
			}
			kinds := map[string]int{}
			for _, f := range facets {
				seg := cut(t, text, f)
				kinds[f.Kind]++
				switch f.Kind {
				case "link":
					bare := strings.TrimSuffix(seg, "…")
					if !strings.HasPrefix(f.Value, "http") || !strings.Contains(f.Value, strings.TrimPrefix(bare, "www.")) && f.Value != seg {
						t.Errorf("link facet %q over %q", f.Value, seg)
					}
				case "tag":
					if seg != "#"+f.Value {
						t.Errorf("tag facet %q over %q", f.Value, seg)
					}
				case "mention":
					if seg != "@"+f.Value {
						t.Errorf("mention facet %q over %q", f.Value, seg)
					}
				}
			}
			if kinds["link"] == 0 || kinds["tag"] == 0 {
				t.Errorf("facets %v in %q: want the article's link and hashtags", kinds, text)
			}
			if c.d.Lang == "ru" && kinds["mention"] != 1 {
				t.Errorf("want the @handle as a mention facet, got %v", facets)
			}
			if c.d.Marker != "" && kinds["link"] != 2 {
				t.Errorf("want the address in the lead linked too, got %v", facets)
			}
		})
	}
}

func TestRenderFitsThreeHundredGraphemes(t *testing.T) {
	// Each "é" here is e + a combining accent: two code points, one grapheme.
	word := "Qəbələ́ "
	long := strings.Repeat(word, 80)
	d := draft{Title: "Ölkə " + strings.Repeat("başlıq ", 10), Lead: long, URL: "https://example.org/az/a/very/long/path/that/goes/on/and/on", Tags: []string{"xəbər"}}
	text, facets := render(d)
	if g := graphemes(text); g > maxGraphemes || g < maxGraphemes-20 {
		t.Fatalf("%d graphemes, want close to but not over %d:\n%s", g, maxGraphemes, text)
	}
	if utf8.RuneCountInString(text) <= maxGraphemes {
		t.Fatalf("the test needs more code points than graphemes")
	}
	if !strings.Contains(text, "…\n\n") {
		t.Errorf("the lead was not trimmed with an ellipsis before the link:\n%s", text)
	}
	if strings.Contains(text, "Qəbələ́…") && !strings.HasSuffix(strings.Split(text, "…")[0], "Qəbələ́") {
		t.Errorf("trimmed inside a word")
	}
	for _, f := range facets {
		cut(t, text, f)
	}
}

func TestTrimToCutsAtAWord(t *testing.T) {
	got := trimTo("Azər Qasımlı, head of the Institute of Political Management", 30)
	if got != "Azər Qasımlı, head of the…" {
		t.Errorf("got %q", got)
	}
	if g := graphemes(got); g > 30 {
		t.Errorf("%d graphemes", g)
	}
	if trimTo("short", 30) != "short" {
		t.Error("a short text changed")
	}
}

func TestLinkTextIsTheShortenedAddress(t *testing.T) {
	u := "https://www.example.org/en/news/2026/12/aliyev-blinken-call-lachin-corridor-peace-treaty"
	lt := linkText(u)
	if graphemes(lt) > linkTextMax || !strings.HasSuffix(lt, "…") || !strings.HasPrefix("example.org/en/news/2026/12/aliyev-blinken", strings.TrimSuffix(lt, "…")) {
		t.Errorf("link text %q", lt)
	}
	if linkText("https://example.org/a") != "example.org/a" {
		t.Errorf("a short address changed: %q", linkText("https://example.org/a"))
	}
}
