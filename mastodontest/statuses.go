package mastodontest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// Status is a status as the simulation face shows it: the source text, not
// the HTML.
type Status struct {
	ID          string    `json:"id"`
	Account     string    `json:"account"` // the author's username
	Text        string    `json:"text"`
	SpoilerText string    `json:"spoiler_text,omitempty"`
	Visibility  string    `json:"visibility"`
	Language    string    `json:"language,omitempty"`
	InReplyToID string    `json:"in_reply_to_id,omitempty"`
	MediaIDs    []string  `json:"media_ids,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	EditedAt    time.Time `json:"edited_at,omitzero"`
	Deleted     bool      `json:"deleted,omitempty"`
	Edits       int       `json:"edits,omitempty"`
}

type status struct {
	id, accountID, text, spoiler, visibility, language string
	inReplyTo, inReplyToAccount                        string
	sensitive                                          bool
	mediaIDs                                           []string
	created, edited                                    time.Time
	deleted                                            bool
	edits                                              int
	app                                                string
}

type idemEntry struct {
	statusID string
	at       time.Time
}

// IdempotencyTTL is how long a status's Idempotency-Key is kept: Mastodon's
// PostStatusService stores it in Redis for 3600 seconds.
const IdempotencyTTL = time.Hour

// URLLength is what a URL counts for in a status (characters_reserved_per_url).
const URLLength = 23

// urlRE finds URLs as Mastodon's twitter-text extractor does with a protocol:
// trailing punctuation is not part of the URL.
var urlRE = regexp.MustCompile(`https?://[^\s<>"]*[^\s<>".,:;!?'")\]]`)

// mentionRE finds @user and @user@domain.
var mentionRE = regexp.MustCompile(`(^|[^\w/@])@([A-Za-z0-9_]+(?:[A-Za-z0-9_.-]+[A-Za-z0-9_]+)?)(?:@([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]))?`)

var hashtagRE = regexp.MustCompile(`(^|[^\w/#&])#([\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)`)

// CountCharacters counts text as Mastodon's StatusLengthValidator does:
// grapheme clusters, each URL as 23, a mention @user@domain as @user.
func CountCharacters(text string) int {
	t := urlRE.ReplaceAllString(text, strings.Repeat("x", URLLength))
	t = mentionRE.ReplaceAllString(t, "$1@$2")
	return Graphemes(t)
}

// Graphemes counts the extended grapheme clusters of s (Unicode's UAX
// #29, as Mastodon counts a status's characters).
func Graphemes(s string) int { return uniseg.GraphemeClusterCount(s) }

func (s *Server) publicStatus(st *status) Status {
	a := s.accounts[st.accountID]
	out := Status{ID: st.id, Text: st.text, SpoilerText: st.spoiler, Visibility: st.visibility,
		Language: st.language, InReplyToID: st.inReplyTo, MediaIDs: slices.Clone(st.mediaIDs),
		CreatedAt: st.created, EditedAt: st.edited, Deleted: st.deleted, Edits: st.edits}
	if a != nil {
		out.Account = a.Username
	}
	return out
}

// Statuses returns the statuses of the account with that username (every
// account's when ""), oldest first, deleted ones included and marked.
func (s *Server) Statuses(username string) []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Status
	for _, id := range s.order {
		st := s.statuses[id]
		if username == "" || strings.EqualFold(s.accounts[st.accountID].Username, username) {
			out = append(out, s.publicStatus(st))
		}
	}
	return out
}

// PostInput is what a simulated user posts.
type PostInput struct {
	Username    string   `json:"username"`
	Status      string   `json:"status"`
	InReplyToID string   `json:"in_reply_to_id,omitempty"`
	Visibility  string   `json:"visibility,omitempty"`
	Language    string   `json:"language,omitempty"`
	SpoilerText string   `json:"spoiler_text,omitempty"`
	MediaIDs    []string `json:"media_ids,omitempty"`
}

// Post makes a status as the user with that username would through the API
// (a reader writing, or replying to herald): the same validation, mentions
// and notifications. It fails with the API's error message.
func (s *Server) Post(in PostInput) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accountByName(in.Username)
	if a == nil {
		return Status{}, fmt.Errorf("mastodontest: no account %q", in.Username)
	}
	p := params{"status": {in.Status}, "in_reply_to_id": {in.InReplyToID}, "visibility": {in.Visibility},
		"language": {in.Language}, "spoiler_text": {in.SpoilerText}, "media_ids": in.MediaIDs}
	c := &call{s: s, p: p, acct: a, tok: &token{scopes: []string{"write"}}}
	rep := c.statusCreate()
	if rep.status != http.StatusOK {
		return Status{}, fmt.Errorf("mastodontest: post: %d %v", rep.status, rep.body)
	}
	s.notify()
	return s.publicStatus(s.statuses[rep.body.(map[string]any)["id"].(string)]), nil
}

var visibilities = []string{"public", "unlisted", "private", "direct"}

func (c *call) statusCreate() reply {
	s := c.s
	now := s.clock.now()
	if c.key != "" {
		k := c.acct.ID + ":" + c.key
		if e, found := s.idem[k]; found && now.Sub(e.at) < IdempotencyTTL {
			if st := s.statuses[e.statusID]; st != nil {
				s.stats.IdempotentRepeats++
				return ok(s.statusJSON(st, c.acct))
			}
		}
	}
	st := &status{accountID: c.acct.ID, text: c.p.get("status"), spoiler: c.p.get("spoiler_text"),
		visibility: c.p.get("visibility"), language: strings.ToLower(c.p.get("language")),
		sensitive: c.p.boolean("sensitive"), mediaIDs: c.p.list("media_ids"), created: now}
	if c.tok != nil {
		if a := s.apps[c.tok.appID]; a != nil {
			st.app = a.name
		}
	}
	if rep, bad := c.validate(st); bad {
		return rep
	}
	if id := c.p.get("in_reply_to_id"); id != "" {
		parent := s.statuses[id]
		if parent == nil || parent.deleted {
			return fail(http.StatusNotFound, "Record not found")
		}
		st.inReplyTo, st.inReplyToAccount = parent.id, parent.accountID
	}
	if rep, limited := s.countCreation(c.acct); limited {
		return rep
	}
	st.id = s.newID()
	s.statuses[st.id] = st
	s.order = append(s.order, st.id)
	for _, id := range st.mediaIDs {
		s.media[id].statusID = st.id
	}
	if c.key != "" {
		s.idem[c.acct.ID+":"+c.key] = idemEntry{statusID: st.id, at: now}
	}
	s.mentionNotifications(st)
	c.stored = true
	return ok(s.statusJSON(st, c.acct))
}

// validate checks a new or edited status as Mastodon's validators do.
func (c *call) validate(st *status) (reply, bool) {
	s := c.s
	if st.visibility == "" {
		st.visibility = "public"
	}
	if !slices.Contains(visibilities, st.visibility) {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Visibility is not included in the list"), true
	}
	if st.language == "" && c.acct != nil {
		st.language = c.acct.locale
	}
	if st.language != "" && !languageRE.MatchString(st.language) {
		st.language = "" // Mastodon keeps only languages it knows, and drops the rest
	}
	if strings.TrimSpace(st.text) == "" && len(st.mediaIDs) == 0 {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Text can't be blank"), true
	}
	if n := Graphemes(st.spoiler) + CountCharacters(st.text); n > s.maxChars {
		return fail(http.StatusUnprocessableEntity, fmt.Sprintf("Validation failed: Text character limit of %d exceeded", s.maxChars)), true
	}
	if len(st.mediaIDs) > 4 {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Media attachments too many attached"), true
	}
	for _, id := range st.mediaIDs {
		m := s.media[id]
		if m == nil || m.accountID != c.acct.ID || (m.statusID != "" && m.statusID != st.id) {
			return fail(http.StatusUnprocessableEntity, "Validation failed: Media attachments is invalid"), true
		}
		if !m.ready(s.clock.now()) {
			return fail(http.StatusUnprocessableEntity, "Cannot attach files that have not finished processing. Try again in a moment!"), true
		}
	}
	return reply{}, false
}

var languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})?$`)

// mentionNotifications gives each local account mentioned in st, and the
// author of the status st replies to when mentioned, a mention notification.
func (s *Server) mentionNotifications(st *status) {
	seen := map[string]bool{st.accountID: true}
	for _, m := range mentionRE.FindAllStringSubmatch(st.text, -1) {
		if m[3] != "" && !strings.EqualFold(m[3], s.domain) {
			continue
		}
		a := s.accountByName(m[2])
		if a == nil || seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		s.notes = append(s.notes, &notification{id: s.newID(), accountID: a.ID, kind: "mention",
			fromID: st.accountID, statusID: st.id, created: st.created})
	}
}

func (c *call) statusOf() (*status, *reply) {
	st := c.s.statuses[c.ids[0]]
	if st == nil || st.deleted || !c.s.visibleTo(st, c.acct) {
		r := fail(http.StatusNotFound, "Record not found")
		return nil, &r
	}
	return st, nil
}

func (s *Server) visibleTo(st *status, viewer *account) bool {
	if st.visibility == "public" || st.visibility == "unlisted" {
		return true
	}
	return viewer != nil && (viewer.ID == st.accountID || viewer.ID == st.inReplyToAccount)
}

func (c *call) statusShow() reply {
	st, bad := c.statusOf()
	if bad != nil {
		return *bad
	}
	return ok(c.s.statusJSON(st, c.acct))
}

func (c *call) statusUpdate() reply {
	st, bad := c.statusOf()
	if bad != nil {
		return *bad
	}
	if c.acct == nil || st.accountID != c.acct.ID {
		return fail(http.StatusForbidden, "This action is not allowed")
	}
	ed := *st
	ed.text = c.p.get("status")
	ed.spoiler = c.p.get("spoiler_text")
	ed.sensitive = c.p.boolean("sensitive")
	if c.p.has("language") {
		ed.language = strings.ToLower(c.p.get("language"))
	}
	// An edit sends the status whole: attachments not named again are
	// dropped, as Mastodon's UpdateStatusService does.
	ed.mediaIDs = c.p.list("media_ids")
	if rep, bad := c.validate(&ed); bad {
		return rep
	}
	ed.edited = c.s.clock.now()
	ed.edits++
	*st = ed
	for _, id := range st.mediaIDs {
		c.s.media[id].statusID = st.id
	}
	c.stored = true
	return ok(c.s.statusJSON(st, c.acct))
}

func (c *call) statusDelete() reply {
	st, bad := c.statusOf()
	if bad != nil {
		return *bad
	}
	if st.accountID != c.acct.ID {
		return fail(http.StatusForbidden, "This action is not allowed")
	}
	st.deleted = true
	c.stored = true
	out := c.s.statusJSON(st, c.acct)
	out["text"] = st.text // Mastodon answers a delete with the source, for "delete and redraft"
	return ok(out)
}

func (c *call) statusSource() reply {
	st, bad := c.statusOf()
	if bad != nil {
		return *bad
	}
	if st.accountID != c.acct.ID {
		return fail(http.StatusNotFound, "Record not found")
	}
	return ok(map[string]any{"id": st.id, "text": st.text, "spoiler_text": st.spoiler})
}

func (c *call) statusContext() reply {
	st, bad := c.statusOf()
	if bad != nil {
		return *bad
	}
	s := c.s
	ancestors := []any{}
	for p := s.statuses[st.inReplyTo]; p != nil; p = s.statuses[p.inReplyTo] {
		if !p.deleted && s.visibleTo(p, c.acct) {
			ancestors = append([]any{s.statusJSON(p, c.acct)}, ancestors...)
		}
	}
	descendants := []any{}
	under := map[string]bool{st.id: true}
	for _, id := range s.order { // oldest first, so a reply's parent is seen before it
		d := s.statuses[id]
		if under[d.inReplyTo] {
			under[d.id] = true
			if !d.deleted && s.visibleTo(d, c.acct) {
				descendants = append(descendants, s.statusJSON(d, c.acct))
			}
		}
	}
	return ok(map[string]any{"ancestors": ancestors, "descendants": descendants})
}

func (c *call) accountStatuses() reply {
	s := c.s
	a := s.accounts[c.ids[0]]
	if a == nil {
		return fail(http.StatusNotFound, "Record not found")
	}
	limit := pageLimit(c.p, 20, 40)
	var list []*status
	for i := len(s.order) - 1; i >= 0; i-- {
		st := s.statuses[s.order[i]]
		if st.accountID != a.ID || st.deleted || !s.visibleTo(st, c.acct) {
			continue
		}
		if c.p.boolean("exclude_replies") && st.inReplyTo != "" && st.inReplyToAccount != a.ID {
			continue
		}
		list = append(list, st)
	}
	page := paginate(list, c.p, limit, func(st *status) string { return st.id })
	out := make([]any, 0, len(page))
	for _, st := range page {
		out = append(out, s.statusJSON(st, c.acct))
	}
	rep := ok(out)
	rep.header = linkHeader(s.url+"/api/v1/accounts/"+a.ID+"/statuses", c.p, ids(page, func(st *status) string { return st.id }))
	return rep
}

// statusJSON renders the Status entity for viewer.
func (s *Server) statusJSON(st *status, viewer *account) map[string]any {
	a := s.accounts[st.accountID]
	media := []any{}
	for _, id := range st.mediaIDs {
		if m := s.media[id]; m != nil {
			media = append(media, s.mediaJSON(m))
		}
	}
	var lang, inReply, inReplyAcct, edited any
	if st.language != "" {
		lang = st.language
	}
	if st.inReplyTo != "" {
		inReply, inReplyAcct = st.inReplyTo, st.inReplyToAccount
	}
	if !st.edited.IsZero() {
		edited = st.edited.Format("2006-01-02T15:04:05.000Z")
	}
	replies := 0
	for _, o := range s.statuses {
		if o.inReplyTo == st.id && !o.deleted {
			replies++
		}
	}
	mentions := []any{}
	for _, m := range mentionRE.FindAllStringSubmatch(st.text, -1) {
		if acc := s.accountByName(m[2]); acc != nil && (m[3] == "" || strings.EqualFold(m[3], s.domain)) {
			mentions = append(mentions, map[string]any{"id": acc.ID, "username": acc.Username,
				"acct": acc.Username, "url": s.url + "/@" + acc.Username})
		}
	}
	tags := []any{}
	for _, m := range hashtagRE.FindAllStringSubmatch(st.text, -1) {
		tags = append(tags, map[string]any{"name": strings.ToLower(m[2]), "url": s.url + "/tags/" + strings.ToLower(m[2])})
	}
	var app any
	if st.app != "" && viewer != nil && viewer.ID == st.accountID {
		app = map[string]any{"name": st.app, "website": nil}
	}
	return map[string]any{
		"id": st.id, "created_at": st.created.Format("2006-01-02T15:04:05.000Z"),
		"in_reply_to_id": inReply, "in_reply_to_account_id": inReplyAcct,
		"sensitive": st.sensitive || st.spoiler != "", "spoiler_text": st.spoiler, "visibility": st.visibility,
		"language": lang, "uri": s.url + "/users/" + a.Username + "/statuses/" + st.id,
		"url": s.url + "/@" + a.Username + "/" + st.id, "replies_count": replies, "reblogs_count": 0,
		"favourites_count": 0, "edited_at": edited, "favourited": false, "reblogged": false,
		"muted": false, "bookmarked": false, "pinned": false,
		"content": s.formatHTML(st.text), "filtered": []any{}, "reblog": nil, "application": app,
		"account": s.accountJSON(a), "media_attachments": media, "mentions": mentions, "tags": tags,
		"emojis": []any{}, "card": nil, "poll": nil,
	}
}

// homeTimeline is the account's own statuses (the fake's accounts follow no one).
func (c *call) homeTimeline() reply {
	c.ids = []string{c.acct.ID}
	rep := c.accountStatuses()
	if rep.header != nil {
		rep.header = linkHeader(c.s.url+"/api/v1/timelines/home", c.p, nil)
	}
	return rep
}
