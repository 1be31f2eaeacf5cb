package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// A reader sending hundreds of updates is throttled, told once to slow
// down, then muted with a notice to the owners; an owner's command sent
// after the flood is answered before the flood's last update would have
// been, and another reader's /start too.
func TestAFloodingReaderIsMutedAndHoldsUpNobody(t *testing.T) {
	r := newNoticeRig(t, []int64{5001}, 5001)
	_, stop := r.run()
	defer stop()
	const flooder, other = 7003, 7004
	began := time.Now() // the limits refill on the wall clock: one update every 3 s
	for i := range 150 {
		if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: flooder, Text: fmt.Sprintf("review text number %d", i), FirstName: "Flood"}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: flooder, Text: "/start", FirstName: "Flood"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: 5001, Text: "/help", FirstName: "Owner", LanguageCode: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.UserSends(telegramtest.UserMessage{UserID: other, Text: "/start", FirstName: "Reader"}); err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	botTexts := func(chat int64) []string {
		var out []string
		for _, m := range r.srv.Messages(chat) {
			if m.From != nil && m.From.IsBot {
				out = append(out, m.Text)
			}
		}
		return out
	}
	if err := r.srv.WaitUntil(ctx, func() bool {
		for _, s := range botTexts(5001) {
			if strings.HasPrefix(s, "herald for editors") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("the owner's /help was never answered: %q", botTexts(5001))
	}
	if err := r.srv.WaitUntil(ctx, func() bool { return len(botTexts(other)) > 0 }); err != nil {
		t.Fatal("the other reader's /start was never answered")
	}
	r.waitCounts(store.NoticeCounts{Owed: 1, Delivered: 1})
	muted := false
	for _, s := range botTexts(5001) {
		muted = muted || (strings.Contains(s, "A reader was muted") && strings.Contains(s, "7003"))
	}
	if !muted {
		t.Errorf("the owner was not told the reader was muted: %q", botTexts(5001))
	}
	// The limits mean most of the flood's replies are never attempted.
	replies := botTexts(flooder)
	slow := 0
	for _, s := range replies {
		if strings.Contains(s, "faster than I can take them in") {
			slow++
		}
	}
	if slow > 1 {
		t.Errorf("the flooder was told to slow down %d times, want once", slow)
	}
	// 40: the burst's replies, the slow-down, the owner's and the other
	// reader's answers, the notice; and one more for each refill while the
	// flood lasted (a loaded machine under -race stretches it).
	if calls, most := r.srv.Stats().Calls["sendMessage"], 40+int(time.Since(began)/(3*time.Second)); calls > most {
		t.Errorf("%d sendMessage calls for a 300-update flood in %s; the limits should stop most replies being tried (at most %d)", calls, time.Since(began).Round(time.Second), most)
	}
}
