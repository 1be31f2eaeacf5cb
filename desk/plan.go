package desk

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// planColumn is one channel's column of the plan: its days, in its zone.
type planColumn struct {
	Channel *herald.Channel
	Network string
	Zone    string
	Days    []planDay
}

type planDay struct {
	Label string // "Tue 1 Dec", in the page's language
	Posts []planPost
}

type planPost struct {
	Row     *store.PostRow
	Title   string
	Kind    herald.Kind
	Time    string // HH:MM in the channel's zone
	Purpose string
	Preview *preview
}

// planFilter is what the plan shows, from the page's query.
type planFilter struct {
	View    string // day or week
	Off     int    // days (day view) or weeks (week view) from today
	Channel int64
	Kind    herald.Kind
	State   herald.PostState
}

func readPlanFilter(q url.Values) planFilter {
	f := planFilter{View: "day"}
	if q.Get("view") == "week" {
		f.View = "week"
	}
	if n, err := strconv.Atoi(q.Get("off")); err == nil && n > -1000 && n < 1000 {
		f.Off = n
	}
	f.Channel, _ = strconv.ParseInt(q.Get("channel"), 10, 64)
	if k := herald.Kind(q.Get("kind")); k.Valid() {
		f.Kind = k
	}
	for _, s := range herald.PostStates {
		if string(s) == q.Get("state") {
			f.State = s
		}
	}
	return f
}

// query is the filter as a query string, with view and off replaced.
func (f planFilter) query(view string, off int) string {
	v := url.Values{}
	v.Set("view", view)
	if off != 0 {
		v.Set("off", strconv.Itoa(off))
	}
	if f.Channel != 0 {
		v.Set("channel", strconv.FormatInt(f.Channel, 10))
	}
	if f.Kind != "" {
		v.Set("kind", string(f.Kind))
	}
	if f.State != "" {
		v.Set("state", string(f.State))
	}
	return "/?" + v.Encode()
}

type planData struct {
	Filter                       planFilter
	Columns                      []planColumn
	Channels                     []*herald.Channel
	Kinds                        []herald.Kind
	States                       []herald.PostState
	Prev, Next, Today, Day, Week string
	Empty                        bool
}

// planPage is the calendar: for each channel, the day (or the week) in the
// channel's own zone, "today" being the channel's today, so that tonight's
// posts of a channel in New York and of one in Baku are both on today's
// page.
func (d *Desk) planPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := d.pageFor(r, "plan")
	f := readPlanFilter(r.URL.Query())
	channels, err := d.cfg.Store.Channels(ctx)
	if err != nil {
		d.fail(w, p, err)
		return
	}
	data := &planData{Filter: f, Channels: channels, Kinds: herald.Kinds, States: herald.PostStates, Empty: true}
	ndays := 1
	if f.View == "week" {
		ndays = 7
	}
	articles := map[int64]*herald.Article{}
	now := d.cfg.Now()
	for _, ch := range channels {
		if f.Channel != 0 && ch.ID != f.Channel {
			continue
		}
		loc := d.zone(ch)
		y, m, dd := now.In(loc).Date()
		first := time.Date(y, m, dd+f.Off*ndays, 0, 0, 0, 0, loc)
		col := planColumn{Channel: ch, Network: ch.Network, Zone: loc.String()}
		if col.Network == "" {
			col.Network = herald.NetworkTelegram
		}
		pf := store.PostFilter{ChannelID: ch.ID, From: first, To: time.Date(y, m, dd+f.Off*ndays+ndays, 0, 0, 0, 0, loc)}
		if f.State != "" {
			pf.States = []herald.PostState{f.State}
		}
		posts, err := d.cfg.Store.Posts(ctx, pf)
		if err != nil {
			d.fail(w, p, err)
			return
		}
		for i := 0; i < ndays; i++ {
			day := time.Date(y, m, dd+f.Off*ndays+i, 0, 0, 0, 0, loc)
			pd := planDay{Label: p.L.day(day)}
			for _, row := range posts {
				if at := row.ScheduledAt.In(loc); at.Year() != day.Year() || at.YearDay() != day.YearDay() {
					continue
				}
				a, ok := articles[row.ArticleID]
				if !ok {
					if a, err = d.cfg.Store.Article(ctx, row.ArticleID); err != nil {
						continue
					}
					articles[row.ArticleID] = a
				}
				if f.Kind != "" && a.Kind != f.Kind {
					continue
				}
				pp := planPost{Row: row, Title: a.Title, Kind: a.Kind, Time: row.ScheduledAt.In(loc).Format("15:04")}
				if row.Purpose != herald.PurposePublish {
					pp.Purpose = p.L.T("purpose." + string(row.Purpose))
				}
				if f.View == "day" {
					pp.Preview = d.previewOf(p.L, a, ch, row.ID, row.Purpose, row.ScheduledAt)
				}
				pd.Posts = append(pd.Posts, pp)
				data.Empty = false
			}
			col.Days = append(col.Days, pd)
		}
		data.Columns = append(data.Columns, col)
	}
	data.Prev, data.Next, data.Today = f.query(f.View, f.Off-1), f.query(f.View, f.Off+1), f.query(f.View, 0)
	data.Day, data.Week = f.query("day", 0), f.query("week", 0)
	p.Title = p.L.T("plan.title")
	p.Data = data
	d.render(w, http.StatusOK, "plan", p)
}

// day names a calendar day in the page's language: "Tue 1 Dec".
func (l lang) day(t time.Time) string {
	return fmt.Sprintf("%s %d %s", l.T("wd."+strconv.Itoa(int(t.Weekday()))), t.Day(), l.T("mon."+strconv.Itoa(int(t.Month()))))
}
