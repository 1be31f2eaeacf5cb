package blueskytest

import (
	"encoding/json"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"
)

// call is one XRPC request being served.
type call struct {
	s         *Server
	r         *http.Request
	nsid      string
	body      []byte
	headers   http.Header // written with the answer, success or error
	journaled bool
}

// decode reads the JSON input of a procedure.
func (c *call) decode(v any) *xrpcError {
	ct, _, _ := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if ct != "application/json" {
		return invalidRequest("", "Wrong request encoding (Content-Type): %s", orNone(ct))
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		return invalidRequest("", "Request body is not valid JSON: %v", err)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func (c *call) param(name string) string { return c.r.URL.Query().Get(name) }

type method struct {
	procedure bool // POST; queries are GET
	h         func(*Server, *call) (any, *xrpcError)
}

var methods = map[string]method{
	"com.atproto.server.describeServer":       {false, (*Server).describeServer},
	"com.atproto.server.createAccount":        {true, (*Server).createAccount},
	"com.atproto.server.createSession":        {true, (*Server).createSession},
	"com.atproto.server.refreshSession":       {true, (*Server).refreshSession},
	"com.atproto.server.getSession":           {false, (*Server).getSession},
	"com.atproto.server.deleteSession":        {true, (*Server).deleteSession},
	"com.atproto.server.createAppPassword":    {true, (*Server).createAppPassword},
	"com.atproto.server.listAppPasswords":     {false, (*Server).listAppPasswords},
	"com.atproto.server.revokeAppPassword":    {true, (*Server).revokeAppPassword},
	"com.atproto.repo.createRecord":           {true, (*Server).createRecord},
	"com.atproto.repo.putRecord":              {true, (*Server).putRecord},
	"com.atproto.repo.deleteRecord":           {true, (*Server).deleteRecord},
	"com.atproto.repo.getRecord":              {false, (*Server).getRecord},
	"com.atproto.repo.listRecords":            {false, (*Server).listRecords},
	"com.atproto.repo.describeRepo":           {false, (*Server).describeRepo},
	"com.atproto.repo.uploadBlob":             {true, (*Server).uploadBlob},
	"com.atproto.identity.resolveHandle":      {false, (*Server).resolveHandle},
	"app.bsky.feed.getPostThread":             {false, (*Server).getPostThread},
	"app.bsky.feed.getPosts":                  {false, (*Server).getPosts},
	"app.bsky.actor.getProfile":               {false, (*Server).getProfile},
	"app.bsky.notification.listNotifications": {false, (*Server).listNotifications},
	"app.bsky.notification.updateSeen":        {true, (*Server).updateSeen},
}

// maxBody is the largest request the fake reads: a blob at the upload limit.
const maxBody = 5 << 20

func (s *Server) serveXRPC(w http.ResponseWriter, r *http.Request) {
	nsid := strings.TrimPrefix(r.URL.Path, "/xrpc/")
	c := &call{s: s, r: r, nsid: nsid, headers: http.Header{}}
	status, errName := s.serveCall(w, c)
	if !c.journaled {
		s.journal(c, status, errName)
	}
}

// journal records a call served. A dropped call is journaled before its
// connection closes, so that whoever sees the drop finds it journaled.
func (s *Server) journal(c *call, status int, errName string) {
	c.journaled = true
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{At: s.clock.now(), Method: c.nsid, HTTP: c.r.Method, Status: status, Error: errName})
	if len(s.calls) > 10000 {
		s.calls = s.calls[len(s.calls)-10000:]
	}
	s.stats.Calls[c.nsid]++
	s.touchLocked()
}

// serveCall answers one call and returns the status written (0 when the
// connection was dropped) and the XRPC error name, if any.
func (s *Server) serveCall(w http.ResponseWriter, c *call) (int, string) {
	fail := func(e *xrpcError) (int, string) {
		for k, v := range c.headers {
			w.Header()[k] = v
		}
		writeXRPCError(w, e)
		return e.Status, e.Name
	}
	m, ok := methods[c.nsid]
	if !ok {
		return fail(&xrpcError{Status: 501, Name: "MethodNotImplemented", Message: "Method Not Implemented"})
	}
	if want := map[bool]string{true: http.MethodPost, false: http.MethodGet}[m.procedure]; c.r.Method != want &&
		!(c.r.Method == http.MethodHead && !m.procedure) {
		return fail(invalidRequest("", "Incorrect HTTP method (%s) expected %s", c.r.Method, want))
	}
	if m.procedure {
		body, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
		if err != nil {
			return fail(invalidRequest("", "could not read the request body"))
		}
		if len(body) > maxBody {
			return fail(&xrpcError{Status: 413, Name: "PayloadTooLarge", Message: "request entity too large"})
		}
		c.body = body
	}
	host, _, _ := net.SplitHostPort(c.r.RemoteAddr)
	if e := s.consume(c, "global", host, 1, limit{"global-ip", 5 * time.Minute, GlobalPer5Min}); e != nil {
		return fail(e)
	}
	f := s.takeFault(c)
	if f != nil {
		if f.RetryAfter > 0 {
			return fail(s.faultLimit(c, f))
		}
		if f.Status != 0 {
			return fail(faultError(f.Status, f.Message))
		}
		if f.DelayMS > 0 {
			time.Sleep(time.Duration(f.DelayMS) * time.Millisecond) // a stall: carried out even if the client gave up
		}
	}
	out, e := m.h(s, c)
	if f != nil && f.DropAfterStore {
		s.journal(c, 0, "dropped")
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return 0, "dropped"
			}
		}
		panic(http.ErrAbortHandler) // no hijacking (HTTP/2): abort the stream instead
	}
	if f != nil && f.StatusAfterStore != 0 {
		return fail(faultError(f.StatusAfterStore, f.Message))
	}
	if e != nil {
		return fail(e)
	}
	for k, v := range c.headers {
		w.Header()[k] = v
	}
	if out == nil {
		// Procedures without output answer 200 with an empty body, as the
		// reference server does.
		w.WriteHeader(http.StatusOK)
		return http.StatusOK, ""
	}
	writeJSON(w, http.StatusOK, out)
	return http.StatusOK, ""
}

// faultError is an XRPC error for an HTTP status, with the names the
// reference server uses.
func faultError(status int, msg string) *xrpcError {
	name := map[int]string{400: "InvalidRequest", 401: "AuthenticationRequired", 403: "Forbidden", 404: "XRPCNotSupported",
		413: "PayloadTooLarge", 500: "InternalServerError", 501: "MethodNotImplemented", 502: "UpstreamFailure",
		503: "NotEnoughResources", 504: "UpstreamTimeout"}[status]
	if name == "" {
		name = strings.ReplaceAll(http.StatusText(status), " ", "")
	}
	if msg == "" {
		msg = map[int]string{500: "Internal Server Error", 502: "Upstream Failure", 503: "Not Enough Resources", 504: "Upstream Timeout"}[status]
		if msg == "" {
			msg = http.StatusText(status)
		}
	}
	return &xrpcError{Status: status, Name: name, Message: msg}
}
