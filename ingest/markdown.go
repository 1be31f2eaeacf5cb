package ingest

import (
	"regexp"
	"strings"

	"github.com/herald-news/herald"
)

// parseMarkdown reads a Markdown page: optional front matter between "---"
// lines, then blocks separated by blank lines. The first heading is the
// title unless the front matter names one; list items and other headings
// are paragraphs of their own; the lines of one block are split into
// paragraphs or joined by spaces as splitBlock judges. Links "[text](url)" become "text (url)", as HTML links do; other inline
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
			for _, para := range splitBlock(strings.Join(block, "\n")) {
				p.Paragraphs = append(p.Paragraphs, mdText(para))
			}
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
	return p, nil
}

var (
	mdLinks   = regexp.MustCompile(`\[([^\[\]\n]*)\]\(([^()\s]+)\)`)
	mdRule    = regexp.MustCompile(`^(?:[-*_=]\s*){3,}$`)
	mdItem    = regexp.MustCompile(`^(?:[-*+]|\d{1,3}[.)])\s`)
	mdHeading = regexp.MustCompile(`^#{1,6}(?:\s|$)`)
)

// mdText turns Markdown links "[text](url)" into "text (url)", as HTML
// links are kept; an image "![alt](url)" alone on a line stays as it is,
// for Clean to take as the article's image, and one inside text goes.
func mdText(s string) string {
	if imageURL(s) != "" {
		return s
	}
	s = inlineImage.ReplaceAllString(s, "")
	return mdLinks.ReplaceAllString(s, "$1 ($2)")
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
			p.People = append(p.People, strings.Trim(strings.TrimSpace(name), `"'`))
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
