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
	for _, want := range []string{"fan-out makespan", "review intake", "update throughput", "lateness p50", "lateness p99",
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
	for name, row := range names {
		if _, ok := row["http_429"]; ok && name != "fan-out makespan" {
			t.Errorf("row %q has http_429; only the fan-out row should", name)
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
	if len(ls) != 11 || !strings.HasPrefix(ls[0], "FIGURE") || !strings.Contains(ls[0], "LIMIT") {
		t.Fatalf("want a header and 10 rows:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "429s received: 0") {
		t.Errorf("the fan-out row does not say how many 429s came:\n%s", r.stdout)
	}
}

func TestBenchRefusesArguments(t *testing.T) {
	if r := runHerald(t, tinyBench, "bench", "extra"); r.code != exitUsage {
		t.Errorf("herald bench extra: %v; want exit %d", r, exitUsage)
	}
}
