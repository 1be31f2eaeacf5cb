package herald

import "strings"

// ProgramDifficultQuestion is the agency's nightly talk show, by the name
// herald stores for it whatever the article's language, so that rules and
// statistics see one program.
const ProgramDifficultQuestion = "Difficult Question"

// programTitles are the agency's programs as each language's audience knows
// them. Read-only.
var programTitles = map[string]map[Language]string{
	strings.ToLower(ProgramDifficultQuestion): {
		LangEnglish:     "Difficult Question",
		LangAzerbaijani: "Çətin sual",
		LangRussian:     "Трудный вопрос",
	},
}

// ProgramTitle returns a program's name as readers in lang know it: the
// local title of a known program, or the name as stored.
func ProgramTitle(program string, lang Language) string {
	if t, ok := programTitles[strings.ToLower(strings.TrimSpace(program))][lang]; ok {
		return t
	}
	return program
}
