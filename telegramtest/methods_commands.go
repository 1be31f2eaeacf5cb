package telegramtest

import (
	"context"
	"encoding/json"
	"regexp"
	"time"

	"github.com/go-telegram/bot/models"
)

// CommandScope names a scope of the bot's command list, as BotCommandScope
// does: Type is "default", "all_private_chats", "all_group_chats",
// "all_chat_administrators", "chat", "chat_administrators" or "chat_member".
type CommandScope struct {
	Type   string `json:"type"`
	ChatID int64  `json:"chat_id,omitempty"`
	UserID int64  `json:"user_id,omitempty"`
}

// commandKey is a scope and a language.
type commandKey struct {
	scope CommandScope
	lang  string
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// commandKeyLocked reads scope and language_code.
func (s *Server) commandKeyLocked(p params) (commandKey, *apiError) {
	var raw struct {
		Type   string          `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID int64           `json:"user_id"`
	}
	raw.Type = "default"
	if e := p.json("scope", &raw); e != nil {
		return commandKey{}, e
	}
	key := commandKey{scope: CommandScope{Type: raw.Type, UserID: raw.UserID}, lang: p.str("language_code")}
	switch raw.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
	case "chat", "chat_administrators", "chat_member":
		var ref string
		if json.Unmarshal(raw.ChatID, &ref) != nil {
			ref = string(raw.ChatID)
		}
		ch, e := s.resolveChatLocked(ref)
		if e != nil {
			return commandKey{}, e
		}
		key.scope.ChatID = ch.ID
	default:
		return commandKey{}, badRequest("wrong bot command scope type specified")
	}
	if len(key.lang) > 0 && len(key.lang) != 2 {
		return commandKey{}, badRequest("invalid language code specified")
	}
	return key, nil
}

// setMyCommands sets the command list of a scope and language.
func (s *Server) setMyCommands(_ context.Context, p params) (any, *apiError) {
	var cmds []models.BotCommand
	if e := p.json("commands", &cmds); e != nil {
		return nil, e
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands specified")
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n == 0 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key, e := s.commandKeyLocked(p)
	if e != nil {
		return nil, e
	}
	if len(cmds) == 0 {
		delete(s.cmds, key)
	} else {
		s.cmds[key] = cmds
	}
	s.notifyLocked()
	return true, nil
}

// getMyCommands returns the list of exactly that scope and language.
func (s *Server) getMyCommands(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, e := s.commandKeyLocked(p)
	if e != nil {
		return nil, e
	}
	out := append([]models.BotCommand{}, s.cmds[key]...)
	return out, nil
}

// deleteMyCommands removes the list of a scope and language.
func (s *Server) deleteMyCommands(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, e := s.commandKeyLocked(p)
	if e != nil {
		return nil, e
	}
	delete(s.cmds, key)
	s.notifyLocked()
	return true, nil
}

// Commands returns the command list set for the scope and language code
// ("" for all languages); nil when none is set.
func (s *Server) Commands(scope CommandScope, languageCode string) []models.BotCommand {
	if scope.Type == "" {
		scope.Type = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]models.BotCommand(nil), s.cmds[commandKey{scope: scope, lang: languageCode}]...)
}

// pendingQuery is a callback query waiting for its answer.
type pendingQuery struct {
	userID int64
	data   string
	at     time.Time
}

// answerCallbackQuery answers a button press once; an unknown or already
// answered query fails as Telegram's does.
func (s *Server) answerCallbackQuery(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := p.str("callback_query_id")
	q, ok := s.queries[id]
	if !ok {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	text := p.str("text")
	if len([]rune(text)) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	cache, e := p.int("cache_time")
	if e != nil {
		return nil, e
	}
	delete(s.queries, id)
	s.answers = append(s.answers, Answer{
		CallbackQueryID: id, UserID: q.userID, Data: q.data, Text: text,
		ShowAlert: p.bool("show_alert"), URL: p.str("url"), CacheTime: cache, At: s.clock.now().UTC(),
	})
	s.notifyLocked()
	return true, nil
}
