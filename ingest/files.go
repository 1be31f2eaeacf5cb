package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/herald-news/herald"
)

// Upserter stores an article by (source, external id) and says whether it
// was new, changed or unchanged. *store.Store satisfies it through a small
// adapter in cmd/herald, which keeps this package free of SQL.
type Upserter interface {
	Upsert(ctx context.Context, a *herald.Article) (Outcome, error)
}

// Outcome is what storing one article did.
type Outcome string

// Outcomes of storing one article.
const (
	New       Outcome = "new"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Skipped   Outcome = "skipped" // not an article: another kind of file, or hidden
	Failed    Outcome = "failed"
)

// Result is what happened to one file of an import.
type Result struct {
	Path    string
	Article *herald.Article // nil when the file failed
	Outcome Outcome
	Err     error  // set when Outcome is Failed; names the file and the reason
	Reason  string // set when Outcome is Skipped: why the file is not an article
}

// Summary counts the outcomes of an import.
type Summary struct {
	New, Updated, Unchanged, Skipped, Failed int
}

// String renders the summary as herald import prints it.
func (s Summary) String() string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged, %d skipped, %d failed", s.New, s.Updated, s.Unchanged, s.Skipped, s.Failed)
}

func (s *Summary) add(o Outcome) {
	switch o {
	case New:
		s.New++
	case Updated:
		s.Updated++
	case Unchanged:
		s.Unchanged++
	case Skipped:
		s.Skipped++
	default:
		s.Failed++
	}
}

// Importer reads files, cleans them into articles and stores them.
type Importer struct {
	Store   Upserter
	Options Options
}

// ImportPaths imports every file named, and every file under every
// directory named (recursively), in lexical order. Files that are not
// articles (by extension and content, see Article) and hidden files and
// folders (".draft.txt", ".git/") are skipped and reported with the
// reason. It calls onResult after each file, when not nil. A file that
// fails is reported and the rest are still imported; only a cancelled ctx
// stops the batch early.
func (im *Importer) ImportPaths(ctx context.Context, paths []string, onResult func(Result)) (Summary, error) {
	var sum Summary
	files, skipped, errs := listFiles(paths)
	for _, err := range errs {
		sum.add(Failed)
		if onResult != nil {
			onResult(Result{Path: pathOf(err), Outcome: Failed, Err: err})
		}
	}
	for _, r := range skipped {
		sum.add(Skipped)
		if onResult != nil {
			onResult(r)
		}
	}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		r := im.ImportFile(ctx, f)
		sum.add(r.Outcome)
		if onResult != nil {
			onResult(r)
		}
	}
	return sum, nil
}

// ImportFile imports one file, or skips it when it is not an article.
func (im *Importer) ImportFile(ctx context.Context, path string) Result {
	a, err := ReadFile(path, im.Options)
	var skip *notArticle
	if errors.As(err, &skip) {
		return Result{Path: path, Outcome: Skipped, Reason: skip.reason}
	}
	if err != nil {
		return Result{Path: path, Outcome: Failed, Err: err}
	}
	out, err := im.Store.Upsert(ctx, a)
	if err != nil {
		return Result{Path: path, Outcome: Failed, Err: fmt.Errorf("%s: %w", path, err)}
	}
	return Result{Path: path, Article: a, Outcome: out}
}

// ReadFile reads and parses one file, refusing files over
// herald.MaxBodyBytes before reading them whole.
func ReadFile(path string, opts Options) (*herald.Article, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, herald.MaxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPathError(err))
	}
	if len(data) > herald.MaxBodyBytes {
		return nil, &herald.Error{Code: herald.EInvalid, Message: fmt.Sprintf("%s: file is over %d MB", path, herald.MaxBodyBytes>>20)}
	}
	if why := notAnArticle(path, data); why != "" {
		return nil, &notArticle{path: path, reason: why}
	}
	return Parse(path, data, opts)
}

// ListFiles expands paths into the files to import: files as given,
// directories walked recursively in lexical order, hidden entries skipped.
// A path that cannot be read is returned as an error naming it.
func ListFiles(paths []string) ([]string, []error) {
	files, _, errs := listFiles(paths)
	return files, errs
}

// listFiles is ListFiles that also returns the hidden entries it skipped:
// a hidden folder once, not each file in it.
func listFiles(paths []string) ([]string, []Result, []error) {
	var files []string
	var skipped []Result
	var errs []error
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &fs.PathError{Op: "import", Path: p, Err: unwrapPathError(err)})
			continue
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				errs = append(errs, &fs.PathError{Op: "import", Path: path, Err: unwrapPathError(err)})
				return nil
			}
			hidden := strings.HasPrefix(d.Name(), ".") && path != p
			switch {
			case hidden && d.IsDir():
				skipped = append(skipped, Result{Path: path + string(filepath.Separator), Outcome: Skipped, Reason: "a hidden folder"})
				return filepath.SkipDir
			case hidden:
				skipped = append(skipped, Result{Path: path, Outcome: Skipped, Reason: "a hidden file"})
				return nil
			case d.IsDir():
				return nil
			}
			found = append(found, path)
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, skipped, errs
}

// articleExts are the file extensions of pages herald imports.
var articleExts = map[string]bool{
	".txt": true, ".text": true, ".md": true, ".markdown": true, ".mdown": true,
	".html": true, ".htm": true, ".xhtml": true, ".json": true,
}

// notArticle is the error of a file that is not an article at all, which
// an import skips rather than fails.
type notArticle struct{ path, reason string }

func (e *notArticle) Error() string { return e.path + ": skipped: " + e.reason }

// notAnArticle says why a file is not an article page, or "" when it may
// be one: its extension is not a page's (.csv, .rtf, .log, .pdf), or its
// content is another kind of document whatever its name (RTF, a PDF, a
// table of comma- or tab-separated values, a binary). A file without an
// extension (LICENSE, README, a program) is skipped too unless its content
// clearly is a page: an HTML document, a JSON object, or Markdown with a
// front matter title.
func notAnArticle(path string, data []byte) string {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != "" && !articleExts[ext] {
		return fmt.Sprintf("%s files are not articles (herald imports .txt .md .html .htm .json)", ext)
	}
	head := bytes.TrimSpace(data[:min(len(data), 4096)])
	if isBinary(data) {
		return "a binary file, not an article"
	}
	switch {
	case bytes.HasPrefix(head, []byte(`{\rtf`)):
		return "an RTF document, not an article"
	case bytes.HasPrefix(head, []byte("%PDF")):
		return "a PDF document, not an article"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a ZIP archive (or an office document), not an article"
	}
	if ext == "" && !clearlyPage(data, head) {
		return "a file without an extension that is not an HTML, JSON or front-matter Markdown page (herald imports .txt .md .html .htm .json)"
	}
	if ext != ".json" && ext != ".html" && ext != ".htm" && ext != ".xhtml" && isTable(head) {
		return "a table of separated values, not an article"
	}
	return ""
}

// isBinary reports whether data is not text: it has NUL bytes, or many
// control characters near its start (as checkInput judges a page).
func isBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	control, n := 0, min(len(data), 8192)
	for _, b := range data[:n] {
		if b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f' {
			control++
		}
	}
	return control > 8 && control*20 > n
}

// clearlyPage reports whether a file without an extension is a page by
// its content alone: an HTML document, a JSON object, or Markdown opening
// with front matter that has a title.
func clearlyPage(data, head []byte) bool {
	lower := bytes.ToLower(head[:min(len(head), 64)])
	switch {
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")):
		return true
	case bytes.HasPrefix(head, []byte("{")):
		return json.Valid(data)
	case bytes.HasPrefix(head, []byte("---\n")), bytes.HasPrefix(head, []byte("---\r\n")):
		fm, _, _ := bytes.Cut(head[3:], []byte("\n---"))
		for _, l := range bytes.Split(fm, []byte("\n")) {
			if bytes.HasPrefix(bytes.TrimSpace(l), []byte("title:")) {
				return true
			}
		}
	}
	return false
}

// isTable reports whether text reads as CSV or TSV: lines that each have
// the same number of commas, semicolons or tabs (three lines with two or
// more each, or five lines with one), which prose does not.
func isTable(head []byte) bool {
	lines := strings.Split(strings.TrimSpace(string(head)), "\n")
	if len(lines) > 20 {
		lines = lines[:20]
	}
	if len(lines) < 3 {
		return false
	}
	for _, sep := range []string{",", ";", "\t"} {
		n := strings.Count(lines[0], sep)
		same := n >= 2 || (n == 1 && len(lines) >= 5)
		for _, l := range lines[1:] {
			if strings.Count(l, sep) != n {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func pathOf(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path
	}
	return ""
}
