package benchmark_test

import (
	"context"
	"testing"
	"time"

	"github.com/herald-news/herald/internal/benchmark"
	"github.com/herald-news/herald/telegramtest"
)

// BenchmarkFanOut runs issue 4's load: 1,000 posts to 50 channels, all due
// at once, with the fake's limits and herald's scaled ×10. Run it with
// -benchtime=1x: each iteration is a whole run.
func BenchmarkFanOut(b *testing.B) {
	var res benchmark.FanOutResult
	for b.Loop() {
		var err error
		res, err = benchmark.FanOut(b.Context(), benchmark.FanOutConfig{})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.Makespan.Seconds(), "makespan_s")
	b.ReportMetric(res.Minimum.Seconds(), "min_s")
	b.ReportMetric(res.Ratio, "ratio")
	b.ReportMetric(float64(res.HTTP429), "http429")
	b.ReportMetric(float64(res.EarlyRetries), "early_retries")
	b.ReportMetric(float64(res.Sent), "sent")
}

// BenchmarkLateness measures how late posts go out when nothing contends.
func BenchmarkLateness(b *testing.B) {
	var res benchmark.LatenessResult
	for b.Loop() {
		var err error
		res, err = benchmark.Lateness(b.Context(), benchmark.LatenessConfig{})
		if err != nil {
			b.Fatal(err)
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(res.P50), "p50_ms")
	b.ReportMetric(ms(res.P99), "p99_ms")
	b.ReportMetric(ms(res.Max), "max_ms")
	b.ReportMetric(float64(res.HTTP429), "http429")
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestFanOutSendsEveryPostOnceWithoutA429(t *testing.T) {
	const posts, channels = 100, 10
	res, err := benchmark.FanOut(testCtx(t), benchmark.FanOutConfig{Posts: posts, Channels: channels, Scale: 50, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.HTTP429 != 0 || res.EarlyRetries != 0 {
		t.Errorf("the fake served %d 429s and saw %d early retries; want none", res.HTTP429, res.EarlyRetries)
	}
	if res.Sent != posts || res.Delivered != posts || res.Duplicates != 0 {
		t.Errorf("%d posts recorded sent, %d messages in the channels, %d of them repeats; want %d, %d, 0",
			res.Sent, res.Delivered, res.Duplicates, posts, posts)
	}
}

func TestLatenessSendsEveryPostOnce(t *testing.T) {
	const posts = 5
	res, err := benchmark.Lateness(testCtx(t), benchmark.LatenessConfig{Posts: posts, Lead: 200 * time.Millisecond,
		Spacing: 10 * time.Millisecond, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Samples != posts || res.Sent != posts || res.Delivered != posts || res.Duplicates != 0 || res.HTTP429 != 0 {
		t.Errorf("got %+v; want every one of %d posts sent once, no 429", res, posts)
	}
	if res.P50 < 0 || res.P50 > res.P99 || res.P99 > res.Max {
		t.Errorf("percentiles out of order: %+v", res)
	}
}

func TestMinimumMakespanFollowsTheBindingBucket(t *testing.T) {
	l := telegramtest.DefaultLimits()
	tests := []struct {
		name    string
		scale   float64
		perChat []int
		want    time.Duration
	}{
		{"a load within the bursts needs no time", 1, []int{3, 3, 3}, 0},
		{"many channels are bound by the global rate", 10, spread(1000, 50), 3233333333},
		{"twenty in a channel take seventeen seconds: three at once, then one a second", 1, []int{20}, 17 * time.Second},
		{"the twenty-first waits for the first to leave the minute", 1, []int{21}, 60 * time.Second},
		{"fifty in a channel take three minutes' windows", 1, []int{50}, 127 * time.Second},
		{"the busier bound wins", 2, append(spread(40, 2), 50), 63500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := benchmark.MinimumMakespan(l, tt.scale, tt.perChat)
			if d := got - tt.want; d < -time.Microsecond || d > time.Microsecond {
				t.Errorf("MinimumMakespan = %v, want %v", got, tt.want)
			}
		})
	}
}

func spread(n, over int) []int {
	out := make([]int, over)
	for i := range n {
		out[i%over]++
	}
	return out
}
