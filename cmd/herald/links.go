package main

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// linkHandler answers herald's short links (HERALD_LINKS/<code>): a
// redirect to the post's article with the campaign parameters of its
// channel and network. A reader's click is counted; a bot's or a link
// preview's fetch (by User-Agent) and a HEAD request are not. Nothing
// about the reader is kept. Paths that are not a stored link go to next.
type linkHandler struct {
	st   *store.Store
	base string // HERALD_LINKS
	log  *slog.Logger
	next http.Handler
}

func (h *linkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	code, ok := h.code(r.URL.Path)
	if !ok || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		h.next.ServeHTTP(w, r)
		return
	}
	l, err := h.st.LinkByCode(r.Context(), code)
	if herald.ErrorCode(err) == herald.ENotFound {
		h.next.ServeHTTP(w, r)
		return
	}
	if err != nil {
		h.log.Error("could not read a short link", "err", err)
		http.Error(w, "herald could not read this link; try again", http.StatusServiceUnavailable)
		return
	}
	target := herald.WithUTM(l.URL, l.Channel)
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		http.NotFound(w, r)
		return
	}
	if r.Method == http.MethodGet && !herald.IsBotAgent(r.UserAgent()) {
		if err := h.st.CountClick(r.Context(), code); err != nil {
			h.log.Warn("click not counted", "err", err) // the reader still gets the article
		}
	}
	// Not cached: a browser that cached the redirect would not be counted
	// again, and the article's URL may change.
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer-when-downgrade")
	http.Redirect(w, r, target, http.StatusFound)
}

// code returns the link code a request path names under HERALD_LINKS's
// path, if it has the shape of one.
func (h *linkHandler) code(path string) (string, bool) {
	prefix := "/"
	if u, err := url.Parse(h.base); err == nil && strings.Trim(u.Path, "/") != "" {
		prefix = "/" + strings.Trim(u.Path, "/") + "/"
	}
	code, ok := strings.CutPrefix(path, prefix)
	if !ok || !herald.ValidLinkCode(code) {
		return "", false
	}
	return code, true
}
