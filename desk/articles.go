package desk

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// articlesShown is how many of the latest articles the page lists.
const articlesShown = 60

type articleLine struct {
	A       *herald.Article
	Held    string // why herald holds it for an editor, in the page's language
	Posts   []articlePost
	Takers  []*herald.Channel // channels that take it, for the schedule form
	Kind    string
	Publish string
}

type articlePost struct {
	ID                    int64
	Channel, State, When  string
	Purpose               string
	Delivered, Unfinished bool
}

type articlesData struct {
	Lines    []articleLine
	WhenHelp string
}

// articlesPage lists the latest articles, those held for an editor first,
// each with its posts and a form to schedule it.
func (d *Desk) articlesPage(w http.ResponseWriter, r *http.Request) {
	p := d.pageFor(r, "articles")
	d.showArticles(w, r, p, http.StatusOK)
}

func (d *Desk) showArticles(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	l := herald.Language(p.L)
	held, err := d.cfg.Store.Articles(ctx, store.ArticleFilter{Held: true, Limit: articlesShown})
	if err != nil {
		d.fail(w, p, err)
		return
	}
	latest, err := d.cfg.Store.Articles(ctx, store.ArticleFilter{Limit: articlesShown})
	if err != nil {
		d.fail(w, p, err)
		return
	}
	channels, err := d.cfg.Store.Channels(ctx)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	byID := map[int64]*herald.Channel{}
	for _, ch := range channels {
		byID[ch.ID] = ch
	}
	seen := map[int64]bool{}
	data := &articlesData{WhenHelp: herald.WhenHelp(l)}
	for _, a := range append(held, latest...) {
		if seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		line := articleLine{A: a, Kind: p.L.Kind(a.Kind), Publish: herald.FormatWhenIn(a.PublishedAt, d.zone(nil), l)}
		if a.NeedsEditor != "" {
			line.Held = p.L.held(a.NeedsEditor)
		}
		posts, err := d.cfg.Store.Posts(ctx, store.PostFilter{ArticleID: a.ID})
		if err != nil {
			d.fail(w, p, err)
			return
		}
		for _, row := range posts {
			ch := byID[row.ChannelID]
			ap := articlePost{ID: row.ID, State: p.L.State(row.State), Delivered: row.State.Delivered(),
				Unfinished: row.State == herald.PostUnknown || row.State == herald.PostFailed}
			if ch != nil {
				ap.Channel = ch.Title
			}
			ap.When = herald.FormatWhenIn(row.ScheduledAt, d.zone(ch), l)
			if row.Purpose != herald.PurposePublish {
				ap.Purpose = p.L.T("purpose." + string(row.Purpose))
			}
			line.Posts = append(line.Posts, ap)
		}
		for _, ch := range channels {
			if ch.Takes(a.Kind, a.Language) {
				line.Takers = append(line.Takers, ch)
			}
		}
		data.Lines = append(data.Lines, line)
	}
	// Held ones first, then newest first, as the store gave them.
	sort.SliceStable(data.Lines, func(i, j int) bool { return data.Lines[i].Held != "" && data.Lines[j].Held == "" })
	p.Title = p.L.T("articles.title")
	p.Data = data
	d.render(w, status, "articles", p)
}

// held says why an article is held, in the page's language.
func (l lang) held(reason string) string {
	code, arg := herald.ParseHeld(reason)
	switch code {
	case herald.HeldNoDay, herald.HeldUndated:
		return l.T("held."+code, arg)
	case herald.HeldBodyLost:
		return l.T("held." + code)
	}
	return reason
}

// scheduleArticle schedules an article as the bot's /schedule does: on
// one channel or every channel that takes it, at a typed time or each
// channel's next free moment.
func (d *Desk) scheduleArticle(w http.ResponseWriter, r *http.Request) {
	p := d.pageFor(r, "articles")
	u := whoOf(r)
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var channels []*herald.Channel
	if c := r.PostFormValue("channel"); c != "" && c != "all" {
		cid, _ := strconv.ParseInt(c, 10, 64)
		ch, err := d.cfg.Store.Channel(ctx, cid)
		if err != nil {
			p.Error = herald.ErrorMessageIn(err, herald.Language(p.L))
			d.showArticles(w, r, p, http.StatusNotFound)
			return
		}
		channels = []*herald.Channel{ch}
	}
	var at *time.Time
	if typed, picked := strings.TrimSpace(r.PostFormValue("when")), r.PostFormValue("at"); typed != "" || picked != "" {
		var ch *herald.Channel
		if len(channels) > 0 {
			ch = channels[0]
		}
		t, err := d.parseWhen(p.L, d.zone(ch), typed, picked)
		if err != nil {
			p.Error = err.Error()
			d.showArticles(w, r, p, http.StatusUnprocessableEntity)
			return
		}
		at = &t
	}
	who := scheduler.Actor{UserID: u.editor.UserID, Name: p.Name}
	posts, err := d.cfg.Queue.Schedule(ctx, who, id, at, channels)
	if err != nil {
		p.Error = p.L.T("err.schedule", id, herald.ErrorMessageIn(err, herald.Language(p.L)))
		d.showArticles(w, r, p, http.StatusConflict)
		return
	}
	if len(posts) == 1 {
		http.Redirect(w, r, fmt.Sprintf("/posts/%d?ok=scheduled", posts[0].ID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/articles?ok=scheduled", http.StatusSeeOther)
}
