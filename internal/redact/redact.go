// Package redact takes secrets out of text herald writes: its logs, its
// errors and the lines its commands print. It knows the secrets it is
// given (the bot token and its secret half, the ingest API token, the
// webhook secret) and the places secrets hide in addresses whatever they
// are: a URL's userinfo, a Telegram token in a path (the "/bot<token>"
// pasted into TELEGRAM_API_URL), and query parameters named like secrets
// (token, key, secret, password, signature, auth...).
package redact

import (
	"io"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Hidden is what a secret is replaced with.
const Hidden = "<redacted>"

// minSecret is the shortest value treated as a secret to replace wherever
// it appears: shorter ones ("1", "on") would blank out ordinary words.
const minSecret = 6

// Redactor removes secrets from text. The zero value removes only what
// addresses show (userinfo, tokens in paths, secret-named parameters).
type Redactor struct {
	mu   sync.RWMutex
	olds []string // pairs for r: secret, what it shows as
	r    *strings.Replacer
}

// New returns a Redactor for the bot token (shown as "<token>", and its
// secret half alone too) and any other secrets (shown as Hidden). Empty
// and very short values are ignored.
func New(token string, secrets ...string) *Redactor {
	var olds []string
	if token != "" {
		olds = append(olds, token, "<token>")
		if _, secret, ok := strings.Cut(token, ":"); ok && len(secret) >= 8 {
			olds = append(olds, secret, "<token>")
			// As it travels in a URL's userinfo or path.
			if esc := url.PathEscape(token); esc != token {
				olds = append(olds, esc, "<token>")
			}
			if esc := url.QueryEscape(token); esc != token {
				olds = append(olds, esc, "<token>")
			}
		}
	}
	for _, s := range secrets {
		if len(s) >= minSecret {
			olds = append(olds, s, Hidden)
		}
	}
	x := &Redactor{olds: olds}
	if len(olds) > 0 {
		x.r = strings.NewReplacer(olds...)
	}
	return x
}

// Add makes x hide more secrets from now on (shown as Hidden): those
// known only once the database is read, such as the values of the
// variables Mastodon and Bluesky channels keep their secrets in. Empty and
// very short values are ignored. It is safe to call while x is in use.
func (x *Redactor) Add(secrets ...string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := len(x.olds)
	for _, s := range secrets {
		if len(s) >= minSecret {
			x.olds = append(x.olds, s, Hidden)
		}
	}
	if len(x.olds) > n {
		x.r = strings.NewReplacer(x.olds...)
	}
}

// String returns s without the known secrets and with every address in it
// redacted (see URL). It never fails.
func (x *Redactor) String(s string) string {
	if x != nil {
		x.mu.RLock()
		r := x.r
		x.mu.RUnlock()
		if r != nil {
			s = r.Replace(s)
		}
	}
	return Text(s)
}

// Func returns x.String, for callers that take a func(string) string.
func (x *Redactor) Func() func(string) string { return x.String }

var (
	urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>` + "`" + `]+`)
	// A Telegram bot token: the bot's id, a colon, 30 or more characters.
	tokenLike = regexp.MustCompile(`\b\d{5,}:[A-Za-z0-9_\-]{30,}`)
	// "/bot<id>:<secret>" in a path: where Telegram's API puts
	// the token.
	botPath = regexp.MustCompile(`(?i)/bot\d+:[^/?#\s]*`)
)

// Text redacts every address in s (see URL) and anything shaped like a
// Telegram bot token.
func Text(s string) string {
	if strings.Contains(s, "://") {
		s = urlInText.ReplaceAllStringFunc(s, URL)
	}
	if strings.Contains(s, ":") {
		s = tokenLike.ReplaceAllString(s, "<token>")
	}
	return s
}

// SecretName reports whether a name (a query parameter's, an
// environment variable's) says it holds a secret.
func SecretName(name string) bool { return secretName(name) }

// secretName reports whether a query parameter's name says it holds a
// secret.
func secretName(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "key", "pass", "pwd", "auth", "sig", "credential", "session", "code"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// URL returns the address raw with its secrets hidden: any userinfo
// (user:password@, or a token pasted as the user), a "/bot..." path segment
// (Telegram's token place), and the values of query parameters named like
// secrets. Something that does not parse as a URL is returned with only
// the token-shaped parts hidden. It never fails.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		s := botPath.ReplaceAllString(raw, "/bot<token>")
		if at := strings.LastIndex(s, "@"); at > 0 {
			if i := strings.Index(s, "://"); i >= 0 && i < at {
				s = s[:i+3] + Hidden + s[at:]
			}
		}
		return tokenLike.ReplaceAllString(s, "<token>")
	}
	changed := false
	if u.User != nil {
		u.User = url.User(Hidden)
		changed = true
	}
	if p := botPath.ReplaceAllString(u.Path, "/bot<token>"); p != u.Path {
		u.Path, u.RawPath = p, ""
		changed = true
	}
	if u.RawQuery != "" {
		q := u.Query()
		hid := false
		for name := range q {
			if secretName(name) {
				q[name] = []string{Hidden}
				hid = true
			}
		}
		if hid {
			u.RawQuery = q.Encode()
			changed = true
		}
	}
	if u.Fragment != "" && strings.ContainsAny(u.Fragment, "=") {
		u.Fragment, u.RawFragment = Hidden, ""
		changed = true
	}
	if !changed {
		return raw
	}
	// url.URL.String escapes < and >; an operator reads them plainer.
	return strings.NewReplacer("%3Credacted%3E", Hidden, "%3Ctoken%3E", "<token>").Replace(u.String())
}

// Writer returns a writer that redacts what is written to w. Each Write is
// redacted on its own: herald writes a line (a log record, a message) at a
// time, so no address is split between two.
func Writer(w io.Writer, x *Redactor) io.Writer { return &writer{w: w, x: x} }

type writer struct {
	w io.Writer
	x *Redactor
}

func (w *writer) Write(p []byte) (int, error) {
	s := w.x.String(string(p))
	if _, err := io.WriteString(w.w, s); err != nil {
		return 0, err
	}
	return len(p), nil
}
