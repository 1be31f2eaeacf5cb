// Package desk is herald's web desk: server-rendered pages over the same
// queue, store and rights as the bot. It shows the plan of every channel,
// each post as readers will see it (through the bot's own renderer), the
// articles, the readers' reviews and numbers, and herald's health, and it
// changes only what an editor can change from Telegram, through
// scheduler.Queue and the store's moderation calls, with the post's
// revision, so that two people acting at once settle as with the buttons.
//
// Sign-in is with Telegram: the Login Widget's signed data, or a one-time
// link the bot sends on /desk. Only owners and editors get in, and their
// rights are read again on every request. Sessions live in the database
// (hashed), cookies are HttpOnly and SameSite=Lax, every form carries a
// per-session CSRF token, and every page is sent with a CSP that allows no
// inline script and no framing. Pages, styles and the one small script are
// embedded in the binary; nothing is loaded from another site, except the
// Telegram widget's script where a domain is configured for it.
package desk

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is what the desk needs.
type Config struct {
	Store       *store.Store
	Queue       *scheduler.Queue
	Token       string // the bot token: the key of the Login Widget's signature; never shown
	BotUsername string // without @: the widget's data-telegram-login, review links in previews
	// Domain is the domain set with BotFather's /setdomain. Only when it is
	// set does the sign-in page load Telegram's widget script.
	Domain string
	// URL is the desk's address as people open it (HERALD_DESK_URL), for
	// the widget's data-auth-url; "" makes it relative.
	URL  string
	Zone string // HERALD_TIMEZONE: the zone of channels that set none
	// TrustProxy makes the desk believe X-Forwarded-Proto: https from a
	// reverse proxy in front of it (for Secure cookies). Off by default: a
	// client could send the header itself.
	TrustProxy bool
	// Doctor runs herald doctor's checks, reporting each line; the desk
	// runs it at most every DoctorEvery and shows the last result.
	Doctor      func(ctx context.Context, report func(bot.Check))
	DoctorEvery time.Duration // default 10 minutes
	Errors      *ErrorLog     // the last errors herald logged; may be nil
	// NetworkText is the text a post will have on a network besides
	// Telegram, fitted as that network's publisher fits it; nil shows
	// such posts as Telegram would.
	NetworkText func(ctx context.Context, d scheduler.Delivery) (string, error)
	Log         *slog.Logger
	Now         func() time.Time
	// SessionTTL is how long a session lasts at most (default 7 days),
	// SessionIdle how long it lasts unused (default 12 hours).
	SessionTTL  time.Duration
	SessionIdle time.Duration
}

// Desk serves the web desk.
type Desk struct {
	cfg    Config
	log    *slog.Logger
	pages  map[string]*template.Template
	static http.Handler
	doctor doctorCache
}

// The security headers of every answer. style-src 'self' only: the pages
// carry no inline style either.
const (
	csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
	// The sign-in page may load the Telegram widget, which is a script and
	// an iframe from telegram.org.
	cspWidget = "default-src 'self'; script-src 'self' https://telegram.org; frame-src https://oauth.telegram.org; " +
		"style-src 'self'; img-src 'self' data: https://t.me https://telegram.org; form-action 'self'; " +
		"frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

// New checks cfg and parses the embedded pages.
func New(cfg Config) (*Desk, error) {
	if cfg.Store == nil || cfg.Queue == nil {
		return nil, fmt.Errorf("desk: a store and a queue are needed")
	}
	if cfg.Token == "" {
		return nil, fmt.Errorf("desk: no bot token: the desk signs people in with Telegram and is off without one")
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DoctorEvery <= 0 {
		cfg.DoctorEvery = 10 * time.Minute
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 7 * 24 * time.Hour
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 12 * time.Hour
	}
	d := &Desk{cfg: cfg, log: cfg.Log, pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("desk: template %s: %w", base, err)
		}
		d.pages[base] = t
	}
	sub, _ := fs.Sub(staticFS, "static")
	d.static = http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return d, nil
}

// Handler returns the desk's routes; cmd/herald mounts it at / beside
// /healthz, /metrics and /api/.
func (d *Desk) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", d.static)
	mux.HandleFunc("GET /signin", d.signinPage)
	mux.HandleFunc("GET /auth/telegram", d.widgetLogin)
	mux.HandleFunc("POST /auth/telegram", d.widgetLogin)
	mux.HandleFunc("GET /auth/link", d.linkPage)
	mux.HandleFunc("POST /auth/link", d.linkLogin)
	mux.HandleFunc("POST /signout", d.signed(d.signout))
	mux.HandleFunc("POST /language", d.signed(d.setLanguage))
	mux.HandleFunc("GET /{$}", d.signed(d.planPage))
	mux.HandleFunc("GET /posts/{id}", d.signed(d.postPage))
	mux.HandleFunc("POST /posts/{id}/{op}", d.signed(d.postAction))
	mux.HandleFunc("GET /articles", d.signed(d.articlesPage))
	mux.HandleFunc("POST /articles/{id}/schedule", d.signed(d.scheduleArticle))
	mux.HandleFunc("GET /readers", d.signed(d.readersPage))
	mux.HandleFunc("GET /readers/chart.png", d.signed(d.readersChart))
	mux.HandleFunc("GET /readers/export.csv", d.signed(d.readersCSV))
	mux.HandleFunc("POST /reviews/{id}/{op}", d.signed(d.moderate))
	mux.HandleFunc("GET /health", d.signed(d.healthPage))
	mux.HandleFunc("POST /health/check", d.signed(d.recheck))
	return headers(mux)
}

// headers sets the security headers on every answer.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// page is what every page template sees.
type page struct {
	L       lang
	Nav     string // the menu entry to mark
	Title   string
	User    *herald.Editor
	Name    string // the signed-in person's name, as Telegram gave it
	CSRF    string
	Flash   string
	Error   string
	Widget  *widget // the sign-in page's Login Widget, when a domain is set
	Data    any
	Langs   []herald.Language
	Path    string // the page's own path and query, for the language form's way back
	Version string
}

// render writes a page with status.
func (d *Desk) render(w http.ResponseWriter, status int, name string, p *page) {
	t, ok := d.pages[name]
	if !ok {
		http.Error(w, "no such page", http.StatusInternalServerError)
		return
	}
	p.Langs = herald.Languages
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout", p); err != nil {
		d.log.Error("desk: page failed", "page", name, "err", err)
		http.Error(w, p.L.T("err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, b.String())
}

func (d *Desk) zone(ch *herald.Channel) *time.Location {
	if ch != nil && ch.Timezone != "" {
		return ch.Location()
	}
	if loc, err := time.LoadLocation(d.cfg.Zone); err == nil && d.cfg.Zone != "" {
		return loc
	}
	return herald.AgencyZone()
}

// tallyView is a table of tallies with the page's language.
type tallyView struct {
	T []tally
	L lang
}

var funcs = template.FuncMap{
	"neutral": herald.Neutral,
	"tallies": func(t []tally, l lang) tallyView { return tallyView{T: t, L: l} },
	"clip": func(n int, s string) string {
		r := []rune(s)
		if len(r) <= n {
			return s
		}
		return string(r[:n-1]) + "…"
	},
}
