package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/png"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/herald-news/herald/telegramtest"
)

func TestGetMeDescribesTheBot(t *testing.T) {
	srv := telegramtest.NewTestServer(t, telegramtest.WithToken("777:secret"), telegramtest.WithBotUsername("news_bot"))
	b := newBot(t, srv)
	me, err := b.GetMe(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != 777 || !me.IsBot || me.Username != "news_bot" {
		t.Errorf("getMe = %+v", me)
	}
}

func TestSendMessageStoresWhatTelegramWouldShow(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", Title: "News", Username: "news", BotRights: "admin"})
	b := newBot(t, srv)
	no := true
	sent, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{
		ChatID:              "@news",
		Text:                "  <b>Hello</b> &amp; welcome, see <a href=\"https://t.me/herald_test_bot?start=a1\">review</a>\n",
		ParseMode:           models.ParseModeHTML,
		DisableNotification: true,
		ProtectContent:      true,
		LinkPreviewOptions:  &models.LinkPreviewOptions{IsDisabled: &no},
		ReplyMarkup:         keyboard(models.InlineKeyboardButton{Text: "Review", URL: "https://t.me/herald_test_bot?start=a1"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if sent.Text != "Hello & welcome, see review" || sent.Chat.ID != -1001 || sent.SenderChat == nil || sent.From != nil {
		t.Errorf("sendMessage result = %+v", sent)
	}
	want := []models.MessageEntity{{Type: "bold", Offset: 0, Length: 5}, {Type: "text_link", Offset: 21, Length: 6, URL: "https://t.me/herald_test_bot?start=a1"}}
	if len(sent.Entities) != 2 || sent.Entities[0] != want[0] || sent.Entities[1] != want[1] {
		t.Errorf("entities = %+v, want %+v", sent.Entities, want)
	}
	msgs := srv.Messages(-1001)
	if len(msgs) != 1 {
		t.Fatalf("channel holds %d messages", len(msgs))
	}
	m := msgs[0]
	if m.ParseMode != "HTML" || !strings.HasPrefix(m.SentText, "  <b>Hello</b>") || !m.DisableNotification || !m.ProtectContent ||
		m.LinkPreviewOptions == nil || m.ReplyMarkup == nil || m.From == nil || !m.From.IsBot {
		t.Errorf("stored message = %+v", m)
	}
}

func TestSendMessageRefusesAsTelegramDoes(t *testing.T) {
	srv := telegramtest.NewTestServer(t, telegramtest.WithoutLimits())
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", BotRights: "admin"})
	mustAddChat(t, srv, telegramtest.Chat{ID: -1003, Type: "channel", BotRights: "none"})
	mustAddChat(t, srv, telegramtest.Chat{ID: -1004, Type: "channel", BotRights: "member"})
	mustAddChat(t, srv, telegramtest.Chat{ID: -5, Type: "group", MigrateToChatID: -1005})
	b := newBot(t, srv)
	ok := func(s string) bool { return s != "" }
	tests := []struct {
		name   string
		params tgbot.SendMessageParams
		kind   error
		want   string
	}{
		{"an unknown chat is not found", tgbot.SendMessageParams{ChatID: -999, Text: "x"}, tgbot.ErrorBadRequest, "chat not found"},
		{"a channel without the bot is forbidden", tgbot.SendMessageParams{ChatID: -1003, Text: "x"}, tgbot.ErrorForbidden, "bot is not a member of the channel chat"},
		{"a channel where the bot is no admin needs rights", tgbot.SendMessageParams{ChatID: -1004, Text: "x"}, tgbot.ErrorBadRequest, "need administrator rights in the channel chat"},
		{"empty text is refused", tgbot.SendMessageParams{ChatID: -1001, Text: " "}, tgbot.ErrorBadRequest, "message text is empty"},
		{"text over 4096 units is too long", tgbot.SendMessageParams{ChatID: -1001, Text: strings.Repeat("x", 4097)}, tgbot.ErrorBadRequest, "message is too long"},
		{"astral characters count twice", tgbot.SendMessageParams{ChatID: -1001, Text: strings.Repeat("😀", 2049)}, tgbot.ErrorBadRequest, "message is too long"},
		{"bad HTML cannot be parsed", tgbot.SendMessageParams{ChatID: -1001, Text: "<blink>x</blink>", ParseMode: "HTML"}, tgbot.ErrorBadRequest, `can't parse entities: Unsupported start tag "blink" at byte offset 0`},
		{"MarkdownV2 is refused clearly", tgbot.SendMessageParams{ChatID: -1001, Text: "*x*", ParseMode: "MarkdownV2"}, tgbot.ErrorBadRequest, "supports parse_mode HTML only"},
		{"callback_data over 64 bytes is invalid", tgbot.SendMessageParams{ChatID: -1001, Text: "k", ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "b", CallbackData: strings.Repeat("d", 65)})}, tgbot.ErrorBadRequest, "BUTTON_DATA_INVALID"},
		{"a button without an action is refused", tgbot.SendMessageParams{ChatID: -1001, Text: "k", ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "b"})}, tgbot.ErrorBadRequest, "can't parse inline keyboard button"},
		{"a button with two actions is refused", tgbot.SendMessageParams{ChatID: -1001, Text: "k", ReplyMarkup: keyboard(models.InlineKeyboardButton{Text: "b", URL: "https://a.org", CallbackData: "x"})}, tgbot.ErrorBadRequest, "can't parse inline keyboard button"},
		{"a reply to a missing message is refused", tgbot.SendMessageParams{ChatID: -1001, Text: "x", ReplyParameters: &models.ReplyParameters{MessageID: 99}}, tgbot.ErrorBadRequest, "message to be replied not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendMessage(testCtx(t), &tt.params)
			if !errors.Is(err, tt.kind) || !ok(tt.want) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %v with %q", err, tt.kind, tt.want)
			}
		})
	}
	t.Run("a group that became a supergroup says where it went", func(t *testing.T) {
		_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -5, Text: "x"})
		var mig *tgbot.MigrateError
		if !errors.As(err, &mig) || mig.MigrateToChatID != -1005 {
			t.Fatalf("error = %v, want a MigrateError to -1005", err)
		}
		if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1005, Text: "x"}); err != nil {
			t.Errorf("sending to the supergroup: %v", err)
		}
	})
	t.Run("4096 visible units pass even with markup around them", func(t *testing.T) {
		text := "<b>" + strings.Repeat("&amp;", 4096) + "</b>"
		if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: text, ParseMode: "HTML"}); err != nil {
			t.Errorf("error = %v", err)
		}
	})
	if n := len(srv.Messages(-1001)); n != 1 {
		t.Errorf("channel holds %d messages after refusals and one success", n)
	}
}

// keyboard builds a one-row inline keyboard that marshals as Telegram wants
// it: go-telegram/bot's own button type always carries an empty copy_text,
// which Telegram refuses (see TestLibraryButtonsWithEmptyCopyTextAreRefused).
func keyboard(buttons ...models.InlineKeyboardButton) wireKeyboard {
	return wireKeyboard{InlineKeyboard: [][]models.InlineKeyboardButton{buttons}}
}

type wireKeyboard models.InlineKeyboardMarkup

func (k wireKeyboard) MarshalJSON() ([]byte, error) {
	rows := make([][]map[string]any, 0, len(k.InlineKeyboard))
	for _, row := range k.InlineKeyboard {
		var out []map[string]any
		for _, b := range row {
			raw, err := json.Marshal(b)
			if err != nil {
				return nil, err
			}
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, err
			}
			if b.CopyText.Text == "" {
				delete(m, "copy_text")
			}
			out = append(out, m)
		}
		rows = append(rows, out)
	}
	return json.Marshal(map[string]any{"inline_keyboard": rows})
}

func TestLibraryButtonsWithEmptyCopyTextAreRefused(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", Title: "News", BotRights: "admin"})
	b := newBot(t, srv)
	_, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "k",
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "b", CallbackData: "x"}}}}})
	if !errors.Is(err, tgbot.ErrorBadRequest) || !strings.Contains(err.Error(), "BUTTON_COPY_TEXT_INVALID") {
		t.Fatalf("library keyboard: %v, want BUTTON_COPY_TEXT_INVALID", err)
	}
}

func TestRemovedBotIsForbiddenAndTold(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", Title: "News", BotRights: "admin"})
	b := newBot(t, srv)
	ctx := testCtx(t)
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -1001, Text: "first"}); err != nil {
		t.Fatal(err)
	}
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, BotRights: "none"})
	_, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: -1001, Text: "second"})
	if !errors.Is(err, tgbot.ErrorForbidden) || !strings.Contains(err.Error(), "bot was kicked from the channel chat") {
		t.Errorf("error = %v", err)
	}
	member, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -1001, UserID: srv.BotUser().ID})
	if err != nil || member.Type != models.ChatMemberTypeBanned {
		t.Errorf("getChatMember = %+v, %v; want kicked", member, err)
	}
	r := callGet(t, srv.URL(), srv.Token(), "getUpdates", nil)
	if !strings.Contains(string(r.Result), `"my_chat_member"`) || !strings.Contains(string(r.Result), `"status":"kicked"`) {
		t.Errorf("no my_chat_member update with status kicked: %s", r.Result)
	}
}

func TestEditAndDeleteMessages(t *testing.T) {
	srv := telegramtest.NewTestServer(t, telegramtest.WithoutLimits())
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "hi"})
	b := newBot(t, srv)
	ctx := testCtx(t)
	kb := keyboard(models.InlineKeyboardButton{Text: "Go", CallbackData: "go"})
	sent, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 1001, Text: "<b>v1</b>", ParseMode: "HTML", ReplyMarkup: kb})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(text string, markup models.ReplyMarkup) error {
		_, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: 1001, MessageID: sent.ID, Text: text, ParseMode: "HTML", ReplyMarkup: markup})
		return err
	}
	if err := edit("<b>v1</b>", kb); err == nil || !strings.Contains(err.Error(), "message is not modified: specified new message content and reply markup are exactly the same") {
		t.Errorf("identical edit: %v", err)
	}
	if err := edit("<b>v2</b>", kb); err != nil {
		t.Fatalf("edit: %v", err)
	}
	if _, err := b.EditMessageReplyMarkup(ctx, &tgbot.EditMessageReplyMarkupParams{ChatID: 1001, MessageID: sent.ID}); err != nil {
		t.Errorf("removing the keyboard: %v", err)
	}
	if _, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: 1001, MessageID: 99, Text: "x"}); err == nil || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("editing a missing message: %v", err)
	}
	if _, err := b.EditMessageText(ctx, &tgbot.EditMessageTextParams{ChatID: 1001, MessageID: 1, Text: "x"}); err == nil || !strings.Contains(err.Error(), "message can't be edited") {
		t.Errorf("editing the user's message: %v", err)
	}
	if _, err := b.EditMessageCaption(ctx, &tgbot.EditMessageCaptionParams{ChatID: 1001, MessageID: sent.ID, Caption: "c"}); err == nil || !strings.Contains(err.Error(), "there is no caption in the message to edit") {
		t.Errorf("editing the caption of a text: %v", err)
	}
	if ok, err := b.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: 1001, MessageID: sent.ID}); !ok || err != nil {
		t.Errorf("delete: %v %v", ok, err)
	}
	if _, err := b.DeleteMessage(ctx, &tgbot.DeleteMessageParams{ChatID: 1001, MessageID: sent.ID}); err == nil || !strings.Contains(err.Error(), "message to delete not found") {
		t.Errorf("deleting twice: %v", err)
	}
	m := srv.Messages(1001)[1]
	if !m.Deleted || m.Text != "v2" || len(m.History) != 2 || m.History[0].Text != "v1" || m.History[0].ReplyMarkup == nil || m.ReplyMarkup != nil || m.EditedAt == nil {
		t.Errorf("stored message after edits and delete = %+v", m)
	}
}

func TestSendPhotoByUploadFileIDAndURL(t *testing.T) {
	srv := telegramtest.NewTestServer(t, telegramtest.WithoutLimits())
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", BotRights: "admin"})
	b := newBot(t, srv)
	ctx := testCtx(t)
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 320, 200)))
	up, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: -1001, Photo: &models.InputFileUpload{Filename: "a.png", Data: &img}, Caption: "<i>Guest</i>", ParseMode: "HTML"})
	if err != nil {
		t.Fatal(err)
	}
	full := up.Photo[len(up.Photo)-1]
	if full.Width != 320 || full.Height != 200 || full.FileID == "" || up.Caption != "Guest" || len(up.CaptionEntities) != 1 {
		t.Errorf("uploaded photo = %+v caption %q", up.Photo, up.Caption)
	}
	again, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: -1001, Photo: &models.InputFileString{Data: full.FileID}})
	if err != nil || again.Photo[len(again.Photo)-1].FileID != full.FileID {
		t.Errorf("resending by file_id: %+v, %v", again, err)
	}
	if _, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: -1001, Photo: &models.InputFileString{Data: "https://example.org/a.jpg"}}); err != nil {
		t.Errorf("sending by URL: %v", err)
	}
	tests := []struct {
		name  string
		photo models.InputFile
		capt  string
		want  string
	}{
		{"an unknown file_id is refused", &models.InputFileString{Data: "nope"}, "", "wrong file identifier/HTTP URL specified"},
		{"an upload that is no image is refused", &models.InputFileUpload{Filename: "a.txt", Data: strings.NewReader("text")}, "", "IMAGE_PROCESS_FAILED"},
		{"a caption over 1024 units is too long", &models.InputFileString{Data: full.FileID}, strings.Repeat("c", 1025), "message caption is too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: -1001, Photo: tt.photo, Caption: tt.capt})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := b.EditMessageCaption(ctx, &tgbot.EditMessageCaptionParams{ChatID: -1001, MessageID: up.ID, Caption: "New"}); err != nil {
		t.Errorf("editing the caption: %v", err)
	}
}

func TestChatsMembersAndActions(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", Title: "News", Username: "news", LinkedChatID: -1002, BotRights: "admin", Admins: []int64{1001}})
	b := newBot(t, srv)
	ctx := testCtx(t)
	info, err := b.GetChat(ctx, &tgbot.GetChatParams{ChatID: "@news"})
	if err != nil || info.ID != -1001 || info.LinkedChatID != -1002 || info.Title != "News" {
		t.Errorf("getChat = %+v, %v", info, err)
	}
	group, err := b.GetChat(ctx, &tgbot.GetChatParams{ChatID: -1002})
	if err != nil || group.Type != models.ChatTypeSupergroup || group.LinkedChatID != -1001 {
		t.Errorf("the discussion group = %+v, %v", group, err)
	}
	admins, err := b.GetChatAdministrators(ctx, &tgbot.GetChatAdministratorsParams{ChatID: -1001})
	if err != nil || len(admins) != 2 || admins[0].Type != models.ChatMemberTypeOwner || admins[1].Administrator == nil || !admins[1].Administrator.CanPostMessages {
		t.Errorf("getChatAdministrators = %+v, %v", admins, err)
	}
	owner, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -1001, UserID: 1001})
	if err != nil || owner.Type != models.ChatMemberTypeOwner {
		t.Errorf("getChatMember(owner) = %+v, %v", owner, err)
	}
	if _, err := b.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: -1001, UserID: 5555}); err == nil || !strings.Contains(err.Error(), "user not found") {
		t.Errorf("getChatMember(stranger) = %v", err)
	}
	if ok, err := b.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: -1001, Action: models.ChatActionTyping}); !ok || err != nil {
		t.Errorf("sendChatAction: %v %v", ok, err)
	}
	if _, err := b.SendChatAction(ctx, &tgbot.SendChatActionParams{ChatID: -1001, Action: "dancing"}); err == nil || !strings.Contains(err.Error(), "wrong parameter action") {
		t.Errorf("sendChatAction(dancing) = %v", err)
	}
	if _, err := b.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: 4242, Text: "x"}); err == nil || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("writing to a user who never wrote: %v", err)
	}
}

func TestCommandsBelongToScopeAndLanguage(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "hi"})
	b := newBot(t, srv)
	ctx := testCtx(t)
	all := []models.BotCommand{{Command: "start", Description: "Start"}}
	editor := []models.BotCommand{{Command: "queue", Description: "Növbə"}}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: all}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: editor, Scope: &models.BotCommandScopeChat{ChatID: 1001}, LanguageCode: "az"}); err != nil {
		t.Fatal(err)
	}
	got, err := b.GetMyCommands(ctx, &tgbot.GetMyCommandsParams{Scope: &models.BotCommandScopeChat{ChatID: 1001}, LanguageCode: "az"})
	if err != nil || len(got) != 1 || got[0].Command != "queue" {
		t.Errorf("getMyCommands(chat, az) = %+v, %v", got, err)
	}
	got, err = b.GetMyCommands(ctx, &tgbot.GetMyCommandsParams{})
	if err != nil || len(got) != 1 || got[0].Command != "start" {
		t.Errorf("getMyCommands(default) = %+v, %v", got, err)
	}
	if c := srv.Commands(telegramtest.CommandScope{Type: "chat", ChatID: 1001}, "az"); len(c) != 1 {
		t.Errorf("Commands = %+v", c)
	}
	if _, err := b.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: []models.BotCommand{{Command: "Bad-Name", Description: "x"}}}); err == nil || !strings.Contains(err.Error(), "BOT_COMMAND_INVALID") {
		t.Errorf("bad command name: %v", err)
	}
	if _, err := b.DeleteMyCommands(ctx, &tgbot.DeleteMyCommandsParams{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.GetMyCommands(ctx, &tgbot.GetMyCommandsParams{}); len(got) != 0 {
		t.Errorf("after deleteMyCommands: %+v", got)
	}
}

func TestWrongTokenAndUnknownMethod(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	bad, err := tgbot.New("1:wrong", tgbot.WithServerURL(srv.URL()), tgbot.WithSkipGetMe())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bad.GetMe(testCtx(t)); !errors.Is(err, tgbot.ErrorUnauthorized) {
		t.Errorf("wrong token: %v", err)
	}
	r := callGet(t, srv.URL(), srv.Token(), "sendTelepathy", nil)
	if r.Status != 404 || r.ErrorCode != 404 || r.Description != "Not Found" {
		t.Errorf("unknown method: %+v", r)
	}
	if r := callGet(t, srv.URL(), srv.Token(), "GETME", nil); !r.OK {
		t.Errorf("method names are not case-insensitive: %+v", r)
	}
}
