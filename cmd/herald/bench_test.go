package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// tinyBench makes herald bench run every measurement on a token load.
var tinyBench = map[string]string{"HERALD_BENCH_TINY": "1"}

func TestBenchJSONHasEveryFigureBesideItsLimit(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	r := runHeraldCtx(ctx, tinyBench, "bench", "--quick", "--json")
	if r.code != exitOK {
		t.Fatalf("herald bench --quick --json: %v", r)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("the output is no JSON array: %v\n%s", err, r.stdout)
	}
	names := map[string]map[string]any{}
	for _, row := range rows {
		name, _ := row["name"].(string)
		names[name] = row
		for _, key := range []string{"name", "value", "unit", "limit", "ratio"} {
			if _, ok := row[key]; !ok {
				t.Errorf("row %q has no %q: %v", name, key, row)
			}
		}
		if _, ok := row["limit"].(float64); !ok {
			t.Errorf("row %q has no numeric limit: %v", name, row)
		}
	}
	for _, want := range []string{"fan-out makespan", "channel makespan", "fan-out mix makespan", "fan-out mix repeats/losses", "planning 200/20", "sends/s, backlog 2k",
		"CPU/send 2k vs 1k", "out-of-order pairs", "review intake", "lateness p50", "lateness p99",
		"lateness max", "import", "start to ready", "memory idle", "memory peak"} {
		if names[want] == nil {
			t.Errorf("no %q row in %s", want, r.stdout)
		}
	}
	fan := names["fan-out makespan"]
	if _, ok := fan["ratio"].(float64); !ok {
		t.Errorf("the fan-out row has no numeric ratio: %v", fan)
	}
	if n, ok := fan["http_429"].(float64); !ok || n != 0 {
		t.Errorf("the fan-out row should count no 429s: %v", fan)
	}
	for _, name := range []string{"channel makespan", "fan-out mix makespan", "sends/s, backlog 2k"} {
		if n, ok := names[name]["http_429"].(float64); !ok || n != 0 {
			t.Errorf("the %s row should count no 429s: %v", name, names[name])
		}
	}
	if n, ok := names["out-of-order pairs"]["value"].(float64); !ok || n != 0 {
		t.Errorf("posts left a channel out of order: %v", names["out-of-order pairs"])
	}
	if n, ok := names["fan-out mix repeats/losses"]["value"].(float64); !ok || n != 0 {
		t.Errorf("the mixed fan-out sent posts twice or lost them: %v", names["fan-out mix repeats/losses"])
	}
	if mix, _ := names["fan-out mix makespan"]["against"].(string); !strings.Contains(mix, "telegram") ||
		!strings.Contains(mix, "mastodon") || !strings.Contains(mix, "bluesky") {
		t.Errorf("the mixed fan-out row does not give each network's figures: %v", names["fan-out mix makespan"])
	}
	for name, row := range names {
		if _, ok := row["http_429"]; ok && (name == "review intake" || name == "import" || name == "out-of-order pairs" || name == "fan-out mix repeats/losses") {
			t.Errorf("row %q has http_429; it sends nothing", name)
		}
		if _, ok := row["met"].(bool); !ok && name != "import" {
			t.Errorf("row %q has no goal: %v", name, row)
		}
	}
}

func TestBenchPrintsATable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	r := runHeraldCtx(ctx, tinyBench, "bench")
	if r.code != exitOK {
		t.Fatalf("herald bench: %v", r)
	}
	ls := lines(r.stdout)
	if len(ls) != 17 || !strings.HasPrefix(ls[0], "FIGURE") || !strings.Contains(ls[0], "LIMIT") || !strings.Contains(ls[0], "GOAL") {
		t.Fatalf("want a header and 16 rows:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "429s received: 0") {
		t.Errorf("the fan-out row does not say how many 429s came:\n%s", r.stdout)
	}
}

func TestBenchCheckNamesTheRowsThatMissTheirGoals(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	r := runHeraldCtx(ctx, tinyBench, "bench", "--check")
	// A token load cannot meet every goal (the backlog's rate, say, over a
	// window of 300 ms); whichever it misses, --check must name them all
	// and exit 1, and pass only when none is missed.
	missed := strings.Contains(r.stdout, "MISSED")
	switch {
	case missed && r.code != exitFailed:
		t.Fatalf("rows missed their goals but --check exited %d:\n%s", r.code, r.stdout)
	case !missed && r.code != exitOK:
		t.Fatalf("every goal met but --check exited %d: %v", r.code, r)
	}
	for _, l := range lines(r.stdout)[1:] {
		if name := strings.Fields(l)[0]; strings.Contains(l, "MISSED") && !strings.Contains(r.stderr, name) {
			t.Errorf("--check did not name %q: %s", name, r.stderr)
		}
	}
}

func TestBenchRefusesArguments(t *testing.T) {
	if r := runHerald(t, tinyBench, "bench", "extra"); r.code != exitUsage {
		t.Errorf("herald bench extra: %v; want exit %d", r, exitUsage)
	}
}
