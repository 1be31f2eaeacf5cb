package desk

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

type postData struct {
	Row       *store.PostRow
	Article   *herald.Article
	Channel   *herald.Channel
	Zone      string
	When      string // the planned time, in the channel's zone, as the bot writes it
	Local     string // the same for a datetime-local field
	Min       string // now, for the field's min
	Next      string // the next attempt of a post held for a retry
	Sent      string
	Purpose   string
	Preview   *preview
	History   []historyLine
	Pending   bool // post now, reschedule, cancel
	Movable   bool // reschedule (pending, failed, cancelled)
	Unknown   bool // was sent / send again
	Failed    bool // retry
	Cancel    bool
	Awaiting  bool   // approve / reject (for an approver)
	Approver  bool   // the person may approve posts on the channel
	Editable  bool   // its text may be edited before it goes
	EditText  string // the text an edit starts from: the edit saved, else the article's
	WhenHelp  string
	TypedWhen string // what was typed, given back after a refusal
}

type historyLine struct {
	At, Who, Action, Detail string
}

// actionNames are the audit's actions in the desk's words.
var actionNames = map[string]string{"cancel": "act.cancel", "reschedule": "act.reschedule", "post_now": "act.now",
	"retry": "act.retry", "send_again": "act.again", "confirm_sent": "act.sent", "schedule": "act.schedule",
	"approve": "act.approve", "reject": "act.reject", "edit_post": "act.edit"}

func (d *Desk) postPage(w http.ResponseWriter, r *http.Request) {
	p := d.pageFor(r, "plan")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	d.showPost(w, r, p, id, http.StatusOK, "")
}

// showPost draws a post's page as the post is now, with status and what
// was typed (after a refusal, in p.Error).
func (d *Desk) showPost(w http.ResponseWriter, r *http.Request, p *page, id int64, status int, typed string) {
	ctx := r.Context()
	row, err := d.cfg.Store.Post(ctx, id)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	a, err := d.cfg.Store.Article(ctx, row.ArticleID)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	ch, err := d.cfg.Store.Channel(ctx, row.ChannelID)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	loc := d.zone(ch)
	l := herald.Language(p.L)
	pd := &postData{Row: row, Article: a, Channel: ch, Zone: loc.String(), When: herald.FormatWhenIn(row.ScheduledAt, loc, l),
		Local: row.ScheduledAt.In(loc).Format("2006-01-02T15:04"), Min: d.cfg.Now().In(loc).Format("2006-01-02T15:04"),
		Purpose: p.L.T("purpose." + string(row.Purpose)), Preview: d.previewOf(p.L, a, ch, row.ID, row.Purpose, row.ScheduledAt),
		WhenHelp: herald.WhenHelp(l), TypedWhen: typed}
	if row.NextAttemptAt != nil && row.LastError != "" && row.State == herald.PostScheduled {
		pd.Next = herald.FormatWhenIn(*row.NextAttemptAt, loc, l)
	}
	if row.SentAt != nil {
		pd.Sent = herald.FormatWhenIn(*row.SentAt, loc, l)
	}
	pd.Pending = row.State == herald.PostPlanned || row.State == herald.PostScheduled
	pd.Movable = pd.Pending || row.State == herald.PostFailed || row.State == herald.PostCancelled
	pd.Unknown = row.State == herald.PostUnknown
	pd.Failed = row.State == herald.PostFailed
	pd.Awaiting = row.State == herald.PostAwaiting
	pd.Cancel = pd.Pending || pd.Failed || pd.Awaiting
	pd.Approver = pd.Awaiting && d.cfg.Queue.MayApprove(ctx, scheduler.Actor{UserID: whoOf(r).editor.UserID}, ch)
	pd.Editable = pd.Pending || pd.Awaiting
	if pd.Editable {
		if e, err := d.cfg.Store.PostEdit(ctx, row.ID); err == nil {
			pd.EditText = e.Text
		} else {
			pd.EditText = "<b>" + html.EscapeString(a.Title) + "</b>"
			if a.Lead != "" {
				pd.EditText += "\n\n" + html.EscapeString(a.Lead)
			}
		}
	}
	names := d.names(r)
	entries, err := d.cfg.Store.PostAudit(ctx, id)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	for _, e := range entries {
		h := historyLine{At: herald.FormatWhenIn(e.At, loc, l), Who: names(e.UserID), Action: e.Action, Detail: e.Detail}
		if k, ok := actionNames[e.Action]; ok {
			h.Action = p.L.T(k)
		}
		pd.History = append(pd.History, h)
	}
	p.Title = fmt.Sprintf("#%d · %s", row.ID, clipRunes(a.Title, 60))
	p.Data = pd
	d.render(w, status, "post", p)
}

// names returns who a user id is, for the history: an editor by name,
// herald itself for 0.
func (d *Desk) names(r *http.Request) func(int64) string {
	eds, _ := d.cfg.Store.Editors(r.Context())
	l := lang(whoOf(r).lang)
	return func(id int64) string {
		if id == 0 {
			return l.T("who.herald")
		}
		for _, e := range eds {
			if e.UserID == id && e.Name != "" {
				return herald.Neutral(e.Name)
			}
		}
		return "#" + strconv.FormatInt(id, 10)
	}
}

// postAction carries out one of the bot's actions on a post, on the
// revision the page was drawn for. The loser of two people acting at once
// sees the post as it is now, and why nothing happened.
func (d *Desk) postAction(w http.ResponseWriter, r *http.Request) {
	p := d.pageFor(r, "plan")
	u := whoOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	rev, err := strconv.ParseInt(r.PostFormValue("rev"), 10, 64)
	if err != nil || rev < 0 {
		p.Error = p.L.T("err.norev")
		d.showPost(w, r, p, id, http.StatusBadRequest, "")
		return
	}
	who := scheduler.Actor{UserID: u.editor.UserID, Name: p.Name}
	q := d.cfg.Queue
	ctx := r.Context()
	var ok string
	switch r.PathValue("op") {
	case "now":
		_, err = q.PostNow(ctx, who, id, rev)
		ok = "now"
	case "cancel":
		_, err = q.Cancel(ctx, who, id, rev)
		ok = "cancelled"
	case "retry":
		_, err = q.Retry(ctx, who, id, rev)
		ok = "retry"
	case "again":
		_, err = q.SendAgain(ctx, who, id, rev)
		ok = "again"
	case "sent":
		err = d.confirmSent(r, who, id, rev)
		ok = "sent"
	case "approve":
		_, err = q.Approve(ctx, who, id, rev)
		ok = "approved"
	case "reject":
		_, err = q.Reject(ctx, who, id, rev)
		ok = "rejected"
	case "edit":
		text := strings.TrimSpace(r.PostFormValue("text"))
		if text == "" {
			p.Error = herald.ErrorMessageIn(herald.FieldError("text", "is empty; write the post's new text"), herald.Language(p.L))
			d.showPost(w, r, p, id, http.StatusUnprocessableEntity, "")
			return
		}
		_, err = q.Edit(ctx, who, &herald.PostEdit{PostID: id, Text: text, EditedBy: who.UserID}, rev, scheduler.EditChecker(bot.CheckEdit))
		ok = "edited"
	case "reschedule":
		typed := strings.TrimSpace(r.PostFormValue("when"))
		at, perr := d.readWhen(r, id, typed, r.PostFormValue("at"))
		if perr != nil {
			p.Error = perr.Error()
			d.showPost(w, r, p, id, http.StatusUnprocessableEntity, typed)
			return
		}
		_, err = q.Reschedule(ctx, who, id, rev, at)
		ok = "rescheduled"
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		var status int
		status, p.Error = d.actionError(r, p.L, id, err)
		d.showPost(w, r, p, id, status, r.PostFormValue("when"))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/posts/%d?ok=%s", id, ok), http.StatusSeeOther)
}

// confirmSent settles an unknown post as sent, as the bot's "It was sent"
// button does, after checking that the page's revision is still the post's.
func (d *Desk) confirmSent(r *http.Request, who scheduler.Actor, id, rev int64) error {
	row, err := d.cfg.Store.Post(r.Context(), id)
	if err != nil {
		return err
	}
	if row.Rev != rev {
		return &store.StaleError{Post: row}
	}
	_, err = d.cfg.Queue.ConfirmSent(r.Context(), who, id, 0)
	return err
}

// whenError is a time that cannot be read, said in the page's language.
type whenError struct{ msg string }

func (e whenError) Error() string { return e.msg }

// readWhen reads the new time of post id: typed in the bot's grammar
// (herald.ParseWhen, in the channel's zone), or picked in a datetime-local
// field (read in the channel's zone too).
func (d *Desk) readWhen(r *http.Request, id int64, typed, picked string) (time.Time, error) {
	l := lang(whoOf(r).lang)
	row, err := d.cfg.Store.Post(r.Context(), id)
	if err != nil {
		return time.Time{}, whenError{herald.ErrorMessageIn(err, herald.Language(l))}
	}
	ch, _ := d.cfg.Store.Channel(r.Context(), row.ChannelID)
	loc := d.zone(ch)
	return d.parseWhen(l, loc, typed, picked)
}

func (d *Desk) parseWhen(l lang, loc *time.Location, typed, picked string) (time.Time, error) {
	if typed != "" {
		at, err := herald.ParseWhen(typed, d.cfg.Now(), loc)
		if err != nil {
			return time.Time{}, whenError{l.T("err.when", herald.ErrorMessageIn(err, herald.Language(l)))}
		}
		return at, nil
	}
	if picked != "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", picked, loc)
		if err != nil {
			return time.Time{}, whenError{l.T("err.picked")}
		}
		return at, nil
	}
	return time.Time{}, whenError{l.T("err.nowhen")}
}
