package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// sentCounter is an Observer that closes done once want posts went out.
type sentCounter struct {
	mu   sync.Mutex
	n    int
	want int
	done chan struct{}
}

func (c *sentCounter) Sent(*herald.Channel, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	if c.n == c.want {
		close(c.done)
	}
}

func (c *sentCounter) Failed(*herald.Channel, scheduler.Failure) {}

// TestEachChatGetsItsPostsInPlannedOrder sends many posts with equal
// planned times over several channels, through the real go-telegram/bot
// client to telegramtest, with 502s on the first sends of two chats, and
// checks every chat message id by message id: posts must leave in the
// order of (planned time, post id), retries included.
func TestEachChatGetsItsPostsInPlannedOrder(t *testing.T) {
	const chats, perChat, scale = 5, 24, 100
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fake := telegramtest.NewTestServer(t, telegramtest.WithScale(scale))
	var channels []*herald.Channel
	for i := range chats {
		id := int64(-1005000 - i)
		if err := fake.AddChat(telegramtest.Chat{ID: id, Type: "channel", Title: "Order " + strconv.Itoa(i), BotRights: telegramtest.RightsAdmin}); err != nil {
			t.Fatal(err)
		}
		ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: strconv.FormatInt(id, 10), Title: "Order " + strconv.Itoa(i),
			Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent,
			ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditKeep, OnUnpublish: herald.OnUnpublishKeep}
		if err := st.CreateChannel(ctx, ch); err != nil {
			t.Fatal(err)
		}
		channels = append(channels, ch)
	}
	// Article k goes to every channel, so that a chat's post ids interleave
	// with the others'; times repeat in runs of four, and the ids break ties.
	base := time.Now().Add(-time.Minute).Truncate(time.Millisecond)
	for k := range perChat {
		a := &herald.Article{Source: "order", ExternalID: fmt.Sprintf("o-%d", k), Kind: herald.KindNews, Language: herald.LangEnglish,
			Title: fmt.Sprintf("Order %02d", k), Body: "Body.", PublishedAt: base}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		for _, ch := range channels {
			// Later articles planned earlier in some chats: order follows the time, not the id.
			at := base.Add(time.Duration(k/4) * time.Millisecond)
			if ch == channels[1] && k%8 == 7 {
				at = base.Add(-time.Millisecond)
			}
			p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
				State: herald.PostScheduled, ScheduledAt: at}}
			if _, err := st.PlanPost(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range []telegramtest.Fault{{Method: "sendMessage", ChatID: -1005001, Status: 502, Count: 2},
		{Method: "sendMessage", ChatID: -1005003, Status: 502}} {
		if err := fake.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	b, err := bot.New(ctx, bot.Config{Token: fake.Token(), APIURL: fake.URL(), Store: st})
	if err != nil {
		t.Fatal(err)
	}
	obs := &sentCounter{want: chats * perChat, done: make(chan struct{})}
	d := &scheduler.Dispatcher{Store: st, Publisher: b.Publisher(), Observer: obs, Exclusive: true,
		Limits: scheduler.TelegramLimits(scale), RetryBackoff: 20 * time.Millisecond}
	dctx, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- d.Start(dctx) }()
	select {
	case <-obs.done:
	case <-ctx.Done():
		t.Errorf("only %d of %d posts sent", obs.n, obs.want)
	}
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}

	for _, ch := range channels {
		ps, err := st.Posts(ctx, store.PostFilter{ChannelID: ch.ID})
		if err != nil {
			t.Fatal(err)
		}
		// Posts returns them by (scheduled_at, id): the order they must leave in.
		var ids []int64
		for _, p := range ps {
			if p.State != herald.PostSent {
				t.Fatalf("chat %s: post %d is %s", ch.Chat, p.ID, p.State)
			}
			ids = append(ids, p.MessageID)
		}
		if !slices.IsSorted(ids) {
			for i := 1; i < len(ids); i++ {
				if ids[i] < ids[i-1] {
					t.Errorf("chat %s: post %d (planned %s) got message %d, ahead of post %d (planned %s, message %d)", ch.Chat,
						ps[i].ID, ps[i].ScheduledAt.Format("15:04:05.000"), ids[i], ps[i-1].ID, ps[i-1].ScheduledAt.Format("15:04:05.000"), ids[i-1])
					break
				}
			}
		}
		msgs := fake.Messages(mustChatID(t, ch.Chat))
		if len(msgs) != perChat {
			t.Errorf("chat %s holds %d messages, want %d (each post once)", ch.Chat, len(msgs), perChat)
		}
	}
	if st := fake.Stats(); st.TooManyRequests != 0 {
		t.Errorf("the fake answered 429 %d times", st.TooManyRequests)
	}
}

func mustChatID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(errors.New("chat id " + s))
	}
	return n
}
