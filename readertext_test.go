package herald_test

import (
	"testing"

	"github.com/herald-news/herald"
)

func TestNeutral(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text is unchanged", "Great piece, thanks!\nMore please", "Great piece, thanks!\nMore please"},
		{"a right-to-left override is removed", "gnp.\u202Eexe", "gnp.exe"},
		{"direction marks and isolates are removed", "\u200FAli\u2066ce\u2069\u200E\u061C", "Alice"},
		{"a word joiner and zero-width space are removed", "ad\u2060min\u200B", "admin"},
		{"a joiner outside an emoji is removed", "ad\u200Dmin", "admin"},
		{"a family emoji keeps its joiners", "👨\u200D👩\u200D👧 nice", "👨\u200D👩\u200D👧 nice"},
		{"a rainbow flag keeps its joiner", "🏳️\u200D🌈", "🏳️\u200D🌈"},
		{"a subdivision flag keeps its tags", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"},
		{"tag characters elsewhere are removed", "a\U000E0067b", "ab"},
		{"a Hangul filler name shows nothing and is removed", "\u3164\u3164", ""},
		{"soft hyphens and BOM are removed", "re\u00ADview\uFEFF", "review"},
		{"controls go, newline and tab stay", "a\x07b\tc\nd\x1b", "ab\tc\nd"},
		{"Azerbaijani and Russian letters stay", "Çox gözəl, спасибо", "Çox gözəl, спасибо"},
		{"invalid UTF-8 is replaced", "a\xffb", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := herald.Neutral(tt.in); got != tt.want {
				t.Errorf("Neutral(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
