package bot

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

// A review payload reads "r<article>_<channel>" in decimal, for example
// "r1234_5": short (at most 42 characters, well under Telegram's 64), made
// only of [A-Za-z0-9_-], and readable in logs by an engineer. The leading
// "r" leaves room for other kinds of /start payload later.
const (
	reviewPrefix     = "r"
	reviewSeparator  = "_"
	maxStartPayload  = 64
	telegramLinkBase = "https://t.me/"
)

// ReviewPayload returns the /start payload that opens a review of article
// articleID as posted on channel channelID. It is 1..64 characters of
// [A-Za-z0-9_-], as Telegram requires for deep links.
func ReviewPayload(articleID, channelID int64) string {
	return reviewPrefix + strconv.FormatInt(articleID, 10) + reviewSeparator + strconv.FormatInt(channelID, 10)
}

// ParseReviewPayload is the inverse of ReviewPayload. Anything else — a
// payload of another kind, a number with a sign or a leading zero, extra
// separators, a payload longer than Telegram allows — is refused with an
// EInvalid *herald.Error; it never panics.
func ParseReviewPayload(s string) (articleID, channelID int64, err error) {
	if len(s) == 0 || len(s) > maxStartPayload || !strings.HasPrefix(s, reviewPrefix) {
		return 0, 0, badPayload(s)
	}
	a, c, ok := strings.Cut(s[len(reviewPrefix):], reviewSeparator)
	if !ok {
		return 0, 0, badPayload(s)
	}
	articleID, ok1 := parseCanonicalInt(a)
	channelID, ok2 := parseCanonicalInt(c)
	if !ok1 || !ok2 {
		return 0, 0, badPayload(s)
	}
	return articleID, channelID, nil
}

// parseCanonicalInt accepts only what strconv.FormatInt writes, so that
// every id has exactly one payload ("+5", "05" and "-0" are refused).
func parseCanonicalInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

func badPayload(s string) error {
	if len(s) > maxStartPayload {
		s = s[:maxStartPayload] + "..."
	}
	return herald.Errorf(herald.EInvalid, "%q is not a review link payload", s)
}

// ReviewLink returns the deep link "https://t.me/<bot>?start=<payload>"
// that opens a private chat with the bot at the review of the article.
// A leading "@" on the username is dropped.
func ReviewLink(botUsername string, articleID, channelID int64) string {
	name := url.PathEscape(strings.TrimPrefix(botUsername, "@"))
	return telegramLinkBase + name + "?start=" + ReviewPayload(articleID, channelID)
}
