package bot_test

import (
	"bytes"
	"fmt"
	"image"
	_ "image/png" // the chart must decode as PNG
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// pressFor presses the button labelled label under m as user and waits
// for the bot's answer to the press.
func (r *reviewRig) pressFor(user int64, m telegramtest.Message, label string) telegramtest.Answer {
	r.t.Helper()
	data := ""
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				data = b.CallbackData
			}
		}
	}
	if data == "" {
		r.t.Fatalf("no button %q under %q", label, m.Text)
	}
	id, err := r.srv.Press(telegramtest.Press{UserID: user, ChatID: m.ChatID, MessageID: m.ID, Data: data})
	if err != nil {
		r.t.Fatal(err)
	}
	var got telegramtest.Answer
	r.waitFor("the answer to "+label, func() bool {
		for _, a := range r.srv.Answers() {
			if a.CallbackQueryID == id {
				got = a
				return true
			}
		}
		return false
	})
	return got
}

// hostileReview has a reader with a hostile name leave a review whose
// text is HTML.
func (r *reviewRig) hostileReview() *herald.Review {
	r.t.Helper()
	if _, err := r.srv.Reply(telegramtest.UserMessage{UserID: 6666, ChatID: rvGroup, ReplyToMessageID: r.forward().ID,
		Text: "<b>x</b> & <script>alert(1)</script>", FirstName: "<i>Eve</i>", LanguageCode: "en"}); err != nil {
		r.t.Fatal(err)
	}
	return r.waitReview(6666, r.article.ID, "the hostile review", func(*herald.Review) bool { return true })
}

func (r *reviewRig) auditActions() string {
	r.t.Helper()
	es, err := r.st.Audit(r.ctx, 100)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		for range e.Count { // counted entries (refusals) once per attempt
			out = append(out, fmt.Sprintf("%d:%s", e.UserID, e.Action))
		}
	}
	return strings.Join(out, " ")
}

func TestEditorsSeeReviewsEscapedAndModerateThem(t *testing.T) {
	r := newReviewRig(t)
	hostile := r.hostileReview()
	r.rate(rvReader, r.article, 4)
	r.say(rvReader, "en", "Sharp analysis", "Thank you")
	mine := r.review(rvReader, r.article.ID)
	r.say(rvOwner, "en", "/start", "")

	list := r.say(rvOwner, "en", "/reviews", "Readers' reviews")
	if !strings.Contains(list.SentText, "&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;") ||
		!strings.Contains(list.SentText, "&lt;i&gt;Eve&lt;/i&gt;") || strings.Contains(list.SentText, "<script>") {
		t.Errorf("the reader's text or name reached editors unescaped: %q", list.SentText)
	}
	if !strings.Contains(list.Text, "<b>x</b> & <script>alert(1)</script>") || !strings.Contains(list.Text, "<i>Eve</i>") {
		t.Errorf("editors do not see what the reader typed: %q", list.Text)
	}
	if !strings.Contains(list.Text, "Afterword to <Blinken's> call") {
		t.Errorf("the list does not name the article: %q", list.Text)
	}

	tests := []struct {
		name   string
		label  string
		review *herald.Review
		status herald.ReviewStatus
		action string
		answer string
	}{
		{"an editor approves a review", "✔ #%d", mine, herald.ReviewApproved, "review_ap", "approved"},
		{"an editor bans a reader", "⛔ #%d", hostile, herald.ReviewRejected, "review_bn", "is banned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := r.srv.Messages(rvOwner)[list.ID-1]
			a := r.pressFor(rvOwner, cur, fmt.Sprintf(tt.label, tt.review.ID))
			if a.ShowAlert || !strings.Contains(a.Text, tt.answer) {
				t.Errorf("answer %+v", a)
			}
			if got, _ := r.st.Review(r.ctx, tt.review.ID); got.Status != tt.status {
				t.Errorf("status %s, want %s", got.Status, tt.status)
			}
			if !strings.Contains(r.auditActions(), fmt.Sprintf("%d:%s", rvOwner, tt.action)) {
				t.Errorf("not audited: %s", r.auditActions())
			}
		})
	}
	if banned, _ := r.st.Banned(r.ctx, 6666); !banned {
		t.Error("the banned reader is not banned")
	}
	r.waitFor("the list redrawn without buttons", func() bool {
		m := r.srv.Messages(rvOwner)[list.ID-1]
		return m.ReplyMarkup == nil || len(m.ReplyMarkup.InlineKeyboard) == 0
	})
}

func TestStrangersCannotModerate(t *testing.T) {
	r := newReviewRig(t)
	hostile := r.hostileReview()
	r.say(rvOwner, "en", "/start", "")
	list := r.say(rvOwner, "en", "/reviews", "Readers' reviews")
	for _, tt := range []struct{ name, label string }{
		{"a stranger cannot approve", "✔ #%d"},
		{"a stranger cannot reject", "✖ #%d"},
		{"a stranger cannot ban", "⛔ #%d"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := r.pressFor(6666, list, fmt.Sprintf(tt.label, hostile.ID))
			if !a.ShowAlert || !strings.Contains(a.Text, "for editors") {
				t.Errorf("a stranger's press was answered %+v", a)
			}
		})
	}
	if got, _ := r.st.Review(r.ctx, hostile.ID); got.Status != herald.ReviewPending {
		t.Errorf("a stranger changed the review to %s", got.Status)
	}
	if banned, _ := r.st.Banned(r.ctx, 6666); banned {
		t.Error("a stranger banned a reader")
	}
	if got := r.auditActions(); strings.Count(got, "6666:refused") != 3 {
		t.Errorf("refused presses not audited: %s", got)
	}
	// Nor may they list reviews.
	r.say(6666, "en", "/reviews", "")
	if got := r.auditActions(); strings.Count(got, "6666:refused") != 4 {
		t.Errorf("a refused /reviews not audited: %s", got)
	}
}

func TestStatsAreSentAsTextAndAPNGChart(t *testing.T) {
	r := newReviewRig(t)
	r.rate(rvReader, r.article, 4)
	r.say(rvReader, "en", "Sharp analysis", "Thank you")
	r.rate(4004, r.article, 2)
	r.hostileReview()
	if err := r.srv.SetReactions(rvChannel, int(r.post.MessageID), map[string]int{"👍": 7}); err != nil {
		t.Fatal(err)
	}
	r.waitFor("the reactions", func() bool {
		got, _ := r.st.Reactions(r.ctx, r.post.ID)
		return got["👍"] == 7
	})
	r.say(rvOwner, "en", "/start", "")

	text := r.say(rvOwner, "en", fmt.Sprintf("/stats %d", r.article.ID), "Reviews: 3")
	for _, want := range []string{"Rated: 2 · average 3.0 of 5", "With comments: 2", "👍 7"} {
		if !strings.Contains(text.Text, want) {
			t.Errorf("stats text lacks %q: %q", want, text.Text)
		}
	}
	var photo telegramtest.Message
	r.waitFor("the chart", func() bool {
		for _, m := range r.botMessages(rvOwner) {
			if len(m.Photo) > 0 {
				photo = m
				return true
			}
		}
		return false
	})
	if photo.ID < text.ID {
		t.Errorf("the chart came before the numbers")
	}
	var sent bool
	for _, c := range r.srv.Calls("sendPhoto") {
		sent = sent || c.Status == 200 && strings.Contains(c.Params["photo"], "stats.png")
	}
	if !sent {
		t.Errorf("no sendPhoto uploaded stats.png: %+v", r.srv.Calls("sendPhoto"))
	}
	// The fake accepted the upload as an image; the chart itself is a PNG.
	st, err := r.st.Stats(r.ctx, store.ReviewFilter{ArticleID: r.article.ID})
	if err != nil {
		t.Fatal(err)
	}
	png, err := bot.StatsChart(st, bot.Chart{Lang: herald.LangEnglish, Scope: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, format, err := image.Decode(bytes.NewReader(png)); err != nil || format != "png" {
		t.Errorf("the chart decodes as %q: %v", format, err)
	}
}
