package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

const testToken = "777:test-secret-token"

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newBot starts a fake Bot API with one channel and returns a bot talking
// to it through go-telegram/bot.
func newBot(t *testing.T, opts ...telegramtest.Option) (*telegramtest.Server, *bot.Bot, *store.Store) {
	t.Helper()
	opts = append([]telegramtest.Option{telegramtest.WithToken(testToken), telegramtest.WithBotUsername("herald_test_bot")}, opts...)
	srv := telegramtest.NewTestServer(t, opts...)
	if err := srv.AddChat(telegramtest.Chat{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b, err := bot.New(testCtx(t), bot.Config{Token: testToken, APIURL: srv.URL(), Store: st, Owners: []int64{1001},
		PollTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return srv, b, st
}

func delivery(chat string) scheduler.Delivery {
	return scheduler.Delivery{
		Post: &herald.Post{ID: 1, Purpose: herald.PurposePublish},
		Article: &herald.Article{ID: 42, Title: "Afterword to <Blinken's> call", Lead: "The lead & more.",
			Body: "One.\n\nTwo.", Kind: herald.KindCommentary, Language: herald.LangEnglish,
			Program: herald.ProgramDifficultQuestion, URL: "https://example.org/a/42"},
		Channel: &herald.Channel{ID: 7, Chat: chat, Title: "DQ English", Language: herald.LangEnglish,
			ReviewLink: herald.ReviewLinkText},
	}
}

func TestPublishSendsTheRenderedPostWithItsReviewLink(t *testing.T) {
	srv, b, _ := newBot(t)
	rec, err := b.Publisher().Publish(testCtx(t), delivery("-1001"))
	if err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages(-1001)
	if len(msgs) != 1 || int64(msgs[0].ID) != rec.MessageID {
		t.Fatalf("channel has %d messages, receipt %+v", len(msgs), rec)
	}
	m := msgs[0]
	if !strings.Contains(m.Text, "Afterword to <Blinken's> call") || m.ParseMode != "HTML" {
		t.Fatalf("post text %q (parse mode %q)", m.Text, m.ParseMode)
	}
	if !strings.Contains(m.SentText, "https://t.me/herald_test_bot?start=r42_7") {
		t.Fatalf("post has no review deep link: %q", m.SentText)
	}
	if m.ReplyMarkup != nil {
		t.Fatal("a text review link must not add a keyboard (it would hide native comments)")
	}
}

func TestPublishWithAReviewButtonIsAcceptedByTelegram(t *testing.T) {
	srv, b, _ := newBot(t)
	d := delivery("-1001")
	d.Channel.ReviewLink = herald.ReviewLinkButton
	if _, err := b.Publisher().Publish(testCtx(t), d); err != nil {
		t.Fatalf("a post with a review button was refused: %v", err)
	}
	m := srv.Messages(-1001)[0]
	if m.ReplyMarkup == nil || !strings.Contains(m.ReplyMarkup.InlineKeyboard[0][0].URL, "start=r42_7") {
		t.Fatalf("markup %+v", m.ReplyMarkup)
	}
}

func TestPublishFailuresAreClassified(t *testing.T) {
	tests := []struct {
		name  string
		setup func(srv *telegramtest.Server)
		chat  string
		want  scheduler.Failure
	}{
		{"a 429 is rate limited", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", RetryAfter: 7, Count: 1})
		}, "-1001", scheduler.RateLimited},
		{"the Bot API's own 502 surely did not send", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", Status: 502, Count: 1})
		}, "-1001", scheduler.NotSent},
		{"a proxy's 502 page after the message was stored is ambiguous", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", StatusAfterStore: 502, Count: 1})
		}, "-1001", scheduler.Ambiguous},
		{"a proxy's 504 gateway timeout is ambiguous", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", StatusAfterStore: 504, Count: 1})
		}, "-1001", scheduler.Ambiguous},
		{"telegram-bot-api's 500 for a request aborted is ambiguous", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", StatusAfterStore: 500, Count: 1})
		}, "-1001", scheduler.Ambiguous},
		{"telegram-bot-api's 500 for a message deleted at once is ambiguous", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", StatusAfterStore: 500, Count: 1,
				Description: "Internal Server Error: sent message was immediately deleted and can't be returned"})
		}, "-1001", scheduler.Ambiguous},
		{"a 503 surely did not send", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", Status: 503, Count: 1})
		}, "-1001", scheduler.NotSent},
		{"telegram-bot-api restarting surely did not send", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", Status: 500, Count: 1, Description: "Internal Server Error: restart"})
		}, "-1001", scheduler.NotSent},
		{"a connection dropped after the message was stored is ambiguous", func(s *telegramtest.Server) {
			s.InjectFault(telegramtest.Fault{Method: "sendMessage", DropAfterStore: true, Count: 1})
		}, "-1001", scheduler.Ambiguous},
		{"an unknown chat is permanent", nil, "-1009", scheduler.Permanent},
		{"a channel the bot was removed from is forbidden", func(s *telegramtest.Server) {
			s.AddChat(telegramtest.Chat{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsNone})
		}, "-1001", scheduler.Forbidden},
		{"a migrated group tells where it went", func(s *telegramtest.Server) {
			s.AddChat(telegramtest.Chat{ID: -77, Type: "group", Title: "old", BotRights: telegramtest.RightsAdmin, MigrateToChatID: -1000077})
		}, "-77", scheduler.Migrated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, b, _ := newBot(t)
			if tt.setup != nil {
				tt.setup(srv)
			}
			_, err := b.Publisher().Publish(testCtx(t), delivery(tt.chat))
			var se *scheduler.SendError
			if !errors.As(err, &se) || se.Failure != tt.want {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Fatalf("the error leaks the token: %v", err)
			}
			if tt.want == scheduler.RateLimited && se.RetryAfter != 7*time.Second {
				t.Fatalf("retry after %v", se.RetryAfter)
			}
			if tt.want == scheduler.Migrated && se.MigrateTo != -1000077 {
				t.Fatalf("migrate to %d", se.MigrateTo)
			}
		})
	}
}

func TestASendThatTimesOutAfterItWasWrittenIsAmbiguous(t *testing.T) {
	srv, b, _ := newBot(t)
	srv.InjectFault(telegramtest.Fault{Method: "sendMessage", DelayMS: 1500, Count: 1})
	ctx, cancel := context.WithTimeout(testCtx(t), 300*time.Millisecond)
	defer cancel()
	_, err := b.Publisher().Publish(ctx, delivery("-1001"))
	var se *scheduler.SendError
	if !errors.As(err, &se) || se.Failure != scheduler.Ambiguous {
		t.Fatalf("timeout after writing: %v", err)
	}
}

func TestARefusedConnectionSurelyDidNotSend(t *testing.T) {
	srv, b, _ := newBot(t)
	srv.Close()
	_, err := b.Publisher().Publish(testCtx(t), delivery("-1001"))
	var se *scheduler.SendError
	if !errors.As(err, &se) || se.Failure != scheduler.NotSent {
		t.Fatalf("refused connection: %v", err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Fatalf("the error leaks the token: %v", err)
	}
}

func TestEditAndDeleteFollowTheArticle(t *testing.T) {
	srv, b, _ := newBot(t)
	ctx := testCtx(t)
	d := delivery("-1001")
	rec, err := b.Publisher().Publish(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	d.Article.Title = "Corrected title"
	if _, err := b.Publisher().Edit(ctx, d, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Publisher().Edit(ctx, d, rec); err != nil {
		t.Fatalf("an edit to the same content must count as done: %v", err)
	}
	if m := srv.Messages(-1001)[0]; !strings.Contains(m.Text, "Corrected title") {
		t.Fatalf("after edit: %q", m.Text)
	}
	if err := b.Publisher().Delete(ctx, d.Channel, rec); err != nil {
		t.Fatal(err)
	}
	if err := b.Publisher().Delete(ctx, d.Channel, rec); err != nil {
		t.Fatalf("deleting a deleted message must count as done: %v", err)
	}
	if m := srv.Messages(-1001)[0]; !m.Deleted {
		t.Fatal("message not deleted")
	}
}
