package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// heraldBin is the herald binary TestMain builds, for the tests that run
// herald as a process (to kill it, for one).
var heraldBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "herald-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "herald tests:", err)
		os.Exit(1)
	}
	heraldBin = filepath.Join(dir, "herald")
	build := exec.Command("go", "build", "-o", heraldBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "herald tests: go build:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// secretToken is the bot token every test that talks to Telegram uses. It
// must never show in herald's output or in its database.
const secretToken = "987654:SeCrEt-Token_must-never-leak-42"

// result is what one herald command did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// lastLine is the last non-empty line of stdout.
func (r result) lastLine() string {
	ls := lines(r.stdout)
	if len(ls) == 0 {
		return ""
	}
	return ls[len(ls)-1]
}

// runHerald runs one herald command in-process, as main would with args,
// with vars as its whole environment.
func runHerald(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return runHeraldCtx(ctx, vars, args...)
}

func runHeraldCtx(ctx context.Context, vars map[string]string, args ...string) result {
	var stdout, stderr syncBuffer
	code := runWith(ctx, vars, &stdout, &stderr, args...)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// runWith runs one herald command in-process, writing to the buffers given,
// so that a test can read them while the command runs.
func runWith(ctx context.Context, vars map[string]string, stdout, stderr *syncBuffer, args ...string) int {
	getenv := func(k string) string { return vars[k] }
	environ := func() []string {
		var out []string
		for k, v := range vars {
			out = append(out, k+"="+v)
		}
		return out
	}
	return run(ctx, &env{args: args, stdin: strings.NewReader(""), stdout: stdout, stderr: stderr, getenv: getenv, environ: environ})
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	r := runHerald(t, vars, args...)
	if r.code != exitOK {
		t.Fatalf("herald %s: %v", strings.Join(args, " "), r)
	}
	return r
}

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newDB returns the path of a fresh database file in the test's directory.
func newDB(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "herald.db")
}

// lines splits s into its non-empty lines, trimmed.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// copyPages copies the named files of testdata/pages into dir (created if
// needed) and returns their new paths.
func copyPages(t *testing.T, dir string, names ...string) []string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "pages", n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// goodPages are the sample pages in testdata/pages that import cleanly,
// with the titles they import under.
var goodPages = map[string]string{
	"council-budget.md": "City council passes a budget with more money for buses",
	"river-flood.txt":   "Flood barriers go up along the river as spring rain continues",
	"tram-line.html":    "A new tram line opens to the airport",
}

func goodPageNames() []string {
	var names []string
	for n := range goodPages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// decodeJSON decodes a command's JSON output into v.
func decodeJSON(t *testing.T, r result, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("output is not the JSON expected: %v\n%v", err, r)
	}
}

// articleJSON is an article as herald articles --json prints it.
type articleJSON struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Language string `json:"language"`
	Title    string `json:"title"`
	Lead     string `json:"lead"`
	Body     string `json:"body"`
}

// queuedPost is a post as herald queue --json prints it.
type queuedPost struct {
	ID          int64      `json:"id"`
	ArticleID   int64      `json:"article_id"`
	Channel     string     `json:"channel"`
	Purpose     string     `json:"purpose"`
	State       string     `json:"state"`
	ScheduledAt time.Time  `json:"scheduled_at"`
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error"`
	MessageID   int64      `json:"message_id"`
	SentAt      *time.Time `json:"sent_at"`
}

// requireKeys fails unless every object in objs has every key.
func requireKeys(t *testing.T, what string, objs []map[string]json.RawMessage, keys ...string) {
	t.Helper()
	for i, o := range objs {
		for _, k := range keys {
			if _, ok := o[k]; !ok {
				t.Errorf("%s %d has no %q field; it has %v", what, i, k, sortedKeys(o))
			}
		}
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// noToken fails when the bot token shows in s.
func noToken(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, secretToken) {
		t.Errorf("the bot token appears in %s", where)
	}
	if _, secret, _ := strings.Cut(secretToken, ":"); strings.Contains(s, secret) {
		t.Errorf("the secret half of the bot token appears in %s", where)
	}
}
