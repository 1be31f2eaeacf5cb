package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// FuzzAPI posts arbitrary bytes to the ingest API, as one article, a
// batch, and a PUT: it never panics, answers only 200, 201, 400, 413 or
// 415, and every error is a JSON object with an "error".
func FuzzAPI(f *testing.F) {
	for _, s := range []string{
		good, "[" + good + "]", "", "null", "[]", "{}", "[null]", `{"title":1}`, `{"title":"<b>x</b>","body":"y"}`,
		`{"source":"cms","external_id":"'); DROP TABLE posts;--","title":"T","body":"B","kind":"news","language":"en"}`,
		`{"title":"\u200f\u200b","body":"\ud83c\udff3\ufe0f\u200d\ud83c\udf08","kind":"news","language":"az"}`,
		`{"published_at":"9999-99-99"}`, `{"url":"javascript:alert(1)","title":"T","body":"B"}`, `[1,2,3]`, `{"people":[{}]}`,
	} {
		f.Add([]byte(s))
	}
	st, err := store.Open(filepath.Join(f.TempDir(), "h.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	ch := &herald.Channel{Network: "telegram", Chat: "-1001", Title: "EN", Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := st.CreateChannel(context.Background(), ch); err != nil {
		f.Fatal(err)
	}
	w := &scheduler.Watcher{Store: st, Zone: "Asia/Baku"}
	h := (&ingest.API{Store: apiStore{st}, Token: apiToken,
		Plan: func(ctx context.Context) error { _, err := w.Sweep(ctx); return err }}).Handler()
	allowed := map[int]bool{200: true, 201: true, 400: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, target := range []struct{ method, path string }{
			{"POST", "/api/articles"},
			{"PUT", "/api/articles/cms/fuzz-1"},
		} {
			req := httptest.NewRequest(target.method, target.path, bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+apiToken)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if !allowed[rec.Code] {
				t.Fatalf("%s %s %q answered %d: %s", target.method, target.path, body, rec.Code, rec.Body)
			}
			if rec.Code >= 400 {
				var e struct {
					Error string `json:"error"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
					t.Fatalf("%s %s %q answered %d with no JSON error: %q", target.method, target.path, body, rec.Code, rec.Body)
				}
			}
			if rec.Code < 300 && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s %s %q answered %d with invalid JSON: %q", target.method, target.path, body, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("answered with Content-Type %q", ct)
			}
		}
	})
}
