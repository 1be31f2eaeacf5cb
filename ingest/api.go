package ingest

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// APIStore is what the ingest API needs from the store. cmd/herald adapts
// *store.Store to it.
type APIStore interface {
	Upserter
	Article(ctx context.Context, id int64) (*herald.Article, error)
	ArticleByExternalID(ctx context.Context, source, externalID string) (*herald.Article, error)
	SetArticleStatus(ctx context.Context, id int64, status herald.ArticleStatus) error
	// PostsOf returns the posts of an article.
	PostsOf(ctx context.Context, articleID int64) ([]APIPost, error)
	// PostsIn returns posts in the given states (all when none), in the
	// order they are due, at most limit.
	PostsIn(ctx context.Context, states []herald.PostState, limit int) ([]APIPost, error)
}

// APIPost is a post as the API shows it.
type APIPost struct {
	ID          int64            `json:"id"`
	ArticleID   int64            `json:"article_id"`
	Channel     string           `json:"channel"`
	Purpose     herald.Purpose   `json:"purpose"`
	State       herald.PostState `json:"state"`
	ScheduledAt time.Time        `json:"scheduled_at"`
	Attempts    int              `json:"attempts"`
	LastError   string           `json:"last_error"`
	MessageID   int64            `json:"message_id"`
	SentAt      *time.Time       `json:"sent_at"`
}

// API limits.
const (
	// MaxAPIBody is the largest request body the API reads: one page may be
	// herald.MaxBodyBytes, and a batch a few of them.
	MaxAPIBody = 4 * herald.MaxBodyBytes
	// MaxAPIBatch is the most articles one POST may carry.
	MaxAPIBatch = 500
)

// API is the HTTP ingest API a CMS pushes articles to: POST
// /api/articles (one or a batch), PUT and DELETE
// /api/articles/{source}/{external_id}, GET /api/articles/{id}, GET
// /api/posts?state=... . Every request needs "Authorization: Bearer
// <Token>", compared in constant time. Errors are JSON
// {"error":"...","field":"..."} with 400, 401, 404, 405, 413 or 415.
// Articles go through the same cleaning and upsert as imports; the same
// article twice is one article.
type API struct {
	Store  APIStore
	Token  string // empty: the API answers 404 to everything
	Log    *slog.Logger
	Source string // the source for articles that name none; default "cms"
	// Plan, when set, plans the posts of new and changed articles before the
	// answer, so that a created article answers with its planned posts.
	Plan func(ctx context.Context) error
	// Clean holds what articles are cleaned with beyond their source: the
	// agency's zone, programs, chrome and section labels.
	Clean Options
}

// Handler returns the API's routes.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/articles", a.auth(a.postArticles))
	mux.HandleFunc("PUT /api/articles/{source}/{external_id}", a.auth(a.putArticle))
	mux.HandleFunc("DELETE /api/articles/{source}/{external_id}", a.auth(a.deleteArticle))
	mux.HandleFunc("GET /api/articles/{id}", a.auth(a.getArticle))
	mux.HandleFunc("GET /api/posts", a.auth(a.getPosts))
	mux.HandleFunc("/api/", a.auth(func(w http.ResponseWriter, r *http.Request) {
		apiError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path, "")
	}))
	return mux
}

func (a *API) log() *slog.Logger {
	if a.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.Log
}

// auth checks the bearer token in constant time.
func (a *API) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.Token == "" {
			apiError(w, http.StatusNotFound, "the ingest API is off: set HERALD_API_TOKEN to turn it on", "")
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(a.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="herald"`)
			apiError(w, http.StatusUnauthorized, "missing or wrong bearer token", "authorization")
			return
		}
		next(w, r)
	}
}

// articleResult is what the API answers for one article.
type articleResult struct {
	ID      int64     `json:"id"`
	Outcome Outcome   `json:"outcome"`
	Status  string    `json:"status,omitempty"`
	Posts   []APIPost `json:"posts"`
}

func (a *API) postArticles(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r)
	if !ok {
		return
	}
	var items []json.RawMessage
	batch := len(bytes.TrimSpace(body)) > 0 && bytes.TrimSpace(body)[0] == '['
	if batch {
		if err := json.Unmarshal(body, &items); err != nil {
			apiError(w, http.StatusBadRequest, "bad JSON: "+err.Error(), "")
			return
		}
		if len(items) == 0 || len(items) > MaxAPIBatch {
			apiError(w, http.StatusBadRequest, fmt.Sprintf("a batch holds 1 to %d articles", MaxAPIBatch), "")
			return
		}
	} else {
		items = []json.RawMessage{body}
	}
	a.upsert(w, r, items, batch, "", "")
}

func (a *API) putArticle(w http.ResponseWriter, r *http.Request) {
	body, ok := readJSONBody(w, r)
	if !ok {
		return
	}
	a.upsert(w, r, []json.RawMessage{body}, false, r.PathValue("source"), r.PathValue("external_id"))
}

// upsert cleans every item first — a batch with one bad article stores
// nothing and says which — then stores them, plans their posts and answers.
func (a *API) upsert(w http.ResponseWriter, r *http.Request, items []json.RawMessage, batch bool, source, externalID string) {
	ctx := r.Context()
	arts := make([]*herald.Article, len(items))
	for i, raw := range items {
		name := "article"
		prefix := ""
		if batch {
			name, prefix = fmt.Sprintf("article %d", i), fmt.Sprintf("[%d].", i)
		}
		def := a.Source
		if def == "" {
			def = "cms"
		}
		opts := a.Clean
		opts.Source = def
		art, err := Parse(name+".json", raw, opts)
		if err != nil {
			apiError(w, http.StatusBadRequest, strings.TrimPrefix(herald.ErrorMessage(err), name+".json: "), prefix+fieldOf(err))
			return
		}
		if source != "" {
			art.Source, art.ExternalID = source, externalID
		}
		if err := art.Validate(); err != nil {
			apiError(w, http.StatusBadRequest, herald.ErrorMessage(err), prefix+fieldOf(err))
			return
		}
		arts[i] = art
	}
	results := make([]articleResult, len(arts))
	created := false
	for i, art := range arts {
		out, err := a.Store.Upsert(ctx, art)
		if err != nil {
			a.serverError(w, err)
			return
		}
		created = created || out == New
		results[i] = articleResult{ID: art.ID, Outcome: out}
	}
	if a.Plan != nil {
		if err := a.Plan(ctx); err != nil {
			a.log().Error("planning after an API upsert failed", "err", err)
		}
	}
	for i := range results {
		posts, err := a.Store.PostsOf(ctx, results[i].ID)
		if err != nil {
			a.serverError(w, err)
			return
		}
		results[i].Posts = nonNilPosts(posts)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	if batch {
		writeJSON(w, status, map[string]any{"articles": results})
		return
	}
	writeJSON(w, status, results[0])
}

func (a *API) deleteArticle(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	art, err := a.Store.ArticleByExternalID(ctx, r.PathValue("source"), r.PathValue("external_id"))
	if err != nil {
		a.storeError(w, err)
		return
	}
	if err := a.Store.SetArticleStatus(ctx, art.ID, herald.ArticleUnpublished); err != nil {
		a.storeError(w, err)
		return
	}
	if a.Plan != nil {
		if err := a.Plan(ctx); err != nil {
			a.log().Error("following an unpublished article failed", "err", err)
		}
	}
	posts, err := a.Store.PostsOf(ctx, art.ID)
	if err != nil {
		a.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, articleResult{ID: art.ID, Outcome: Updated, Status: string(herald.ArticleUnpublished), Posts: nonNilPosts(posts)})
}

func (a *API) getArticle(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		apiError(w, http.StatusBadRequest, "the article id must be a positive number", "id")
		return
	}
	art, err := a.Store.Article(r.Context(), id)
	if err != nil {
		a.storeError(w, err)
		return
	}
	posts, err := a.Store.PostsOf(r.Context(), id)
	if err != nil {
		a.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		*herald.Article
		Posts []APIPost `json:"posts"`
	}{art, nonNilPosts(posts)})
}

func (a *API) getPosts(w http.ResponseWriter, r *http.Request) {
	var states []herald.PostState
	for _, s := range r.URL.Query()["state"] {
		for _, one := range strings.Split(s, ",") {
			st := herald.PostState(strings.TrimSpace(one))
			if !st.Valid() {
				apiError(w, http.StatusBadRequest, fmt.Sprintf("unknown state %q", one), "state")
				return
			}
			states = append(states, st)
		}
	}
	limit := 500
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > 5000 {
			apiError(w, http.StatusBadRequest, "limit must be 1 to 5000", "limit")
			return
		}
		limit = n
	}
	posts, err := a.Store.PostsIn(r.Context(), states, limit)
	if err != nil {
		a.serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, nonNilPosts(posts))
}

// readJSONBody reads a JSON request body within MaxAPIBody, answering 415
// or 413 itself when it cannot.
func readJSONBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		apiError(w, http.StatusUnsupportedMediaType, "send JSON with Content-Type: application/json", "content-type")
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxAPIBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		apiError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d MB", MaxAPIBody>>20), "")
		return nil, false
	}
	if err != nil {
		apiError(w, http.StatusBadRequest, "could not read the body: "+err.Error(), "")
		return nil, false
	}
	return body, true
}

func (a *API) storeError(w http.ResponseWriter, err error) {
	switch herald.ErrorCode(err) {
	case herald.ENotFound:
		apiError(w, http.StatusNotFound, herald.ErrorMessage(err), "")
	case herald.EInvalid:
		apiError(w, http.StatusBadRequest, herald.ErrorMessage(err), fieldOf(err))
	default:
		a.serverError(w, err)
	}
}

func (a *API) serverError(w http.ResponseWriter, err error) {
	if code := herald.ErrorCode(err); code == herald.EInvalid {
		apiError(w, http.StatusBadRequest, herald.ErrorMessage(err), fieldOf(err))
		return
	}
	a.log().Error("ingest API", "err", err)
	apiError(w, http.StatusInternalServerError, "internal error", "")
}

func fieldOf(err error) string {
	var he *herald.Error
	if errors.As(err, &he) {
		return he.Field
	}
	return ""
}

func nonNilPosts(p []APIPost) []APIPost {
	if p == nil {
		return []APIPost{}
	}
	return p
}

func apiError(w http.ResponseWriter, status int, msg, field string) {
	body := map[string]string{"error": msg}
	if field != "" {
		body["field"] = field
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}
