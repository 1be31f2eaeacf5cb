package bluesky

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"
)

// Bluesky's limits on a post's text (app.bsky.feed.post's lexicon).
const (
	maxGraphemes = 300
	maxBytes     = 3000
	// linkTextMax is the longest visible link text, in graphemes: the
	// article's address without its scheme, shortened with "…".
	linkTextMax = 30
	maxTags     = 3
	tagsMax     = 48 // graphemes the hashtag line may take
	// leadMin is the fewest graphemes of a lead worth keeping; less room
	// than that and the post is the title and the link.
	leadMin = 40
)

// draft is what a post says, network-neutrally, before it is fitted to
// Bluesky: see fromMessage.
type draft struct {
	Marker  string // a mark before the title (an emoji)
	Episode string // a line above the title (an episode's announcement)
	Title   string
	Lead    string
	URL     string
	Tags    []string
	Lang    string
}

// facet is a rich-text annotation over [Start, End) bytes of the text.
type facet struct {
	Start, End int
	Kind       string // link, tag, mention
	Value      string // the URI, the tag without '#', the handle
}

// graphemes counts user-perceived characters, as Bluesky counts the limit.
func graphemes(s string) int { return uniseg.GraphemeClusterCount(s) }

// trimTo shortens s to at most n graphemes, at a word boundary when one is
// near, ending in "…".
func trimTo(s string, n int) string {
	s = strings.TrimSpace(s)
	if graphemes(s) <= n {
		return s
	}
	if n <= 1 {
		return ""
	}
	g := uniseg.NewGraphemes(s)
	cut, count := 0, 0
	for g.Next() && count < n-1 {
		_, cut = g.Positions()
		count++
	}
	head := s[:cut]
	if i := strings.LastIndexFunc(head, unicode.IsSpace); i > len(head)/2 {
		head = head[:i]
	}
	head = strings.TrimRightFunc(head, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:—–-([«„“", r)
	})
	return head + "…"
}

// linkText is the visible text of the article's link: its address without
// scheme and "www.", shortened to linkTextMax graphemes.
func linkText(raw string) string {
	t := raw
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		t = strings.TrimPrefix(u.Host, "www.") + u.EscapedPath()
		if u.RawQuery != "" {
			t += "?" + u.RawQuery
		}
	}
	t = strings.TrimSuffix(t, "/")
	if graphemes(t) > linkTextMax {
		g := uniseg.NewGraphemes(t)
		cut, count := 0, 0
		for g.Next() && count < linkTextMax-1 {
			_, cut = g.Positions()
			count++
		}
		t = t[:cut]
		if i := strings.LastIndexAny(t, "/-_"); i > len(t)*2/3 {
			t = t[:i] // end at a part of the path, not inside a word
		}
		t = strings.TrimRight(t, "./-_?&=") + "…"
	}
	return t
}

// tagText makes a hashtag of a tag: letters, digits and underscores only.
func tagText(t string) string {
	t = strings.TrimPrefix(strings.TrimSpace(t), "#")
	var b strings.Builder
	for _, r := range t {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 || graphemes(s) > 64 {
		return ""
	}
	return s
}

var (
	urlRE     = regexp.MustCompile(`https?://[^\s<>"“”«»]+[^\s<>"“”«».,;:!?)…]`)
	mentionRE = regexp.MustCompile(`(?:^|[\s(«“"])(@([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)`)
)

// builder writes a post's text and keeps its facets' byte ranges.
type builder struct {
	b      strings.Builder
	facets []facet
}

func (bd *builder) write(s string) { bd.b.WriteString(s) }

// mark writes s as a facet of kind over all of it.
func (bd *builder) mark(s, kind, value string) {
	start := bd.b.Len()
	bd.b.WriteString(s)
	bd.facets = append(bd.facets, facet{Start: start, End: bd.b.Len(), Kind: kind, Value: value})
}

// prose writes s with facets for the addresses and @handles in it.
func (bd *builder) prose(s string) {
	start := bd.b.Len()
	bd.b.WriteString(s)
	for _, m := range urlRE.FindAllStringIndex(s, -1) {
		if strings.HasPrefix(s[m[1]:], "…") {
			continue // cut short by trimming: not a working address
		}
		bd.facets = append(bd.facets, facet{Start: start + m[0], End: start + m[1], Kind: "link", Value: s[m[0]:m[1]]})
	}
	for _, m := range mentionRE.FindAllStringSubmatchIndex(s, -1) {
		if strings.HasPrefix(s[m[3]:], "…") {
			continue
		}
		bd.facets = append(bd.facets, facet{Start: start + m[2], End: start + m[3], Kind: "mention", Value: strings.ToLower(s[m[2]+1 : m[3]])})
	}
}

// render fits d into one post of at most maxGraphemes: the marker and
// title, the lead (trimmed at a word), the link and up to maxTags hashtags.
func render(d draft) (string, []facet) {
	title := strings.TrimSpace(d.Title)
	if d.Marker != "" {
		title = strings.TrimSpace(d.Marker) + " " + title
	}
	link := ""
	if d.URL != "" {
		link = linkText(d.URL)
	}
	var tags []string
	used := 0
	for _, t := range d.Tags {
		tt := tagText(t)
		if tt == "" || len(tags) == maxTags || used+graphemes(tt)+2 > tagsMax {
			continue
		}
		dup := false
		for _, x := range tags {
			dup = dup || strings.EqualFold(x, tt)
		}
		if !dup {
			tags = append(tags, tt)
			used += graphemes(tt) + 2
		}
	}
	tail := 0 // graphemes after the title and lead: "\n\n" + link, "\n" + tags
	if link != "" {
		tail += 2 + graphemes(link)
	}
	if len(tags) > 0 {
		tail += used // each tag with its '#' and a separator
		if link == "" {
			tail++
		}
	}
	room := maxGraphemes - tail
	title = trimTo(title, room)
	room -= graphemes(title)
	lead := strings.TrimSpace(d.Lead)
	if lead != "" && room-2 >= leadMin {
		lead = trimTo(lead, room-2)
	} else {
		lead = ""
	}
	var bd builder
	if ep := strings.TrimSpace(d.Episode); ep != "" && room-2-graphemes(ep) >= leadMin {
		// The episode line goes before the lead does.
		ep = trimTo(ep, room/2)
		bd.prose(ep)
		bd.write("\n")
		room -= graphemes(ep) + 1
		if lead != "" && room-2 < graphemes(lead) {
			lead = trimTo(strings.TrimSpace(d.Lead), room-2)
			if room-2 < leadMin {
				lead = ""
			}
		}
	}
	bd.prose(title)
	if lead != "" {
		bd.write("\n\n")
		bd.prose(lead)
	}
	if link != "" {
		bd.write("\n\n")
		bd.mark(link, "link", d.URL)
	}
	for i, t := range tags {
		switch {
		case i > 0:
			bd.write(" ")
		case link != "":
			bd.write("\n")
		default:
			bd.write("\n\n")
		}
		bd.mark("#"+t, "tag", t)
	}
	text := bd.b.String()
	if len(text) > maxBytes || graphemes(text) > maxGraphemes {
		// Only scripts of many bytes per grapheme get here (3000 bytes is
		// ten per grapheme): fall back to the title and the link.
		return render(draft{Title: trimTo(title, len(title)/2), URL: d.URL, Lang: d.Lang})
	}
	return text, bd.facets
}
