package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

const apiToken = "test-api-token-0123456789"

// apiStore adapts the store to the API, as cmd/herald does.
type apiStore struct{ st *store.Store }

func (s apiStore) Upsert(ctx context.Context, a *herald.Article) (ingest.Outcome, error) {
	out, err := s.st.UpsertArticle(ctx, a)
	switch {
	case err != nil:
		return ingest.Failed, err
	case out == store.Created:
		return ingest.New, nil
	case out == store.Updated:
		return ingest.Updated, nil
	}
	return ingest.Unchanged, nil
}
func (s apiStore) Article(ctx context.Context, id int64) (*herald.Article, error) {
	return s.st.Article(ctx, id)
}
func (s apiStore) ArticleByExternalID(ctx context.Context, src, ext string) (*herald.Article, error) {
	return s.st.ArticleByExternalID(ctx, src, ext)
}
func (s apiStore) SetArticleStatus(ctx context.Context, id int64, st herald.ArticleStatus) error {
	return s.st.SetArticleStatus(ctx, id, st)
}
func (s apiStore) PostsOf(ctx context.Context, id int64) ([]ingest.APIPost, error) {
	return s.posts(ctx, store.PostFilter{ArticleID: id})
}
func (s apiStore) PostsIn(ctx context.Context, states []herald.PostState, limit int) ([]ingest.APIPost, error) {
	return s.posts(ctx, store.PostFilter{States: states, Limit: limit})
}
func (s apiStore) posts(ctx context.Context, f store.PostFilter) ([]ingest.APIPost, error) {
	ps, err := s.st.Posts(ctx, f)
	var out []ingest.APIPost
	for _, p := range ps {
		out = append(out, ingest.APIPost{ID: p.ID, ArticleID: p.ArticleID, State: p.State, Purpose: p.Purpose, ScheduledAt: p.ScheduledAt})
	}
	return out, err
}

func newAPI(t *testing.T) (*httptest.Server, *store.Store) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ch := &herald.Channel{Network: "telegram", Chat: "-1001", Title: "EN", Language: herald.LangEnglish,
		Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkText,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := st.CreateChannel(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	w := &scheduler.Watcher{Store: st, Zone: "Asia/Baku"}
	api := &ingest.API{Store: apiStore{st}, Token: apiToken,
		Plan: func(ctx context.Context) error { _, err := w.Sweep(ctx); return err }}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return srv, st
}

type apiResp struct {
	status int
	body   map[string]any
	raw    string
}

func call(t *testing.T, srv *httptest.Server, method, path, token, ctype, body string) apiResp {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	r := apiResp{status: res.StatusCode, raw: buf.String()}
	json.Unmarshal(buf.Bytes(), &r.body)
	return r
}

const good = `{"source":"cms","external_id":"a-1","title":"Water bills and the question nobody asks",
	"body":"The new tariffs took effect this month.\n\nA second paragraph.","kind":"commentary","language":"en",
	"url":"https://news.example.org/a-1"}`

func TestAPIRefusesWithoutTheRightToken(t *testing.T) {
	srv, st := newAPI(t)
	for _, tok := range []string{"", "wrong-token-wrong-token"} {
		if r := call(t, srv, "POST", "/api/articles", tok, "application/json", good); r.status != 401 || r.body["error"] == nil {
			t.Fatalf("token %q: %d %s", tok, r.status, r.raw)
		}
	}
	if n, _ := st.CountArticles(context.Background()); n != 0 {
		t.Fatal("an unauthorised request stored an article")
	}
}

func TestAPIUpsertsIdempotentlyAndAnswersWithPlannedPosts(t *testing.T) {
	srv, _ := newAPI(t)
	r := call(t, srv, "POST", "/api/articles", apiToken, "application/json", good)
	if r.status != 201 || r.body["outcome"] != "new" || r.body["id"] == nil {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	if posts, _ := r.body["posts"].([]any); len(posts) != 1 {
		t.Fatalf("a created article should answer with its planned post: %s", r.raw)
	}
	if r := call(t, srv, "POST", "/api/articles", apiToken, "application/json", good); r.status != 200 || r.body["outcome"] != "unchanged" {
		t.Fatalf("same article again: %d %s", r.status, r.raw)
	}
	changed := strings.Replace(good, "A second paragraph.", "A corrected second paragraph.", 1)
	if r := call(t, srv, "POST", "/api/articles", apiToken, "application/json", changed); r.status != 200 || r.body["outcome"] != "updated" {
		t.Fatalf("changed article: %d %s", r.status, r.raw)
	}
}

func TestAPIValidatesAndSaysWhatIsWrong(t *testing.T) {
	srv, st := newAPI(t)
	tests := []struct {
		name, ctype, body string
		status            int
		field             string
	}{
		{"a body that is not JSON is refused", "application/json", `{"title":`, 400, ""},
		{"an unknown kind names the field", "application/json", `{"title":"T","body":"Some text here.","kind":"gossip"}`, 400, ""},
		{"a page without a title is refused", "application/json", `{"body":"Text without a title at all."}`, 400, ""},
		{"another content type is refused", "text/plain", good, 415, "content-type"},
		{"a batch with one bad article names it and stores none", "application/json",
			"[" + good + `,{"body":"no title"}]`, 400, "[1]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "POST", "/api/articles", apiToken, tt.ctype, tt.body)
			if r.status != tt.status || r.body["error"] == nil {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if f, _ := r.body["field"].(string); tt.field != "" && !strings.HasPrefix(f, tt.field) {
				t.Fatalf("field %q, want prefix %q (%s)", f, tt.field, r.raw)
			}
		})
	}
	if n, _ := st.CountArticles(context.Background()); n != 0 {
		t.Fatalf("%d articles stored from bad requests", n)
	}
}

func TestAPIRefusesABodyOverTheLimit(t *testing.T) {
	srv, _ := newAPI(t)
	big := `{"title":"T","body":"` + strings.Repeat("x", ingest.MaxAPIBody) + `"}`
	if r := call(t, srv, "POST", "/api/articles", apiToken, "application/json", big); r.status != 413 {
		t.Fatalf("oversized body: %d %.200s", r.status, r.raw)
	}
}

func TestAPIBatchPutDeleteAndGet(t *testing.T) {
	srv, st := newAPI(t)
	second := strings.NewReplacer(`"a-1"`, `"a-2"`, "a-1", "a-2").Replace(good)
	r := call(t, srv, "POST", "/api/articles", apiToken, "application/json", "["+good+","+second+"]")
	arts, _ := r.body["articles"].([]any)
	if r.status != 201 || len(arts) != 2 {
		t.Fatalf("batch: %d %s", r.status, r.raw)
	}
	r = call(t, srv, "PUT", "/api/articles/cms/a-3", apiToken, "application/json", `{"title":"Third piece","body":"Its text is here."}`)
	if r.status != 201 {
		t.Fatalf("put: %d %s", r.status, r.raw)
	}
	a, err := st.ArticleByExternalID(context.Background(), "cms", "a-3")
	if err != nil {
		t.Fatalf("PUT did not file the article under its path: %v", err)
	}
	if r := call(t, srv, "GET", "/api/articles/"+jsonNum(a.ID), apiToken, "", ""); r.status != 200 || r.body["title"] != "Third piece" {
		t.Fatalf("get: %d %s", r.status, r.raw)
	}
	if r := call(t, srv, "DELETE", "/api/articles/cms/a-3", apiToken, "", ""); r.status != 200 || r.body["status"] != "unpublished" {
		t.Fatalf("delete: %d %s", r.status, r.raw)
	}
	got, _ := st.Article(context.Background(), a.ID)
	if got.Status != herald.ArticleUnpublished {
		t.Fatal("DELETE did not unpublish")
	}
	if r := call(t, srv, "DELETE", "/api/articles/cms/nope", apiToken, "", ""); r.status != 404 {
		t.Fatalf("delete unknown: %d", r.status)
	}
	if r := call(t, srv, "GET", "/api/articles/999", apiToken, "", ""); r.status != 404 {
		t.Fatalf("get unknown: %d", r.status)
	}
	r = call(t, srv, "GET", "/api/posts?state=planned", apiToken, "", "")
	var posts []map[string]any
	json.Unmarshal([]byte(r.raw), &posts)
	if r.status != 200 || len(posts) != 2 {
		t.Fatalf("planned posts: %d %s", r.status, r.raw)
	}
	if r := call(t, srv, "GET", "/api/posts?state=lost", apiToken, "", ""); r.status != 400 || r.body["field"] != "state" {
		t.Fatalf("bad state: %d %s", r.status, r.raw)
	}
}

func TestAPIIsOffWithoutAToken(t *testing.T) {
	api := &ingest.API{}
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	if r := call(t, srv, "POST", "/api/articles", "anything", "application/json", good); r.status != 404 {
		t.Fatalf("API without a configured token: %d", r.status)
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }
