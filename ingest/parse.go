package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/herald-news/herald"
)

// Format is a kind of page that Parse reads.
type Format string

// The formats Parse reads.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatJSON     Format = "json"
)

// Parse reads one page in any supported format (plain text, Markdown with
// optional front matter, HTML, JSON), chosen by the name's extension and,
// failing that, by sniffing the content, and returns the cleaned article.
// It fails with an EInvalid *herald.Error whose message starts with name
// and says why: empty, binary, invalid UTF-8 (with the byte offset), over
// herald.MaxBodyBytes, bad front matter or JSON (with the offset), no
// title, and whatever Clean refuses. It never panics on any input.
func Parse(name string, data []byte, opts Options) (*herald.Article, error) {
	if err := checkInput(data); err != nil {
		return nil, named(name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var (
		p   Page
		err error
	)
	switch DetectFormat(name, data) {
	case FormatJSON:
		p, err = parseJSON(data)
	case FormatHTML:
		p, err = parseHTML(data)
	case FormatMarkdown:
		p, err = parseMarkdown(string(data))
	default:
		p = parseText(string(data))
	}
	if err != nil {
		return nil, named(name, err)
	}
	a, err := Clean(p, opts)
	if err != nil {
		return nil, named(name, err)
	}
	return a, nil
}

// DetectFormat chooses how to read a page: by the extension of name when
// it is a known one, else by what the content starts with. Plain text is
// the fallback.
func DetectFormat(name string, data []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return FormatText
	case ".md", ".markdown", ".mdown":
		return FormatMarkdown
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	case ".json":
		return FormatJSON
	}
	head := bytes.TrimSpace(data[:min(len(data), 1024)])
	lower := bytes.ToLower(head)
	switch {
	case bytes.HasPrefix(head, []byte("{")):
		return FormatJSON
	case bytes.HasPrefix(head, []byte("---\n")) || bytes.HasPrefix(head, []byte("---\r\n")) || bytes.HasPrefix(head, []byte("# ")):
		return FormatMarkdown
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
		(bytes.HasPrefix(head, []byte("<")) && htmlTag.Match(lower)):
		return FormatHTML
	}
	return FormatText
}

var htmlTag = regexp.MustCompile(`<(p|div|h1|h2|body|head|article|br|title)[\s>/]`)

// checkInput refuses pages that are not text herald can take.
func checkInput(data []byte) error {
	switch {
	case len(data) > herald.MaxBodyBytes:
		return invalid("page is %d bytes, over the %d MB limit", len(data), herald.MaxBodyBytes>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return invalid("page is empty")
	case bytes.IndexByte(data, 0) >= 0:
		return invalid("page is binary: it has NUL bytes at byte %d", bytes.IndexByte(data, 0))
	}
	if !utf8.Valid(data) {
		return invalid("page is not valid UTF-8: bad byte at offset %d", badUTF8(data))
	}
	control := 0
	for _, r := range string(data[:min(len(data), 8192)]) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			control++
		}
	}
	if control > 8 && control*20 > min(len(data), 8192) {
		return invalid("page is binary: too many control characters")
	}
	return nil
}

// badUTF8 returns the offset of the first byte that is not valid UTF-8.
func badUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func invalid(format string, args ...any) error {
	return herald.Errorf(herald.EInvalid, format, args...)
}

// named puts the page's name in front of err's message, keeping its code.
func named(name string, err error) error {
	var e *herald.Error
	if errors.As(err, &e) {
		return &herald.Error{Code: e.Code, Message: name + ": " + e.Error()}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// parseText reads a plain-text page as a scraper saves it: each non-empty
// line is a paragraph, the first of them the title.
func parseText(s string) Page {
	var p Page
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) != "" {
			p.Paragraphs = append(p.Paragraphs, l)
		}
	}
	return p
}

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

// skipTags are elements whose text is never part of an article.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true,
	atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true,
	atom.Iframe: true, atom.Svg: true, atom.Button: true, atom.Select: true,
	atom.Template: true, atom.Head: true, atom.Figure: true, atom.Object: true,
}

// skipClasses mark, by a class or id containing them, blocks of site
// chrome that sites do not put in nav or aside elements.
var skipClasses = []string{
	"share", "social", "related", "breadcrumb", "comment", "sidebar", "menu",
	"navbar", "advert", "banner", "subscribe", "newsletter", "cookie", "popup",
}

// blockTags end a paragraph where they open and close.
var blockTags = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Blockquote: true,
	atom.Pre: true, atom.Td: true, atom.Th: true, atom.Tr: true, atom.Dd: true,
	atom.Dt: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Ul: true, atom.Ol: true, atom.Table: true, atom.Body: true, atom.Hr: true,
	atom.Figcaption: true, atom.Dl: true, atom.Address: true,
}

// parseHTML reads an HTML page: the title from the article's <h1>, else
// the first <h1>, og:title or <title>; paragraphs from block elements,
// leaving out scripts, navigation, headers, footers, asides, forms and
// share or related blocks; links as "text (url)"; the image, video,
// canonical URL, language and publish time from meta tags. HTML is read
// leniently; it fails only when the parser gives up (elements nested too
// deep).
func parseHTML(data []byte) (Page, error) {
	var p Page
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return p, invalid("cannot read the HTML: %v", err)
	}
	htmlHead(&p, doc)
	var buf strings.Builder
	flush := func() {
		if t := strings.TrimSpace(buf.String()); t != "" {
			p.Paragraphs = append(p.Paragraphs, t)
		}
		buf.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			buf.WriteString(strings.ReplaceAll(n.Data, "\n", " "))
			return
		case n.Type == html.ElementNode && (skipTags[n.DataAtom] || skippedClass(n)):
			return
		case n.DataAtom == atom.Br:
			buf.WriteByte('\n')
			return
		}
		block := blockTags[n.DataAtom]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.DataAtom == atom.A {
			// Links are kept as "text (url)"; a link without text is an
			// icon, and its label, if any, goes as chrome.
			if href, text := attr(n, "href"), textOf(n); isWebURL(href) && text != "" && !strings.Contains(text, href) {
				buf.WriteString(" (" + href + ")")
			}
		}
		if block {
			flush()
		}
	}
	walk(doc)
	flush()
	return p, nil
}

// htmlHead takes the metadata of a page from its whole tree: language,
// meta tags, canonical link, title, first image and video, publish time.
func htmlHead(p *Page, doc *html.Node) {
	var h1Article, h1Any, ogTitle, docTitle string
	var walk func(n *html.Node, inArticle bool)
	walk = func(n *html.Node, inArticle bool) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				l, _, _ := strings.Cut(strings.ToLower(attr(n, "lang")), "-")
				if herald.Language(l).Valid() {
					p.Language = herald.Language(l)
				}
			case atom.Meta:
				htmlMeta(p, n, &ogTitle)
			case atom.Link:
				if strings.EqualFold(attr(n, "rel"), "canonical") && isWebURL(attr(n, "href")) {
					p.URL = attr(n, "href")
				}
			case atom.Title:
				docTitle = first(docTitle, textOf(n))
			case atom.Img:
				if src := attr(n, "src"); inArticle && p.ImageURL == "" && isWebURL(src) {
					p.ImageURL = src
				}
			case atom.Iframe, atom.Video, atom.Source:
				if src := attr(n, "src"); p.VideoURL == "" && isVideoURL(src) {
					p.VideoURL = src
				}
			case atom.Time:
				if t, err := parseTime(attr(n, "datetime")); err == nil && p.PublishedAt.IsZero() {
					p.PublishedAt = t
				}
			case atom.Article, atom.Main:
				inArticle = true
			case atom.H1:
				h := collapseSpaces(textOf(n))
				if inArticle {
					h1Article = first(h1Article, h)
				}
				h1Any = first(h1Any, h)
			case atom.Nav, atom.Footer, atom.Aside, atom.Script, atom.Style:
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inArticle)
		}
	}
	walk(doc, false)
	p.Title = first(h1Article, h1Any, ogTitle, collapseSpaces(docTitle))
}

// htmlMeta takes the page's metadata from one <meta> tag.
func htmlMeta(p *Page, n *html.Node, ogTitle *string) {
	key := strings.ToLower(first(attr(n, "property"), attr(n, "name"), attr(n, "itemprop")))
	v := strings.TrimSpace(attr(n, "content"))
	if v == "" {
		return
	}
	switch key {
	case "og:title":
		*ogTitle = v
	case "og:image", "twitter:image":
		p.ImageURL = first(p.ImageURL, v)
	case "og:video", "og:video:url":
		p.VideoURL = first(p.VideoURL, v)
	case "og:url":
		p.URL = first(p.URL, v)
	case "article:published_time", "datepublished", "date", "pubdate":
		if t, err := parseTime(v); err == nil {
			p.PublishedAt = t
		}
	case "article:section", "keywords":
		// Only to recognise the show: the section label is chrome in the text.
		if mentionsProgram(v) {
			p.Program = first(p.Program, ProgramName)
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// textOf returns the text inside n, skipping scripts and styles.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style) {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

func skippedClass(n *html.Node) bool {
	names := strings.ToLower(attr(n, "class") + " " + attr(n, "id"))
	for _, c := range skipClasses {
		if strings.Contains(names, c) {
			return true
		}
	}
	return false
}

func isWebURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

func isVideoURL(s string) bool {
	return isWebURL(s) && (strings.Contains(s, "youtube.com/") || strings.Contains(s, "youtu.be/") ||
		strings.Contains(s, "vimeo.com/") || strings.HasSuffix(s, ".mp4"))
}

// jsonPage is the JSON shape Parse reads; unknown fields are ignored.
type jsonPage struct {
	Title       string          `json:"title"`
	Lead        string          `json:"lead"`
	Body        string          `json:"body"`
	Kind        string          `json:"kind"`
	Language    string          `json:"language"`
	Lang        string          `json:"lang"`
	Program     string          `json:"program"`
	People      json.RawMessage `json:"people"`
	URL         string          `json:"url"`
	ImageURL    string          `json:"image_url"`
	VideoURL    string          `json:"video_url"`
	PublishedAt string          `json:"published_at"`
	AirAt       string          `json:"air_at"`
	Source      string          `json:"source"`
	ExternalID  string          `json:"external_id"`
	GUID        string          `json:"guid"`
	Status      string          `json:"status"`
	Breaking    bool            `json:"breaking"`
}

// parseJSON reads one JSON object. The body is HTML when it has tags, else
// text with paragraphs separated by blank lines. It fails on bad JSON with
// the byte offset, and on a field of the wrong type or value with its name.
func parseJSON(data []byte) (Page, error) {
	var j jsonPage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&j); err != nil {
		return Page{}, jsonError(err, int64(len(data)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Page{}, invalid("bad JSON at byte %d: more data after the object", dec.InputOffset())
	}
	var p Page
	if htmlTag.MatchString(strings.ToLower(j.Body)) {
		var err error
		if p, err = parseHTML([]byte(j.Body)); err != nil {
			return Page{}, invalid("body: %v", err)
		}
		p.Title = ""
	} else {
		for _, b := range strings.Split(strings.ReplaceAll(j.Body, "\r\n", "\n"), "\n\n") {
			p.Paragraphs = append(p.Paragraphs, b)
		}
	}
	p.Title, p.Lead = j.Title, j.Lead
	p.Program, p.Source, p.ExternalID, p.GUID = j.Program, j.Source, j.ExternalID, j.GUID
	p.URL, p.ImageURL, p.VideoURL = first(j.URL, p.URL), first(j.ImageURL, p.ImageURL), first(j.VideoURL, p.VideoURL)
	p.Breaking = j.Breaking
	fields := []struct{ key, value string }{
		{"kind", j.Kind}, {"language", first(j.Language, j.Lang)}, {"published_at", j.PublishedAt},
		{"air_at", j.AirAt}, {"status", j.Status},
	}
	for _, f := range fields {
		if f.value != "" {
			if err := setMeta(&p, f.key, f.value); err != nil {
				return Page{}, err
			}
		}
	}
	if len(j.People) > 0 && string(j.People) != "null" {
		var list []string
		var one string
		switch {
		case json.Unmarshal(j.People, &list) == nil:
			p.People = list
		case json.Unmarshal(j.People, &one) == nil:
			p.People = strings.Split(one, ",")
		default:
			return Page{}, invalid("people: want a list of names or one comma-separated string")
		}
	}
	return p, nil
}

// jsonError says where JSON went wrong, as a byte offset.
func jsonError(err error, offset int64) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return invalid("bad JSON at byte %d: %v", syntax.Offset, err)
	case errors.As(err, &typ) && typ.Field == "":
		return invalid("bad JSON at byte %d: want one object, got %s", typ.Offset, typ.Value)
	case errors.As(err, &typ):
		return invalid("bad JSON at byte %d: field %q should be %s, not %s", typ.Offset, typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("bad JSON at byte %d: the object is cut short", offset)
	}
	return invalid("bad JSON at byte %d: %v", offset, err)
}
