package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/herald-news/herald/scheduler"
)

// Notify tells the owners, each in a private message, about a post that
// failed or whose fate is unknown, a paused channel, or a poller that cannot
// reach Telegram. It implements scheduler.Notifier; failures are logged.
func (b *Bot) Notify(ctx context.Context, ev scheduler.Event) {
	text := noticeText(ev)
	for _, id := range b.cfg.Owners {
		b.reply(context.WithoutCancel(ctx), id, text)
	}
	b.log.Info("owners notified", "event", ev.Kind, "owners", len(b.cfg.Owners))
}

// noticeText renders an event for people. Everything from outside herald
// (titles, error texts) is escaped.
func noticeText(ev scheduler.Event) string {
	var sb strings.Builder
	switch ev.Kind {
	case scheduler.EventPostFailed:
		sb.WriteString("⚠️ <b>A post failed</b>")
	case scheduler.EventPostUnknown:
		sb.WriteString("❓ <b>A post may or may not have gone out</b>\nCheck the channel, then settle it: it was sent, or send it again.")
	case scheduler.EventChannelPaused:
		sb.WriteString("⏸ <b>A channel was paused</b>")
	case scheduler.EventPollerStalled:
		sb.WriteString("📡 <b>herald cannot get updates from Telegram</b>\nEditors' commands and reviews are not being received.")
	default:
		sb.WriteString("<b>" + Escape(string(ev.Kind)) + "</b>")
	}
	if ev.Post != nil {
		fmt.Fprintf(&sb, "\nPost #%d (%s)", ev.Post.ID, ev.Post.Purpose)
	}
	if ev.Article != nil {
		fmt.Fprintf(&sb, "\nArticle #%d: %s", ev.Article.ID, Escape(ev.Article.Title))
	}
	if ev.Channel != nil {
		fmt.Fprintf(&sb, "\nChannel: %s (%s)", Escape(ev.Channel.Title), Escape(ev.Channel.Chat))
	}
	if ev.Reason != "" {
		fmt.Fprintf(&sb, "\nReason: %s", Escape(ev.Reason))
	}
	return sb.String()
}
