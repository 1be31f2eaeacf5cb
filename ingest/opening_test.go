package ingest

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

func TestHeadlineIsFoundNotAssumed(t *testing.T) {
	tests := []struct {
		name, page, title string
	}{
		{"a bulleted date line above it", "• Thursday, 3 December 2026\nThe headline\n\n" + long("lead"), "The headline"},
		{"an image line above it", "![Alt](https://x.example/a.webp)\nThe headline\n\n" + long("lead"), "The headline"},
		{"last update and hours ago", "Последнее обновление\n(1 час назад)\nЗаголовок статьи\n\n" + long("lead"), "Заголовок статьи"},
		{"a breadcrumb and a section", "Ana səhifə » Siyasət\nSiyasət\nBaşlıq burada\n\n" + long("lead"), "Başlıq burada"},
		{"a photo credit", "Nərmin Cəfərova. Açıq mənbələrdən foto.\nBaşlıq\n\n" + long("lead"), "Başlıq"},
		{"skip links and a dated line with Baku time", "Keçid linkləri\n2026, 28 Noyabr, şənbə, Bakı vaxtı 16:19\nBaşlıq\n\n" + long("lead"), "Başlıq"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse("page.txt", []byte(tc.page), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Title != tc.title {
				t.Errorf("title %q, want %q", a.Title, tc.title)
			}
		})
	}
}

func TestTooLongTitleOnlyWhenNoHeadline(t *testing.T) {
	para := strings.Repeat("A sentence of a page that has no headline at all, only text. ", 12)
	_, err := Parse("page.txt", []byte(para+"\n"), Options{})
	if herald.ErrorCode(err) != herald.EInvalid || !strings.Contains(err.Error(), "no headline") {
		t.Errorf("a page of one long paragraph: err %v, want an EInvalid 'no headline' error", err)
	}
	// The same text under a headline, all on single lines, is fine.
	a, err := Parse("page.md", []byte("A headline\n"+strings.TrimSpace(para)+"\n"+strings.ToUpper(para[:1])+strings.TrimSpace(para[1:])+" Again.\n"), Options{})
	if err != nil || a.Title != "A headline" || len(a.Paragraphs()) != 1 {
		t.Errorf("a headline over single-line paragraphs: %v, title %q", err, a.Title)
	}
}

func TestProgramsPerSource(t *testing.T) {
	page := Page{Title: "«Gündəm» verilişi: yeni büdcə", Paragraphs: []string{long("Gündəm verilişində iqtisadçılar büdcəni müzakirə edib")}}
	a, err := Clean(page, Options{})
	if err != nil || a.Program != "" {
		t.Fatalf("without the program configured: %v, program %q", err, a.Program)
	}
	p, err := ParseProgram("Agenda=Gündəm|Повестка дня")
	if err != nil {
		t.Fatal(err)
	}
	a, err = Clean(page, Options{Programs: []Program{p}})
	if err != nil || a.Program != "Agenda" || a.Kind != herald.KindCommentary {
		t.Errorf("with the program configured: %v, program %q kind %q; want Agenda, commentary", err, a.Program, a.Kind)
	}
	// More names for the built-in show, under its stored name.
	p, _ = ParseProgram("Difficult Question=Çətin sual verilişi|DQ")
	a, err = Clean(Page{Title: "Tonight on DQ", Paragraphs: []string{long("x")}}, Options{Programs: []Program{p}})
	if err != nil || a.Program != ProgramName {
		t.Errorf("an extra name of the show: %v, program %q", err, a.Program)
	}
	if _, err := ParseProgram("=Gündəm"); err == nil {
		t.Error("a program without a stored name was accepted")
	}
}

func TestFrontMatterIsYAML(t *testing.T) {
	page := "---\ntitle: \"What \\\"AT&T\\\" means\"\npeople:\n  - Farid Mammadov\n  - \"Aysel Karimova, MP\"\nkind: news # a comment\n---\n" + long("body") + "\n"
	a, err := Parse("p.md", []byte(page), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != `What "AT&T" means` || len(a.People) != 2 || a.People[1] != "Aysel Karimova, MP" || a.Kind != herald.KindNews {
		t.Errorf("title %q people %q kind %q", a.Title, a.People, a.Kind)
	}
	for name, bad := range map[string]string{
		"unbalanced quotes":   "---\ntitle: \"open\n---\ntext\n",
		"a map where a value": "---\ntitle:\n  a: b\n---\ntext\n",
		"a key twice":         "---\ntitle: a\ntitle: b\n---\ntext\n",
	} {
		if _, err := Parse("p.md", []byte(bad), Options{}); herald.ErrorCode(err) != herald.EInvalid || !strings.Contains(err.Error(), "front matter") {
			t.Errorf("%s: err %v, want an EInvalid front matter error", name, err)
		}
	}
}

func TestImportTakesArticlesOnly(t *testing.T) {
	for name, tc := range map[string]struct {
		path, data string
		skip       bool
	}{
		"a CSV":              {"contacts.csv", "name,phone\nA,1\n", true},
		"an RTF named .txt":  {"memo.txt", "{\\rtf1\\ansi Memo\\par}", true},
		"a table named .txt": {"t.txt", "a;b;c\n1;2;3\n4;5;6\n", true},
		"a log":              {"herald.log", "level=info\n", true},
		"plain text without an extension (README)": {"README", "Headline\n\n" + long("x"), true},
		"a LICENSE":                         {"LICENSE", "MIT License\n\nCopyright (c) 2026 The herald authors\n\nPermission is hereby granted, free of charge, to any person.\n", true},
		"a program without an extension":    {"herald", "\x7fELF\x02\x01\x01\x00\x00\x00", true},
		"a binary named .txt":               {"photo.txt", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", true},
		"HTML without an extension":         {"page", "<!DOCTYPE html>\n<html><body><h1>Headline</h1><p>" + long("x") + "</p></body></html>", false},
		"JSON without an extension":         {"page", `{"title": "Headline", "body": "Text."}`, false},
		"front matter without an extension": {"page", "---\ntitle: Headline\n---\n" + long("x"), false},
		"broken JSON without an extension":  {"page", `{"title": "Headline"`, true},
		"a text page":                       {"page.txt", "Headline, with a comma\n\nOne, two.\n\nThree, four.\n", false},
	} {
		if got := notAnArticle(tc.path, []byte(tc.data)) != ""; got != tc.skip {
			t.Errorf("%s: skipped %v, want %v (%s)", name, got, tc.skip, notAnArticle(tc.path, []byte(tc.data)))
		}
	}
}
