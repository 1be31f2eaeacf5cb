package telegramtest

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// autoEntity is one kind of entity Telegram finds in plain text by itself.
type autoEntity struct {
	kind models.MessageEntityType
	re   *regexp.Regexp
}

// autoEntities are tried in order; an earlier match wins where two
// overlap. Compiled once: every message of every test goes through them.
// Read-only.
var autoEntities = []autoEntity{
	{models.MessageEntityTypeURL, regexp.MustCompile(`(?i)\b(?:https?://|www\.|t\.me/)[^\s<>"]+`)},
	{models.MessageEntityTypeEmail, regexp.MustCompile(`\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b`)},
	{models.MessageEntityTypeBotCommand, regexp.MustCompile(`/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?`)},
	{models.MessageEntityTypeMention, regexp.MustCompile(`@[A-Za-z0-9_]{4,32}`)},
	{models.MessageEntityTypeHashtag, regexp.MustCompile(`#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*`)},
	{models.MessageEntityTypeCashtag, regexp.MustCompile(`\$[A-Z]{3,8}\b`)},
}

// detectEntities finds the entities Telegram derives from plain text: links,
// e-mail addresses, bot commands, mentions, hashtags and cashtags. Spans
// already covered by code, pre or a link are left alone.
func detectEntities(text string, existing []models.MessageEntity) []models.MessageEntity {
	var taken [][2]int // UTF-16 spans no new entity may overlap
	for _, e := range existing {
		switch e.Type {
		case models.MessageEntityTypeCode, models.MessageEntityTypePre,
			models.MessageEntityTypeTextLink, models.MessageEntityTypeTextMention:
			taken = append(taken, [2]int{e.Offset, e.Offset + e.Length})
		}
	}
	overlaps := func(a, b int) bool {
		for _, t := range taken {
			if a < t[1] && t[0] < b {
				return true
			}
		}
		return false
	}
	var found []models.MessageEntity
	for _, ae := range autoEntities {
		for _, m := range ae.re.FindAllStringIndex(text, -1) {
			start, end := m[0], m[1]
			if start > 0 {
				prev, _ := utf8.DecodeLastRuneInString(text[:start])
				if unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '_' || prev == '/' || prev == '@' {
					continue
				}
			}
			if ae.kind == models.MessageEntityTypeURL {
				end = start + len(strings.TrimRight(text[start:end], ".,;:!?)'\""))
			}
			off := UTF16Len(text[:start])
			length := UTF16Len(text[start:end])
			if overlaps(off, off+length) {
				continue
			}
			taken = append(taken, [2]int{off, off + length})
			found = append(found, models.MessageEntity{Type: ae.kind, Offset: off, Length: length})
		}
	}
	return found
}

// trimText strips the leading and trailing white space Telegram strips from
// a message, moving and clipping the entities to match.
func trimText(text string, ents []models.MessageEntity) (string, []models.MessageEntity) {
	trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
	cut := UTF16Len(text[:len(text)-len(trimmed)])
	trimmed = strings.TrimRightFunc(trimmed, unicode.IsSpace)
	total := UTF16Len(trimmed)
	var out []models.MessageEntity
	for _, e := range ents {
		start, end := max(e.Offset-cut, 0), min(e.Offset+e.Length-cut, total)
		if end <= start {
			continue
		}
		e.Offset, e.Length = start, end-start
		out = append(out, e)
	}
	return trimmed, out
}
