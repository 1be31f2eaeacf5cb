package desk

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
)

// ErrorLog keeps the last errors herald logged, for the health page. Wrap
// herald's log handler with Handler; it is safe for concurrent use.
type ErrorLog struct {
	mu     sync.Mutex
	max    int
	lines  []ErrorLine
	redact func(string) string
}

// ErrorLine is one logged error or warning.
type ErrorLine struct {
	At      time.Time
	Level   string
	Message string
	Attrs   string
}

// NewErrorLog keeps the last n lines, each passed through redact (which
// hides the bot token and the other secrets, as herald's log writer does);
// redact may be nil.
func NewErrorLog(n int, redact func(string) string) *ErrorLog {
	if redact == nil {
		redact = func(s string) string { return s }
	}
	return &ErrorLog{max: n, redact: redact}
}

// Handler returns h, noting every record at warn level or above here too.
func (e *ErrorLog) Handler(h slog.Handler) slog.Handler { return &errorHandler{next: h, log: e} }

// Last returns the lines kept, newest first.
func (e *ErrorLog) Last() []ErrorLine {
	if e == nil {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]ErrorLine, len(e.lines))
	for i, l := range e.lines {
		out[len(e.lines)-1-i] = l
	}
	return out
}

func (e *ErrorLog) add(l ErrorLine) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lines = append(e.lines, l)
	if len(e.lines) > e.max {
		e.lines = e.lines[len(e.lines)-e.max:]
	}
}

type errorHandler struct {
	next  slog.Handler
	log   *ErrorLog
	attrs string
}

func (h *errorHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn || h.next.Enabled(ctx, l)
}

func (h *errorHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		attrs := h.attrs
		r.Attrs(func(a slog.Attr) bool {
			attrs += " " + a.String()
			return true
		})
		h.log.add(ErrorLine{At: r.Time, Level: r.Level.String(), Message: h.log.redact(r.Message), Attrs: clipRunes(h.log.redact(attrs), 400)})
	}
	if h.next.Enabled(ctx, r.Level) {
		return h.next.Handle(ctx, r)
	}
	return nil
}

func (h *errorHandler) WithAttrs(as []slog.Attr) slog.Handler {
	attrs := h.attrs
	for _, a := range as {
		attrs += " " + a.String()
	}
	return &errorHandler{next: h.next.WithAttrs(as), log: h.log, attrs: attrs}
}

func (h *errorHandler) WithGroup(name string) slog.Handler {
	return &errorHandler{next: h.next.WithGroup(name), log: h.log, attrs: h.attrs}
}

// doctorCache holds the last run of herald doctor's checks: the health
// page shows it and starts a new run in the background when it is old,
// never one per request.
type doctorCache struct {
	mu      sync.Mutex
	checks  []bot.Check
	at      time.Time
	running bool
	done    func() // called after each run is stored (tests wait on it)
}

// refresh starts a doctor run unless one is running or the last is
// fresher than every (force: any age).
func (d *Desk) refreshDoctor(force bool) {
	c := &d.doctor
	c.mu.Lock()
	defer c.mu.Unlock()
	if d.cfg.Doctor == nil || c.running || !force && !c.at.IsZero() && d.cfg.Now().Sub(c.at) < d.cfg.DoctorEvery {
		return
	}
	c.running = true
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var checks []bot.Check
		d.cfg.Doctor(ctx, func(ch bot.Check) { checks = append(checks, ch) })
		c.mu.Lock()
		c.checks, c.at, c.running = checks, d.cfg.Now(), false
		done := c.done
		c.mu.Unlock()
		if done != nil {
			done()
		}
	}()
}

type healthData struct {
	Checks  []bot.Check
	At      string
	Running bool
	Counts  []stateCount
	Due     int
	Errors  []ErrorLine
	NoDoc   bool
	Fails   int
	Warns   int
}

type stateCount struct {
	State string
	N     int
}

func (d *Desk) healthPage(w http.ResponseWriter, r *http.Request) {
	p := d.pageFor(r, "health")
	d.refreshDoctor(false)
	data := &healthData{NoDoc: d.cfg.Doctor == nil, Errors: d.cfg.Errors.Last()}
	d.doctor.mu.Lock()
	data.Checks, data.Running = d.doctor.checks, d.doctor.running
	if !d.doctor.at.IsZero() {
		data.At = herald.FormatWhenIn(d.doctor.at, d.zone(nil), herald.Language(p.L))
	}
	d.doctor.mu.Unlock()
	for _, c := range data.Checks {
		switch c.Verdict {
		case bot.CheckFail:
			data.Fails++
		case bot.CheckWarn:
			data.Warns++
		}
	}
	counts, err := d.cfg.Store.CountPosts(r.Context())
	if err != nil {
		d.fail(w, p, err)
		return
	}
	for _, s := range herald.PostStates {
		if counts[s] > 0 {
			data.Counts = append(data.Counts, stateCount{State: p.L.State(s), N: counts[s]})
		}
	}
	if data.Due, err = d.cfg.Store.CountDue(r.Context(), d.cfg.Now()); err != nil {
		d.fail(w, p, err)
		return
	}
	p.Title = p.L.T("health.title")
	p.Data = data
	d.render(w, http.StatusOK, "health", p)
}

// recheck runs the doctor again now (in the background).
func (d *Desk) recheck(w http.ResponseWriter, r *http.Request) {
	d.refreshDoctor(true)
	http.Redirect(w, r, "/health?ok=recheck", http.StatusSeeOther)
}
