package telegramtest_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/herald-news/herald/telegramtest"
)

// manualClock is a clock a test moves by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func newManualClock() *manualClock {
	return &manualClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sendUntil429 sends to the chat until a 429 comes, returning how many got
// through and the 429.
func sendUntil429(t *testing.T, b *tgbot.Bot, chatID int64, max int) (int, *tgbot.TooManyRequestsError) {
	t.Helper()
	for i := range max {
		_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: chatID, Text: "m" + strconv.Itoa(i)})
		var tooMany *tgbot.TooManyRequestsError
		if errors.As(err, &tooMany) {
			return i, tooMany
		}
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	return max, nil
}

func TestLimitsAnswer429ThenAcceptAfterRetryAfter(t *testing.T) {
	tests := []struct {
		name  string
		chat  telegramtest.Chat
		burst int
		retry int
		scale float64
	}{
		{"a private chat takes a burst of three, then one a second", telegramtest.Chat{ID: 1001, Type: "private"}, 3, 1, 1},
		{"a channel takes a burst of three, then one a second", telegramtest.Chat{ID: -1001, Type: "channel"}, 3, 1, 1},
		{"at scale 60 a channel's retry_after is in fake seconds", telegramtest.Chat{ID: -1001, Type: "channel"}, 3, 1, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newManualClock()
			srv := telegramtest.NewTestServer(t, telegramtest.WithClock(clock.now), telegramtest.WithScale(tt.scale))
			mustAddChat(t, srv, tt.chat)
			b := newBot(t, srv)
			sent, tooMany := sendUntil429(t, b, tt.chat.ID, 50)
			if tooMany == nil || sent != tt.burst || tooMany.RetryAfter != tt.retry {
				t.Fatalf("%d sent before 429 %+v; want %d then retry_after %d", sent, tooMany, tt.burst, tt.retry)
			}
			// realWait is how long a client waits in real time for a retry_after.
			realWait := func(retry int) time.Duration { return time.Duration(float64(retry) * float64(time.Second) / tt.scale) }
			// Coming back too soon is refused again and counted as early.
			clock.advance(realWait(tt.retry) / 3)
			_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: tt.chat.ID, Text: "early"})
			var again *tgbot.TooManyRequestsError
			if !errors.As(err, &again) {
				t.Fatalf("a retry before retry_after passed gave %v, want 429", err)
			}
			clock.advance(realWait(again.RetryAfter) + time.Millisecond)
			if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: tt.chat.ID, Text: "on time"}); err != nil {
				t.Errorf("the retry after retry_after: %v", err)
			}
			st := srv.Stats()
			if st.TooManyRequests != 2 || st.EarlyRetries != 1 || len(st.Served429) != 2 || st.Served429[0].ChatID != tt.chat.ID {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestAGroupTakesTwentyAMinute(t *testing.T) {
	for _, typ := range []string{"channel", "supergroup"} {
		t.Run(typ, func(t *testing.T) {
			clock := newManualClock()
			srv := telegramtest.NewTestServer(t, telegramtest.WithClock(clock.now))
			mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: typ})
			b := newBot(t, srv)
			sent := 0
			for sent < 20 {
				_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "m" + strconv.Itoa(sent)})
				var tooMany *tgbot.TooManyRequestsError
				switch {
				case errors.As(err, &tooMany):
					clock.advance(time.Duration(tooMany.RetryAfter) * time.Second)
				case err != nil:
					t.Fatal(err)
				default:
					sent++
				}
			}
			// 20 went out within about 17 s (a burst of 3, then one a second);
			// the 21st must wait until the first has left the minute.
			_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "21st"})
			var tooMany *tgbot.TooManyRequestsError
			if !errors.As(err, &tooMany) || tooMany.RetryAfter < 40 || tooMany.RetryAfter > 45 {
				t.Fatalf("the 21st message in a minute: %v; want 429 with a retry_after of about 43 s", err)
			}
			clock.advance(time.Duration(tooMany.RetryAfter) * time.Second)
			if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "on time"}); err != nil {
				t.Errorf("after retry_after: %v", err)
			}
		})
	}
}

func TestGlobalLimitSpansChats(t *testing.T) {
	clock := newManualClock()
	srv := telegramtest.NewTestServer(t, telegramtest.WithClock(clock.now))
	b := newBot(t, srv)
	var refused int
	for i := range 40 {
		id := int64(2000 + i)
		mustSend(t, srv, telegramtest.UserMessage{UserID: id, Text: "hi"})
		if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: id, Text: "x"}); err != nil {
			refused++
		}
	}
	if refused != 10 {
		t.Errorf("%d of 40 sends to 40 chats refused in one instant; want 10 past the global 30", refused)
	}
}

func TestWithoutLimitsNeverAnswers429(t *testing.T) {
	srv := telegramtest.NewTestServer(t, telegramtest.WithoutLimits())
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel"})
	if sent, tooMany := sendUntil429(t, newBot(t, srv), -1001, 60); tooMany != nil {
		t.Errorf("429 after %d sends with limits off", sent)
	}
}
