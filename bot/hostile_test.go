package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// hostileTexts are what people type that breaks careless software.
var hostileTexts = []struct {
	name, text string
}{
	{"markup", "<b>bold</b> </code> &amp; <a href=\"x\">link</a> 1 < 2 && 3 > 2"},
	{"an SQL-looking string", "'); DROP TABLE posts;--"},
	{"right-to-left marks", "\u202eevil\u202c and \u200fمرحبا\u200f"},
	{"zero-width characters", "zero\u200bwidth\u200cnon\u200djoiner\ufeff"},
	{"emoji with ZWJ sequences and flags", "family 👨\u200d👩\u200d👧\u200d👦 flags 🇦🇿🇺🇦 🏳️\u200d🌈"},
	{"5,000 characters", strings.Repeat("Ab ", 1666) + "End."},
}

// readerClean is what the review rules keep of a reader's text: control
// characters (but line breaks), zero-width spaces and byte-order marks go.
func readerClean(s string) string {
	s = strings.NewReplacer("\u200b", "", "\ufeff", "").Replace(s)
	return strings.TrimSpace(s)
}

func TestHostilePostsAreEscapedAndWithinLimits(t *testing.T) {
	for _, h := range hostileTexts {
		t.Run("an article with "+h.name+" in every field", func(t *testing.T) {
			n := newNewsroom(t)
			a := &herald.Article{ID: 99, Source: "test", ExternalID: "hostile", Kind: herald.KindCommentary, Language: herald.LangEnglish,
				Title: h.text, Lead: h.text, Body: h.text + "\n\n" + h.text, Program: h.text, People: []string{h.text, "Aygun"},
				URL: "https://example.org/a/99", Place: h.text}
			ch := *n.en
			ch.Title = h.text
			rec, err := n.b.Publisher().Publish(n.ctx, scheduler.Delivery{Post: &herald.Post{ID: 1, Purpose: herald.PurposePublish}, Article: a, Channel: &ch})
			if err != nil {
				t.Fatalf("publish: %v", err)
			}
			n.check(t, "publishing")
			var got string
			for _, m := range n.srv.Messages(-1001) {
				if int64(m.ID) == rec.MessageID {
					got = m.Text + m.Caption
				}
			}
			if got == "" {
				t.Fatalf("message %d is not in the channel", rec.MessageID)
			}
			if utf8.RuneCountInString(h.text) < 200 && !strings.Contains(got, strings.TrimSpace(h.text)) {
				t.Errorf("the post does not show the title as typed, %q:\n%s", h.text, got)
			}
		})
	}
}

func TestHostileReviewsAreStoredAsTypedAndShownEscaped(t *testing.T) {
	for _, h := range hostileTexts {
		t.Run("a reader named and writing "+h.name, func(t *testing.T) {
			n := newNewsroom(t)
			const reader = 4004
			// A bot may only write to people who wrote to it first.
			if _, err := n.srv.UserSends(telegramtest.UserMessage{UserID: reader, Text: "hello", FirstName: h.text}); err != nil {
				t.Fatal(err)
			}
			n.says(reader, h.text, "/start "+bot.ReviewPayload(1, n.en.ID))
			var kb int
			for _, m := range n.srv.Messages(reader) {
				if m.ReplyMarkup != nil {
					kb = m.ID
				}
			}
			if kb == 0 {
				t.Fatalf("no rating buttons for the reader")
			}
			n.presses(t, reader, h.text, kb, fmt.Sprintf("rv1:1:%d:4", n.en.ID))
			n.says(reader, h.text, h.text)
			n.check(t, "the review flow")
			rs, err := n.st.Reviews(n.ctx, store.ReviewFilter{ArticleID: 1, UserID: reader})
			if err != nil || len(rs) != 1 {
				t.Fatalf("reviews: %v %d", err, len(rs))
			}
			want := readerClean(h.text)
			if utf8.RuneCountInString(want) > herald.MaxReviewLen {
				want = "" // too long: the bot asks for a shorter one and keeps the rating
			}
			if rs[0].Text != want || rs[0].Rating != 4 {
				t.Errorf("stored review: %d stars, %q; want 4 stars, %q", rs[0].Rating, rs[0].Text, want)
			}
			if name := strings.TrimSpace(h.text); rs[0].UserName != name {
				t.Errorf("stored reader name %q, want %q", rs[0].UserName, name)
			}
			// Editors read it back escaped.
			n.says(ownerID, "Aygun", "/reviews")
			n.says(ownerID, "Aygun", "/stats")
			n.check(t, "editors reading the review")
		})
	}
}

func TestHostileChannelTitlesTimesAndArgumentsChangeNothing(t *testing.T) {
	for _, h := range hostileTexts {
		t.Run(h.name+" as a channel title, a time and every command's argument", func(t *testing.T) {
			n := newNewsroom(t)
			ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: "-1003", Title: h.text, Language: herald.LangEnglish,
				Kinds: herald.Kinds, Timezone: "Asia/Baku", QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
				OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
			err := n.st.CreateChannel(n.ctx, ch)
			if utf8.RuneCountInString(h.text) > herald.MaxChannelTitle {
				// Longer than Telegram allows a chat's title: refused, naming the field.
				if err == nil || !strings.Contains(err.Error(), "title") {
					t.Fatalf("a channel titled with %d characters: %v, want a refusal naming the title", utf8.RuneCountInString(h.text), err)
				}
				ch = nil
			} else if err != nil {
				t.Fatalf("a channel titled %q: %v", h.text, err)
			} else if got, err := n.st.Channel(n.ctx, ch.ID); err != nil || got.Title != h.text {
				t.Errorf("the channel title came back as %q (%v)", got.Title, err)
			}
			before := map[int64]*store.PostRow{}
			ps, err := n.st.Posts(n.ctx, store.PostFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				before[p.ID] = p
			}
			n.says(ownerID, "Aygun", "/channels")
			n.says(ownerID, "Aygun", "/queue")
			// The owner is authorised: every command is carried out or refused
			// with a reply Telegram accepts, and none touches a post it was
			// not about.
			for _, cmd := range []string{"/reschedule 1 ", "/schedule 1 ", "/cancel ", "/postnow ", "/article ", "/articles ",
				"/pause ", "/resume ", "/editor add ", "/editor remove ", "/reviews ", "/audit ", "/nosuchcommand "} {
				n.says(ownerID, "Aygun", cmd+h.text)
				n.check(t, cmd+h.name)
			}
			after, err := n.st.Posts(n.ctx, store.PostFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range after {
				b, ok := before[a.ID]
				if !ok {
					// "/schedule 1 <title>" names the channel of that title: one
					// post of article 1 there is what the owner asked for.
					if ch == nil || a.ChannelID != ch.ID || a.ArticleID != 1 {
						t.Errorf("a new post %d (article %d, channel %d) nobody asked for", a.ID, a.ArticleID, a.ChannelID)
					}
					continue
				}
				if b.State != a.State || !b.ScheduledAt.Equal(a.ScheduledAt) {
					t.Errorf("post %d went from %s at %v to %s at %v", b.ID, b.State, b.ScheduledAt, a.State, a.ScheduledAt)
				}
			}
			if len(after) < len(before) {
				t.Errorf("%d posts before, %d after", len(before), len(after))
			}
		})
	}
}
