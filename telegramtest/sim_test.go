package telegramtest_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/herald-news/herald/telegramtest"
)

// fetchUpdates takes every pending update, confirming them.
func fetchUpdates(t *testing.T, srv *telegramtest.Server) []models.Update {
	t.Helper()
	r := callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"allowed_updates": {`[]`}})
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatalf("updates %s: %v", r.Result, err)
	}
	if len(ups) > 0 {
		callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"offset": {jsonInt(ups[len(ups)-1].ID + 1)}})
	}
	return ups
}

func jsonInt(n int64) string { raw, _ := json.Marshal(n); return string(raw) }

func TestChannelPostReachesItsDiscussionGroupAndCommentsComeBack(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", Title: "DQ English", LinkedChatID: -1002})
	b := newBot(t, srv)
	post, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "Afterword to Blinken's call"})
	if err != nil {
		t.Fatal(err)
	}
	ups := fetchUpdates(t, srv)
	if len(ups) != 1 || ups[0].Message == nil {
		t.Fatalf("updates after a channel post = %+v", ups)
	}
	fwd := ups[0].Message
	if !fwd.IsAutomaticForward || fwd.Chat.ID != -1002 || fwd.SenderChat == nil || fwd.SenderChat.ID != -1001 ||
		fwd.ForwardOrigin == nil || fwd.ForwardOrigin.MessageOriginChannel == nil || fwd.ForwardOrigin.MessageOriginChannel.MessageID != post.ID {
		t.Errorf("automatic forward = %+v", fwd)
	}
	comment, err := srv.Reply(telegramtest.UserMessage{UserID: 3003, ChatID: -1002, ReplyToMessageID: fwd.ID, Text: "Sharp analysis", FirstName: "Leyla"})
	if err != nil {
		t.Fatal(err)
	}
	ups = fetchUpdates(t, srv)
	if len(ups) != 1 || ups[0].Message == nil || ups[0].Message.ReplyToMessage == nil || !ups[0].Message.ReplyToMessage.IsAutomaticForward ||
		ups[0].Message.From.FirstName != "Leyla" {
		t.Fatalf("comment update = %+v", ups)
	}
	if _, err := srv.EditComment(telegramtest.CommentEdit{UserID: 3003, ChatID: -1002, MessageID: comment.ID, Text: "Sharp analysis, indeed"}); err != nil {
		t.Fatal(err)
	}
	ups = fetchUpdates(t, srv)
	if len(ups) != 1 || ups[0].EditedMessage == nil || ups[0].EditedMessage.Text != "Sharp analysis, indeed" || ups[0].EditedMessage.EditDate == 0 {
		t.Errorf("edit update = %+v", ups)
	}
	if _, err := srv.Reply(telegramtest.UserMessage{UserID: 3003, ChatID: -1002, ReplyToMessageID: 99, Text: "x"}); !errors.Is(err, telegramtest.ErrNotFound) {
		t.Errorf("reply to a missing message: %v", err)
	}
}

func TestCommandsGetBotCommandEntities(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	tests := []struct {
		name   string
		text   string
		offset int
		length int
	}{
		{"a bare command", "/queue", 0, 6},
		{"a command with a payload", "/start abc_123", 0, 6},
		{"a command addressed to the bot", "/queue@herald_test_bot", 0, 22},
		{"a command after astral characters", "😀 /help", 3, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: tt.text, LanguageCode: "az"})
			if len(m.Entities) != 1 || m.Entities[0].Type != models.MessageEntityTypeBotCommand || m.Entities[0].Offset != tt.offset || m.Entities[0].Length != tt.length {
				t.Errorf("entities = %+v", m.Entities)
			}
		})
	}
	ups := fetchUpdates(t, srv)
	if len(ups) != len(tests) || ups[0].Message.From.LanguageCode != "az" || ups[0].Message.Chat.Type != models.ChatTypePrivate {
		t.Errorf("updates = %+v", ups)
	}
}

func TestPressingAButtonReachesTheBotAndItsAnswerIsKept(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustSend(t, srv, telegramtest.UserMessage{UserID: 3003, Text: "/start p1"})
	fetchUpdates(t, srv)
	b := newBot(t, srv)
	ctx := testCtx(t)
	m, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 3003, Text: "Rate it", ReplyMarkup: keyboard(
		models.InlineKeyboardButton{Text: "★★★★★", CallbackData: "rate:5"})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Press(telegramtest.Press{UserID: 3003, ChatID: 3003, MessageID: m.ID, Data: "rate:4"}); !errors.Is(err, telegramtest.ErrInvalid) {
		t.Errorf("pressing a button that is not there: %v", err)
	}
	id, err := srv.Press(telegramtest.Press{UserID: 3003, ChatID: 3003, MessageID: m.ID, Data: "rate:5"})
	if err != nil {
		t.Fatal(err)
	}
	ups := fetchUpdates(t, srv)
	if len(ups) != 1 || ups[0].CallbackQuery == nil || ups[0].CallbackQuery.ID != id || ups[0].CallbackQuery.Data != "rate:5" ||
		ups[0].CallbackQuery.Message.Message == nil || ups[0].CallbackQuery.Message.Message.ID != m.ID {
		t.Fatalf("callback update = %+v", ups)
	}
	if ok, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: "Thanks!"}); !ok || err != nil {
		t.Fatalf("answer: %v %v", ok, err)
	}
	if _, err := b.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id}); err == nil {
		t.Error("a second answer to the same query was accepted")
	}
	if a := srv.Answers(); len(a) != 1 || a[0].Text != "Thanks!" || a[0].UserID != 3003 || a[0].Data != "rate:5" {
		t.Errorf("answers = %+v", a)
	}
}

func TestForwardedMessagesShowTheirOrigin(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustSend(t, srv, telegramtest.UserMessage{UserID: 2002, Text: "original", FirstName: "Kamal"})
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "look at this", ForwardFrom: 2002})
	ups := fetchUpdates(t, srv)
	last := ups[len(ups)-1].Message
	if last.ForwardOrigin == nil || last.ForwardOrigin.MessageOriginUser == nil || last.ForwardOrigin.MessageOriginUser.SenderUser.ID != 2002 {
		t.Errorf("forwarded message = %+v", last)
	}
}
