package herald

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is what a post says, decided once for every network: which
// parts of the article it carries and in what words. Each network fits it
// to its own form and limits (Telegram's HTML in bot/, plain text within
// Mastodon's characters or Bluesky's graphemes through PlainText).
type Message struct {
	Episode    string   // the line above an episode's title (announce, live, recording); "" for others
	Title      string   // the headline, "Breaking: " before it for breaking news
	Lead       string   // the lead, or the body's first paragraph when there is none
	URL        string   // the article's http(s) address, "" when it has none
	ReadOn     string   // the link's label, "Read on the site"
	Hashtags   []string // the program's hashtag ("#DifficultQuestion"), when there is a program
	Language   Language // the channel's
	ImageURL   string   // the article's http(s) image, "" when none
	ImageAlt   string   // the image's alt text: the headline
	Breaking   bool
	Kind       Kind
	Purpose    Purpose
	ArticleURL string // the article's own address, before any change made for clicks
}

// Compose decides what the post of a for ch, for purpose, says at now.
func Compose(a *Article, ch *Channel, purpose Purpose, now time.Time) Message {
	w := WordingFor(ch.Language)
	title := oneLine(a.Title)
	m := Message{Title: title, URL: WebURL(a.URL), ArticleURL: WebURL(a.URL), Language: ch.Language,
		ImageURL: WebURL(a.ImageURL), ImageAlt: title, Breaking: a.Breaking, Kind: a.Kind, Purpose: purpose}
	if a.Breaking {
		m.Title = w.breaking + ": " + title
	}
	m.ReadOn = w.Labels(a.Kind, len(a.People)).ReadOn
	m.Lead = oneLine(a.Lead)
	if m.Lead == "" {
		if ps := (&Article{Body: a.Body}).Paragraphs(); len(ps) > 0 {
			m.Lead = oneLine(ps[0])
		}
	}
	program := oneLine(ProgramTitle(a.Program, ch.Language))
	if tag := Hashtag(program, ch.Language); tag != "" {
		m.Hashtags = []string{tag}
	}
	if a.AirAt != nil {
		loc := ch.Location()
		recording := purpose == PurposePublish && a.AirAt.Before(now)
		m.Episode = w.Episode(purpose, recording, a.AirAt.In(loc), now.In(loc), program, title)
	} else if purpose == PurposeAnnounce || purpose == PurposeLive {
		m.Episode = w.Episode(purpose, false, time.Time{}, now, program, title)
	}
	return m
}

// PlainText writes m as plain text within limit, as measure counts text
// (Mastodon's characters with a link as 23, Bluesky's graphemes): the
// episode line, the headline, the lead, the link and the hashtags, each
// on its own line. What does not fit goes in this order: the hashtags, the
// lead's end (cut at a word, with "…"), the lead, the episode line, the
// headline's end. The link is always kept: it is what the post is for.
func PlainText(m Message, limit int, measure func(string) int) string {
	join := func(episode, title, lead string, tags bool) string {
		var parts []string
		head := strings.TrimSpace(strings.Join(nonEmpty(episode, title), "\n"))
		if head != "" {
			parts = append(parts, head)
		}
		if lead != "" {
			parts = append(parts, lead)
		}
		tail := m.URL
		if tags && len(m.Hashtags) > 0 {
			tail = strings.TrimSpace(tail + "\n\n" + strings.Join(m.Hashtags, " "))
		}
		if tail != "" {
			parts = append(parts, tail)
		}
		return strings.Join(parts, "\n\n")
	}
	fits := func(s string) bool { return measure(s) <= limit }
	if s := join(m.Episode, m.Title, m.Lead, true); fits(s) {
		return s
	}
	if s := join(m.Episode, m.Title, m.Lead, false); fits(s) {
		return s
	}
	// The longest start of the lead that fits, cut at a word.
	if m.Lead != "" {
		ends := wordEnds(m.Lead)
		lo, hi, best := 0, len(ends)-1, -1
		for lo <= hi {
			mid := (lo + hi) / 2
			if fits(join(m.Episode, m.Title, cutWith(m.Lead[:ends[mid]]), false)) {
				best, lo = mid, mid+1
			} else {
				hi = mid - 1
			}
		}
		if best >= 0 && ends[best] >= len(m.Lead)/4 {
			return join(m.Episode, m.Title, cutWith(m.Lead[:ends[best]]), false)
		}
	}
	if s := join(m.Episode, m.Title, "", false); fits(s) {
		return s
	}
	if s := join("", m.Title, "", false); fits(s) {
		return s
	}
	ends := wordEnds(m.Title)
	for i := len(ends) - 1; i >= 0; i-- {
		if s := join("", cutWith(m.Title[:ends[i]]), "", false); fits(s) {
			return s
		}
	}
	return join("", "", "", false)
}

// cutWith ends a text cut short with "…", without the punctuation and
// spaces it was cut after.
func cutWith(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// wordEnds returns the byte offsets in s where a word ends, in order.
func wordEnds(s string) []int {
	var ends []int
	prev := false
	for i, r := range s {
		in := !unicode.IsSpace(r)
		if prev && !in {
			ends = append(ends, i)
		}
		prev = in
	}
	if prev {
		ends = append(ends, len(s))
	}
	return ends
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// oneLine is s on one line: control characters dropped, runs of spaces
// made one.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// MaxURLBytes is the longest link a post carries; longer ones are left out
// (Telegram refuses them, and no reader follows them).
const MaxURLBytes = 2048

// WebURL returns u when it is an http(s) address with a host and at most
// MaxURLBytes long, "" otherwise.
func WebURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	if s := p.String(); len(s) <= MaxURLBytes && utf8.ValidString(s) {
		return s
	}
	return ""
}

// maxHashtagRunes bounds a hashtag, so that a runaway program name cannot
// crowd out a post.
const maxHashtagRunes = 64

// Hashtag makes a hashtag of a program name: words capitalized and joined,
// punctuation dropped ("Çətin sual" -> "#ÇətinSual"). Azerbaijani
// capitalizes i as İ. It returns "" when no letter is left.
func Hashtag(program string, lang Language) string {
	var b strings.Builder
	start, runes := true, 0
	for _, r := range program {
		switch {
		case runes >= maxHashtagRunes:
		case r == '\'' || r == '’':
			// Let's -> Lets: an apostrophe does not start a new word.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start && lang == LangAzerbaijani {
				r = unicode.TurkishCase.ToUpper(r)
			} else if start {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			start = false
			runes++
		case unicode.IsMark(r) && !start:
			b.WriteRune(r)
			runes++
		default:
			start = true
		}
	}
	if !strings.ContainsFunc(b.String(), unicode.IsLetter) {
		return ""
	}
	return "#" + b.String()
}

// tagRE matches a tag of the little HTML editors write posts in
// (Telegram's: b, i, u, s, a, code, pre, blockquote, tg-spoiler...).
var tagRE = regexp.MustCompile(`<[^<>]*>`)

// PlainFromHTML is an editor's text, written in Telegram's HTML, as plain
// text for a network without markup: the tags dropped (a link's words
// kept), entities decoded, runs of blank lines made one.
func PlainFromHTML(s string) string {
	s = html.UnescapeString(tagRE.ReplaceAllString(s, ""))
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	var out []string
	blank := false
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
