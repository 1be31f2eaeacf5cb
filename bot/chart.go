package bot

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/herald-news/herald/store"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Chart colours: the agency's dark blue on white, with grey rules.
var (
	chartInk   = color.RGBA{0x1f, 0x3a, 0x5f, 0xff}
	chartBar   = color.RGBA{0x2f, 0x6f, 0xb3, 0xff}
	chartRule  = color.RGBA{0xcc, 0xcc, 0xcc, 0xff}
	chartPaper = color.White
)

// StatsChart draws the ratings histogram and the reviews per day as one
// PNG, 900×360. Labels are in ASCII, readable in every language: the
// message that carries the chart says the rest in words.
func StatsChart(st *store.ReviewStats, title string) ([]byte, error) {
	const w, h = 900, 360
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{chartPaper}, image.Point{}, draw.Src)
	label(img, 20, 24, asciiOnly(title), chartInk)

	// Ratings, 1 to 5.
	left := image.Rect(20, 50, 420, h-40)
	label(img, left.Min.X, left.Min.Y-8, "Ratings (stars)", chartInk)
	counts := make([]int, 5)
	for i := 1; i <= 5; i++ {
		counts[i-1] = st.Histogram[i]
	}
	names := []string{"1", "2", "3", "4", "5"}
	bars(img, left, counts, names)

	// Reviews per day, the last 30 days that had any.
	right := image.Rect(470, 50, w-20, h-40)
	label(img, right.Min.X, right.Min.Y-8, "Reviews per day", chartInk)
	days := st.PerDay
	if len(days) > 30 {
		days = days[len(days)-30:]
	}
	var dc []int
	var dn []string
	for i, d := range days {
		dc = append(dc, d.Count)
		if i == 0 || i == len(days)-1 || len(days) <= 7 {
			dn = append(dn, d.Day.Format("02.01"))
		} else {
			dn = append(dn, "")
		}
	}
	bars(img, right, dc, dn)
	footer := fmt.Sprintf("%d reviews, %d rated, average %.1f of 5, %d with comments", st.Reviews, st.Rated, st.Average, st.Comments)
	label(img, 20, h-12, footer, chartInk)

	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("bot: chart: %w", err)
	}
	return buf.Bytes(), nil
}

// bars draws a bar chart of counts in r, with names under the bars and
// each count over its bar.
func bars(img *image.RGBA, r image.Rectangle, counts []int, names []string) {
	base := r.Max.Y - 16
	hline(img, r.Min.X, r.Max.X, base, chartRule)
	if len(counts) == 0 {
		label(img, r.Min.X+10, r.Min.Y+40, "no reviews yet", chartInk)
		return
	}
	top := 1
	for _, c := range counts {
		top = max(top, c)
	}
	slot := (r.Dx()) / len(counts)
	width := max(slot*2/3, 2)
	for i, c := range counts {
		x := r.Min.X + i*slot + (slot-width)/2
		hgt := (base - r.Min.Y - 16) * c / top
		draw.Draw(img, image.Rect(x, base-hgt, x+width, base), &image.Uniform{chartBar}, image.Point{}, draw.Src)
		if c > 0 && (len(counts) <= 10 || c == top) {
			label(img, x, base-hgt-4, fmt.Sprint(c), chartInk)
		}
		if i < len(names) && names[i] != "" {
			label(img, x, base+14, names[i], chartInk)
		}
	}
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color) {
	for x := x0; x < x1; x++ {
		img.Set(x, y, c)
	}
}

func label(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// asciiOnly keeps what the chart's bitmap font can draw.
func asciiOnly(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 32 && r < 127 {
			out = append(out, r)
		} else {
			out = append(out, '?')
		}
	}
	return string(out)
}
