package herald

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Neutral returns text a reader typed (a review, a comment, a name) as it
// may be shown to editors: without the characters that change how the text
// around them is displayed or that cannot be seen. Direction marks,
// embeddings, overrides and isolates (U+200E, U+200F, U+061C, U+202A..E,
// U+2066..9) would let "‮txet" read backwards or push herald's own words
// around; zero-width and other invisible format characters (U+200B..D,
// U+2060..4, U+FEFF, U+00AD, the Hangul fillers) would let two names or
// texts look alike and differ. A zero-width joiner between two parts of an
// emoji (👨‍👩‍👧) is kept, as are the tag characters of a subdivision flag
// (🏴󠁧󠁢󠁳󠁣󠁴󠁿), so that pictures stay whole. Control characters other than
// newline and tab go too. Neutral never fails; text without such
// characters comes back unchanged.
func Neutral(s string) string {
	if !needsNeutral(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	var last rune
	inFlag := false
	for i, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\u200D' && emojiPart(last) && emojiPart(firstRune(s[i+len("\u200D"):])):
			b.WriteRune(r)
		case r >= 0xE0020 && r <= 0xE007F && inFlag:
			b.WriteRune(r) // a flag's tag sequence, ended by U+E007F
			if r == 0xE007F {
				inFlag = false
			}
			last = r
			continue
		case hidden(r):
			continue // last stays what was shown before it
		default:
			b.WriteRune(r)
		}
		inFlag = r == '\U0001F3F4'
		last = r
	}
	return b.String()
}

// hidden reports whether r changes display or cannot be seen.
func hidden(r rune) bool {
	switch r {
	case '\u3164', '\u115F', '\u1160', '\uFFA0': // Hangul fillers: letters that show nothing
		return true
	}
	return unicode.Is(unicode.Cf, r) || unicode.IsControl(r)
}

func needsNeutral(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (r != '\n' && r != '\t' && hidden(r)) {
			return true
		}
	}
	return false
}

// emojiPart reports whether r can stand beside a joiner in an emoji
// sequence: a pictograph, the emoji presentation selector or a skin tone.
func emojiPart(r rune) bool {
	return unicode.Is(unicode.So, r) || r == '\uFE0F' || (r >= 0x1F3FB && r <= 0x1F3FF) ||
		(r >= 0x1F1E6 && r <= 0x1F1FF)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
