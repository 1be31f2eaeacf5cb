package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// pageSize is how many posts one queue message shows.
const pageSize = 5

// view renders one of the editors' views (queue, unknown, failed,
// channels) at a page, with its buttons.
func (b *Bot) view(ctx context.Context, lang herald.Language, at press) (string, *Keyboard, error) {
	switch at.view {
	case viewChannels:
		return b.channelsView(ctx, lang)
	case viewApproval:
		return b.approvalCard(ctx, lang, at.id)
	}
	var states []herald.PostState
	var header, empty msg
	switch at.view {
	case viewUnknown:
		states, header, empty = []herald.PostState{herald.PostUnknown}, msgUnknownHeader, msgUnknownEmpty
	case viewFailed:
		states, header, empty = []herald.PostState{herald.PostFailed}, msgFailedHeader, msgFailedEmpty
	default:
		states, empty = []herald.PostState{herald.PostAwaiting, herald.PostPlanned, herald.PostScheduled, herald.PostSending}, msgQueueEmpty
	}
	posts, err := b.cfg.Store.Posts(ctx, store.PostFilter{ChannelID: at.channel, States: states})
	if err != nil {
		return "", nil, err
	}
	if len(posts) == 0 {
		return tr(lang, empty), nil, nil
	}
	if at.offset >= len(posts) {
		at.offset = (len(posts) - 1) / pageSize * pageSize
	}
	end := min(at.offset+pageSize, len(posts))
	var sb strings.Builder
	if at.view == viewQueue {
		filter := ""
		if at.channel != 0 {
			if ch, err := b.cfg.Store.Channel(ctx, at.channel); err == nil {
				filter = " · " + Escape(ch.Title)
			}
		}
		sb.WriteString(tr(lang, msgQueueHeader, filter, at.offset+1, end, len(posts)))
	} else {
		sb.WriteString(tr(lang, header))
	}
	kb := &Keyboard{}
	for _, p := range posts[at.offset:end] {
		sb.WriteString("\n\n")
		sb.WriteString(b.postLine(ctx, lang, p))
		id, rev := p.ID, p.Rev
		tag := fmt.Sprintf(" #%d", id)
		switch at.view {
		case viewUnknown:
			kb.Row(Button{Text: tr(lang, msgBtnWasSent) + tag, CallbackData: at.with(opWasSent, id, rev).data()},
				Button{Text: tr(lang, msgBtnSendAgain) + tag, CallbackData: at.with(opSendAgain, id, rev).data()})
		case viewFailed:
			kb.Row(Button{Text: tr(lang, msgBtnRetry) + tag, CallbackData: at.with(opRetry, id, rev).data()},
				Button{Text: tr(lang, msgBtnCancel) + tag, CallbackData: at.with(opCancel, id, rev).data()})
		default:
			if p.State == herald.PostSending {
				continue
			}
			if p.State == herald.PostAwaiting {
				kb.Row(Button{Text: "✅" + tag, CallbackData: at.with(opApprove, id, rev).data()},
					Button{Text: "✏️" + tag, CallbackData: at.with(opEditPost, id, rev).data()},
					Button{Text: "✖" + tag, CallbackData: at.with(opReject, id, rev).data()})
				continue
			}
			kb.Row(Button{Text: "▶" + tag, CallbackData: at.with(opPostNow, id, rev).data()},
				Button{Text: "🕑" + tag, CallbackData: at.with(opMenu, id, rev).data()},
				Button{Text: "✖" + tag, CallbackData: at.with(opCancel, id, rev).data()})
		}
	}
	if at.view == viewQueue {
		sb.WriteString("\n\n<i>" + tr(lang, msgQueueLegend) + "</i>")
	}
	var nav []Button
	if at.offset > 0 {
		prev := at.with(opPage, 0, 0)
		prev.offset = max(at.offset-pageSize, 0)
		nav = append(nav, Button{Text: tr(lang, msgBtnPrev), CallbackData: prev.data()})
	}
	if end < len(posts) {
		next := at.with(opPage, 0, 0)
		next.offset = end
		nav = append(nav, Button{Text: tr(lang, msgBtnNext), CallbackData: next.data()})
	}
	if len(nav) > 0 {
		kb.Row(nav...)
	}
	if len(kb.InlineKeyboard) == 0 {
		kb = nil
	}
	return sb.String(), kb, nil
}

// postLine renders one post for editors: number, state, time in its
// channel's zone, channel, title (escaped) and the last error if any.
func (b *Bot) postLine(ctx context.Context, lang herald.Language, p *store.PostRow) string {
	ch, loc := b.postZone(ctx, p)
	chTitle := "?"
	if ch != nil {
		chTitle = ch.Title
		if n := networkLabel(ch); n != "" {
			chTitle += " (" + n + ")"
		}
	}
	title := "?"
	if a, err := b.cfg.Store.Article(ctx, p.ArticleID); err == nil {
		title = a.Title
	}
	line := fmt.Sprintf("<b>#%d</b> · %s · %s · %s\n%s", p.ID, stateName(lang, p.State),
		Escape(herald.FormatWhenIn(p.ScheduledAt, loc, lang)), Escape(chTitle), Escape(oneLine(title, 90)))
	if p.Purpose != herald.PurposePublish {
		line += " <i>(" + Escape(purposeName(lang, p.Purpose)) + ")</i>"
	}
	if p.LastError != "" && (p.State == herald.PostFailed || p.State == herald.PostUnknown) {
		line += "\n<i>" + Escape(oneLine(p.LastError, 120)) + "</i>"
	}
	if p.State == herald.PostAwaiting && !p.ScheduledAt.After(b.cfg.Now()) {
		line += "\n⏰ <i>" + tr(lang, msgApprovalLate) + "</i>"
	}
	if _, err := b.cfg.Store.PostEdit(ctx, p.ID); err == nil {
		line += " ✏️ <i>" + tr(lang, msgEdited) + "</i>"
	}
	if p.State == herald.PostScheduled && p.NextAttemptAt != nil && p.LastError != "" {
		// Held for a retry, and holding its channel's later posts: when it
		// is tried again, and why the last attempt failed.
		line += "\n<i>↻ " + Escape(herald.FormatWhenIn(*p.NextAttemptAt, loc, lang)) + " · " + Escape(oneLine(p.LastError, 100)) + "</i>"
	}
	return line
}

func (b *Bot) showView(ctx context.Context, r *req, at press) {
	text, kb, err := b.view(ctx, r.lang, at)
	if err != nil {
		b.log.Error("could not draw a view", "view", at.view, "err", err)
		b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, tr(r.lang, msgInternal)))
		return
	}
	b.send(ctx, r.chat, text, kb)
}

func (b *Bot) cmdQueue(ctx context.Context, r *req) {
	at := press{view: viewQueue}
	if ref := strings.TrimSpace(r.args); ref != "" {
		ch, err := b.cfg.Store.ChannelByRef(ctx, ref)
		if err != nil {
			b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
			return
		}
		at.channel = ch.ID
	}
	b.showView(ctx, r, at)
}

func (b *Bot) cmdUnknown(ctx context.Context, r *req)  { b.showView(ctx, r, press{view: viewUnknown}) }
func (b *Bot) cmdFailed(ctx context.Context, r *req)   { b.showView(ctx, r, press{view: viewFailed}) }
func (b *Bot) cmdChannels(ctx context.Context, r *req) { b.showView(ctx, r, press{view: viewChannels}) }

// channelsView lists channels with a Pause or Resume button each.
func (b *Bot) channelsView(ctx context.Context, lang herald.Language) (string, *Keyboard, error) {
	cs, err := b.cfg.Store.Channels(ctx)
	if err != nil {
		return "", nil, err
	}
	if len(cs) == 0 {
		return tr(lang, msgNoChannels), nil, nil
	}
	var sb strings.Builder
	sb.WriteString(tr(lang, msgChannelsHeader))
	kb := &Keyboard{}
	for _, c := range cs {
		state := "▶"
		if c.Paused {
			state = "⏸"
		}
		where := c.Chat
		if n := networkLabel(c); n != "" {
			where = n + " " + c.Handle
		}
		fmt.Fprintf(&sb, "\n%s <b>%s</b> · %s · %s", state, Escape(c.Title), Escape(where), c.Language)
		sb.WriteString(channelWorkflow(lang, c))
		if c.PauseReason != "" {
			sb.WriteString("\n<i>" + Escape(pauseReason(lang, c.PauseReason)) + "</i>")
		}
		p := press{view: viewChannels, id: c.ID}
		if c.Paused {
			p.op = opResumeChan
			kb.Row(Button{Text: tr(lang, msgBtnResume) + " " + oneLine(c.Title, 30), CallbackData: p.data()})
		} else {
			p.op = opPauseChan
			kb.Row(Button{Text: tr(lang, msgBtnPause) + " " + oneLine(c.Title, 30), CallbackData: p.data()})
		}
	}
	return sb.String(), kb, nil
}

func (b *Bot) cmdPause(ctx context.Context, r *req)  { b.setPaused(ctx, r, true) }
func (b *Bot) cmdResume(ctx context.Context, r *req) { b.setPaused(ctx, r, false) }

// setPaused pauses or resumes the named channel, or all of them.
func (b *Bot) setPaused(ctx context.Context, r *req, paused bool) {
	ref := strings.TrimSpace(r.args)
	var targets []*herald.Channel
	if ref == "" || strings.EqualFold(ref, "all") {
		cs, err := b.cfg.Store.Channels(ctx)
		if err != nil {
			b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, tr(r.lang, msgInternal)))
			return
		}
		targets = cs
	} else {
		ch, err := b.cfg.Store.ChannelByRef(ctx, ref)
		if err != nil {
			b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
			return
		}
		targets = []*herald.Channel{ch}
	}
	if len(targets) == 0 {
		b.reply(ctx, r.chat, tr(r.lang, msgNoChannels))
		return
	}
	var lines []string
	for _, ch := range targets {
		lines = append(lines, b.pauseChannel(ctx, r.lang, r.from.ID, ch, paused))
	}
	b.reply(ctx, r.chat, strings.Join(lines, "\n"))
}

// pauseChannel pauses or resumes one channel, audited, and says so.
func (b *Bot) pauseChannel(ctx context.Context, lang herald.Language, userID int64, ch *herald.Channel, paused bool) string {
	reason := ""
	action := "resume"
	if paused {
		reason, action = reasonByEditor, "pause"
	}
	if _, err := b.cfg.Store.SetChannelPaused(ctx, ch.ID, paused, reason); err != nil {
		b.log.Error("could not pause a channel", "channel", ch.ID, "err", err)
		return tr(lang, msgConflict, 0, tr(lang, msgInternal))
	}
	b.cfg.Store.AddAudit(ctx, &herald.AuditEntry{UserID: userID, Action: action, Detail: "channel " + ch.Chat + " " + ch.Title})
	if paused {
		return tr(lang, msgChannelPaused, Escape(ch.Title))
	}
	if b.cfg.Queue != nil && b.cfg.Queue.Wake != nil {
		b.cfg.Queue.Wake()
	}
	return tr(lang, msgChannelResumed, Escape(ch.Title))
}

// callback handles a press on an editor's button: rights first, every
// time; then the action on the revision the button was drawn for; then the
// message the button sits on is redrawn as things are now.
func (b *Bot) callback(ctx context.Context, cq *models.CallbackQuery) {
	lang := langOf(&cq.From)
	ed := b.authorize(ctx, &cq.From, "button "+cq.Data)
	if ed == nil || b.cfg.Queue == nil {
		b.answer(ctx, cq.ID, tr(lang, msgRefusedButton), true)
		return
	}
	at, err := parsePress(cq.Data)
	if err != nil {
		b.answer(ctx, cq.ID, tr(lang, msgStale, 0, "?"), true)
		return
	}
	var chatID int64
	var msgID int
	if m := cq.Message.Message; m != nil {
		chatID, msgID = m.Chat.ID, m.ID
	} else if im := cq.Message.InaccessibleMessage; im != nil {
		chatID, msgID = im.Chat.ID, im.MessageID
	}
	r := &req{chat: chatID, from: &cq.From, ed: ed, lang: lang}
	text, alert := b.act(ctx, r, at, msgID)
	b.answer(ctx, cq.ID, text, alert)
	if at.op == opMenu && !alert {
		return // act drew the menu in place of the view
	}
	if (at.op == opTypeTime || at.op == opEditPost || at.view == viewEdit) && !alert {
		return // the edit's own messages say what happened
	}
	if msgID != 0 {
		back := at
		if at.view != viewChannels {
			back.op = opPage
		}
		view, kb, err := b.view(ctx, lang, back)
		if err == nil {
			b.edit(ctx, chatID, msgID, view, kb)
		}
	}
}

// act carries out one press and returns what to tell the editor, and
// whether it must be an alert (the press did nothing).
func (b *Bot) act(ctx context.Context, r *req, at press, msgID int) (string, bool) {
	who := r.actor()
	q := b.cfg.Queue
	fail := func(err error) (string, bool) { return stripTags(b.actionError(r, at.id, err)), true }
	now := b.cfg.Now()
	if text, alert, ok := b.actWorkflow(ctx, r, at, msgID); ok {
		return text, alert
	}
	switch at.op {
	case opPage:
		return "", false
	case opPauseChan, opResumeChan:
		ch, err := b.cfg.Store.Channel(ctx, at.id)
		if err != nil {
			return stripTags(tr(r.lang, msgNotFound, herald.ErrorMessageIn(err, r.lang))), true
		}
		return stripTags(b.pauseChannel(ctx, r.lang, r.from.ID, ch, at.op == opPauseChan)), false
	case opPostNow:
		if _, err := q.PostNow(ctx, who, at.id, at.rev); err != nil {
			return fail(err)
		}
		return tr(r.lang, msgPostNow, at.id), false
	case opCancel:
		if _, err := q.Cancel(ctx, who, at.id, at.rev); err != nil {
			return fail(err)
		}
		return tr(r.lang, msgPostCancelled, at.id), false
	case opRetry:
		if _, err := q.Retry(ctx, who, at.id, at.rev); err != nil {
			return fail(err)
		}
		return tr(r.lang, msgPostRetry, at.id), false
	case opSendAgain:
		if _, err := q.SendAgain(ctx, who, at.id, at.rev); err != nil {
			return fail(err)
		}
		return tr(r.lang, msgPostSendAgain, at.id), false
	case opWasSent:
		if _, err := q.ConfirmSent(ctx, who, at.id, 0); err != nil {
			return fail(err)
		}
		return tr(r.lang, msgPostConfirmed, at.id), false
	}
	// The reschedule family needs the post as it is.
	p, err := b.cfg.Store.Post(ctx, at.id)
	if err != nil {
		return fail(err)
	}
	if p.Rev != at.rev {
		return fail(&store.StaleError{Post: p})
	}
	ch, loc := b.postZone(ctx, p)
	switch at.op {
	case opMenu:
		title := ""
		if a, err := b.cfg.Store.Article(ctx, p.ArticleID); err == nil {
			title = a.Title
		}
		back := at.with(opPage, 0, 0)
		kb := (&Keyboard{}).
			Row(Button{Text: tr(r.lang, msgBtnPlus1h), CallbackData: at.with(opPlus1h, p.ID, p.Rev).data()},
				Button{Text: tr(r.lang, msgBtnPlus3h), CallbackData: at.with(opPlus3h, p.ID, p.Rev).data()},
				Button{Text: tr(r.lang, msgBtnNextSlot), CallbackData: at.with(opNextSlot, p.ID, p.Rev).data()}).
			Row(Button{Text: tr(r.lang, msgBtnTypeTime), CallbackData: at.with(opTypeTime, p.ID, p.Rev).data()},
				Button{Text: tr(r.lang, msgBtnBack), CallbackData: back.data()})
		b.edit(ctx, r.chat, msgID, tr(r.lang, msgRescheduleMenu, p.ID, Escape(oneLine(title, 90)),
			Escape(herald.FormatWhenIn(p.ScheduledAt, loc, r.lang))), kb)
		return "", false
	case opTypeTime:
		if err := b.await(ctx, r.from.ID, p.ID, p.Rev); err != nil {
			return fail(err)
		}
		b.reply(ctx, r.chat, tr(r.lang, msgAskTime, p.ID, Escape(loc.String())))
		return "", false
	}
	var target time.Time
	switch at.op {
	case opPlus1h:
		target = laterOf(p.ScheduledAt, now).Add(time.Hour)
	case opPlus3h:
		target = laterOf(p.ScheduledAt, now).Add(3 * time.Hour)
	case opNextSlot:
		if ch == nil {
			return fail(herald.Errorf(herald.ENotFound, "channel %d not found", p.ChannelID))
		}
		next, err := b.nextSlot(ctx, ch, laterOf(p.ScheduledAt, now).Add(time.Second), p.ScheduledAt)
		if err != nil {
			return fail(err)
		}
		target = next
	default:
		return tr(r.lang, msgStale, at.id, "?"), true
	}
	if _, err := q.Reschedule(ctx, who, p.ID, at.rev, target); err != nil {
		return fail(err)
	}
	return stripTags(tr(r.lang, msgPostRescheduled, p.ID, herald.FormatWhenIn(target, loc, r.lang))), false
}

func laterOf(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// answer answers a button press; Telegram shows text as a toast, or as an
// alert the editor must dismiss.
func (b *Bot) answer(ctx context.Context, id, text string, alert bool) {
	if len([]rune(text)) > 200 {
		text = string([]rune(text)[:199]) + "…"
	}
	_, err := b.tg.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text, ShowAlert: alert})
	if err != nil {
		b.log.Warn("could not answer a button press", "err", b.redact(err.Error()))
	}
}

// stripTags turns herald's Telegram HTML (a catalogue sentence, a notice)
// into the plain text it shows: what a callback answer takes, or a notice
// sent again without markup.
func stripTags(s string) string {
	var sb strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			sb.WriteRune(r)
		}
	}
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(sb.String())
}

// networkLabel names the network of a channel that is not on Telegram, as
// lists show it beside the channel ("Mastodon"); "" for Telegram's. The
// names are the networks' own, the same in every language.
func networkLabel(c *herald.Channel) string {
	switch c.Network {
	case herald.NetworkMastodon:
		return "Mastodon"
	case herald.NetworkBluesky:
		return "Bluesky"
	}
	return ""
}
