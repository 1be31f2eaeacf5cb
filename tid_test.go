package herald

import (
	"strings"
	"testing"
	"time"
)

func TestTID(t *testing.T) {
	// atproto's own example of a TID's shape: 3jzfcijpj2z2a.
	if !ValidTID("3jzfcijpj2z2a") {
		t.Fatal("atproto's example TID is not valid")
	}
	t0 := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	a, b := TID(t0, 1), TID(t0.Add(time.Microsecond), 0)
	if !ValidTID(a) || !ValidTID(b) {
		t.Fatalf("TIDs %q %q are not valid", a, b)
	}
	if !(a < b) {
		t.Errorf("TID of a later time sorts first: %q >= %q", a, b)
	}
	if TID(t0, 1) != a || TID(t0, 2) == a {
		t.Error("a TID is not a function of its time and clock")
	}
	for _, bad := range []string{"", "3jzfcijpj2z2", "3jzfcijpj2z2aa", "kjzfcijpj2z2a", "3jzfcijpj2z2A", "3jzfcijpj2z21"} {
		if ValidTID(bad) {
			t.Errorf("ValidTID(%q) = true", bad)
		}
	}
}

func TestLooksLikeSecret(t *testing.T) {
	for _, name := range []string{"HERALD_MASTODON_TOKEN", "MASTODON_EN", "BSKY_APP_PW", "dq_token", "HERALD_CHECK_BLUESKY_PASSWORD"} {
		if LooksLikeSecret(name) {
			t.Errorf("%q is a variable's name, not a secret", name)
		}
	}
	for _, secret := range []string{"abcDEF123tokenlikeXYZ789qwe", "zX9kQ2mN7pL4vB8cR1tY6uI3oP0aS5dF", "xxxx-xxxx-xxxx-xxxx", strings.Repeat("A", 60)} {
		if !LooksLikeSecret(secret) {
			t.Errorf("%q looks like a secret", secret)
		}
	}
}
