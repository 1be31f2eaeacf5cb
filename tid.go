package herald

import "time"

// tidAlphabet is atproto's base32-sortable alphabet: TIDs written with it
// sort as the times they encode.
const tidAlphabet = "234567abcdefghijklmnopqrstuvwxyz"

// TID returns a timestamp identifier in atproto's format: 13 characters
// encoding, in 64 bits with the top bit zero, the microseconds since the
// Unix epoch (53 bits) and a clock identifier (10 bits, clock mod 1024).
// herald makes one per post before its first send to Bluesky or Mastodon
// and keeps it, so that a repeated send names the same record or request.
// Distinct clock values keep posts keyed in the same microsecond apart.
func TID(t time.Time, clock uint) string {
	v := uint64(t.UnixMicro())&(1<<53-1)<<10 | uint64(clock&1023)
	var b [13]byte
	for i := 12; i >= 0; i-- {
		b[i] = tidAlphabet[v&31]
		v >>= 5
	}
	return string(b[:])
}

// ValidTID reports whether s has a TID's form: 13 characters of the
// alphabet, the first of them one of 234567abcdefghij (top bit zero).
func ValidTID(s string) bool {
	if len(s) != 13 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '2' && c <= '7' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return s[0] >= '2' && s[0] <= '7' || s[0] >= 'a' && s[0] <= 'j'
}
