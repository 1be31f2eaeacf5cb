package blueskytest

import (
	"encoding/json"
	"fmt"
	"regexp"
)

// SetDisplayName sets an account's display name, as the AppView shows it.
func (s *Server) SetDisplayName(id, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(id)
	if a == nil {
		return fmt.Errorf("blueskytest: no account %q", id)
	}
	a.DisplayName = name
	s.touchLocked()
	return nil
}

// ExpireSessions revokes every refresh token of an account (a password
// change, a sign-out everywhere): its clients must sign in again.
func (s *Server) ExpireSessions(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(id)
	if a == nil {
		return fmt.Errorf("blueskytest: no account %q", id)
	}
	for _, r := range s.refresh {
		if r.did == a.DID {
			r.revoked = true
		}
	}
	s.touchLocked()
	return nil
}

var mentionRE = regexp.MustCompile(`(^|\s)@([a-z0-9.-]+\.[a-z]+)`)

// Post makes a top-level post by account from, with mention facets for
// each @handle of the fake's in text, as a reader's app would.
func (s *Server) Post(from, text, lang string) (Record, error) {
	return s.write(from, text, lang, "")
}

// Reply makes a post by account from answering parentURI, with the root
// and parent refs a client sets, and mention facets for @handles.
func (s *Server) Reply(from, parentURI, text, lang string) (Record, error) {
	if parentURI == "" {
		return Record{}, fmt.Errorf("blueskytest: reply: give the parent post's at-uri")
	}
	return s.write(from, text, lang, parentURI)
}

func (s *Server) write(from, text, lang, parentURI string) (Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(from)
	if a == nil {
		return Record{}, fmt.Errorf("blueskytest: no account %q", from)
	}
	rec := map[string]any{"$type": "app.bsky.feed.post", "text": text, "createdAt": s.clock.now().UTC().Format("2006-01-02T15:04:05.000Z")}
	if lang != "" {
		rec["langs"] = []string{lang}
	}
	var facets []any
	for _, m := range mentionRE.FindAllStringSubmatchIndex(text, -1) {
		if t := s.findLocked(text[m[4]:m[5]]); t != nil {
			facets = append(facets, map[string]any{"index": map[string]int{"byteStart": m[4] - 1, "byteEnd": m[5]},
				"features": []any{map[string]string{"$type": "app.bsky.richtext.facet#mention", "did": t.DID}}})
		}
	}
	if facets != nil {
		rec["facets"] = facets
	}
	if parentURI != "" {
		parent, _ := s.findPostLocked(parentURI)
		if parent == nil {
			return Record{}, fmt.Errorf("blueskytest: reply: no post %s", parentURI)
		}
		root := map[string]string{"uri": parent.URI, "cid": parent.CID}
		var p struct {
			Reply *struct {
				Root map[string]string `json:"root"`
			} `json:"reply"`
		}
		if json.Unmarshal(parent.Value, &p) == nil && p.Reply != nil && p.Reply.Root["uri"] != "" {
			root = p.Reply.Root
		}
		rec["reply"] = map[string]any{"root": root, "parent": map[string]string{"uri": parent.URI, "cid": parent.CID}}
	}
	m := map[string]any{}
	b, _ := json.Marshal(rec)
	_ = json.Unmarshal(b, &m) // round trip: validation reads JSON's types
	s.mu.Unlock()
	e := s.validatePost(a.DID, m)
	s.mu.Lock()
	if e != nil {
		return Record{}, fmt.Errorf("blueskytest: %s", e.Message)
	}
	r := s.putLocked(s.repos[a.DID], "app.bsky.feed.post", s.tidLocked(), b)
	return *r, nil
}

// Accounts returns every account, oldest first.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Account, 0, len(s.accounts))
	for _, a := range s.accounts {
		out = append(out, a.Account)
	}
	return out
}
