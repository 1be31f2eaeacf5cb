package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// seedPath is the agency's real page, kept beside the project, not in it.
const seedPath = "../../shared/fixtures/seed-article.txt"

func TestParseSeedArticle(t *testing.T) {
	data, err := os.ReadFile(seedPath)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is not here", seedPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse("seed-article.txt", data, Options{Now: fixedNow})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkArticle(t, a)
	if want := "Afterword to Blinken's call. Human rights or other interests?"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if a.Kind != herald.KindCommentary || a.Language != herald.LangEnglish || a.Program != ProgramName {
		t.Errorf("kind %q, language %q, program %q; want commentary, en, %s", a.Kind, a.Language, a.Program, ProgramName)
	}
	// Every paragraph of the page's text, as the page has it, exactly once.
	text := collapseSpaces(a.Lead + " " + a.Body)
	paras := 0
	for _, l := range strings.Split(string(data), "\n") {
		if l = collapseSpaces(l); len(l) > 80 {
			paras++
			if n := strings.Count(text, l); n != 1 {
				t.Errorf("paragraph seen %d times: %q", n, clip(l, 50))
			}
		}
	}
	if paras == 0 {
		t.Fatal("the seed has no paragraphs over 80 characters")
	}
	if got := 1 + len(a.Paragraphs()); got != 8 {
		t.Errorf("article has %d paragraphs, want 8", got)
	}
	for _, chrome := range []string{"Leave a review", "Follow us on social networks", "News Line"} {
		if strings.Contains(a.Title+a.Lead+a.Body, chrome) {
			t.Errorf("chrome %q left in the article", chrome)
		}
	}
	if regexp.MustCompile(`(?m)^\s*Difficult question\s*$`).MatchString(a.Body) {
		t.Error("section label left in the body")
	}
	again, _ := Parse("seed-article.txt", data, Options{Now: fixedNow})
	if again == nil || again.ExternalID != a.ExternalID || again.ContentHash != a.ContentHash {
		t.Error("parsing the seed twice gives another id or hash")
	}
}

func TestParseRefusesBadInput(t *testing.T) {
	tests := map[string]struct {
		name string
		data []byte
		want string
	}{
		"An empty file is refused as empty":                {"a.txt", nil, "a.txt: page is empty"},
		"A file of blank lines is refused as empty":        {"a.txt", []byte(" \n\t\n"), "page is empty"},
		"A file with NUL bytes is refused as binary":       {"a.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "a.png: page is binary"},
		"Control characters throughout make a file binary": {"a.bin", bytes.Repeat([]byte("ab\x01\x02\x03"), 100), "page is binary"},
		"Invalid UTF-8 is refused with the byte offset":    {"cp1251.txt", []byte("Title\n\xcf\xf0\xe8\xe2\xe5\xf2"), "cp1251.txt: page is not valid UTF-8: bad byte at offset 6"},
		"A page over 5 MB is refused":                      {"big.txt", bytes.Repeat([]byte("a"), herald.MaxBodyBytes+1), "over the 5 MB limit"},
		"A page that is only chrome has no title":          {"chrome.txt", []byte("Share\nNews Line\n"), "chrome.txt: no title"},
		"A page with only a title has no text":             {"t.md", []byte("# Title\n\nLeave a review\n"), "t.md: no text after the title"},
		"Broken JSON is refused with the byte offset":      {"a.json", []byte(`{"title": "T", "body": "x",,}`), "a.json: bad JSON at byte 28"},
		"A JSON field of the wrong type is named":          {"a.json", []byte(`{"title": 5}`), `field "title" should be string`},
		"Data after the JSON object is refused":            {"a.json", []byte(`{"title": "T", "body": "x"} {}`), "more data after the object"},
		"A JSON array is not one page":                     {"a.json", []byte(`[{"title": "T"}]`), "bad JSON at byte"},
		"A JSON page with a bad kind names the field":      {"a.json", []byte(`{"title": "T", "body": "x", "kind": "blog"}`), `kind: is "blog"`},
		"A JSON page with a bad date names the field":      {"a.json", []byte(`{"title": "T", "body": "x", "published_at": "yesterday"}`), `published_at: cannot read "yesterday"`},
		"Front matter without its closing line is refused": {"a.md", []byte("---\ntitle: T\n\nText.\n"), `no closing "---"`},
		"A front matter line without a colon is refused":   {"a.md", []byte("---\ntitle T\n---\nText.\n"), "front matter line 2"},
		"A bad language in front matter names the key":     {"a.md", []byte("---\nlang: de\n---\n# T\n\nText.\n"), `lang: is "de"`},
		"A bad status in front matter names the key":       {"a.md", []byte("---\nstatus: draft\n---\n# T\n\nText.\n"), `status: is "draft"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a, err := Parse(tc.name, tc.data, Options{Now: fixedNow})
			if err == nil {
				t.Fatalf("Parse gave %+v, want an error", a)
			}
			var e *herald.Error
			if !errors.As(err, &e) || e.Code != herald.EInvalid {
				t.Errorf("err = %#v, want an EInvalid *herald.Error", err)
			}
			if !strings.HasPrefix(err.Error(), tc.name+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to name %s and say %q", err, tc.name, tc.want)
			}
		})
	}
}

func TestDetectFormat(t *testing.T) {
	tests := map[string]struct {
		name string
		data string
		want Format
	}{
		"A .txt file is text even if it starts with a brace": {"a.txt", "{not json", FormatText},
		"A .MD file is Markdown":                             {"A.MD", "Text", FormatMarkdown},
		"A .htm file is HTML":                                {"a.htm", "Text", FormatHTML},
		"A .json file is JSON":                               {"a.json", "Text", FormatJSON},
		"Without an extension a brace means JSON":            {"a", "  {\"title\": 1}", FormatJSON},
		"Without an extension front matter means Markdown":   {"a", "---\ntitle: T\n---\n", FormatMarkdown},
		"Without an extension a heading means Markdown":      {"a", "# Title\n", FormatMarkdown},
		"Without an extension a doctype means HTML":          {"a", "<!DOCTYPE html><p>x", FormatHTML},
		"Without an extension a paragraph tag means HTML":    {"feed-item", "<p>Text</p>", FormatHTML},
		"Anything else is text":                              {"a.dat", "Title\nText <b>bold</b>", FormatText},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := DetectFormat(tc.name, []byte(tc.data)); got != tc.want {
				t.Errorf("DetectFormat = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParseMarkdown(t *testing.T) {
	src := "\xEF\xBB\xBF---\r\n# a comment\r\ntitle: 'Front matter title'\r\nkind: commentary\r\nguests: Ali Ahmadov, \"Nigar Quliyeva\"\r\nbreaking: yes\r\nair_at: 2024-02-16T21:00:00+04:00\r\nunknown: ignored\r\n---\r\n" +
		"# Front matter title\r\n\r\nFirst paragraph, written\r\nover two lines.\r\n\r\n## A subheading\r\n\r\n- one item\r\n- [a link](https://example.org/x)\r\n\r\n***\r\n\r\n> A quote.\r\n\r\nShare\r\nFacebook\r\n"
	a, err := Parse("a.md", []byte(src), Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	checkArticle(t, a)
	want := []string{"First paragraph, written over two lines.", "A subheading", "- one item", "- a link (https://example.org/x)", "A quote."}
	if got := append([]string{a.Lead}, a.Paragraphs()...); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs = %q, want %q", got, want)
	}
	if a.Title != "Front matter title" || a.Kind != herald.KindCommentary || !a.Breaking || strings.Join(a.People, "|") != "Ali Ahmadov|Nigar Quliyeva" {
		t.Errorf("title %q, kind %q, breaking %v, people %q", a.Title, a.Kind, a.Breaking, a.People)
	}
	if a.AirAt == nil || !a.AirAt.Equal(utc("2024-02-16T17:00:00Z")) {
		t.Errorf("air_at = %v", a.AirAt)
	}
}

func TestParseHTMLTitleFallbacks(t *testing.T) {
	tests := map[string]struct {
		html, want string
	}{
		"The article's h1 beats the site's h1 in its header": {`<header><h1>Site</h1></header><article><h1>Story</h1><p>Text.</p></article>`, "Story"},
		"The first h1 is taken when there is no article":     {`<body><h1>Story</h1><p>Text.</p></body>`, "Story"},
		"og:title is taken when there is no h1":              {`<head><meta property="og:title" content="OG"><title>Doc</title></head><p>Text.</p>`, "OG"},
		"The document title is the last resort":              {`<head><title> Doc  title </title></head><p>Text.</p>`, "Doc title"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			a, err := Parse("a.html", []byte(tc.html), Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tc.want || a.Lead != "Text." {
				t.Errorf("title %q, lead %q", a.Title, a.Lead)
			}
		})
	}
}

// FuzzParse feeds any bytes to Parse under each format's name. Parse must
// not panic; an article it returns must be valid, keep no substantial
// paragraph twice, and, for plain text, say nothing the page did not.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	pages, _ := filepath.Glob("testdata/pages/*.*")
	for _, file := range append(files, pages...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Ext(file), data)
	}
	f.Add(".txt", []byte("T\nBakı/23.09.22/Turan:\nX\n16.02.2024 23:04\n"))
	f.Fuzz(func(t *testing.T, ext string, data []byte) {
		a, err := Parse("fuzz"+ext, data, Options{Now: fixedNow})
		if err != nil {
			if herald.ErrorCode(err) != herald.EInvalid {
				t.Fatalf("error without the EInvalid code: %v", err)
			}
			return
		}
		checkArticle(t, a)
		if DetectFormat("fuzz"+ext, data) != FormatText {
			return
		}
		in := collapseSpaces(normalizeText(string(data)))
		for _, p := range append([]string{a.Title, a.Lead}, a.Paragraphs()...) {
			for _, l := range strings.Split(p, "\n") {
				if !strings.Contains(in, l) {
					t.Fatalf("output line %q is not in the input", clip(l, 60))
				}
			}
		}
	})
}

// BenchmarkParse parses a generated page of the agency's usual shape: a
// body of twelve paragraphs given twice, chrome and a related list.
func BenchmarkParse(b *testing.B) {
	var page strings.Builder
	page.WriteString("Difficult question\n\nA generated title for the benchmark\n\n")
	for copy := 0; copy < 2; copy++ {
		page.WriteString("Bakı/23.09.22/Turan: The lead paragraph of the generated page, on Difficult Question.\n\n")
		for i := 0; i < 12; i++ {
			fmt.Fprintf(&page, "Paragraph %d of the body says something about the economy, the region and the people in it, at some length.\n\n", i)
		}
	}
	page.WriteString("Leave a review\n\nFollow us on social networks\n\nNews Line\n\n")
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&page, "Another headline number %d\n16 February 2024, 23:%02d\n", i, i)
	}
	data := []byte(page.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("page.txt", data, Options{Now: fixedNow}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}
