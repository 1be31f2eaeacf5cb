package bot

import (
	"errors"
	"fmt"
	"github.com/herald-news/herald"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// escaper escapes the characters Telegram HTML gives a meaning to. Quotes
// are escaped everywhere, so one function serves text and attributes.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// Escape escapes s for Telegram HTML, as text or as an attribute value:
// <, >, & and " become entities. Invalid UTF-8, which Telegram refuses,
// becomes U+FFFD.
func Escape(s string) string {
	return escaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// EscapeReader escapes text a reader typed (a review, a comment, a name)
// for Telegram HTML bound for editors, with direction controls and
// invisible characters taken out first (herald.Neutral), so that an entry
// cannot be made to display as something else. Every place that shows
// editors what readers wrote goes through it.
func EscapeReader(s string) string { return Escape(herald.Neutral(s)) }

// VisibleLen returns the length Telegram counts for HTML text: UTF-16 code
// units of the text once tags are removed and entities decoded. It does not
// fail: a stray "<" or "&" counts as one unit, as Telegram would show it.
func VisibleLen(html string) int {
	n, _, _ := scanHTML(html)
	return n
}

// scanHTML measures html as VisibleLen does, tells whether it shows nothing
// but spaces, and reports the first way it is not valid Telegram HTML:
// a tag Telegram does not know, a missing or unknown attribute, tags that
// do not nest, a tag inside <code> or <pre>, a link inside a link, a bare
// "<" or "&", invalid UTF-8.
func scanHTML(s string) (units int, blank bool, err error) {
	blank = true
	var open []string
	lastClose := strings.LastIndexByte(s, '>') // so that many a bare "<" costs no rescans
	fail := func(format string, args ...any) {
		if err == nil {
			err = fmt.Errorf(format, args...)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '<':
			end := -1
			if i < lastClose {
				end = strings.IndexByte(s[i:], '>')
			}
			if end < 0 {
				fail("bare \"<\" at byte %d; write &lt;", i)
				break
			}
			if e := checkTag(s[i+1:i+end], &open); e != nil {
				fail("%v at byte %d", e, i)
			}
			i += end + 1
			continue
		case r == '&':
			if d, n := decodeEntity(s[i:]); n > 0 {
				r, size = d, n
			} else {
				fail("bare \"&\" at byte %d; write &amp;", i)
			}
		case r == utf8.RuneError && size == 1:
			fail("invalid UTF-8 at byte %d", i)
		}
		units += utf16.RuneLen(r)
		blank = blank && unicode.IsSpace(r)
		i += size
	}
	if len(open) > 0 {
		fail("<%s> is never closed", open[len(open)-1])
	}
	return units, blank, err
}

// checkTag checks the tag between "<" and ">" against the tags Telegram
// knows and the tags already open, and opens or closes it.
func checkTag(tag string, open *[]string) error {
	if name, ok := strings.CutPrefix(tag, "/"); ok {
		name = strings.ToLower(strings.TrimSpace(name))
		if len(*open) == 0 || (*open)[len(*open)-1] != name {
			return fmt.Errorf("</%s> closes no open tag", name)
		}
		*open = (*open)[:len(*open)-1]
		return nil
	}
	name, rest, _ := strings.Cut(tag, " ")
	name = strings.ToLower(name)
	attrs, err := parseAttrs(rest)
	if err != nil {
		return fmt.Errorf("<%s>: %w", name, err)
	}
	allowed := map[string]string{"b": "", "i": "", "u": "", "s": "", "tg-spoiler": "",
		"a": "href", "code": "class", "pre": "", "blockquote": "expandable"}
	want, known := allowed[name]
	switch {
	case !known:
		return fmt.Errorf("<%s> is not a tag Telegram knows (use b, i, u, s, a, code, pre, blockquote, tg-spoiler)", name)
	case name == "a" && attrs["href"] == "":
		return errors.New(`<a> needs a non-empty href="..." (wrap an optional link in {{with .URL}}...{{end}})`)
	case len(*open) > 0 && (*open)[len(*open)-1] == "code",
		len(*open) > 0 && (*open)[len(*open)-1] == "pre" && name != "code":
		return fmt.Errorf("<%s> inside <%s>", name, (*open)[len(*open)-1])
	case name == "a" && strings.Contains(" "+strings.Join(*open, " ")+" ", " a "):
		return errors.New("<a> inside <a>")
	}
	for k := range attrs {
		if k != want {
			return fmt.Errorf("<%s> takes no attribute %q", name, k)
		}
	}
	*open = append(*open, name)
	return nil
}

// parseAttrs reads name="value" and bare name attributes; values must have
// their "&" escaped.
func parseAttrs(s string) (map[string]string, error) {
	attrs := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		i := strings.IndexAny(s, "= ")
		if i < 0 {
			attrs[strings.ToLower(s)] = ""
			break
		}
		name := strings.ToLower(s[:i])
		if s[i] == ' ' {
			attrs[name], s = "", s[i:]
			continue
		}
		s = strings.TrimSpace(s[i+1:])
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			return nil, fmt.Errorf("attribute %s: quote its value", name)
		}
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return nil, fmt.Errorf("attribute %s: unclosed quote", name)
		}
		value := s[1 : end+1]
		if _, _, err := scanHTML(value); err != nil || strings.ContainsAny(value, "<>") {
			return nil, fmt.Errorf("attribute %s: escape <, > and & in its value", name)
		}
		attrs[name], s = value, s[end+2:]
	}
	return attrs, nil
}

// decodeEntity decodes the entity at the start of s — &lt; &gt; &amp;
// &quot; or a numeric one, the only kinds Telegram knows — and returns the
// rune and the entity's length, or 0 when s starts with no entity.
func decodeEntity(s string) (rune, int) {
	end := strings.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 || end > 10 {
		return 0, 0
	}
	switch name := s[1:end]; {
	case name == "lt":
		return '<', end + 1
	case name == "gt":
		return '>', end + 1
	case name == "amp":
		return '&', end + 1
	case name == "quot":
		return '"', end + 1
	case name[0] == '#':
		var n uint64
		var err error
		if len(name) > 2 && (name[1] == 'x' || name[1] == 'X') {
			n, err = strconv.ParseUint(name[2:], 16, 32)
		} else {
			n, err = strconv.ParseUint(name[1:], 10, 32)
		}
		if err == nil && n > 0 && utf8.ValidRune(rune(n)) {
			return rune(n), end + 1
		}
	}
	return 0, 0
}

// cleanText makes article text safe to send: valid UTF-8, no control
// characters but newlines and tabs, no spaces at line ends (so that a line
// of spaces still separates paragraphs), trimmed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// cleanLine is cleanText for one-line fields: runs of spaces and newlines
// become one space.
func cleanLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// clampRunes cuts s to at most n runes, ending in "…" when cut.
func clampRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
