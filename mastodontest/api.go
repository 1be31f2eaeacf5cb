package mastodontest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// route is one API endpoint: Name is "METHOD /path/:id", the way faults and
// the journal name it.
type route struct {
	method, pattern string
	auth            authNeed
	scopes          []string // any one of them suffices
	family          string   // an extra rate-limit window, "" for none
	h               func(c *call) reply
}

type authNeed int

const (
	authNone     authNeed = iota // no token needed (a token, if given, is still checked)
	authAny                      // any valid token, app or user
	authUser                     // a user's token
	authOptional                 // public data: a token is optional
)

// call is one request being served.
type call struct {
	s      *Server
	r      *http.Request
	p      params
	ids    []string // the :id parts of the path
	tok    *token   // nil without a token
	acct   *account // the token's user, nil for an app token
	files  map[string]*multipart.FileHeader
	key    string // Idempotency-Key
	stored bool   // the call changed state: a drop-after-store fault applies
}

// reply is what a handler answers.
type reply struct {
	status int
	body   any
	header http.Header
}

func ok(body any) reply { return reply{status: http.StatusOK, body: body} }
func fail(code int, msg string) reply {
	return reply{status: code, body: map[string]string{"error": msg}}
}

// params are a request's parameters, merged from the query and the body.
type params map[string][]string

func (p params) get(k string) string {
	if v := p[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (p params) has(k string) bool { _, ok := p[k]; return ok }

// list reads an array parameter sent as k[] (form) or k (JSON array).
func (p params) list(k string) []string {
	if v, ok := p[k+"[]"]; ok {
		return v
	}
	return p[k]
}

func (p params) boolean(k string) bool {
	switch strings.ToLower(p.get(k)) {
	case "1", "true", "t", "on", "yes":
		return true
	}
	return false
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	rt, ids := s.match(r.Method, r.URL.Path)
	if rt == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "Record not found"}, nil)
		return
	}
	c := &call{s: s, r: r, ids: ids, key: r.Header.Get("Idempotency-Key")}
	name := rt.method + " " + rt.pattern
	p, files, err := readParams(r)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Error occurred while parsing request parameters"}, nil)
		return
	}
	c.p, c.files = p, files

	s.mu.Lock()
	var rep reply
	var f *Fault
	func() {
		if rp, done := s.authenticate(c, rt); done {
			rep = rp
			return
		}
		subject := s.limitSubject(c, r)
		hdr, limited := s.countLimits(subject, rt, c.acct != nil)
		if limited != nil {
			rep = *limited
			s.stats.RateLimited++
			return
		}
		f = s.takeFault(name, c.acct)
		if f != nil && (f.Status != 0 || f.RetryAfter != 0) && f.DelayMS == 0 {
			rep = f.answer(s.clock.now())
			if f.RetryAfter == 0 {
				rep.header = mergeHeader(rep.header, hdr)
			}
			if f.RetryAfter != 0 {
				s.stats.RateLimited++
			}
			f = nil
			return
		}
		if f != nil && f.DelayMS > 0 {
			// hold the call outside the lock, then carry it out
			return
		}
		rep = rt.h(c)
		rep.header = mergeHeader(rep.header, hdr)
	}()
	if f != nil && f.DelayMS > 0 {
		s.mu.Unlock()
		time.Sleep(time.Duration(f.DelayMS) * time.Millisecond) // a stall, in real time, as a slow proxy holds it
		s.mu.Lock()
		if f.Status != 0 || f.RetryAfter != 0 {
			rep = f.answer(s.clock.now())
		} else {
			rep = rt.h(c)
		}
	}
	s.record(c, name, rep.status)
	s.notify()
	s.mu.Unlock()

	s.log.Debug("mastodon call", "route", name, "status", rep.status)
	// Date in the fake's time, so that X-RateLimit-Reset can be read
	// against it however fast the fake's clock runs.
	w.Header().Set("Date", s.clock.now().Format(http.TimeFormat))
	switch {
	case f != nil && f.DropAfterStore:
		s.dropConnection(w)
		return
	case f != nil && f.StatusAfterStore != 0:
		writeFailure(w, f.StatusAfterStore)
		return
	}
	if rep.status < 0 {
		writeFailure(w, -rep.status)
		return
	}
	writeJSON(w, rep.status, rep.body, rep.header)
}

func (s *Server) match(method, path string) (*route, []string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := range s.routes {
		rt := &s.routes[i]
		if rt.method != method {
			continue
		}
		ps := strings.Split(strings.Trim(rt.pattern, "/"), "/")
		if len(ps) != len(segs) {
			continue
		}
		var ids []string
		okm := true
		for j, seg := range ps {
			if seg == ":id" {
				ids = append(ids, segs[j])
			} else if seg != segs[j] {
				okm = false
				break
			}
		}
		if okm {
			return rt, ids
		}
	}
	return nil, nil
}

// authenticate reads the bearer token as Doorkeeper does; done reports that
// rep is the answer (the request is refused).
func (s *Server) authenticate(c *call, rt *route) (rep reply, done bool) {
	h := c.r.Header.Get("Authorization")
	raw := ""
	if strings.HasPrefix(h, "Bearer ") {
		raw = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	} else if v := c.p.get("access_token"); v != "" {
		raw = v
	}
	if raw == "" {
		if rt.auth == authAny || rt.auth == authUser {
			return fail(http.StatusUnauthorized, "The access token is invalid"), true
		}
		return reply{}, false
	}
	t := s.tokens[raw]
	switch {
	case t == nil:
		if rt.auth == authNone {
			return reply{}, false
		}
		return fail(http.StatusUnauthorized, "The access token is invalid"), true
	case t.revoked:
		return fail(http.StatusUnauthorized, "The access token was revoked"), true
	}
	c.tok = t
	if t.accountID != "" {
		c.acct = s.accounts[t.accountID]
		if c.acct != nil && c.acct.suspended {
			return fail(http.StatusForbidden, "Your login is currently disabled"), true
		}
	}
	if rt.auth == authNone {
		return reply{}, false
	}
	if len(rt.scopes) > 0 && !t.allows(rt.scopes...) {
		return fail(http.StatusForbidden, "This action is outside the authorized scopes"), true
	}
	if rt.auth == authUser && c.acct == nil {
		return fail(http.StatusUnprocessableEntity, "This method requires an authenticated user"), true
	}
	return reply{}, false
}

func readParams(r *http.Request) (params, map[string]*multipart.FileHeader, error) {
	p := params{}
	for k, v := range r.URL.Query() {
		p[k] = append(p[k], v...)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			return nil, nil, err
		}
		vs, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, err
		}
		for k, v := range vs {
			p[k] = append(p[k], v...)
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(64 << 20); err != nil {
			return nil, nil, err
		}
		for k, v := range r.MultipartForm.Value {
			p[k] = append(p[k], v...)
		}
		files := map[string]*multipart.FileHeader{}
		for k, v := range r.MultipartForm.File {
			if len(v) > 0 {
				files[k] = v[0]
			}
		}
		return p, files, nil
	case "application/json":
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			return nil, nil, err
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return p, nil, nil
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, nil, err
		}
		for k, v := range m {
			switch x := v.(type) {
			case []any:
				p[k] = []string{}
				for _, e := range x {
					p[k] = append(p[k], scalar(e))
				}
			case nil:
			default:
				p[k] = []string{scalar(x)}
			}
		}
	}
	return p, nil, nil
}

func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func mergeHeader(a, b http.Header) http.Header {
	if a == nil {
		a = http.Header{}
	}
	for k, v := range b {
		a[k] = v
	}
	return a
}

func writeJSON(w http.ResponseWriter, status int, body any, h http.Header) {
	for k, v := range h {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if body == nil {
		body = map[string]any{}
	}
	_ = json.NewEncoder(w).Encode(body)
}

// writeFailure answers a call already carried out with an error: Rails' own
// JSON 500, or the page nginx in front of Puma gives for 502/503/504.
func writeFailure(w http.ResponseWriter, status int) {
	if status == http.StatusInternalServerError {
		writeJSON(w, status, map[string]string{"error": "We're sorry, but something went wrong on our end."}, nil)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	text := http.StatusText(status)
	_, _ = io.WriteString(w, "<html>\r\n<head><title>"+strconv.Itoa(status)+" "+text+"</title></head>\r\n<body>\r\n<center><h1>"+
		strconv.Itoa(status)+" "+text+"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
}

// dropConnection closes the client's connection without an answer.
func (s *Server) dropConnection(w http.ResponseWriter) {
	hj, okh := w.(http.Hijacker)
	if !okh {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = buf.Flush()
	_ = conn.Close()
}
