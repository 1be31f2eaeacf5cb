package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// newsroom is a store with two channels, articles and posts, a queue, and a
// bot whose updates the test hands to HandleUpdate one at a time, against
// a fake Bot API that records every refusal (400) it answers and a log that
// records every handler that panicked.
type newsroom struct {
	ctx     context.Context
	srv     *telegramtest.Server
	b       *bot.Bot
	st      *store.Store
	q       *scheduler.Queue
	en      *herald.Channel
	refused *refusals
	panics  *panicLog
	nextID  int64
}

// newNewsroom builds a newsroom. The owner (1001) has written to the bot.
func newNewsroom(tb testing.TB) *newsroom {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	now := func() time.Time { return rigNow }
	srv := telegramtest.New(telegramtest.WithToken(testToken),
		telegramtest.WithBotUsername("herald_test_bot"), telegramtest.WithoutLimits())
	refused := &refusals{}
	hs := httptest.NewServer(refused.wrap(srv.Handler()))
	tb.Cleanup(func() { srv.Close(); hs.Close() })
	for _, c := range []telegramtest.Chat{
		{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin},
		{ID: -1002, Type: "channel", Title: "DQ Russian", BotRights: telegramtest.RightsAdmin},
	} {
		if err := srv.AddChat(c); err != nil {
			tb.Fatal(err)
		}
	}
	st, err := store.Open(filepath.Join(tb.TempDir(), "h.db"), store.WithClock(now))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	n := &newsroom{ctx: ctx, srv: srv, st: st, refused: refused, panics: &panicLog{}, nextID: 1}
	mk := func(chat, title string, lang herald.Language) *herald.Channel {
		c := &herald.Channel{Network: herald.NetworkTelegram, Chat: chat, Title: title, Language: lang,
			Kinds: herald.Kinds, Slots: []string{"0 9 * * *", "0 19 * * *"}, Timezone: "Asia/Baku",
			QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
			OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
		if err := st.CreateChannel(ctx, c); err != nil {
			tb.Fatal(err)
		}
		return c
	}
	n.en = mk("-1001", "DQ English", herald.LangEnglish)
	ru := mk("-1002", "DQ Russian", herald.LangRussian)
	for i, title := range []string{"Afterword to <Blinken's> call", "Трудный вопрос о Каспии", "Ferry line & port reopen"} {
		a := &herald.Article{Source: "test", ExternalID: fmt.Sprint(i + 1), Kind: herald.KindCommentary, Language: herald.LangEnglish,
			Title: title, Lead: "The lead & more.", Body: "One.\n\nTwo.", Program: herald.ProgramDifficultQuestion,
			URL: fmt.Sprintf("https://example.org/a/%d", i+1), PublishedAt: rigNow.Add(-time.Hour)}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			tb.Fatal(err)
		}
		for j, ch := range []*herald.Channel{n.en, ru} {
			p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
				ScheduledAt: rigNow.Add(time.Duration(1+i+j) * time.Hour)}}
			if _, err := st.PlanPost(ctx, p); err != nil {
				tb.Fatal(err)
			}
		}
	}
	n.q = &scheduler.Queue{Store: st, Now: now, Watcher: &scheduler.Watcher{Store: st, Zone: "Asia/Baku", Now: now}}
	b, err := bot.New(ctx, bot.Config{Token: testToken, APIURL: hs.URL, Store: st, Queue: n.q, Zone: "Asia/Baku",
		Owners: []int64{ownerID}, Now: now, PollTimeout: 2 * time.Second, Log: slog.New(n.panics)})
	if err != nil {
		tb.Fatal(err)
	}
	n.b = b
	// The owner is an owner from the start, as herald run makes them, so
	// that commands are carried out and not only refused.
	if err := st.SyncOwners(ctx, []int64{ownerID}); err != nil {
		tb.Fatal(err)
	}
	// A bot may only write to people who wrote to it first.
	for _, u := range []int64{ownerID, strangerID} {
		if _, err := srv.UserSends(telegramtest.UserMessage{UserID: u, Text: "/start", FirstName: "Aygun"}); err != nil {
			tb.Fatal(err)
		}
	}
	return n
}

// says hands the bot a private message from user, as an update, and
// returns once the bot has handled it.
func (n *newsroom) says(user int64, first, text string) {
	n.nextID++
	m := &models.Message{ID: int(n.nextID), Date: int(rigNow.Unix()), Text: text,
		From: &models.User{ID: user, FirstName: first, LanguageCode: "en"},
		Chat: models.Chat{ID: user, Type: models.ChatTypePrivate, FirstName: first}}
	if strings.HasPrefix(text, "/") {
		word, _, _ := strings.Cut(text, " ")
		m.Entities = []models.MessageEntity{{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: len([]rune(word))}}
	}
	n.b.HandleUpdate(n.ctx, &models.Update{ID: n.nextID, Message: m})
}

// presses has user press a button under a message of theirs in the fake,
// so that the query can be answered, and hands the bot the press.
func (n *newsroom) presses(tb testing.TB, user int64, first string, msgID int, data string) {
	tb.Helper()
	id, err := n.srv.Press(telegramtest.Press{UserID: user, ChatID: user, MessageID: msgID, Data: data})
	if err != nil {
		tb.Fatal(err)
	}
	n.nextID++
	n.b.HandleUpdate(n.ctx, &models.Update{ID: n.nextID, CallbackQuery: &models.CallbackQuery{
		ID: id, From: models.User{ID: user, FirstName: first, LanguageCode: "en"}, Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage,
			Message: &models.Message{ID: msgID, Chat: models.Chat{ID: user, Type: models.ChatTypePrivate}}}}})
}

// check fails on every refusal and panic since the last check.
func (n *newsroom) check(tb testing.TB, what string) {
	tb.Helper()
	for _, r := range n.refused.take() {
		tb.Errorf("%s: Telegram refused a call: %s", what, r)
	}
	for _, p := range n.panics.take() {
		tb.Errorf("%s: a handler panicked: %s", what, p)
	}
}

// refusals records the Bot API calls the fake answered 400 (other than an
// edit that changed nothing), with the text sent.
type refusals struct {
	mu   sync.Mutex
	list []string
}

func (r *refusals) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		rec := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(rec, req)
		method := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
		// A command menu for someone who never opened a chat with the bot
		// is refused with "chat not found", as Telegram does; the bot logs
		// it and sets the menu again at its next start.
		menuless := strings.HasSuffix(method, "MyCommands") && strings.Contains(rec.body.String(), "chat not found")
		if rec.status == http.StatusBadRequest && !strings.Contains(rec.body.String(), "message is not modified") && !menuless {
			r.mu.Lock()
			r.list = append(r.list, fmt.Sprintf("%s %s -> %s", method, truncate(string(body), 600), rec.body.String()))
			r.mu.Unlock()
		}
	})
}

func (r *refusals) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.list
	r.list = nil
	return out
}

type statusWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *statusWriter) WriteHeader(code int) { w.status = code; w.ResponseWriter.WriteHeader(code) }

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.status != http.StatusOK {
		w.body.Write(p)
	}
	return w.ResponseWriter.Write(p)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// panicLog is a slog handler that keeps the panics the bot's recoverer logs.
type panicLog struct {
	mu   sync.Mutex
	list []string
}

func (p *panicLog) Enabled(context.Context, slog.Level) bool { return true }
func (p *panicLog) WithAttrs([]slog.Attr) slog.Handler       { return p }
func (p *panicLog) WithGroup(string) slog.Handler            { return p }

func (p *panicLog) Handle(_ context.Context, r slog.Record) error {
	if !strings.Contains(r.Message, "panicked") {
		return nil
	}
	var sb strings.Builder
	sb.WriteString(r.Message)
	r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&sb, " %s=%v", a.Key, a.Value); return true })
	p.mu.Lock()
	p.list = append(p.list, sb.String())
	p.mu.Unlock()
	return nil
}

func (p *panicLog) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.list
	p.list = nil
	return out
}

// FuzzCommand has the owner type arbitrary text to the bot: the command
// parser, post references and the /schedule argument split must never
// panic, and every reply must be HTML Telegram accepts.
func FuzzCommand(f *testing.F) {
	for _, s := range []string{
		"/queue", "/schedule 1", "/schedule 1 tomorrow 9:30 @dq_english", "/schedule https://example.org/a/2 19:00 -1001 -1002",
		"/reschedule #1 <b>noon</b>", "/cancel #", "/cancel -1", "/postnow 99999999999999999999", "/article 1",
		"/articles &amp;", "/editor add 2002", "/editor remove </code>", "/pause -1001", "/resume @", "/unknown",
		"/failed", "/audit", "/help@herald_test_bot", "/start r1_1", "/start <i>", "/Schedule@other_bot 1", "/",
		"/@", "/ /", "'); DROP TABLE posts;--", "/schedule 1 \u200f\u200b 9:30", "/reviews 1", "/forgetme", "19:00",
	} {
		f.Add(s)
	}
	n := newNewsroom(f)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			t.Skip("Telegram delivers only UTF-8")
		}
		n.says(ownerID, "Aygun", text)
		n.check(t, fmt.Sprintf("the owner typed %q", text))
	})
}
