package bot_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// The people of the editors' tests.
const (
	ownerID    int64 = 1001
	editorID   int64 = 2002
	strangerID int64 = 3003
)

// rigNow is the clock of the editors' tests: Monday 2 March 2026, 12:00 in
// Baku (UTC+4).
var rigNow = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

// baku formats a wall time in Baku as the bot echoes times to editors.
func baku(t *testing.T, y int, mo time.Month, d, h, m int) string {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Baku")
	if err != nil {
		t.Fatal(err)
	}
	return herald.FormatWhen(time.Date(y, mo, d, h, m, 0, 0, loc), loc)
}

// rig is a newsroom in a box: a store with two channels, six articles and
// five posts, a queue, and the bot polling a fake Bot API, with an owner
// (1001) and an editor (2002) the owner added with /editor add.
//
// Posts: #1 article 1 on DQ English today 15:00, #2 article 2 on DQ English
// today 19:00, #3 article 3 on DQ Russian tomorrow 09:00 (all planned), #4
// article 4 unknown, #5 article 5 failed. Article 6 (news) has no post.
// Times are Baku's; now is 12:00.
type rig struct {
	t   *testing.T
	ctx context.Context
	srv *telegramtest.Server
	b   *bot.Bot
	st  *store.Store
	q   *scheduler.Queue
	en  *herald.Channel
	ru  *herald.Channel
	art []*herald.Article // art[i] is article i+1
}

func newRig(t *testing.T) *rig {
	t.Helper()
	ctx := testCtx(t)
	now := func() time.Time { return rigNow }
	// httptest serves the fake so that closing it drops the client's spare
	// connections at once: http.Server.Shutdown, which the fake's own
	// listener uses, waits seconds for a connection that never sent a request.
	srv := telegramtest.New(telegramtest.WithToken(testToken),
		telegramtest.WithBotUsername("herald_test_bot"), telegramtest.WithoutLimits())
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Close(); hs.Close() })
	for _, c := range []telegramtest.Chat{
		{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin},
		{ID: -1002, Type: "channel", Title: "DQ Russian", BotRights: telegramtest.RightsAdmin},
	} {
		if err := srv.AddChat(c); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r := &rig{t: t, ctx: ctx, srv: srv, st: st}

	channel := func(chat, title string, lang herald.Language, kinds ...herald.Kind) *herald.Channel {
		c := &herald.Channel{Network: herald.NetworkTelegram, Chat: chat, Title: title, Language: lang,
			Kinds: kinds, Slots: []string{"0 9 * * *", "0 15 * * *", "0 19 * * *"}, Timezone: "Asia/Baku",
			QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
			OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
		if err := st.CreateChannel(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	r.en = channel("-1001", "DQ English", herald.LangEnglish, herald.KindCommentary, herald.KindNews)
	r.ru = channel("-1002", "DQ Russian", herald.LangRussian, herald.KindCommentary)

	for i, a := range []struct {
		kind  herald.Kind
		lang  herald.Language
		title string
	}{
		{herald.KindCommentary, herald.LangEnglish, "Afterword to <Blinken's> call"},
		{herald.KindCommentary, herald.LangEnglish, "What the summit left unsaid"},
		{herald.KindCommentary, herald.LangRussian, "Трудный вопрос о Каспии"},
		{herald.KindCommentary, herald.LangEnglish, "A post nobody is sure of"},
		{herald.KindCommentary, herald.LangEnglish, "A post that failed"},
		{herald.KindNews, herald.LangEnglish, "Ferry line to Aktau reopens"},
	} {
		n := i + 1
		art := &herald.Article{Source: "test", ExternalID: fmt.Sprint(n), Kind: a.kind, Language: a.lang,
			Title: a.title, Lead: "The lead & more.", Body: "One.\n\nTwo.", Program: herald.ProgramDifficultQuestion,
			URL: fmt.Sprintf("https://example.org/a/%d", n), PublishedAt: rigNow.Add(-time.Duration(7-n) * time.Hour)}
		if _, err := st.UpsertArticle(ctx, art); err != nil {
			t.Fatal(err)
		}
		if art.ID != int64(n) {
			t.Fatalf("article %q got id %d, want %d", a.title, art.ID, n)
		}
		r.art = append(r.art, art)
	}

	plan := func(article int64, ch *herald.Channel, at time.Time) int64 {
		p := &store.PostRow{Post: herald.Post{ArticleID: article, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: at}}
		if _, err := st.PlanPost(ctx, p); err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	plan(1, r.en, rigNow.Add(3*time.Hour))  // #1 today 15:00
	plan(2, r.en, rigNow.Add(7*time.Hour))  // #2 today 19:00
	plan(3, r.ru, rigNow.Add(21*time.Hour)) // #3 tomorrow 09:00
	unknown := plan(4, r.en, rigNow.Add(-2*time.Hour))
	failed := plan(5, r.en, rigNow.Add(-time.Hour))
	for id, mark := range map[int64]func(int64) error{
		unknown: func(id int64) error { return st.MarkUnknown(ctx, id, "timeout after the request was written") },
		failed:  func(id int64) error { return st.MarkFailed(ctx, id, "Bad Request: chat not found") },
	} {
		if ok, err := st.ClaimPost(ctx, id, rigNow.Add(time.Minute)); !ok || err != nil {
			t.Fatalf("claim post %d: %v %v", id, ok, err)
		}
		if err := mark(id); err != nil {
			t.Fatal(err)
		}
	}
	if unknown != 4 || failed != 5 {
		t.Fatalf("posts got ids %d and %d, want 4 and 5", unknown, failed)
	}

	r.q = &scheduler.Queue{Store: st, Now: now,
		Watcher: &scheduler.Watcher{Store: st, Zone: "Asia/Baku", Now: now}}
	b, err := bot.New(ctx, bot.Config{Token: testToken, APIURL: hs.URL, Store: st, Queue: r.q,
		Zone: "Asia/Baku", Owners: []int64{ownerID}, Now: now, PollTimeout: 2 * time.Second,
		// The rig's clock stands still, so a reader's allowance never
		// refills; its tests are about rights, and a stranger here tries
		// every command in a row. Floods have tests of their own.
		ReaderLimit: bot.ReaderLimit{Burst: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	r.b = b
	t.Cleanup(r.checkButtons)

	// The owner opens a chat with the bot before it starts, so that the
	// menus published at start reach them.
	if _, err := srv.UserSends(telegramtest.UserMessage{UserID: ownerID, Text: "/start", FirstName: "Aygun", LanguageCode: "en"}); err != nil {
		t.Fatal(err)
	}
	startPolling(t, b.Start)
	if _, err := srv.WaitBotMessages(ctx, ownerID, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.UserSends(telegramtest.UserMessage{UserID: editorID, Text: "/start", FirstName: "Rashad", LanguageCode: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.WaitBotMessages(ctx, editorID, 1); err != nil {
		t.Fatal(err)
	}
	if got := r.say(ownerID, "en", "/editor add 2002", 1); !strings.Contains(got[0].Text, "is now an editor") {
		t.Fatalf("/editor add 2002: %q", got[0].Text)
	}
	if _, err := st.Editor(ctx, editorID); err != nil {
		t.Fatalf("the editor was not added: %v", err)
	}
	return r
}

// botMessages returns what the bot sent to a chat, oldest first.
func (r *rig) botMessages(chat int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range r.srv.Messages(chat) {
		if m.From != nil && m.From.ID == r.srv.BotUser().ID {
			out = append(out, m)
		}
	}
	return out
}

// say has a user write text in their private chat with the bot, in the
// language lang ("en" when empty), and waits for the bot's n replies.
func (r *rig) say(user int64, lang, text string, n int) []telegramtest.Message {
	r.t.Helper()
	if lang == "" {
		lang = "en"
	}
	before := len(r.botMessages(user))
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: user, Text: text, LanguageCode: lang}); err != nil {
		r.t.Fatal(err)
	}
	msgs, err := r.srv.WaitBotMessages(r.ctx, user, before+n)
	if err != nil {
		r.t.Fatalf("%d said %q and waited for %d replies: %v", user, text, n, err)
	}
	return msgs[before:]
}

// fetched waits until the bot has taken every update sent so far off the
// fake and is polling again, then has the owner ask for /help and waits for
// the answer: an update the bot ignores has been handled by then.
func (r *rig) fetched() {
	r.t.Helper()
	if err := r.srv.WaitUntil(r.ctx, func() bool { return r.srv.PendingUpdates() == 0 && r.srv.PollWaiting() }); err != nil {
		r.t.Fatal(err)
	}
	r.say(ownerID, "en", "/help", 1)
}

// post returns a post as the store has it now.
func (r *rig) post(id int64) *store.PostRow {
	r.t.Helper()
	p, err := r.st.Post(r.ctx, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return p
}

// channel returns a channel as the store has it now.
func (r *rig) channel(id int64) *herald.Channel {
	r.t.Helper()
	c, err := r.st.Channel(r.ctx, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

// audit returns the whole audit trail, newest first.
// refusedCount counts the refused attempts by user in es: refusals are counted
// in one entry per person and window, not listed one by one.
func refusedCount(es []*herald.AuditEntry, user int64) int {
	n := 0
	for _, e := range es {
		if e.Action == "refused" && e.UserID == user {
			n += e.Count
		}
	}
	return n
}

func (r *rig) audit() []*herald.AuditEntry {
	r.t.Helper()
	es, err := r.st.Audit(r.ctx, 1000)
	if err != nil {
		r.t.Fatal(err)
	}
	return es
}

// snapshot renders everything an editor's command could change: posts,
// channels and editors.
func (r *rig) snapshot() string {
	r.t.Helper()
	var sb strings.Builder
	posts, err := r.st.Posts(r.ctx, store.PostFilter{})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, p := range posts {
		fmt.Fprintf(&sb, "post %d %s %s rev %d by %s\n", p.ID, p.State, p.ScheduledAt.UTC().Format(time.RFC3339), p.Rev, p.ScheduledBy)
	}
	cs, err := r.st.Channels(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&sb, "channel %d paused %v\n", c.ID, c.Paused)
	}
	eds, err := r.st.Editors(r.ctx)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range eds {
		fmt.Fprintf(&sb, "editor %d %s\n", e.UserID, e.Role)
	}
	return sb.String()
}

// checkButtons holds every button the bot drew, edits included, to
// Telegram's 64 bytes of callback_data and to herald's versioned format.
func (r *rig) checkButtons() {
	for _, c := range r.srv.Chats() {
		for _, m := range r.srv.Messages(c.ID) {
			kbs := []*models.InlineKeyboardMarkup{m.ReplyMarkup}
			for _, v := range m.History {
				kbs = append(kbs, v.ReplyMarkup)
			}
			for _, kb := range kbs {
				for _, b := range buttonsOf(kb) {
					if b.CallbackData == "" {
						continue
					}
					if len(b.CallbackData) > 64 || !strings.HasPrefix(b.CallbackData, "h1:") {
						r.t.Errorf("button %q in chat %d carries %q (%d bytes): want h1:… within 64 bytes",
							b.Text, c.ID, b.CallbackData, len(b.CallbackData))
					}
				}
			}
		}
	}
}

func buttonsOf(kb *models.InlineKeyboardMarkup) []models.InlineKeyboardButton {
	if kb == nil {
		return nil
	}
	var out []models.InlineKeyboardButton
	for _, row := range kb.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// buttonTexts lists the labels of a message's buttons.
func buttonTexts(m telegramtest.Message) []string {
	var out []string
	for _, b := range buttonsOf(m.ReplyMarkup) {
		out = append(out, b.Text)
	}
	return out
}

func joined(msgs []telegramtest.Message) string {
	var s []string
	for _, m := range msgs {
		s = append(s, m.Text)
	}
	return strings.Join(s, "\n---\n")
}

// editorCommandCase is an editor's command as an owner or an editor types
// it, what the bot answers and what changes.
type editorCommandCase struct {
	name    string
	setup   func(r *rig)
	text    string
	replies int
	want    []string
	notWant []string
	// action is the audit action the command records, "" for none.
	action string
	check  func(t *testing.T, r *rig, actor int64, replies []telegramtest.Message)
}

var editorCommandCases = []editorCommandCase{
	{name: "/queue lists the waiting posts with their buttons", text: "/queue", replies: 1,
		want: []string{"Queue · 1–3 of 3", "#1 · planned · Mon 2 Mar 2026 15:00 Asia/Baku (+04) · DQ English",
			"Afterword to <Blinken's> call", "#3 · planned", "▶ post now · 🕑 reschedule · ✖ cancel"},
		notWant: []string{"#4", "#5"},
		check: func(t *testing.T, r *rig, _ int64, replies []telegramtest.Message) {
			want := []string{"▶ #1", "🕑 #1", "✖ #1", "▶ #2", "🕑 #2", "✖ #2", "▶ #3", "🕑 #3", "✖ #3"}
			if got := buttonTexts(replies[0]); !slices.Equal(got, want) {
				t.Errorf("buttons %q, want %q", got, want)
			}
		}},
	{name: "/queue with a channel shows only that channel's posts", text: "/queue DQ Russian", replies: 1,
		want:    []string{"Queue · DQ Russian · 1–1 of 1", "#3 · planned · Tue 3 Mar 2026 09:00 Asia/Baku (+04)"},
		notWant: []string{"#1", "#2"}},
	{name: "/queue with an unknown channel says so", text: "/queue DQ Klingon", replies: 1,
		want: []string{`no channel "DQ Klingon"`}},
	{name: "/schedule plans an article at a typed time on a named channel", text: "/schedule 6 tomorrow 9:30 -1001", replies: 1,
		want:   []string{"Article #6 is scheduled:", "#6 · DQ English · scheduled · Tue 3 Mar 2026 09:30 Asia/Baku (+04)"},
		action: "schedule",
		check: func(t *testing.T, r *rig, actor int64, _ []telegramtest.Message) {
			p := r.post(6)
			if p.ArticleID != 6 || p.ChannelID != r.en.ID || p.State != herald.PostScheduled ||
				!p.ScheduledAt.Equal(time.Date(2026, 3, 3, 5, 30, 0, 0, time.UTC)) || p.ScheduledBy != herald.ScheduledByEditor(actor) {
				t.Errorf("post 6: %+v", p.Post)
			}
		}},
	{name: "/schedule by url without a time takes the channel's next free slot", text: "/schedule https://example.org/a/6", replies: 1,
		// 15:00 and 19:00 today are taken by posts 1 and 2.
		want:   []string{"Article #6 is scheduled:", "#6 · DQ English · scheduled · Tue 3 Mar 2026 09:00 Asia/Baku (+04)"},
		action: "schedule",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if p := r.post(6); !p.ScheduledAt.Equal(time.Date(2026, 3, 3, 5, 0, 0, 0, time.UTC)) {
				t.Errorf("post 6 at %v", p.ScheduledAt)
			}
		}},
	{name: "/schedule of an unknown article says so", text: "/schedule 99 19:00", replies: 1,
		want: []string{"article 99 not found"}},
	{name: "/reschedule moves a post and echoes the time in the channel's zone", text: "/reschedule 1 tomorrow 9:30", replies: 1,
		want: []string{"Post #1 will go out Tue 3 Mar 2026 09:30 Asia/Baku (+04)."}, action: "reschedule",
		check: func(t *testing.T, r *rig, actor int64, _ []telegramtest.Message) {
			p := r.post(1)
			if p.State != herald.PostScheduled || !p.ScheduledAt.Equal(time.Date(2026, 3, 3, 5, 30, 0, 0, time.UTC)) ||
				p.ScheduledBy != herald.ScheduledByEditor(actor) {
				t.Errorf("post 1: %+v", p.Post)
			}
		}},
	{name: "/reschedule takes #n and a relative time", text: "/reschedule #2 +2h", replies: 1,
		want: []string{"Post #2 will go out Mon 2 Mar 2026 14:00 Asia/Baku (+04)."}, action: "reschedule",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if p := r.post(2); !p.ScheduledAt.Equal(rigNow.Add(2 * time.Hour)) {
				t.Errorf("post 2 at %v", p.ScheduledAt)
			}
		}},
	{name: "/reschedule without a time shows its usage", text: "/reschedule 1", replies: 1,
		want: []string{"Usage: /reschedule <post> <when>"}},
	{name: "/cancel cancels a post", text: "/cancel 1", replies: 1,
		want: []string{"Post #1 cancelled."}, action: "cancel",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if p := r.post(1); p.State != herald.PostCancelled {
				t.Errorf("post 1 is %s", p.State)
			}
		}},
	{name: "/cancel of a post that went out names its state", text: "/cancel 4", replies: 1,
		setup: func(r *rig) {
			if _, err := r.q.ConfirmSent(r.ctx, scheduler.CLI, 4, 0); err != nil {
				r.t.Fatal(err)
			}
		},
		want: []string{"Post #4 has changed since: it is now sent."},
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if p := r.post(4); p.State != herald.PostSent {
				t.Errorf("post 4 is %s", p.State)
			}
		}},
	{name: "/cancel without a post shows its usage", text: "/cancel", replies: 1,
		want: []string{"Usage: /cancel <post>"}},
	{name: "/postnow makes a post due now", text: "/postnow 2", replies: 1,
		want: []string{"Post #2 goes out now."}, action: "post_now",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if p := r.post(2); p.State != herald.PostScheduled || !p.ScheduledAt.Equal(rigNow) {
				t.Errorf("post 2: %s at %v", p.State, p.ScheduledAt)
			}
		}},
	{name: "/postnow of an unknown post says so", text: "/postnow 99", replies: 1,
		want: []string{"post 99 not found"}},
	{name: "/articles lists articles with their posts' states", text: "/articles", replies: 1,
		want: []string{"Latest articles", "#6 · news · en", "Ferry line to Aktau reopens", "no posts",
			"#1 · commentary · en", "#1 DQ English: planned, Mon 2 Mar 2026 15:00 Asia/Baku (+04)",
			"#5 DQ English: failed", "#3 DQ Russian: planned"}},
	{name: "/articles of a kind lists only that kind", text: "/articles news", replies: 1,
		want: []string{"Latest articles", "Ferry line to Aktau reopens"}, notWant: []string{"Afterword"}},
	{name: "/articles of no such kind shows its usage", text: "/articles gossip", replies: 1,
		want: []string{"Usage: /articles [commentary|episode|news]"}},
	{name: "/article previews the post exactly as readers will see it", text: "/article 1", replies: 2,
		want: []string{"Preview of article #1 on DQ English, exactly as readers will see it:", "Afterword to <Blinken's> call"},
		check: func(t *testing.T, r *rig, _ int64, replies []telegramtest.Message) {
			want, err := bot.Render(r.art[0], r.en, herald.PurposePublish, bot.RenderOptions{BotUsername: "herald_test_bot", Now: rigNow})
			if err != nil {
				t.Fatal(err)
			}
			if got := replies[1]; got.SentText != want.Text || got.ParseMode != "HTML" {
				t.Errorf("preview sent %q (%s), want the rendered post %q", got.SentText, got.ParseMode, want.Text)
			}
		}},
	{name: "/article of an unknown article says so", text: "/article 99", replies: 1,
		want: []string{"article 99 not found"}},
	{name: "/channels lists the channels with pause buttons", text: "/channels", replies: 1,
		want: []string{"Channels", "▶ DQ English · -1001 · en", "▶ DQ Russian · -1002 · ru"},
		check: func(t *testing.T, r *rig, _ int64, replies []telegramtest.Message) {
			want := []string{"⏸ Pause DQ English", "⏸ Pause DQ Russian"}
			if got := buttonTexts(replies[0]); !slices.Equal(got, want) {
				t.Errorf("buttons %q, want %q", got, want)
			}
		}},
	{name: "/pause pauses the named channel", text: "/pause DQ Russian", replies: 1,
		want: []string{"Channel DQ Russian is paused: nothing goes out on it until /resume."}, action: "pause",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if !r.channel(r.ru.ID).Paused || r.channel(r.en.ID).Paused {
				t.Error("want DQ Russian paused and DQ English running")
			}
		}},
	{name: "/pause all pauses every channel", text: "/pause all", replies: 1,
		want: []string{"Channel DQ English is paused", "Channel DQ Russian is paused"}, action: "pause",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if !r.channel(r.ru.ID).Paused || !r.channel(r.en.ID).Paused {
				t.Error("want both channels paused")
			}
		}},
	{name: "/resume resumes the named channel", text: "/resume -1001", replies: 1,
		setup: func(r *rig) {
			for _, c := range []*herald.Channel{r.en, r.ru} {
				if _, err := r.st.SetChannelPaused(r.ctx, c.ID, true, "paused by an editor"); err != nil {
					r.t.Fatal(err)
				}
			}
		},
		want: []string{"Channel DQ English is running again."}, action: "resume",
		check: func(t *testing.T, r *rig, _ int64, _ []telegramtest.Message) {
			if en := r.channel(r.en.ID); en.Paused || en.PauseReason != "" || !r.channel(r.ru.ID).Paused {
				t.Error("want DQ English running and DQ Russian still paused")
			}
		}},
	{name: "/unknown lists the posts in doubt with their buttons", text: "/unknown", replies: 1,
		want: []string{"Posts that may or may not have gone out", "#4 · unknown · Mon 2 Mar 2026 10:00 Asia/Baku (+04) · DQ English",
			"timeout after the request was written"},
		check: func(t *testing.T, r *rig, _ int64, replies []telegramtest.Message) {
			want := []string{"✔ It was sent #4", "↻ Send again #4"}
			if got := buttonTexts(replies[0]); !slices.Equal(got, want) {
				t.Errorf("buttons %q, want %q", got, want)
			}
		}},
	{name: "/failed lists the failed posts with their error and buttons", text: "/failed", replies: 1,
		want: []string{"Failed posts", "#5 · failed · Mon 2 Mar 2026 11:00 Asia/Baku (+04) · DQ English", "Bad Request: chat not found"},
		check: func(t *testing.T, r *rig, _ int64, replies []telegramtest.Message) {
			want := []string{"↻ Retry #5", "✖ Cancel #5"}
			if got := buttonTexts(replies[0]); !slices.Equal(got, want) {
				t.Errorf("buttons %q, want %q", got, want)
			}
		}},
	{name: "/editors lists owners and editors", text: "/editors", replies: 1,
		want: []string{"Owners and editors", "owner · 1001 · Aygun", "editor · 2002"}},
	{name: "/audit shows the latest changes", text: "/audit", replies: 1,
		want: []string{"Latest changes", "1001 · editor_add · user 2002"}},
	{name: "/audit n shows n entries", text: "/audit 1", replies: 1,
		setup: func(r *rig) {
			if _, err := r.q.Cancel(r.ctx, scheduler.Actor{UserID: ownerID}, 2, store.AnyRev); err != nil {
				r.t.Fatal(err)
			}
		},
		want: []string{"Latest changes", "cancel #2"}, notWant: []string{"editor_add"},
		check: func(t *testing.T, r *rig, _ int64, replies []telegramtest.Message) {
			if n := len(strings.Split(replies[0].Text, "\n")); n != 2 {
				t.Errorf("/audit 1 answered %d lines, want a header and one entry", n)
			}
		}},
	{name: "/help lists the commands and the times editors may type", text: "/help", replies: 1,
		want: []string{"herald for editors", "/queue [channel]", "/schedule <article id or url> [when] [channel…]",
			"/editor add|remove <user id>", "Times (in the channel's zone)", "tomorrow 9:30", "+2h, +45m", "mon 09:00", "2026-12-01 19:00"}},
}

func TestEditorCommands(t *testing.T) {
	for _, role := range []struct {
		name string
		id   int64
	}{{"owner", ownerID}, {"editor", editorID}} {
		t.Run(role.name, func(t *testing.T) {
			t.Parallel()
			// Commands that change nothing share one newsroom, in turn;
			// each command that changes something gets its own.
			shared := newRig(t)
			for _, tt := range editorCommandCases {
				if tt.setup != nil || tt.action != "" {
					continue
				}
				t.Run(tt.name, func(t *testing.T) {
					r := *shared
					r.t = t
					runEditorCommand(t, &r, role.id, tt)
				})
			}
			for _, tt := range editorCommandCases {
				if tt.setup == nil && tt.action == "" {
					continue
				}
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					r := newRig(t)
					if tt.setup != nil {
						tt.setup(r)
					}
					runEditorCommand(t, r, role.id, tt)
				})
			}
		})
	}
}

// runEditorCommand has actor type the case's command and checks the reply,
// the audit trail and what changed.
func runEditorCommand(t *testing.T, r *rig, actor int64, tt editorCommandCase) {
	before, snap := len(r.audit()), r.snapshot()
	replies := r.say(actor, "en", tt.text, tt.replies)
	text := joined(replies)
	for _, w := range tt.want {
		if !strings.Contains(text, w) {
			t.Errorf("%s answered\n%s\nwant %q in it", tt.text, text, w)
		}
	}
	for _, w := range tt.notWant {
		if strings.Contains(text, w) {
			t.Errorf("%s answered\n%s\nwant no %q in it", tt.text, text, w)
		}
	}
	after := r.audit()
	switch {
	case tt.action == "" && len(after) != before:
		t.Errorf("%s left %d audit entries, want none: newest %+v", tt.text, len(after)-before, after[0])
	case tt.action == "" && tt.setup == nil && r.snapshot() != snap:
		t.Errorf("%s changed things:\n%s\nwas\n%s", tt.text, r.snapshot(), snap)
	case tt.action != "" && (len(after) == before || after[0].Action != tt.action || after[0].UserID != actor):
		t.Errorf("%s: newest audit entry %+v, want %q by %d", tt.text, after[0], tt.action, actor)
	}
	if tt.check != nil {
		tt.check(t, r, actor, replies)
	}
}

// replyToForward has the owner forward the bot a message from user, then
// answer it with command, and returns the bot's first reply since that
// mentions about. (A forwarded message is plain text, which the bot may
// answer on its own.)
func (r *rig) replyToForward(user int64, command, about string) string {
	r.t.Helper()
	fwd, err := r.srv.UserSends(telegramtest.UserMessage{UserID: ownerID, Text: "hello", ForwardFrom: user})
	if err != nil {
		r.t.Fatal(err)
	}
	before := len(r.botMessages(ownerID))
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: ownerID, Text: command, ReplyToMessageID: fwd.ID}); err != nil {
		r.t.Fatal(err)
	}
	var got string
	err = r.srv.WaitUntil(r.ctx, func() bool {
		for _, m := range r.botMessages(ownerID)[before:] {
			if strings.Contains(m.Text, about) {
				got = m.Text
				return true
			}
		}
		return false
	})
	if err != nil {
		r.t.Fatalf("%s in reply to a forwarded message was not answered: %v", command, err)
	}
	return got
}

func TestOwnersAddAndRemoveEditors(t *testing.T) {
	tests := []struct {
		name string
		// do has the owner act, and returns the bot's reply.
		do     func(r *rig) string
		want   string
		userID int64
		editor bool // whether userID is an editor afterwards
		action string
	}{
		{"by id", func(r *rig) string {
			return r.say(ownerID, "en", "/editor add 3003", 1)[0].Text
		}, "3003 is now an editor.", strangerID, true, "editor_add"},
		{"by replying to a message the person forwarded", func(r *rig) string {
			// Telegram shows the forwarded message's author by the name they gave.
			r.srv.UserSends(telegramtest.UserMessage{UserID: strangerID, Text: "hello", FirstName: "Leyla"})
			return r.replyToForward(strangerID, "/editor add", "editor")
		}, "Leyla is now an editor.", strangerID, true, "editor_add"},
		{"removed by id", func(r *rig) string {
			return r.say(ownerID, "en", "/editor remove 2002", 1)[0].Text
		}, "2002 is no longer an editor.", editorID, false, "editor_remove"},
		{"removed by replying to a message the person forwarded", func(r *rig) string {
			return r.replyToForward(editorID, "/editor remove", "editor")
		}, "Rashad is no longer an editor.", editorID, false, "editor_remove"},
		{"without saying whom gets told how", func(r *rig) string {
			return r.say(ownerID, "en", "/editor add", 1)[0].Text
		}, "Give a Telegram user id (/editor add 123456789)", strangerID, false, ""},
		{"an owner cannot be removed", func(r *rig) string {
			return r.say(ownerID, "en", "/editor remove 1001", 1)[0].Text
		}, "1001 is an owner", ownerID, true, ""},
		{"an editor is not added twice", func(r *rig) string {
			return r.say(ownerID, "en", "/editor add 2002", 1)[0].Text
		}, "2002 is already an editor", editorID, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			before := len(r.audit())
			if got := tt.do(r); !strings.Contains(got, tt.want) {
				t.Errorf("the owner was told %q, want %q", got, tt.want)
			}
			_, err := r.st.Editor(r.ctx, tt.userID)
			if (err == nil) != tt.editor {
				t.Errorf("user %d an editor: %v, want %v", tt.userID, err == nil, tt.editor)
			}
			after := r.audit()
			switch {
			case tt.action == "" && len(after) != before:
				t.Errorf("audited %+v, want nothing", after[0])
			case tt.action != "" && (len(after) != before+1 || after[0].Action != tt.action || after[0].UserID != ownerID ||
				after[0].Detail != fmt.Sprintf("user %d", tt.userID)):
				t.Errorf("newest audit entry %+v, want %s of user %d by the owner", after[0], tt.action, tt.userID)
			}
		})
	}
}

func TestAnEditorWhoIsNotAnOwnerCannotAddOrRemoveEditors(t *testing.T) {
	r := newRig(t)
	for _, text := range []string{"/editor add 3003", "/editor remove 1001", "/editor remove 2002"} {
		t.Run(text, func(t *testing.T) {
			before, refused := r.snapshot(), refusedCount(r.audit(), editorID)
			got := r.say(editorID, "en", text, 1)[0].Text
			if got != "Only owners can add or remove editors." {
				t.Errorf("the editor was told %q", got)
			}
			if after := r.snapshot(); after != before {
				t.Errorf("state changed:\n%s\nwant\n%s", after, before)
			}
			es := r.audit()
			if refusedCount(es, editorID) != refused+1 || es[0].Action != "refused" || es[0].UserID != editorID || !strings.Contains(es[0].Detail, text) {
				t.Errorf("newest audit entry %+v, want the refusal counted", es[0])
			}
		})
	}
}

func TestStrangersAreRefusedEveryEditorCommand(t *testing.T) {
	r := newRig(t)
	for _, text := range []string{
		"/queue", "/queue DQ English", "/schedule 6 19:00", "/schedule 6", "/reschedule 1 +2h", "/cancel 1", "/postnow 1",
		"/articles", "/articles news", "/article 1", "/channels", "/pause", "/pause all", "/pause DQ English",
		"/resume", "/resume all", "/unknown", "/failed", "/editors", "/editor add 3003", "/editor remove 2002",
		"/audit", "/audit 5", "/queue@herald_test_bot",
	} {
		t.Run(text, func(t *testing.T) {
			before, audits, refused := r.snapshot(), len(r.audit()), refusedCount(r.audit(), strangerID)
			replies := r.say(strangerID, "en", text, 1)
			got := replies[0]
			if got.Text != "Sorry, this is for the newsroom's editors. If you are one, ask an owner to add you." {
				t.Errorf("a stranger's %s was answered %q", text, got.Text)
			}
			if got.ReplyMarkup != nil {
				t.Errorf("a refusal carries buttons: %+v", got.ReplyMarkup)
			}
			if after := r.snapshot(); after != before {
				t.Errorf("a stranger's %s changed things:\n%s\nwas\n%s", text, after, before)
			}
			es := r.audit()
			if refusedCount(es, strangerID) != refused+1 {
				t.Fatalf("a stranger's %s counted %d refusals, want 1", text, refusedCount(es, strangerID)-refused)
			}
			want := audits
			if refused == 0 {
				want++ // the first refusal opens the window's entry
			}
			if len(es) != want {
				t.Errorf("a stranger's %s added an audit entry (%d, was %d): refusals in a window share one", text, len(es), audits)
			}
			cmd, _, _ := strings.Cut(text, " ")
			cmd, _, _ = strings.Cut(cmd, "@")
			if e := es[0]; e.Action != "refused" || e.UserID != strangerID || !strings.HasPrefix(e.Detail, cmd) || e.PostID != 0 {
				t.Errorf("audited %+v, want a refusal of %s by %d", e, cmd, strangerID)
			}
		})
	}
	t.Run("/help is a reader's help, not the editors'", func(t *testing.T) {
		audits := len(r.audit())
		got := r.say(strangerID, "en", "/help", 1)[0].Text
		if strings.Contains(got, "/queue") || strings.Contains(got, "herald for editors") {
			t.Errorf("a stranger's /help shows the editors' commands: %q", got)
		}
		if len(r.audit()) != audits {
			t.Error("a reader's /help was audited as a refusal")
		}
	})
	// Nothing any of this did reached the stranger's screen beyond the refusals.
	for _, m := range r.botMessages(strangerID) {
		if strings.Contains(m.Text, "Afterword") || strings.Contains(m.Text, "#1") {
			t.Errorf("a stranger was shown %q", m.Text)
		}
	}
}

func TestBadTimesAreAnsweredWithExamplesAndChangeNothing(t *testing.T) {
	r := newRig(t)
	tests := []struct {
		name, text, why string
	}{
		{"garbage", "/reschedule 1 whenever you like", "I couldn't read that time."},
		{"an hour that does not exist", "/reschedule 1 25:99", "I couldn't read that time."},
		{"a date in the past", "/reschedule 1 2026-03-01 19:00", "Sun 1 Mar 2026 19:00 Asia/Baku (+04) is in the past"},
		{"a time earlier today", "/reschedule 1 today 9:00", "Mon 2 Mar 2026 09:00 Asia/Baku (+04) is in the past"},
		{"garbage when scheduling", "/schedule 6 whenever -1001", "I couldn't read that time."},
		{"the past when scheduling", "/schedule 6 2020-01-01 10:00", "is in the past"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, audits := r.snapshot(), len(r.audit())
			got := r.say(editorID, "en", tt.text, 1)[0].Text
			for _, w := range []string{tt.why, "Times I understand (in the channel's zone):", "tomorrow 9:30", "+2h, +45m", "2026-12-01 19:00"} {
				if !strings.Contains(got, w) {
					t.Errorf("%s answered %q, want %q in it", tt.text, got, w)
				}
			}
			if after := r.snapshot(); after != before {
				t.Errorf("%s changed things:\n%s\nwas\n%s", tt.text, after, before)
			}
			if len(r.audit()) != audits {
				t.Errorf("%s was audited as a change", tt.text)
			}
		})
	}
}

func TestCommandsAddressedToThisBotWorkAndOthersAreIgnored(t *testing.T) {
	r := newRig(t)
	if got := r.say(ownerID, "en", "/queue@herald_test_bot", 1)[0]; !strings.Contains(got.Text, "Queue · 1–3 of 3") || got.ReplyMarkup == nil {
		t.Errorf("/queue@herald_test_bot: %q", got.Text)
	}
	if got := r.say(editorID, "en", "/Cancel@Herald_Test_Bot 1", 1)[0].Text; got != "Post #1 cancelled." {
		t.Errorf("/Cancel@Herald_Test_Bot 1: %q", got)
	}
	before, audits := len(r.botMessages(editorID)), len(r.audit())
	r.srv.UserSends(telegramtest.UserMessage{UserID: editorID, Text: "/cancel@another_bot 2"})
	r.fetched()
	// Not a command for herald: whatever the bot makes of the text, it does
	// not act on it, refuse it, or call it an unknown command.
	for _, m := range r.botMessages(editorID)[before:] {
		if strings.Contains(m.Text, "#2") || strings.Contains(m.Text, "Sorry") || strings.Contains(m.Text, "I don't know") {
			t.Errorf("a command for another bot was answered as one for herald: %q", m.Text)
		}
	}
	if len(r.audit()) != audits {
		t.Errorf("a command for another bot was audited: %+v", r.audit()[0])
	}
	if p := r.post(1); p.State != herald.PostCancelled {
		t.Errorf("post 1 is %s after /Cancel@Herald_Test_Bot", p.State)
	}
	if p := r.post(2); p.State != herald.PostPlanned {
		t.Errorf("post 2 is %s after /cancel@another_bot", p.State)
	}
}

func TestCommandsInAGroupAreIgnored(t *testing.T) {
	r := newRig(t)
	if err := r.srv.AddChat(telegramtest.Chat{ID: -500, Type: "group", Title: "Newsroom", BotRights: telegramtest.RightsMember,
		Admins: []int64{ownerID}}); err != nil {
		t.Fatal(err)
	}
	before, audits := r.snapshot(), len(r.audit())
	for _, m := range []telegramtest.UserMessage{
		{UserID: ownerID, ChatID: -500, Text: "/cancel 1"},
		{UserID: editorID, ChatID: -500, Text: "/pause all@herald_test_bot"},
		{UserID: editorID, ChatID: -500, Text: "/queue"},
		{UserID: strangerID, ChatID: -500, Text: "/queue"},
	} {
		if _, err := r.srv.UserSends(m); err != nil {
			t.Fatal(err)
		}
	}
	r.fetched()
	if msgs := r.botMessages(-500); len(msgs) != 0 {
		t.Errorf("the bot answered in the group: %q", joined(msgs))
	}
	if after := r.snapshot(); after != before {
		t.Errorf("commands in a group changed things:\n%s\nwas\n%s", after, before)
	}
	if len(r.audit()) != audits {
		t.Errorf("commands in a group were audited: %+v", r.audit()[0])
	}
}

func TestRepliesAreInThePersonsLanguage(t *testing.T) {
	tests := []struct {
		code                      string
		queue, cancelled, refused string
	}{
		{"en", "Queue · 1–3 of 3", "Post #1 cancelled.", "Sorry, this is for the newsroom's editors"},
		{"az", "Növbə · 1–3 / 3", "#1 yazısı ləğv edildi.", "Bağışlayın, bu, yalnız redaksiyanın redaktorları üçündür"},
		{"ru", "Очередь · 1–3 из 3", "Публикация #1 отменена.", "Извините, это только для редакторов"},
		{"ru-RU", "Очередь", "Публикация #1 отменена.", "Извините"},
		{"AZ", "Növbə", "#1 yazısı ləğv edildi.", "Bağışlayın"},
		{"de", "Queue · 1–3 of 3", "Post #1 cancelled.", "Sorry, this is for the newsroom's editors"},
		{"tr", "Queue", "Post #1 cancelled.", "Sorry"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			if got := r.say(editorID, tt.code, "/queue", 1)[0]; !strings.Contains(got.Text, tt.queue) {
				t.Errorf("/queue in %s: %q, want %q", tt.code, got.Text, tt.queue)
			}
			if got := r.say(ownerID, tt.code, "/cancel 1", 1)[0]; got.Text != tt.cancelled {
				t.Errorf("/cancel in %s: %q, want %q", tt.code, got.Text, tt.cancelled)
			}
			if got := r.say(strangerID, tt.code, "/queue", 1)[0]; !strings.HasPrefix(got.Text, tt.refused) {
				t.Errorf("a stranger's /queue in %s: %q, want %q", tt.code, got.Text, tt.refused)
			}
		})
	}
}

func TestCommandMenusAreScoped(t *testing.T) {
	r := newRig(t)
	names := func(cmds []models.BotCommand) []string {
		var out []string
		for _, c := range cmds {
			out = append(out, c.Command)
		}
		return out
	}
	if got := names(r.srv.Commands(telegramtest.CommandScope{Type: "all_private_chats"}, "")); !slices.Equal(got, []string{"start", "help"}) {
		t.Errorf("readers' menu in private chats: %q, want start and help", got)
	}
	editorMenu := []string{"queue", "schedule", "reschedule", "postnow", "cancel", "articles", "article",
		"channels", "pause", "resume", "unknown", "failed", "editors", "audit", "desk", "edit", "filter", "approval", "help"}
	for _, who := range []int64{ownerID, editorID} {
		got := names(r.srv.Commands(telegramtest.CommandScope{Type: "chat", ChatID: who}, ""))
		if !slices.Equal(got, editorMenu) {
			t.Errorf("menu in %d's chat: %q, want the editors' %q", who, got, editorMenu)
		}
	}
	r.say(strangerID, "en", "/start", 1)
	if got := r.srv.Commands(telegramtest.CommandScope{Type: "chat", ChatID: strangerID}, ""); got != nil {
		t.Errorf("a stranger has a menu of their own: %q", names(got))
	}
	r.say(ownerID, "en", "/editor remove 2002", 1)
	if got := r.srv.Commands(telegramtest.CommandScope{Type: "chat", ChatID: editorID}, ""); got != nil {
		t.Errorf("a removed editor keeps the editors' menu: %q", names(got))
	}
}

func TestAStrangerHammeringTheBotFillsOneAuditEntry(t *testing.T) {
	r := newRig(t)
	r.say(ownerID, "en", "/cancel 1", 1)
	for range 12 {
		r.say(strangerID, "en", "/queue", 1)
	}
	es := r.audit()
	if refusedCount(es, strangerID) != 12 {
		t.Fatalf("%d refusals counted, want 12", refusedCount(es, strangerID))
	}
	rows := 0
	for _, e := range es {
		if e.UserID == strangerID {
			rows++
		}
	}
	if rows != 1 {
		t.Errorf("%d audit entries for one stranger's 12 attempts, want 1", rows)
	}
	got := r.say(ownerID, "en", "/audit", 1)[0].Text
	if !strings.Contains(got, "refused ×12, until") || !strings.Contains(got, "cancel #1") {
		t.Errorf("/audit shows:\n%s\nwant the refusals counted and the owner's cancel in view", got)
	}
}
