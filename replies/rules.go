// Package replies holds the rules every reader's review goes through,
// whatever network it came from — the rate limit, spam, moderation, the
// cleaning of what was typed — and takes readers' replies on networks
// other than Telegram (Mastodon, Bluesky) in as reviews under them. The
// bot applies the same rules to Telegram's deep-link reviews and
// discussion-group comments; network packages give their replies to an
// Intake.
package replies

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// The rate limit: a reader may write or change Burst reviews within
// Window; past it, a new review is dropped (a change of one they have is
// no new review).
const (
	Burst  = 5
	Window = 10 * time.Minute
)

// spamMinLen is the shortest text checked for being pasted on other
// articles: shorter ones ("Great!", "Спасибо") are common phrases.
const spamMinLen = 20

// SpamProbe is the text of a review to look up on other articles: none
// when it is too short to tell a pasted text from a common phrase.
func SpamProbe(text string) string {
	if utf8.RuneCountInString(text) < spamMinLen {
		return ""
	}
	return text
}

// CleanText strips control characters (keeping line breaks and tabs) and
// invisible marks from what a reader typed, and trims it.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r), r == '\u200b', r == '\ufeff':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Verdict is what the rules make of one review.
type Verdict int

// Verdicts.
const (
	Keep      Verdict = iota // store it, with the status and spam mark Decide set
	DropQuiet                // a banned reader: nothing is kept and nobody is told
	OverLimit                // past the rate limit: not kept; the reader may be told
)

// Decide applies the rules to review r given what the gate read about it,
// and sets r's status and spam mark when it is to be kept. counted says
// whether the review counts against the rate limit (a reader's change of
// the review in progress does not).
func Decide(g store.ReviewGate, r *herald.Review, counted bool) Verdict {
	if g.Banned {
		return DropQuiet
	}
	if counted && g.Recent >= Burst && !g.Exists {
		return OverLimit
	}
	r.Status = herald.ReviewPending
	if g.AutoApprove {
		r.Status = herald.ReviewApproved
	}
	r.Spam = g.SameText
	if r.Spam {
		r.Status = herald.ReviewPending
	}
	return Keep
}
