package benchmark

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// BenchmarkThroughput polls 10,000 readers' comments from the fake and
// handles them as herald run does. Run it with -benchtime=1x.
func BenchmarkIntake(b *testing.B) {
	var res IntakeResult
	for b.Loop() {
		var err error
		res, err = Intake(b.Context(), IntakeConfig{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.PathRate, "reviews/s")
	b.ReportMetric(res.InsertRate, "inserts/s")
	b.ReportMetric(res.Ratio, "ratio")
}

func BenchmarkThroughput(b *testing.B) {
	var res ThroughputResult
	for b.Loop() {
		var err error
		res, err = Throughput(b.Context(), ThroughputConfig{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.Rate, "updates/s")
	b.ReportMetric(res.Startup.Seconds()*1000, "startup_ms")
}

func TestIntakeStoresEveryComment(t *testing.T) {
	res, err := Intake(ctxFor(t), IntakeConfig{Reviews: 30, Chunk: 7, Groups: 3, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 30 || res.PathRate <= 0 || res.InsertRate <= 0 {
		t.Errorf("got %+v; want 30 reviews stored and both rates measured", res)
	}
}

func TestThroughputHandlesEveryPolledUpdate(t *testing.T) {
	res, err := Throughput(ctxFor(t), ThroughputConfig{Updates: 50, Groups: 3, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Routed != 50 || res.Stored != 50 || res.Rate <= 0 {
		t.Errorf("got %+v; want 50 updates routed and stored", res)
	}
}

func TestImportMakesANewArticleOfEveryPage(t *testing.T) {
	res, err := Import(ctxFor(t), ImportConfig{Pages: 25, Chunk: 10, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 25 || res.Rate <= 0 || res.StoreRate <= 0 {
		t.Errorf("got %+v; want 25 new articles and both rates measured", res)
	}
}

func TestParseStatusReadsResidentAndPeakSizes(t *testing.T) {
	raw := []byte("Name:\therald\nVmPeak:\t 1000000 kB\nVmHWM:\t   40960 kB\nVmRSS:\t   20480 kB\nThreads:\t9\n")
	m, err := parseStatus(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 20<<20 || m.Peak != 40<<20 {
		t.Errorf("got %+v; want 20 MiB now and 40 MiB at the peak", m)
	}
	if _, err := parseStatus([]byte("Name:\therald\n")); err == nil {
		t.Error("a status without the figures was read without an error")
	}
}

func TestRowsPrintEachFigureBesideItsLimit(t *testing.T) {
	n := 0
	fan := NewRow("fan-out makespan", 3.3, "s", 3.0, "the minimum")
	fan.HTTP429 = &n
	rows := []Row{fan, NARow("memory idle", "MiB", 64, "n/a: not Linux")}
	var js bytes.Buffer
	if err := WriteJSON(&js, rows); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, js.String())
	}
	if len(got) != 2 || got[0]["ratio"] != 1.1 || got[0]["http_429"] != 0.0 || got[0]["limit"] != 3.0 {
		t.Errorf("fan-out row: %v", got[0])
	}
	if v, ok := got[1]["value"]; !ok || v != nil || got[1]["ratio"] != nil {
		t.Errorf("an n/a row should have null value and ratio: %v", got[1])
	}
	if _, ok := got[1]["http_429"]; ok {
		t.Errorf("only the fan-out row has http_429: %v", got[1])
	}
	var tab bytes.Buffer
	if err := WriteTable(&tab, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"3.300 s", "3.000 s", "1.100", "429s received: 0", "n/a"} {
		if !strings.Contains(tab.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, tab.String())
		}
	}
}

func TestFormatNumberKeepsWhatMatters(t *testing.T) {
	for v, want := range map[float64]string{3.3412: "3.341", 11.52: "11.5", 971.4: "971", 9614.2: "9,614", 1234567: "1,234,567"} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestCheckNamesEveryRowThatMissesItsGoal(t *testing.T) {
	none, some := 0, 2
	fan := NewRow("fan-out makespan", 3.3, "s", 3.0, "").WithGoal(AtMost(1.10))
	fan.HTTP429 = &none
	slow := NewRow("channel makespan", 140, "s", 127, "").WithGoal(AtMost(1.10))
	flooded := NewRow("fan-out again", 3.1, "s", 3.0, "").WithGoal(AtMost(1.10))
	flooded.HTTP429 = &some
	intake := NewRow("review intake", 4000, "reviews/s", 9000, "").WithGoal(AtLeast(0.5))
	order := NewRow("out-of-order pairs", 0, "pairs", 0, "").WithGoal(AtMost(1))
	free := NewRow("import", 900, "articles/s", 6000, "")
	rows := []Row{fan, slow, flooded, intake, order, free}
	want := map[string]bool{"fan-out makespan": true, "channel makespan": false, "fan-out again": false,
		"review intake": false, "out-of-order pairs": true, "import": true}
	for _, r := range rows {
		if r.Met() != want[r.Name] {
			t.Errorf("%s: met = %v, want %v", r.Name, r.Met(), want[r.Name])
		}
	}
	got := Missed(rows)
	for _, name := range []string{"channel makespan", "fan-out again", "review intake", "2 429s"} {
		if !strings.Contains(got, name) {
			t.Errorf("Missed does not name %q: %s", name, got)
		}
	}
	if strings.Contains(got, "import") || strings.Contains(got, "out-of-order") || Missed(rows[:1]) != "" {
		t.Errorf("Missed names a row that met its goal: %s", got)
	}
}
