package scheduler

import (
	"strconv"
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

var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func TestLimiterAllowsAShortBurstPerChatThenOneASecond(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	n, next := sendAll(l, "-1001", t0)
	if n != 3 {
		t.Fatalf("a channel took %d sends at once, want a short burst of 3", n)
	}
	if wait := next.Sub(t0); wait < time.Second || wait > 1100*time.Millisecond {
		t.Fatalf("after the burst the next send may start in %v, want about a second", wait)
	}
	if ok, _ := l.reserve("-1001", next.Add(-time.Millisecond), 0); ok {
		t.Fatal("a send was allowed before the limiter said it could start")
	}
}

func TestLimiterKeepsTwentyAMinuteInAChannel(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	now, sent := t0, 0
	var first time.Time
	for sent < 21 {
		ok, at := l.reserve("-1001", now, 0)
		if !ok {
			now = at
			continue
		}
		if sent == 0 {
			first = now
		}
		l.end("-1001", now)
		sent++
		if sent == 20 && now.Sub(first) > 20*time.Second {
			t.Fatalf("20 sends took %v; one a second after a burst of 3 allows about 17 s", now.Sub(first))
		}
	}
	// The 21st waited until the first answer had left the minute.
	if got := now.Sub(first); got < time.Minute || got > time.Minute+time.Second {
		t.Fatalf("the 21st send started %v after the first, want just over a minute", got)
	}
}

func TestLimiterKeepsTheGlobalLimitAcrossChats(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	sent := 0
	for i := 0; i < 100; i++ {
		if ok, _ := l.reserve(strconv.Itoa(-1000-i), t0, 0); ok {
			l.end(strconv.Itoa(-1000-i), t0)
			sent++
		}
	}
	if sent != 30 {
		t.Fatalf("%d sends in one instant across 100 chats, want the global 30", sent)
	}
}

func TestLimiterCountsSendsInFlightAsTaken(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
	for i := 0; i < 30; i++ {
		if ok, _ := l.reserve(strconv.Itoa(-1000-i), t0, 0); !ok {
			t.Fatalf("send %d refused inside the global burst", i)
		}
	}
	if ok, _ := l.reserve("-2000", t0.Add(10*time.Second), 0); ok {
		t.Fatal("a 31st send was allowed while 30 were still in flight")
	}
	l.cancel("-1000")
	if ok, _ := l.reserve("-2000", t0, 0); !ok {
		t.Fatal("a send given back did not free its place")
	}
}

func TestLimiterHonoursABlockAfter429(t *testing.T) {
	l := newLimiter(TelegramLimits(1))
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
	if l.ChatPer != 6*time.Second || l.GlobalPer != 100*time.Millisecond || l.ChatGap != 100*time.Millisecond {
		t.Fatalf("scaled periods: chat %v global %v gap %v", l.ChatPer, l.GlobalPer, l.ChatGap)
	}
	if got := l.apiDuration(5 * time.Second); got != 500*time.Millisecond {
		t.Fatalf("retry_after of 5 fake seconds is %v real", got)
	}
}
