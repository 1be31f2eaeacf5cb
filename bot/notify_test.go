package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// noticeRig is a store with posts, a fake Telegram with the owners who
// started the bot, and a way to run bots on them one after another.
type noticeRig struct {
	t      *testing.T
	srv    *telegramtest.Server
	st     *store.Store
	ch     *herald.Channel
	posts  []*store.PostRow
	titles []string
	owners []int64
}

func newNoticeRig(t *testing.T, owners []int64, started ...int64) *noticeRig {
	t.Helper()
	srv := telegramtest.NewTestServer(t, telegramtest.WithToken(testToken), telegramtest.WithBotUsername("herald_test_bot"))
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := testCtx(t)
	ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: "-1001", Title: "DQ English", Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditKeep, OnUnpublish: herald.OnUnpublishKeep}
	if err := st.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	r := &noticeRig{t: t, srv: srv, st: st, ch: ch, owners: owners}
	for i := range 10 {
		title := fmt.Sprintf("Quay %02d: the council reviews the harbour budget", i+1)
		a := &herald.Article{Source: "test", ExternalID: fmt.Sprint(i), Kind: herald.KindNews, Language: herald.LangEnglish,
			Title: title, Body: "Body.", PublishedAt: time.Now()}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: time.Now()}}
		if _, err := st.PlanPost(ctx, p); err != nil {
			t.Fatal(err)
		}
		r.posts, r.titles = append(r.posts, p), append(r.titles, title)
	}
	if err := st.SyncOwners(ctx, owners); err != nil {
		t.Fatal(err)
	}
	for _, o := range started {
		if _, err := srv.UserSends(telegramtest.UserMessage{UserID: o, Text: "/start", FirstName: "Owner"}); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// run starts a bot on the rig and returns a function that stops it.
func (r *noticeRig) run() (*bot.Bot, func()) {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	b, err := bot.New(ctx, bot.Config{Token: testToken, APIURL: r.srv.URL(), Store: r.st, Owners: r.owners, PollTimeout: time.Second})
	if err != nil {
		r.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	return b, func() { cancel(); <-done }
}

func (r *noticeRig) unknown(b *bot.Bot, i int, reason string) {
	p := r.posts[i].Post
	p.Attempts = 1
	b.Notify(context.Background(), scheduler.Event{Kind: scheduler.EventPostUnknown, Post: &p,
		Article: &herald.Article{ID: p.ArticleID, Title: r.titles[i]}, Channel: r.ch, Reason: reason})
}

// named counts the bot's messages to user that name post i by number.
func (r *noticeRig) named(user int64, i int) int {
	mark := regexp.MustCompile(fmt.Sprintf(`#%d\b`, r.posts[i].ID))
	n := 0
	for _, m := range r.srv.Messages(user) {
		if m.From != nil && m.From.IsBot && mark.MatchString(m.Text) {
			n++
		}
	}
	return n
}

func (r *noticeRig) waitCounts(want store.NoticeCounts) {
	r.t.Helper()
	err := r.srv.WaitUntil(testCtx(r.t), func() bool {
		got, err := r.st.CountNotices(context.Background())
		return err == nil && got == want
	})
	if err != nil {
		got, _ := r.st.CountNotices(context.Background())
		r.t.Fatalf("notices %+v, want %+v", got, want)
	}
}

func TestABurstOfUnknownPostsReachesEachOwnerInOneMessageWithTheirTitles(t *testing.T) {
	r := newNoticeRig(t, []int64{5001, 5002}, 5001, 5002)
	b, stop := r.run()
	defer stop()
	for i := range r.posts {
		r.unknown(b, i, "connection dropped after the request was written")
	}
	r.waitCounts(store.NoticeCounts{Owed: 20, Delivered: 20})
	for _, o := range r.owners {
		var bots []telegramtest.Message
		for _, m := range r.srv.Messages(o) {
			if m.From != nil && m.From.IsBot {
				bots = append(bots, m)
			}
		}
		if len(bots) > 3 { // the answer to /start, and the burst in one or two
			t.Errorf("owner %d got %d messages for one burst, want it coalesced", o, len(bots))
		}
		all := ""
		for _, m := range bots {
			all += m.Text + "\n"
		}
		for i, title := range r.titles {
			if r.named(o, i) != 1 || !strings.Contains(all, title) {
				t.Errorf("owner %d: post #%d (%q) named %d times, title shown %v", o, r.posts[i].ID, title, r.named(o, i), strings.Contains(all, title))
			}
		}
		if !strings.Contains(all, "10 posts may or may not have gone out") {
			t.Errorf("owner %d was told:\n%s", o, all)
		}
		if m := bots[len(bots)-1]; m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) == 0 ||
			!strings.HasPrefix(m.ReplyMarkup.InlineKeyboard[0][0].CallbackData, "h1:u:") {
			t.Errorf("no button to settle the posts under %q: %+v", m.Text, m.ReplyMarkup)
		}
	}
	if st := r.srv.Stats(); st.EarlyRetries != 0 {
		t.Errorf("%d early retries", st.EarlyRetries)
	}
}

func TestANoticeHeldBy429IsSentAfterRetryAfterNotDropped(t *testing.T) {
	r := newNoticeRig(t, []int64{5001}, 5001)
	if err := r.srv.InjectFault(telegramtest.Fault{Method: "sendMessage", ChatID: 5001, RetryAfter: 2, Count: 3}); err != nil {
		t.Fatal(err)
	}
	b, stop := r.run()
	defer stop()
	r.unknown(b, 0, "EOF")
	r.waitCounts(store.NoticeCounts{Owed: 1, Delivered: 1})
	if r.named(5001, 0) != 1 {
		t.Errorf("post named %d times", r.named(5001, 0))
	}
	if st := r.srv.Stats(); st.EarlyRetries != 0 {
		t.Errorf("%d requests before retry_after passed: %+v", st.EarlyRetries, st.Early)
	}
}

func TestAnOwnerWhoNeverStartedTheBotIsCountedUnreachable(t *testing.T) {
	r := newNoticeRig(t, []int64{5001, 5002}, 5001) // 5002 never wrote to the bot
	b, stop := r.run()
	defer stop()
	r.unknown(b, 0, "EOF")
	r.waitCounts(store.NoticeCounts{Owed: 2, Delivered: 1, Unreachable: 1})
}

func TestANoticeOwedAtAStopIsSentAfterTheRestartOnce(t *testing.T) {
	r := newNoticeRig(t, []int64{5001}, 5001)
	// Stored by a herald that stopped before it could tell anyone.
	b, err := bot.New(testCtx(t), bot.Config{Token: testToken, APIURL: r.srv.URL(), Store: r.st, Owners: r.owners})
	if err != nil {
		t.Fatal(err)
	}
	r.unknown(b, 3, "herald stopped while sending")
	if r.named(5001, 3) != 0 {
		t.Fatal("told before any sender ran")
	}
	_, stop := r.run()
	r.waitCounts(store.NoticeCounts{Owed: 1, Delivered: 1})
	stop()
	_, stop = r.run()
	defer stop()
	// Another start, and another notice to wait for: the first is not
	// repeated meanwhile.
	b2, _ := bot.New(testCtx(t), bot.Config{Token: testToken, APIURL: r.srv.URL(), Store: r.st, Owners: r.owners})
	r.unknown(b2, 4, "EOF")
	r.waitCounts(store.NoticeCounts{Owed: 2, Delivered: 2})
	if n := r.named(5001, 3); n != 1 {
		t.Errorf("the notice owed before the restart was sent %d times", n)
	}
}
