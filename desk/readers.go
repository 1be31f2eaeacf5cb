package desk

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/store"
)

// reviewsShown is how many pending reviews the page lists at once.
const reviewsShown = 50

type reviewLine struct {
	R       *herald.Review
	Name    string // the reader's name, neutralised
	Text    string // what they wrote, neutralised
	Stars   string
	Article string
	Source  string
}

type tally struct {
	Key      string // the scope's query, for its chart and export
	Label    string
	Reviews  int
	Rated    int
	Average  string
	Pending  int
	Comments int
	sum      int // of the ratings
}

type readersData struct {
	Pending            []reviewLine
	PendingTotal       int
	Scope              string
	Query              string // the scope as a query string, for the chart and CSV
	Stats              *store.ReviewStats
	Average            string
	Articles, Programs []tally
	Days               int
}

// readerScope reads the page's scope: an article, a program, or the last
// N days (30 unless given), as /stats takes them.
func (d *Desk) readerScope(r *http.Request, l lang) (store.ReviewFilter, string, string, int) {
	q := r.URL.Query()
	now := d.cfg.Now()
	if id, err := strconv.ParseInt(q.Get("article"), 10, 64); err == nil && id > 0 {
		title := "#" + strconv.FormatInt(id, 10)
		if a, err := d.cfg.Store.Article(r.Context(), id); err == nil {
			title += " " + clipRunes(a.Title, 60)
		}
		return store.ReviewFilter{ArticleID: id}, title, "article=" + strconv.FormatInt(id, 10), 0
	}
	if prog := strings.TrimSpace(q.Get("program")); prog != "" && len(prog) < 200 {
		return store.ReviewFilter{Program: prog, Since: now.Add(-3650 * 24 * time.Hour)}, prog, "program=" + url.QueryEscape(prog), 0
	}
	days := 30
	if n, err := strconv.Atoi(q.Get("days")); err == nil && n > 0 && n <= 3650 {
		days = n
	}
	return store.ReviewFilter{Since: now.AddDate(0, 0, -days)}, l.T("readers.days", days), "days=" + strconv.Itoa(days), days
}

func (d *Desk) readersPage(w http.ResponseWriter, r *http.Request) {
	p := d.pageFor(r, "readers")
	ctx := r.Context()
	f, scope, query, days := d.readerScope(r, p.L)
	data := &readersData{Scope: scope, Query: query, Days: days}
	pending, err := d.cfg.Store.Reviews(ctx, store.ReviewFilter{Status: herald.ReviewPending, Newest: true, Limit: reviewsShown})
	if err != nil {
		d.fail(w, p, err)
		return
	}
	if data.PendingTotal, err = d.cfg.Store.CountReviews(ctx, store.ReviewFilter{Status: herald.ReviewPending}); err != nil {
		d.fail(w, p, err)
		return
	}
	titles := map[int64]*herald.Article{}
	article := func(id int64) *herald.Article {
		if a, ok := titles[id]; ok {
			return a
		}
		a, err := d.cfg.Store.Article(ctx, id)
		if err != nil {
			a = &herald.Article{ID: id, Title: "?"}
		}
		titles[id] = a
		return a
	}
	for _, rv := range pending {
		data.Pending = append(data.Pending, reviewLine{R: rv, Name: readerName(rv), Text: herald.Neutral(rv.Text),
			Stars: stars(rv.Rating), Article: article(rv.ArticleID).Title, Source: p.L.T("source." + string(rv.Source))})
	}
	if data.Stats, err = d.cfg.Store.Stats(ctx, f); err != nil {
		d.fail(w, p, err)
		return
	}
	data.Average = p.L.decimal(data.Stats.Average)
	// The numbers per article and per program, over the scope's reviews.
	all, err := d.cfg.Store.Reviews(ctx, store.ReviewFilter{ArticleID: f.ArticleID, Program: f.Program, Since: f.Since, Newest: true, Limit: 5000})
	if err != nil {
		d.fail(w, p, err)
		return
	}
	perArticle, perProgram := map[int64]*tally{}, map[string]*tally{}
	for _, rv := range all {
		if rv.Status == herald.ReviewRejected {
			continue
		}
		a := article(rv.ArticleID)
		ta, ok := perArticle[a.ID]
		if !ok {
			ta = &tally{Key: "article=" + strconv.FormatInt(a.ID, 10), Label: fmt.Sprintf("#%d %s", a.ID, clipRunes(a.Title, 70))}
			perArticle[a.ID] = ta
		}
		count(ta, rv)
		if a.Program != "" {
			tp, ok := perProgram[a.Program]
			if !ok {
				tp = &tally{Key: "program=" + url.QueryEscape(a.Program), Label: a.Program}
				perProgram[a.Program] = tp
			}
			count(tp, rv)
		}
	}
	for _, t := range perArticle {
		data.Articles = append(data.Articles, *t)
	}
	for _, t := range perProgram {
		data.Programs = append(data.Programs, *t)
	}
	for _, list := range [][]tally{data.Articles, data.Programs} {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Reviews != list[j].Reviews {
				return list[i].Reviews > list[j].Reviews
			}
			return list[i].Label < list[j].Label
		})
		for i := range list {
			if list[i].Rated > 0 {
				list[i].Average = p.L.decimal(float64(list[i].sum) / float64(list[i].Rated))
			}
		}
	}
	p.Title = p.L.T("readers.title")
	p.Data = data
	d.render(w, http.StatusOK, "readers", p)
}

// count adds a review to a tally.
func count(t *tally, rv *herald.Review) {
	t.Reviews++
	if rv.Rating > 0 {
		t.Rated++
		t.sum += rv.Rating
	}
	if rv.Text != "" {
		t.Comments++
	}
	if rv.Status == herald.ReviewPending {
		t.Pending++
	}
}

func readerName(rv *herald.Review) string {
	name := rv.UserName
	if rv.Username != "" {
		name += " @" + rv.Username
	}
	return herald.Neutral(clipRunes(name, 80))
}

func stars(n int) string {
	if n <= 0 {
		return "—"
	}
	return strings.Repeat("★", n) + strings.Repeat("☆", 5-n)
}

// decimal writes f with one decimal in the page language's way.
func (l lang) decimal(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if l != lang(herald.LangEnglish) {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// readersChart draws the scope's chart with the bot's /stats chart.
func (d *Desk) readersChart(w http.ResponseWriter, r *http.Request) {
	l := lang(whoOf(r).lang)
	f, scope, _, _ := d.readerScope(r, l)
	st, err := d.cfg.Store.Stats(r.Context(), f)
	if err != nil {
		d.log.Error("desk: stats", "err", err)
		http.Error(w, l.T("err.internal"), http.StatusInternalServerError)
		return
	}
	png, err := bot.StatsChart(st, bot.Chart{Lang: herald.Language(l), Scope: scope, From: f.Since, To: d.cfg.Now()})
	if err != nil {
		d.log.Error("desk: chart", "err", err)
		http.Error(w, l.T("err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// readersCSV exports the scope's reviews. Cells a spreadsheet would take
// for a formula are quoted with a leading apostrophe.
func (d *Desk) readersCSV(w http.ResponseWriter, r *http.Request) {
	l := lang(whoOf(r).lang)
	f, _, _, _ := d.readerScope(r, l)
	f.Limit = 100000
	reviews, err := d.cfg.Store.Reviews(r.Context(), f)
	if err != nil {
		d.log.Error("desk: export", "err", err)
		http.Error(w, l.T("err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="herald-reviews.csv"`)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "article_id", "channel_id", "reader_id", "reader", "username", "rating", "text", "source", "status", "spam", "created_at"})
	for _, rv := range reviews {
		cw.Write([]string{strconv.FormatInt(rv.ID, 10), strconv.FormatInt(rv.ArticleID, 10), strconv.FormatInt(rv.ChannelID, 10),
			strconv.FormatInt(rv.UserID, 10), cell(herald.Neutral(rv.UserName)), cell(rv.Username), strconv.Itoa(rv.Rating),
			cell(herald.Neutral(rv.Text)), string(rv.Source), string(rv.Status), strconv.FormatBool(rv.Spam), rv.CreatedAt.UTC().Format(time.RFC3339)})
	}
	cw.Flush()
}

// cell guards a text against spreadsheet formula injection.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// moderate approves, rejects or bans through bot.Moderate, the path of the
// bot's buttons.
func (d *Desk) moderate(w http.ResponseWriter, r *http.Request) {
	u := whoOf(r)
	p := d.pageFor(r, "readers")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ops := map[string]string{"approve": bot.ModerateApprove, "reject": bot.ModerateReject, "ban": bot.ModerateBan}
	op, ok := ops[r.PathValue("op")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	rv, err := d.cfg.Store.Review(r.Context(), id)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	if err := bot.Moderate(r.Context(), d.cfg.Store, u.editor.UserID, rv, op); err != nil {
		d.fail(w, p, err)
		return
	}
	http.Redirect(w, r, "/readers?ok=review_"+r.PathValue("op"), http.StatusSeeOther)
}
