package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// req is one editor's command being handled.
type req struct {
	chat int64
	from *models.User
	ed   *herald.Editor
	lang herald.Language
	args string
	msg  *models.Message
}

func (r *req) actor() scheduler.Actor {
	return scheduler.Actor{UserID: r.from.ID, Name: displayName(r.from)}
}

// editorCommands are the commands only editors (and owners) may use.
func (b *Bot) editorCommands() map[string]func(context.Context, *req) {
	return map[string]func(context.Context, *req){
		"queue":      b.cmdQueue,
		"schedule":   b.cmdSchedule,
		"reschedule": b.cmdReschedule,
		"cancel":     b.cmdCancel,
		"postnow":    b.cmdPostNow,
		"articles":   b.cmdArticles,
		"article":    b.cmdArticle,
		"channels":   b.cmdChannels,
		"pause":      b.cmdPause,
		"resume":     b.cmdResume,
		"unknown":    b.cmdUnknown,
		"failed":     b.cmdFailed,
		"editors":    b.cmdEditors,
		"editor":     b.cmdEditor,
		"audit":      b.cmdAudit,
		"desk":       b.cmdDesk,
		"edit":       b.cmdEdit,
		"filter":     b.cmdFilter,
		"approval":   b.cmdApproval,
	}
}

// private handles a message in a private chat with the bot. Commands in
// groups are ignored: editors steer from their private chat.
func (b *Bot) private(ctx context.Context, m *models.Message) {
	if m.From == nil || m.From.IsBot {
		return
	}
	lang := langOf(m.From)
	name, args, ok := b.command(m.Text)
	if !ok && strings.HasPrefix(m.Text, "/") {
		return // a command for another bot
	}
	if !ok {
		if ed := b.editorOf(ctx, m.From); ed != nil && (b.awaitedEdit(ctx, m, lang) || b.awaitedTime(ctx, m, lang)) {
			return
		}
		b.readerText(ctx, m)
		return
	}
	switch name {
	case "forgetme":
		b.cmdForgetMe(ctx, m)
		return
	case "start":
		if args != "" {
			b.startReview(ctx, m, args)
			return
		}
		fallthrough
	case "help":
		if ed := b.editorOf(ctx, m.From); ed != nil {
			b.reply(ctx, m.Chat.ID, tr(lang, msgEditorHelp, Escape(herald.WhenHelp(lang))))
			return
		}
		b.reply(ctx, m.Chat.ID, greeting(lang))
		return
	}
	h, ok := b.editorCommands()[name]
	if !ok {
		h, ok = b.reviewCommands()[name]
	}
	if !ok {
		b.reply(ctx, m.Chat.ID, tr(lang, msgUnknownCommand, Escape(oneLine(name, 32))))
		return
	}
	ed := b.authorize(ctx, m.From, "/"+name+" "+args)
	if ed == nil || b.cfg.Queue == nil {
		b.reply(ctx, m.Chat.ID, tr(lang, msgRefused))
		return
	}
	h(ctx, &req{chat: m.Chat.ID, from: m.From, ed: ed, lang: lang, args: args, msg: m})
}

// editorOf returns the editor (or owner) behind a Telegram user, or nil.
func (b *Bot) editorOf(ctx context.Context, u *models.User) *herald.Editor {
	if u == nil {
		return nil
	}
	ed, err := b.cfg.Store.Editor(ctx, u.ID)
	if err != nil {
		return nil
	}
	return ed
}

// authorize returns the editor behind u, checked afresh on every command
// and every button press, or nil after auditing the refused attempt.
func (b *Bot) authorize(ctx context.Context, u *models.User, what string) *herald.Editor {
	if ed := b.editorOf(ctx, u); ed != nil {
		if err := b.cfg.Store.SeenEditor(ctx, u.ID, displayName(u), langOf(u)); err != nil {
			b.log.Warn("could not note an editor's name", "err", err)
		}
		return ed
	}
	b.auditRefusal(ctx, u.ID, fmt.Sprintf("%s (%s)", strings.TrimSpace(oneLine(what, 80)), displayName(u)))
	b.log.Info("refused a non-editor", "user", u.ID, "what", oneLine(what, 40))
	return nil
}

// refusalWindow is how long one audit entry counts a person's refused
// attempts before a new one starts.
const refusalWindow = 10 * time.Minute

// auditRefusal counts a refused attempt in the person's entry of the
// window, so that a stranger hammering the bot adds one row per window,
// not one per attempt, and cannot push real changes out of /audit's view.
func (b *Bot) auditRefusal(ctx context.Context, userID int64, detail string) {
	err := b.cfg.Store.AddCounted(ctx, &herald.AuditEntry{UserID: userID, Action: "refused", Detail: detail}, refusalWindow)
	if err != nil {
		b.log.Error("could not audit a refused attempt", "err", err)
	}
}

func displayName(u *models.User) string {
	if u == nil {
		return ""
	}
	n := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if u.Username != "" {
		n = strings.TrimSpace(n + " @" + u.Username)
	}
	if n == "" {
		n = strconv.FormatInt(u.ID, 10)
	}
	return n
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

// postRef reads a post number as /queue shows it: "12" or "#12".
func postRef(s string) (int64, bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	return n, err == nil && n > 0
}

// zoneOf returns the zone a channel's times are shown and read in.
func (b *Bot) zoneOf(ch *herald.Channel) *time.Location {
	if ch != nil && ch.Timezone != "" {
		return ch.Location()
	}
	if loc, err := time.LoadLocation(b.cfg.Zone); err == nil && b.cfg.Zone != "" {
		return loc
	}
	return herald.AgencyZone()
}

// postZone returns the zone of a post's channel.
func (b *Bot) postZone(ctx context.Context, p *store.PostRow) (*herald.Channel, *time.Location) {
	ch, err := b.cfg.Store.Channel(ctx, p.ChannelID)
	if err != nil {
		return nil, b.zoneOf(nil)
	}
	return ch, b.zoneOf(ch)
}

// actionError tells an editor why an action did not happen, in words.
func (b *Bot) actionError(r *req, id int64, err error) string {
	var stale *store.StaleError
	switch {
	case errors.As(err, &stale):
		return tr(r.lang, msgStale, id, stateName(r.lang, stale.Post.State))
	case herald.ErrorCode(err) == herald.ENotFound:
		return tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang)))
	case herald.ErrorCode(err) == herald.EConflict:
		if p, perr := b.cfg.Store.Post(context.Background(), id); perr == nil {
			return tr(r.lang, msgStale, id, stateName(r.lang, p.State))
		}
		return tr(r.lang, msgConflict, id, Escape(herald.ErrorMessageIn(err, r.lang)))
	case herald.ErrorCode(err) == herald.EInvalid:
		return tr(r.lang, msgConflict, id, Escape(herald.ErrorMessageIn(err, r.lang)))
	}
	b.log.Error("editor action failed", "post", id, "err", err)
	return tr(r.lang, msgConflict, id, tr(r.lang, msgInternal))
}

// postArgs reads "<post> [rest]" for the commands that act on one post.
func (b *Bot) postArgs(ctx context.Context, r *req, usage string) (int64, string, bool) {
	first, rest, _ := strings.Cut(strings.TrimSpace(r.args), " ")
	id, ok := postRef(first)
	if !ok {
		b.reply(ctx, r.chat, tr(r.lang, msgUsage, Escape(usage)))
		return 0, "", false
	}
	return id, strings.TrimSpace(rest), true
}

func (b *Bot) cmdCancel(ctx context.Context, r *req) {
	id, _, ok := b.postArgs(ctx, r, "/cancel <post>, e.g. /cancel 12")
	if !ok {
		return
	}
	if _, err := b.cfg.Queue.Cancel(ctx, r.actor(), id, store.AnyRev); err != nil {
		b.reply(ctx, r.chat, b.actionError(r, id, err))
		return
	}
	b.reply(ctx, r.chat, tr(r.lang, msgPostCancelled, id))
}

func (b *Bot) cmdPostNow(ctx context.Context, r *req) {
	id, _, ok := b.postArgs(ctx, r, "/postnow <post>, e.g. /postnow 12")
	if !ok {
		return
	}
	if _, err := b.cfg.Queue.PostNow(ctx, r.actor(), id, store.AnyRev); err != nil {
		b.reply(ctx, r.chat, b.actionError(r, id, err))
		return
	}
	b.reply(ctx, r.chat, tr(r.lang, msgPostNow, id))
}

func (b *Bot) cmdReschedule(ctx context.Context, r *req) {
	id, when, ok := b.postArgs(ctx, r, "/reschedule <post> <when>, e.g. /reschedule 12 tomorrow 9:30")
	if !ok {
		return
	}
	if when == "" {
		b.reply(ctx, r.chat, tr(r.lang, msgUsage, Escape("/reschedule <post> <when>, e.g. /reschedule 12 tomorrow 9:30")))
		return
	}
	b.reschedule(ctx, r, id, store.AnyRev, when)
}

// reschedule reads when in the post's zone and moves the post there,
// echoing the time back in that zone.
func (b *Bot) reschedule(ctx context.Context, r *req, id, rev int64, when string) {
	p, err := b.cfg.Store.Post(ctx, id)
	if err != nil {
		b.reply(ctx, r.chat, b.actionError(r, id, err))
		return
	}
	_, loc := b.postZone(ctx, p)
	at, err := herald.ParseWhen(when, b.cfg.Now(), loc)
	if err != nil {
		b.reply(ctx, r.chat, badTime(r.lang, err))
		return
	}
	b.moveTo(ctx, r, id, rev, at, loc)
}

func (b *Bot) moveTo(ctx context.Context, r *req, id, rev int64, at time.Time, loc *time.Location) {
	if _, err := b.cfg.Queue.Reschedule(ctx, r.actor(), id, rev, at); err != nil {
		b.reply(ctx, r.chat, b.actionError(r, id, err))
		return
	}
	b.reply(ctx, r.chat, tr(r.lang, msgPostRescheduled, id, Escape(herald.FormatWhenIn(at, loc, r.lang))))
}

func (b *Bot) cmdSchedule(ctx context.Context, r *req) {
	usage := "/schedule <article id or url> [when] [channel…], e.g. /schedule 42 19:00 or /schedule 42 tomorrow 9:30 @dq_english"
	fields := strings.Fields(r.args)
	if len(fields) == 0 {
		b.reply(ctx, r.chat, tr(r.lang, msgUsage, Escape(usage)))
		return
	}
	a, err := b.articleRef(ctx, fields[0])
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	// Channels come last; whatever is between the article and them is the time.
	var channels []*herald.Channel
	rest := fields[1:]
	for len(rest) > 0 {
		ch, err := b.cfg.Store.ChannelByRef(ctx, rest[len(rest)-1])
		if err != nil {
			break
		}
		channels = append([]*herald.Channel{ch}, channels...)
		rest = rest[:len(rest)-1]
	}
	var at *time.Time
	loc := b.zoneOf(nil)
	if len(channels) > 0 {
		loc = b.zoneOf(channels[0])
	}
	if len(rest) > 0 {
		t, err := herald.ParseWhen(strings.Join(rest, " "), b.cfg.Now(), loc)
		if err != nil {
			b.reply(ctx, r.chat, badTime(r.lang, err))
			return
		}
		at = &t
	}
	posts, err := b.cfg.Queue.Schedule(ctx, r.actor(), a.ID, at, channels)
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgCannotSchedule, a.ID, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	var sb strings.Builder
	sb.WriteString(tr(r.lang, msgScheduled, a.ID))
	for _, p := range posts {
		ch, loc := b.postZone(ctx, p)
		title := ""
		if ch != nil {
			title = ch.Title
		}
		fmt.Fprintf(&sb, "\n#%d · %s · %s · %s", p.ID, Escape(title), stateName(r.lang, p.State), Escape(herald.FormatWhenIn(p.ScheduledAt, loc, r.lang)))
	}
	b.reply(ctx, r.chat, sb.String())
}

// articleRef finds an article by id or by its URL.
func (b *Bot) articleRef(ctx context.Context, ref string) (*herald.Article, error) {
	if id, ok := postRef(ref); ok {
		return b.cfg.Store.Article(ctx, id)
	}
	return b.cfg.Store.ArticleByURL(ctx, ref)
}

// send sends an HTML message with an optional keyboard and returns its id.
func (b *Bot) send(ctx context.Context, chatID int64, html string, kb *Keyboard) (int, error) {
	p := &tgbot.SendMessageParams{ChatID: chatID, Text: html, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
	if kb != nil {
		p.ReplyMarkup = kb
	}
	m, err := patient(ctx, &b.holds, chatID, func() (*models.Message, error) { return b.tg.SendMessage(ctx, p) })
	if err != nil {
		b.log.Warn("could not send", "chat", chatID, "err", b.redact(err.Error()))
		return 0, err
	}
	return m.ID, nil
}

// edit replaces a message's text and keyboard, as when a button's message
// is refreshed. "Not modified" is no failure.
func (b *Bot) edit(ctx context.Context, chatID int64, msgID int, html string, kb *Keyboard) {
	p := &tgbot.EditMessageTextParams{ChatID: chatID, MessageID: msgID, Text: html, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
	if kb != nil {
		p.ReplyMarkup = kb
	} else {
		p.ReplyMarkup = &Keyboard{InlineKeyboard: [][]Button{}}
	}
	_, err := patient(ctx, &b.holds, chatID, func() (*models.Message, error) { return b.tg.EditMessageText(ctx, p) })
	if err != nil && !strings.Contains(err.Error(), "message is not modified") {
		b.log.Warn("could not refresh a message", "chat", chatID, "err", b.redact(err.Error()))
	}
}
