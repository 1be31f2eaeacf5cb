package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// postJSON is a post as herald queue --json prints it.
type postJSON struct {
	ID          int64            `json:"id"`
	ArticleID   int64            `json:"article_id"`
	Channel     string           `json:"channel"`
	ChannelID   int64            `json:"channel_id"`
	Network     string           `json:"network"`
	Purpose     herald.Purpose   `json:"purpose"`
	State       herald.PostState `json:"state"`
	ScheduledAt time.Time        `json:"scheduled_at"`
	Attempts    int              `json:"attempts"`
	LastError   string           `json:"last_error"`
	MessageID   int64            `json:"message_id"`
	RemoteID    string           `json:"remote_id,omitempty"` // a Mastodon status id, a Bluesky at:// URI
	SentAt      *time.Time       `json:"sent_at"`
	Title       string           `json:"title"`
	ScheduledBy string           `json:"scheduled_by"`
	// Late: awaiting approval past its time (it waits); Edited: it says an
	// editor's text instead of the article's.
	Late   bool `json:"approval_late,omitempty"`
	Edited bool `json:"edited,omitempty"`
}

func cmdQueue(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "queue", "[flags]\n\nLists posts in the order they are due. Without --state, the posts still\nto go out and those that need an editor (unknown, failed).")
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON array")
	chFlag := fs.String("channel", "", "only this `channel` (id, chat or title)")
	state := fs.String("state", "", "only posts in this `state` (awaiting_approval, planned, scheduled, sending, sent, edited, deleted, unknown, failed, cancelled, or all)")
	limit := fs.Int("limit", 200, "at most `n` posts")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald queue: %v\n", err)
		return exitUsage
	}
	f := store.PostFilter{Limit: *limit}
	switch *state {
	case "":
		f.States = []herald.PostState{herald.PostAwaiting, herald.PostPlanned, herald.PostScheduled, herald.PostSending, herald.PostUnknown, herald.PostFailed}
	case "all":
	default:
		if !herald.PostState(*state).Valid() {
			fmt.Fprintf(e.stderr, "herald queue: --state %q: want one of awaiting_approval, planned, scheduled, sending, sent, edited, deleted, unknown, failed, cancelled, all\n", *state)
			return exitUsage
		}
		f.States = []herald.PostState{herald.PostState(*state)}
	}
	if *asJSON && *state == "" {
		f.States = nil // JSON is for machines: everything, unless asked
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if *chFlag != "" {
		c, err := st.ChannelByRef(ctx, *chFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald queue: %s\n", herald.ErrorMessage(err))
			return exitFailed
		}
		f.ChannelID = c.ID
	}
	posts, err := st.Posts(ctx, f)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald queue: %v\n", err)
		return exitFailed
	}
	channels, err := channelsByID(ctx, st)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald queue: %v\n", err)
		return exitFailed
	}
	titles := map[int64]string{}
	out := make([]postJSON, 0, len(posts))
	for _, p := range posts {
		if _, ok := titles[p.ArticleID]; !ok {
			if a, err := st.Article(ctx, p.ArticleID); err == nil {
				titles[p.ArticleID] = a.Title
			}
		}
		chat, network := "", ""
		if c := channels[p.ChannelID]; c != nil {
			chat, network = c.Chat, c.Network
			if !c.IsTelegram() {
				chat = c.Title
			}
		}
		out = append(out, postJSON{ID: p.ID, ArticleID: p.ArticleID, Channel: chat, ChannelID: p.ChannelID, Network: network, RemoteID: p.RemoteID,
			Purpose: p.Purpose, State: p.State, ScheduledAt: p.ScheduledAt, Attempts: p.Attempts,
			LastError: p.LastError, MessageID: p.MessageID, SentAt: p.SentAt, Title: titles[p.ArticleID],
			ScheduledBy: p.ScheduledBy, Late: p.State == herald.PostAwaiting && p.ScheduledAt.Before(time.Now())})
		if _, err := st.PostEdit(ctx, p.ID); err == nil {
			out[len(out)-1].Edited = true
		}
	}
	if *asJSON {
		return printJSON(e, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "the queue is empty")
		return exitOK
	}
	for _, p := range out {
		loc := herald.AgencyZone()
		if c := channels[p.ChannelID]; c != nil {
			loc = c.Location()
			if c.Timezone == "" {
				loc = zoneOr(cfg.Timezone)
			}
		}
		line := fmt.Sprintf("#%-5d %-9s %-36s  %-9s %-8s %-14s %s", p.ID, p.State, clk.show(p.ScheduledAt, loc),
			p.Purpose, p.Network, p.Channel, oneLine(p.Title, 50))
		if p.LastError != "" && (p.State == herald.PostFailed || p.State == herald.PostUnknown || p.State == herald.PostScheduled) {
			line += "  (" + oneLine(p.LastError, 60) + ")"
		}
		if p.Late {
			line += "  (LATE: its time came; it waits for approval)"
		}
		if p.Edited {
			line += "  (edited)"
		}
		fmt.Fprintln(e.stdout, line)
	}
	return exitOK
}

func channelsByID(ctx context.Context, st *store.Store) (map[int64]*herald.Channel, error) {
	cs, err := st.Channels(ctx)
	if err != nil {
		return nil, err
	}
	out := map[int64]*herald.Channel{}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

func zoneOr(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return herald.AgencyZone()
}

const postSynopsis = `now|cancel|reschedule|retry|send-again|sent|edit|approve|reject|keep-edit|drop-edit ID [TIME]

  herald post now ID               send a planned post at once
  herald post cancel ID            cancel a post that has not gone out
  herald post reschedule ID TIME   move it (TIME as editors type it: 19:00,
                                   "tomorrow 9:30", +2h, "2026-12-01 19:00")
  herald post retry ID             put a failed post back in the queue
  herald post send-again ID        settle an unknown post: it did not go out
  herald post sent ID [MESSAGE_ID] settle an unknown post: it did go out (as
                                   that message, when you know it)
  herald post edit ID --text-file F [--image FILE|URL]
                                   the post says F's text (Telegram HTML) instead
                                   of the article's title and lead, with the
                                   channel's links; --image replaces the photo
  herald post approve ID           let a post awaiting approval go at its time
  herald post reject ID            cancel a post awaiting approval
  herald post keep-edit ID         the article changed: keep the edited text
  herald post drop-edit ID         say the article's own text again

ID is the number herald queue shows. The change is audited.`

func cmdPost(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "post", postSynopsis)
	db := dbFlag(e, fs)
	textFile := fs.String("text-file", "", "post edit: the `file` with the post's new text (Telegram HTML; - for stdin)")
	image := fs.String("image", "", "post edit: a photo `file` or http(s) URL to post instead of the article's image")
	if code, ok := parseFlags(fs, reorder(e.args)); !ok {
		return code
	}
	args := fs.Args()
	if len(args) < 2 {
		fs.Usage()
		return exitUsage
	}
	action := args[0]
	switch action {
	case "now", "cancel", "retry", "send-again", "sent", "reschedule", "edit", "approve", "reject", "keep-edit", "drop-edit":
	default:
		fmt.Fprintf(e.stderr, "herald post: unknown action %q: want now, cancel, retry, send-again, sent, reschedule, edit, approve, reject, keep-edit or drop-edit\n", action)
		return exitUsage
	}
	var id int64
	if !parseID(args[1], &id) {
		fmt.Fprintf(e.stderr, "herald post %s: %q is not a post id (herald queue shows them)\n", action, args[1])
		return exitUsage
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald post: %v\n", err)
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	q := &scheduler.Queue{Store: st, Watcher: &scheduler.Watcher{Store: st, Zone: cfg.Timezone},
		NetworkCheck: networkEditCheck(buildNetworks(networkDeps{Store: st, Secret: cfg.secret,
			Log: slog.New(slog.DiscardHandler), Now: time.Now, Scale: cfg.RateScale}))}
	var p *store.PostRow
	edited := 0 // characters of an edit saved
	switch action {
	case "now":
		p, err = q.PostNow(ctx, scheduler.CLI, id, store.AnyRev)
	case "cancel":
		p, err = q.Cancel(ctx, scheduler.CLI, id, store.AnyRev)
	case "retry":
		p, err = q.Retry(ctx, scheduler.CLI, id, store.AnyRev)
	case "approve":
		p, err = q.Approve(ctx, scheduler.CLI, id, store.AnyRev)
	case "reject":
		p, err = q.Reject(ctx, scheduler.CLI, id, store.AnyRev)
	case "keep-edit", "drop-edit":
		p, err = q.KeepEdit(ctx, scheduler.CLI, id, action == "keep-edit")
	case "edit":
		var ed *herald.PostEdit
		if ed, err = readPostEdit(e, id, *textFile, *image); err != nil {
			fmt.Fprintf(e.stderr, "herald post edit: %v\n", err)
			return exitUsage
		}
		p, err = q.Edit(ctx, scheduler.CLI, ed, store.AnyRev, bot.CheckEdit)
		edited = len([]rune(ed.Text))
	case "send-again":
		p, err = q.SendAgain(ctx, scheduler.CLI, id, store.AnyRev)
	case "sent":
		// The message id, when the editor found it, lets herald edit or
		// delete the message later.
		var msgID int64
		if len(args) > 2 && !parseID(args[2], &msgID) {
			fmt.Fprintf(e.stderr, "herald post sent: %q is not a Telegram message id\n", args[2])
			return exitUsage
		}
		p, err = q.ConfirmSent(ctx, scheduler.CLI, id, msgID)
	case "reschedule":
		if len(args) < 3 {
			fmt.Fprintf(e.stderr, "herald post reschedule: give the new time\n\n%s\n", herald.WhenExamples)
			return exitUsage
		}
		var loc *time.Location
		loc, err = postZone(ctx, st, id, cfg.Timezone)
		if err != nil {
			break
		}
		var at time.Time
		at, err = herald.ParseWhen(strings.Join(args[2:], " "), time.Now(), loc)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald post reschedule: %s\n\n%s\n", herald.ErrorMessage(err), herald.WhenExamples)
			return exitUsage
		}
		p, err = q.Reschedule(ctx, scheduler.CLI, id, store.AnyRev, at)
	default:
		fmt.Fprintf(e.stderr, "herald post: unknown action %q\nusage: herald post %s\n", action, postSynopsis)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald post %s: %s\n", action, herald.ErrorMessage(err))
		return exitFailed
	}
	loc, _ := postZone(ctx, st, id, cfg.Timezone)
	fmt.Fprintf(e.stdout, "post #%d is %s, due %s\n", p.ID, p.State, herald.FormatWhen(p.ScheduledAt, loc))
	if action == "edit" {
		fmt.Fprintf(e.stdout, "it will say the edited text (%d characters) with the channel's links\n", edited)
	}
	return exitOK
}

// postZone returns the zone of the post's channel, for reading and echoing
// times the way its editors think of them.
func postZone(ctx context.Context, st *store.Store, id int64, def string) (*time.Location, error) {
	p, err := st.Post(ctx, id)
	if err != nil {
		return zoneOr(def), err
	}
	c, err := st.Channel(ctx, p.ChannelID)
	if err != nil {
		return zoneOr(def), err
	}
	if c.Timezone == "" {
		return zoneOr(def), nil
	}
	return c.Location(), nil
}
