package telegramtest_test

import (
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/herald-news/herald/telegramtest"
)

// fake drives the simulation endpoints of a server over HTTP.
type fake struct {
	t    *testing.T
	base string
}

func (f fake) post(path, body string) (int, string) {
	f.t.Helper()
	resp, err := http.Post(f.base+path, "application/json", strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func (f fake) get(path string, v any) {
	f.t.Helper()
	resp, err := http.Get(f.base + path)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		f.t.Fatalf("GET %s: %v", path, err)
	}
}

func TestProcessFormOverHTTP(t *testing.T) {
	// Four sends to one channel at once: the limits are not what this is about.
	srv := telegramtest.NewTestServer(t, telegramtest.WithToken("42:tok"), telegramtest.WithoutLimits())
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	f := fake{t, hs.URL}

	if code, body := f.post("/fake/chats", `{"id":-1001,"type":"channel","title":"DQ English","linked_chat_id":-1002,"bot_rights":"admin"}`); code != 200 {
		t.Fatalf("POST /fake/chats = %d %s", code, body)
	}
	if code, _ := f.post("/fake/chats", `{"id":-1001,"bot_rights":"sometimes"}`); code != 400 {
		t.Errorf("bad bot_rights answered %d", code)
	}

	// Parameters arrive the four ways Telegram takes them.
	r := callForm(t, hs.URL, "42:tok", "sendMessage", url.Values{"chat_id": {"-1001"}, "text": {"<b>one</b>"}, "parse_mode": {"HTML"}})
	if !r.OK {
		t.Fatalf("urlencoded: %+v", r)
	}
	if r := callJSON(t, hs.URL, "42:tok", "sendMessage", map[string]any{"chat_id": -1001, "text": "two", "disable_notification": true}); !r.OK {
		t.Fatalf("JSON: %+v", r)
	}
	if r := callGet(t, hs.URL, "42:tok", "sendMessage", url.Values{"chat_id": {"-1001"}, "text": {"three"}}); !r.OK {
		t.Fatalf("query string: %+v", r)
	}
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	mw.WriteField("chat_id", "-1001")
	mw.WriteField("text", "four")
	mw.WriteField("reply_markup", `{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]}`)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, hs.URL+"/bot42:tok/SENDMESSAGE", strings.NewReader(body.String()))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if r := do(t, req); !r.OK {
		t.Fatalf("multipart: %+v", r)
	}

	var msgs []map[string]any
	f.get("/fake/chats/-1001/messages", &msgs)
	if len(msgs) != 4 || msgs[0]["text"] != "one" || msgs[0]["parse_mode"] != "HTML" || msgs[0]["sent_text"] != "<b>one</b>" ||
		msgs[1]["disable_notification"] != true || msgs[3]["reply_markup"] == nil || msgs[0]["deleted"] != false {
		t.Errorf("channel messages = %v", msgs)
	}
	var group []map[string]any
	f.get("/fake/chats/-1002/messages", &group)
	if len(group) != 4 || group[0]["is_automatic_forward"] != true {
		t.Errorf("discussion group messages = %v", group)
	}

	code, out := f.post("/fake/send", `{"user_id":1001,"chat_id":1001,"text":"/queue","language_code":"en","first_name":"Aysel"}`)
	var sent map[string]any
	if json.Unmarshal([]byte(out), &sent); code != 200 || sent["message_id"] != 1.0 {
		t.Errorf("POST /fake/send = %d %s", code, out)
	}
	if code, out := f.post("/fake/reply", `{"user_id":3003,"chat_id":-1002,"reply_to_message_id":1,"text":"Good"}`); code != 200 {
		t.Errorf("POST /fake/reply = %d %s", code, out)
	}
	if code, out := f.post("/fake/edit", `{"user_id":3003,"chat_id":-1002,"message_id":5,"text":"Very good"}`); code != 200 {
		t.Errorf("POST /fake/edit = %d %s", code, out)
	}
	code, out = f.post("/fake/press", `{"user_id":1001,"chat_id":-1001,"message_id":4,"data":"go"}`)
	if code != 200 || !strings.Contains(out, "callback_query_id") {
		t.Errorf("POST /fake/press = %d %s", code, out)
	}
	if code, _ := f.post("/fake/press", `{"user_id":1001,"chat_id":-1001,"message_id":4,"data":"nope"}`); code != 400 {
		t.Errorf("pressing a missing button answered %d", code)
	}
	if code, _ := f.post("/fake/reactions", `{"chat_id":-1001,"message_id":1,"counts":{"👍":3}}`); code != 200 {
		t.Errorf("POST /fake/reactions = %d", code)
	}
	if code, _ := f.post("/fake/reactions", `{"chat_id":-1001,"message_id":77,"counts":{"👍":3}}`); code != 404 {
		t.Errorf("reactions on a missing message answered %d", code)
	}
	if code, out := f.post("/fake/updates", `{"poll":{"id":"1"}}`); code != 200 || !strings.Contains(out, "update_id") {
		t.Errorf("POST /fake/updates = %d %s", code, out)
	}
	if code, _ := f.post("/fake/faults", `{"method":"sendMessage","status":502,"count":1}`); code != 200 {
		t.Errorf("POST /fake/faults = %d", code)
	}
	if r := callJSON(t, hs.URL, "42:tok", "sendMessage", map[string]any{"chat_id": -1001, "text": "five"}); r.Status != 502 || r.ErrorCode != 502 {
		t.Errorf("after a 502 fault: %+v", r)
	}

	var calls []telegramtest.Call
	f.get("/fake/calls?method=sendMessage", &calls)
	if len(calls) != 5 || calls[0].Params["text"] != "<b>one</b>" || calls[4].Status != 502 {
		t.Errorf("journal = %+v", calls)
	}
	raw, _ := json.Marshal(calls)
	if strings.Contains(string(raw), "42:tok") {
		t.Error("the journal shows the token")
	}
	var stats telegramtest.Stats
	f.get("/fake/stats", &stats)
	if stats.Calls["sendMessage"] != 5 {
		t.Errorf("stats = %+v", stats)
	}
	var answers []telegramtest.Answer
	f.get("/fake/answers", &answers)
	if len(answers) != 0 {
		t.Errorf("answers before any = %+v", answers)
	}
}
