package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// Workflow events: what approvers and editors must hear of.
const (
	// EventApprovalWanted: a post on a channel that requires approval was
	// planned; its approvers get it with Approve / Edit / Reject.
	EventApprovalWanted EventKind = "approval_wanted"
	// EventApprovalLate: a post's time came before anyone approved it; it
	// waits.
	EventApprovalLate EventKind = "approval_late"
	// EventEditStale: the article of an edited post changed; editors choose
	// between their edit and the article's new text.
	EventEditStale EventKind = "edit_stale"
)

// dress fills what a delivery carries beyond the post, its article and its
// channel: the editor's edit of the post, and the short link its "Read on
// the site" goes through when links are on.
func dress(ctx context.Context, st *store.Store, links string, dl *Delivery) error {
	e, err := st.PostEdit(ctx, dl.Post.ID)
	switch {
	case err == nil:
		dl.Edit = e
	case herald.ErrorCode(err) != herald.ENotFound:
		return err
	}
	if links != "" && dl.Article.URL != "" {
		code, err := st.LinkCode(ctx, dl.Post.ID)
		if err != nil {
			return err
		}
		dl.Link = strings.TrimSuffix(links, "/") + "/" + code
	}
	return nil
}

// approver reports whether who may approve posts on ch: the command line
// (the operator) always; in Telegram, a named approver, or an owner when
// the channel names none.
func (q *Queue) approver(ctx context.Context, who Actor, ch *herald.Channel) bool {
	if who.UserID == 0 {
		return true
	}
	owner := false
	if ed, err := q.Store.Editor(ctx, who.UserID); err == nil {
		owner = ed.Role == herald.RoleOwner
	}
	return ch.MayApprove(who.UserID, owner)
}

// MayApprove reports whether who may approve the posts of channel ch.
func (q *Queue) MayApprove(ctx context.Context, who Actor, ch *herald.Channel) bool {
	return q.approver(ctx, who, ch)
}

// held says whether an editor's scheduling on ch waits for approval.
func (q *Queue) held(ctx context.Context, who Actor, ch *herald.Channel) bool {
	return ch.Approval && !q.approver(ctx, who, ch)
}

func (q *Queue) notify(ctx context.Context, kind EventKind, p *store.PostRow, reason string) {
	if q.Notifier == nil {
		return
	}
	ev := Event{Kind: kind, Post: &p.Post, Reason: reason}
	ev.Article, _ = q.Store.Article(ctx, p.ArticleID)
	ev.Channel, _ = q.Store.Channel(ctx, p.ChannelID)
	q.Notifier.Notify(ctx, ev)
}

// Approve lets a post awaiting approval go out: at its time, or now when
// its time has passed. Only the channel's approvers may.
func (q *Queue) Approve(ctx context.Context, who Actor, id, rev int64) (*store.PostRow, error) {
	p, ch, err := q.postOn(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.State != herald.PostAwaiting {
		return nil, herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
	}
	if !q.approver(ctx, who, ch) {
		return nil, herald.Errorf(herald.EUnauthorized, "only the approvers of %s may approve its posts", ch.Title)
	}
	at := p.ScheduledAt
	if now := q.now(); at.Before(now) {
		at = now
	}
	out, err := q.move(ctx, who, id, pinned(rev, p), herald.PostScheduled, &at, "approve",
		fmt.Sprintf("awaiting approval → scheduled at %s", at.UTC().Format(time.RFC3339)))
	if err == nil {
		_ = q.Store.ForgetLate(ctx, id)
	}
	return out, err
}

// Reject cancels a post awaiting approval. Only the channel's approvers
// may.
func (q *Queue) Reject(ctx context.Context, who Actor, id, rev int64) (*store.PostRow, error) {
	p, ch, err := q.postOn(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.State != herald.PostAwaiting {
		return nil, herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
	}
	if !q.approver(ctx, who, ch) {
		return nil, herald.Errorf(herald.EUnauthorized, "only the approvers of %s may reject its posts", ch.Title)
	}
	out, err := q.move(ctx, who, id, pinned(rev, p), herald.PostCancelled, nil, "reject", "awaiting approval → cancelled")
	if err == nil {
		_ = q.Store.ForgetLate(ctx, id)
	}
	return out, err
}

func (q *Queue) postOn(ctx context.Context, id int64) (*store.PostRow, *herald.Channel, error) {
	p, err := q.Store.Post(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ch, err := q.Store.Channel(ctx, p.ChannelID)
	if err != nil {
		return nil, nil, err
	}
	return p, ch, nil
}

// EditChecker checks an edited post against its network's limits and
// markup before it is saved (the bot's renderer for Telegram). It returns
// an error an editor can act on.
type EditChecker func(a *herald.Article, ch *herald.Channel, p *herald.Post, e *herald.PostEdit) error

// Edit saves an editor's text (and image) for a post that has not gone
// out, after check accepts it; from then on the post says it instead of
// the article's title and lead. rev is the post's revision the edit was
// written against (store.AnyRev from the command line). Audited.
func (q *Queue) Edit(ctx context.Context, who Actor, e *herald.PostEdit, rev int64, check EditChecker) (*store.PostRow, error) {
	p, ch, err := q.postOn(ctx, e.PostID)
	if err != nil {
		return nil, err
	}
	if !p.State.Editable() {
		return nil, herald.Sayf(herald.EConflict, herald.PhrasePostIs, p.ID, p.State)
	}
	a, err := q.Store.Article(ctx, p.ArticleID)
	if err != nil {
		return nil, err
	}
	e.Text = strings.TrimSpace(e.Text)
	if e.Text == "" {
		return nil, herald.FieldError("text", "is empty; write the post's new text")
	}
	if !ch.IsTelegram() {
		if q.NetworkCheck == nil {
			return nil, herald.Errorf(herald.EInvalid, "posts on %s cannot be edited here: this herald has no check of that network's limits", ch.Network)
		}
		check = q.NetworkCheck
	}
	if check != nil {
		if err := check(a, ch, &p.Post, e); err != nil {
			return nil, err
		}
	}
	e.EditedBy = who.UserID
	detail := fmt.Sprintf("%d characters", len([]rune(e.Text)))
	if e.Image != "" || len(e.ImageData) > 0 {
		detail += ", new image"
	}
	if err := q.Store.SavePostEdit(ctx, e, pinned(rev, p), &herald.AuditEntry{UserID: who.UserID, Action: "edit_post", Detail: detail}); err != nil {
		return nil, err
	}
	q.wake()
	return q.Store.Post(ctx, p.ID)
}

// KeepEdit settles an edited post whose article changed: keep the edit
// (keep true) or say the article's text again. Audited.
func (q *Queue) KeepEdit(ctx context.Context, who Actor, id int64, keep bool) (*store.PostRow, error) {
	action, detail := "keep_edit", "the edit stays; the article changed since"
	if !keep {
		action, detail = "drop_edit", "the article's own text again"
	}
	if err := q.Store.ResolveEdit(ctx, id, keep, &herald.AuditEntry{UserID: who.UserID, Action: action, Detail: detail}); err != nil {
		return nil, err
	}
	q.wake()
	return q.Store.Post(ctx, id)
}

// tellLate reports the posts whose time came while they await approval, to
// their approvers, once each.
func (w *Watcher) tellLate(ctx context.Context) error {
	late, err := w.Store.LateApprovals(ctx, w.Now())
	if err != nil {
		return err
	}
	for _, p := range late {
		w.Log.Warn("post's time came before anyone approved it; it waits", "post", p.ID, "channel", p.ChannelID)
		if w.Notifier != nil {
			a, _ := w.Store.Article(ctx, p.ArticleID)
			ch, _ := w.Store.Channel(ctx, p.ChannelID)
			w.Notifier.Notify(ctx, Event{Kind: EventApprovalLate, Post: &p.Post, Article: a, Channel: ch})
		}
	}
	return nil
}

// askEdits asks the editors whether to keep the edits of a's posts made
// before a changed.
func (w *Watcher) askEdits(ctx context.Context, a *herald.Article) error {
	stale, err := w.Store.MarkEditsStale(ctx, a.ID, a.ContentHash)
	if err != nil {
		return err
	}
	for _, p := range stale {
		w.Log.Info("article of an edited post changed; asking the editors", "post", p.ID, "article", a.ID)
		if w.Notifier != nil {
			ch, _ := w.Store.Channel(ctx, p.ChannelID)
			w.Notifier.Notify(ctx, Event{Kind: EventEditStale, Post: &p.Post, Article: a, Channel: ch})
		}
	}
	return nil
}
