package mastodontest

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// formatHTML renders plain text as Mastodon's TextFormatter does:
// paragraphs, line breaks, links with their invisible/ellipsis spans,
// mentions as h-cards and hashtags as tag links.
func (s *Server) formatHTML(text string) string {
	var b strings.Builder
	for i, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" && i > 0 {
			continue
		}
		b.WriteString("<p>")
		for j, line := range strings.Split(para, "\n") {
			if j > 0 {
				b.WriteString("<br />")
			}
			b.WriteString(s.formatLine(line))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

func (s *Server) formatLine(line string) string {
	var b strings.Builder
	rest := line
	for rest != "" {
		loc := urlRE.FindStringIndex(rest)
		if loc == nil {
			b.WriteString(s.formatWords(rest))
			break
		}
		b.WriteString(s.formatWords(rest[:loc[0]]))
		u := rest[loc[0]:loc[1]]
		scheme, body, _ := strings.Cut(u, "://")
		prefix := scheme + "://"
		if strings.HasPrefix(body, "www.") {
			prefix, body = prefix+"www.", body[4:]
		}
		shown, hidden := body, ""
		if utf8.RuneCountInString(body) > 30 {
			r := []rune(body)
			shown, hidden = string(r[:30]), string(r[30:])
		}
		class := ""
		if hidden != "" {
			class = ` class="ellipsis"`
		}
		fmt.Fprintf(&b, `<a href="%s" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">%s</span><span%s>%s</span><span class="invisible">%s</span></a>`,
			html.EscapeString(u), html.EscapeString(prefix), class, html.EscapeString(shown), html.EscapeString(hidden))
		rest = rest[loc[1]:]
	}
	return b.String()
}

func (s *Server) formatWords(t string) string {
	t = html.EscapeString(t)
	t = mentionRE.ReplaceAllStringFunc(t, func(m string) string {
		sub := mentionRE.FindStringSubmatch(m)
		acc := s.accountByName(sub[2])
		if acc == nil || (sub[3] != "" && !strings.EqualFold(sub[3], s.domain)) {
			return m
		}
		return sub[1] + fmt.Sprintf(`<span class="h-card" translate="no"><a href="%s/@%s" class="u-url mention">@<span>%s</span></a></span>`, s.url, acc.Username, acc.Username)
	})
	return hashtagRE.ReplaceAllStringFunc(t, func(m string) string {
		sub := hashtagRE.FindStringSubmatch(m)
		return sub[1] + fmt.Sprintf(`<a href="%s/tags/%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`, s.url, strings.ToLower(sub[2]), sub[2])
	})
}
