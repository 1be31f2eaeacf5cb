package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/store"
)

// storeUpserter adapts *store.Store to ingest.Upserter.
type storeUpserter struct {
	st    *store.Store
	after func(*herald.Article) // called after a new or changed article, e.g. to nudge the watcher
}

func (u storeUpserter) Upsert(ctx context.Context, a *herald.Article) (ingest.Outcome, error) {
	out, err := u.st.UpsertArticle(ctx, a)
	if err != nil {
		return ingest.Failed, err
	}
	if out != store.Unchanged && u.after != nil {
		u.after(a)
	}
	switch out {
	case store.Created:
		return ingest.New, nil
	case store.Updated:
		return ingest.Updated, nil
	}
	return ingest.Unchanged, nil
}

// dbFlag adds --db to fs, defaulting to HERALD_DB (from the environment or
// ./.env), else herald.db. Its help says the default once, as the path
// this run would use.
func dbFlag(e *env, fs *flag.FlagSet) *string {
	def, from := e.getenv("HERALD_DB"), "$HERALD_DB"
	if def == "" {
		if d, _ := readDotEnv(".env"); d["HERALD_DB"] != "" {
			def, from = d["HERALD_DB"], "HERALD_DB in ./.env"
		} else {
			def, from = "herald.db", "neither $HERALD_DB nor HERALD_DB in ./.env is set"
		}
	}
	p := &def
	fs.Var(dbValue{p}, "db", fmt.Sprintf("database `path` (default %s: %s)", def, from))
	return p
}

// dbValue is --db's value. Its String is empty so that the flag package
// does not print the default a second time.
type dbValue struct{ p *string }

func (d dbValue) String() string     { return "" }
func (d dbValue) Set(s string) error { *d.p = s; return nil }

// openStore opens an existing database. A missing file is an error that
// names the path and how to choose another: a typo in --db must not leave
// an empty database behind and report that nothing is there.
func openStore(e *env, path string) (*store.Store, bool) {
	if missingDB(path) {
		fmt.Fprintf(e.stderr, "herald %s: no database at %s: point --db or HERALD_DB at herald's database (herald migrate creates a new one)\n", e.name, path)
		return nil, false
	}
	return openOrCreate(e, path)
}

// createStore opens the database, creating it when it is missing and
// saying so: for the commands that fill one (migrate, run, import, channel
// add, feed add).
func createStore(e *env, path string) (*store.Store, bool) {
	isNew := missingDB(path)
	st, ok := openOrCreate(e, path)
	if ok && isNew {
		fmt.Fprintf(e.stderr, "herald %s: created a new database at %s\n", e.name, path)
	}
	return st, ok
}

func openOrCreate(e *env, path string) (*store.Store, bool) {
	st, err := store.Open(path)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald %s: %v (database %s, set by --db or HERALD_DB)\n", e.name, err, path)
		return nil, false
	}
	return st, true
}

// missingDB reports whether path names a database file that does not
// exist. SQLite URIs and in-memory databases are never missing.
func missingDB(path string) bool {
	if path == "" || strings.HasPrefix(path, "file:") || strings.HasPrefix(path, ":memory:") {
		return false
	}
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

func cmdImport(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "import", "[flags] PATH...\n\nImports article files (.txt, .md, .html, .htm, .json) and directories of\nthem, recursively. Other files (.csv, .rtf, logs), hidden files and\nfolders (.git/) are skipped. Prints one line per skipped or failed file,\nthen a summary: N new, N updated, N unchanged, N skipped, N failed.")
	db := dbFlag(e, fs)
	kind := fs.String("kind", "", "the `kind` of every article: commentary, episode or news (default: detected)")
	lang := fs.String("lang", "", "the `language` of every article: az, en or ru (default: detected)")
	program := fs.String("program", "", "the `program` the articles belong to (default: detected)")
	source := fs.String("source", "file", "the `source` name the articles are filed under")
	var programs []ingest.Program
	fs.Func("program-name", "a program and the names this source's pages use for it, as `'Stored name=Name|Other name'` (repeatable)", func(v string) error {
		p, err := ingest.ParseProgram(v)
		if err == nil {
			programs = append(programs, p)
		}
		return err
	})
	var chrome, sections []string
	fs.Func("chrome", "a `line` this source's pages carry that is not text, e.g. 'Bizi izləyin' (repeatable)", func(v string) error {
		chrome = append(chrome, v)
		return nil
	})
	fs.Func("section", "a section `label` of this source, after which other pieces' teasers follow (repeatable)", func(v string) error {
		sections = append(sections, v)
		return nil
	})
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(e.stderr, "herald import: give at least one file or directory")
		fs.Usage()
		return exitUsage
	}
	if *kind != "" && !herald.Kind(*kind).Valid() {
		fmt.Fprintf(e.stderr, "herald import: --kind %q: want commentary, episode or news\n", *kind)
		return exitUsage
	}
	if *lang != "" && !herald.Language(*lang).Valid() {
		fmt.Fprintf(e.stderr, "herald import: --lang %q: want az, en or ru\n", *lang)
		return exitUsage
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald import: %v\n", err)
		return exitUsage
	}
	zone, err := time.LoadLocation(cfg.Timezone)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald import: HERALD_TIMEZONE %q: %v\n", cfg.Timezone, err)
		return exitUsage
	}
	st, ok := createStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	im := &ingest.Importer{
		Store: storeUpserter{st: st},
		Options: ingest.Options{Source: *source, Kind: herald.Kind(*kind), Language: herald.Language(*lang), Program: *program,
			Programs: programs, Chrome: chrome, Sections: sections, Zone: zone},
	}
	progress := newProgress(e.stderr)
	sum, err := im.ImportPaths(ctx, fs.Args(), func(r ingest.Result) {
		switch {
		case r.Err != nil:
			progress.clear()
			fmt.Fprintf(e.stdout, "failed: %v\n", r.Err)
		case r.Outcome == ingest.Skipped:
			progress.clear()
			fmt.Fprintf(e.stdout, "skipped: %s: %s\n", r.Path, r.Reason)
		}
		progress.tick()
	})
	progress.clear()
	fmt.Fprintln(e.stdout, sum)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald import: %v\n", err)
		return exitFailed
	}
	if sum.Failed > 0 {
		return exitFailed
	}
	return exitOK
}

// progress draws "imported N files" on a terminal, for big batches.
type progress struct {
	w   io.Writer
	on  bool
	n   int
	out bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok {
		return &progress{w: w}
	}
	info, err := f.Stat()
	return &progress{w: w, on: err == nil && info.Mode()&os.ModeCharDevice != 0}
}

func (p *progress) tick() {
	p.n++
	if p.on && p.n%100 == 0 {
		fmt.Fprintf(p.w, "\rimported %d files", p.n)
		p.out = true
	}
}

func (p *progress) clear() {
	if p.out {
		fmt.Fprint(p.w, "\r\033[K")
		p.out = false
	}
}

func cmdArticles(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "articles", "[flags]\n\nLists articles, newest first.")
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON array")
	limit := fs.Int("limit", 50, "at most `n` articles (0: all)")
	kind := fs.String("kind", "", "only articles of this `kind`")
	held := fs.Bool("held", false, "only articles held for an editor (herald will not post them on its own)")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if *kind != "" && !herald.Kind(*kind).Valid() {
		fmt.Fprintf(e.stderr, "herald articles: --kind %q: want commentary, episode or news\n", *kind)
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	arts, err := st.Articles(ctx, store.ArticleFilter{Kind: herald.Kind(*kind), Held: *held, Limit: *limit})
	if err != nil {
		fmt.Fprintf(e.stderr, "herald articles: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		return printJSON(e, nonNilSlice(arts))
	}
	if len(arts) == 0 {
		fmt.Fprintln(e.stdout, "no articles yet: herald import PATH... brings some in")
		return exitOK
	}
	for _, a := range arts {
		fmt.Fprintf(e.stdout, "%5d  %-10s %s  %-36s  %s\n", a.ID, a.Kind, a.Language,
			clk.show(a.PublishedAt, nil), oneLine(a.Title, 70))
		if a.NeedsEditor != "" {
			fmt.Fprintf(e.stdout, "       needs an editor: %s\n", herald.HeldText(a.NeedsEditor))
		}
	}
	return exitOK
}

func cmdArticle(ctx context.Context, e *env) int {
	if len(e.args) > 0 && e.args[0] == "preview" {
		sub := *e
		sub.args = e.args[1:]
		return cmdArticlePreview(ctx, &sub)
	}
	fs := newFlagSet(e, "article", "[flags] ID\n\nShows one article.\n\nherald article preview ID [--channel REF] prints its posts as readers will see them.")
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print JSON")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, reorder(e.args)); !ok {
		return code
	}
	var id int64
	if fs.NArg() != 1 || !parseID(fs.Arg(0), &id) {
		fmt.Fprintln(e.stderr, "herald article: give one article id, e.g. herald article 12")
		return exitUsage
	}
	st, a, ok := openArticle(ctx, e, "article", *db, id)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if *asJSON {
		return printJSON(e, a)
	}
	fmt.Fprintf(e.stdout, "%s\n\n", a.Title)
	fmt.Fprintf(e.stdout, "id %d · %s · %s · %s · published %s\n", a.ID, a.Kind, a.Language, a.Status,
		clk.show(a.PublishedAt, nil))
	if a.AirAt != nil {
		fmt.Fprintf(e.stdout, "airs %s\n", clk.show(*a.AirAt, nil))
	}
	if a.NeedsEditor != "" {
		fmt.Fprintf(e.stdout, "needs an editor: %s (herald will not post it on its own; an editor schedules it with /schedule %d in the bot)\n", herald.HeldText(a.NeedsEditor), a.ID)
	}
	if a.URL != "" {
		fmt.Fprintln(e.stdout, a.URL)
	}
	fmt.Fprintf(e.stdout, "\n%s\n\n%s\n", a.Lead, a.Body)
	return exitOK
}

func cmdMigrate(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "migrate", "[flags]\n\nBrings the database schema up to date. (herald run does this on start too.)")
	db := dbFlag(e, fs)
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	st, ok := createStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	for _, name := range st.Applied() {
		fmt.Fprintf(e.stdout, "applied %s\n", name)
	}
	v, err := st.Version(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald migrate: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "%s is at schema version %d\n", *db, v)
	return exitOK
}

func printJSON(e *env, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(e.stderr, "herald %s: %v\n", e.name, err)
		return exitFailed
	}
	return exitOK
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

// openArticle opens the store at db and reads article id from it, saying
// on stderr, as "herald <cmd>: ...", why it cannot. The caller closes the
// store when ok.
func openArticle(ctx context.Context, e *env, cmd, db string, id int64) (*store.Store, *herald.Article, bool) {
	st, ok := openStore(e, db)
	if !ok {
		return nil, nil, false
	}
	a, err := st.Article(ctx, id)
	if err != nil {
		st.Close()
		fmt.Fprintf(e.stderr, "herald %s: %s\n", cmd, herald.ErrorMessage(err))
		return nil, nil, false
	}
	return st, a, true
}
