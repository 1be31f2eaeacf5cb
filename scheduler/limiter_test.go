package scheduler

import (
	"testing"
	"time"
)

// sendAll reserves and ends sends to chat at now until the limiter refuses,
// and returns how many went and when the next may start.
func sendAll(l *limiter, chat string, now time.Time) (int, time.Time) {
	n := 0
	for {
		ok, at := l.reserve(chat, now, 0)
		if !ok {
			return n, at
		}
		l.end(chat, now)
		n++
		if n > 1000 {
			panic("limiter never refused")
		}
	}
}

func TestLimiterAllowsABurstPerChannelThenSpacesSends(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	n, next := sendAll(l, "-1001", t0)
	if n != 20 {
		t.Fatalf("a channel took %d sends at once, want Telegram's 20", n)
	}
	if wait := next.Sub(t0); wait < 2*time.Second || wait > time.Minute+time.Second {
		t.Fatalf("after the burst the next send may start in %v", wait)
	}
	if ok, _ := l.reserve("-1001", next.Add(-time.Millisecond), 0); ok {
		t.Fatal("a send was allowed before the limiter said it could start")
	}
}

func TestLimiterKeepsTheGlobalLimitAcrossChats(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	sent := 0
	for i := 0; i < 100; i++ {
		if ok, _ := l.reserve(string(rune('a'+i%26))+string(rune('a'+i/26)), t0, 0); ok {
			l.end(string(rune('a'+i%26))+string(rune('a'+i/26)), t0)
			sent++
		}
	}
	if sent != 30 {
		t.Fatalf("%d sends in one instant across 100 chats, want the global 30", sent)
	}
}

func TestLimiterCountsSendsInFlightAsTaken(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 20; i++ {
		if ok, _ := l.reserve("-1001", t0, 0); !ok {
			t.Fatalf("send %d refused inside the burst", i)
		}
	}
	if ok, _ := l.reserve("-1001", t0.Add(10*time.Second), 0); ok {
		t.Fatal("a 21st send was allowed while 20 were still in flight")
	}
}

func TestLimiterHonoursABlockAfter429(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	t0 := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	l.block("-1001", t0.Add(7*time.Second), false)
	if ok, at := l.reserve("-1001", t0, 0); ok || !at.Equal(t0.Add(7*time.Second)) {
		t.Fatalf("blocked chat: ok=%v next=%v", ok, at)
	}
	if ok, _ := l.reserve("-1002", t0, 0); !ok {
		t.Fatal("a chat's own 429 blocked another chat")
	}
	l.block("-1003", t0.Add(5*time.Second), true)
	if ok, _ := l.reserve("-1004", t0, 0); ok {
		t.Fatal("a global 429 did not slow every chat")
	}
}

func TestScaledLimitsRunFaster(t *testing.T) {
	l := TelegramLimits(10)
	if l.ChatPer != 6*time.Second || l.GlobalPer != 100*time.Millisecond {
		t.Fatalf("scaled windows: chat %v global %v", l.ChatPer, l.GlobalPer)
	}
	if got := l.apiDuration(5 * time.Second); got != 500*time.Millisecond {
		t.Fatalf("retry_after of 5 fake seconds is %v real", got)
	}
}
