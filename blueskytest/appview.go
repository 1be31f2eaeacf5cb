package blueskytest

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The AppView methods herald reads, answered from the fake's own repos.

type notification struct {
	recipient string // DID
	uri, cid  string
	author    string // DID
	reason    string // reply, mention
	subject   string // reasonSubject: the post replied to
	record    json.RawMessage
	at        time.Time
	seq       int64
}

// post is the part of app.bsky.feed.post the AppView reads.
type post struct {
	Text  string `json:"text"`
	Reply *struct {
		Root   struct{ URI, CID string } `json:"root"`
		Parent struct{ URI, CID string } `json:"parent"`
	} `json:"reply"`
	Facets []struct {
		Features []struct {
			Type string `json:"$type"`
			DID  string `json:"did"`
		} `json:"features"`
	} `json:"facets"`
}

// notifyLocked files the notifications a new post causes: "reply" to the
// authors of the post it answers and of its thread's root, "mention" to
// each account it mentions; never to the poster.
func (s *Server) notifyLocked(author string, r *Record) {
	var p post
	if json.Unmarshal(r.Value, &p) != nil {
		return
	}
	told := map[string]bool{author: true}
	add := func(to, reason, subject string) {
		if told[to] || s.findLocked(to) == nil {
			return
		}
		told[to] = true
		s.seq++
		s.notes = append(s.notes, &notification{recipient: to, uri: r.URI, cid: r.CID, author: author, reason: reason,
			subject: subject, record: r.Value, at: r.IndexedAt, seq: s.seq})
	}
	if p.Reply != nil {
		for _, ref := range []string{p.Reply.Parent.URI, p.Reply.Root.URI} {
			if d, _, _, err := parseURI(ref); err == nil {
				if a := s.findLocked(d); a != nil {
					add(a.DID, "reply", ref)
				}
			}
		}
	}
	for _, f := range p.Facets {
		for _, ft := range f.Features {
			if ft.Type == "app.bsky.richtext.facet#mention" {
				add(ft.DID, "mention", "")
			}
		}
	}
}

func (s *Server) dropNotesLocked(uri string) {
	kept := s.notes[:0]
	for _, n := range s.notes {
		if n.uri != uri {
			kept = append(kept, n)
		}
	}
	s.notes = kept
}

// viewerAuth checks the bearer when one is given: the AppView, reached
// through the PDS, serves signed-in users; the public AppView serves anyone.
func (s *Server) viewerAuth(c *call) *xrpcError {
	if c.r.Header.Get("Authorization") == "" {
		return nil
	}
	_, e := s.auth(c, "")
	return e
}

func (s *Server) profileLocked(did string) map[string]any {
	a := s.findLocked(did)
	if a == nil {
		return map[string]any{"did": did, "handle": "handle.invalid", "labels": []any{}}
	}
	p := map[string]any{"did": a.DID, "handle": a.Handle, "labels": []any{}, "viewer": map[string]any{}, "createdAt": a.created.UTC().Format(time.RFC3339Nano)}
	if a.DisplayName != "" {
		p["displayName"] = a.DisplayName
	}
	return p
}

// findPostLocked finds a post by at-uri (a handle or DID authority).
func (s *Server) findPostLocked(uri string) (*Record, string) {
	auth, coll, rkey, err := parseURI(uri)
	if err != nil || coll != "app.bsky.feed.post" {
		return nil, ""
	}
	a := s.findLocked(auth)
	if a == nil {
		return nil, ""
	}
	return s.repos[a.DID].coll[coll][rkey], a.DID
}

// repliesLocked are the posts whose parent is uri, oldest first.
func (s *Server) repliesLocked(uri string) []*Record {
	var out []*Record
	for _, rp := range s.repos {
		for _, r := range rp.coll["app.bsky.feed.post"] {
			var p post
			if json.Unmarshal(r.Value, &p) == nil && p.Reply != nil && p.Reply.Parent.URI == uri {
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].IndexedAt.Before(out[j].IndexedAt) || (out[i].IndexedAt.Equal(out[j].IndexedAt) && out[i].URI < out[j].URI)
	})
	return out
}

func (s *Server) postViewLocked(r *Record) map[string]any {
	did, _, _, _ := parseURI(r.URI)
	var rec map[string]any
	_ = json.Unmarshal(r.Value, &rec) // stored records are JSON objects
	return map[string]any{
		"uri": r.URI, "cid": r.CID, "author": s.profileLocked(did), "record": rec,
		"replyCount": len(s.repliesLocked(r.URI)), "repostCount": 0, "likeCount": 0, "quoteCount": 0,
		"indexedAt": r.IndexedAt.UTC().Format(time.RFC3339Nano), "viewer": map[string]any{}, "labels": []any{},
	}
}

func (s *Server) threadLocked(r *Record, depth int) map[string]any {
	t := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.postViewLocked(r)}
	if depth > 0 {
		reps := []any{}
		for _, c := range s.repliesLocked(r.URI) {
			reps = append(reps, s.threadLocked(c, depth-1))
		}
		t["replies"] = reps
	}
	return t
}

// getPostThread answers the thread under uri, replies nested to depth
// (default 6), and its parents up to parentHeight (default 80).
func (s *Server) getPostThread(c *call) (any, *xrpcError) {
	if e := s.viewerAuth(c); e != nil {
		return nil, e
	}
	uri := c.param("uri")
	if uri == "" {
		return nil, invalidRequest("", `Params must have the property "uri"`)
	}
	depth, e := intParam(c, "depth", 6, 1000)
	if e != nil {
		return nil, e
	}
	height, e := intParam(c, "parentHeight", 80, 1000)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, _ := s.findPostLocked(uri)
	if r == nil {
		return nil, invalidRequest("NotFound", "Post not found: %s", uri)
	}
	t := s.threadLocked(r, depth)
	cur := t
	for i := 0; i < height; i++ {
		var p post
		if json.Unmarshal(r.Value, &p) != nil || p.Reply == nil {
			break
		}
		parent, _ := s.findPostLocked(p.Reply.Parent.URI)
		if parent == nil {
			cur["parent"] = map[string]any{"$type": "app.bsky.feed.defs#notFoundPost", "uri": p.Reply.Parent.URI, "notFound": true}
			break
		}
		pt := map[string]any{"$type": "app.bsky.feed.defs#threadViewPost", "post": s.postViewLocked(parent)}
		cur["parent"] = pt
		cur, r = pt, parent
	}
	return map[string]any{"thread": t}, nil
}

func intParam(c *call, name string, def, most int) (int, *xrpcError) {
	v := c.param(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, invalidRequest("", "%s must be an integer", name)
	}
	if n > most {
		return 0, invalidRequest("", "%s can not be greater than %d", name, most)
	}
	return n, nil
}

func (s *Server) getPosts(c *call) (any, *xrpcError) {
	if e := s.viewerAuth(c); e != nil {
		return nil, e
	}
	uris := c.r.URL.Query()["uris"]
	if len(uris) > 25 {
		return nil, invalidRequest("", "uris must not have more than 25 elements")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, u := range uris {
		if r, _ := s.findPostLocked(u); r != nil {
			out = append(out, s.postViewLocked(r))
		}
	}
	return map[string]any{"posts": out}, nil
}

func (s *Server) getProfile(c *call) (any, *xrpcError) {
	if e := s.viewerAuth(c); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(c.param("actor"))
	if a == nil {
		return nil, invalidRequest("", "Profile not found")
	}
	p := s.profileLocked(a.DID)
	n := len(s.repos[a.DID].coll["app.bsky.feed.post"])
	p["postsCount"], p["followersCount"], p["followsCount"] = n, 0, 0
	return p, nil
}

// listNotifications answers the signed-in account's notifications, newest
// first; cursor pages to older ones.
func (s *Server) listNotifications(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, e
	}
	lim, e := limitParam(c, 50, 100)
	if e != nil {
		return nil, e
	}
	reasons := map[string]bool{}
	for _, r := range c.r.URL.Query()["reasons"] {
		reasons[r] = true
	}
	var before int64 = -1
	if cur := c.param("cursor"); cur != "" {
		n, err := parseCursor(cur)
		if err != nil {
			return nil, invalidRequest("", "Malformed cursor")
		}
		before = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.findLocked(cl.did)
	out := []any{}
	var last *notification
	for i := len(s.notes) - 1; i >= 0 && len(out) < lim; i-- {
		n := s.notes[i]
		if n.recipient != cl.did || (before >= 0 && n.seq >= before) || (len(reasons) > 0 && !reasons[n.reason]) {
			continue
		}
		var rec map[string]any
		_ = json.Unmarshal(n.record, &rec) // stored records are JSON objects
		v := map[string]any{"uri": n.uri, "cid": n.cid, "author": s.profileLocked(n.author), "reason": n.reason,
			"record": rec, "isRead": !a.seenAt.IsZero() && !n.at.After(a.seenAt), "indexedAt": n.at.UTC().Format(time.RFC3339Nano), "labels": []any{}}
		if n.subject != "" {
			v["reasonSubject"] = n.subject
		}
		out = append(out, v)
		last = n
	}
	res := map[string]any{"notifications": out, "priority": false}
	if last != nil && len(out) == lim {
		res["cursor"] = last.at.UTC().Format("2006-01-02T15:04:05.000Z") + "::" + itoa(int(last.seq))
	}
	if !a.seenAt.IsZero() {
		res["seenAt"] = a.seenAt.UTC().Format(time.RFC3339Nano)
	}
	return res, nil
}

// parseCursor reads a notifications cursor: "<indexedAt>::<seq>".
func parseCursor(cur string) (int64, error) {
	_, seq, ok := strings.Cut(cur, "::")
	if !ok {
		return 0, strconv.ErrSyntax
	}
	return strconv.ParseInt(seq, 10, 64)
}

func (s *Server) updateSeen(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, e
	}
	var in struct {
		SeenAt string `json:"seenAt"`
	}
	if e := c.decode(&in); e != nil {
		return nil, e
	}
	t, err := time.Parse(time.RFC3339Nano, in.SeenAt)
	if err != nil {
		return nil, invalidRequest("", "Input/seenAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.findLocked(cl.did).seenAt = t
	s.touchLocked()
	return nil, nil
}
