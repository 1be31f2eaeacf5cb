package ingest

import (
	"strings"
	"unicode/utf8"
)

// dropTitleRepeats removes paragraphs that repeat the title: the heading
// of the article's text under a title from metadata, or the title again
// at the top of a second copy of the body. A short title ("Yes") is only
// taken for a repeat right at the start.
func dropTitleRepeats(paras []string, title string) []string {
	key := dedupeKey(title)
	out := paras[:0:0]
	for i, p := range paras {
		if dedupeKey(p) == key && (i == 0 || utf8.RuneCountInString(key) >= 15) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// dropFirstIf removes the first paragraph when it repeats lead, as a body
// that begins with its own lead does.
func dropFirstIf(paras []string, lead string) []string {
	if len(paras) > 0 && dedupeKey(paras[0]) == dedupeKey(lead) {
		return paras[1:]
	}
	return paras
}

// dedupe keeps each substantial paragraph once, in the order first seen,
// and drops a repeated run of paragraphs that holds a substantial one, so
// that a body given twice loses its separators too. Short lines that a
// text repeats on purpose ("—", "Yes.") stay.
func dedupe(paras []string) []string {
	keys := make([]string, len(paras))
	big := make([]bool, len(paras))
	for i, p := range paras {
		keys[i] = dedupeKey(p)
		big[i] = utf8.RuneCountInString(keys[i]) > substantial
	}
	var out, kept []string      // kept holds the keys of out
	where := map[string][]int{} // key -> its first few positions in kept
	for i := 0; i < len(paras); i++ {
		k := keys[i]
		// A run worth dropping reaches a substantial paragraph seen before
		// within a few lines; most lines are spared the walk.
		if j := nextBig(big, i, runLookahead); j >= 0 && len(where[keys[j]]) > 0 {
			if n := repeatedRun(keys[i:], big[i:], kept, where[k]); n > 0 {
				i += n - 1
				continue
			}
		}
		if len(where[k]) < 4 {
			where[k] = append(where[k], len(kept))
		}
		out = append(out, paras[i])
		kept = append(kept, k)
	}
	return out
}

// runLookahead is how many short lines a repeated run may start with
// before its first substantial paragraph.
const runLookahead = 8

// nextBig returns the index of the first substantial paragraph at or after
// i and within n of it, or -1.
func nextBig(big []bool, i, n int) int {
	for j := i; j < len(big) && j <= i+n; j++ {
		if big[j] {
			return j
		}
	}
	return -1
}

// repeatedRun returns how many keys at the start of rest repeat, in order,
// a run of kept that starts at one of starts and holds a substantial
// paragraph; 0 when there is none.
func repeatedRun(rest []string, big []bool, kept []string, starts []int) int {
	best := 0
	for _, j := range starts {
		n, hasBig := 0, false
		for n < len(rest) && j+n < len(kept) && rest[n] == kept[j+n] {
			hasBig = hasBig || big[n]
			n++
			if !hasBig && n > runLookahead {
				break
			}
		}
		if hasBig && n > best {
			best = n
		}
	}
	return best
}

// dedupeKey is what two copies of one normalised paragraph share: the
// text without a dateline, in lower case.
func dedupeKey(s string) string {
	if _, rest, ok := parseDateline(s); ok {
		s = strings.TrimSpace(rest)
	}
	// Paragraphs are normalised already: no runs of spaces to fold.
	return strings.ToLower(s)
}
