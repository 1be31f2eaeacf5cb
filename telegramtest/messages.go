package telegramtest

import (
	"encoding/json"
	"time"

	"github.com/go-telegram/bot/models"
)

// Message is a message as the fake holds it: what was sent, how Telegram
// would show it, and what happened to it since. GET
// /fake/chats/{id}/messages lists these as JSON.
type Message struct {
	ID     int   `json:"message_id"`
	ChatID int64 `json:"chat_id"`
	// MessageThreadID is the forum topic the message was sent to, 0 for none.
	MessageThreadID int          `json:"message_thread_id,omitempty"`
	From            *models.User `json:"from,omitempty"`        // the bot, for the bot's messages, channel posts included
	SenderChat      *models.Chat `json:"sender_chat,omitempty"` // a channel, for its posts and their automatic forwards
	Date            time.Time    `json:"date"`

	// Text is the text a reader sees: tags stripped and entities decoded.
	Text string `json:"text,omitempty"`
	// SentText is the text as the bot sent it, markup and all.
	SentText  string                 `json:"sent_text,omitempty"`
	ParseMode string                 `json:"parse_mode,omitempty"`
	Entities  []models.MessageEntity `json:"entities,omitempty"`

	Photo           []models.PhotoSize     `json:"photo,omitempty"`
	Caption         string                 `json:"caption,omitempty"`
	SentCaption     string                 `json:"sent_caption,omitempty"`
	CaptionEntities []models.MessageEntity `json:"caption_entities,omitempty"`

	ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup,omitempty"`
	// OtherMarkup is a reply keyboard, keyboard removal or force reply, as sent.
	OtherMarkup json.RawMessage `json:"other_markup,omitempty"`

	ReplyToMessageID    int                        `json:"reply_to_message_id,omitempty"`
	DisableNotification bool                       `json:"disable_notification"`
	ProtectContent      bool                       `json:"protect_content"`
	LinkPreviewOptions  *models.LinkPreviewOptions `json:"link_preview_options,omitempty"`

	// ForwardFrom is the user a forwarded message came from.
	ForwardFrom *models.User `json:"forward_from,omitempty"`
	// IsAutomaticForward marks a channel post Telegram copied into the
	// channel's discussion group; ForwardFromMessageID is the post.
	IsAutomaticForward   bool `json:"is_automatic_forward,omitempty"`
	ForwardFromMessageID int  `json:"forward_from_message_id,omitempty"`

	// History holds the message as it was before each edit, oldest first.
	History  []Version      `json:"history,omitempty"`
	EditedAt *time.Time     `json:"edited_at,omitempty"`
	Deleted  bool           `json:"deleted"`
	Reaction map[string]int `json:"reactions,omitempty"`
}

// Version is a message's content before one of its edits.
type Version struct {
	Text        string                       `json:"text,omitempty"`
	SentText    string                       `json:"sent_text,omitempty"`
	ParseMode   string                       `json:"parse_mode,omitempty"`
	Entities    []models.MessageEntity       `json:"entities,omitempty"`
	Caption     string                       `json:"caption,omitempty"`
	ReplyMarkup *models.InlineKeyboardMarkup `json:"reply_markup,omitempty"`
	ReplacedAt  time.Time                    `json:"replaced_at"`
}

// version is the message's current content.
func (m *Message) version(at time.Time) Version {
	return Version{Text: m.Text, SentText: m.SentText, ParseMode: m.ParseMode, Entities: m.Entities, Caption: m.Caption, ReplyMarkup: m.ReplyMarkup, ReplacedAt: at}
}

// copy is a deep enough copy to hand out without the lock.
func (m *Message) copy() Message {
	c := *m
	c.History = append([]Version(nil), m.History...)
	c.Entities = append([]models.MessageEntity(nil), m.Entities...)
	if m.Reaction != nil {
		c.Reaction = map[string]int{}
		for k, v := range m.Reaction {
			c.Reaction[k] = v
		}
	}
	return c
}

// Messages returns the messages in a chat, oldest first, deleted ones
// included (marked Deleted). It returns nil for an unknown chat.
func (s *Server) Messages(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[chatID]
	if ch == nil {
		return nil
	}
	out := make([]Message, 0, len(ch.messages))
	for _, m := range ch.messages {
		out = append(out, m.copy())
	}
	return out
}

// addMessageLocked stores a new message in the chat, giving it the chat's
// next message id and the fake's current time.
func (s *Server) addMessageLocked(ch *chat, m *Message) *Message {
	ch.nextID++
	m.ID = ch.nextID
	m.ChatID = ch.ID
	m.Date = s.clock.now().UTC()
	ch.messages = append(ch.messages, m)
	return m
}

// findMessageLocked returns a message of the chat that was not deleted.
func findMessageLocked(ch *chat, id int) *Message {
	if id <= 0 || id > len(ch.messages) {
		return nil
	}
	m := ch.messages[id-1]
	if m.Deleted {
		return nil
	}
	return m
}

// wireMessage is a message as the Bot API shows it.
type wireMessage struct {
	MessageID            int                        `json:"message_id"`
	MessageThreadID      int                        `json:"message_thread_id,omitempty"`
	IsTopicMessage       bool                       `json:"is_topic_message,omitempty"`
	From                 *models.User               `json:"from,omitempty"`
	SenderChat           *models.Chat               `json:"sender_chat,omitempty"`
	Date                 int64                      `json:"date"`
	Chat                 models.Chat                `json:"chat"`
	ForwardOrigin        map[string]any             `json:"forward_origin,omitempty"`
	IsAutomaticForward   bool                       `json:"is_automatic_forward,omitempty"`
	ReplyToMessage       *wireMessage               `json:"reply_to_message,omitempty"`
	EditDate             int64                      `json:"edit_date,omitempty"`
	HasProtectedContent  bool                       `json:"has_protected_content,omitempty"`
	Text                 string                     `json:"text,omitempty"`
	Entities             []models.MessageEntity     `json:"entities,omitempty"`
	LinkPreviewOptions   *models.LinkPreviewOptions `json:"link_preview_options,omitempty"`
	Photo                []models.PhotoSize         `json:"photo,omitempty"`
	Caption              string                     `json:"caption,omitempty"`
	CaptionEntities      []models.MessageEntity     `json:"caption_entities,omitempty"`
	ReplyMarkup          json.RawMessage            `json:"reply_markup,omitempty"`
	MigrateToChatID      int64                      `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID    int64                      `json:"migrate_from_chat_id,omitempty"`
	NewChatMembers       []models.User              `json:"new_chat_members,omitempty"`
	LeftChatMember       *models.User               `json:"left_chat_member,omitempty"`
	SupergroupChatCreate bool                       `json:"supergroup_chat_created,omitempty"`
}

// wireLocked renders a message the way the Bot API returns and delivers it.
func (s *Server) wireLocked(ch *chat, m *Message, withReply bool) *wireMessage {
	w := &wireMessage{
		MessageID:           m.ID,
		MessageThreadID:     m.MessageThreadID,
		IsTopicMessage:      m.MessageThreadID != 0,
		From:                m.From,
		SenderChat:          m.SenderChat,
		Date:                m.Date.Unix(),
		Chat:                ch.wire(),
		IsAutomaticForward:  m.IsAutomaticForward,
		HasProtectedContent: m.ProtectContent,
		Text:                m.Text,
		Entities:            m.Entities,
		LinkPreviewOptions:  m.LinkPreviewOptions,
		Photo:               m.Photo,
		Caption:             m.Caption,
		CaptionEntities:     m.CaptionEntities,
		ReplyMarkup:         wireKeyboard(m.ReplyMarkup),
	}
	if ch.channel() {
		// Channel posts have no author, only the channel.
		c := ch.wire()
		w.From, w.SenderChat = nil, &c
	}
	if m.EditedAt != nil {
		w.EditDate = m.EditedAt.Unix()
	}
	switch {
	case m.IsAutomaticForward && m.SenderChat != nil:
		w.ForwardOrigin = map[string]any{"type": "channel", "chat": m.SenderChat, "message_id": m.ForwardFromMessageID, "date": m.Date.Unix()}
	case m.ForwardFrom != nil:
		w.ForwardOrigin = map[string]any{"type": "user", "sender_user": m.ForwardFrom, "date": m.Date.Unix()}
	}
	if withReply && m.ReplyToMessageID != 0 {
		if r := findMessageLocked(ch, m.ReplyToMessageID); r != nil {
			w.ReplyToMessage = s.wireLocked(ch, r, false)
		}
	}
	return w
}

// wireKeyboard renders an inline keyboard without the empty fields the
// client library's types carry (copy_text), as Telegram would.
func wireKeyboard(k *models.InlineKeyboardMarkup) json.RawMessage {
	if k == nil {
		return nil
	}
	rows := make([][]map[string]any, 0, len(k.InlineKeyboard))
	for _, row := range k.InlineKeyboard {
		var out []map[string]any
		for _, b := range row {
			raw, _ := json.Marshal(b)
			var m map[string]any
			_ = json.Unmarshal(raw, &m)
			if b.CopyText.Text == "" {
				delete(m, "copy_text")
			}
			out = append(out, m)
		}
		rows = append(rows, out)
	}
	raw, _ := json.Marshal(map[string]any{"inline_keyboard": rows})
	return raw
}
