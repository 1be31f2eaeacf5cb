package telegramtest

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// routeSim adds the simulation endpoints under /fake/.
func (s *Server) routeSim(mux *http.ServeMux) {
	mux.HandleFunc("POST /fake/chats", simJSON(func(c Chat) (any, error) {
		if err := s.AddChat(c); err != nil {
			return nil, err
		}
		ch, _ := s.Chat(c.ID)
		return ch, nil
	}))
	mux.HandleFunc("GET /fake/chats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Chats()) })
	mux.HandleFunc("GET /fake/chats/{id}/messages", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeSimError(w, ErrInvalid)
			return
		}
		if _, ok := s.Chat(id); !ok {
			writeJSON(w, http.StatusOK, []Message{})
			return
		}
		writeJSON(w, http.StatusOK, s.Messages(id))
	})
	mux.HandleFunc("POST /fake/topics", simJSON(func(r TopicRequest) (any, error) { return s.Topic(r) }))
	mux.HandleFunc("POST /fake/send", simJSON(func(um UserMessage) (any, error) { return s.UserSends(um) }))
	mux.HandleFunc("POST /fake/reply", simJSON(func(um UserMessage) (any, error) { return s.Reply(um) }))
	mux.HandleFunc("POST /fake/edit", simJSON(func(ed CommentEdit) (any, error) { return s.EditComment(ed) }))
	mux.HandleFunc("POST /fake/press", simJSON(func(pr Press) (any, error) {
		id, err := s.Press(pr)
		return map[string]string{"callback_query_id": id}, err
	}))
	type reactions struct {
		ChatID    int64          `json:"chat_id"`
		MessageID int            `json:"message_id"`
		Counts    map[string]int `json:"counts"`
	}
	mux.HandleFunc("POST /fake/reactions", simJSON(func(r reactions) (any, error) {
		return map[string]bool{"ok": true}, s.SetReactions(r.ChatID, r.MessageID, r.Counts)
	}))
	mux.HandleFunc("POST /fake/updates", simJSON(func(raw json.RawMessage) (any, error) {
		id, err := s.InjectUpdate(raw)
		return map[string]int64{"update_id": id}, err
	}))
	mux.HandleFunc("POST /fake/faults", simJSON(func(f Fault) (any, error) { return map[string]bool{"ok": true}, s.InjectFault(f) }))
	mux.HandleFunc("GET /fake/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Faults()) })
	mux.HandleFunc("DELETE /fake/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET /fake/calls", func(w http.ResponseWriter, r *http.Request) {
		calls := s.Calls(r.URL.Query().Get("method"))
		if calls == nil {
			calls = []Call{}
		}
		writeJSON(w, http.StatusOK, calls)
	})
	mux.HandleFunc("GET /fake/answers", func(w http.ResponseWriter, r *http.Request) {
		answers := s.Answers()
		if answers == nil {
			answers = []Answer{}
		}
		writeJSON(w, http.StatusOK, answers)
	})
	mux.HandleFunc("GET /fake/stats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Stats()) })
}

// simJSON adapts a simulation method taking a JSON body of type T. Errors
// answer {"error": "..."}: 404 for ErrNotFound, 400 otherwise.
func simJSON[T any](fn func(T) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in T
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
		if err == nil {
			err = json.Unmarshal(body, &in)
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "telegramtest: body is not the JSON expected: " + err.Error()})
			return
		}
		out, err := fn(in)
		if err != nil {
			writeSimError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func writeSimError(w http.ResponseWriter, err error) {
	code := http.StatusBadRequest
	if errors.Is(err, ErrNotFound) {
		code = http.StatusNotFound
	}
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}
