package telegramtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	tgbot "github.com/go-telegram/bot"

	"github.com/herald-news/herald/telegramtest"
)

// newBot is a go-telegram/bot client of the fake.
func newBot(t *testing.T, srv *telegramtest.Server, opts ...tgbot.Option) *tgbot.Bot {
	t.Helper()
	opts = append([]tgbot.Option{tgbot.WithServerURL(srv.URL())}, opts...)
	b, err := tgbot.New(srv.Token(), opts...)
	if err != nil {
		t.Fatalf("tgbot.New: %v", err)
	}
	return b
}

// testCtx is a context that ends with the test, or after 10 s at most.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// apiResponse is a Bot API answer read raw.
type apiResponse struct {
	Status      int             `json:"-"`
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
}

// do sends a request and reads the Bot API answer.
func do(t *testing.T, req *http.Request) apiResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("answer is not JSON: %s", body)
	}
	r.Status = resp.StatusCode
	return r
}

// callForm calls a method with a urlencoded form.
func callForm(t *testing.T, base, token, method string, form url.Values) apiResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/bot"+token+"/"+method, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

// callJSON calls a method with a JSON body.
func callJSON(t *testing.T, base, token, method string, body any) apiResponse {
	t.Helper()
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, base+"/bot"+token+"/"+method, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// callGet calls a method with parameters in the query string.
func callGet(t *testing.T, base, token, method string, q url.Values) apiResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/bot"+token+"/"+method+"?"+q.Encode(), nil)
	return do(t, req)
}

func mustAddChat(t *testing.T, srv *telegramtest.Server, c telegramtest.Chat) {
	t.Helper()
	if err := srv.AddChat(c); err != nil {
		t.Fatal(err)
	}
}

func mustSend(t *testing.T, srv *telegramtest.Server, um telegramtest.UserMessage) telegramtest.Message {
	t.Helper()
	m, err := srv.UserSends(um)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
