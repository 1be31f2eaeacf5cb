package ingest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// listItem matches the start of a list item: "1. ", "2) ", "- ", "• ".
var listItem = regexp.MustCompile(`^(?:\d{1,3}[.)]|[-*+•▪–—])\s`)

// splitBlock splits the lines of one block of text (lines with no blank
// line between them) into paragraphs. Scrapers often put one paragraph on
// each line with no blank line between; hand-written text wraps one
// paragraph over several lines. Which one a block is shows in its line
// lengths: wrapped text has lines of about one width, many going on in
// lower case. In wrapped text a
// paragraph ends at a short line; otherwise each line is a paragraph
// unless the next line plainly continues it (the line ends mid-sentence and
// the next one starts in lower case). Lines that stand alone (list items,
// short lines without punctuation, dates, images, dashes) always do.
func splitBlock(block string) []string {
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	width := 0
	for _, l := range lines {
		width = max(width, utf8.RuneCountInString(l))
	}
	long := 0
	for _, l := range lines[:len(lines)-1] {
		if utf8.RuneCountInString(l)*4 >= width*3 {
			long++
		}
	}
	// Wrapped prose also carries sentences over: many of its lines go on
	// in lower case, which a list of headlines never does.
	lower := 0
	for _, l := range lines[1:] {
		if startsLower(l) {
			lower++
		}
	}
	wrapped := len(lines) >= 3 && width <= 100 && long*2 >= len(lines)-1 && lower*3 >= len(lines)-1
	var out []string
	cur := lines[:1] // the lines of the paragraph being built
	for i := 1; i < len(lines); i++ {
		prev, l := lines[i-1], lines[i]
		brk := ownLine(prev) || ownLine(l)
		if !brk {
			if wrapped {
				brk = utf8.RuneCountInString(prev)*4 < width*3 && !startsLower(l) && !strings.HasSuffix(prev, ",")
			} else {
				brk = endsSentence(prev) || !startsLower(l)
			}
		}
		if brk {
			out = append(out, strings.Join(cur, " "))
			cur = lines[i : i+1]
		} else {
			cur = lines[i-len(cur) : i+1]
		}
	}
	return append(out, strings.Join(cur, " "))
}

// ownLine reports whether a line stands alone whatever surrounds it.
func ownLine(l string) bool {
	if listItem.MatchString(l) {
		return true
	}
	if len(l) > 400 {
		return false // a paragraph of text: no date, image or code is that long
	}
	if imageURL(l) != "" || isDash(l) || agencyCode.MatchString(l) {
		return true
	}
	if utf8.RuneCountInString(l) < 40 && !strings.ContainsAny(l, ".,;") {
		return true
	}
	if _, ok := parseDateLine(l); ok {
		return true
	}
	return isStampLine(l)
}

// endsSentence reports whether a line ends as a sentence or a quotation does.
func endsSentence(l string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(l))
	return strings.ContainsRune(".!?…:»\"”')", r)
}

// startsLower reports whether the first letter of l is lower case.
func startsLower(l string) bool {
	for _, r := range l {
		if unicode.IsLetter(r) {
			return unicode.IsLower(r)
		}
		if unicode.IsDigit(r) {
			return false
		}
	}
	return false
}
