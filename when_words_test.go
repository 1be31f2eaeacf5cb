package herald

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// latinWord finds words written in Latin letters, which a Russian sentence
// should not have once commands, zones and the grammar's own units are set
// aside.
var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z']+`)

// englishWords are common English words that an Azerbaijani sentence never
// uses; finding one means the sentence was left in English.
var englishWords = regexp.MustCompile(`(?i)\b(the|and|or|is|are|not|of|to|in|at|from|give|write|try|time|day|days|hour|hours|minutes|today|tomorrow|now|don't|understand|there|what|which|alone|given)\b`)

// TestWhenRefusalsInEveryLanguage walks every way the time grammar refuses
// an input and reads the refusal in each language: each is there, none is
// English outside English, and each ends with examples that parse.
func TestWhenRefusalsInEveryLanguage(t *testing.T) {
	baku, err := time.LoadLocation("Asia/Baku")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	now := time.Date(2026, 11, 30, 14, 20, 0, 0, baku)
	paths := map[whenMsg][]string{
		whenTooLong:       {strings.Repeat("tomorrow ", 100)},
		whenNoTime:        {"", "\u200b"},
		whenInPast:        {"today 10:00", "2026-11-29 19:00", "сегодня 9:00"},
		whenHowLong:       {"in", "через"},
		whenBadSpan:       {"+x", "+99999h"},
		whenBadUnit:       {"+2x", "+30m1h", "+2h2h"},
		whenTwoDays:       {"tomorrow mon", "завтра пт"},
		whenTwoTimes:      {"19:00 20:00"},
		whenNotClock:      {"25:00", "2026-12-01t25:00"},
		whenWhichDay:      {"Dec", "декабря"},
		whenNotHere:       {"tomorrow 9 10", "19:00 at 9"},
		whenAlone:         {"now 19:00", "завтра сейчас"},
		whenUnknown:       {"banana", "бла", "-2h"},
		whenBareHour:      {"9"},
		whenWhatTimeToday: {"today", "сегодня"},
		whenNoDateYear:    {"2026-02-30 10:00"},
		whenNoDate:        {"31 Nov", "31 ноября"},
	}
	if len(paths) != int(whenMsgCount)-1 {
		t.Fatalf("the test walks %d refusals, the grammar has %d", len(paths), whenMsgCount-1)
	}
	for _, lang := range Languages {
		for m := whenMsg(0); m < whenMsgCount; m++ {
			if strings.TrimSpace(whenWords[lang][m]) == "" {
				t.Errorf("%s: refusal %d is missing", lang, m)
			}
			if strings.Count(whenWords[lang][m], "%") != strings.Count(whenWords[LangEnglish][m], "%") {
				t.Errorf("%s: refusal %d has other arguments than in English: %q", lang, m, whenWords[lang][m])
			}
		}
	}
	for m, inputs := range paths {
		for _, in := range inputs {
			_, err := ParseWhen(in, now, baku)
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("ParseWhen(%q) = %v, want a refusal", in, err)
			}
			fixed, _, _ := strings.Cut(whenWords[LangEnglish][m], "%")
			if !strings.Contains(e.Message, fixed) {
				t.Errorf("ParseWhen(%q) says %q, want refusal %d (%q)", in, e.Message, m, whenWords[LangEnglish][m])
			}
			for _, lang := range Languages {
				msg := e.In(lang)
				quoted := regexp.MustCompile(`«[^»]*»`) // the editor's own input, quoted back
				switch lang {
				case LangRussian:
					rest := regexp.MustCompile(`\b[A-Z][a-z]+/[A-Za-z_]+\b|UTC|[+-]?\d+[hmx]\b|banana|\d[td]\d`).ReplaceAllString(quoted.ReplaceAllString(msg, " "), " ")
					if w := latinWord.FindAllString(rest, -1); len(w) > 0 {
						t.Errorf("ParseWhen(%q) in Russian has Latin words %v: %q", in, w, msg)
					}
				case LangAzerbaijani:
					if w := englishWords.FindAllString(quoted.ReplaceAllString(msg, " "), -1); len(w) > 0 {
						t.Errorf("ParseWhen(%q) in Azerbaijani has English words %v: %q", in, w, msg)
					}
				}
				if lang != LangEnglish && msg == e.Message {
					t.Errorf("ParseWhen(%q) in %s is the English %q", in, lang, msg)
				}
			}
		}
	}
	// The examples each refusal ends with are real.
	for _, lang := range Languages {
		try := whenWords[lang][whenTry]
		_, list, _ := strings.Cut(try, ": ")
		for _, ex := range strings.Split(strings.TrimSuffix(list, "."), ", ") {
			if _, err := ParseWhen(ex, now, baku); err != nil {
				t.Errorf("%s example %q in %q: %v", lang, ex, try, err)
			}
		}
	}
}

// TestWhenHelpInEveryLanguage checks each language's help: every example
// parses, and the Russian and Azerbaijani help are not English.
func TestWhenHelpInEveryLanguage(t *testing.T) {
	baku, err := time.LoadLocation("Asia/Baku")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	now := time.Date(2026, 11, 30, 6, 0, 0, 0, baku)
	for _, lang := range Languages {
		help := WhenHelp(lang)
		lines := strings.Split(help, "\n")
		if len(lines) < 8 {
			t.Errorf("%s help has %d lines, want one per form", lang, len(lines))
		}
		for _, line := range lines {
			forms, rest, ok := strings.Cut(line, " — ")
			if !ok {
				t.Fatalf("%s line %q has no dash between examples and meaning", lang, line)
			}
			examples := strings.Split(forms, ", ")
			if _, also, ok := strings.Cut(rest, "(also: "); ok {
				examples = append(examples, strings.Split(strings.TrimSuffix(also, ")"), ", ")...)
			}
			for _, ex := range examples {
				if _, err := ParseWhen(ex, now, baku); err != nil {
					t.Errorf("%s example %q from %q: %v", lang, ex, line, err)
				}
			}
			switch lang {
			case LangRussian:
				if w := latinWord.FindAllString(line, -1); len(w) > 0 {
					t.Errorf("Russian help line %q has Latin words %v", line, w)
				}
			case LangAzerbaijani:
				if w := englishWords.FindAllString(line, -1); len(w) > 0 {
					t.Errorf("Azerbaijani help line %q has English words %v", line, w)
				}
			}
		}
	}
}

func TestFormatWhenIn(t *testing.T) {
	baku, err := time.LoadLocation("Asia/Baku")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	at := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		loc  *time.Location
		lang Language
		want string
	}{
		{"Azerbaijani in Baku", baku, LangAzerbaijani, "1 dekabr 2026, çərşənbə axşamı, 19:00 Asia/Baku (+04)"},
		{"Russian in Baku", baku, LangRussian, "вт, 1 декабря 2026, 19:00 Asia/Baku (+04)"},
		{"Russian in Berlin gives the offset, not CET", berlin, LangRussian, "вт, 1 декабря 2026, 16:00 Europe/Berlin (UTC+01)"},
		{"English in Berlin keeps CET", berlin, LangEnglish, "Tue 1 Dec 2026 16:00 Europe/Berlin (CET)"},
		{"UTC in Russian", time.UTC, LangRussian, "вт, 1 декабря 2026, 15:00 UTC"},
	}
	for _, tt := range tests {
		if got := FormatWhenIn(at, tt.loc, tt.lang); got != tt.want {
			t.Errorf("%s: FormatWhenIn = %q, want %q", tt.name, got, tt.want)
		}
	}
}
