package blueskytest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald/blueskytest"
)

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// answer is an XRPC answer: status, headers and the decoded body.
type answer struct {
	status int
	header http.Header
	body   map[string]any
}

func (a answer) str(k string) string { s, _ := a.body[k].(string); return s }

func call(t *testing.T, srv *blueskytest.Server, method, nsid string, params url.Values, in any, bearer string) answer {
	t.Helper()
	u := srv.URL() + "/xrpc/" + nsid
	if params != nil {
		u += "?" + params.Encode()
	}
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, u, body)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", nsid, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, body: map[string]any{}}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			t.Fatalf("%s: answer %q is not a JSON object", nsid, raw)
		}
	}
	return a
}

func post(t *testing.T, srv *blueskytest.Server, nsid string, in any, bearer string) answer {
	t.Helper()
	return call(t, srv, http.MethodPost, nsid, nil, in, bearer)
}

func get(t *testing.T, srv *blueskytest.Server, nsid string, params url.Values, bearer string) answer {
	t.Helper()
	return call(t, srv, http.MethodGet, nsid, params, nil, bearer)
}

func wantError(t *testing.T, a answer, status int, name string) {
	t.Helper()
	if a.status != status || a.str("error") != name || a.str("message") == "" {
		t.Fatalf("got %d %v, want %d {error: %s, message: ...}", a.status, a.body, status, name)
	}
}

func signIn(t *testing.T, srv *blueskytest.Server, id, pw string) answer {
	t.Helper()
	a := post(t, srv, "com.atproto.server.createSession", map[string]string{"identifier": id, "password": pw}, "")
	if a.status != 200 {
		t.Fatalf("createSession: %d %v", a.status, a.body)
	}
	return a
}

func postRecord(text string) map[string]any {
	return map[string]any{"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-12-01T20:00:00.000Z", "langs": []string{"en"}}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
