package desk

import (
	"errors"
	"net/http"
	"strings"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// pageFor starts the page of a signed-in request.
func (d *Desk) pageFor(r *http.Request, nav string) *page {
	u := whoOf(r)
	p := &page{L: lang(u.lang), Nav: nav, User: u.editor, CSRF: csrfOf(u.token), Name: u.session.Name, Path: r.URL.RequestURI()}
	if p.Name == "" {
		p.Name = u.editor.Name
	}
	if ok := r.URL.Query().Get("ok"); ok != "" && !strings.ContainsAny(ok, "<>&\"") {
		p.Flash = p.L.T("ok." + ok)
	}
	return p
}

// fail shows an internal error, logged with its detail, the person told
// only that it failed.
func (d *Desk) fail(w http.ResponseWriter, p *page, err error) {
	if herald.ErrorCode(err) == herald.ENotFound {
		p.Title, p.Error = p.L.T("err.title"), herald.ErrorMessageIn(err, herald.Language(p.L))
		d.render(w, http.StatusNotFound, "error", p)
		return
	}
	d.log.Error("desk: page failed", "err", err)
	p.Title, p.Error = p.L.T("err.title"), p.L.T("err.internal")
	d.render(w, http.StatusInternalServerError, "error", p)
}

// actionError says why an action on post id did not happen, in words,
// with the status to answer: a stale revision or a conflicting state is a
// 409 naming the state the post is in now, as the bot's alert does.
func (d *Desk) actionError(r *http.Request, l lang, id int64, err error) (int, string) {
	var stale *store.StaleError
	switch {
	case errors.As(err, &stale):
		return http.StatusConflict, l.T("err.stale", id, l.State(stale.Post.State))
	case herald.ErrorCode(err) == herald.ENotFound:
		return http.StatusNotFound, herald.ErrorMessageIn(err, herald.Language(l))
	case herald.ErrorCode(err) == herald.EConflict:
		if p, perr := d.cfg.Store.Post(r.Context(), id); perr == nil {
			return http.StatusConflict, l.T("err.stale", id, l.State(p.State))
		}
		return http.StatusConflict, herald.ErrorMessageIn(err, herald.Language(l))
	case herald.ErrorCode(err) == herald.EInvalid:
		return http.StatusUnprocessableEntity, herald.ErrorMessageIn(err, herald.Language(l))
	}
	d.log.Error("desk: action failed", "post", id, "err", err)
	return http.StatusInternalServerError, l.T("err.internal")
}
