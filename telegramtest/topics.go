package telegramtest

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Forum topics. A supergroup with is_forum has topics; as in Telegram, a
// topic's id (message_thread_id) is the id of the service message that
// created it, and the General topic (id 1) is not one a bot may name in
// message_thread_id. A send to a closed topic fails with "Bad Request:
// TOPIC_CLOSED", to a deleted or unknown one with "Bad Request: message
// thread not found".

// topic is one forum topic of a chat.
type topic struct {
	ID        int    `json:"message_thread_id"`
	Name      string `json:"name"`
	IconColor int    `json:"icon_color"`
	Closed    bool   `json:"closed,omitempty"`
	Deleted   bool   `json:"deleted,omitempty"`
}

// Topic colours Telegram accepts in createForumTopic.
var topicColors = map[int]bool{0x6FB9F0: true, 0xFFD67E: true, 0xCB86DB: true, 0x8EEE98: true, 0xFF93B2: true, 0xFB6F5F: true}

// TopicRequest is the body of POST /fake/topics: make a topic (Name), or
// close, reopen or delete one (MessageThreadID with Closed / Deleted).
type TopicRequest struct {
	ChatID          int64  `json:"chat_id"`
	MessageThreadID int    `json:"message_thread_id,omitempty"`
	Name            string `json:"name,omitempty"`
	Closed          *bool  `json:"closed,omitempty"`
	Deleted         bool   `json:"deleted,omitempty"`
}

// Topic makes, closes, reopens or deletes a forum topic, as an admin of
// the chat would in Telegram's apps, and returns it in the shape of the Bot
// API's ForumTopic. A new topic gets the id Telegram would give it, not
// the one asked for.
func (s *Server) Topic(r TopicRequest) (models.ForumTopic, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.chats[r.ChatID]
	if ch == nil {
		return models.ForumTopic{}, fmt.Errorf("telegramtest: topic: no chat %d", r.ChatID)
	}
	var t *topic
	if r.Name != "" && (r.MessageThreadID == 0 || ch.topics[r.MessageThreadID] == nil) {
		nt, e := s.newTopicLocked(ch, r.Name, 0)
		if e != nil {
			return models.ForumTopic{}, fmt.Errorf("telegramtest: topic: %s", e.Description)
		}
		t = nt
	} else if t = ch.topics[r.MessageThreadID]; t == nil {
		return models.ForumTopic{}, fmt.Errorf("telegramtest: topic: chat %d has no topic %d", r.ChatID, r.MessageThreadID)
	}
	if r.Closed != nil {
		t.Closed = *r.Closed
	}
	if r.Deleted {
		t.Deleted = true
	}
	s.notifyLocked()
	return t.wire(), nil
}

func (t *topic) wire() models.ForumTopic {
	return models.ForumTopic{MessageThreadID: t.ID, Name: t.Name, IconColor: t.IconColor}
}

// newTopicLocked makes a topic in a forum: its service message, then the
// topic under that message's id.
func (s *Server) newTopicLocked(ch *chat, name string, color int) (*topic, *apiError) {
	if ch.Type != "supergroup" || !ch.IsForum {
		return nil, badRequest("the chat is not a forum")
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 128 {
		return nil, badRequest("TOPIC_TITLE_EMPTY")
	}
	if color == 0 {
		color = 0x6FB9F0
	}
	if !topicColors[color] {
		return nil, badRequest("TOPIC_ICON_COLOR_INVALID")
	}
	if ch.topics == nil {
		ch.topics = map[int]*topic{}
	}
	if len(ch.messages) == 0 {
		// The forum's General topic is its first message.
		s.addMessageLocked(ch, &Message{Text: "General"})
	}
	bot := s.bot
	m := s.addMessageLocked(ch, &Message{From: &bot, Text: name})
	t := &topic{ID: m.ID, Name: name, IconColor: color}
	ch.topics[t.ID] = t
	return t, nil
}

// threadLocked checks the message_thread_id of a send to ch: a topic of
// the forum that is open.
func (s *Server) threadLocked(ch *chat, p params) (int, *apiError) {
	id, e := p.int("message_thread_id")
	if e != nil || id == 0 {
		return 0, e
	}
	t := ch.topics[id]
	switch {
	case t == nil || t.Deleted:
		return 0, badRequest("message thread not found")
	case t.Closed:
		return 0, badRequest("TOPIC_CLOSED")
	}
	return id, nil
}

// topicAdminLocked finds the forum and topic a topic method names, and
// checks the bot may manage topics there.
func (s *Server) topicAdminLocked(p params, needTopic bool) (*chat, *topic, *apiError) {
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, nil, e
	}
	if ch.Type != "supergroup" || !ch.IsForum {
		return nil, nil, badRequest("the chat is not a forum")
	}
	if ch.BotRights != RightsAdmin {
		return nil, nil, badRequest("not enough rights to manage topics")
	}
	if !needTopic {
		return ch, nil, nil
	}
	id, e := p.int("message_thread_id")
	if e != nil {
		return nil, nil, e
	}
	t := ch.topics[id]
	if t == nil || t.Deleted {
		return nil, nil, badRequest("message thread not found")
	}
	return ch, t, nil
}

func (s *Server) createForumTopic(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, _, e := s.topicAdminLocked(p, false)
	if e != nil {
		return nil, e
	}
	color := 0
	if v := p.str("icon_color"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, badRequest("TOPIC_ICON_COLOR_INVALID")
		}
		color = n
	}
	t, e := s.newTopicLocked(ch, p.str("name"), color)
	if e != nil {
		return nil, e
	}
	s.notifyLocked()
	return t.wire(), nil
}

func (s *Server) closeForumTopic(_ context.Context, p params) (any, *apiError) {
	return s.setTopic(p, func(t *topic) *apiError {
		if t.Closed {
			return badRequest("TOPIC_NOT_MODIFIED")
		}
		t.Closed = true
		return nil
	})
}

func (s *Server) reopenForumTopic(_ context.Context, p params) (any, *apiError) {
	return s.setTopic(p, func(t *topic) *apiError {
		if !t.Closed {
			return badRequest("TOPIC_NOT_MODIFIED")
		}
		t.Closed = false
		return nil
	})
}

func (s *Server) deleteForumTopic(_ context.Context, p params) (any, *apiError) {
	return s.setTopic(p, func(t *topic) *apiError {
		t.Deleted = true
		return nil
	})
}

func (s *Server) setTopic(p params, change func(*topic) *apiError) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, t, e := s.topicAdminLocked(p, true)
	if e != nil {
		return nil, e
	}
	if e := change(t); e != nil {
		return nil, e
	}
	s.notifyLocked()
	return true, nil
}
