package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/store"
)

func TestImportReportsEveryBadFileAndKeepsTheGoodOnes(t *testing.T) {
	db := newDB(t)
	dir := filepath.Join(t.TempDir(), "pages")
	copyPages(t, dir, append(goodPageNames(), "no-title.md")...)
	huge := []byte(strings.Repeat("A line of perfectly good text that goes on and on.\n", (5<<20)/50+100))
	bad := []struct {
		name   string
		file   string
		data   []byte
		reason string
	}{
		{"an empty file is refused as empty", "empty.txt", nil, "empty"},
		{"a page in Latin-1 is refused as invalid UTF-8", "latin1.txt", []byte("Caf\xe9 prices rise\n\nThe price of coffee went up again in the caf\xe9s of the old town.\n"), "not valid UTF-8"},
		{"a page over 5 MB is refused as too big", "huge.txt", huge, "5 MB"},
		{"a page with no title is refused for it", "no-title.md", nil, "no title"},
	}
	for _, b := range bad {
		if b.file == "no-title.md" {
			continue // copied from testdata
		}
		if err := os.WriteFile(filepath.Join(dir, b.file), b.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	r := runHerald(t, nil, "import", "--db", db, dir)
	if r.code != exitFailed {
		t.Fatalf("import of a batch with bad files: want exit 1\n%v", r)
	}
	if want := fmt.Sprintf("%d new, 0 updated, 0 unchanged, 0 skipped, %d failed", len(goodPages), len(bad)); r.lastLine() != want {
		t.Errorf("summary line is %q, want %q", r.lastLine(), want)
	}
	var failures []string
	for _, l := range lines(r.stdout) {
		if strings.HasPrefix(l, "failed") {
			failures = append(failures, l)
		}
	}
	if len(failures) != len(bad) {
		t.Errorf("want one line per failed file (%d), got %d:\n%s", len(bad), len(failures), strings.Join(failures, "\n"))
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			path := filepath.Join(dir, b.file)
			var found []string
			for _, l := range failures {
				if strings.Contains(l, path+":") {
					found = append(found, l)
				}
			}
			if len(found) != 1 {
				t.Fatalf("want exactly one failure line naming %s, got %d:\n%s", path, len(found), r.stdout)
			}
			if !strings.Contains(found[0], b.reason) {
				t.Errorf("failure line %q does not give the reason %q", found[0], b.reason)
			}
		})
	}

	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &arts)
	var titles []string
	for _, a := range arts {
		titles = append(titles, a.Title)
	}
	sort.Strings(titles)
	var want []string
	for _, title := range goodPages {
		want = append(want, title)
	}
	sort.Strings(want)
	if strings.Join(titles, "\n") != strings.Join(want, "\n") {
		t.Errorf("stored articles are\n%s\nwant the good pages\n%s", strings.Join(titles, "\n"), strings.Join(want, "\n"))
	}
}

func TestImportSkipsWhatIsNotAnArticleAndSaysWhy(t *testing.T) {
	db := newDB(t)
	dir := filepath.Join(t.TempDir(), "pages")
	copyPages(t, dir, goodPageNames()...)
	files := []struct{ name, data, reason string }{
		{"contacts.csv", "name,phone\nRauf,+994501112233\n", ".csv files are not articles"},
		{"photo.jpg", "\xff\xd8\xff\xe0\x00\x10JFIF", ".jpg files are not articles"},
		{"herald.log", "time=12:00 level=INFO msg=started\n", ".log files are not articles"},
		{"memo", "{\\rtf1\\ansi Memo to the desk.\\par}\n", "an RTF document"},
		{"LICENSE", "MIT License\n\nCopyright (c) 2026 The herald authors\n\nPermission is hereby granted, free of charge, to any person obtaining a copy.\n", "without an extension"},
		{"README", "herald\n\nA newsroom distribution bot: it imports articles and posts them to channels.\n", "without an extension"},
		{"herald", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00", "a binary file"},
		{"photo.txt", "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01", "a binary file"},
		{"guests.txt", "name;phone;city\nRauf;1;Baku\nLeyla;2;Ganja\nElnur;3;Quba\n", "a table"},
		{".draft.txt", "Draft\n\nA hidden draft that must never become an article.\n", "a hidden file"},
		{filepath.Join(".git", "COMMIT_EDITMSG"), "Fix typo\n\nA commit message, not an article.\n", "a hidden folder"},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(f.data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := mustRun(t, nil, "import", "--db", db, dir)
	if want := fmt.Sprintf("%d new, 0 updated, 0 unchanged, %d skipped, 0 failed", len(goodPages), len(files)); r.lastLine() != want {
		t.Errorf("summary line is %q, want %q\n%s", r.lastLine(), want, r.stdout)
	}
	for _, f := range files {
		name := f.name
		if strings.HasPrefix(name, ".git") {
			name = ".git" + string(filepath.Separator)
		}
		want := "skipped: " + filepath.Join(dir, name)
		found := false
		for _, l := range lines(r.stdout) {
			found = found || (strings.HasPrefix(l, want) && strings.Contains(l, f.reason))
		}
		if !found {
			t.Errorf("no line %q… giving the reason %q:\n%s", want, f.reason, r.stdout)
		}
	}
	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &arts)
	if len(arts) != len(goodPages) {
		t.Errorf("%d articles stored, want only the %d pages", len(arts), len(goodPages))
	}
}

func TestImportAgainIsUnchangedAndAChangedPageIsUpdated(t *testing.T) {
	db := newDB(t)
	dir := filepath.Join(t.TempDir(), "pages")
	copyPages(t, dir, goodPageNames()...)

	steps := []struct {
		name   string
		change func(t *testing.T)
		want   string
	}{
		{"the first import stores every page", nil, "3 new, 0 updated, 0 unchanged, 0 skipped, 0 failed"},
		{"importing the same pages again changes nothing", nil, "0 new, 0 updated, 3 unchanged, 0 skipped, 0 failed"},
		{"a page changed at the source updates its article", func(t *testing.T) {
			p := filepath.Join(dir, "council-budget.md")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, "\nThe mayor said she would sign the budget on Friday.\n"...)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "0 new, 1 updated, 2 unchanged, 0 skipped, 0 failed"},
		{"the changed page imported again is unchanged", nil, "0 new, 0 updated, 3 unchanged, 0 skipped, 0 failed"},
	}
	for _, s := range steps {
		if s.change != nil {
			s.change(t)
		}
		r := runHerald(t, nil, "import", "--db", db, dir)
		if r.code != exitOK || r.lastLine() != s.want {
			t.Fatalf("%s: want exit 0 and %q\n%v", s.name, s.want, r)
		}
	}
	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &arts)
	if len(arts) != 3 {
		t.Fatalf("want 3 articles after the update, got %d", len(arts))
	}
	for _, a := range arts {
		if a.Title == goodPages["council-budget.md"] && !strings.Contains(a.Body, "sign the budget on Friday") {
			t.Errorf("the updated article's body lacks the new paragraph: %q", a.Body)
		}
	}
}

func TestImportRefusesBadUsage(t *testing.T) {
	page := copyPages(t, t.TempDir(), "river-flood.txt")[0]
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"an unknown --kind names the kinds", []string{"--kind", "gossip", page}, []string{"--kind", `"gossip"`, "commentary, episode or news"}},
		{"an unknown --lang names the languages", []string{"--lang", "fr", page}, []string{"--lang", `"fr"`, "az, en or ru"}},
		{"no path asks for one", nil, []string{"give at least one file or directory"}},
		{"an unknown flag is refused", []string{"--colour", "red", page}, []string{"-colour"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newDB(t)
			r := runHerald(t, nil, append([]string{"import", "--db", db}, tt.args...)...)
			if r.code != exitUsage {
				t.Fatalf("want exit 2\n%v", r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("a refused import created the database")
			}
		})
	}
}

// articleFields are the fields herald articles --json and herald article
// --json print, as the foundation issue lists them.
var articleFields = []string{"id", "source", "external_id", "kind", "language", "title", "lead", "body",
	"program", "people", "url", "image_url", "video_url", "published_at", "air_at", "content_hash",
	"status", "created_at", "updated_at"}

func TestImportTheSeedPageTwice(t *testing.T) {
	seed := filepath.Join("..", "..", "..", "shared", "fixtures", "seed-article.txt")
	if _, err := os.Stat(seed); err != nil {
		t.Skipf("the shared seed page is not here: %v", err)
	}
	db := newDB(t)
	if r := mustRun(t, nil, "import", "--db", db, seed); r.lastLine() != "1 new, 0 updated, 0 unchanged, 0 skipped, 0 failed" {
		t.Errorf("first import: summary %q, want 1 new", r.lastLine())
	}
	if r := mustRun(t, nil, "import", "--db", db, seed); r.lastLine() != "0 new, 0 updated, 1 unchanged, 0 skipped, 0 failed" {
		t.Errorf("second import: summary %q, want 1 unchanged", r.lastLine())
	}

	r := mustRun(t, nil, "articles", "--db", db, "--json")
	var raw []map[string]json.RawMessage
	decodeJSON(t, r, &raw)
	if len(raw) != 1 {
		t.Fatalf("want one article, got %d", len(raw))
	}
	requireKeys(t, "article", raw, articleFields...)
	var arts []articleJSON
	decodeJSON(t, r, &arts)
	a := arts[0]
	if want := "Afterword to Blinken's call. Human rights or other interests?"; strings.Join(strings.Fields(a.Title), " ") != want {
		t.Errorf("title is %q, want %q", a.Title, want)
	}
	if a.Kind != "commentary" || a.Language != "en" {
		t.Errorf("kind/language are %s/%s, want commentary/en", a.Kind, a.Language)
	}
	for _, chrome := range []string{"Leave a review", "Follow us on social networks", "News Line"} {
		if strings.Contains(a.Lead+a.Body, chrome) {
			t.Errorf("site chrome %q is left in the article", chrome)
		}
	}
	for _, k := range []string{"published_at", "created_at", "updated_at"} {
		var s string
		if err := json.Unmarshal(raw[0][k], &s); err != nil {
			t.Errorf("%s is not a string: %s", k, raw[0][k])
			continue
		}
		if ts, err := time.Parse(time.RFC3339, s); err != nil || !strings.HasSuffix(s, "Z") || ts.IsZero() {
			t.Errorf("%s is %q, want an RFC 3339 time in UTC", k, s)
		}
	}

	// herald article ID --json shows the same article.
	one := mustRun(t, nil, "article", fmt.Sprint(a.ID), "--db", db, "--json")
	var single map[string]json.RawMessage
	decodeJSON(t, one, &single)
	requireKeys(t, "article", []map[string]json.RawMessage{single}, articleFields...)
	for _, k := range articleFields {
		if string(single[k]) != string(raw[0][k]) {
			t.Errorf("article %d --json: %s is %s, articles --json says %s", a.ID, k, single[k], raw[0][k])
		}
	}
}

func TestArticleShowsOneArticleOrSaysWhyNot(t *testing.T) {
	db := newDB(t)
	mustRun(t, nil, append([]string{"import", "--db", db}, copyPages(t, t.TempDir(), goodPageNames()...)...)...)
	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json"), &arts)
	id := arts[0].ID

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"an article by id shows its title and text", []string{fmt.Sprint(id)}, exitOK, arts[0].Title, ""},
		{"an id written with # is read", []string{fmt.Sprintf("#%d", id), "--json"}, exitOK, fmt.Sprintf(`"id": %d`, id), ""},
		{"an unknown id is not found", []string{"9999"}, exitFailed, "", "9999"},
		{"an id that is not a number is a usage error", []string{"latest"}, exitUsage, "", "give one article id"},
		{"no id is a usage error", nil, exitUsage, "", "give one article id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runHerald(t, nil, append([]string{"article", "--db", db}, tt.args...)...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, tt.stderr) {
				t.Fatalf("want exit %d, stdout with %q, stderr with %q\n%v", tt.code, tt.stdout, tt.stderr, r)
			}
			if tt.code == exitFailed && !strings.Contains(r.stderr, "not found") {
				t.Errorf("an unknown article should be reported as not found: %q", r.stderr)
			}
		})
	}
}

func TestArticlesListsNewestFirstAndFilters(t *testing.T) {
	db := newDB(t)
	mustRun(t, nil, "migrate", "--db", db)
	r := mustRun(t, nil, "articles", "--db", db)
	if !strings.Contains(r.stdout, "no articles yet") {
		t.Errorf("an empty store should say so: %v", r)
	}
	r = mustRun(t, nil, "articles", "--db", db, "--json")
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("articles --json on an empty store prints %q, want []", r.stdout)
	}
	mustRun(t, nil, append([]string{"import", "--db", db}, copyPages(t, t.TempDir(), goodPageNames()...)...)...)
	var arts []articleJSON
	decodeJSON(t, mustRun(t, nil, "articles", "--db", db, "--json", "--limit", "2"), &arts)
	if len(arts) != 2 {
		t.Errorf("--limit 2 printed %d articles", len(arts))
	}
	if r := runHerald(t, nil, "articles", "--db", db, "--kind", "gossip"); r.code != exitUsage || !strings.Contains(r.stderr, "--kind") {
		t.Errorf("articles --kind gossip: want exit 2 naming --kind\n%v", r)
	}
}

func TestMigrateTwice(t *testing.T) {
	db := newDB(t)
	want := fmt.Sprintf("is at schema version %d", store.SchemaVersion())
	first := mustRun(t, nil, "migrate", "--db", db)
	if !strings.Contains(first.stdout, "applied ") || !strings.Contains(first.stdout, want) {
		t.Errorf("first migrate should list what it applied and the version %d:\n%v", store.SchemaVersion(), first)
	}
	second := mustRun(t, nil, "migrate", "--db", db)
	if strings.Contains(second.stdout, "applied ") || !strings.Contains(second.stdout, want) {
		t.Errorf("second migrate should apply nothing and report version %d:\n%v", store.SchemaVersion(), second)
	}
}

func TestVersion(t *testing.T) {
	r := mustRun(t, nil, "version")
	if !strings.HasPrefix(r.stdout, "herald ") || !strings.Contains(r.stdout, fmt.Sprintf(", schema %d", store.SchemaVersion())) {
		t.Errorf("version prints %q", r.stdout)
	}
}

func TestUnknownCommandsAreUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown command is named", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"no command prints the usage", nil, "usage: herald <command>"},
		{"an unknown channel subcommand is named", []string{"channel", "rename"}, `unknown subcommand "rename"`},
		{"an unknown post action is named", []string{"post", "delay", "1", "--db", filepath.Join(t.TempDir(), "h.db")}, `unknown action "delay"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runHerald(t, nil, tt.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("want exit 2 and %q on stderr\n%v", tt.want, r)
			}
		})
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	_, statErr := os.Stat("herald.db")
	hadDB := statErr == nil
	var cases [][]string
	for name := range commands() {
		cases = append(cases, []string{name, "--help"}, []string{name, "-h"})
	}
	for _, sub := range []string{"add", "set", "list", "remove"} {
		cases = append(cases, []string{"channel", sub, "--help"})
	}
	cases = append(cases, []string{"help"}, []string{"--help"})
	sort.Slice(cases, func(i, j int) bool { return strings.Join(cases[i], " ") < strings.Join(cases[j], " ") })
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// No token, no database: help must need neither.
			r := runHerald(t, nil, args...)
			if r.code != exitOK {
				t.Fatalf("want exit 0\n%v", r)
			}
			if !strings.Contains(r.stdout+r.stderr, "usage: herald") {
				t.Errorf("help shows no usage line\n%v", r)
			}
		})
	}
	if _, err := os.Stat("herald.db"); err == nil && !hadDB {
		t.Errorf("asking for help created herald.db in the working directory")
	}
}
