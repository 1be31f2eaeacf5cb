package telegramtest

import (
	"encoding/json"
	"reflect"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Telegram's length limits, in UTF-16 code units after entity parsing.
const (
	MaxTextLength    = 4096
	MaxCaptionLength = 1024
)

// content is a text or caption as sent and as it will show.
type content struct {
	sent string
	mode string
	text string
	ents []models.MessageEntity
}

// parseContent parses a text or caption with its parse_mode (or explicit
// entities, given as JSON) the way Telegram does, and trims it.
func parseContent(sent, mode, entitiesJSON string) (content, *apiError) {
	c := content{sent: sent, mode: mode}
	switch strings.ToLower(mode) {
	case "":
		c.text = sent
		if strings.TrimSpace(entitiesJSON) != "" {
			if err := json.Unmarshal([]byte(entitiesJSON), &c.ents); err != nil {
				return c, badRequest("can't parse entities JSON object")
			}
		}
		c.ents = append(c.ents, detectEntities(c.text, c.ents)...)
		sortEntities(c.ents)
	case "html":
		text, ents, err := ParseHTML(sent)
		if err != nil {
			return c, badRequest(err.Error())
		}
		c.text, c.ents = text, ents
	case "markdown", "markdownv2":
		return c, badRequest("can't parse entities: the fake Telegram supports parse_mode HTML only, not " + mode)
	default:
		return c, badRequest("unsupported parse_mode")
	}
	c.text, c.ents = trimText(c.text, c.ents)
	return c, nil
}

// sameEntities says whether two entity lists are the same.
func sameEntities(a, b []models.MessageEntity) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}
