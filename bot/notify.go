package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Notices are durable. Notify stores what is owed, to every owner and
// editor, before it returns (the dispatcher calls it before it records the
// state a notice announces); a sender of their own delivers them:
//   - paced to one message per person every noticeGap, under Telegram's
//     limit of about one a second in a private chat, and after a 429 not
//     before its retry_after;
//   - coalesced: whatever is owed to a person when their turn comes goes in
//     one message ("5 posts may or may not have gone out: …", each with its
//     title and channel, and a button to settle them);
//   - retried, with growing waits, until Telegram takes the message or says
//     the person cannot be written to (they blocked the bot, never started
//     it): then they are counted unreachable;
//   - once per event: an event stored again (an orphan found at the next
//     start) is the same notice, not a new one.
const (
	noticeGap      = 1100 * time.Millisecond
	noticeGather   = 700 * time.Millisecond // a burst of events is told in one message
	noticeMaxWait  = 3 * time.Second        // the oldest notice waits no longer for the burst to end
	noticeIdle     = 5 * time.Second        // look again even unwoken (another process may add notices)
	noticeTimeout  = 15 * time.Second
	noticeListed   = 15 // posts named in one message; the rest go in the next
	noticeMaxRetry = 5 * time.Minute
)

// eventReaderMuted is the bot's own event: a flooding reader was muted.
const eventReaderMuted scheduler.EventKind = "reader_muted"

// mutedDetail is what a reader_muted notice carries, in its reason.
type mutedDetail struct {
	User   int64     `json:"user"`
	Name   string    `json:"name"`
	Count  int       `json:"count"`
	Within string    `json:"within"`
	Until  time.Time `json:"until"`
}

// Notify stores the notice owed for ev to every owner and editor and wakes
// the sender; it does not wait for Telegram. It implements
// scheduler.Notifier. A notice the database would not take is kept in
// memory and stored again by the sender.
func (b *Bot) Notify(ctx context.Context, ev scheduler.Event) {
	n := b.noticeOf(ev)
	var err error
	if users, ok := b.workflowAudience(context.WithoutCancel(ctx), ev, n); ok {
		_, err = b.cfg.Store.AddNoticeFor(context.WithoutCancel(ctx), n, users)
	} else {
		_, err = b.cfg.Store.AddNotice(context.WithoutCancel(ctx), n)
	}
	if err != nil {
		b.log.Error("could not store a notice; will try again", "event", ev.Kind, "err", err)
		b.noticeMu.Lock()
		b.unsaved = append(b.unsaved, n)
		b.noticeMu.Unlock()
	}
	b.wakeNotices()
}

// noticeOf turns an event into the notice stored for it, keyed by what it
// is about and when it happened. Each event is told once by whoever
// found it: the dispatcher when it settles a send, and store.RecoverOrphans
// only for orphans whose claim no notice followed.
func (b *Bot) noticeOf(ev scheduler.Event) *store.Notice {
	n := &store.Notice{Kind: string(ev.Kind), Reason: ev.Reason}
	// When, and which of this process's events: unique even when the
	// clock stands still (tests) or two events share a nanosecond.
	at := fmt.Sprintf("%d.%d", b.cfg.Now().UnixNano(), b.noticeSeq.Add(1))
	if ev.Post != nil {
		n.PostID, n.ChannelID, n.Purpose = ev.Post.ID, ev.Post.ChannelID, string(ev.Post.Purpose)
		n.Key = fmt.Sprintf("%s:%d:%d:%s", ev.Kind, ev.Post.ID, ev.Post.Attempts, at)
	} else {
		n.Key = fmt.Sprintf("%s:%s", ev.Kind, at)
	}
	if ev.Article != nil {
		n.ArticleID, n.Title = ev.Article.ID, ev.Article.Title
	}
	if ev.Channel != nil {
		n.ChannelID = ev.Channel.ID
		n.Channel = strings.TrimSpace(ev.Channel.Title + " (" + ev.Channel.Chat + ")")
		if ev.Post == nil {
			n.Key = fmt.Sprintf("%s:%d:%s", ev.Kind, ev.Channel.ID, at)
		}
	}
	if ev.Post != nil && n.Title == "" {
		// The dispatcher may not have the article at hand (an orphan): the
		// notice names the post by its title all the same.
		if a, err := b.cfg.Store.Article(context.Background(), ev.Post.ArticleID); err == nil {
			n.Title = a.Title
		}
	}
	return n
}

// WakeNotices asks the notices' sender to look for notices owed now (the
// dispatcher stored some itself). It never blocks.
func (b *Bot) WakeNotices() { b.wakeNotices() }

func (b *Bot) wakeNotices() {
	select {
	case b.noticeWake <- struct{}{}:
	default:
	}
}

// deliverNotices runs the sender until ctx ends. What is not delivered by
// then stays stored and goes out after the next start.
func (b *Bot) deliverNotices(ctx context.Context) {
	next := map[int64]time.Time{} // per person: not before
	for {
		wait := b.noticeRound(ctx, next)
		t := time.NewTimer(max(wait, 10*time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-b.noticeWake:
		case <-t.C:
		}
		t.Stop()
	}
}

// noticeRound sends each person whose turn it is one message with what is
// owed to them, and returns how long until the next round is worth it.
func (b *Bot) noticeRound(ctx context.Context, next map[int64]time.Time) time.Duration {
	b.noticeMu.Lock()
	unsaved := b.unsaved
	b.unsaved = nil
	b.noticeMu.Unlock()
	for i, n := range unsaved {
		if _, err := b.cfg.Store.AddNotice(ctx, n); err != nil {
			b.noticeMu.Lock()
			b.unsaved = append(b.unsaved, unsaved[i:]...)
			b.noticeMu.Unlock()
			return time.Second
		}
	}
	now := b.cfg.Now()
	due, err := b.cfg.Store.DueNotices(ctx, now, 1000)
	if err != nil {
		if ctx.Err() == nil {
			b.log.Error("could not read the notices owed", "err", err)
		}
		return time.Second
	}
	wait := noticeIdle
	soonest := func(t time.Time) { wait = min(wait, t.Sub(now)) }
	byUser := map[int64][]*store.NoticeSend{}
	var order []int64
	for _, n := range due {
		if byUser[n.UserID] == nil {
			order = append(order, n.UserID)
		}
		byUser[n.UserID] = append(byUser[n.UserID], n)
	}
	for _, user := range order {
		if ctx.Err() != nil {
			return wait
		}
		ns := byUser[user]
		if held := b.holds.left(user, time.Now()); held > 0 {
			next[user] = maxTime(next[user], now.Add(held)) // a reply's 429
		}
		if t := next[user]; t.After(now) {
			soonest(t)
			continue
		}
		// Wait a moment for a burst to end, so that it is told in one
		// message, but never long.
		oldest, newest := ns[0].CreatedAt, ns[0].CreatedAt
		for _, n := range ns {
			oldest, newest = minTime(oldest, n.CreatedAt), maxTime(newest, n.CreatedAt)
		}
		if ready := minTime(newest.Add(noticeGather), oldest.Add(noticeMaxWait)); ready.After(now) {
			soonest(ready)
			continue
		}
		sent := b.sendNotices(ctx, user, ns)
		next[user] = b.cfg.Now().Add(max(noticeGap, sent))
		soonest(next[user])
	}
	if t, ok, err := b.cfg.Store.NextNoticeAt(ctx); err == nil && ok {
		soonest(t)
	}
	return wait
}

// sendNotices sends one person one message with as many of ns as fit and
// records the outcome; it returns how long to leave the person alone
// (Telegram's retry_after after a 429, else 0).
func (b *Bot) sendNotices(ctx context.Context, user int64, ns []*store.NoticeSend) time.Duration {
	lang := ns[0].Language
	if !lang.Valid() {
		lang = herald.LangEnglish
	}
	text, kb, taken := noticeMessage(lang, b.zoneOf(nil), ns)
	plain := taken[0].Attempts > 0 && strings.HasPrefix(taken[0].LastError, "bad request")
	ids := make([]int64, len(taken))
	for i, n := range taken {
		ids[i] = n.ID
	}
	unlock := b.holds.lock(user)
	defer unlock()
	if held := b.holds.left(user, time.Now()); held > 0 {
		return held // a reply met a 429 meanwhile: after it, then
	}
	sctx, cancel := context.WithTimeout(ctx, noticeTimeout)
	params := &tgbot.SendMessageParams{ChatID: user, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}}
	if kb != nil {
		params.ReplyMarkup = kb
	}
	if plain {
		// Telegram refused the message as it was (400): the same words,
		// without markup or buttons, rather than nothing.
		params.ParseMode, params.ReplyMarkup, params.Text = "", nil, stripTags(text)
	}
	_, err := b.tg.SendMessage(sctx, params)
	cancel()
	keep := context.WithoutCancel(ctx)
	if err == nil {
		if err := b.cfg.Store.NoticesDelivered(keep, user, ids); err != nil {
			b.log.Error("notice delivered but not recorded; it may be sent again", "user", user, "err", err)
		}
		b.log.Info("notice delivered", "user", user, "notices", len(ids), "kinds", kindsOf(taken))
		return 0
	}
	reason := b.redact(err.Error())
	var tooMany *tgbot.TooManyRequestsError
	switch {
	case errors.As(err, &tooMany):
		wait := time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		b.holds.hold(user, time.Now(), wait)
		b.log.Info("notice held: telegram asked to wait", "user", user, "retry_after", tooMany.RetryAfter)
		b.recordNotices(b.cfg.Store.NoticesRetry(keep, user, ids, b.cfg.Now().Add(wait), reason))
		return wait
	case unreachable(err):
		b.log.Warn("notice cannot reach a person; they must start the bot (or unblock it)", "user", user, "err", reason)
		b.recordNotices(b.cfg.Store.NoticesUnreachable(keep, user, ids, reason))
		return 0
	}
	wait := min(noticeMaxRetry, time.Duration(1<<min(taken[0].Attempts, 9))*time.Second)
	if ctx.Err() == nil {
		b.log.Warn("notice not delivered; will retry", "user", user, "in", wait, "err", reason)
	}
	b.recordNotices(b.cfg.Store.NoticesRetry(keep, user, ids, b.cfg.Now().Add(wait), reason))
	return 0
}

func (b *Bot) recordNotices(err error) {
	if err != nil {
		b.log.Error("could not record a notice's outcome", "err", err)
	}
}

// unreachable reports whether Telegram said the chat cannot be written to
// at all: the person blocked the bot, deleted their account, or never
// started a chat with it.
func unreachable(err error) bool {
	if errors.Is(err, tgbot.ErrorForbidden) {
		return true
	}
	s := err.Error()
	return errors.Is(err, tgbot.ErrorBadRequest) && (strings.Contains(s, "chat not found") || strings.Contains(s, "user not found"))
}

func kindsOf(ns []*store.NoticeSend) string {
	seen := map[string]bool{}
	var out []string
	for _, n := range ns {
		if !seen[n.Kind] {
			seen[n.Kind] = true
			out = append(out, n.Kind)
		}
	}
	return strings.Join(out, ",")
}

// noticeMessage renders what is owed to one person as one message: a
// single notice as it is; several, coalesced by kind, the posts listed
// with their titles. It returns the notices it covers (no more than fit).
func noticeMessage(lang herald.Language, zone *time.Location, ns []*store.NoticeSend) (string, *Keyboard, []*store.NoticeSend) {
	for _, n := range ns {
		if ownMessage(n.Kind) {
			// Its buttons act on its one post: alone, first; the rest next.
			return workflowNoticeText(lang, zone, &n.Notice), workflowKeyboard(lang, &n.Notice), []*store.NoticeSend{n}
		}
	}
	if len(ns) == 1 {
		return noticeText(lang, zone, &ns[0].Notice), noticeKeyboard(lang, ns), ns
	}
	var unknown, failed, other []*store.NoticeSend
	for _, n := range ns {
		switch scheduler.EventKind(n.Kind) {
		case scheduler.EventPostUnknown:
			unknown = append(unknown, n)
		case scheduler.EventPostFailed:
			failed = append(failed, n)
		default:
			other = append(other, n)
		}
	}
	var parts []string
	var taken []*store.NoticeSend
	room := noticeListed
	list := func(head msg, group []*store.NoticeSend) {
		if len(group) == 0 || room == 0 {
			return
		}
		if len(group) == 1 {
			parts = append(parts, noticeText(lang, zone, &group[0].Notice))
			taken = append(taken, group[0])
			room--
			return
		}
		var sb strings.Builder
		sb.WriteString(tr(lang, head, len(group)))
		for _, n := range group[:min(len(group), room)] {
			sb.WriteString("\n• " + postLine(&n.Notice))
			taken = append(taken, n)
			room--
		}
		parts = append(parts, sb.String())
	}
	list(msgNoticeUnknownMany, unknown)
	list(msgNoticeFailedMany, failed)
	for _, n := range other {
		if room == 0 {
			break
		}
		parts = append(parts, noticeText(lang, zone, &n.Notice))
		taken = append(taken, n)
		room--
	}
	if left := len(ns) - len(taken); left > 0 {
		parts = append(parts, tr(lang, msgNoticeMore, left))
	}
	text := strings.Join(parts, "\n\n")
	for VisibleLen(text) > MaxTextLen && len(taken) > 1 {
		// Long titles and reasons: fewer per message, the rest in the next.
		return noticeMessage(lang, zone, taken[:len(taken)/2])
	}
	return text, noticeKeyboard(lang, taken), taken
}

// postLine names one post in a coalesced notice: its number, title and
// channel.
func postLine(n *store.Notice) string {
	line := fmt.Sprintf("#%d", n.PostID)
	if n.Title != "" {
		line += " " + Escape(oneLine(n.Title, 90))
	}
	if n.Channel != "" {
		line += " · " + Escape(n.Channel)
	}
	return line
}

// noticeKeyboard offers the views where the posts named can be settled.
func noticeKeyboard(lang herald.Language, ns []*store.NoticeSend) *Keyboard {
	var row []Button
	var hasUnknown, hasFailed bool
	for _, n := range ns {
		hasUnknown = hasUnknown || n.Kind == string(scheduler.EventPostUnknown)
		hasFailed = hasFailed || n.Kind == string(scheduler.EventPostFailed)
	}
	if hasUnknown {
		row = append(row, Button{Text: tr(lang, msgBtnSettle), CallbackData: press{view: viewUnknown, op: opPage}.data()})
	}
	if hasFailed {
		row = append(row, Button{Text: tr(lang, msgBtnFailed), CallbackData: press{view: viewFailed, op: opPage}.data()})
	}
	if row == nil {
		return nil
	}
	return (&Keyboard{}).Row(row...)
}

// noticeText renders one notice for people. Everything from outside herald
// (titles, error texts, a reader's name) is escaped.
func noticeText(lang herald.Language, zone *time.Location, n *store.Notice) string {
	var sb strings.Builder
	switch scheduler.EventKind(n.Kind) {
	case scheduler.EventPostFailed:
		sb.WriteString(tr(lang, msgNoticeFailed))
	case scheduler.EventPostUnknown:
		sb.WriteString(tr(lang, msgNoticeUnknown))
	case scheduler.EventChannelPaused:
		sb.WriteString(tr(lang, msgNoticePaused))
	case scheduler.EventPollerStalled:
		sb.WriteString(tr(lang, msgNoticeStalled))
	case eventReaderMuted:
		var d mutedDetail
		if json.Unmarshal([]byte(n.Reason), &d) == nil {
			return tr(lang, msgNoticeMuted, EscapeReader(d.Name), d.User, d.Count, d.Within, herald.FormatWhenIn(d.Until, zone, lang))
		}
		sb.WriteString("<b>" + Escape(n.Kind) + "</b>")
	case scheduler.EventArticleHeld:
		sb.WriteString(tr(lang, msgNoticeHeld))
	default:
		sb.WriteString("<b>" + Escape(n.Kind) + "</b>")
	}
	if n.PostID != 0 {
		fmt.Fprintf(&sb, "\n#%d (%s)", n.PostID, purposeName(lang, herald.Purpose(n.Purpose)))
	}
	if n.ArticleID != 0 && n.Kind == string(scheduler.EventArticleHeld) {
		fmt.Fprintf(&sb, "\n#%d", n.ArticleID)
	}
	if n.Title != "" {
		fmt.Fprintf(&sb, "\n%s", Escape(n.Title))
	}
	if n.Channel != "" {
		fmt.Fprintf(&sb, "\n%s", Escape(n.Channel))
	}
	if n.Reason != "" {
		fmt.Fprintf(&sb, "\n<i>%s</i>", Escape(oneLine(pauseReason(lang, n.Reason), 300)))
	}
	return sb.String()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
