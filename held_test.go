package herald

import "testing"

func TestHeldReasonRoundTrip(t *testing.T) {
	stored := HeldReason(HeldNoDay, "21:00")
	if stored != "no-day 21:00" {
		t.Fatalf("stored as %q", stored)
	}
	if code, arg := ParseHeld(stored); code != HeldNoDay || arg != "21:00" {
		t.Errorf("parsed as %q %q", code, arg)
	}
	if got := HeldText(stored); got != "the page gives the air time 21:00 but not the day" {
		t.Errorf("said as %q", got)
	}
	if code, arg := ParseHeld("held by hand"); code != "" || arg != "held by hand" {
		t.Errorf("free text parsed as %q %q", code, arg)
	}
}
