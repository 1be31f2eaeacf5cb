package telegramtest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// ParseError is why Telegram would refuse a text with parse_mode HTML. Its
// Error reads like Telegram's own description after "Bad Request: ", for
// example `can't parse entities: Unsupported start tag "blink" at byte offset 0`.
type ParseError struct {
	// Reason is the part after "can't parse entities: ".
	Reason string
}

// Error returns the description Telegram gives, without "Bad Request: ".
func (e *ParseError) Error() string { return "can't parse entities: " + e.Reason }

func parseErrorf(format string, args ...any) *ParseError {
	return &ParseError{Reason: fmt.Sprintf(format, args...)}
}

// UTF16Len is the length of s in UTF-16 code units, the unit Telegram counts
// message lengths and entity offsets in.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// htmlTags maps each tag Telegram's HTML parse mode supports to the entity it
// makes. "span", "a", "tg-emoji", "pre", "code" and "blockquote" are refined
// by their attributes.
var htmlTags = map[string]models.MessageEntityType{
	"b": models.MessageEntityTypeBold, "strong": models.MessageEntityTypeBold,
	"i": models.MessageEntityTypeItalic, "em": models.MessageEntityTypeItalic,
	"u": models.MessageEntityTypeUnderline, "ins": models.MessageEntityTypeUnderline,
	"s": models.MessageEntityTypeStrikethrough, "strike": models.MessageEntityTypeStrikethrough,
	"del":        models.MessageEntityTypeStrikethrough,
	"span":       models.MessageEntityTypeSpoiler,
	"tg-spoiler": models.MessageEntityTypeSpoiler,
	"a":          models.MessageEntityTypeTextLink,
	"tg-emoji":   models.MessageEntityTypeCustomEmoji,
	"code":       models.MessageEntityTypeCode,
	"pre":        models.MessageEntityTypePre,
	"blockquote": models.MessageEntityTypeBlockquote,
}

// openTag is a start tag waiting for its end tag.
type openTag struct {
	name   string
	at     int // byte offset of '<' in the source
	offset int // UTF-16 offset in the visible text
	attrs  map[string]string
	// language is set on a pre by a <code class="language-x"> directly inside it.
	language string
}

// ParseHTML does what Telegram does with a text sent with parse_mode HTML:
// it returns the visible text and the entities it carries, with offsets and
// lengths in UTF-16 code units. Entities Telegram finds by itself (links,
// mentions, hashtags, bot commands, e-mail addresses) are included.
//
// It fails with a *ParseError on an unsupported tag, an attribute a tag must
// have, an end tag that does not match, a tag left open, a "<" that starts no
// tag, or an "&" that starts no entity (&lt; &gt; &amp; &quot; or numeric).
// Telegram itself keeps a bare "&" as text; the fake refuses it so that a
// missing escape shows up in tests.
func ParseHTML(s string) (string, []models.MessageEntity, error) {
	var out strings.Builder
	var ents []models.MessageEntity
	var stack []*openTag
	units := 0
	for i := 0; i < len(s); {
		switch s[i] {
		case '&':
			r, n, ok := decodeEntity(s[i:])
			if !ok {
				return "", nil, parseErrorf("Character \"&\" at byte offset %d starts no entity; escape it as \"&amp;\"", i)
			}
			out.WriteRune(r)
			units += UTF16Len(string(r))
			i += n
		case '<':
			if i+1 < len(s) && s[i+1] == '/' {
				end := strings.IndexByte(s[i:], '>')
				if end < 0 {
					return "", nil, parseErrorf("Unclosed end tag at byte offset %d", i)
				}
				name := strings.ToLower(strings.TrimSpace(s[i+2 : i+end]))
				if len(stack) == 0 {
					return "", nil, parseErrorf("Unexpected end tag at byte offset %d", i)
				}
				top := stack[len(stack)-1]
				if name != top.name {
					return "", nil, parseErrorf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, top.name, name)
				}
				stack = stack[:len(stack)-1]
				var parent *openTag
				if len(stack) > 0 {
					parent = stack[len(stack)-1]
				}
				if e, ok := closeTag(top, parent, units); ok {
					ents = append(ents, e)
				}
				i += end + 1
				continue
			}
			tag, n, err := parseStartTag(s, i)
			if err != nil {
				return "", nil, err
			}
			tag.offset = units
			stack = append(stack, tag)
			i += n
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				return "", nil, parseErrorf("Strings must be encoded in UTF-8")
			}
			out.WriteString(s[i : i+n])
			units += UTF16Len(s[i : i+n])
			i += n
		}
	}
	if len(stack) > 0 {
		return "", nil, parseErrorf("Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].name)
	}
	text := out.String()
	ents = append(ents, detectEntities(text, ents)...)
	sortEntities(ents)
	return text, ents, nil
}

// parseStartTag reads the start tag at s[at] ('<'), returning it and its
// length in bytes.
func parseStartTag(s string, at int) (*openTag, int, error) {
	i := at + 1
	for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
		i++
	}
	if i >= len(s) {
		return nil, 0, parseErrorf("Unclosed start tag at byte offset %d", at)
	}
	name := strings.ToLower(s[at+1 : i])
	if _, ok := htmlTags[name]; !ok {
		return nil, 0, parseErrorf("Unsupported start tag \"%s\" at byte offset %d", name, at)
	}
	tag := &openTag{name: name, at: at, attrs: map[string]string{}}
	for {
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, parseErrorf("Unclosed start tag at byte offset %d", at)
		}
		if s[i] == '>' {
			i++
			break
		}
		nameStart := i
		for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '=' && s[i] != '>' {
			i++
		}
		attr := strings.ToLower(s[nameStart:i])
		if attr == "" {
			return nil, 0, parseErrorf("Empty attribute name in the tag \"%s\" at byte offset %d", name, at)
		}
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) || s[i] != '=' {
			if name == "blockquote" && attr == "expandable" {
				tag.attrs[attr] = ""
				continue
			}
			return nil, 0, parseErrorf("Expected equal sign in declaration of an attribute of the tag \"%s\" at byte offset %d", name, at)
		}
		i++
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			return nil, 0, parseErrorf("Unclosed start tag at byte offset %d", at)
		}
		var raw string
		if q := s[i]; q == '"' || q == '\'' {
			end := strings.IndexByte(s[i+1:], q)
			if end < 0 {
				return nil, 0, parseErrorf("Unclosed start tag at byte offset %d", at)
			}
			raw = s[i+1 : i+1+end]
			i += end + 2
		} else {
			start := i
			for i < len(s) && !isHTMLSpace(s[i]) && s[i] != '>' {
				i++
			}
			raw = s[start:i]
		}
		value, err := decodeAttribute(raw)
		if err != nil {
			return nil, 0, parseErrorf("Character \"&\" in an attribute of the tag \"%s\" at byte offset %d starts no entity", name, at)
		}
		tag.attrs[attr] = value
	}
	switch name {
	case "span":
		if tag.attrs["class"] != "tg-spoiler" {
			return nil, 0, parseErrorf("Tag \"span\" must have class \"tg-spoiler\" at byte offset %d", at)
		}
	case "tg-emoji":
		if _, err := strconv.ParseInt(tag.attrs["emoji-id"], 10, 64); err != nil {
			return nil, 0, parseErrorf("Invalid custom emoji identifier specified")
		}
	}
	return tag, i - at, nil
}

// closeTag makes the entity for a tag that ends at the UTF-16 offset end.
func closeTag(t, parent *openTag, end int) (models.MessageEntity, bool) {
	e := models.MessageEntity{Type: htmlTags[t.name], Offset: t.offset, Length: end - t.offset}
	switch t.name {
	case "a":
		href := t.attrs["href"]
		switch {
		case href == "":
			return e, false
		case strings.HasPrefix(href, "tg://user?id="):
			id, err := strconv.ParseInt(strings.TrimPrefix(href, "tg://user?id="), 10, 64)
			if err != nil {
				return e, false
			}
			e.Type = models.MessageEntityTypeTextMention
			e.User = &models.User{ID: id}
		default:
			e.URL = href
		}
	case "tg-emoji":
		e.CustomEmojiID = t.attrs["emoji-id"]
	case "code":
		// <pre><code class="language-go">...</code></pre> is one pre entity.
		if parent != nil && parent.name == "pre" && parent.offset == t.offset {
			parent.language = strings.TrimPrefix(t.attrs["class"], "language-")
			return e, false
		}
	case "pre":
		e.Language = t.language
	case "blockquote":
		if _, ok := t.attrs["expandable"]; ok {
			e.Type = models.MessageEntityTypeExpandableBlockquote
		}
	}
	return e, e.Length > 0
}

// decodeEntity decodes the HTML entity at the start of s, returning the rune
// and the entity's length in bytes.
func decodeEntity(s string) (rune, int, bool) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return 0, 0, false
	}
	name := s[1:end]
	switch name {
	case "lt":
		return '<', end + 1, true
	case "gt":
		return '>', end + 1, true
	case "amp":
		return '&', end + 1, true
	case "quot":
		return '"', end + 1, true
	}
	if name[0] != '#' || len(name) < 2 {
		return 0, 0, false
	}
	var n uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	r := rune(n)
	if err != nil || n == 0 || !utf8.ValidRune(r) {
		return 0, 0, false
	}
	return r, end + 1, true
}

// decodeAttribute decodes the entities in an attribute value.
func decodeAttribute(raw string) (string, error) {
	if !strings.Contains(raw, "&") {
		return raw, nil
	}
	var b strings.Builder
	for i := 0; i < len(raw); {
		if raw[i] != '&' {
			b.WriteByte(raw[i])
			i++
			continue
		}
		r, n, ok := decodeEntity(raw[i:])
		if !ok {
			return "", fmt.Errorf("bare & at %d", i)
		}
		b.WriteRune(r)
		i += n
	}
	return b.String(), nil
}

func isHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// sortEntities orders entities as Telegram lists them: by offset, the
// longer first where two start together.
func sortEntities(ents []models.MessageEntity) {
	sort.SliceStable(ents, func(i, j int) bool {
		if ents[i].Offset != ents[j].Offset {
			return ents[i].Offset < ents[j].Offset
		}
		return ents[i].Length > ents[j].Length
	})
}
