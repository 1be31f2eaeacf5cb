package telegramtest_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/herald-news/herald/telegramtest"
)

func TestFaults(t *testing.T) {
	send := func(b *tgbot.Bot) error {
		_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "x"})
		return err
	}
	tests := []struct {
		name   string
		fault  telegramtest.Fault
		client *http.Client
		// check looks at the first call's error; stored is how many
		// messages the channel holds after it.
		check  func(error) bool
		stored int
	}{
		{"a 502 fails the call and stores nothing", telegramtest.Fault{Method: "sendMessage", Status: 502},
			nil, func(err error) bool { return err != nil && strings.Contains(err.Error(), "502") }, 0},
		{"a 502 after the store answers a proxy's page and leaves the message stored", telegramtest.Fault{Method: "sendMessage", StatusAfterStore: 502},
			nil, func(err error) bool {
				return err != nil && strings.Contains(err.Error(), "<title>502 Bad Gateway</title>") && !strings.Contains(err.Error(), "error response from telegram")
			}, 1},
		{"a 500 after the store carries the server's description", telegramtest.Fault{Method: "sendMessage", StatusAfterStore: 500,
			Description: "Internal Server Error: sent message was immediately deleted and can't be returned"},
			nil, func(err error) bool {
				return err != nil && strings.Contains(err.Error(), "error response from telegram") && strings.Contains(err.Error(), "immediately deleted")
			}, 1},
		{"a forced 429 carries retry_after", telegramtest.Fault{Method: "sendmessage", RetryAfter: 7},
			nil, func(err error) bool {
				var tm *tgbot.TooManyRequestsError
				return errors.As(err, &tm) && tm.RetryAfter == 7
			}, 0},
		{"a dropped connection after the store leaves the message stored", telegramtest.Fault{Method: "sendMessage", DropAfterStore: true},
			nil, func(err error) bool { return err != nil }, 1},
		{"a delay past the client's timeout still stores the message", telegramtest.Fault{Method: "sendMessage", DelayMS: 300},
			&http.Client{Timeout: 100 * time.Millisecond}, func(err error) bool { return err != nil }, 1},
		{"a fault scoped to another chat does not apply", telegramtest.Fault{Method: "sendMessage", Status: 500, ChatID: -9},
			nil, func(err error) bool { return err == nil }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.NewTestServer(t)
			mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel"})
			opts := []tgbot.Option{tgbot.WithSkipGetMe()}
			if tt.client != nil {
				opts = append(opts, tgbot.WithHTTPClient(time.Second, tt.client))
			}
			b := newBot(t, srv, opts...)
			if err := srv.InjectFault(tt.fault); err != nil {
				t.Fatal(err)
			}
			if err := send(b); !tt.check(err) {
				t.Errorf("the faulty call gave %v", err)
			}
			if _, err := srv.WaitMessages(testCtx(t), -1001, tt.stored); err != nil {
				t.Errorf("the channel never held %d messages: %v", tt.stored, err)
			}
			if n := len(srv.Messages(-1001)); n != tt.stored {
				t.Errorf("channel holds %d messages, want %d", n, tt.stored)
			}
			if len(srv.Faults()) != 0 && tt.fault.ChatID == 0 {
				t.Errorf("fault not used up: %+v", srv.Faults())
			}
		})
	}
}

func TestFaultCountsCalls(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel"})
	b := newBot(t, srv)
	if err := srv.InjectFault(telegramtest.Fault{Method: "sendMessage", Status: 503, Count: 2}); err != nil {
		t.Fatal(err)
	}
	var failed int
	for range 3 {
		if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "x"}); err != nil {
			failed++
		}
	}
	calls := srv.Calls("sendMessage")
	if failed != 2 || len(calls) != 3 || calls[0].Status != 503 || calls[2].Status != 200 {
		t.Errorf("%d failed; journal %+v", failed, calls)
	}
	if err := srv.InjectFault(telegramtest.Fault{Method: "sendMessage"}); err == nil {
		t.Error("a fault that does nothing was accepted")
	}
}
