package telegramtest

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/go-telegram/bot/models"
)

// Errors of the simulation side. Over HTTP, ErrNotFound answers 404 and
// ErrInvalid 400.
var (
	ErrNotFound = errors.New("telegramtest: not found")
	ErrInvalid  = errors.New("telegramtest: invalid")
)

// UserMessage is a message a user writes. It is also the body of
// POST /fake/send and POST /fake/reply.
type UserMessage struct {
	UserID int64 `json:"user_id"`
	// ChatID is where the user writes; 0 or UserID is their private chat
	// with the bot, created the first time.
	ChatID       int64  `json:"chat_id,omitempty"`
	Text         string `json:"text"`
	LanguageCode string `json:"language_code,omitempty"`
	FirstName    string `json:"first_name,omitempty"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	// ReplyToMessageID makes the message a reply, such as a comment on a
	// channel post's automatic forward in a discussion group.
	ReplyToMessageID int `json:"reply_to_message_id,omitempty"`
	// ForwardFrom makes the message one the user forwarded from this user.
	ForwardFrom int64 `json:"forward_from,omitempty"`
}

// Press is a user pressing an inline button. It is also the body of POST /fake/press.
type Press struct {
	UserID    int64  `json:"user_id"`
	ChatID    int64  `json:"chat_id"`
	MessageID int    `json:"message_id"`
	Data      string `json:"data"`
}

// CommentEdit is a user editing a message of theirs. It is also the body of
// POST /fake/edit.
type CommentEdit struct {
	UserID    int64  `json:"user_id"`
	ChatID    int64  `json:"chat_id"`
	MessageID int    `json:"message_id"`
	Text      string `json:"text"`
}

// seeUserLocked records a user, updating the names and language given.
func (s *Server) seeUserLocked(um UserMessage) *models.User {
	u := s.userLocked(um.UserID)
	if um.FirstName != "" {
		u.FirstName = um.FirstName
	}
	if um.LastName != "" {
		u.LastName = um.LastName
	}
	if um.Username != "" {
		u.Username = um.Username
	}
	if um.LanguageCode != "" {
		u.LanguageCode = um.LanguageCode
	}
	return u
}

// UserSends delivers a user's message to the bot, as a message update (a
// channel_post in a channel) unless the bot is not in the chat, and returns
// it as stored. Bot commands get
// bot_command entities. It fails with ErrNotFound for an unknown group or
// channel or message replied to, and ErrInvalid for empty text or someone
// else's private chat.
func (s *Server) UserSends(um UserMessage) (Message, error) {
	if um.UserID <= 0 {
		return Message{}, fmt.Errorf("%w: user_id must be a positive user id", ErrInvalid)
	}
	if um.Text == "" {
		return Message{}, fmt.Errorf("%w: text is empty", ErrInvalid)
	}
	if um.ChatID == 0 {
		um.ChatID = um.UserID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.seeUserLocked(um)
	ch := s.chats[um.ChatID]
	switch {
	case um.ChatID > 0 && um.ChatID != um.UserID:
		return Message{}, fmt.Errorf("%w: chat %d is another user's private chat", ErrInvalid, um.ChatID)
	case ch == nil && um.ChatID > 0:
		ch = &chat{Chat: Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, LastName: u.LastName, Username: u.Username, BotRights: RightsAdmin}, members: map[int64]bool{}}
		s.chats[u.ID] = ch
	case ch == nil:
		return Message{}, fmt.Errorf("%w: chat %d", ErrNotFound, um.ChatID)
	case ch.private() && ch.BotRights == RightsNone:
		// Writing to a bot one blocked unblocks it.
		ch.BotRights, ch.kicked = RightsAdmin, false
		s.botStatusChangedLocked(ch, RightsNone)
	}
	if um.ReplyToMessageID != 0 && findMessageLocked(ch, um.ReplyToMessageID) == nil {
		return Message{}, fmt.Errorf("%w: message %d in chat %d", ErrNotFound, um.ReplyToMessageID, ch.ID)
	}
	from := *u
	m := &Message{From: &from, Text: um.Text, Entities: detectEntities(um.Text, nil), ReplyToMessageID: um.ReplyToMessageID}
	sortEntities(m.Entities)
	if um.ForwardFrom != 0 {
		orig := *s.userLocked(um.ForwardFrom)
		m.ForwardFrom = &orig
	}
	if ch.channel() {
		c := ch.wire()
		m.SenderChat = &c
	}
	s.addMessageLocked(ch, m)
	ch.members[u.ID] = true
	if ch.BotRights != RightsNone {
		kind := "message"
		if ch.channel() {
			kind = "channel_post"
		}
		s.enqueueLocked(kind, s.wireLocked(ch, m, true))
	}
	s.notifyLocked()
	return m.copy(), nil
}

// Reply is UserSends for a reply, such as a reader's comment on a channel
// post in its discussion group; it fails with ErrInvalid without
// ReplyToMessageID.
func (s *Server) Reply(um UserMessage) (Message, error) {
	if um.ReplyToMessageID == 0 {
		return Message{}, fmt.Errorf("%w: reply_to_message_id is required", ErrInvalid)
	}
	return s.UserSends(um)
}

// EditComment changes the text of a user's message and sends the bot an
// edited_message update (edited_channel_post in a channel). It fails with
// ErrNotFound for an unknown chat or message and ErrInvalid when the message
// is not the user's or the text is empty or unchanged.
func (s *Server) EditComment(ed CommentEdit) (Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[ed.ChatID]
	if ch == nil {
		return Message{}, fmt.Errorf("%w: chat %d", ErrNotFound, ed.ChatID)
	}
	m := findMessageLocked(ch, ed.MessageID)
	switch {
	case m == nil:
		return Message{}, fmt.Errorf("%w: message %d in chat %d", ErrNotFound, ed.MessageID, ed.ChatID)
	case m.From == nil || m.From.ID != ed.UserID:
		return Message{}, fmt.Errorf("%w: message %d is not user %d's", ErrInvalid, ed.MessageID, ed.UserID)
	case ed.Text == "" || ed.Text == m.Text:
		return Message{}, fmt.Errorf("%w: the new text is empty or unchanged", ErrInvalid)
	}
	s.editLocked(m)
	m.Text, m.Entities = ed.Text, detectEntities(ed.Text, nil)
	sortEntities(m.Entities)
	if ch.BotRights != RightsNone {
		kind := "edited_message"
		if ch.channel() {
			kind = "edited_channel_post"
		}
		s.enqueueLocked(kind, s.wireLocked(ch, m, true))
	}
	return m.copy(), nil
}

// Press has a user press the inline button with the data under a message,
// sends the bot a callback_query update, and returns the query's id. It
// fails with ErrNotFound for an unknown chat or message and ErrInvalid when
// the message has no such button.
func (s *Server) Press(pr Press) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[pr.ChatID]
	if ch == nil {
		return "", fmt.Errorf("%w: chat %d", ErrNotFound, pr.ChatID)
	}
	m := findMessageLocked(ch, pr.MessageID)
	if m == nil {
		return "", fmt.Errorf("%w: message %d in chat %d", ErrNotFound, pr.MessageID, pr.ChatID)
	}
	if !hasCallbackData(m.ReplyMarkup, pr.Data) {
		return "", fmt.Errorf("%w: message %d has no button with callback_data %q", ErrInvalid, pr.MessageID, pr.Data)
	}
	u := s.seeUserLocked(UserMessage{UserID: pr.UserID})
	s.nextQID++
	id := strconv.FormatInt(s.bot.ID, 10) + strconv.Itoa(1000000+s.nextQID)
	s.queries[id] = pendingQuery{userID: u.ID, data: pr.Data, at: s.clock.now()}
	s.enqueueLocked("callback_query", map[string]any{
		"id": id, "from": *u, "message": s.wireLocked(ch, m, false),
		"chat_instance": strconv.FormatInt(ch.ID*7919+s.bot.ID, 10), "data": pr.Data,
	})
	return id, nil
}

// SetReactions sets a message's reaction counts (emoji to count) and sends
// the bot a message_reaction_count update, which, as on Telegram, only a bot
// that named it in allowed_updates receives. It fails with ErrNotFound for an
// unknown chat or message.
func (s *Server) SetReactions(chatID int64, messageID int, counts map[string]int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[chatID]
	if ch == nil {
		return fmt.Errorf("%w: chat %d", ErrNotFound, chatID)
	}
	m := findMessageLocked(ch, messageID)
	if m == nil {
		return fmt.Errorf("%w: message %d in chat %d", ErrNotFound, messageID, chatID)
	}
	m.Reaction = map[string]int{}
	type count struct {
		emoji string
		n     int
	}
	var list []count
	for e, n := range counts {
		if n > 0 {
			m.Reaction[e] = n
			list = append(list, count{e, n})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].emoji < list[j].emoji
	})
	reactions := []map[string]any{}
	for _, c := range list {
		reactions = append(reactions, map[string]any{"type": map[string]string{"type": "emoji", "emoji": c.emoji}, "total_count": c.n})
	}
	s.enqueueLocked("message_reaction_count", map[string]any{
		"chat": ch.wire(), "message_id": m.ID, "date": s.clock.now().Unix(), "reactions": reactions,
	})
	return nil
}

// botStatusChangedLocked sends the bot a my_chat_member update for a change
// of its rights in the chat, from old to the chat's current rights.
func (s *Server) botStatusChangedLocked(ch *chat, old string) {
	actor := s.userLocked(ch.ID)
	if !ch.private() {
		actor = &models.User{ID: 1, FirstName: "Chat owner"}
		if len(ch.Admins) > 0 {
			actor = s.userLocked(ch.Admins[0])
		}
	}
	oldKicked := ch.kicked
	ch.kicked = false
	before := s.botMemberLocked(ch, old)
	ch.kicked = oldKicked
	s.enqueueLocked("my_chat_member", &models.ChatMemberUpdated{
		Chat: ch.wire(), From: *actor, Date: int(s.clock.now().Unix()),
		OldChatMember: *before, NewChatMember: *s.botMemberLocked(ch, ch.BotRights),
	})
}
