package bot_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// runWithQueue starts a bot on the rig whose editors act through a Queue.
func (r *noticeRig) runWithQueue() (*bot.Bot, *scheduler.Queue, func()) {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	q := &scheduler.Queue{Store: r.st}
	b, err := bot.New(ctx, bot.Config{Token: testToken, APIURL: r.srv.URL(), Store: r.st, Owners: r.owners, PollTimeout: time.Second, Queue: q})
	if err != nil {
		r.t.Fatal(err)
	}
	q.Notifier = b
	done := make(chan struct{})
	go func() { b.Start(ctx); close(done) }()
	return b, q, func() { cancel(); <-done }
}

// button waits for a bot message to user with a button whose text matches,
// and returns the message and the button's data.
func (r *noticeRig) button(user int64, text string) (telegramtest.Message, string) {
	r.t.Helper()
	var msg telegramtest.Message
	var data string
	err := r.srv.WaitUntil(testCtx(r.t), func() bool {
		for _, m := range r.srv.Messages(user) {
			if m.From == nil || !m.From.IsBot || m.ReplyMarkup == nil {
				continue
			}
			for _, row := range m.ReplyMarkup.InlineKeyboard {
				for _, bt := range row {
					if strings.Contains(bt.Text, text) {
						msg, data = m, bt.CallbackData
						return true
					}
				}
			}
		}
		return false
	})
	if err != nil {
		var got []string
		for _, m := range r.srv.Messages(user) {
			got = append(got, m.Text)
		}
		r.t.Fatalf("no message to %d with a %q button; the chat: %q", user, text, got)
	}
	return msg, data
}

func TestApproversGetEachPostWithApproveAndPressingItLetsItGo(t *testing.T) {
	r := newNoticeRig(t, []int64{1001}, 1001, 2002)
	ctx := testCtx(t)
	if err := r.st.AddEditor(ctx, &herald.Editor{UserID: 2002, Role: herald.RoleEditor, AddedBy: 1001}); err != nil {
		t.Fatal(err)
	}
	r.ch.Approval = true
	if err := r.st.UpdateChannel(ctx, r.ch); err != nil {
		t.Fatal(err)
	}
	p := r.posts[0]
	if _, err := r.st.MoveState(ctx, p.ID, store.AnyRev, herald.PostAwaiting, nil, "auto", nil); err != nil {
		t.Fatal(err)
	}
	b, _, stop := r.runWithQueue()
	defer stop()
	b.Notify(ctx, scheduler.Event{Kind: scheduler.EventApprovalWanted, Post: &p.Post,
		Article: &herald.Article{ID: p.ArticleID, Title: r.titles[0]}, Channel: r.ch})
	m, data := r.button(1001, "Approve")
	if !strings.Contains(m.Text, r.titles[0]) || !strings.Contains(m.Text, "approval") {
		t.Errorf("approval card %q, want the post's title and what is asked", m.Text)
	}
	r.waitCounts(store.NoticeCounts{Owed: 1, Delivered: 1}) // the owner only, not the editor
	// The editor, who is not an approver, presses a copy of the button: refused.
	if _, err := r.srv.Press(telegramtest.Press{UserID: 2002, ChatID: 1001, MessageID: m.ID, Data: data}); err == nil {
		if after, _ := r.st.Post(ctx, p.ID); after.State != herald.PostAwaiting {
			t.Fatalf("a press by someone who may not approve made the post %s", after.State)
		}
	}
	if _, err := r.srv.Press(telegramtest.Press{UserID: 1001, ChatID: 1001, MessageID: m.ID, Data: data}); err != nil {
		t.Fatal(err)
	}
	err := r.srv.WaitUntil(ctx, func() bool {
		after, err := r.st.Post(context.Background(), p.ID)
		return err == nil && after.State == herald.PostScheduled
	})
	if err != nil {
		t.Fatal("pressing Approve did not schedule the post")
	}
}

func TestEditingInTheBotShowsAPreviewAndSaveKeepsIt(t *testing.T) {
	r := newNoticeRig(t, []int64{1001}, 1001)
	_, _, stop := r.runWithQueue()
	defer stop()
	ctx := testCtx(t)
	p := r.posts[1]
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: 1001, Text: "/edit " + itoa(p.ID)}); err != nil {
		t.Fatal(err)
	}
	if err := r.srv.WaitUntil(ctx, func() bool { return lastBotText(r.srv, 1001, "Send the new text") }); err != nil {
		t.Fatal("no question for the new text")
	}
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: 1001, Text: "Council <agrees> the harbour budget & more"}); err != nil {
		t.Fatal(err)
	}
	preview, data := r.button(1001, "Save")
	if !strings.Contains(preview.Text, "Council <agrees> the harbour budget & more") {
		t.Errorf("preview %q, want the editor's words as typed", preview.Text)
	}
	if _, err := r.srv.Press(telegramtest.Press{UserID: 1001, ChatID: 1001, MessageID: preview.ID, Data: data}); err != nil {
		t.Fatal(err)
	}
	err := r.srv.WaitUntil(ctx, func() bool {
		e, err := r.st.PostEdit(context.Background(), p.ID)
		return err == nil && e.Text == "Council &lt;agrees&gt; the harbour budget &amp; more"
	})
	if err != nil {
		t.Fatal("Save did not store the edit, escaped as Telegram HTML")
	}
	entries, _ := r.st.Audit(ctx, 5)
	if len(entries) == 0 || entries[0].Action != "edit_post" || entries[0].UserID != 1001 {
		t.Errorf("edit not audited: %+v", entries)
	}
}

func lastBotText(srv *telegramtest.Server, user int64, want string) bool {
	for _, m := range srv.Messages(user) {
		if m.From != nil && m.From.IsBot && strings.Contains(m.Text, want) {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func forum(t *testing.T, srv *telegramtest.Server) int64 {
	t.Helper()
	if err := srv.AddChat(telegramtest.Chat{ID: -100123, Type: "supergroup", Title: "Newsroom forum", IsForum: true, BotRights: telegramtest.RightsAdmin}); err != nil {
		t.Fatal(err)
	}
	tp, err := srv.Topic(telegramtest.TopicRequest{ChatID: -100123, Name: "Evening news"})
	if err != nil {
		t.Fatal(err)
	}
	return int64(tp.MessageThreadID)
}

func TestPostsToAForumTopicCarryItsThreadPhotosToo(t *testing.T) {
	srv, b, _ := newBot(t)
	topic := forum(t, srv)
	d := delivery("-100123")
	d.Channel.Topic = topic
	if _, err := b.Publisher().Publish(testCtx(t), d); err != nil {
		t.Fatal(err)
	}
	d.Post.ID = 2
	d.Edit = &herald.PostEdit{Text: "<b>Edited</b> with a photo", ImageData: pngBytes(), ImageName: "x.png"}
	if _, err := b.Publisher().Publish(testCtx(t), d); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages(-100123)
	sent := 0
	for _, m := range msgs {
		if m.From != nil && m.From.IsBot && m.SentText+m.SentCaption != "" && m.ReplyMarkup == nil && m.MessageThreadID != 0 {
			sent++
			if int64(m.MessageThreadID) != topic {
				t.Errorf("message %d went to thread %d, want %d", m.ID, m.MessageThreadID, topic)
			}
		}
	}
	if sent != 2 {
		t.Fatalf("%d messages in topic %d, want the text and the photo post", sent, topic)
	}
	for _, c := range srv.Calls("sendPhoto") {
		if c.Params["message_thread_id"] != itoa(topic) {
			t.Errorf("sendPhoto carried message_thread_id %q", c.Params["message_thread_id"])
		}
	}
}

func TestAClosedOrDeletedTopicIsALostRight(t *testing.T) {
	srv, b, _ := newBot(t)
	topic := forum(t, srv)
	d := delivery("-100123")
	d.Channel.Topic = topic
	closed := true
	if _, err := srv.Topic(telegramtest.TopicRequest{ChatID: -100123, MessageThreadID: int(topic), Closed: &closed}); err != nil {
		t.Fatal(err)
	}
	_, err := b.Publisher().Publish(testCtx(t), d)
	var se *scheduler.SendError
	if !errors.As(err, &se) || se.Failure != scheduler.Forbidden || !strings.Contains(err.Error(), "TOPIC_CLOSED") {
		t.Fatalf("send to a closed topic: %v, want Forbidden naming TOPIC_CLOSED", err)
	}
	if _, err := srv.Topic(telegramtest.TopicRequest{ChatID: -100123, MessageThreadID: int(topic), Deleted: true}); err != nil {
		t.Fatal(err)
	}
	_, err = b.Publisher().Publish(testCtx(t), d)
	if !errors.As(err, &se) || se.Failure != scheduler.Forbidden || !strings.Contains(err.Error(), "message thread not found") {
		t.Fatalf("send to a deleted topic: %v, want Forbidden naming the thread not found", err)
	}
}

func TestAnEditedPostSaysTheEditWithTheChannelsLinksWithinTelegramsLimits(t *testing.T) {
	d := delivery("-1001")
	a, ch := d.Article, d.Channel
	e := &herald.PostEdit{Text: "<b>Our words</b> about the call"}
	p, err := bot.Render(a, ch, herald.PurposePublish, bot.RenderOptions{BotUsername: "herald_test_bot", Edit: e, Link: "https://go.example/abcdefghjk"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<b>Our words</b> about the call", `<a href="https://go.example/abcdefghjk">Read on the site</a>`, "Leave a review"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("edited post %q lacks %q", p.Text, want)
		}
	}
	if strings.Contains(p.Text, "The lead") {
		t.Error("the edited post still says the article's lead")
	}
	for _, tc := range []struct {
		name string
		e    herald.PostEdit
		want string
	}{
		{"too long for a message", herald.PostEdit{Text: strings.Repeat("word ", 900)}, "4096"},
		{"too long under a photo", herald.PostEdit{Text: strings.Repeat("word ", 250), Image: "https://example.org/a.jpg"}, "1024"},
		{"not Telegram HTML", herald.PostEdit{Text: "<div>block</div>"}, "not valid Telegram HTML"},
		{"unclosed tag", herald.PostEdit{Text: "<b>bold"}, "not valid Telegram HTML"},
		{"an image that is no URL", herald.PostEdit{Text: "ok", Image: "ftp://x"}, "http(s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := bot.CheckEdit(a, &herald.Channel{Network: herald.NetworkTelegram, Language: herald.LangEnglish, ReviewLink: herald.ReviewLinkText}, d.Post, &tc.e)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("CheckEdit = %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

// pngBytes is a 1×1 PNG.
func pngBytes() []byte {
	return []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
}

func TestTheDispatcherPausesAChannelWhoseTopicWasClosedAndTellsTheOwners(t *testing.T) {
	srv, b, st := newBot(t)
	topic := forum(t, srv)
	ctx := testCtx(t)
	ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: "-100123", Topic: topic, Title: "Evening", Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := st.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	a := &herald.Article{Source: "t", ExternalID: "1", Kind: herald.KindNews, Language: herald.LangEnglish, Title: "Snow in Baku", Body: "Body.", PublishedAt: time.Now()}
	if _, err := st.UpsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: time.Now().Add(-time.Second)}}
	if _, err := st.PlanPost(ctx, p); err != nil {
		t.Fatal(err)
	}
	closed := true
	if _, err := srv.Topic(telegramtest.TopicRequest{ChatID: -100123, MessageThreadID: int(topic), Closed: &closed}); err != nil {
		t.Fatal(err)
	}
	var kinds []scheduler.EventKind
	d := &scheduler.Dispatcher{Store: st, Publisher: b.Publisher(), Exclusive: true,
		Notifier: scheduler.NotifierFunc(func(ctx context.Context, ev scheduler.Event) { kinds = append(kinds, ev.Kind) })}
	if _, err := d.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	d.Wait()
	got, _ := st.Channel(ctx, ch.ID)
	if !got.Paused || !strings.Contains(got.PauseReason, "closed") {
		t.Errorf("channel paused %v (%q), want paused because its topic is closed", got.Paused, got.PauseReason)
	}
	if after, _ := st.Post(ctx, p.ID); after.State != herald.PostFailed {
		t.Errorf("post is %s, want failed", after.State)
	}
	if !slicesContains(kinds, scheduler.EventChannelPaused) {
		t.Errorf("events %v, want the owners told the channel was paused", kinds)
	}
}

func slicesContains(ks []scheduler.EventKind, k scheduler.EventKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func TestOwnersSetAndTestFiltersFromTelegram(t *testing.T) {
	r := newNoticeRig(t, []int64{1001}, 1001, 2002)
	ctx := testCtx(t)
	if err := r.st.AddEditor(ctx, &herald.Editor{UserID: 2002, Role: herald.RoleEditor, AddedBy: 1001}); err != nil {
		t.Fatal(err)
	}
	_, _, stop := r.runWithQueue()
	defer stop()
	say := sayer(t, ctx, r.srv)
	say(2002, "/filter DQ English include harbour", "owners")
	say(1001, "/filter DQ English include harbour budget, re:quay\\s+0[1-3]", "saved")
	ch, _ := r.st.Channel(ctx, r.ch.ID)
	if len(ch.Filters.Include) != 2 || ch.Filters.Include[1] != `re:quay\s+0[1-3]` {
		t.Fatalf("include rules %q", ch.Filters.Include)
	}
	say(1001, "/filter DQ English exclude council reviews the harbour", "saved")
	say(1001, "/filter DQ English test "+itoa(r.posts[0].ArticleID), `exclude rule`)
	say(2002, "/filter", "DQ English")
	entries, _ := r.st.Audit(ctx, 10)
	n := 0
	for _, e := range entries {
		if e.Action == "set_filters" && e.UserID == 1001 {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d filter changes audited, want 2", n)
	}
}

func TestOwnersTurnApprovalOnAndOffFromTelegram(t *testing.T) {
	r := newNoticeRig(t, []int64{1001}, 1001, 2002)
	ctx := testCtx(t)
	if err := r.st.AddEditor(ctx, &herald.Editor{UserID: 2002, Role: herald.RoleEditor, AddedBy: 1001}); err != nil {
		t.Fatal(err)
	}
	_, _, stop := r.runWithQueue()
	defer stop()
	say := sayer(t, ctx, r.srv)
	say(2002, "/approval DQ English on", "owners")
	say(1001, "/approval DQ English", "/approval")
	say(1001, "/approval DQ English on 4242", "not an editor")
	say(1001, "/approval DQ English on 2002", "saved")
	ch, _ := r.st.Channel(ctx, r.ch.ID)
	if !ch.Approval || len(ch.Approvers) != 1 || ch.Approvers[0] != 2002 {
		t.Fatalf("approval %v approvers %v, want on for 2002", ch.Approval, ch.Approvers)
	}
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: 1001, Text: "/approval DQ English off"}); err != nil {
		t.Fatal(err)
	}
	if err := r.srv.WaitUntil(ctx, func() bool {
		ch, err := r.st.Channel(ctx, r.ch.ID)
		return err == nil && !ch.Approval && len(ch.Approvers) == 0
	}); err != nil {
		t.Fatal("approval stayed on after /approval DQ English off")
	}
	audited := func() int {
		entries, _ := r.st.Audit(ctx, 10)
		n := 0
		for _, e := range entries {
			if e.Action == "set_approval" && e.UserID == 1001 {
				n++
			}
		}
		return n
	}
	if err := r.srv.WaitUntil(ctx, func() bool { return audited() == 2 }); err != nil {
		t.Errorf("%d approval changes audited, want 2", audited())
	}
}

// sayer returns a function that has user send text to the bot and waits
// until the bot's last message to them says want.
func sayer(t *testing.T, ctx context.Context, srv *telegramtest.Server) func(user int64, text, want string) {
	return func(user int64, text, want string) {
		t.Helper()
		if _, err := srv.UserSends(telegramtest.UserMessage{UserID: user, Text: text}); err != nil {
			t.Fatal(err)
		}
		if err := srv.WaitUntil(ctx, func() bool { return lastBotText(srv, user, want) }); err != nil {
			t.Fatalf("%q: no answer saying %q", text, want)
		}
	}
}
