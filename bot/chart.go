package bot

import (
	"bytes"
	"fmt"
	"image/color"
	"sync"
	"time"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart colours: the agency's dark blue on white, with grey rules.
var (
	chartInk = color.RGBA{0x1f, 0x3a, 0x5f, 0xff}
	chartBar = color.RGBA{0x2f, 0x6f, 0xb3, 0xff}
)

// chartMaxDays bounds the reviews-per-day axis: past three months the bars
// are too thin to read, and the text above the chart has the totals.
const chartMaxDays = 90

// Chart says what a stats chart covers and for whom.
type Chart struct {
	Lang     herald.Language // the viewer's: titles and axes are in it
	Scope    string          // what the numbers cover, already in Lang ("30 дней", a program, an article)
	From, To time.Time       // the days shown; From zero: from the first review
}

// chartFonts is DejaVu Sans (regular and bold), embedded in the binary: it
// has every letter of Azerbaijani (ə, ğ, ı, ö, ü, ş, ç) and Cyrillic,
// which the bitmap fonts and the plotting library's default lack. The
// licence is bot/LICENSE-DejaVu.
var chartFonts = sync.OnceValues(func() (*font.Cache, error) {
	var coll font.Collection
	for _, f := range []struct {
		ttf    []byte
		weight xfont.Weight
	}{{dejavusans.TTF, xfont.WeightNormal}, {dejavusansbold.TTF, xfont.WeightBold}} {
		face, err := opentype.Parse(f.ttf)
		if err != nil {
			return nil, fmt.Errorf("chart font: %w", err)
		}
		coll = append(coll, font.Face{Font: font.Font{Typeface: "DejaVu", Variant: "Sans", Weight: f.weight}, Face: face})
	}
	return font.NewCache(coll), nil
})

// chartFont is the chart's font at size points, bold or not.
func chartFont(size float64, bold bool) font.Font {
	f := font.Font{Typeface: "DejaVu", Variant: "Sans", Size: vg.Points(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// StatsChart draws the ratings histogram and the reviews per day (every
// day of the range, those without reviews as zero) as one PNG, 1000×450,
// titled and labelled in the viewer's language.
func StatsChart(st *store.ReviewStats, c Chart) ([]byte, error) {
	png, _, err := drawChart(st, c)
	return png, err
}

// drawChart is StatsChart, also returning every text it drew, so that a
// test can check the font has a glyph for each letter.
func drawChart(st *store.ReviewStats, c Chart) ([]byte, []string, error) {
	fonts, err := chartFonts()
	if err != nil {
		return nil, nil, err
	}
	var drawn []string
	say := func(s string) string { drawn = append(drawn, s); return s }
	handler := text.Plain{Fonts: fonts}
	style := func(p *plot.Plot) {
		p.TextHandler = handler
		for _, ts := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
			&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
			ts.Handler = handler
			ts.Color = chartInk
			ts.Font = chartFont(11, false)
		}
		p.Title.TextStyle.Font = chartFont(13, true)
		p.X.Tick.Label.Font, p.Y.Tick.Label.Font = chartFont(9, false), chartFont(9, false)
	}

	// Ratings, one to five stars.
	ratings := plot.New()
	style(ratings)
	ratings.Title.Text = say(tr(c.Lang, msgChartRatings))
	ratings.X.Label.Text = say(tr(c.Lang, msgChartStars))
	ratings.Y.Label.Text = say(tr(c.Lang, msgChartCount))
	stars := make(plotter.Values, 5)
	for i := range stars {
		stars[i] = float64(st.Histogram[i+1])
	}
	if err := addBars(ratings, stars, vg.Points(28)); err != nil {
		return nil, nil, err
	}
	ratings.NominalX("1", "2", "3", "4", "5")
	say("12345")

	// Reviews per day, every day of the range.
	perDay := plot.New()
	style(perDay)
	perDay.Title.Text = say(tr(c.Lang, msgChartPerDay))
	perDay.X.Label.Text = say(tr(c.Lang, msgChartDay))
	perDay.Y.Label.Text = say(tr(c.Lang, msgChartCount))
	days, counts := everyDay(st.PerDay, c.From, c.To)
	names := make([]string, len(days))
	step := max(1, len(days)/8) // about eight dates under the axis
	for i, d := range days {
		if i%step == 0 || i == len(days)-1 {
			names[i] = say(d.Format("02.01"))
		}
	}
	width := vg.Points(max(2, min(24, 420/float64(max(1, len(days))))))
	if err := addBars(perDay, counts, width); err != nil {
		return nil, nil, err
	}
	perDay.NominalX(names...)
	for _, p := range []*plot.Plot{ratings, perDay} {
		p.Y.Min = 0
		p.Y.Max = max(p.Y.Max, 1)
		p.Y.Tick.Marker = plot.TickerFunc(wholeTicks)
	}
	say("0123456789")

	const w, h = 1000, 450
	img := vgimg.NewWith(vgimg.UseWH(vg.Points(w*0.75), vg.Points(h*0.75)), vgimg.UseDPI(96))
	dc := draw.New(img)
	head := draw.TextStyle{Color: chartInk, Font: chartFont(15, true), Handler: handler, XAlign: draw.XLeft, YAlign: draw.YTop}
	dc.FillText(head, vg.Point{X: dc.Min.X + 12, Y: dc.Max.Y - 8}, say(tr(c.Lang, msgChartTitle, c.Scope)))
	foot := head
	foot.Font = chartFont(10, false)
	foot.YAlign = draw.YBottom
	dc.FillText(foot, vg.Point{X: dc.Min.X + 12, Y: dc.Min.Y + 6},
		say(tr(c.Lang, msgChartFooter, st.Reviews, st.Rated, decimal(c.Lang, st.Average), st.Comments)))
	body := draw.Crop(dc, 0, 0, 28, -36)
	tiles := plot.Align([][]*plot.Plot{{ratings, perDay}}, draw.Tiles{Rows: 1, Cols: 2, PadX: 18, PadLeft: 6, PadRight: 10}, body)
	ratings.Draw(tiles[0][0])
	perDay.Draw(tiles[0][1])

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, nil, fmt.Errorf("chart: %w", err)
	}
	return buf.Bytes(), drawn, nil
}

// addBars adds one bar per value to p, in the chart's colour.
func addBars(p *plot.Plot, values plotter.Values, width vg.Length) error {
	bars, err := plotter.NewBarChart(values, width)
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	bars.Color = chartBar
	bars.LineStyle.Width = 0
	p.Add(bars)
	return nil
}

// everyDay spreads the per-day counts over every UTC day from from to to,
// with zero for the days without reviews. A zero from starts at the first
// review; the range keeps its last chartMaxDays days.
func everyDay(per []store.DayCount, from, to time.Time) ([]time.Time, plotter.Values) {
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	if len(per) > 0 && (from.IsZero() || day(per[0].Day).Before(day(from))) {
		from = per[0].Day
	}
	if len(per) > 0 && (to.IsZero() || day(per[len(per)-1].Day).After(day(to))) {
		to = per[len(per)-1].Day
	}
	if to.IsZero() {
		to = from
	}
	if from.IsZero() {
		from = to
	}
	first, last := day(from), day(to)
	if n := int(last.Sub(first).Hours()/24) + 1; n > chartMaxDays {
		first = last.AddDate(0, 0, -(chartMaxDays - 1))
	}
	byDay := map[time.Time]int{}
	for _, d := range per {
		byDay[day(d.Day)] += d.Count
	}
	var days []time.Time
	var counts plotter.Values
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
		counts = append(counts, float64(byDay[d]))
	}
	return days, counts
}

// wholeTicks marks the count axis at whole numbers only: half a review
// means nothing.
func wholeTicks(min, max float64) []plot.Tick {
	step := 1.0
	for (max-min)/step > 6 {
		step *= 2
	}
	var ticks []plot.Tick
	for v := 0.0; v <= max; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprint(int(v))})
	}
	return ticks
}
