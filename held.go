package herald

import "strings"

// Why an article is held for an editor (Article.NeedsEditor). The reason
// is stored machine-readable, a code and, for episodes, the air time the
// page gives ("no-day 21:00"), so that each interface says it in its
// reader's language; the codes are English words, readable as they are in
// the command line's output.
const (
	// HeldNoDay: the page gives the air time but not the day.
	HeldNoDay = "no-day"
	// HeldUndated: the page gives the air time on a day counted from its
	// date ("today", "on Thursday"), and it has no date.
	HeldUndated = "relative-undated"
	// HeldBodyLost: a page of several paragraphs cleaned down to its
	// lead alone; an editor checks what the cleaner took for the body.
	HeldBodyLost = "body-lost"
)

// HeldReason returns the stored reason for code with its argument (the
// air time), e.g. "no-day 21:00".
func HeldReason(code, arg string) string {
	if arg == "" {
		return code
	}
	return code + " " + arg
}

// ParseHeld splits a stored reason into its code and argument. A reason
// stored before codes existed (free text) comes back as code "" and the
// text as arg.
func ParseHeld(reason string) (code, arg string) {
	code, arg, _ = strings.Cut(strings.TrimSpace(reason), " ")
	switch code {
	case HeldNoDay, HeldUndated, HeldBodyLost:
		return code, arg
	}
	return "", reason
}

// HeldText says reason in English, for the command line and logs (the
// bot says it in each editor's language from its catalogue).
func HeldText(reason string) string {
	code, arg := ParseHeld(reason)
	switch code {
	case HeldNoDay:
		return "the page gives the air time " + arg + " but not the day"
	case HeldUndated:
		return "the page gives the air time " + arg + " on a day counted from its date, and the page has no date"
	case HeldBodyLost:
		return "the page has several paragraphs but only its lead was taken for text: check the body"
	}
	return reason
}
