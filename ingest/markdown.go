package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// parseMarkdown reads a Markdown page: optional front matter between "---"
// lines, then blocks separated by blank lines. The first heading is the
// title unless the front matter names one; list items and other headings
// are paragraphs of their own; lines of one block are joined by spaces.
// Links "[text](url)" become "text (url)", as HTML links do; other inline
// markup stays as typed.
func parseMarkdown(s string) (Page, error) {
	var p Page
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	if strings.TrimSpace(lines[0]) == "---" {
		end := -1
		for i := 1; i < len(lines); i++ {
			if t := strings.TrimSpace(lines[i]); t == "---" || t == "..." {
				end = i
				break
			}
		}
		if end < 0 {
			return p, invalid("front matter: no closing \"---\" line")
		}
		if err := parseFrontMatter(lines[1:end], &p); err != nil {
			return p, err
		}
		lines = lines[end+1:]
	}
	var block []string
	flush := func() {
		if len(block) > 0 {
			p.Paragraphs = append(p.Paragraphs, mdLinks.ReplaceAllString(strings.Join(block, "\n"), "$1 ($2)"))
			block = nil
		}
	}
	fence := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~"):
			fence = !fence
			flush()
		case fence:
			block = append(block, l)
		case t == "":
			flush()
		case mdRule.MatchString(t):
			flush() // a thematic break or a setext underline: no text
		case mdHeading.MatchString(t):
			flush()
			h := strings.TrimSpace(strings.Trim(t, "#"))
			h1 := !strings.HasPrefix(t, "##")
			if p.Title == "" && h != "" && (h1 || len(p.Paragraphs) == 0) {
				p.Title = mdLinks.ReplaceAllString(h, "$1")
			} else if h != "" {
				p.Paragraphs = append(p.Paragraphs, h)
			}
		case mdItem.MatchString(t):
			flush()
			block = append(block, t)
		default:
			block = append(block, strings.TrimSpace(strings.TrimLeft(t, ">")))
		}
	}
	flush()
	// Soft line breaks become spaces, but a line that may be chrome or a
	// stamp keeps its own line, for Clean to judge.
	for i, b := range p.Paragraphs {
		p.Paragraphs[i] = joinSoftBreaks(b)
	}
	return p, nil
}

var (
	mdLinks   = regexp.MustCompile(`\[([^\[\]\n]*)\]\(([^()\s]+)\)`)
	mdRule    = regexp.MustCompile(`^(?:[-*_=]\s*){3,}$`)
	mdItem    = regexp.MustCompile(`^(?:[-*+]|\d{1,3}[.)])\s`)
	mdHeading = regexp.MustCompile(`^#{1,6}(?:\s|$)`)
)

// joinSoftBreaks joins the lines of a Markdown block with spaces, except
// around lines that would be chrome or a stamp on their own, which stay on
// lines of their own for Clean to judge.
func joinSoftBreaks(block string) string {
	lines := strings.Split(block, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			if standalone(l) || standalone(lines[i-1]) {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// standalone reports whether a line reads as a line of its own: short and
// without a full stop, or a date stamp.
func standalone(l string) bool {
	l = strings.TrimSpace(l)
	return utf8.RuneCountInString(l) < 40 && !strings.ContainsAny(l, ".,;") || isStampLine(l)
}

// parseFrontMatter reads "key: value" lines into p. A key may take a list
// of "- item" lines after it (people). Unknown keys are ignored; a bad
// value fails with the key named.
func parseFrontMatter(lines []string, p *Page) error {
	var listKey string
	for n, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if item, ok := strings.CutPrefix(l, "- "); ok && listKey != "" {
			if err := setMeta(p, listKey, unquote(item)); err != nil {
				return err
			}
			continue
		}
		key, value, ok := strings.Cut(l, ":")
		if !ok {
			return invalid("front matter line %d: want \"key: value\", got %q", n+2, clip(l, 40))
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		listKey = ""
		if value == "" {
			listKey = key
			continue
		}
		if strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]") {
			value = strings.Trim(value, "[]")
		}
		if err := setMeta(p, key, unquote(value)); err != nil {
			return err
		}
	}
	return nil
}

// unquote removes one pair of matching quotes around a value.
func unquote(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// setMeta sets one metadata field of p from front matter or HTML meta. A
// value of the wrong shape fails with the key named.
func setMeta(p *Page, key, value string) error {
	switch key {
	case "title":
		p.Title = value
	case "lead", "summary", "description":
		p.Lead = value
	case "kind", "type":
		k := herald.Kind(strings.ToLower(value))
		if !k.Valid() {
			return invalid("%s: is %q; want one of commentary, episode, news", key, value)
		}
		p.Kind = k
	case "lang", "language":
		l := herald.Language(strings.ToLower(value))
		if !l.Valid() {
			return invalid("%s: is %q; want one of az, en, ru", key, value)
		}
		p.Language = l
	case "program", "programme", "show":
		p.Program = value
	case "url", "link", "canonical":
		p.URL = value
	case "image", "image_url":
		p.ImageURL = value
	case "video", "video_url":
		p.VideoURL = value
	case "published", "published_at", "date":
		t, err := parseTime(value)
		if err != nil {
			return invalid("%s: %v", key, err)
		}
		p.PublishedAt = t
	case "air_at", "airs", "air":
		t, err := parseTime(value)
		if err != nil {
			return invalid("%s: %v", key, err)
		}
		p.AirAt = t
	case "source":
		p.Source = value
	case "id", "guid":
		p.GUID = value
	case "external_id":
		p.ExternalID = value
	case "people", "guests", "experts", "person", "guest", "expert":
		for _, name := range strings.Split(value, ",") {
			p.People = append(p.People, unquote(name))
		}
	case "breaking":
		switch strings.ToLower(value) {
		case "true", "yes", "1":
			p.Breaking = true
		case "false", "no", "0":
			p.Breaking = false
		default:
			return invalid("breaking: is %q; want true or false", value)
		}
	case "status":
		s := herald.ArticleStatus(strings.ToLower(value))
		if s != herald.ArticlePublished && s != herald.ArticleUnpublished {
			return invalid("status: is %q; want published or unpublished", value)
		}
		p.Status = s
	}
	return nil
}
