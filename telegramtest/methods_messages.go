package telegramtest

import (
	"context"

	"github.com/go-telegram/bot/models"
)

// telegramUser is the service account automatic forwards come from.
func telegramUser() models.User { return models.User{ID: 777000, FirstName: "Telegram"} }

// replyTo reads reply_parameters or the older reply_to_message_id, and
// checks that the message replied to exists.
func replyTo(ch *chat, p params) (int, *apiError) {
	var rp models.ReplyParameters
	if e := p.json("reply_parameters", &rp); e != nil {
		return 0, e
	}
	if rp.MessageID == 0 {
		id, e := p.int("reply_to_message_id")
		if e != nil {
			return 0, e
		}
		rp.MessageID = id
		rp.AllowSendingWithoutReply = p.bool("allow_sending_without_reply")
	}
	if rp.MessageID == 0 {
		return 0, nil
	}
	if findMessageLocked(ch, rp.MessageID) == nil {
		if rp.AllowSendingWithoutReply {
			return 0, nil
		}
		return 0, badRequest("message to be replied not found")
	}
	return rp.MessageID, nil
}

// outgoing reads what sendMessage and sendPhoto share: the chat, the bot's
// right to post there, the keyboard, the reply and the delivery options.
func (s *Server) outgoingLocked(p params) (*chat, *Message, *apiError) {
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, nil, e
	}
	if e := s.canPostLocked(ch); e != nil {
		return nil, nil, e
	}
	kb, other, e := parseReplyMarkup(p)
	if e != nil {
		return nil, nil, e
	}
	reply, e := replyTo(ch, p)
	if e != nil {
		return nil, nil, e
	}
	thread, e := s.threadLocked(ch, p)
	if e != nil {
		return nil, nil, e
	}
	bot := s.bot
	m := &Message{
		MessageThreadID:     thread,
		From:                &bot,
		ReplyMarkup:         kb,
		OtherMarkup:         other,
		ReplyToMessageID:    reply,
		DisableNotification: p.bool("disable_notification"),
		ProtectContent:      p.bool("protect_content"),
	}
	return ch, m, nil
}

// sendMessage posts a text message.
func (s *Server) sendMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.outgoingLocked(p)
	if e != nil {
		return nil, e
	}
	c, e := parseContent(p.str("text"), p.str("parse_mode"), p.str("entities"))
	if e != nil {
		return nil, e
	}
	switch {
	case c.text == "":
		return nil, badRequest("message text is empty")
	case UTF16Len(c.text) > MaxTextLength:
		return nil, badRequest("message is too long")
	}
	var lp models.LinkPreviewOptions
	if e := p.json("link_preview_options", &lp); e != nil {
		return nil, e
	}
	if p.bool("disable_web_page_preview") {
		yes := true
		lp.IsDisabled = &yes
	}
	if lp != (models.LinkPreviewOptions{}) {
		m.LinkPreviewOptions = &lp
	}
	if e := s.limitLocked("sendMessage", ch); e != nil {
		return nil, e
	}
	m.Text, m.SentText, m.ParseMode, m.Entities = c.text, c.sent, c.mode, c.ents
	s.postLocked(ch, m)
	return s.wireLocked(ch, m, true), nil
}

// sendPhoto posts a photo: an upload, a URL or the file_id of one sent before.
func (s *Server) sendPhoto(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.outgoingLocked(p)
	if e != nil {
		return nil, e
	}
	sizes, e := s.photoLocked(p)
	if e != nil {
		return nil, e
	}
	c, e := parseContent(p.str("caption"), p.str("parse_mode"), p.str("caption_entities"))
	if e != nil {
		return nil, e
	}
	if UTF16Len(c.text) > MaxCaptionLength {
		return nil, badRequest("message caption is too long")
	}
	if e := s.limitLocked("sendPhoto", ch); e != nil {
		return nil, e
	}
	m.Photo = sizes
	m.Caption, m.SentCaption, m.ParseMode, m.CaptionEntities = c.text, c.sent, c.mode, c.ents
	s.postLocked(ch, m)
	return s.wireLocked(ch, m, true), nil
}

// postLocked stores a message the bot sent. A post in a channel with a
// discussion group is copied into the group as an automatic forward, and the
// bot, as a member of the group, gets that as a message update.
func (s *Server) postLocked(ch *chat, m *Message) {
	s.addMessageLocked(ch, m)
	if ch.channel() && ch.LinkedChatID != 0 {
		if group := s.chats[ch.LinkedChatID]; group != nil {
			from, sender := telegramUser(), ch.wire()
			fwd := s.addMessageLocked(group, &Message{
				From: &from, SenderChat: &sender,
				Text: m.Text, Entities: m.Entities,
				Photo: m.Photo, Caption: m.Caption, CaptionEntities: m.CaptionEntities,
				IsAutomaticForward: true, ForwardFromMessageID: m.ID,
			})
			if group.BotRights != RightsNone {
				s.enqueueLocked("message", s.wireLocked(group, fwd, true))
			}
		}
	}
	s.notifyLocked()
}

// editTargetLocked finds a message the bot may edit.
func (s *Server) editTargetLocked(p params) (*chat, *Message, *apiError) {
	if p.str("inline_message_id") != "" {
		return nil, nil, badRequest("message to edit not found")
	}
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, nil, e
	}
	if e := s.canPostLocked(ch); e != nil {
		return nil, nil, e
	}
	id, e := p.int("message_id")
	if e != nil {
		return nil, nil, e
	}
	m := findMessageLocked(ch, id)
	if m == nil {
		return nil, nil, badRequest("message to edit not found")
	}
	if m.From == nil || m.From.ID != s.bot.ID {
		return nil, nil, badRequest("message can't be edited")
	}
	return ch, m, nil
}

func notModified() *apiError {
	return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
}

// editMessageText replaces a text message's text and keyboard; a keyboard
// left out is removed, as Telegram does.
func (s *Server) editMessageText(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.editTargetLocked(p)
	if e != nil {
		return nil, e
	}
	if m.Photo != nil {
		return nil, badRequest("there is no text in the message to edit")
	}
	c, e := parseContent(p.str("text"), p.str("parse_mode"), p.str("entities"))
	if e != nil {
		return nil, e
	}
	switch {
	case c.text == "":
		return nil, badRequest("message text is empty")
	case UTF16Len(c.text) > MaxTextLength:
		return nil, badRequest("message is too long")
	}
	kb, _, e := parseReplyMarkup(p)
	if e != nil {
		return nil, e
	}
	if c.text == m.Text && sameEntities(c.ents, m.Entities) && sameKeyboard(kb, m.ReplyMarkup) {
		return nil, notModified()
	}
	if e := s.limitLocked("editMessageText", ch); e != nil {
		return nil, e
	}
	s.editLocked(m)
	m.Text, m.SentText, m.ParseMode, m.Entities, m.ReplyMarkup = c.text, c.sent, c.mode, c.ents, kb
	return s.wireLocked(ch, m, true), nil
}

// editMessageCaption replaces a photo's caption and keyboard.
func (s *Server) editMessageCaption(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.editTargetLocked(p)
	if e != nil {
		return nil, e
	}
	if m.Photo == nil {
		return nil, badRequest("there is no caption in the message to edit")
	}
	c, e := parseContent(p.str("caption"), p.str("parse_mode"), p.str("caption_entities"))
	if e != nil {
		return nil, e
	}
	if UTF16Len(c.text) > MaxCaptionLength {
		return nil, badRequest("message caption is too long")
	}
	kb, _, e := parseReplyMarkup(p)
	if e != nil {
		return nil, e
	}
	if c.text == m.Caption && sameEntities(c.ents, m.CaptionEntities) && sameKeyboard(kb, m.ReplyMarkup) {
		return nil, notModified()
	}
	if e := s.limitLocked("editMessageCaption", ch); e != nil {
		return nil, e
	}
	s.editLocked(m)
	m.Caption, m.SentCaption, m.ParseMode, m.CaptionEntities, m.ReplyMarkup = c.text, c.sent, c.mode, c.ents, kb
	return s.wireLocked(ch, m, true), nil
}

// editMessageReplyMarkup replaces or (when left out) removes a keyboard.
func (s *Server) editMessageReplyMarkup(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, m, e := s.editTargetLocked(p)
	if e != nil {
		return nil, e
	}
	kb, _, e := parseReplyMarkup(p)
	if e != nil {
		return nil, e
	}
	if sameKeyboard(kb, m.ReplyMarkup) {
		return nil, notModified()
	}
	if e := s.limitLocked("editMessageReplyMarkup", ch); e != nil {
		return nil, e
	}
	s.editLocked(m)
	m.ReplyMarkup = kb
	return s.wireLocked(ch, m, true), nil
}

// editLocked keeps the message's current version in its history.
func (s *Server) editLocked(m *Message) {
	now := s.clock.now().UTC()
	m.History = append(m.History, m.version(now))
	m.EditedAt = &now
	s.notifyLocked()
}

// deleteMessage marks a message deleted. The bot may delete its own
// messages, and others' where it is an administrator or in a private chat.
func (s *Server) deleteMessage(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	id, e := p.int("message_id")
	if e != nil {
		return nil, e
	}
	m := findMessageLocked(ch, id)
	if m == nil {
		return nil, badRequest("message to delete not found")
	}
	mine := m.From != nil && m.From.ID == s.bot.ID
	if (ch.BotRights == RightsNone) || (!mine && !ch.private() && ch.BotRights != RightsAdmin) || (ch.channel() && ch.BotRights != RightsAdmin) {
		return nil, badRequest("message can't be deleted")
	}
	m.Deleted = true
	s.notifyLocked()
	return true, nil
}
