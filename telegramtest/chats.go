package telegramtest

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"
)

// Bot rights in a chat, as Chat.BotRights takes them.
const (
	RightsAdmin  = "admin"  // the bot may post, edit and delete
	RightsMember = "member" // the bot is in the chat but may not post in a channel
	RightsNone   = "none"   // the bot is not in the chat (or was removed, or blocked by the user)
)

// Chat describes a chat of the fake: a private chat, a group, a supergroup
// or a channel. It is also the body of POST /fake/chats.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"` // "private", "group", "supergroup" or "channel"
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	// LinkedChatID is a channel's discussion group, or a group's channel.
	LinkedChatID int64 `json:"linked_chat_id,omitempty"`
	// BotRights is RightsAdmin, RightsMember or RightsNone.
	BotRights string `json:"bot_rights,omitempty"`
	// Admins are the user ids of the chat's administrators; the first is its creator.
	Admins []int64 `json:"admins,omitempty"`
	// MigrateToChatID, set on a group, says it became this supergroup:
	// sending to the group then fails with parameters.migrate_to_chat_id.
	MigrateToChatID int64 `json:"migrate_to_chat_id,omitempty"`
	// IsForum marks a supergroup with topics (see POST /fake/topics).
	IsForum bool `json:"is_forum,omitempty"`
}

// chat is a chat and what happened in it.
type chat struct {
	Chat
	kicked   bool // the bot was in it and was removed
	members  map[int64]bool
	messages []*Message
	nextID   int
	topics   map[int]*topic // a forum's topics, by message_thread_id
}

func (c *chat) private() bool { return c.Type == string(models.ChatTypePrivate) }
func (c *chat) channel() bool { return c.Type == string(models.ChatTypeChannel) }

// wire is the chat as a message or update shows it.
func (c *chat) wire() models.Chat {
	return models.Chat{ID: c.ID, Type: models.ChatType(c.Type), Title: c.Title, Username: c.Username, FirstName: c.FirstName, LastName: c.LastName, IsForum: c.IsForum}
}

// kindName is how Telegram names the kind of chat in its errors.
func (c *chat) kindName() string {
	switch c.Type {
	case "supergroup":
		return "supergroup chat"
	case "group":
		return "group chat"
	case "channel":
		return "channel chat"
	}
	return "chat"
}

// AddChat creates a chat or updates one; fields left zero keep their value.
// A linked chat that does not exist yet is created as a supergroup where the
// bot is a member. Taking the bot's rights away from a chat where it had
// some sends the bot a my_chat_member update, as Telegram does when a bot is
// removed. It fails on a missing id or an unknown type or rights value.
func (s *Server) AddChat(c Chat) error {
	if c.ID == 0 {
		return fmt.Errorf("telegramtest: add chat: id is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[c.ID]
	if ch == nil {
		if c.Type == "" {
			c.Type = "channel"
			if c.ID > 0 {
				c.Type = "private"
			}
		}
		ch = &chat{Chat: Chat{ID: c.ID, Type: c.Type, BotRights: RightsAdmin}, members: map[int64]bool{}}
	}
	switch c.Type {
	case "", "private", "group", "supergroup", "channel":
	default:
		return fmt.Errorf("telegramtest: add chat %d: type %q is not private, group, supergroup or channel", c.ID, c.Type)
	}
	switch c.BotRights {
	case "", RightsAdmin, RightsMember, RightsNone:
	default:
		return fmt.Errorf("telegramtest: add chat %d: bot_rights %q is not admin, member or none", c.ID, c.BotRights)
	}
	old := ch.BotRights
	if s.chats[c.ID] == nil {
		old = ""
	}
	mergeChat(&ch.Chat, c)
	if ch.Title == "" && !ch.private() {
		ch.Title = fmt.Sprintf("Chat %d", ch.ID)
	}
	if ch.private() && ch.FirstName == "" {
		ch.FirstName = fmt.Sprintf("User %d", ch.ID)
	}
	s.chats[c.ID] = ch
	if c.LinkedChatID != 0 {
		s.linkLocked(ch, c.LinkedChatID)
	}
	if c.MigrateToChatID != 0 && s.chats[c.MigrateToChatID] == nil {
		s.chats[c.MigrateToChatID] = &chat{Chat: Chat{ID: c.MigrateToChatID, Type: "supergroup", Title: ch.Title, BotRights: ch.BotRights, LinkedChatID: ch.LinkedChatID, Admins: ch.Admins}, members: map[int64]bool{}}
	}
	if old != "" && old != ch.BotRights {
		ch.kicked = ch.BotRights == RightsNone
		s.botStatusChangedLocked(ch, old)
	}
	s.notifyLocked()
	return nil
}

func mergeChat(dst *Chat, c Chat) {
	if c.Type != "" {
		dst.Type = c.Type
	}
	if c.Title != "" {
		dst.Title = c.Title
	}
	if c.Username != "" {
		dst.Username = strings.TrimPrefix(c.Username, "@")
	}
	if c.FirstName != "" {
		dst.FirstName = c.FirstName
	}
	if c.LastName != "" {
		dst.LastName = c.LastName
	}
	if c.LinkedChatID != 0 {
		dst.LinkedChatID = c.LinkedChatID
	}
	if c.BotRights != "" {
		dst.BotRights = c.BotRights
	}
	if c.Admins != nil {
		dst.Admins = c.Admins
	}
	if c.IsForum {
		dst.IsForum = true
	}
	if c.MigrateToChatID != 0 {
		dst.MigrateToChatID = c.MigrateToChatID
	}
}

// linkLocked links a channel and its discussion group both ways, creating
// the group when it is missing.
func (s *Server) linkLocked(ch *chat, linked int64) {
	other := s.chats[linked]
	if other == nil {
		typ, title := "supergroup", ch.Title+" Chat"
		if !ch.channel() {
			typ, title = "channel", ch.Title+" Channel"
		}
		other = &chat{Chat: Chat{ID: linked, Type: typ, Title: title, BotRights: RightsMember}, members: map[int64]bool{}}
		if typ == "channel" {
			other.BotRights = RightsAdmin
		}
		s.chats[linked] = other
	}
	other.LinkedChatID = ch.ID
}

// Chat returns the chat with the id as the fake holds it, and whether it exists.
func (s *Server) Chat(id int64) (Chat, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[id]
	if ch == nil {
		return Chat{}, false
	}
	return ch.Chat, true
}

// Chats returns every chat of the fake, in no particular order.
func (s *Server) Chats() []Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Chat, 0, len(s.chats))
	for _, ch := range s.chats {
		out = append(out, ch.Chat)
	}
	return out
}

// resolveChatLocked finds the chat a chat_id parameter names: a number, or
// "@username" of a public chat. It fails with "chat not found".
func (s *Server) resolveChatLocked(ref string) (*chat, *apiError) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, badRequest("chat_id is empty")
	}
	if strings.HasPrefix(ref, "@") {
		for _, ch := range s.chats {
			if ch.Username != "" && strings.EqualFold(ch.Username, ref[1:]) {
				return ch, nil
			}
		}
		return nil, badRequest("chat not found")
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	ch := s.chats[id]
	if ch == nil {
		if id > 0 && s.users[id] != nil {
			return nil, forbidden("bot can't initiate conversation with a user")
		}
		return nil, badRequest("chat not found")
	}
	return ch, nil
}

// canPostLocked says whether the bot may send to (or edit in) the chat, with
// the error Telegram gives when it may not.
func (s *Server) canPostLocked(ch *chat) *apiError {
	if ch.MigrateToChatID != 0 {
		return &apiError{Code: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: ch.MigrateToChatID}
	}
	switch {
	case ch.BotRights == RightsNone && ch.private():
		return forbidden("bot was blocked by the user")
	case ch.BotRights == RightsNone && ch.kicked:
		return forbidden("bot was kicked from the " + ch.kindName())
	case ch.BotRights == RightsNone:
		return forbidden("bot is not a member of the " + ch.kindName())
	case ch.channel() && ch.BotRights != RightsAdmin:
		return badRequest("need administrator rights in the channel chat")
	}
	return nil
}

// userLocked returns the user with the id, creating one with a made-up
// name the first time.
func (s *Server) userLocked(id int64) *models.User {
	u := s.users[id]
	if u == nil {
		u = &models.User{ID: id, FirstName: fmt.Sprintf("User %d", id)}
		s.users[id] = u
	}
	return u
}
