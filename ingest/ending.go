package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cutTeasers finds where the article ends by what follows it, stamped or
// not, and drops everything from there: a "read also" label or one of the
// agency's story codes ("-06В-") ends it outright; a section label or a
// lone dash ends it when only teasers (short headline-like lines, dashes,
// codes, labels) follow; a run of three or more headline-like lines closing
// the page goes too. Markers just above the cut go with it. A body's own
// short lines stay: numbered points, Q&A questions (they end in '?'), a
// list under a line ending in ':', a closing sentence.
func (c *cleaner) cutTeasers(paras []string) []string {
	body := -1 // the first substantial paragraph: nothing above it is cut here
	for i, p := range paras {
		if utf8.RuneCountInString(p) > substantial {
			body = i
			break
		}
	}
	if body < 0 {
		return paras
	}
	for i := body; i < len(paras); i++ {
		p := paras[i]
		if m := codeAtEnd(p); m != nil && (i+1 < len(paras) || i > body) {
			// "…the sides. -06В-": the agency closes its text with the code.
			out := append(paras[:i:i], strings.TrimSpace(p[:m[2]]))
			return c.trimMarks(out)
		}
		if i == body {
			continue
		}
		switch {
		case c.labels.isReadAlso(p) || agencyCode.MatchString(p):
			return c.trimMarks(paras[:i])
		case c.labels.isSection(p) || c.programs.label(p) != "":
			// "Politics", "-", then the other pieces: a label over a list.
			if i+1 < len(paras) && (paras[i+1] == "-" || agencyCode.MatchString(paras[i+1])) || c.teaserTail(paras[i+1:], 0) {
				return c.trimMarks(paras[:i])
			}
		case p == "-":
			// A lone hyphen closing a page is nothing; one before a single
			// short line may be the body's own (a signature). Dashes
			// between short leads are a list of other pieces.
			if c.teaserTail(paras[i+1:], 2) || dashedList(paras[i+1:]) {
				return c.trimMarks(paras[:i])
			}
		}
	}
	// A run of headline-like lines closing the page: other pieces' titles.
	run := 0
	for j := len(paras) - 1; j > body && headlineLike(paras[j]) && !strings.HasSuffix(paras[j], "?"); j-- {
		run++
	}
	if start := len(paras) - run; run >= 3 && !strings.HasSuffix(paras[start-1], ":") {
		return c.trimMarks(paras[:start])
	}
	return c.trimMarks(paras)
}

// codeAtEnd returns trailingCode's match in p, testing the last byte
// first: most paragraphs end in a full stop.
func codeAtEnd(p string) []int {
	if !strings.HasSuffix(p, "-") && !strings.HasSuffix(p, "–") && !strings.HasSuffix(p, "—") {
		return nil
	}
	return trailingCode.FindStringSubmatchIndex(p)
}

// teaserTail reports whether rest holds only what a list of other pieces
// holds, and at least min entries (or a story code).
func (c *cleaner) teaserTail(rest []string, min int) bool {
	code := false
	for _, p := range rest {
		switch {
		case agencyCode.MatchString(p) || isStampLine(firstLine(p)):
			code = true
		case c.isMark(p) || headlineLike(p):
		default:
			return false
		}
	}
	return len(rest) >= min || code
}

// dashedList reports whether rest is a list of other pieces' leads set
// apart by lone hyphens (the site's own separator; a body's own separators
// are "—", "***"): two or more entries, none very long.
func dashedList(rest []string) bool {
	dashes := 0
	for _, p := range rest {
		switch {
		case p == "-":
			dashes++
		case utf8.RuneCountInString(p) > 600:
			return false
		}
	}
	return dashes >= 1 && len(rest) >= 3
}

// isMark reports whether a line is a separator or a label between pieces.
func (c *cleaner) isMark(p string) bool {
	return p == "-" || agencyCode.MatchString(p) || c.labels.isSection(p) ||
		c.labels.isReadAlso(p) || c.programs.label(p) != ""
}

// trimMarks drops separators and labels left at the end of the text.
func (c *cleaner) trimMarks(paras []string) []string {
	for len(paras) > 1 && c.isMark(paras[len(paras)-1]) {
		paras = paras[:len(paras)-1]
	}
	return paras
}

// headlineLike reports whether a paragraph reads as the headline of
// another piece: one short line that does not end as a sentence of text
// does, and is not a list item.
func headlineLike(p string) bool {
	if strings.Contains(p, "\n") || utf8.RuneCountInString(p) > 160 || listItem.MatchString(p) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	if strings.ContainsRune(".:;,…", last) {
		return false
	}
	firstLetter, _ := utf8.DecodeRuneInString(strings.TrimLeft(p, "«\"“'„("))
	return unicode.IsUpper(firstLetter) || unicode.IsDigit(firstLetter)
}
