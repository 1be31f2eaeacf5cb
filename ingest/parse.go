package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/herald-news/herald"
)

// Format is a kind of page that Parse reads.
type Format string

// The formats Parse reads.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatJSON     Format = "json"
)

// Parse reads one page in any supported format (plain text, Markdown with
// optional front matter, HTML, JSON), chosen by the name's extension and,
// failing that, by sniffing the content, and returns the cleaned article.
// It fails with an EInvalid *herald.Error whose message starts with name
// and says why: empty, binary, invalid UTF-8 (with the byte offset), over
// herald.MaxBodyBytes, bad front matter or JSON (with the offset), no
// title, and whatever Clean refuses. It never panics on any input.
func Parse(name string, data []byte, opts Options) (*herald.Article, error) {
	if err := checkInput(data); err != nil {
		return nil, named(name, err)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	var (
		p   Page
		err error
	)
	switch DetectFormat(name, data) {
	case FormatJSON:
		p, err = parseJSON(data)
	case FormatHTML:
		p, err = parseHTML(data)
	case FormatMarkdown:
		p, err = parseMarkdown(string(data))
	default:
		p = parseText(string(data))
	}
	if err != nil {
		return nil, named(name, err)
	}
	a, err := Clean(p, opts)
	if err != nil {
		return nil, named(name, err)
	}
	return a, nil
}

// DetectFormat chooses how to read a page: by the extension of name when
// it is a known one, else by what the content starts with. Plain text is
// the fallback.
func DetectFormat(name string, data []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return FormatText
	case ".md", ".markdown", ".mdown":
		return FormatMarkdown
	case ".html", ".htm", ".xhtml":
		return FormatHTML
	case ".json":
		return FormatJSON
	}
	head := bytes.TrimSpace(data[:min(len(data), 1024)])
	lower := bytes.ToLower(head)
	switch {
	case bytes.HasPrefix(head, []byte("{")):
		return FormatJSON
	case bytes.HasPrefix(head, []byte("---\n")) || bytes.HasPrefix(head, []byte("---\r\n")) || bytes.HasPrefix(head, []byte("# ")):
		return FormatMarkdown
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
		(bytes.HasPrefix(head, []byte("<")) && htmlTag.Match(lower)):
		return FormatHTML
	}
	return FormatText
}

var htmlTag = regexp.MustCompile(`<(p|div|h1|h2|body|head|article|br|title)[\s>/]`)

// checkInput refuses pages that are not text herald can take.
func checkInput(data []byte) error {
	switch {
	case len(data) > herald.MaxBodyBytes:
		return invalid("page is %d bytes, over the %d MB limit", len(data), herald.MaxBodyBytes>>20)
	case len(bytes.TrimSpace(data)) == 0:
		return invalid("page is empty")
	case bytes.IndexByte(data, 0) >= 0:
		return invalid("page is binary: it has NUL bytes at byte %d", bytes.IndexByte(data, 0))
	}
	if !utf8.Valid(data) {
		return invalid("page is not valid UTF-8: bad byte at offset %d", badUTF8(data))
	}
	control := 0
	for _, r := range string(data[:min(len(data), 8192)]) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' {
			control++
		}
	}
	if control > 8 && control*20 > min(len(data), 8192) {
		return invalid("page is binary: too many control characters")
	}
	return nil
}

// badUTF8 returns the offset of the first byte that is not valid UTF-8.
func badUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func invalid(format string, args ...any) error {
	return herald.Errorf(herald.EInvalid, format, args...)
}

// named puts the page's name in front of err's message, keeping its code.
func named(name string, err error) error {
	var e *herald.Error
	if errors.As(err, &e) {
		return &herald.Error{Code: e.Code, Message: name + ": " + e.Error()}
	}
	return fmt.Errorf("%s: %w", name, err)
}

// parseText reads a plain-text page as a scraper saves it: blocks
// separated by blank lines, each split into paragraphs by splitBlock (one
// paragraph a line, or wrapped lines joined), the first line the title.
func parseText(s string) Page {
	var p Page
	var block []string
	flush := func() {
		p.Paragraphs = append(p.Paragraphs, splitBlock(strings.Join(block, "\n"))...)
		block = block[:0]
	}
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		block = append(block, l)
	}
	flush()
	return p
}
