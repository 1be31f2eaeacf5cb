package bot_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/telegramtest"
)

// startPolling runs the bot's update loop until the test ends.
func startPolling(t *testing.T, run func(ctx context.Context) error) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); run(ctx) }()
	t.Cleanup(func() { cancel(); wg.Wait() })
}

func TestPollingSurvivesAnUpdateTheLibraryCannotDecode(t *testing.T) {
	srv, b, _ := newBot(t)
	// message_id must be a number: go-telegram/bot fails on the whole batch.
	poison := json.RawMessage(`{"message":{"message_id":"not a number","date":1,"chat":{"id":5,"type":"private"},"text":"x"}}`)
	if _, err := srv.InjectUpdate(poison); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.UserSends(telegramtest.UserMessage{UserID: 5005, Text: "/start", LanguageCode: "ru"}); err != nil {
		t.Fatal(err)
	}
	startPolling(t, b.Start)
	msgs, err := srv.WaitBotMessages(testCtx(t), 5005, 1)
	if err != nil {
		t.Fatalf("the bot stopped hearing updates after a poisoned one: %v", err)
	}
	if !strings.Contains(msgs[0].Text, "Трудный вопрос") {
		t.Fatalf("a Russian reader was greeted with %q", msgs[0].Text)
	}
}

func TestCommandsAddressedToTheBotByNameWork(t *testing.T) {
	srv, b, _ := newBot(t)
	srv.UserSends(telegramtest.UserMessage{UserID: 6006, Text: "/help@herald_test_bot", LanguageCode: "az"})
	srv.UserSends(telegramtest.UserMessage{UserID: 6007, Text: "/help@another_bot"})
	srv.UserSends(telegramtest.UserMessage{UserID: 6007, Text: "/start"})
	startPolling(t, b.Start)
	msgs, err := srv.WaitBotMessages(testCtx(t), 6006, 1)
	if err != nil || !strings.Contains(msgs[0].Text, "Çətin sual") {
		t.Fatalf("/help@herald_test_bot: %v %+v", err, msgs)
	}
	got, err := srv.WaitBotMessages(testCtx(t), 6007, 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("a command for another bot was answered, or /start was not: %v %d", err, len(got))
	}
}

func TestABotRemovedFromAChannelPausesItAndTellsTheOwners(t *testing.T) {
	srv, b, st := newBot(t)
	ctx := testCtx(t)
	ch := &herald.Channel{Network: "telegram", Chat: "-1001", Title: "DQ English", Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := st.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	// A bot may only write to people who wrote to it first.
	srv.UserSends(telegramtest.UserMessage{UserID: 1001, Text: "/start"})
	startPolling(t, b.Start)
	if _, err := srv.WaitBotMessages(ctx, 1001, 1); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddChat(telegramtest.Chat{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsNone}); err != nil {
		t.Fatal(err)
	}
	msgs, err := srv.WaitBotMessages(ctx, 1001, 2)
	if err != nil || !strings.Contains(msgs[1].Text, "paused") {
		t.Fatalf("owner notice: %v %+v", err, msgs)
	}
	got, _ := st.Channel(ctx, ch.ID)
	if !got.Paused || !strings.Contains(got.PauseReason, "rights") {
		t.Fatalf("channel after the bot was removed: %+v", got)
	}
}
