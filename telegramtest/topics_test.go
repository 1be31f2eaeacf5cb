package telegramtest_test

import (
	"errors"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"

	"github.com/herald-news/herald/telegramtest"
)

func TestForumTopicsAnswerAsTheBotAPIDoes(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	if err := srv.AddChat(telegramtest.Chat{ID: -100123, Type: "supergroup", Title: "Forum", IsForum: true, BotRights: telegramtest.RightsAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := srv.AddChat(telegramtest.Chat{ID: -1009, Type: "supergroup", Title: "Plain", BotRights: telegramtest.RightsAdmin}); err != nil {
		t.Fatal(err)
	}
	b := newBot(t, srv)
	ctx := testCtx(t)
	topic, err := b.CreateForumTopic(ctx, &tgbot.CreateForumTopicParams{ChatID: -100123, Name: "Evening news"})
	if err != nil {
		t.Fatal(err)
	}
	if topic.MessageThreadID <= 1 || topic.Name != "Evening news" || topic.IconColor == 0 {
		t.Errorf("ForumTopic %+v, want an id past the General topic's, the name and a colour", topic)
	}
	if _, err := b.CreateForumTopic(ctx, &tgbot.CreateForumTopicParams{ChatID: -1009, Name: "x"}); err == nil || !strings.Contains(err.Error(), "the chat is not a forum") {
		t.Errorf("a topic in a chat without topics: %v", err)
	}
	m, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID, Text: "hello"})
	if err != nil || m.MessageThreadID != topic.MessageThreadID || !m.IsTopicMessage {
		t.Fatalf("send to the topic: %+v, %v", m, err)
	}
	for _, tc := range []struct {
		name   string
		thread int
		want   string
	}{
		{"the General topic is not named", 1, "message thread not found"},
		{"an unknown topic", 999, "message thread not found"},
	} {
		_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -100123, MessageThreadID: tc.thread, Text: "x"})
		if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want 400 %q", tc.name, err, tc.want)
		}
	}
	if ok, err := b.CloseForumTopic(ctx, &tgbot.CloseForumTopicParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID}); !ok || err != nil {
		t.Fatalf("close: %v %v", ok, err)
	}
	if _, err := b.CloseForumTopic(ctx, &tgbot.CloseForumTopicParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID}); err == nil || !strings.Contains(err.Error(), "TOPIC_NOT_MODIFIED") {
		t.Errorf("closing a closed topic: %v", err)
	}
	_, err = b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID, Text: "x"})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "TOPIC_CLOSED") {
		t.Errorf("send to a closed topic: %v", err)
	}
	if _, err := b.ReopenForumTopic(ctx, &tgbot.ReopenForumTopicParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID, Text: "again"}); err != nil {
		t.Errorf("send to a reopened topic: %v", err)
	}
	if _, err := b.DeleteForumTopic(ctx, &tgbot.DeleteForumTopicParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID}); err != nil {
		t.Fatal(err)
	}
	_, err = b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -100123, MessageThreadID: topic.MessageThreadID, Text: "x"})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "message thread not found") {
		t.Errorf("send to a deleted topic: %v", err)
	}
}
