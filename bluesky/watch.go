package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/store"
)

// How far back Watch looks. Notifications are read since the mark kept for
// each account; threads of posts sent in the last threadDays are walked
// every threadEvery polls, for replies deeper in a thread than the
// notifications tell of.
const (
	postsBack   = 30 * 24 * time.Hour
	postsMax    = 1000
	threadDays  = 3 * 24 * time.Hour
	threadMax   = 50
	threadEvery = 10
	notePages   = 10
)

// Watch reads replies to herald's posts on every Bluesky channel into
// reviews until ctx ends: each account's notifications since the last
// one it read (the mark is kept in the store, so a restart does not read
// everything again), and now and then the threads of recent posts.
func (n *Network) Watch(ctx context.Context) error {
	if n.cfg.Store == nil || n.cfg.Intake == nil {
		return fmt.Errorf("bluesky: watch: no store or intake")
	}
	t := time.NewTicker(n.cfg.PollEvery)
	defer t.Stop()
	for round := 0; ; round++ {
		if err := n.poll(ctx, round%threadEvery == 0); err != nil && ctx.Err() == nil {
			n.log.Warn("bluesky: reading replies failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// ours are herald's posts on Bluesky by at-uri.
type ours map[string]store.NetworkPost

func (n *Network) poll(ctx context.Context, threads bool) error {
	chs, err := n.cfg.Store.Channels(ctx)
	if err != nil {
		return err
	}
	now := n.cfg.Now()
	posts, err := n.cfg.Store.NetworkPosts(ctx, herald.NetworkBluesky, now.Add(-postsBack), postsMax)
	if err != nil {
		return err
	}
	mine := ours{}
	for _, p := range posts {
		mine[p.RemoteID] = p
	}
	seen := map[string]bool{}
	for _, ch := range chs {
		if ch.Network != herald.NetworkBluesky || !strings.HasPrefix(ch.Chat, "did:") {
			continue
		}
		a := accountOf(ch)
		if seen[a.key()] {
			continue
		}
		seen[a.key()] = true
		if err := n.notifications(ctx, ch, mine); err != nil {
			n.log.Warn("bluesky: reading notifications failed", "channel", ch.ID, "handle", ch.Handle, "err", err)
		}
	}
	if threads {
		byChannel := map[int64]*herald.Channel{}
		for _, ch := range chs {
			byChannel[ch.ID] = ch
		}
		for i, p := range posts {
			if i == threadMax || p.SentAt.Before(now.Add(-threadDays)) {
				break
			}
			if ch := byChannel[p.ChannelID]; ch != nil && ch.Network == herald.NetworkBluesky {
				if err := n.thread(ctx, ch, p.RemoteID); err != nil {
					n.log.Warn("bluesky: reading a thread failed", "uri", p.RemoteID, "err", err)
				}
			}
		}
	}
	return nil
}

// postRecord is the part of a post herald reads from a reply.
type postRecord struct {
	Text      string   `json:"text"`
	Langs     []string `json:"langs"`
	CreatedAt string   `json:"createdAt"`
	Reply     *struct {
		Root   strongRef `json:"root"`
		Parent strongRef `json:"parent"`
	} `json:"reply"`
	Facets []struct {
		Index struct {
			ByteStart int `json:"byteStart"`
			ByteEnd   int `json:"byteEnd"`
		} `json:"index"`
		Features []struct {
			Type string `json:"$type"`
			DID  string `json:"did"`
		} `json:"features"`
	} `json:"facets"`
}

type author struct {
	DID         string `json:"did"`
	Handle      string `json:"handle"`
	DisplayName string `json:"displayName"`
}

type noteList struct {
	Notifications []struct {
		URI       string          `json:"uri"`
		Author    author          `json:"author"`
		Reason    string          `json:"reason"`
		Record    json.RawMessage `json:"record"`
		IndexedAt time.Time       `json:"indexedAt"`
	} `json:"notifications"`
	Cursor string `json:"cursor"`
}

func markKey(did string) string { return "bluesky:notifications-read:" + did }

// notifications reads ch's account's notifications newer than its mark.
func (n *Network) notifications(ctx context.Context, ch *herald.Channel, mine ours) error {
	a := accountOf(ch)
	var mark time.Time
	if v, ok, err := n.cfg.Store.Value(ctx, markKey(ch.Chat)); err != nil {
		return err
	} else if ok {
		mark, _ = time.Parse(time.RFC3339Nano, v)
	}
	newest := mark
	cursor := ""
	for page := 0; page < notePages; page++ {
		q := url.Values{"limit": {"50"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		var out noteList
		if _, err := n.c.authed(ctx, a, request{base: a.endpoint, nsid: "app.bsky.notification.listNotifications", params: q}, &out); err != nil {
			return err
		}
		done := false
		for _, nt := range out.Notifications {
			if !nt.IndexedAt.After(mark) {
				done = true
				break
			}
			if nt.IndexedAt.After(newest) {
				newest = nt.IndexedAt
			}
			if nt.Reason != "reply" && nt.Reason != "mention" {
				continue
			}
			if err := n.take(ctx, ch, mine, nt.URI, nt.Author, nt.Record, nt.IndexedAt); err != nil {
				return err
			}
		}
		if done || out.Cursor == "" {
			break
		}
		cursor = out.Cursor
	}
	if newest.After(mark) {
		return n.cfg.Store.SetValue(ctx, markKey(ch.Chat), newest.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

// take gives a reply under one of herald's posts to the intake.
func (n *Network) take(ctx context.Context, ch *herald.Channel, mine ours, uri string, au author, raw json.RawMessage, at time.Time) error {
	var rec postRecord
	if json.Unmarshal(raw, &rec) != nil || rec.Reply == nil || au.DID == ch.Chat {
		return nil
	}
	root, ok := mine[rec.Reply.Root.URI]
	if !ok {
		if root, ok = mine[rec.Reply.Parent.URI]; !ok {
			return nil // a reply under someone else's post
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, rec.CreatedAt); err == nil && t.Before(at) {
		at = t
	}
	lang := herald.Language("")
	if len(rec.Langs) > 0 {
		if l := herald.Language(strings.ToLower(strings.SplitN(rec.Langs[0], "-", 2)[0])); l.Valid() {
			lang = l
		}
	}
	_, err := n.cfg.Intake.Take(ctx, replies.Reply{
		Network: herald.NetworkBluesky, ChannelID: root.ChannelID, InReplyTo: root.RemoteID, ID: uri,
		Author: au.DID, Handle: au.Handle, Name: au.DisplayName, Language: lang,
		Text: withoutMention(rec, ch.Chat), At: at,
	})
	return err
}

// withoutMention is a reply's text without the mentions of herald's own
// account (by their facets' byte ranges).
func withoutMention(rec postRecord, did string) string {
	type span struct{ s, e int }
	var cuts []span
	for _, f := range rec.Facets {
		for _, ft := range f.Features {
			if ft.Type == "app.bsky.richtext.facet#mention" && ft.DID == did &&
				f.Index.ByteStart >= 0 && f.Index.ByteStart < f.Index.ByteEnd && f.Index.ByteEnd <= len(rec.Text) {
				cuts = append(cuts, span{f.Index.ByteStart, f.Index.ByteEnd})
			}
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].s > cuts[j].s })
	text := rec.Text
	for _, c := range cuts {
		text = text[:c.s] + text[c.e:]
	}
	return strings.Join(strings.Fields(text), " ")
}

type threadView struct {
	Type string `json:"$type"`
	Post *struct {
		URI       string          `json:"uri"`
		Author    author          `json:"author"`
		Record    json.RawMessage `json:"record"`
		IndexedAt time.Time       `json:"indexedAt"`
	} `json:"post"`
	Replies []threadView `json:"replies"`
}

// thread walks the replies under one of herald's posts.
func (n *Network) thread(ctx context.Context, ch *herald.Channel, uri string) error {
	a := accountOf(ch)
	var out struct {
		Thread threadView `json:"thread"`
	}
	_, err := n.c.authed(ctx, a, request{base: a.endpoint, nsid: "app.bsky.feed.getPostThread",
		params: url.Values{"uri": {uri}, "depth": {"10"}, "parentHeight": {"0"}}}, &out)
	if isName(err, "NotFound") {
		return nil // deleted since
	}
	if err != nil {
		return err
	}
	mine := ours{uri: {RemoteID: uri, ChannelID: ch.ID}}
	var walk func(t threadView) error
	walk = func(t threadView) error {
		for _, r := range t.Replies {
			if r.Post != nil {
				if err := n.take(ctx, ch, mine, r.Post.URI, r.Post.Author, r.Post.Record, r.Post.IndexedAt); err != nil {
					return err
				}
			}
			if err := walk(r); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(out.Thread)
}
