package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// Chats and people of the review rig.
const (
	rvChannel = -1001 // the channel, in English
	rvGroup   = -1002 // its discussion group
	rvOwner   = 1001
	rvReader  = 3003
)

// rvLogs is the bot's log, kept for tests to read.
type rvLogs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *rvLogs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *rvLogs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// reviewRig is a channel with a discussion group on the fake, one article
// posted there through the Publisher, and a bot polling.
type reviewRig struct {
	t       *testing.T
	ctx     context.Context
	srv     *telegramtest.Server
	st      *store.Store
	b       *bot.Bot
	logs    *rvLogs
	ch      *herald.Channel
	article *herald.Article
	post    *store.PostRow
	stop    func() // stops the bot's polling and waits for it
}

func newReviewRig(t *testing.T) *reviewRig {
	t.Helper()
	r := &reviewRig{t: t, ctx: testCtx(t), logs: &rvLogs{}}
	r.srv = telegramtest.NewTestServer(t, telegramtest.WithToken(testToken),
		telegramtest.WithBotUsername("herald_test_bot"), telegramtest.WithoutLimits())
	if err := r.srv.AddChat(telegramtest.Chat{ID: rvChannel, Type: "channel", Title: "DQ English",
		BotRights: telegramtest.RightsAdmin, LinkedChatID: rvGroup}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.st = st
	r.ch = r.addChannel(fmt.Sprint(rvChannel), herald.LangEnglish)
	r.article = r.addArticle("Afterword to <Blinken's> call")
	r.newBot()

	// The post goes out as the dispatcher sends it: planned, claimed,
	// published through the bot, marked sent.
	r.post = &store.PostRow{Post: herald.Post{ArticleID: r.article.ID, ChannelID: r.ch.ID,
		Purpose: herald.PurposePublish, ScheduledAt: time.Now()}}
	if _, err := st.PlanPost(r.ctx, r.post); err != nil {
		t.Fatal(err)
	}
	if ok, err := st.ClaimPost(r.ctx, r.post.ID, time.Now().Add(time.Minute)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	rec, err := r.b.Publisher().Publish(r.ctx, scheduler.Delivery{Post: &r.post.Post, Article: r.article, Channel: r.ch})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.MarkSent(r.ctx, r.post.ID, rec.MessageID, nil, r.article.ContentHash); err != nil {
		t.Fatal(err)
	}
	r.post.MessageID = rec.MessageID
	r.startPolling()
	// The bot hears the post's automatic forward into the group.
	r.waitFor("the post's copy in the discussion group", func() bool {
		_, err := st.PostByCopy(r.ctx, rvGroup, int64(r.forward().ID))
		return err == nil
	})
	return r
}

func (r *reviewRig) addChannel(chat string, lang herald.Language) *herald.Channel {
	r.t.Helper()
	ch := &herald.Channel{Network: "telegram", Chat: chat, Title: "DQ " + string(lang), Language: lang,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := r.st.CreateChannel(r.ctx, ch); err != nil {
		r.t.Fatal(err)
	}
	return ch
}

func (r *reviewRig) addArticle(title string) *herald.Article {
	r.t.Helper()
	a := &herald.Article{Source: "file", ExternalID: "https://example.org/a/" + title, Kind: herald.KindCommentary,
		Language: herald.LangEnglish, Title: title, Lead: "The lead & more.", Body: "One.\n\nTwo.",
		Program: herald.ProgramDifficultQuestion, URL: "https://example.org/a/1"}
	if _, err := r.st.UpsertArticle(r.ctx, a); err != nil {
		r.t.Fatal(err)
	}
	return a
}

// startBot starts a new bot on the rig's store, polling until stop.
func (r *reviewRig) startBot() {
	r.newBot()
	r.startPolling()
}

// newBot makes a new bot on the rig's store.
func (r *reviewRig) newBot() {
	r.t.Helper()
	now := time.Now
	b, err := bot.New(r.ctx, bot.Config{Token: testToken, APIURL: r.srv.URL(), Store: r.st, Owners: []int64{rvOwner},
		Queue: &scheduler.Queue{Store: r.st, Now: now, Watcher: &scheduler.Watcher{Store: r.st, Zone: "Asia/Baku", Now: now}},
		Log:   slog.New(slog.NewTextHandler(r.logs, nil)), PollTimeout: time.Second})
	if err != nil {
		r.t.Fatal(err)
	}
	r.b = b
}

// startPolling starts the bot's update loop, until stop.
func (r *reviewRig) startPolling() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.b.Start(ctx) }()
	var once sync.Once
	r.stop = func() { once.Do(func() { cancel(); <-done }) }
	r.t.Cleanup(r.stop)
}

// forward is the post's automatic forward in the discussion group.
func (r *reviewRig) forward() telegramtest.Message {
	for _, m := range r.srv.Messages(rvGroup) {
		if m.IsAutomaticForward && m.ForwardFromMessageID == int(r.post.MessageID) {
			return m
		}
	}
	r.t.Fatal("the post has no automatic forward in the discussion group")
	return telegramtest.Message{}
}

// waitFor waits until cond holds; it is checked on every change the fake
// sees, the bot's polls included.
func (r *reviewRig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	if err := r.srv.WaitUntil(r.ctx, cond); err != nil {
		r.t.Fatalf("waiting for %s: %v\nlog:\n%s", what, err, r.logs.String())
	}
}

// say sends text from a user in their private chat and returns the first
// message the bot sends afterwards containing want.
func (r *reviewRig) say(user int64, lang, text, want string) telegramtest.Message {
	r.t.Helper()
	n := len(r.botMessages(user))
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: user, Text: text, LanguageCode: lang,
		FirstName: "Leyla", LastName: "M."}); err != nil {
		r.t.Fatal(err)
	}
	return r.await(user, n, want)
}

// await waits for a bot message in chat, from the n-th on, containing want.
func (r *reviewRig) await(chat int64, n int, want string) telegramtest.Message {
	r.t.Helper()
	var got telegramtest.Message
	r.waitFor(fmt.Sprintf("a message to %d containing %q", chat, want), func() bool {
		msgs := r.botMessages(chat)
		for _, m := range msgs[min(n, len(msgs)):] {
			if strings.Contains(m.Text, want) {
				got = m
				return true
			}
		}
		return false
	})
	return got
}

func (r *reviewRig) botMessages(chat int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range r.srv.Messages(chat) {
		if m.From != nil && m.From.IsBot {
			out = append(out, m)
		}
	}
	return out
}

// press presses the button whose text contains label under m, as user, and
// returns the first bot message afterwards containing want.
func (r *reviewRig) press(user int64, m telegramtest.Message, label, want string) telegramtest.Message {
	r.t.Helper()
	data := ""
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if strings.Contains(b.Text, label) && data == "" {
					data = b.CallbackData
				}
			}
		}
	}
	if data == "" {
		r.t.Fatalf("no button %q under %q", label, m.Text)
	}
	n := len(r.botMessages(m.ChatID))
	if _, err := r.srv.Press(telegramtest.Press{UserID: user, ChatID: m.ChatID, MessageID: m.ID, Data: data}); err != nil {
		r.t.Fatal(err)
	}
	if want == "" {
		return telegramtest.Message{}
	}
	return r.await(m.ChatID, n, want)
}

// review returns the one review of the article by user, failing when there
// is not exactly one.
func (r *reviewRig) review(user, article int64) *herald.Review {
	r.t.Helper()
	got, err := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: user, ArticleID: article})
	if err != nil || len(got) != 1 {
		r.t.Fatalf("reviews of article %d by %d: %d, %v", article, user, len(got), err)
	}
	return got[0]
}

func (r *reviewRig) payload(a *herald.Article, ch *herald.Channel) string {
	return bot.ReviewPayload(a.ID, ch.ID)
}

// rate opens the article's deep link as user and presses the stars,
// returning the comment prompt.
func (r *reviewRig) rate(user int64, a *herald.Article, stars int) telegramtest.Message {
	r.t.Helper()
	ask := r.say(user, "en", "/start "+r.payload(a, r.ch), "rate")
	return r.press(user, ask, fmt.Sprintf("%d ⭐", stars), "add a few words")
}

func TestAReaderRatesAndCommentsFromThePostsDeepLink(t *testing.T) {
	r := newReviewRig(t)
	post := r.srv.Messages(rvChannel)[0]
	link := "https://t.me/herald_test_bot?start=" + r.payload(r.article, r.ch)
	if !strings.Contains(post.SentText, link) {
		t.Fatalf("the channel post has no deep link %s: %q", link, post.SentText)
	}

	ask := r.say(rvReader, "en", "/start "+r.payload(r.article, r.ch), "How would you rate it?")
	if !strings.Contains(ask.Text, "Afterword to <Blinken's> call") {
		t.Errorf("the prompt does not name the article: %q", ask.Text)
	}
	var stars []string
	for _, row := range ask.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			stars = append(stars, b.Text)
		}
	}
	if strings.Join(stars, "|") != "1 ⭐|2 ⭐|3 ⭐|4 ⭐|5 ⭐" {
		t.Fatalf("rating buttons %q, want one to five", stars)
	}

	prompt := r.press(rvReader, ask, "4 ⭐", "add a few words")
	if !hasButton(prompt, "Skip") {
		t.Fatalf("the comment prompt has no Skip button: %+v", prompt.ReplyMarkup)
	}
	rated := r.srv.Messages(rvReader)[ask.ID-1]
	if !strings.Contains(rated.Text, "Your rating: ⭐⭐⭐⭐") || rated.ReplyMarkup != nil && len(rated.ReplyMarkup.InlineKeyboard) > 0 {
		t.Errorf("the rating message was not turned into the rating given: %q %+v", rated.Text, rated.ReplyMarkup)
	}
	if got := r.review(rvReader, r.article.ID); got.Rating != 4 || got.Text != "" {
		t.Errorf("after the press: %+v", got)
	}

	thanks := r.say(rvReader, "en", "Sharp analysis of the call and its context", "Thank you")
	if !strings.Contains(thanks.Text, "open the “Leave a review” link under the post again") {
		t.Errorf("the thanks does not say how to change the review: %q", thanks.Text)
	}
	got := r.review(rvReader, r.article.ID)
	if got.Rating != 4 || got.Text != "Sharp analysis of the call and its context" || got.Source != herald.ReviewDM ||
		got.Status != herald.ReviewPending || got.UserName != "Leyla M." || got.ChannelID != r.ch.ID {
		t.Errorf("stored review %+v", got)
	}
	if s, _ := r.st.Session(r.ctx, rvReader); s != nil {
		t.Errorf("the conversation was not ended: %+v", s)
	}
}

func hasButton(m telegramtest.Message, label string) bool {
	if m.ReplyMarkup == nil {
		return false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.Contains(b.Text, label) {
				return true
			}
		}
	}
	return false
}

func TestASecondReviewUpdatesTheFirstAndSkipKeepsTheRatingAndWords(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 4)
	r.say(rvReader, "en", "Sharp analysis of the call", "Thank you")
	first := r.review(rvReader, r.article.ID)

	again := r.say(rvReader, "en", "/start "+r.payload(r.article, r.ch), "You rated")
	if !strings.Contains(again.Text, "4 of 5 before") {
		t.Errorf("the second visit does not recall the rating: %q", again.Text)
	}
	prompt := r.press(rvReader, again, "2 ⭐", "add a few words")
	r.press(rvReader, prompt, "Skip", "your rating has reached the newsroom")
	got := r.review(rvReader, r.article.ID)
	if got.ID != first.ID || got.Rating != 2 || got.Text != "Sharp analysis of the call" {
		t.Errorf("after changing the rating and skipping: %+v (first %+v)", got, first)
	}
	if !got.UpdatedAt.After(first.UpdatedAt) && !got.UpdatedAt.Equal(first.UpdatedAt) || !got.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("times: created %v→%v, updated %v→%v", first.CreatedAt, got.CreatedAt, first.UpdatedAt, got.UpdatedAt)
	}

	r.rate(rvReader, r.article, 5)
	r.say(rvReader, "en", "On reflection, the best of the week", "Thank you")
	if got := r.review(rvReader, r.article.ID); got.Rating != 5 || got.Text != "On reflection, the best of the week" {
		t.Errorf("after a new comment: %+v", got)
	}
}

func TestARestartInTheMiddleOfAReviewLosesNothing(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 3)
	r.stop()
	r.startBot() // a new process on the same database
	r.say(rvReader, "en", "Written after the restart", "Thank you")
	if got := r.review(rvReader, r.article.ID); got.Rating != 3 || got.Text != "Written after the restart" {
		t.Errorf("after a restart mid-flow: %+v", got)
	}
}

func TestBadLinksGetAFriendlyAnswer(t *testing.T) {
	r := newReviewRig(t)
	gone := r.addArticle("Withdrawn piece")
	if err := r.st.SetArticleStatus(r.ctx, gone.ID, herald.ArticleUnpublished); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		payload string
		want    string
	}{
		{"a malformed payload", "hello", "doesn't lead to a piece I can find"},
		{"a payload too long for Telegram", "r1_" + strings.Repeat("1", 80), "doesn't lead to a piece I can find"},
		{"an unknown article", bot.ReviewPayload(99999, r.ch.ID), "doesn't lead to a piece I can find"},
		{"an unpublished article", bot.ReviewPayload(gone.ID, r.ch.ID), "no longer published"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := int64(7000 + i)
			got := r.say(user, "en", "/start "+tt.payload, tt.want)
			if got.ReplyMarkup != nil && len(got.ReplyMarkup.InlineKeyboard) > 0 {
				t.Errorf("a bad link got buttons: %+v", got.ReplyMarkup)
			}
		})
	}
	if strings.Contains(r.logs.String(), "level=ERROR") {
		t.Errorf("bad links were logged as errors:\n%s", r.logs.String())
	}
}

func TestTheFlowSpeaksTheReadersLanguageElseTheChannels(t *testing.T) {
	r := newReviewRig(t)
	az := r.addChannel("@dq_az", herald.LangAzerbaijani)
	tests := []struct {
		name    string
		lang    string
		channel *herald.Channel
		want    string
		skip    string
	}{
		{"an Azerbaijani reader", "az", r.ch, "Birdən beşə qədər ulduz seçin", "Keç"},
		{"a Russian reader", "ru-RU", r.ch, "Выберите от одной до пяти звёзд", "Пропустить"},
		{"an English reader", "en", az, "Choose from one star to five", "Skip"},
		{"a German reader on an Azerbaijani channel", "de", az, "Birdən beşə qədər ulduz seçin", "Keç"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := int64(8000 + i)
			ask := r.say(user, tt.lang, "/start "+bot.ReviewPayload(r.article.ID, tt.channel.ID), tt.want)
			r.press(user, ask, "5 ⭐", "")
			r.waitFor("the comment prompt", func() bool {
				for _, m := range r.botMessages(user) {
					if hasButton(m, tt.skip) {
						return true
					}
				}
				return false
			})
		})
	}
}

func TestATooLongCommentIsKeptAsADraftAndAShorterOneAccepted(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 4)
	long := strings.Repeat("word ", 420) + "end" // 2,103 characters
	got := r.say(rvReader, "en", long, "a little long")
	if !strings.Contains(got.Text, "2103 characters") || !strings.Contains(got.Text, "up to 2000") {
		t.Errorf("the request to shorten: %q", got.Text)
	}
	s, err := r.st.Session(r.ctx, rvReader)
	if err != nil || s == nil || s.Draft != long || s.Step != "comment" {
		t.Fatalf("the draft was not kept: %+v %v", s, err)
	}
	if rv := r.review(rvReader, r.article.ID); rv.Text != "" {
		t.Errorf("the long text was stored: %d characters", len(rv.Text))
	}
	r.say(rvReader, "en", "Shorter: a good piece.", "Thank you")
	if rv := r.review(rvReader, r.article.ID); rv.Text != "Shorter: a good piece." || rv.Rating != 4 {
		t.Errorf("after shortening: %+v", rv)
	}
}

func TestControlCharactersAreStripped(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 5)
	r.say(rvReader, "en", "\u200bGood\u0007 piece,\u0000 well\u001b[31m sourced\ufeff\nSecond line ", "Thank you")
	if got := r.review(rvReader, r.article.ID).Text; got != "Good piece, well[31m sourced\nSecond line" {
		t.Errorf("stored %q", got)
	}
}

func TestTheSixthNewReviewInTenMinutesIsPolitelyRefused(t *testing.T) {
	r := newReviewRig(t)
	var arts []*herald.Article
	for i := range 6 {
		arts = append(arts, r.addArticle(fmt.Sprintf("Piece number %d", i+1)))
	}
	for _, a := range arts[:5] {
		r.rate(rvReader, a, 4)
	}
	ask := r.say(rvReader, "en", "/start "+r.payload(arts[5], r.ch), "rate")
	r.press(rvReader, ask, "4 ⭐", "Please come back a little later")
	if got, _ := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: rvReader, ArticleID: arts[5].ID}); len(got) != 0 {
		t.Errorf("the review over the limit was stored: %+v", got[0])
	}
	// Changing a review already written is no new review.
	r.rate(rvReader, arts[4], 2)
	r.say(rvReader, "en", "Words for the fifth piece", "Thank you")
	if got := r.review(rvReader, arts[4].ID); got.Text != "Words for the fifth piece" {
		t.Errorf("the comment on a rated piece was refused: %+v", got)
	}
}

func TestTheSameLongTextOnAnotherArticleIsFlaggedAsSpam(t *testing.T) {
	r := newReviewRig(t)
	other := r.addArticle("Another piece")
	const pasted = "Visit my channel for the real truth about everything!"
	r.rate(rvReader, r.article, 1)
	r.say(rvReader, "en", pasted, "Thank you")
	r.rate(rvReader, other, 1)
	r.say(rvReader, "en", strings.ToUpper(pasted), "Thank you")
	if got := r.review(rvReader, r.article.ID); got.Spam {
		t.Errorf("the first text was flagged: %+v", got)
	}
	if got := r.review(rvReader, other.ID); !got.Spam || got.Status != herald.ReviewPending {
		t.Errorf("the pasted text was not flagged: %+v", got)
	}
	// Short common phrases are no spam.
	r.rate(4004, r.article, 5)
	r.say(4004, "en", "Thank you!", "Thank you")
	r.rate(4004, other, 5)
	r.say(4004, "en", "Thank you!", "Thank you")
	if got := r.review(4004, other.ID); got.Spam {
		t.Errorf("a short phrase was flagged: %+v", got)
	}
}

func TestABannedReadersReviewsAreDroppedQuietly(t *testing.T) {
	r := newReviewRig(t)
	if err := r.st.Ban(r.ctx, rvReader, rvOwner); err != nil {
		t.Fatal(err)
	}
	r.rate(rvReader, r.article, 5)
	r.say(rvReader, "en", "Buy followers at my site", "Thank you")
	if got, _ := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: rvReader}); len(got) != 0 {
		t.Errorf("a banned reader's review was stored: %+v", got[0])
	}
}

func TestForgetMeDeletesTheReadersReviews(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 5)
	r.say(rvReader, "en", "A comment to forget", "Thank you")
	r.rate(4004, r.article, 3)
	r.say(rvReader, "en", "/forgetme", "1 of your reviews were deleted")
	if got, _ := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: rvReader}); len(got) != 0 {
		t.Errorf("after /forgetme: %d reviews", len(got))
	}
	if got, _ := r.st.Reviews(r.ctx, store.ReviewFilter{UserID: 4004}); len(got) != 1 {
		t.Errorf("another reader's review went too: %d", len(got))
	}
	r.say(rvReader, "en", "/forgetme", "keeps no reviews of yours")
}

func TestAThousandReadersReviewingAtOnceAreAllKept(t *testing.T) {
	logs := &rvLogs{}
	st, articleID := intakeStore(t, t.TempDir())
	srv := telegramtest.NewTestServer(t, telegramtest.WithToken(testToken), telegramtest.WithBotUsername("herald_test_bot"))
	b, err := bot.New(testCtx(t), bot.Config{Token: testToken, APIURL: srv.URL(), Store: st,
		Log: slog.New(slog.NewTextHandler(logs, nil)), PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	const readers = 1000
	updates := rvDecode(t, intakeUpdates(t, readers))
	ctx := testCtx(t)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, u := range updates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			b.HandleUpdate(ctx, u)
		}()
	}
	close(start)
	wg.Wait()
	got, err := st.Reviews(ctx, store.ReviewFilter{ArticleID: articleID})
	if err != nil || len(got) != readers {
		t.Fatalf("%d reviews stored of %d (%v)\nlog:\n%s", len(got), readers, err, rvTail(logs.String()))
	}
	users := map[int64]bool{}
	for _, rv := range got {
		users[rv.UserID] = true
	}
	if len(users) != readers {
		t.Errorf("%d distinct readers among %d reviews", len(users), readers)
	}
	for _, bad := range []string{"SQLITE_BUSY", "database is locked", "level=ERROR"} {
		if strings.Contains(logs.String(), bad) {
			t.Errorf("the log has %q:\n%s", bad, rvTail(logs.String()))
		}
	}
}

func rvTail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

func TestALaneTakesARunOfCommentsWithEveryRuleApplied(t *testing.T) {
	ctx := testCtx(t)
	logs := &rvLogs{}
	st, articleID := intakeStore(t, t.TempDir())
	const banned, busy = 500_003, 500_006
	if err := st.Ban(ctx, banned, 1); err != nil {
		t.Fatal(err)
	}
	// The busy reader wrote as many reviews as the limit allows, on other
	// articles, just now.
	for i := range 5 {
		a := &herald.Article{Source: "file", ExternalID: fmt.Sprint("https://example.org/other/", i), Kind: herald.KindNews,
			Language: herald.LangEnglish, Title: "Another", Lead: "L", Body: "B", URL: fmt.Sprint("https://example.org/other/", i)}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveReview(ctx, &herald.Review{ArticleID: a.ID, UserID: busy, Rating: 3, Source: herald.ReviewDM,
			Status: herald.ReviewPending}); err != nil {
			t.Fatal(err)
		}
	}
	srv := telegramtest.NewTestServer(t, telegramtest.WithToken(testToken), telegramtest.WithBotUsername("herald_test_bot"))
	// Ten comments in one discussion group, all there before the bot's
	// first poll: one lane takes them in a run.
	const n = 10
	for _, raw := range intakeUpdates(t, n) {
		if _, err := srv.InjectUpdate(json.RawMessage(raw)); err != nil {
			t.Fatal(err)
		}
	}
	b, err := bot.New(ctx, bot.Config{Token: testToken, APIURL: srv.URL(), Store: st,
		Log: slog.New(slog.NewTextHandler(logs, nil)), PollTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	bctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.Start(bctx) }()
	defer func() {
		stop()
		<-done
	}()
	want := map[int64]bool{}
	for i := range n {
		if u := int64(500_000 + i); u != banned && u != busy {
			want[u] = true
		}
	}
	if err := srv.WaitUntil(ctx, func() bool {
		pending, err := st.PendingUpdates(ctx)
		return err == nil && len(pending) == 0 && strings.Count(logs.String(), "review over the rate limit dropped") == 1
	}); err != nil {
		t.Fatalf("the run was not taken: %v\n%s", err, rvTail(logs.String()))
	}
	got, err := st.Reviews(ctx, store.ReviewFilter{ArticleID: articleID})
	if err != nil || len(got) != len(want) {
		t.Fatalf("%d reviews stored, want %d (%v)\n%s", len(got), len(want), err, rvTail(logs.String()))
	}
	for _, rv := range got {
		if !want[rv.UserID] || rv.Source != herald.ReviewComment || rv.Status != herald.ReviewPending || rv.Spam ||
			rv.Text != intakeText(int(rv.UserID-500_000)) || rv.Language != herald.LangEnglish {
			t.Errorf("review %+v", rv)
		}
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the log has errors:\n%s", rvTail(logs.String()))
	}
}
