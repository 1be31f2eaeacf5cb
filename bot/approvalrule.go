package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// cmdApproval sets whether a channel's posts wait for approval, from
// Telegram (owners):
//
//	/approval CHANNEL on [ID,ID...]   posts wait for an approver: those named, else the owners
//	/approval CHANNEL off             posts go as planned
//
// Without arguments it says how. The change is audited.
func (b *Bot) cmdApproval(ctx context.Context, r *req) {
	words := strings.Fields(r.args)
	verb := -1
	for i, w := range words {
		if l := strings.ToLower(w); l == "on" || l == "off" {
			verb = i
		}
	}
	if verb <= 0 || verb < len(words)-2 {
		b.reply(ctx, r.chat, tr(r.lang, msgApprovalUsage, "on", "off"))
		return
	}
	if r.ed.Role != herald.RoleOwner {
		b.reply(ctx, r.chat, tr(r.lang, msgOwnersOnly))
		return
	}
	ch, err := b.cfg.Store.ChannelByRef(ctx, strings.Join(words[:verb], " "))
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	on := strings.EqualFold(words[verb], "on")
	var approvers []int64
	if verb == len(words)-2 {
		if !on {
			b.reply(ctx, r.chat, tr(r.lang, msgApprovalUsage, "on", "off"))
			return
		}
		for _, s := range strings.Split(words[verb+1], ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				b.reply(ctx, r.chat, tr(r.lang, msgApprovalUsage, "on", "off"))
				return
			}
			if _, err := b.cfg.Store.Editor(ctx, id); err != nil {
				b.reply(ctx, r.chat, tr(r.lang, msgApprovalNotEditor, id))
				return
			}
			approvers = append(approvers, id)
		}
	}
	ch.Approval, ch.Approvers = on, approvers
	if err := b.cfg.Store.UpdateChannel(ctx, ch); err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	detail := fmt.Sprintf("channel %d %s: approval %t, approvers %v", ch.ID, ch.Title, ch.Approval, ch.Approvers)
	if err := b.cfg.Store.AddAudit(ctx, &herald.AuditEntry{UserID: r.from.ID, Action: "set_approval", Detail: detail}); err != nil {
		b.log.Error("approval saved but not audited", "err", err)
	}
	b.reply(ctx, r.chat, tr(r.lang, msgApprovalSaved, Escape(ch.Title))+channelWorkflow(r.lang, ch))
}
