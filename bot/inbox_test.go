package bot_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// A herald killed after getUpdates handed it an update, but before it was
// handled, finds the update in its inbox on the next start and handles it
// once, though Telegram still holds it unconfirmed.
func TestUpdatesReceivedBeforeAStopAreHandledOnceAfterIt(t *testing.T) {
	srv, _, st := newBot(t)
	if _, err := srv.UserSends(telegramtest.UserMessage{UserID: 5005, Text: "/start", LanguageCode: "en"}); err != nil {
		t.Fatal(err)
	}
	// What the killed herald had kept: the update as getUpdates gave it.
	res, err := httpGetJSON(srv.URL() + "/bot" + testToken + "/getUpdates?timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Result []json.RawMessage `json:"result"`
	}
	json.Unmarshal(res, &body)
	if len(body.Result) != 1 {
		t.Fatalf("the fake holds %d updates", len(body.Result))
	}
	var id struct {
		ID int64 `json:"update_id"`
	}
	json.Unmarshal(body.Result[0], &id)
	if err := st.KeepUpdates(testCtx(t), []store.InboxUpdate{{ID: id.ID, Raw: body.Result[0]}}); err != nil {
		t.Fatal(err)
	}

	// The restarted herald.
	b, err := bot.New(testCtx(t), bot.Config{Token: testToken, APIURL: srv.URL(), Store: st, PollTimeout: 2e9})
	if err != nil {
		t.Fatal(err)
	}
	startPolling(t, b.Start)
	msgs, err := srv.WaitBotMessages(testCtx(t), 5005, 1)
	if err != nil || !strings.Contains(msgs[0].Text, "Difficult Question") {
		t.Fatalf("the kept /start was not handled: %v %+v", err, msgs)
	}
	if err := srv.WaitUntil(testCtx(t), func() bool {
		p, _ := st.PendingUpdates(testCtx(t))
		return len(p) == 0
	}); err != nil {
		t.Fatal("the handled update stayed in the inbox")
	}
	// One more message, to see the poller past the kept update.
	srv.UserSends(telegramtest.UserMessage{UserID: 5005, Text: "/help", LanguageCode: "en"})
	msgs, err = srv.WaitBotMessages(testCtx(t), 5005, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(srv.Messages(5005)); got != 4 { // /start, reply, /help, reply
		t.Fatalf("the chat has %d messages: the kept update was handled twice or not at all", got)
	}
}

func httpGetJSON(url string) ([]byte, error) {
	res, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	return io.ReadAll(res.Body)
}
