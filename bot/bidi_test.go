package bot_test

import (
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/telegramtest"
)

// A review whose text and reader name carry direction overrides, marks and
// invisible joiners reaches editors with them taken out, emoji whole, and
// with the words as typed; the review itself is kept as the reader typed it.
func TestEditorsSeeReadersTextWithoutDirectionAndInvisibleCharacters(t *testing.T) {
	r := newReviewRig(t)
	const text = "Great \u202Etxet\u202C piece 👨\u200D👩\u200D👧 ad\u2060min\u200F"
	const name = "\u2067Ali\u2069\u200D"
	if _, err := r.srv.Reply(telegramtest.UserMessage{UserID: 6767, ChatID: rvGroup, ReplyToMessageID: r.forward().ID,
		Text: text, FirstName: name, LanguageCode: "en"}); err != nil {
		t.Fatal(err)
	}
	rv := r.waitReview(6767, r.article.ID, "the review", func(*herald.Review) bool { return true })
	if !strings.Contains(rv.Text, "\u202E") {
		t.Errorf("the stored review lost what the reader typed: %q", rv.Text)
	}
	r.say(rvOwner, "en", "/start", "")
	list := r.say(rvOwner, "en", "/reviews", "Readers' reviews")
	for _, c := range []string{"\u202E", "\u202C", "\u2060", "\u200F", "\u2067", "\u2069"} {
		if strings.Contains(list.SentText, c) {
			t.Errorf("editors were sent %U: %q", []rune(c)[0], list.SentText)
		}
	}
	if !strings.Contains(list.Text, "Great txet piece 👨\u200D👩\u200D👧 admin") || !strings.Contains(list.Text, "Ali") {
		t.Errorf("editors do not see the words and the emoji whole: %q", list.Text)
	}
	if strings.Contains(list.Text, "Ali\u200D") {
		t.Errorf("a joiner outside an emoji reached editors: %q", list.Text)
	}
}
