package bot

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
	"golang.org/x/image/font/sfnt"
)

// TestChartDrawsEveryLetterInEachLanguage renders the stats chart for
// Azerbaijani and Russian editors, on a program whose name has ə and
// Cyrillic letters, and checks that the embedded font has a glyph for
// every rune drawn, and that the chart is a PNG of the promised size.
func TestChartDrawsEveryLetterInEachLanguage(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	st := &store.ReviewStats{Reviews: 7, Rated: 6, Average: 3.8, Comments: 4, Histogram: [6]int{0, 1, 0, 1, 2, 2},
		PerDay: []store.DayCount{{Day: now.AddDate(0, 0, -9), Count: 3}, {Day: now.AddDate(0, 0, -2), Count: 4}}}
	f, err := sfnt.Parse(dejavusans.TTF)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, c := range []Chart{
		{Lang: herald.LangAzerbaijani, Scope: "Çətin sual · 30 gün", From: now.AddDate(0, 0, -30), To: now},
		{Lang: herald.LangRussian, Scope: "Трудный вопрос · 30 дней", From: now.AddDate(0, 0, -30), To: now},
		{Lang: herald.LangEnglish, Scope: "Difficult Question", To: now},
	} {
		t.Run(string(c.Lang), func(t *testing.T) {
			out, drawn, err := drawChart(st, c)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("the chart is not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() != 1000 || b.Dy() != 450 {
				t.Errorf("the chart is %v, want 1000×450", b.Size())
			}
			if len(drawn) < 8 {
				t.Fatalf("only %d texts drawn: %q", len(drawn), drawn)
			}
			for _, s := range drawn {
				for _, r := range s {
					if r == ' ' {
						continue
					}
					if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
						t.Errorf("the chart font has no glyph for %q (in %q)", r, s)
					}
				}
			}
			if c.Lang != herald.LangEnglish && !contains(drawn, tr(c.Lang, msgChartPerDay)) {
				t.Errorf("the chart's titles are not in %s: %q", c.Lang, drawn)
			}
			if !inkIn(img) {
				t.Errorf("the chart is blank")
			}
		})
	}
}

// TestChartShowsDaysWithoutReviewsAsZero checks the per-day axis: every
// day of the range, zero where nobody wrote.
func TestChartShowsDaysWithoutReviewsAsZero(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	per := []store.DayCount{{Day: now.AddDate(0, 0, -6), Count: 3}, {Day: now.AddDate(0, 0, -2), Count: 4}}
	days, counts := everyDay(per, now.AddDate(0, 0, -6), now)
	if len(days) != 7 {
		t.Fatalf("%d days from -6 to today, want 7", len(days))
	}
	want := []float64{3, 0, 0, 0, 4, 0, 0}
	for i := range want {
		if counts[i] != want[i] {
			t.Errorf("day %s: %v reviews, want %v", days[i].Format("02.01"), counts[i], want[i])
		}
	}
	if days, _ := everyDay(per, now.AddDate(-10, 0, 0), now); len(days) != chartMaxDays {
		t.Errorf("ten years of days gave %d bars, want the last %d", len(days), chartMaxDays)
	}
	if days, _ := everyDay(nil, time.Time{}, now); len(days) != 1 {
		t.Errorf("no reviews at all: %d days, want today alone", len(days))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// inkIn reports whether img has any pixel that is not white.
func inkIn(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			if r, g, bl, _ := img.At(x, y).RGBA(); r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				return true
			}
		}
	}
	return false
}
