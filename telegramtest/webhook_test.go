package telegramtest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	tgbot "github.com/go-telegram/bot"

	"github.com/herald-news/herald/telegramtest"
)

// hookCall is one POST the webhook received.
type hookCall struct {
	secret string
	body   string
}

func TestWebhookDeliversWithSecretAndRedeliversFailures(t *testing.T) {
	// Scale 1000 makes the first redelivery come 1 ms after the failure.
	srv := telegramtest.NewTestServer(t, telegramtest.WithScale(1000))
	calls := make(chan hookCall, 10)
	failures := 1
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		calls <- hookCall{secret: r.Header.Get("X-Telegram-Bot-Api-Secret-Token"), body: string(body)}
		if failures > 0 {
			failures--
			http.Error(w, "not yet", http.StatusInternalServerError)
		}
	}))
	defer hook.Close()
	b := newBot(t, srv)
	ctx := testCtx(t)
	if _, err := b.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: hook.URL + "/tg", SecretToken: "s3cret_token"}); err != nil {
		t.Fatal(err)
	}
	r := callGet(t, srv.URL(), srv.Token(), "getUpdates", nil)
	if r.Status != 409 || !strings.Contains(r.Description, "can't use getUpdates method while webhook is active") {
		t.Errorf("getUpdates with a webhook set = %+v", r)
	}
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "/start"})
	for i := range 2 {
		select {
		case c := <-calls:
			if c.secret != "s3cret_token" || !strings.Contains(c.body, `"text":"/start"`) {
				t.Errorf("delivery %d = %+v", i, c)
			}
		case <-ctx.Done():
			t.Fatalf("delivery %d never came", i)
		}
	}
	if err := srv.WaitUntil(ctx, func() bool { return srv.PendingUpdates() == 0 }); err != nil {
		t.Fatal(err)
	}
	st := srv.Stats()
	if st.WebhookDeliveries != 1 || st.WebhookFailures != 1 {
		t.Errorf("stats = %+v", st)
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil || info.URL != hook.URL+"/tg" || info.PendingUpdateCount != 0 || !strings.Contains(info.LastErrorMessage, "500") {
		t.Errorf("getWebhookInfo = %+v, %v", info, err)
	}
	if _, err := b.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil {
		t.Fatal(err)
	}
	if r := callGet(t, srv.URL(), srv.Token(), "getUpdates", nil); !r.OK {
		t.Errorf("getUpdates after deleteWebhook = %+v", r)
	}
}

func TestSetWebhookRefusesWhatTelegramRefuses(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	tests := []struct {
		name string
		form url.Values
		want string
	}{
		{"a secret with unallowed characters", url.Values{"url": {"http://127.0.0.1:1/x"}, "secret_token": {"no spaces"}}, "secret token contains unallowed characters"},
		{"a URL that is not one", url.Values{"url": {"not a url"}}, "bad webhook"},
		{"a host off this machine", url.Values{"url": {"https://example.org/hook"}}, "only to loopback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := callForm(t, srv.URL(), srv.Token(), "setWebhook", tt.form)
			if r.Status != 400 || !strings.Contains(r.Description, tt.want) {
				t.Errorf("setWebhook = %+v", r)
			}
		})
	}
}

func TestDeleteWebhookCanDropPendingUpdates(t *testing.T) {
	srv := telegramtest.NewTestServer(t)
	mustSend(t, srv, telegramtest.UserMessage{UserID: 1001, Text: "old"})
	r := callJSON(t, srv.URL(), srv.Token(), "deleteWebhook", map[string]any{"drop_pending_updates": true})
	var ok bool
	if err := json.Unmarshal(r.Result, &ok); err != nil || !ok || srv.PendingUpdates() != 0 {
		t.Errorf("deleteWebhook(drop) = %+v; %d pending", r, srv.PendingUpdates())
	}
}
