package bot

import (
	"math"
	"strings"
	"testing"

	"github.com/herald-news/herald"
)

// validPayload reports whether s is a deep-link payload Telegram accepts.
func validPayload(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func TestReviewPayloadRoundTrips(t *testing.T) {
	tests := []struct {
		name             string
		article, channel int64
		want             string
	}{
		{"small ids read plainly", 42, 7, "r42_7"},
		{"zero ids", 0, 0, "r0_0"},
		{"the largest ids fit in 64 characters", math.MaxInt64, math.MaxInt64, "r9223372036854775807_9223372036854775807"},
		{"negative ids survive", math.MinInt64, -1, "r-9223372036854775808_-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ReviewPayload(tt.article, tt.channel)
			if s != tt.want || !validPayload(s) {
				t.Fatalf("ReviewPayload = %q; want %q, of 1..64 [A-Za-z0-9_-]", s, tt.want)
			}
			a, c, err := ParseReviewPayload(s)
			if err != nil || a != tt.article || c != tt.channel {
				t.Errorf("ParseReviewPayload(%q) = %d, %d, %v", s, a, c, err)
			}
		})
	}
}

func TestParseReviewPayloadRefusesMalformedPayloads(t *testing.T) {
	for _, s := range []string{
		"", "r", "r_", "r1", "r1_", "r_1", "x1_2", "R1_2", "r1_2_3", "r+1_2", "r01_2", "r1_02", "r-0_1",
		"r1_2 ", "r１_2", "r9223372036854775808_1", "r1_" + strings.Repeat("1", 70), "r1-2",
	} {
		if a, c, err := ParseReviewPayload(s); err == nil {
			t.Errorf("ParseReviewPayload(%q) = %d, %d; want an error", s, a, c)
		} else if herald.ErrorCode(err) != herald.EInvalid {
			t.Errorf("ParseReviewPayload(%q): code %q; want %q", s, herald.ErrorCode(err), herald.EInvalid)
		}
	}
}

func TestReviewLink(t *testing.T) {
	for _, name := range []string{"herald_bot", "@herald_bot"} {
		if got, want := ReviewLink(name, 42, 7), "https://t.me/herald_bot?start=r42_7"; got != want {
			t.Errorf("ReviewLink(%q) = %q; want %q", name, got, want)
		}
	}
}

func FuzzParseReviewPayload(f *testing.F) {
	f.Add("r42_7", int64(42), int64(7))
	f.Add("r-1_0", int64(-1), int64(math.MaxInt64))
	f.Add("r01_2", int64(math.MinInt64), int64(0))
	f.Fuzz(func(t *testing.T, s string, article, channel int64) {
		if a, c, err := ParseReviewPayload(s); err == nil && ReviewPayload(a, c) != s {
			t.Fatalf("ParseReviewPayload(%q) = %d, %d, which encode as %q", s, a, c, ReviewPayload(a, c))
		}
		p := ReviewPayload(article, channel)
		if !validPayload(p) {
			t.Fatalf("ReviewPayload(%d, %d) = %q: not a valid payload", article, channel, p)
		}
		if a, c, err := ParseReviewPayload(p); err != nil || a != article || c != channel {
			t.Fatalf("round trip of %d, %d via %q: %d, %d, %v", article, channel, p, a, c, err)
		}
	})
}
