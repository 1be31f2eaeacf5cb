package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestReadingCommandsDoNotCreateADatabase(t *testing.T) {
	for _, args := range [][]string{
		{"queue"}, {"articles"}, {"article", "1"}, {"audit"}, {"channel", "list"}, {"feed", "list"},
		{"reviews"}, {"post", "cancel", "1"}, {"channel", "set", "x", "--min-gap", "1h"}, {"channel", "remove", "x", "--yes"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "typo.db")
			r := runHerald(t, nil, append(args, "--db", db)...)
			if r.code == exitOK {
				t.Fatalf("herald %s on a missing database succeeded\n%v", args[0], r)
			}
			if !strings.Contains(r.stderr, db) || !strings.Contains(r.stderr, "--db") || !strings.Contains(r.stderr, "HERALD_DB") {
				t.Errorf("the error should name %s, --db and HERALD_DB: %q", db, r.stderr)
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("herald %s created %s", args[0], db)
			}
		})
	}
}

func TestFillingCommandsCreateADatabaseAndSaySo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new.db")
	r := mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1001", "--lang", "en", "--kinds", "news")
	if !strings.Contains(r.stderr, "created a new database at "+db) {
		t.Errorf("channel add on a new path should say it created the database: %v", r)
	}
	r = mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1002", "--title", "Two", "--lang", "en", "--kinds", "news")
	if strings.Contains(r.stderr, "created") {
		t.Errorf("the second channel add should not claim to create the database: %v", r)
	}
}

func TestChannelTitlesAreUniqueAndRemoveKeepsHistory(t *testing.T) {
	db := newDB(t)
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1101", "--title", "Трудный вопрос", "--lang", "ru", "--kinds", "news")
	r := runHerald(t, nil, "channel", "add", "--db", db, "--chat", "-1102", "--title", "трудный ВОПРОС", "--lang", "ru", "--kinds", "news")
	if r.code != exitFailed || !strings.Contains(r.stderr, "#1") {
		t.Errorf("a second channel with the same title (another case) should be refused naming #1\n%v", r)
	}
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1102", "--title", "Dev", "--lang", "en", "--kinds", "news")
	if r := runHerald(t, nil, "channel", "set", "Dev", "--db", db, "--title", "Трудный вопрос"); r.code != exitFailed {
		t.Errorf("renaming onto a title in use should be refused\n%v", r)
	}
	if r := mustRun(t, nil, "channel", "set", "Dev", "--db", db); !strings.Contains(r.stdout, "unchanged") {
		t.Errorf("channel set without flags should say nothing changed: %q", r.stdout)
	}
	if r := mustRun(t, nil, "channel", "set", "Dev", "--db", db, "--lang", "en"); !strings.Contains(r.stdout, "unchanged") {
		t.Errorf("channel set to the values it has should say nothing changed: %q", r.stdout)
	}

	r = runHerald(t, nil, "channel", "remove", "Dev", "--db", db)
	if r.code != exitUsage || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("remove without --yes, not on a terminal: want exit 2 asking for --yes\n%v", r)
	}
	if n := len(listChannels(t, db)); n != 2 {
		t.Fatalf("remove without --yes removed something: %d channels left", n)
	}
	r = mustRun(t, nil, "channel", "remove", "Dev", "--db", db, "--yes")
	if !strings.Contains(r.stdout, "kept") {
		t.Errorf("remove should say the history is kept: %q", r.stdout)
	}
	if n := len(listChannels(t, db)); n != 1 {
		t.Errorf("after remove --yes, %d channels listed, want 1", n)
	}
	if r := mustRun(t, nil, "channel", "list", "--db", db, "--removed"); !strings.Contains(r.stdout, "REMOVED") || !strings.Contains(r.stdout, "Dev") {
		t.Errorf("channel list --removed should show the removed channel:\n%s", r.stdout)
	}
	// The chat comes back with its old id when added again.
	r = mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1102", "--title", "Dev again", "--lang", "en", "--kinds", "news")
	if !strings.Contains(r.stdout, "channel 2 ") {
		t.Errorf("adding a removed chat again should bring channel 2 back: %q", r.stdout)
	}
	mustRun(t, nil, "channel", "remove", "2", "--db", db, "--yes", "--purge")
	if n := len(listChannels(t, db)); n != 1 {
		t.Errorf("after remove --purge, %d channels listed, want 1", n)
	}
	r = mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1102", "--lang", "en", "--kinds", "news")
	if strings.Contains(r.stdout, "Dev again") {
		t.Errorf("a purged channel should not come back with its old settings: %q", r.stdout)
	}
}

func TestVersionFlagAndCompletion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := mustRun(t, nil, args...)
		if !strings.HasPrefix(r.stdout, "herald ") || !strings.Contains(r.stdout, "go1.") {
			t.Errorf("herald %s prints %q, want the version and the Go version", args[0], r.stdout)
		}
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := mustRun(t, nil, "completion", sh)
		for _, want := range []string{"channel", "queue", "db", "remove", "purge"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("completion %s lacks %q", sh, want)
			}
		}
		if sh == "bash" {
			if _, err := exec.LookPath("bash"); err == nil {
				check := exec.Command("bash", "-n")
				check.Stdin = strings.NewReader(r.stdout)
				if out, err := check.CombinedOutput(); err != nil {
					t.Errorf("the bash completion does not parse: %v\n%s", err, out)
				}
			}
		}
	}
	if r := runHerald(t, nil, "completion", "tcsh"); r.code != exitUsage {
		t.Errorf("completion tcsh: want exit 2\n%v", r)
	}
}

func TestEverySubcommandHelpListsItsFlags(t *testing.T) {
	for name := range commands() {
		if subcommands[name] != nil || name == "completion" {
			continue
		}
		r := runHerald(t, nil, name, "--help")
		if r.code != exitOK || !strings.Contains(r.stderr+r.stdout, "usage: herald "+name) {
			t.Errorf("herald %s --help: want exit 0 and a usage line\n%v", name, r)
		}
		if name != "version" && !strings.Contains(r.stderr+r.stdout, "  -") {
			t.Errorf("herald %s --help lists no flags\n%v", name, r)
		}
	}
}

func TestUnknownVariablesAreNamedWithTheNearestKnownOne(t *testing.T) {
	got := unknownKeys(func() []string {
		return []string{"HERALD_LOG_LEVL=debug", "HOME=/root", "TELEGRAM_TOKEN=x", "HERALD_DB=h.db"}
	},
		map[string]string{"HERALD_TIMEZON": "Asia/Baku"})
	want := []string{"HERALD_LOG_LEVL (in the environment)", "HERALD_LOG_LEVEL?", "TELEGRAM_TOKEN (in the environment)", "HERALD_TIMEZON (in ./.env)", "HERALD_TIMEZONE?"}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("unknown keys say\n%s\nwant %q in it", all, w)
		}
	}
	if strings.Contains(all, "HERALD_DB ") || strings.Contains(all, "HOME") {
		t.Errorf("known or foreign variables named:\n%s", all)
	}
}

func TestRunRefusesBeforeStarting(t *testing.T) {
	dir := t.TempDir()
	base := map[string]string{"TELEGRAM_BOT_TOKEN": secretToken, "HERALD_HTTP_ADDR": "127.0.0.1:0"}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for a, b := range base {
			m[a] = b
		}
		return m
	}
	r := runHerald(t, with("HERALD_WEBHOOK_URL", "http://herald.example.org/telegram/webhook"), "run", "--db", filepath.Join(dir, "a.db"))
	if r.code == exitOK || !strings.Contains(r.stderr, "HERALD_WEBHOOK_URL") || !strings.Contains(r.stderr, "https") || !strings.Contains(r.stderr, "TELEGRAM_API_URL") {
		t.Errorf("an http webhook against Telegram's API should stop herald run naming the variable and the fix\n%v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.db")); err == nil {
		t.Errorf("herald run refused the webhook but created the database first")
	}
	if err := checkWebhookURL(&config{WebhookURL: "http://10.0.0.2:8081/hook", APIURL: "http://10.0.0.2:8081"}); err != nil {
		t.Errorf("a self-hosted Bot API server accepts an http webhook, but: %v", err)
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: a read-only file is writable to root, so the read-only case is not tried")
		return
	}
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o755)
	mustRun(t, nil, "migrate", "--db", filepath.Join(ro, "h.db"))
	os.Chmod(filepath.Join(ro, "h.db"), 0o444)
	os.Chmod(ro, 0o555)
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	r = runHerald(t, base, "run", "--db", filepath.Join(ro, "h.db"))
	if r.code == exitOK || !strings.Contains(r.stderr, "not writable") || !strings.Contains(r.stderr, "HERALD_DB") {
		t.Errorf("a read-only database should stop herald run naming HERALD_DB\n%v", r)
	}
}

// TestDemoEditorsAreAnsweredInTheirLanguage runs the demo and reads what
// the bot said to the Azerbaijani and the Russian editor: no English
// words, outside commands, times' zone names and the data (titles).
func TestDemoEditorsAreAnsweredInTheirLanguage(t *testing.T) {
	r := mustRun(t, nil, "demo")
	section := func(start string) []string {
		_, rest, ok := strings.Cut(r.stdout, start)
		if !ok {
			t.Fatalf("the demo has no section %q:\n%s", start, r.stdout)
		}
		rest, _, _ = strings.Cut(rest, "\n== ")
		var said []string
		for _, l := range strings.Split(rest, "\n") {
			if strings.HasPrefix(l, "  bot") || strings.HasPrefix(l, "       ") {
				said = append(said, l)
			}
		}
		return said
	}
	english := regexp.MustCompile(`(?i)\b(the|and|is|of|to|in|at|post|posts|queue|now|cancelled|understand|try|tomorrow|hour|hours|reschedule|cancel|days|reviews)\b`)
	zone := regexp.MustCompile(`\b[A-Z][a-z]+/[A-Za-z_]+\b|\(\+\d+\)|\[[^\]]*#\d+\]`)
	for name, lines := range map[string][]string{
		"az": section("== Editor: Aysel"),
		"ru": section("== Editor: Dmitri"),
	} {
		if len(lines) < 3 {
			t.Errorf("%s: the bot said too little: %q", name, lines)
		}
		for _, l := range lines {
			text := zone.ReplaceAllString(strings.TrimPrefix(strings.TrimSpace(l), "bot (toast):"), " ")
			if w := english.FindAllString(text, -1); len(w) > 0 {
				t.Errorf("%s editor got English %v: %q", name, w, l)
			}
		}
	}
	if !strings.Contains(r.stdout, "Не понимаю «завтро»") || !strings.Contains(r.stdout, "Публикация #") {
		t.Errorf("the Russian editor's exchange is not in the transcript")
	}
}
