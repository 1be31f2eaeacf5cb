package mastodon

import (
	"strings"

	"golang.org/x/net/html"
)

// htmlText is a status's HTML content as plain text: paragraphs apart by
// a blank line, <br> a line break, links their text in full (Mastodon hides
// part of a long URL in spans, but keeps it in the text).
func htmlText(content string) string {
	doc, err := html.Parse(strings.NewReader("<body>" + content + "</body>"))
	if err != nil {
		return content
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(nd *html.Node) {
		switch {
		case nd.Type == html.TextNode:
			b.WriteString(nd.Data)
		case nd.Type == html.ElementNode && nd.Data == "br":
			b.WriteString("\n")
		}
		for c := nd.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if nd.Type == html.ElementNode && nd.Data == "p" {
			b.WriteString("\n\n")
		}
	}
	walk(doc)
	return strings.TrimSpace(b.String())
}
