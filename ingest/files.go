package ingest

import (
	"context"
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
	Failed    Outcome = "failed"
)

// Result is what happened to one file of an import.
type Result struct {
	Path    string
	Article *herald.Article // nil when the file failed
	Outcome Outcome
	Err     error // set when Outcome is Failed; names the file and the reason
}

// Summary counts the outcomes of an import.
type Summary struct {
	New, Updated, Unchanged, Failed int
}

// String renders the summary as herald import prints it.
func (s Summary) String() string {
	return fmt.Sprintf("%d new, %d updated, %d unchanged, %d failed", s.New, s.Updated, s.Unchanged, s.Failed)
}

func (s *Summary) add(o Outcome) {
	switch o {
	case New:
		s.New++
	case Updated:
		s.Updated++
	case Unchanged:
		s.Unchanged++
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
// directory named (recursively, skipping hidden files and folders), in
// lexical order. It calls onResult after each file, when not nil. A file
// that fails is reported and the rest are still imported; only a cancelled
// ctx stops the batch early.
func (im *Importer) ImportPaths(ctx context.Context, paths []string, onResult func(Result)) (Summary, error) {
	var sum Summary
	files, errs := ListFiles(paths)
	for _, err := range errs {
		sum.add(Failed)
		if onResult != nil {
			onResult(Result{Path: pathOf(err), Outcome: Failed, Err: err})
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

// ImportFile imports one file.
func (im *Importer) ImportFile(ctx context.Context, path string) Result {
	a, err := ReadFile(path, im.Options)
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
	return Parse(path, data, opts)
}

// ListFiles expands paths into the files to import: files as given,
// directories walked recursively in lexical order, hidden entries skipped.
// A path that cannot be read is returned as an error naming it.
func ListFiles(paths []string) ([]string, []error) {
	var files []string
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
				return filepath.SkipDir
			case hidden, d.IsDir():
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
	return files, errs
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
