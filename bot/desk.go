package bot

import (
	"context"
	"net/url"
	"time"
)

// DeskLinkTTL is how long a /desk sign-in link works.
const DeskLinkTTL = 10 * time.Minute

// cmdDesk sends an editor a one-time link that signs them in to the web
// desk: made for them alone, kept only as a hash, spent on first use. The
// reply is sent without a link preview, and opening the link spends
// nothing until its page's button is pressed, so that no preview fetch
// can use it up.
func (b *Bot) cmdDesk(ctx context.Context, r *req) {
	if b.cfg.DeskURL == "" {
		b.reply(ctx, r.chat, tr(r.lang, msgDeskOff))
		return
	}
	token, err := b.cfg.Store.NewDeskLink(ctx, r.from.ID, DeskLinkTTL)
	if err != nil {
		b.log.Error("could not make a desk link", "err", err)
		b.reply(ctx, r.chat, tr(r.lang, msgInternal))
		return
	}
	link := b.cfg.DeskURL + "/auth/link?t=" + url.QueryEscape(token)
	b.reply(ctx, r.chat, tr(r.lang, msgDeskLink, Escape(link), int(DeskLinkTTL/time.Minute)))
}
