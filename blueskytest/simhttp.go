package blueskytest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// SimRoutes lists the simulation routes with an example body each, one a
// line, for herald fake-bluesky --help.
const SimRoutes = `  POST /fake/accounts  {"handle":"reader.test","password":"reader-pass","email":"reader@example.org","display_name":"Reader"}
  POST /fake/reply     {"handle":"reader.test","parent":"at://did:plc:x/app.bsky.feed.post/3l2y6mfrxlk2a","text":"Well reported","lang":"en"}
  POST /fake/post      {"handle":"reader.test","text":"Read this, @herald.test","lang":"en"}
  POST /fake/faults    {"method":"com.atproto.repo.createRecord","drop_after_store":true,"count":1}
                       also "status":502, "status_after_store":504, "delay_ms":N, "retry_after":N, "repo":"herald.test"
  POST /fake/revoke    {"handle":"herald.test"}   revokes the account's app passwords and their sessions
  POST /fake/expire    {"handle":"herald.test"}   revokes every session of the account
  POST /fake/takedown  {"handle":"herald.test","down":true}
  GET  /fake/accounts  GET /fake/records?repo=H&collection=NSID  GET /fake/calls?method=NSID
  GET  /fake/stats     GET|DELETE /fake/faults`

type simBody struct {
	Handle      string `json:"handle"`
	Password    string `json:"password"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Parent      string `json:"parent"`
	Text        string `json:"text"`
	Lang        string `json:"lang"`
	Down        bool   `json:"down"`
}

func simError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) serveSim(w http.ResponseWriter, r *http.Request) {
	route := strings.TrimPrefix(r.URL.Path, "/fake/")
	if r.Method == http.MethodGet {
		switch route {
		case "accounts":
			writeJSON(w, 200, s.Accounts())
		case "records":
			coll := r.URL.Query().Get("collection")
			if coll == "" {
				coll = "app.bsky.feed.post"
			}
			writeJSON(w, 200, s.Records(r.URL.Query().Get("repo"), coll))
		case "calls":
			writeJSON(w, 200, s.Calls(r.URL.Query().Get("method")))
		case "stats":
			writeJSON(w, 200, s.Stats())
		case "faults":
			writeJSON(w, 200, s.Faults())
		default:
			simError(w, 404, "no such route: GET /fake/"+route)
		}
		return
	}
	if r.Method == http.MethodDelete && route == "faults" {
		s.ClearFaults()
		writeJSON(w, 200, map[string]bool{"ok": true})
		return
	}
	if r.Method != http.MethodPost {
		simError(w, 405, "use GET or POST")
		return
	}
	if route == "faults" {
		var f Fault
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			simError(w, 400, "body: "+err.Error())
			return
		}
		if err := s.InjectFault(f); err != nil {
			simError(w, 400, err.Error())
			return
		}
		writeJSON(w, 200, map[string]bool{"ok": true})
		return
	}
	var b simBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		simError(w, 400, "body: "+err.Error())
		return
	}
	var out any
	var err error
	switch route {
	case "accounts":
		var a Account
		if a, err = s.AddAccount(b.Handle, b.Password); err == nil && b.DisplayName != "" {
			err = s.SetDisplayName(a.DID, b.DisplayName)
			a.DisplayName = b.DisplayName
		}
		if err == nil && b.Email != "" {
			s.mu.Lock()
			s.findLocked(a.DID).Email = b.Email
			s.mu.Unlock()
			a.Email = b.Email
		}
		out = a
	case "reply":
		out, err = s.Reply(b.Handle, b.Parent, b.Text, b.Lang)
	case "post":
		out, err = s.Post(b.Handle, b.Text, b.Lang)
	case "revoke":
		err = s.RevokeAppPasswords(b.Handle)
		out = map[string]bool{"ok": true}
	case "expire":
		err = s.ExpireSessions(b.Handle)
		out = map[string]bool{"ok": true}
	case "takedown":
		err = s.SetTakendown(b.Handle, b.Down)
		out = map[string]bool{"ok": true}
	default:
		simError(w, 404, "no such route: POST /fake/"+route)
		return
	}
	if err != nil {
		simError(w, 400, err.Error())
		return
	}
	writeJSON(w, 200, out)
}
