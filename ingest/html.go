package ingest

import (
	"bytes"
	"strings"

	"github.com/herald-news/herald"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
		p.Section = first(p.Section, v)
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
