package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/herald-news/herald/internal/benchmark"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

const benchHelp = `Measures herald in one run, each figure beside the limit it is held to:
fan-out makespan over the least the fake's flood limits allow (and 429s),
review intake through the real handler over a plain INSERT loop, update
throughput from getUpdates to handled, scheduling lateness, import rate,
resident memory and the time from start to ready. Everything runs
in-process against telegramtest on 127.0.0.1, in temporary directories
removed afterwards. docs/BENCHMARKS.md explains each row.
`

// benchSizes is how big each measurement of herald bench is.
type benchSizes struct {
	fanPosts, fanChannels int
	fanScale              float64
	latePosts             int
	lateLead, lateSpacing time.Duration
	reviews, reviewChunk  int
	updates               int
	pages, pageChunk      int
}

// Sizes: the full run carries the issues' loads; --quick is for CI, well
// within a minute; tiny (HERALD_BENCH_TINY=1, for herald's own tests) only
// checks that every measurement runs. The fan-out keeps its 1,000 posts in
// --quick, since a shorter makespan would let the fixed costs of a run
// weigh on the ratio, but runs at ×5 rather than ×10: half the sends a
// second, so that a CI runner shared with other jobs can keep up.
var (
	benchFull  = benchSizes{1000, 50, 10, 200, 500 * time.Millisecond, 20 * time.Millisecond, 10_000, 1000, 10_000, 10_000, 1000}
	benchQuick = benchSizes{1000, 50, 5, 100, 500 * time.Millisecond, 20 * time.Millisecond, 2000, 500, 2000, 1000, 250}
	benchTiny  = benchSizes{60, 6, 50, 5, 200 * time.Millisecond, 10 * time.Millisecond, 40, 20, 40, 12, 6}
)

// Goals that no issue sets, chosen in docs/BENCHMARKS.md.
const (
	latenessGoal   = 1000.0 // ms: a post goes out within a second of its time
	readyGoal      = 1000.0 // ms: from start to ready
	idleMemoryGoal = 64.0   // MiB resident while idle
	peakMemoryGoal = 256.0  // MiB resident at the peak of the whole run
)

func cmdBench(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "bench", "[--quick] [--json]\n\n"+benchHelp)
	quick := fs.Bool("quick", false, "small loads, for CI: finishes within a minute")
	asJSON := fs.Bool("json", false, "print a JSON array of rows {name, value, unit, limit, ratio, against}; the fan-out row also has http_429")
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "herald bench: unexpected arguments: %v\n", fs.Args())
		return exitUsage
	}
	sz := benchFull
	switch {
	case e.getenv("HERALD_BENCH_TINY") == "1":
		sz = benchTiny
	case *quick:
		sz = benchQuick
	}
	rows, err := bench(ctx, sz, e.stderr)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald bench: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		err = benchmark.WriteJSON(e.stdout, rows)
	} else {
		err = benchmark.WriteTable(e.stdout, rows)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald bench: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// bench runs every measurement in turn, reporting progress to progress,
// and returns the rows. Start to ready comes first, so that the idle
// memory is read before any load has grown the heap.
func bench(ctx context.Context, sz benchSizes, progress io.Writer) ([]benchmark.Row, error) {
	step := func(name string) func() {
		runtime.GC() // no measurement pays for the garbage of the one before
		fmt.Fprintf(progress, "bench: %s…", name)
		start := time.Now()
		return func() { fmt.Fprintf(progress, " %s\n", time.Since(start).Round(time.Millisecond)) }
	}
	var rows []benchmark.Row

	done := step("start to ready")
	ready, idle, memErr, err := startToReady(ctx)
	if err != nil {
		return nil, fmt.Errorf("start to ready: %w", err)
	}
	done()

	done = step(fmt.Sprintf("fan-out of %d posts to %d channels", sz.fanPosts, sz.fanChannels))
	fan, err := benchmark.FanOut(ctx, benchmark.FanOutConfig{Posts: sz.fanPosts, Channels: sz.fanChannels, Scale: sz.fanScale})
	if err != nil {
		return nil, err
	}
	done()
	r := benchmark.NewRow("fan-out makespan", fan.Makespan.Seconds(), "s", fan.Minimum.Seconds(),
		fmt.Sprintf("least the fake's limits allow: %d posts to %d channels, time ×%g; sent %d, repeats %d",
			fan.Posts, fan.Channels, fan.Scale, fan.Sent, fan.Duplicates))
	r.HTTP429 = &fan.HTTP429
	rows = append(rows, r)

	done = step(fmt.Sprintf("review intake of %d comments", sz.reviews))
	in, err := benchmark.Intake(ctx, benchmark.IntakeConfig{Reviews: sz.reviews, Chunk: sz.reviewChunk})
	if err != nil {
		return nil, err
	}
	done()
	rows = append(rows, benchmark.NewRow("review intake", in.PathRate, "reviews/s", in.InsertRate,
		fmt.Sprintf("plain INSERT loop, same rows, same run (goal: ratio ≥ 0.5); %d reviews", in.Reviews)))

	done = step(fmt.Sprintf("update throughput of %d updates", sz.updates))
	tp, err := benchmark.Throughput(ctx, benchmark.ThroughputConfig{Updates: sz.updates})
	if err != nil {
		return nil, err
	}
	done()
	rows = append(rows, benchmark.NewRow("update throughput", tp.Rate, "updates/s", in.PathRate,
		fmt.Sprintf("the handler called directly (review intake); %d updates polled from the fake", tp.Updates)))

	done = step(fmt.Sprintf("scheduling lateness of %d posts", sz.latePosts))
	late, err := benchmark.Lateness(ctx, benchmark.LatenessConfig{Posts: sz.latePosts, Lead: sz.lateLead, Spacing: sz.lateSpacing})
	if err != nil {
		return nil, err
	}
	done()
	against := fmt.Sprintf("goal: out within a second; %d posts, nothing contending", late.Samples)
	for _, p := range []struct {
		name string
		d    time.Duration
	}{{"lateness p50", late.P50}, {"lateness p99", late.P99}, {"lateness max", late.Max}} {
		rows = append(rows, benchmark.NewRow(p.name, float64(p.d)/float64(time.Millisecond), "ms", latenessGoal, against))
	}

	done = step(fmt.Sprintf("import of %d pages", sz.pages))
	im, err := benchmark.Import(ctx, benchmark.ImportConfig{Pages: sz.pages, Chunk: sz.pageChunk})
	if err != nil {
		return nil, err
	}
	done()
	rows = append(rows, benchmark.NewRow("import", im.Rate, "articles/s", im.StoreRate,
		fmt.Sprintf("storing the same articles, already made (store.UpsertArticle); %d pages", im.Pages)))

	rows = append(rows, benchmark.NewRow("start to ready", float64(ready)/float64(time.Millisecond), "ms", readyGoal,
		"goal: a second; open and migrate the store, connect (getMe), poll, /readyz 200"))
	peak, peakErr := benchmark.ReadMemory()
	const mib = 1 << 20
	if memErr == nil && peakErr == nil {
		rows = append(rows,
			benchmark.NewRow("memory idle", float64(idle.RSS)/mib, "MiB", idleMemoryGoal, "goal; RSS of the ready app before any load (VmRSS)"),
			benchmark.NewRow("memory peak", float64(peak.Peak)/mib, "MiB", peakMemoryGoal, "goal; the whole run's peak RSS, fakes included (VmHWM)"))
	} else {
		why := "n/a: " + errors.Join(memErr, peakErr).Error()
		rows = append(rows, benchmark.NARow("memory idle", "MiB", idleMemoryGoal, why), benchmark.NARow("memory peak", "MiB", peakMemoryGoal, why))
	}
	return rows, nil
}

// startToReady starts herald as herald run does (store opened and
// migrated in a temporary directory, the app built, which connects with
// getMe, every part started, the HTTP server on 127.0.0.1) against a
// telegramtest fake already running, and measures until the bot is long
// polling and /readyz answers 200. It then reads the resident memory of
// the ready, idle app (memErr says why it could not). The app is stopped
// and the directory removed before it returns.
func startToReady(ctx context.Context) (ready time.Duration, idle benchmark.Memory, memErr, err error) {
	dir, err := os.MkdirTemp("", "herald-bench-ready-")
	if err != nil {
		return 0, idle, nil, err
	}
	defer os.RemoveAll(dir)
	fake := telegramtest.NewServer()
	defer fake.Close()
	cfg := benchConfig(fake)
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	start := time.Now()
	st, err := store.Open(filepath.Join(dir, "ready.db"))
	if err != nil {
		return 0, idle, nil, err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, idle, nil, err
	}
	a, err := newApp(ctx, cfg, st, slog.New(slog.DiscardHandler))
	if err != nil {
		ln.Close()
		return 0, idle, nil, err
	}
	actx, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- a.run(actx, ln) }()
	defer func() {
		stop()
		<-errc
	}()
	if err := fake.WaitUntil(ctx, fake.PollWaiting); err != nil {
		return 0, idle, nil, fmt.Errorf("the bot did not start polling: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ln.Addr().String()+"/readyz", nil)
	if err != nil {
		return 0, idle, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, idle, nil, fmt.Errorf("/readyz: %w", err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, idle, nil, fmt.Errorf("/readyz answered %s", resp.Status)
	}
	ready = time.Since(start)
	idle, memErr = benchmark.ReadMemory()
	return ready, idle, memErr, nil
}

// benchConfig is herald's default configuration pointed at fake, with no
// digest and no .env or environment read: the bench measures herald as
// shipped.
func benchConfig(fake *telegramtest.Server) *config {
	vals := map[string]string{"TELEGRAM_BOT_TOKEN": fake.Token(), "TELEGRAM_API_URL": fake.URL(),
		"HERALD_HTTP_ADDR": "127.0.0.1:0", "HERALD_DIGEST": "off"}
	c := &config{}
	for _, v := range configVars() {
		val := vals[v.name]
		if val == "" {
			val = v.def
		}
		if val != "" {
			v.set(c, val) // the defaults and the values above are valid
		}
	}
	return c
}
