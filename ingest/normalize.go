package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizeLine normalises s and joins its lines with spaces: for titles
// and metadata, which have no line breaks.
func normalizeLine(s string) string {
	return collapseSpaces(strings.ReplaceAll(normalizeText(s), "\n", " "))
}

// normalizeText returns s in NFC with line ends as "\n", non-breaking and
// other spaces as plain spaces, and zero-width and control characters
// removed. Quotes and dashes stay as typed.
func normalizeText(s string) string {
	if plainASCII(s) {
		return s // the common case in English, and nothing to do
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	var last rune
	for i, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\t' || unicode.Is(unicode.Zs, r):
			b.WriteByte(' ')
		case r == '\u200D' && emojiPart(last) && emojiPart(firstRune(s[i+len("\u200D"):])):
			// A joiner inside an emoji sequence (👨‍👩‍👧, 🏳️‍🌈) is part of
			// the picture.
			b.WriteRune(r)
		case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\uFEFF' || r == '\u00AD':
			// Zero-width characters and soft hyphens: invisible, and they
			// would make equal paragraphs look different.
		case unicode.IsControl(r) || r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
		last = r
	}
	return b.String()
}

// emojiPart reports whether r can stand beside a joiner in an emoji
// sequence: a pictograph, the emoji presentation selector or a skin tone.
func emojiPart(r rune) bool {
	return unicode.Is(unicode.So, r) || r == '\uFE0F' || (r >= 0x1F3FB && r <= 0x1F3FF)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// plainASCII reports whether s is printable ASCII and line feeds only.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\n') || c > 0x7e {
			return false
		}
	}
	return true
}

// collapseSpaces trims s and collapses each run of spaces to one.
func collapseSpaces(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
