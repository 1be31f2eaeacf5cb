package herald

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A channel's filters decide which of the articles it would take by kind
// and language it really takes: one that matches at least one include rule
// (when there are any) and no exclude rule.
//
// A rule is written [FIELD:]PATTERN:
//   - FIELD is title, body (the lead and the body), program, people or tags
//     (the article's #hashtags and its program's); without one, a rule
//     looks at all of them.
//   - PATTERN is words or a phrase, matched whole-word and case- and
//     diacritic-insensitively in any language ("Əliyev" matches "eliyev",
//     "ЁЛКА" matches "елка"); a word ending in * matches any word it starts
//     ("əliyev*" matches "Əliyevin"), for languages that add endings.
//   - re:PATTERN is a regular expression in Go's syntax (RE2: linear time,
//     whatever the text), matched case-insensitively against the field as
//     written and as folded; at most MaxRulePattern bytes.

// Filter limits, so that a channel's rules stay something a person reads.
const (
	MaxRulePattern = 200 // bytes in one rule's pattern
	MaxRules       = 50  // include plus exclude rules on one channel
)

// Fields a filter rule may look at.
const (
	FieldTitle   = "title"
	FieldBody    = "body"
	FieldProgram = "program"
	FieldPeople  = "people"
	FieldTags    = "tags"
)

// FilterFields lists the fields rules look at, in the order they are tried.
var FilterFields = []string{FieldTitle, FieldBody, FieldProgram, FieldPeople, FieldTags}

// Rule is one include or exclude rule, parsed.
type Rule struct {
	Source string // as the editor wrote it, e.g. "title:Əliyev"
	Field  string // "" for every field
	words  [][]string
	re     *regexp.Regexp
}

// ParseRule reads one rule ([FIELD:]words, [FIELD:]re:EXPR). It fails with
// an EInvalid error naming what is wrong: an unknown field, an empty
// pattern, one that is too long, or a regular expression that does not
// compile.
func ParseRule(s string) (*Rule, error) {
	src := strings.TrimSpace(s)
	r := &Rule{Source: src}
	rest := src
	if f, after, ok := strings.Cut(rest, ":"); ok {
		switch lf := strings.ToLower(strings.TrimSpace(f)); lf {
		case FieldTitle, FieldBody, FieldProgram, FieldPeople, FieldTags:
			r.Field, rest = lf, after
		case "re":
		default:
			if !strings.Contains(f, " ") && f != "" && !strings.ContainsAny(after, " ") && isIdent(f) {
				return nil, FieldError("filter", "rule %q: unknown field %q; want title, body, program, people or tags (or re: for a regular expression)", src, f)
			}
		}
	}
	rest = strings.TrimSpace(rest)
	if len(rest) > MaxRulePattern+3 {
		return nil, FieldError("filter", "rule %q is %d bytes long; want at most %d", clipRule(src), len(rest), MaxRulePattern)
	}
	if expr, ok := strings.CutPrefix(rest, "re:"); ok {
		expr = strings.TrimSpace(expr)
		if expr == "" {
			return nil, FieldError("filter", "rule %q: the regular expression is empty", src)
		}
		re, err := regexp.Compile("(?i)" + expr)
		if err != nil {
			// The message quotes the expression compiled; it is the
			// editor's without the (?i) herald put before it.
			msg := strings.Replace(strings.TrimPrefix(err.Error(), "error parsing regexp: "), "`(?i)", "`", 1)
			return nil, FieldError("filter", "rule %q: %v", clipRule(src), msg)
		}
		r.re = re
		return r, nil
	}
	if len(rest) > MaxRulePattern {
		return nil, FieldError("filter", "rule %q is %d bytes long; want at most %d", clipRule(src), len(rest), MaxRulePattern)
	}
	// Alternatives are one rule each; a rule is one phrase. Quotes around
	// a phrase are allowed and mean the same.
	words := tokens(Fold(strings.Trim(rest, `"«»“”`)), true)
	if len(words) == 0 {
		return nil, FieldError("filter", "rule %q has no words to match", src)
	}
	r.words = [][]string{words}
	return r, nil
}

func isIdent(s string) bool {
	for _, c := range s {
		if !unicode.IsLetter(c) {
			return false
		}
	}
	return true
}

func clipRule(s string) string {
	if len(s) <= 40 {
		return s
	}
	cut := 40
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// IsRegexp reports whether the rule is a regular expression.
func (r *Rule) IsRegexp() bool { return r.re != nil }

// String returns the rule as it was written.
func (r *Rule) String() string { return r.Source }

// Fold returns s lower-cased and without diacritics, for matching: NFD with
// the combining marks removed, the Azerbaijani and Turkish letters that do
// not decompose (ə, ı) mapped to e and i, and Russian й kept (it is a letter
// of its own, not и with a mark), ё becoming е.
func Fold(s string) string {
	d := norm.NFD.String(s)
	out := make([]rune, 0, len(d))
	for _, c := range d {
		if unicode.Is(unicode.Mn, c) {
			// й decomposes to и + breve: put it back together.
			if n := len(out); c == '\u0306' && n > 0 && out[n-1] == 'и' {
				out[n-1] = 'й'
			}
			continue
		}
		switch c {
		case 'ə', 'Ə':
			c = 'e'
		case 'ı':
			c = 'i'
		default:
			c = unicode.ToLower(c)
		}
		out = append(out, c)
	}
	return string(out)
}

// tokens splits folded text into words: runs of letters and digits. With
// pattern, a trailing * stays on its word, as a prefix mark.
func tokens(s string, pattern bool) []string {
	var out []string
	start := -1
	for i, c := range s {
		word := unicode.IsLetter(c) || unicode.IsDigit(c)
		if word {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			w := s[start:i]
			if pattern && c == '*' {
				w += "*"
			}
			out = append(out, w)
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

// Filters are a channel's include and exclude rules, as written.
type Filters struct {
	Include []string `json:"include,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
}

// IsZero reports whether there are no rules: the channel takes every
// article of its kinds and language.
func (f Filters) IsZero() bool { return len(f.Include) == 0 && len(f.Exclude) == 0 }

// Validate reports the first rule that does not parse, or too many rules.
func (f Filters) Validate() error {
	if n := len(f.Include) + len(f.Exclude); n > MaxRules {
		return FieldError("filter", "%d rules; want at most %d on one channel", n, MaxRules)
	}
	for _, s := range append(append([]string{}, f.Include...), f.Exclude...) {
		if _, err := ParseRule(s); err != nil {
			return err
		}
	}
	return nil
}

// MarshalRules renders a list of rules for storage.
func MarshalRules(rules []string) string {
	if len(rules) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(rules)
	return string(b)
}

// FilterVerdict says whether a channel's filters take an article, and why.
type FilterVerdict struct {
	Taken   bool
	Include string // the include rule that matched, "" when none did (or there are none)
	Exclude string // the exclude rule that matched, "" when none did
	Field   string // the field the deciding rule matched in
	Excerpt string // the words it matched, as the article writes them (folded for words)
}

// Match applies the filters to a: the first include rule that matches (if
// there are include rules) and the first exclude rule that matches. Rules
// that do not parse match nothing (Validate refuses them before they are
// stored).
func (f Filters) Match(a *Article) FilterVerdict {
	if f.IsZero() {
		return FilterVerdict{Taken: true}
	}
	fields := filterFields(a)
	var v FilterVerdict
	if len(f.Include) > 0 {
		for _, s := range f.Include {
			if field, ex, ok := matchRule(s, fields); ok {
				v.Include, v.Field, v.Excerpt = s, field, ex
				break
			}
		}
		if v.Include == "" {
			return v
		}
	}
	for _, s := range f.Exclude {
		if field, ex, ok := matchRule(s, fields); ok {
			v.Exclude, v.Field, v.Excerpt = s, field, ex
			return v
		}
	}
	v.Taken = true
	return v
}

// fieldText is one field of an article, as written and folded into words.
type fieldText struct {
	name   string
	raw    string
	words  []string
	folded string
}

func filterFields(a *Article) []fieldText {
	tags := hashtags(a.Title + "\n" + a.Lead + "\n" + a.Body)
	if p := strings.TrimSpace(a.Program); p != "" {
		tags = append(tags, p)
	}
	raw := map[string]string{
		FieldTitle:   a.Title,
		FieldBody:    a.Lead + "\n\n" + a.Body,
		FieldProgram: a.Program,
		FieldPeople:  strings.Join(a.People, "\n"),
		FieldTags:    strings.Join(tags, "\n"),
	}
	out := make([]fieldText, 0, len(FilterFields))
	for _, name := range FilterFields {
		folded := Fold(raw[name])
		out = append(out, fieldText{name: name, raw: raw[name], folded: folded, words: tokens(folded, false)})
	}
	return out
}

var hashtagRE = regexp.MustCompile(`#[\pL\pN_]+`)

func hashtags(s string) []string {
	var out []string
	for _, h := range hashtagRE.FindAllString(s, 50) {
		out = append(out, h[1:])
	}
	return out
}

func matchRule(s string, fields []fieldText) (field, excerpt string, ok bool) {
	r, err := ParseRule(s)
	if err != nil {
		return "", "", false
	}
	for _, f := range fields {
		if r.Field != "" && f.name != r.Field {
			continue
		}
		if ex, ok := r.matchField(f); ok {
			return f.name, ex, true
		}
	}
	return "", "", false
}

func (r *Rule) matchField(f fieldText) (string, bool) {
	if r.re != nil {
		if m := r.re.FindString(f.raw); m != "" {
			return m, true
		}
		if m := r.re.FindString(f.folded); m != "" {
			return m, true
		}
		return "", false
	}
	for _, phrase := range r.words {
		if i := findPhrase(f.words, phrase); i >= 0 {
			return strings.Join(f.words[i:i+len(phrase)], " "), true
		}
	}
	return "", false
}

// findPhrase returns where the words of phrase appear one after another in
// words, or -1.
func findPhrase(words, phrase []string) int {
	for i := 0; i+len(phrase) <= len(words); i++ {
		ok := true
		for j, p := range phrase {
			if !wordMatches(words[i+j], p) {
				ok = false
				break
			}
		}
		if ok {
			return i
		}
	}
	return -1
}

func wordMatches(w, p string) bool {
	if prefix, ok := strings.CutSuffix(p, "*"); ok {
		return strings.HasPrefix(w, prefix)
	}
	return w == p
}

// Explain says in English what the verdict means, for the command line.
func (v FilterVerdict) Explain() string {
	switch {
	case v.Exclude != "":
		return fmt.Sprintf("excluded: exclude rule %q matched %s (%q)", v.Exclude, v.Field, v.Excerpt)
	case v.Taken && v.Include != "":
		return fmt.Sprintf("included: include rule %q matched %s (%q)", v.Include, v.Field, v.Excerpt)
	case v.Taken:
		return "no include rules; no exclude rule matched"
	}
	return "no include rule matched"
}
