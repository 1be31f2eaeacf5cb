package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// notifyBudget is how long one notice may take to reach everyone.
const notifyBudget = 3 * time.Second

// Notify tells the owners and editors, each in a private message in their
// language, about a post that failed or whose fate is unknown, a paused
// channel, or a poller that cannot reach Telegram. It implements
// scheduler.Notifier; failures to deliver a notice are logged.
func (b *Bot) Notify(ctx context.Context, ev scheduler.Event) {
	// Notices go out even while herald stops, but never hold the stop up:
	// a few seconds for all of them.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), notifyBudget)
	defer cancel()
	langs := map[int64]herald.Language{}
	for _, id := range b.cfg.Owners {
		langs[id] = herald.LangEnglish
	}
	if eds, err := b.cfg.Store.Editors(ctx); err == nil {
		for _, e := range eds {
			langs[e.UserID] = e.Language
		}
	}
	for id, lang := range langs {
		if !lang.Valid() {
			lang = herald.LangEnglish
		}
		b.reply(ctx, id, noticeText(ev, lang))
	}
	b.log.Info("editors notified", "event", ev.Kind, "people", len(langs))
}

// noticeText renders an event for people. Everything from outside herald
// (titles, error texts) is escaped.
func noticeText(ev scheduler.Event, lang herald.Language) string {
	var sb strings.Builder
	switch ev.Kind {
	case scheduler.EventPostFailed:
		sb.WriteString(tr(lang, msgNoticeFailed))
	case scheduler.EventPostUnknown:
		sb.WriteString(tr(lang, msgNoticeUnknown))
	case scheduler.EventChannelPaused:
		sb.WriteString(tr(lang, msgNoticePaused))
	case scheduler.EventPollerStalled:
		sb.WriteString(tr(lang, msgNoticeStalled))
	default:
		sb.WriteString("<b>" + Escape(string(ev.Kind)) + "</b>")
	}
	if ev.Post != nil {
		fmt.Fprintf(&sb, "\n#%d (%s)", ev.Post.ID, purposeName(lang, ev.Post.Purpose))
	}
	if ev.Article != nil {
		fmt.Fprintf(&sb, "\n%s", Escape(ev.Article.Title))
	}
	if ev.Channel != nil {
		fmt.Fprintf(&sb, "\n%s (%s)", Escape(ev.Channel.Title), Escape(ev.Channel.Chat))
	}
	if ev.Reason != "" {
		fmt.Fprintf(&sb, "\n<i>%s</i>", Escape(pauseReason(lang, ev.Reason)))
	}
	return sb.String()
}
