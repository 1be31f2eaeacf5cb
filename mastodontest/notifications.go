package mastodontest

import (
	"slices"
	"sort"
	"time"
)

// Notification is a notification as the simulation face shows it.
type Notification struct {
	ID       string    `json:"id"`
	Account  string    `json:"account"` // the recipient's username
	Type     string    `json:"type"`
	From     string    `json:"from"` // the username of who caused it
	StatusID string    `json:"status_id,omitempty"`
	At       time.Time `json:"created_at"`
}

type notification struct {
	id, accountID, kind, fromID, statusID string
	created                               time.Time
}

// Notifications returns the notifications of the account with that username, oldest first.
func (s *Server) Notifications(username string) []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Notification
	for _, n := range s.notes {
		to, from := s.accounts[n.accountID], s.accounts[n.fromID]
		if username != "" && to.Username != username {
			continue
		}
		out = append(out, Notification{ID: n.id, Account: to.Username, Type: n.kind, From: from.Username, StatusID: n.statusID, At: n.created})
	}
	return out
}

func (c *call) notificationsList() reply {
	s := c.s
	types, exclude := c.p.list("types"), c.p.list("exclude_types")
	var list []*notification
	for i := len(s.notes) - 1; i >= 0; i-- {
		n := s.notes[i]
		if n.accountID != c.acct.ID {
			continue
		}
		if len(types) > 0 && !slices.Contains(types, n.kind) || slices.Contains(exclude, n.kind) {
			continue
		}
		if st := s.statuses[n.statusID]; st != nil && st.deleted {
			continue // a deleted status takes its notifications with it
		}
		list = append(list, n)
	}
	page := paginate(list, c.p, pageLimit(c.p, 40, 80), func(n *notification) string { return n.id })
	out := make([]any, 0, len(page))
	for _, n := range page {
		var st any
		if x := s.statuses[n.statusID]; x != nil {
			st = s.statusJSON(x, c.acct)
		}
		out = append(out, map[string]any{"id": n.id, "type": n.kind, "group_key": "ungrouped-" + n.id,
			"created_at": n.created.Format("2006-01-02T15:04:05.000Z"), "account": s.accountJSON(s.accounts[n.fromID]), "status": st})
	}
	rep := ok(out)
	rep.header = linkHeader(s.url+"/api/v1/notifications", c.p, ids(page, func(n *notification) string { return n.id }))
	return rep
}

func sortByID[T any](list []T, id func(T) string) {
	sort.Slice(list, func(i, j int) bool {
		a, b := id(list[i]), id(list[j])
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
}
