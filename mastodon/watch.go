package mastodon

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	gomasto "github.com/mattn/go-mastodon"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
)

// How far back Watch looks: mentions are read from a cursor, so only the
// threads under recent statuses are also read whole, for replies that do
// not mention herald (Mastodon notifies only the accounts a reply names).
const (
	threadWindow = 48 * time.Hour
	threadsAPoll = 10 // statuses whose threads are read in one poll, newest first
	// threadsEvery spaces the reading of threads, which costs a request a
	// status, so that replies never take much of the account's 300
	// requests per 5 minutes; threadsReserve is what they always leave.
	threadsEvery   = 2 * time.Minute
	threadsReserve = 60
	rootsWindow    = 30 * 24 * time.Hour
	maxThreadHops  = 8
	maxRoots       = 5000 // herald's statuses whose replies are looked for
)

// Watch reads replies to herald's statuses on every Mastodon channel and
// gives them to Intake.Take, every PollEvery, until ctx ends. A channel's
// mentions are read from a cursor kept in the store, so a restart reads on
// from where it was. Errors are logged and the next poll tries again.
func (n *Network) Watch(ctx context.Context) error {
	if n.cfg.Store == nil || n.cfg.Intake == nil {
		return errors.New("mastodon: watch: no store or review intake")
	}
	t := time.NewTicker(n.cfg.PollEvery)
	defer t.Stop()
	for {
		n.poll(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// poll reads every channel's replies once.
func (n *Network) poll(ctx context.Context) {
	chs, err := n.cfg.Store.Channels(ctx)
	if err != nil {
		n.cfg.Log.Warn("mastodon: replies: channels", "err", err)
		return
	}
	posts, err := n.cfg.Store.NetworkPosts(ctx, herald.NetworkMastodon, n.cfg.Now().Add(-rootsWindow), maxRoots)
	if err != nil {
		n.cfg.Log.Warn("mastodon: replies: posts", "err", err)
		return
	}
	for _, ch := range chs {
		if ch.Network != herald.NetworkMastodon || ctx.Err() != nil {
			continue
		}
		var mine []sentPost
		for _, p := range posts {
			if p.ChannelID == ch.ID && p.RemoteID != "" {
				mine = append(mine, sentPost{remoteID: p.RemoteID, at: p.SentAt})
			}
		}
		err := n.pollChannel(ctx, ch, mine)
		if ctx.Err() != nil {
			return
		}
		// The same trouble (a revoked token on a paused channel) is said
		// once, not every poll.
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		n.mu.Lock()
		said := n.pollErr[ch.ID] == msg
		n.pollErr[ch.ID] = msg
		n.mu.Unlock()
		if err != nil && !said {
			n.cfg.Log.Warn("mastodon: replies", "channel", ch.ID, "err", err)
		}
	}
}

// notMentions are the notification types other than mention, left out of
// the request (go-mastodon has no types[] outside its backward iterator).
var notMentions = []string{"status", "reblog", "follow", "follow_request", "favourite", "poll", "update",
	"admin.sign_up", "admin.report", "severed_relationships", "moderation_warning"}

type sentPost struct {
	remoteID string
	at       time.Time
}

func cursorKey(ch *herald.Channel) string {
	return "mastodon.notifications." + strconv.FormatInt(ch.ID, 10)
}

func (n *Network) pollChannel(ctx context.Context, ch *herald.Channel, posts []sentPost) error {
	c, err := n.client(ch)
	if err != nil {
		return err
	}
	host, err := endpointHost(ch.Endpoint)
	if err != nil {
		return err
	}
	roots := map[string]bool{}
	for _, p := range posts {
		roots[p.remoteID] = true
	}
	w := &watcher{n: n, c: c, ch: ch, host: host, roots: roots, me: strings.SplitN(ch.Chat, "@", 2)[0],
		user: strings.SplitN(ch.Handle, "@", 2)[0]}

	// Mentions since the cursor: each page is the notifications just after
	// min_id, so reading on until a short page reads them all, in order.
	cursor, _, err := n.cfg.Store.Value(ctx, cursorKey(ch))
	if err != nil {
		return fmt.Errorf("cursor: %w", err)
	}
	for {
		pg := &gomasto.Pagination{Limit: 40}
		if cursor != "" {
			pg.MinID = gomasto.ID(cursor)
		}
		list, err := c.GetNotificationsExclude(ctx, &notMentions, pg)
		if err != nil {
			return fmt.Errorf("notifications: %w", redactErr(err))
		}
		sort.Slice(list, func(i, j int) bool { return idLess(string(list[i].ID), string(list[j].ID)) })
		for _, nt := range list {
			if nt.Type == "mention" && nt.Status != nil {
				if err := w.take(ctx, nt.Status); err != nil {
					return err
				}
			}
			cursor = string(nt.ID)
		}
		if len(list) > 0 {
			if err := n.cfg.Store.SetValue(ctx, cursorKey(ch), cursor); err != nil {
				return fmt.Errorf("cursor: %w", err)
			}
		}
		if len(list) < 40 {
			break
		}
	}

	// The threads under the newest statuses, for replies that name no one.
	if !w.n.threadsDue(ch) {
		return nil
	}
	sort.Slice(posts, func(i, j int) bool { return posts[i].at.After(posts[j].at) })
	for i, p := range posts {
		if i >= threadsAPoll || n.cfg.Now().Sub(p.at) > threadWindow {
			break
		}
		tc, err := c.GetStatusContext(ctx, gomasto.ID(p.remoteID))
		if err != nil {
			var ae *gomasto.APIError
			if errors.As(err, &ae) && ae.StatusCode == 404 {
				continue // deleted
			}
			return fmt.Errorf("thread of %s: %w", p.remoteID, redactErr(err))
		}
		for _, st := range tc.Descendants {
			if err := w.take(ctx, st); err != nil {
				return err
			}
		}
	}
	return nil
}

// threadsDue reports whether the channel's threads are to be read in this
// poll: threadsEvery (in the instance's time) since the last time, and the
// account's request budget not near its end.
func (n *Network) threadsDue(ch *herald.Channel) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.cfg.Now()
	if last, ok := n.threadsAt[ch.ID]; ok && now.Sub(last) < time.Duration(float64(threadsEvery)/n.cfg.Scale) {
		return false
	}
	if rs := n.rates[ch.Chat]; rs.Limit > 0 && rs.Remaining < threadsReserve && now.Before(rs.Reset) {
		return false
	}
	n.threadsAt[ch.ID] = now
	return true
}

// idLess orders Mastodon ids: numbers, compared as numbers.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

type watcher struct {
	n     *Network
	c     *gomasto.Client
	ch    *herald.Channel
	host  string
	roots map[string]bool
	me    string // herald's account id
	user  string // herald's username
}

// take gives one status to the intake when it replies, at any depth, to
// one of herald's statuses.
func (w *watcher) take(ctx context.Context, st *gomasto.Status) error {
	if string(st.Account.ID) == w.me || st.Reblog != nil {
		return nil
	}
	if st.Visibility == "direct" || st.Visibility == "private" {
		return nil // not said in public: not a review to show
	}
	mark := st.EditedAt.String() + "|" + st.Content
	w.n.mu.Lock()
	same := w.n.seen[w.host+"/"+string(st.ID)] == mark
	w.n.mu.Unlock()
	if same {
		return nil
	}
	root := w.rootOf(ctx, st)
	if root == "" {
		return nil
	}
	handle := st.Account.Acct
	if !strings.Contains(handle, "@") {
		handle += "@" + hostName(w.host)
	}
	at := st.CreatedAt
	if !st.EditedAt.IsZero() {
		at = st.EditedAt
	}
	r := replies.Reply{
		Network: herald.NetworkMastodon, ChannelID: w.ch.ID, InReplyTo: root, ID: string(st.ID),
		Author: string(st.Account.ID) + "@" + w.host, Handle: "@" + handle, Name: st.Account.DisplayName,
		Language: herald.Language(st.Language), Text: w.plain(st.Content), At: at,
	}
	if strings.TrimSpace(r.Text) == "" {
		return nil
	}
	if _, err := w.n.cfg.Intake.Take(ctx, r); err != nil {
		return fmt.Errorf("take reply %s: %w", st.ID, err)
	}
	w.n.mu.Lock()
	w.n.seen[w.host+"/"+string(st.ID)] = mark
	w.n.mu.Unlock()
	return nil
}

// rootOf is the RemoteID of herald's status that st's thread answers, or ""
// when it answers none of them.
func (w *watcher) rootOf(ctx context.Context, st *gomasto.Status) string {
	parent := idOf(st.InReplyToID)
	for hop := 0; parent != "" && hop < maxThreadHops; hop++ {
		if w.roots[parent] {
			return parent
		}
		p, err := w.c.GetStatus(ctx, gomasto.ID(parent))
		if err != nil {
			return ""
		}
		parent = idOf(p.InReplyToID)
	}
	return ""
}

func idOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

// plain is a reply's text: its HTML as text, without herald's own
// @mention wherever it is.
func (w *watcher) plain(content string) string {
	t := htmlText(content)
	if w.user != "" {
		re := regexp.MustCompile(`(?i)(^|\s)@` + regexp.QuoteMeta(w.user) + `(@[\w.-]+)?(\s|$)`)
		for re.MatchString(t) {
			t = re.ReplaceAllString(t, "$1$3")
		}
	}
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(regexp.MustCompile(`\n{3,}`).ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}
