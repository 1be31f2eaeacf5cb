package desk

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// cookieName is the session cookie's name.
const cookieName = "herald_desk"

// LoginMaxAge is how old a Login Widget's auth_date may be: a day, as
// issue 15 asks; Telegram leaves the bound to the site.
const LoginMaxAge = 24 * time.Hour

// loginSkew is how far in the future an auth_date may be (clocks differ).
const loginSkew = 5 * time.Minute

// Login is a person the Login Widget vouched for.
type Login struct {
	ID       int64
	Name     string
	Username string
	AuthDate time.Time
}

// Errors of a Login Widget check, each a reason the sign-in page names.
var (
	ErrLoginUnsigned = errors.New("desk: the login carries no hash or id")
	ErrLoginForged   = errors.New("desk: the login's hash does not match: not signed by this bot")
	ErrLoginExpired  = errors.New("desk: the login is more than a day old")
)

// CheckLogin checks the Telegram Login Widget's fields as Telegram
// documents: the hash is the hex HMAC-SHA-256 of the data-check string
// (every other field as key=value, sorted by key, joined by newlines),
// keyed with the SHA-256 of the bot token; auth_date is at most a day old.
func CheckLogin(fields url.Values, token string, now time.Time) (*Login, error) {
	hash := fields.Get("hash")
	if hash == "" || fields.Get("id") == "" || fields.Get("auth_date") == "" {
		return nil, ErrLoginUnsigned
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		if k != "hash" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + fields.Get(k)
	}
	secret := sha256.Sum256([]byte(token))
	mac := hmac.New(sha256.New, secret[:])
	mac.Write([]byte(strings.Join(lines, "\n")))
	got, err := hex.DecodeString(strings.ToLower(hash))
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return nil, ErrLoginForged
	}
	id, err := strconv.ParseInt(fields.Get("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, ErrLoginUnsigned
	}
	sec, err := strconv.ParseInt(fields.Get("auth_date"), 10, 64)
	if err != nil {
		return nil, ErrLoginUnsigned
	}
	at := time.Unix(sec, 0)
	if now.Sub(at) > LoginMaxAge || at.Sub(now) > loginSkew {
		return nil, ErrLoginExpired
	}
	name := strings.TrimSpace(fields.Get("first_name") + " " + fields.Get("last_name"))
	return &Login{ID: id, Name: herald.Neutral(name), Username: fields.Get("username"), AuthDate: at}, nil
}

// widget is the Login Widget's script tag on the sign-in page.
type widget struct {
	Bot     string
	AuthURL string
}

// who is the signed-in person of a request.
type who struct {
	session *store.DeskSession
	editor  *herald.Editor
	token   string
	lang    herald.Language
}

type whoKey struct{}

func whoOf(r *http.Request) *who { w, _ := r.Context().Value(whoKey{}).(*who); return w }

// signed lets through only requests of a live session whose person is an
// owner or editor now; it checks a POST's CSRF token and origin first.
func (d *Desk) signed(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := d.session(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin", http.StatusSeeOther)
				return
			}
			http.Error(w, "sign in first", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			if !sameOrigin(r) {
				d.refuse(w, r, u, "cross-site form")
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
			if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(csrfOf(u.token))) {
				d.refuse(w, r, u, "form without its CSRF token")
				return
			}
		}
		h(w, r.WithContext(context.WithValue(r.Context(), whoKey{}, u)))
	}
}

// refuse answers 403 to a form that fails the CSRF or origin check, and
// changes nothing.
func (d *Desk) refuse(w http.ResponseWriter, r *http.Request, u *who, why string) {
	d.log.Warn("desk: refused a form", "user", u.editor.UserID, "path", r.URL.Path, "why", why)
	d.render(w, http.StatusForbidden, "error", &page{L: lang(u.lang), Title: lang(u.lang).T("err.title"),
		Error: lang(u.lang).T("err.csrf")})
}

// session returns the person behind the request's cookie, with their
// rights read now: a removed editor's session lets nobody in.
func (d *Desk) session(r *http.Request) (*who, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil, false
	}
	ds, err := d.cfg.Store.DeskSessionByToken(r.Context(), c.Value, d.cfg.SessionIdle)
	if err != nil {
		return nil, false
	}
	ed, err := d.cfg.Store.Editor(r.Context(), ds.UserID)
	if err != nil {
		return nil, false
	}
	u := &who{session: ds, editor: ed, token: c.Value}
	u.lang, _ = d.cfg.Store.DeskLanguage(r.Context(), ds.UserID)
	if !u.lang.Valid() {
		u.lang = pickLanguage(ed.Language, r.Header.Get("Accept-Language"))
	}
	return u, true
}

// csrfOf derives a session's CSRF token from its cookie token, which only
// the browser and this request have: nothing more to store, and it cannot
// be read from the database.
func csrfOf(token string) string {
	mac := hmac.New(sha256.New, []byte(token))
	mac.Write([]byte("herald desk csrf"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// sameOrigin refuses a form a browser says came from another site: by
// Sec-Fetch-Site where the browser sends it, else by Origin. A request with
// neither (an old browser, a script) still needs the CSRF token.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default:
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" || o == "null" && r.Header.Get("Sec-Fetch-Site") == "same-origin" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

// secure reports whether the browser reached the desk over TLS.
func (d *Desk) secure(r *http.Request) bool {
	return r.TLS != nil || d.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// startSession signs userID in: a new session in the store and its cookie.
func (d *Desk) startSession(w http.ResponseWriter, r *http.Request, userID int64, name, via string) error {
	token, err := store.NewDeskToken()
	if err != nil {
		return err
	}
	ds := &store.DeskSession{UserID: userID, Name: name, Via: via, UserAgent: clipRunes(r.UserAgent(), 200),
		ExpiresAt: d.cfg.Now().Add(d.cfg.SessionTTL)}
	if err := d.cfg.Store.CreateDeskSession(r.Context(), token, ds); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/", HttpOnly: true, Secure: d.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(d.cfg.SessionTTL / time.Second)})
	d.cfg.Store.AddAudit(r.Context(), &herald.AuditEntry{UserID: userID, Action: "desk_signin", Detail: via})
	return nil
}

func (d *Desk) signinPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := d.session(r); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	d.signinWith(w, r, http.StatusOK, "")
}

// signinWith shows the sign-in page, with why the last attempt failed.
func (d *Desk) signinWith(w http.ResponseWriter, r *http.Request, status int, errKey string) {
	l := lang(pickLanguage("", r.Header.Get("Accept-Language")))
	p := &page{L: l, Title: l.T("signin.title"), Data: map[string]string{"Bot": d.cfg.BotUsername}}
	if errKey != "" {
		p.Error = l.T(errKey)
	}
	if d.cfg.Domain != "" && d.cfg.BotUsername != "" {
		p.Widget = &widget{Bot: d.cfg.BotUsername, AuthURL: strings.TrimRight(d.cfg.URL, "/") + "/auth/telegram"}
		w.Header().Set("Content-Security-Policy", cspWidget)
	}
	d.render(w, status, "signin", p)
}

// widgetLogin is the Login Widget's callback: its fields by GET (the
// widget's data-auth-url redirect) or by POST.
func (d *Desk) widgetLogin(w http.ResponseWriter, r *http.Request) {
	var fields url.Values
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if err := r.ParseForm(); err != nil {
			d.signinWith(w, r, http.StatusBadRequest, "signin.bad")
			return
		}
		fields = r.PostForm
	} else {
		fields = r.URL.Query()
	}
	login, err := CheckLogin(fields, d.cfg.Token, d.cfg.Now())
	switch {
	case errors.Is(err, ErrLoginExpired):
		d.signinWith(w, r, http.StatusForbidden, "signin.expired")
		return
	case err != nil:
		d.log.Warn("desk: refused a login", "err", err)
		d.signinWith(w, r, http.StatusForbidden, "signin.forged")
		return
	}
	if _, err := d.cfg.Store.Editor(r.Context(), login.ID); err != nil {
		d.cfg.Store.AddCounted(r.Context(), &herald.AuditEntry{UserID: login.ID, Action: "refused",
			Detail: "desk sign-in (" + clipRunes(login.Name, 60) + ")"}, 10*time.Minute)
		d.signinWith(w, r, http.StatusForbidden, "signin.stranger")
		return
	}
	if fresh, err := d.cfg.Store.SpendDeskLogin(r.Context(), strings.ToLower(fields.Get("hash")), login.ID, login.AuthDate); err != nil || !fresh {
		if err != nil {
			d.log.Error("desk: could not record a login", "err", err)
		}
		d.signinWith(w, r, http.StatusForbidden, "signin.used")
		return
	}
	if err := d.startSession(w, r, login.ID, login.Name, "widget"); err != nil {
		d.log.Error("desk: could not start a session", "err", err)
		d.signinWith(w, r, http.StatusInternalServerError, "err.internal")
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// linkPage shows the one-time link's page: a button that spends it. A
// GET alone spends nothing, so that a link preview or a mail scanner
// fetching the URL does not use the link up.
func (d *Desk) linkPage(w http.ResponseWriter, r *http.Request) {
	l := lang(pickLanguage("", r.Header.Get("Accept-Language")))
	t := r.URL.Query().Get("t")
	if t == "" || len(t) > 100 {
		d.signinWith(w, r, http.StatusBadRequest, "signin.linkbad")
		return
	}
	d.render(w, http.StatusOK, "link", &page{L: l, Title: l.T("signin.title"), Data: t})
}

func (d *Desk) linkLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if !sameOrigin(r) {
		d.signinWith(w, r, http.StatusForbidden, "err.csrf")
		return
	}
	userID, err := d.cfg.Store.UseDeskLink(r.Context(), r.PostFormValue("t"))
	if err != nil {
		d.signinWith(w, r, http.StatusForbidden, "signin.linkbad")
		return
	}
	ed, err := d.cfg.Store.Editor(r.Context(), userID)
	if err != nil {
		d.signinWith(w, r, http.StatusForbidden, "signin.stranger")
		return
	}
	if err := d.startSession(w, r, userID, ed.Name, "link"); err != nil {
		d.log.Error("desk: could not start a session", "err", err)
		d.signinWith(w, r, http.StatusInternalServerError, "err.internal")
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (d *Desk) signout(w http.ResponseWriter, r *http.Request) {
	u := whoOf(r)
	if err := d.cfg.Store.EndDeskSession(r.Context(), u.token); err != nil {
		d.log.Error("desk: sign-out", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", HttpOnly: true, Secure: d.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (d *Desk) setLanguage(w http.ResponseWriter, r *http.Request) {
	u := whoOf(r)
	l := herald.Language(r.PostFormValue("lang"))
	if l.Valid() {
		if err := d.cfg.Store.SetDeskLanguage(r.Context(), u.editor.UserID, l); err != nil {
			d.log.Error("desk: language", "err", err)
		}
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.Contains(back, "\\") {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// pickLanguage chooses a language for a page: the one Telegram reports for
// the person, else the browser's first of az, ru, en; English otherwise.
func pickLanguage(telegram herald.Language, accept string) herald.Language {
	if telegram.Valid() {
		return telegram
	}
	for _, part := range strings.Split(accept, ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if l := herald.Language(base); l.Valid() {
			return l
		}
	}
	return herald.LangEnglish
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
