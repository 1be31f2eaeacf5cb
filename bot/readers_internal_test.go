package bot

import (
	"testing"
	"time"
)

func TestReaderLimitsLetAReviewThroughAndMuteAFlood(t *testing.T) {
	l := readerLimits{limit: ReaderLimit{Burst: readerBurst, Every: readerEvery}}
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	// A reader writing a review: start, rating, comment, an edit, a
	// second review a minute later.
	for i, at := range []time.Duration{0, 2 * time.Second, 30 * time.Second, 40 * time.Second, 100 * time.Second} {
		if a := l.admit(1, now.Add(at)); a.verdict != readerOK {
			t.Fatalf("a reader's update %d was %v", i, a.verdict)
		}
	}
	// A flood: the burst passes, then drops (told once), then a mute.
	var told, dropped int
	var muted admission
	for i := range readerBurst + readerMuteAfter {
		a := l.admit(2, now.Add(time.Duration(i)*10*time.Millisecond))
		switch {
		case i < readerBurst && a.verdict != readerOK:
			t.Fatalf("update %d of the burst was %v", i, a.verdict)
		case a.verdict == readerDropped:
			dropped++
		case a.mutedNow:
			muted = a
		}
		if a.tellOnce {
			told++
		}
	}
	if dropped != readerMuteAfter-1 || told != 1 || !muted.mutedNow || muted.count != readerBurst+readerMuteAfter {
		t.Fatalf("dropped %d, told %d times, muted %+v", dropped, told, muted)
	}
	after := now.Add(time.Second)
	if a := l.admit(2, after); a.verdict != readerMuted || a.mutedNow {
		t.Errorf("an update while muted: %+v", a)
	}
	if a := l.admit(2, muted.until.Add(time.Second)); a.verdict != readerOK {
		t.Errorf("an update after the mute: %+v", a)
	}
	if a := l.admit(1, now.Add(101*time.Second)); a.verdict != readerOK {
		t.Errorf("the other reader was held up: %+v", a)
	}
}
