package ingest

import "strings"

// Program is one show a source's pages may name: the name herald stores
// and every name the site uses for it, in any language.
type Program struct {
	Name  string   // as stored on the article, e.g. "Difficult Question"
	Names []string // as pages write it, e.g. "Çətin sual", «Сложный вопрос»
}

// defaultPrograms are the agency's shows by every name its site uses. The
// Russian section calls the show both «Трудный вопрос» and «Сложный
// вопрос». Read-only.
var defaultPrograms = []Program{{
	Name: ProgramName,
	Names: []string{"Difficult Question", "Çətin sual", "Трудный вопрос", "Сложный вопрос",
		// Russian writes the name in its cases: «в „Трудном вопросе“».
		"Трудного вопроса", "Трудному вопросу", "Трудным вопросом", "Трудном вопросе",
		"Сложного вопроса", "Сложному вопросу", "Сложным вопросом", "Сложном вопросе"},
}}

// programSet finds programs by name in text. It is only read once built.
type programSet struct {
	names  []programName // longest first, so that the longest name wins
	maxLen int           // bytes of the longest name
}

type programName struct {
	lower string // the name in lower case, as searched for
	key   string // chromeKey of the name, for a line that is only the name
	name  string // what the article stores
}

// newProgramSet returns the built-in programs with extra ones (or extra
// names of a built-in one, given under its stored name) on top.
func newProgramSet(extra []Program) programSet {
	var set programSet
	add := func(p Program) {
		name := strings.TrimSpace(p.Name)
		if name == "" {
			return
		}
		for _, n := range append([]string{name}, p.Names...) {
			if n = strings.TrimSpace(n); n != "" {
				set.names = append(set.names, programName{lower: strings.ToLower(n), key: chromeKey(n), name: name})
				set.maxLen = max(set.maxLen, len(n))
			}
		}
	}
	for _, p := range defaultPrograms {
		add(p)
	}
	for _, p := range extra {
		add(p)
	}
	// Longest first: "Difficult Question Weekly" before "Difficult Question".
	for i := 1; i < len(set.names); i++ {
		for j := i; j > 0 && len(set.names[j].lower) > len(set.names[j-1].lower); j-- {
			set.names[j], set.names[j-1] = set.names[j-1], set.names[j]
		}
	}
	return set
}

// find returns the stored name of the first program s names, or "".
func (ps programSet) find(s string) string {
	lower := strings.ToLower(s)
	for _, n := range ps.names {
		if n.lower != "" && strings.Contains(lower, n.lower) {
			return n.name
		}
	}
	return ""
}

// label returns the program a line names when the line is nothing but
// the program's name (a section label such as "Difficult question" or
// «Сложный вопрос»), or "".
func (ps programSet) label(line string) string {
	if len(line) > ps.maxLen+16 {
		return "" // longer than any name with quotes and bullets around it
	}
	key := chromeKey(line)
	for _, n := range ps.names {
		if key == n.key {
			return n.name
		}
	}
	return ""
}

// ParseProgram reads a program from "Name=Other name|Another name", the
// form of herald import --program-name and of a feed's program names. It
// fails when there is no name before the "=".
func ParseProgram(s string) (Program, error) {
	name, names, _ := strings.Cut(s, "=")
	p := Program{Name: strings.TrimSpace(name)}
	if p.Name == "" {
		return p, invalid("program %q: want \"Stored name=Name on the page|Another name\"", s)
	}
	for _, n := range strings.Split(names, "|") {
		if n = strings.TrimSpace(n); n != "" {
			p.Names = append(p.Names, n)
		}
	}
	return p, nil
}
