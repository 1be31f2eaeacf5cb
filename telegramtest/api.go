package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// apiError is a refusal as the Bot API words it.
type apiError struct {
	Code        int
	Description string
	RetryAfter  int
	MigrateTo   int64
}

func badRequest(what string) *apiError {
	return &apiError{Code: http.StatusBadRequest, Description: "Bad Request: " + what}
}

func forbidden(what string) *apiError {
	return &apiError{Code: http.StatusForbidden, Description: "Forbidden: " + what}
}

func tooManyRequests(retry int) *apiError {
	return &apiError{Code: http.StatusTooManyRequests, Description: fmt.Sprintf("Too Many Requests: retry after %d", retry), RetryAfter: retry}
}

func conflict(what string) *apiError {
	return &apiError{Code: http.StatusConflict, Description: "Conflict: " + what}
}

var (
	errUnauthorized = &apiError{Code: http.StatusUnauthorized, Description: "Unauthorized"}
	errNotFound     = &apiError{Code: http.StatusNotFound, Description: "Not Found"}
)

// params are a call's parameters, whichever way they came: query string,
// form, multipart or JSON. Values that are objects or arrays in JSON are
// kept as JSON text, as a form would carry them.
type params struct {
	values map[string]string
	files  map[string]upload
}

// upload is a file sent in a multipart request.
type upload struct {
	name string
	data []byte
}

func (p params) str(k string) string { return p.values[k] }

func (p params) has(k string) bool { _, ok := p.values[k]; return ok }

func (p params) int(k string) (int, *apiError) {
	v := p.values[k]
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("invalid %s specified", k))
	}
	return n, nil
}

func (p params) bool(k string) bool {
	b, _ := strconv.ParseBool(p.values[k])
	return b
}

// json decodes a parameter holding JSON into v; an absent one leaves v alone.
func (p params) json(k string, v any) *apiError {
	raw, ok := p.values[k]
	if !ok || raw == "" {
		return nil
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return badRequest(fmt.Sprintf("can't parse %s JSON object", k))
	}
	return nil
}

const maxRequestBytes = 50 << 20

// readParams gathers a request's parameters.
func readParams(r *http.Request) (params, error) {
	p := params{values: map[string]string{}, files: map[string]upload{}}
	for k, v := range r.URL.Query() {
		p.values[k] = v[0]
	}
	if r.Body == nil {
		return p, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
		if err != nil {
			return p, err
		}
		if len(strings.TrimSpace(string(raw))) == 0 {
			return p, nil
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return p, fmt.Errorf("can't parse JSON: %w", err)
		}
		for k, v := range obj {
			var s string
			if json.Unmarshal(v, &s) == nil {
				p.values[k] = s
			} else if string(v) != "null" {
				p.values[k] = string(v)
			}
		}
	case "application/x-www-form-urlencoded":
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
		if err != nil {
			return p, err
		}
		form, err := url.ParseQuery(string(raw))
		if err != nil {
			return p, err
		}
		for k, v := range form {
			p.values[k] = v[0]
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(maxRequestBytes); err != nil {
			if errors.Is(err, io.EOF) {
				// go-telegram/bot sends an empty body for calls without parameters.
				return p, nil
			}
			return p, err
		}
		for k, v := range r.MultipartForm.Value {
			p.values[k] = v[0]
		}
		for k, fhs := range r.MultipartForm.File {
			f, err := fhs[0].Open()
			if err != nil {
				return p, err
			}
			data, err := io.ReadAll(f)
			f.Close()
			if err != nil {
				return p, err
			}
			p.files[k] = upload{name: fhs[0].Filename, data: data}
		}
	}
	return p, nil
}

// method is one Bot API method. Handlers lock the server themselves.
type method struct {
	name string
	run  func(s *Server, ctx context.Context, p params) (any, *apiError)
}

// methods is the Bot API the fake serves, by lower-case name.
func methods() map[string]method {
	list := []method{
		{name: "getMe", run: (*Server).getMe},
		{name: "getUpdates", run: (*Server).getUpdates},
		{name: "setWebhook", run: (*Server).setWebhook},
		{name: "deleteWebhook", run: (*Server).deleteWebhook},
		{name: "getWebhookInfo", run: (*Server).getWebhookInfo},
		{name: "sendMessage", run: (*Server).sendMessage},
		{name: "sendPhoto", run: (*Server).sendPhoto},
		{name: "editMessageText", run: (*Server).editMessageText},
		{name: "editMessageCaption", run: (*Server).editMessageCaption},
		{name: "editMessageReplyMarkup", run: (*Server).editMessageReplyMarkup},
		{name: "deleteMessage", run: (*Server).deleteMessage},
		{name: "answerCallbackQuery", run: (*Server).answerCallbackQuery},
		{name: "setMyCommands", run: (*Server).setMyCommands},
		{name: "getMyCommands", run: (*Server).getMyCommands},
		{name: "deleteMyCommands", run: (*Server).deleteMyCommands},
		{name: "getChat", run: (*Server).getChat},
		{name: "getChatMember", run: (*Server).getChatMember},
		{name: "getChatAdministrators", run: (*Server).getChatAdministrators},
		{name: "sendChatAction", run: (*Server).sendChatAction},
		{name: "createForumTopic", run: (*Server).createForumTopic},
		{name: "closeForumTopic", run: (*Server).closeForumTopic},
		{name: "reopenForumTopic", run: (*Server).reopenForumTopic},
		{name: "deleteForumTopic", run: (*Server).deleteForumTopic},
	}
	out := make(map[string]method, len(list))
	for _, m := range list {
		out[strings.ToLower(m.name)] = m
	}
	return out
}

// serveAPI answers /bot<token>/<method>.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rest, _ := strings.CutPrefix(r.URL.Path, "/bot")
	token, name, ok := strings.Cut(rest, "/")
	if !ok || token == "" || name == "" {
		writeAPIError(w, errNotFound)
		return
	}
	if token != s.token {
		s.finish(w, name, params{}, start, nil, errUnauthorized)
		return
	}
	p, err := readParams(r)
	if err != nil {
		s.finish(w, name, p, start, nil, badRequest(err.Error()))
		return
	}
	m, ok := s.api[strings.ToLower(name)]
	if !ok {
		s.finish(w, name, p, start, nil, errNotFound)
		return
	}
	f := s.takeFault(m.name, p)
	if f != nil && f.DelayMS > 0 {
		select {
		case <-time.After(time.Duration(f.DelayMS) * time.Millisecond):
		case <-s.done:
		}
	}
	if f != nil && (f.Status != 0 || f.RetryAfter != 0) {
		s.finish(w, m.name, p, start, nil, s.faultError(f, m.name, p))
		return
	}
	ctx := r.Context()
	if f != nil && (f.DelayMS > 0 || f.DropAfterStore || f.StatusAfterStore != 0) {
		// The client may have given up; Telegram carries the call out anyway.
		ctx = context.WithoutCancel(ctx)
	}
	result, apiErr := m.run(s, ctx, p)
	if f != nil && f.DropAfterStore {
		s.record(m.name, p, start, 0, "connection dropped after the call was carried out")
		dropConnection(w)
		return
	}
	if f != nil && f.StatusAfterStore != 0 && apiErr == nil {
		// Carried out, and the answer lost on the way back.
		s.record(m.name, p, start, f.StatusAfterStore, "carried out, then answered "+http.StatusText(f.StatusAfterStore))
		writeAfterStore(w, f)
		return
	}
	s.finish(w, m.name, p, start, result, apiErr)
}

// finish records the call and writes its response.
func (s *Server) finish(w http.ResponseWriter, name string, p params, start time.Time, result any, e *apiError) {
	if e != nil {
		s.record(name, p, start, e.Code, e.Description)
		writeAPIError(w, e)
		return
	}
	s.record(name, p, start, http.StatusOK, "")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.Code, "description": e.Description}
	switch {
	case e.RetryAfter > 0:
		body["parameters"] = map[string]any{"retry_after": e.RetryAfter}
	case e.MigrateTo != 0:
		body["parameters"] = map[string]any{"migrate_to_chat_id": e.MigrateTo}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Code)
	json.NewEncoder(w).Encode(body)
}

// dropConnection closes the client's connection without a response.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
