package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Buttons of the workflow: approval cards, edits whose article changed,
// and the preview of an edit.
const (
	opApprove  = "ap"
	opReject   = "rj"
	opEditPost = "ed" // start /edit on the post
	opKeepEdit = "ke"
	opDropEdit = "de"
	opSaveEdit = "se"
	opDiscard  = "di"

	viewApproval = "a" // an approval card, or a question about an edit
	viewEdit     = "e" // an edit's preview
)

// ownMessage reports whether a notice of this kind goes in a message of
// its own, never coalesced: its buttons act on its one post.
func ownMessage(kind string) bool {
	switch scheduler.EventKind(kind) {
	case scheduler.EventApprovalWanted, scheduler.EventApprovalLate, scheduler.EventEditStale:
		return true
	}
	return false
}

// workflowAudience returns who is owed a workflow notice: the approvers of
// the post's channel (its named approvers, else the owners) for approval
// notices. ok is false for every other notice, owed to every editor. It
// also fills the notice's reason with the post's revision and time, which
// its buttons and text need.
func (b *Bot) workflowAudience(ctx context.Context, ev scheduler.Event, n *store.Notice) (users []int64, ok bool) {
	if !ownMessage(string(ev.Kind)) || ev.Post == nil {
		return nil, false
	}
	if p, err := b.cfg.Store.Post(ctx, ev.Post.ID); err == nil {
		n.Reason = fmt.Sprintf("rev=%d;at=%s", p.Rev, p.ScheduledAt.UTC().Format(time.RFC3339))
		// One notice per revision and kind: an orphaned sweep finding it
		// again says nothing new.
		n.Key = fmt.Sprintf("%s:%d:%d", ev.Kind, p.ID, p.Rev)
	}
	if ev.Kind == scheduler.EventEditStale || ev.Channel == nil {
		return nil, false
	}
	if len(ev.Channel.Approvers) > 0 {
		return ev.Channel.Approvers, true
	}
	eds, err := b.cfg.Store.Editors(ctx)
	if err != nil {
		return b.cfg.Owners, true
	}
	for _, ed := range eds {
		if ed.Role == herald.RoleOwner {
			users = append(users, ed.UserID)
		}
	}
	return users, true
}

// workflowReason reads what workflowAudience put in a notice's reason.
func workflowReason(reason string) (rev int64, at time.Time) {
	rev = store.AnyRev
	for _, f := range strings.Split(reason, ";") {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "rev":
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				rev = n
			}
		case "at":
			at, _ = time.Parse(time.RFC3339, v)
		}
	}
	return rev, at
}

// workflowNoticeText renders an approval or edit notice: what happened,
// the post, its title, its channel and when it is due.
func workflowNoticeText(lang herald.Language, zone *time.Location, n *store.Notice) string {
	var sb strings.Builder
	switch scheduler.EventKind(n.Kind) {
	case scheduler.EventApprovalWanted:
		sb.WriteString(tr(lang, msgNoticeApproval))
	case scheduler.EventApprovalLate:
		sb.WriteString(tr(lang, msgNoticeApprovalLate))
	default:
		sb.WriteString(tr(lang, msgNoticeEditStale))
	}
	fmt.Fprintf(&sb, "\n#%d (%s)", n.PostID, purposeName(lang, herald.Purpose(n.Purpose)))
	if n.Title != "" {
		fmt.Fprintf(&sb, "\n%s", Escape(n.Title))
	}
	if n.Channel != "" {
		fmt.Fprintf(&sb, "\n%s", Escape(n.Channel))
	}
	if _, at := workflowReason(n.Reason); !at.IsZero() {
		sb.WriteString("\n" + tr(lang, msgDue, Escape(herald.FormatWhenIn(at, zone, lang))))
	}
	return sb.String()
}

// workflowKeyboard is the buttons of a workflow notice: Approve / Edit /
// Reject, or Keep the edit / Use the article's text.
func workflowKeyboard(lang herald.Language, n *store.Notice) *Keyboard {
	rev, _ := workflowReason(n.Reason)
	p := press{view: viewApproval, id: n.PostID, rev: rev}
	if scheduler.EventKind(n.Kind) == scheduler.EventEditStale {
		return (&Keyboard{}).Row(
			Button{Text: tr(lang, msgBtnKeepEdit), CallbackData: p.with(opKeepEdit, n.PostID, rev).data()},
			Button{Text: tr(lang, msgBtnUseArticle), CallbackData: p.with(opDropEdit, n.PostID, rev).data()})
	}
	return approvalButtons(lang, p, n.PostID, rev)
}

func approvalButtons(lang herald.Language, p press, id, rev int64) *Keyboard {
	return (&Keyboard{}).Row(
		Button{Text: tr(lang, msgBtnApprove), CallbackData: p.with(opApprove, id, rev).data()},
		Button{Text: tr(lang, msgBtnEditPost), CallbackData: p.with(opEditPost, id, rev).data()},
		Button{Text: tr(lang, msgBtnReject), CallbackData: p.with(opReject, id, rev).data()})
}

// approvalCard redraws an approval card after a press: the post as it is
// now, with the buttons while it still awaits approval.
func (b *Bot) approvalCard(ctx context.Context, lang herald.Language, id int64) (string, *Keyboard, error) {
	p, err := b.cfg.Store.Post(ctx, id)
	if err != nil {
		return "", nil, err
	}
	text := b.postLine(ctx, lang, p)
	if p.State != herald.PostAwaiting {
		return text, nil, nil
	}
	return text, approvalButtons(lang, press{view: viewApproval}, p.ID, p.Rev), nil
}

// actWorkflow carries out a press on a workflow button; handled is false
// for any other button.
func (b *Bot) actWorkflow(ctx context.Context, r *req, at press, msgID int) (text string, alert, handled bool) {
	q := b.cfg.Queue
	who := r.actor()
	fail := func(err error) (string, bool, bool) {
		if herald.ErrorCode(err) == herald.EUnauthorized {
			return stripTags(tr(r.lang, msgNotApprover)), true, true
		}
		return stripTags(b.actionError(r, at.id, err)), true, true
	}
	switch at.op {
	case opApprove:
		p, err := q.Approve(ctx, who, at.id, at.rev)
		if err != nil {
			return fail(err)
		}
		_, loc := b.postZone(ctx, p)
		return stripTags(tr(r.lang, msgApproved, p.ID, herald.FormatWhenIn(p.ScheduledAt, loc, r.lang))), false, true
	case opReject:
		if _, err := q.Reject(ctx, who, at.id, at.rev); err != nil {
			return fail(err)
		}
		return tr(r.lang, msgRejected, at.id), false, true
	case opKeepEdit, opDropEdit:
		if _, err := q.KeepEdit(ctx, who, at.id, at.op == opKeepEdit); err != nil {
			return fail(err)
		}
		if at.op == opKeepEdit {
			return tr(r.lang, msgEditKept, at.id), false, true
		}
		return tr(r.lang, msgEditDropped, at.id), false, true
	case opEditPost:
		b.startEdit(ctx, r, at.id, at.rev)
		return "", false, true
	case opSaveEdit, opDiscard:
		return b.finishEdit(ctx, r, at, msgID)
	}
	return "", false, false
}
