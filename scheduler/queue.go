package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// Actor is who asks for a change: a Telegram user, or the command line
// (UserID 0).
type Actor struct {
	UserID int64
	Name   string
}

// CLI is the actor for changes made with the herald command.
var CLI = Actor{Name: "command line"}

func (a Actor) by() string {
	if a.UserID == 0 && a.Name == "herald" {
		return herald.ScheduledByAuto
	}
	if a.UserID == 0 {
		return "cli"
	}
	return herald.ScheduledByEditor(a.UserID)
}

// Queue is what editors do to posts, from Telegram or the command line, on
// one code path: each action checks the post's state, changes it together
// with its audit entry in one transaction, and wakes the dispatcher.
//
// Actions take the revision of the post they were decided on (a button
// carries it), or store.AnyRev for a typed command. Conflicting actions
// (two editors pressing Cancel and Post now at once) are settled by the
// database: exactly one wins, the other gets a *store.StaleError or a
// herald.EConflict error naming the state the post is in.
type Queue struct {
	Store   *store.Store
	Watcher *Watcher
	Now     func() time.Time
	Wake    func() // may be nil: another process dispatches
	// Notifier, when set, hears of posts that wait for approval because an
	// editor who is not an approver scheduled them.
	Notifier Notifier
	// NetworkCheck checks an edit of a post on a network besides Telegram,
	// against that network's limits (in place of the check Edit is given,
	// which is Telegram's); nil refuses such edits.
	NetworkCheck EditChecker
}

func (q *Queue) now() time.Time {
	if q.Now == nil {
		return time.Now()
	}
	return q.Now()
}

func (q *Queue) wake() {
	if q.Wake != nil {
		q.Wake()
	}
}

// pinned returns rev, or the revision of p when rev is AnyRev: an action
// that checked p's state must not apply to a post that changed meanwhile.
func pinned(rev int64, p *store.PostRow) int64 {
	if rev == store.AnyRev {
		return p.Rev
	}
	return rev
}

func (q *Queue) move(ctx context.Context, who Actor, id, rev int64, to herald.PostState, at *time.Time, action, detail string) (*store.PostRow, error) {
	audit := &herald.AuditEntry{UserID: who.UserID, Action: action, Detail: detail}
	_, err := q.Store.MoveState(ctx, id, rev, to, at, who.by(), audit)
	if err != nil {
		return nil, err
	}
	q.wake()
	return q.Store.Post(ctx, id)
}

// Cancel cancels a post that has not gone out.
func (q *Queue) Cancel(ctx context.Context, who Actor, id, rev int64) (*store.PostRow, error) {
	p, err := q.Store.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	return q.move(ctx, who, id, rev, herald.PostCancelled, nil, "cancel",
		fmt.Sprintf("%s → cancelled (was due %s)", p.State, p.ScheduledAt.Format(time.RFC3339)))
}

// Reschedule moves a pending (or cancelled, or failed) post to at, which
// must not be in the past.
func (q *Queue) Reschedule(ctx context.Context, who Actor, id, rev int64, at time.Time) (*store.PostRow, error) {
	if at.Before(q.now().Add(-time.Minute)) {
		return nil, herald.Sayf(herald.EInvalid, herald.PhraseInThePast, at)
	}
	p, ch, err := q.postOn(ctx, id)
	if err != nil {
		return nil, err
	}
	to := herald.PostScheduled
	if p.State == herald.PostAwaiting || q.held(ctx, who, ch) {
		to = herald.PostAwaiting // a new time is not an approval
	}
	out, err := q.move(ctx, who, id, rev, to, &at, "reschedule",
		fmt.Sprintf("%s → %s", p.ScheduledAt.Format(time.RFC3339), at.UTC().Format(time.RFC3339)))
	if err == nil && to == herald.PostAwaiting {
		_ = q.Store.ForgetLate(ctx, id)
		if p.State != herald.PostAwaiting {
			q.notify(ctx, EventApprovalWanted, out, "")
		}
	}
	return out, err
}

// PostNow makes a pending post due at once.
func (q *Queue) PostNow(ctx context.Context, who Actor, id, rev int64) (*store.PostRow, error) {
	p, err := q.Store.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.State != herald.PostPlanned && p.State != herald.PostScheduled {
		return nil, herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
	}
	now := q.now()
	return q.move(ctx, who, id, pinned(rev, p), herald.PostScheduled, &now, "post_now",
		fmt.Sprintf("was due %s", p.ScheduledAt.Format(time.RFC3339)))
}

// Retry puts a failed post back in the queue, due now.
func (q *Queue) Retry(ctx context.Context, who Actor, id, rev int64) (*store.PostRow, error) {
	p, err := q.Store.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.State != herald.PostFailed {
		return nil, herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
	}
	now := q.now()
	return q.move(ctx, who, id, pinned(rev, p), herald.PostScheduled, &now, "retry", "failed → scheduled: "+p.LastError)
}

// SendAgain settles an unknown post as not sent: it goes out again now.
func (q *Queue) SendAgain(ctx context.Context, who Actor, id, rev int64) (*store.PostRow, error) {
	p, err := q.Store.Post(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.State != herald.PostUnknown {
		return nil, herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
	}
	now := q.now()
	return q.move(ctx, who, id, pinned(rev, p), herald.PostScheduled, &now, "send_again", "unknown → scheduled")
}

// ConfirmSent settles an unknown post as sent, as an editor saw it in the
// channel. messageID may be 0 when the editor does not know it; herald then
// cannot edit or delete that message later.
func (q *Queue) ConfirmSent(ctx context.Context, who Actor, id, messageID int64) (*store.PostRow, error) {
	if err := q.Store.SettleSent(ctx, id, messageID, &herald.AuditEntry{UserID: who.UserID,
		Action: "confirm_sent", Detail: "unknown → sent"}); err != nil {
		return nil, err
	}
	return q.Store.Post(ctx, id)
}

// Schedule plans an article on channels: at the given time, or, when at is
// nil, at each channel's next free moment (even when it is old news). With
// no channels named, every channel that takes the article is used. A post
// that exists is moved to the time instead; one already sent is left as it
// is and reported in the result.
func (q *Queue) Schedule(ctx context.Context, who Actor, articleID int64, at *time.Time, channels []*herald.Channel) ([]*store.PostRow, error) {
	a, err := q.Store.Article(ctx, articleID)
	if err != nil {
		return nil, err
	}
	if a.Status != herald.ArticlePublished {
		return nil, herald.Sayf(herald.EConflict, herald.PhraseArticleUnpublished, articleID)
	}
	if at != nil && at.Before(q.now().Add(-time.Minute)) {
		return nil, herald.Sayf(herald.EInvalid, herald.PhraseInThePast, at)
	}
	if len(channels) == 0 {
		all, err := q.Store.Channels(ctx)
		if err != nil {
			return nil, err
		}
		for _, ch := range all {
			if ch.Accepts(a) {
				channels = append(channels, ch)
			}
		}
		if len(channels) == 0 {
			return nil, herald.Sayf(herald.ENotFound, herald.PhraseNoChannelTakes, a.Kind, a.Language)
		}
	}
	var out []*store.PostRow
	for _, ch := range channels {
		p, err := q.scheduleOn(ctx, who, a, ch, at)
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
	q.wake()
	return out, nil
}

func (q *Queue) scheduleOn(ctx context.Context, who Actor, a *herald.Article, ch *herald.Channel, at *time.Time) (*store.PostRow, error) {
	when := q.now()
	if at != nil {
		when = *at
	} else if q.Watcher != nil {
		r, err := CompileRules(ch, q.Watcher.Zone)
		if err != nil {
			return nil, err
		}
		if when, _, err = r.NextIn(when, newStoreTaken(ctx, q.Store, ch.ID)); err != nil {
			return nil, herald.Errorf(herald.EConflict, "channel %s: %v", ch.Title, err)
		}
	}
	// On a channel that requires approval, an editor's scheduling waits
	// for an approver too, unless the editor is one.
	state := herald.PostScheduled
	if q.held(ctx, who, ch) {
		state = herald.PostAwaiting
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
		State: state, ScheduledAt: when, ScheduledBy: who.by()}}
	inserted, err := q.Store.PlanPost(ctx, p)
	if err != nil {
		return nil, err
	}
	if inserted {
		err := q.Store.AddAudit(ctx, &herald.AuditEntry{UserID: who.UserID, Action: "schedule", PostID: p.ID,
			Detail: fmt.Sprintf("article %d on %s at %s", a.ID, ch.Chat, when.UTC().Format(time.RFC3339))})
		if err == nil && state == herald.PostAwaiting {
			q.notify(ctx, EventApprovalWanted, p, "")
		}
		return p, err
	}
	if p.State.Delivered() || p.State == herald.PostSending || p.State == herald.PostUnknown {
		return p, nil
	}
	if p.State == herald.PostAwaiting {
		state = herald.PostAwaiting // moving it is not approving it
	}
	out, err := q.move(ctx, who, p.ID, store.AnyRev, state, &when, "schedule",
		fmt.Sprintf("article %d on %s: %s → %s", a.ID, ch.Chat, p.ScheduledAt.Format(time.RFC3339), when.UTC().Format(time.RFC3339)))
	if err == nil && state == herald.PostAwaiting && p.State != herald.PostAwaiting {
		q.notify(ctx, EventApprovalWanted, out, "")
	}
	return out, err
}
