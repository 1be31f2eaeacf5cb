package telegramtest_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/herald-news/herald/telegramtest"
)

// updateIDs reads the update ids out of a getUpdates result.
func updateIDs(t *testing.T, r apiResponse) []int64 {
	t.Helper()
	if !r.OK {
		t.Fatalf("getUpdates failed: %+v", r)
	}
	var ups []struct {
		ID int64 `json:"update_id"`
	}
	if err := json.Unmarshal(r.Result, &ups); err != nil {
		t.Fatal(err)
	}
	ids := []int64{}
	for _, u := range ups {
		ids = append(ids, u.ID)
	}
	return ids
}

func TestGetUpdatesOffsetsSurviveReconnects(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	for i := range 3 {
		mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "m" + strconv.Itoa(i)})
	}
	get := func(q url.Values) []int64 { return updateIDs(t, callGet(t, srv.URL(), srv.Token(), "getUpdates", q)) }
	first := get(url.Values{"limit": {"2"}})
	if len(first) != 2 {
		t.Fatalf("limit 2 gave %v", first)
	}
	// A poller that disconnects without confirming sees the same updates again.
	if again := get(nil); len(again) != 3 || again[0] != first[0] {
		t.Errorf("unconfirmed updates = %v", again)
	}
	// Confirming the first two leaves the third, across a fresh connection.
	rest := get(url.Values{"offset": {strconv.FormatInt(first[1]+1, 10)}})
	if len(rest) != 1 || rest[0] != first[1]+1 {
		t.Errorf("after offset = %v", rest)
	}
	if left := get(url.Values{"offset": {strconv.FormatInt(rest[0]+1, 10)}}); len(left) != 0 {
		t.Errorf("after confirming all = %v", left)
	}
	if n := srv.PendingUpdates(); n != 0 {
		t.Errorf("%d updates still pending", n)
	}
}

func TestLongPollWaitsForTheNextUpdate(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	done := make(chan []int64)
	go func() {
		done <- updateIDs(t, callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"timeout": {"30"}}))
	}()
	// Wait until the poll is in, then write.
	ctx := testCtx(t)
	if err := srv.WaitUntil(ctx, func() bool { return srv.PollWaiting() }); err != nil {
		t.Fatal(err)
	}
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "/start"})
	select {
	case ids := <-done:
		if len(ids) != 1 {
			t.Errorf("long poll returned %v", ids)
		}
	case <-ctx.Done():
		t.Fatal("long poll did not return after an update arrived")
	}
}

func TestSecondPollerCutsInWith409(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	first := make(chan apiResponse)
	go func() { first <- callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"timeout": {"30"}}) }()
	ctx := testCtx(t)
	if err := srv.WaitUntil(ctx, srv.PollWaiting); err != nil {
		t.Fatal(err)
	}
	second := callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"timeout": {"0"}})
	if !second.OK {
		t.Errorf("the newer poll failed: %+v", second)
	}
	r := <-first
	if r.Status != 409 || r.Description != "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" {
		t.Errorf("the earlier poll got %+v", r)
	}
}

func TestAllowedUpdatesAreRememberedAndReactionsNeedAsking(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustAddChat(t, srv, telegramtest.Chat{ID: -1001, Type: "channel", BotRights: "admin"})
	b := newBot(t, srv)
	if _, err := b.SendMessage(testCtx(t), &tgbot.SendMessageParams{ChatID: -1001, Text: "post"}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetReactions(-1001, 1, map[string]int{"👍": 3, "🔥": 1}); err != nil {
		t.Fatal(err)
	}
	if ids := updateIDs(t, callGet(t, srv.URL(), srv.Token(), "getUpdates", nil)); len(ids) != 0 {
		t.Errorf("reaction counts delivered without being asked for: %v", ids)
	}
	r := callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"allowed_updates": {`["message_reaction_count"]`}})
	var ups []models.Update
	if err := json.Unmarshal(r.Result, &ups); err != nil || len(ups) != 1 || ups[0].MessageReactionCount == nil {
		t.Fatalf("asked-for reaction counts: %s (%v)", r.Result, err)
	}
	rc := ups[0].MessageReactionCount
	if rc.MessageID != 1 || len(rc.Reactions) != 2 || rc.Reactions[0].TotalCount != 3 || rc.Reactions[0].Type.ReactionTypeEmoji.Emoji != "👍" {
		t.Errorf("reaction count update = %+v", rc)
	}
	// The list is remembered when a later call leaves it out: messages stay out.
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "hi"})
	if ids := updateIDs(t, callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"offset": {strconv.FormatInt(ups[0].ID+1, 10)}})); len(ids) != 0 {
		t.Errorf("a message came through allowed_updates [message_reaction_count]: %v", ids)
	}
}

func TestBotReceivesUpdatesThroughTheLibrary(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	var mu sync.Mutex
	var texts []string
	got := make(chan struct{}, 10)
	b := newBot(t, srv, tgbot.WithDefaultHandler(func(ctx context.Context, b *tgbot.Bot, u *models.Update) {
		if u.Message == nil {
			return
		}
		mu.Lock()
		texts = append(texts, u.Message.Text)
		mu.Unlock()
		got <- struct{}{}
	}))
	ctx, cancel := context.WithCancel(testCtx(t))
	stopped := make(chan struct{})
	go func() { b.Start(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	// An update of a kind the library does not know comes first; it must
	// not keep the message behind it from arriving.
	if _, err := srv.InjectUpdate(json.RawMessage(`{"future_update_kind":{"x":1}}`)); err != nil {
		t.Fatal(err)
	}
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "one"})
	select {
	case <-got:
	case <-ctx.Done():
		t.Fatal("no message reached the handler")
	}
	mu.Lock()
	first := texts[0]
	mu.Unlock()
	if first != "one" {
		t.Errorf("first text = %q", first)
	}
	calls := srv.Calls("getUpdates")
	if len(calls) == 0 || calls[len(calls)-1].Params["timeout"] == "" {
		t.Errorf("the library did not long-poll: %+v", calls)
	}
	if strings.Contains(callsJSON(t, calls), srv.Token()) {
		t.Error("the journal shows the token")
	}
}

func TestRawUpdatesAreDeliveredAsGiven(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	bad := `{"message":{"message_id":"not a number","chat":{"id":1001,"type":"private"},"date":1}}`
	id, err := srv.InjectUpdate(json.RawMessage(bad))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.InjectUpdate(json.RawMessage(`{"update_id":500,"future_update_kind":{"x":1}}`)); err != nil {
		t.Fatal(err)
	}
	r := callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"allowed_updates": {`["callback_query"]`}})
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(r.Result, &raw); err != nil {
		t.Fatal(err)
	}
	// The message is filtered out by allowed_updates; the unknown kind is not.
	if len(raw) != 1 || string(raw[0]["update_id"]) != "500" || string(raw[0]["future_update_kind"]) != `{"x":1}` {
		t.Errorf("delivered %s", r.Result)
	}
	r = callGet(t, srv.URL(), srv.Token(), "getUpdates", url.Values{"allowed_updates": {`[]`}})
	if !strings.Contains(string(r.Result), `"message_id":"not a number"`) || !strings.Contains(string(r.Result), `"update_id":`+strconv.FormatInt(id, 10)) {
		t.Errorf("the malformed update was not delivered as given: %s", r.Result)
	}
}

func callsJSON(t *testing.T, calls []telegramtest.Call) string {
	raw, err := json.Marshal(calls)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
