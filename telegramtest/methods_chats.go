package telegramtest

import (
	"context"
	"slices"
	"strconv"

	"github.com/go-telegram/bot/models"
)

// getMe describes the bot.
func (s *Server) getMe(_ context.Context, _ params) (any, *apiError) {
	return map[string]any{
		"id": s.bot.ID, "is_bot": true, "first_name": s.bot.FirstName, "username": s.bot.Username,
		"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
		"can_connect_to_business": false, "has_main_web_app": false,
	}, nil
}

// getChat describes a chat, with linked_chat_id for a channel's discussion
// group (and a group's channel).
func (s *Server) getChat(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	info := map[string]any{"id": ch.ID, "type": ch.Type, "accent_color_id": 0, "max_reaction_count": 11,
		"accepted_gift_types": map[string]bool{"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false}}
	if ch.Title != "" {
		info["title"] = ch.Title
	}
	if ch.Username != "" {
		info["username"] = ch.Username
		info["active_usernames"] = []string{ch.Username}
	}
	if ch.private() {
		info["first_name"] = ch.FirstName
		if ch.LastName != "" {
			info["last_name"] = ch.LastName
		}
	}
	if ch.LinkedChatID != 0 {
		info["linked_chat_id"] = ch.LinkedChatID
	}
	return info, nil
}

// botMemberLocked is the bot's membership of the chat.
func (s *Server) botMemberLocked(ch *chat, rights string) *models.ChatMember {
	bot := s.bot
	switch {
	case rights == RightsAdmin && !ch.private():
		return &models.ChatMember{Type: models.ChatMemberTypeAdministrator, Administrator: &models.ChatMemberAdministrator{
			User: bot, CanManageChat: true, CanDeleteMessages: true, CanInviteUsers: true, CanRestrictMembers: !ch.channel(),
			CanPostMessages: ch.channel(), CanEditMessages: ch.channel(), CanPinMessages: !ch.channel(),
		}}
	case rights == RightsNone && (ch.kicked || ch.private()):
		return &models.ChatMember{Type: models.ChatMemberTypeBanned, Banned: &models.ChatMemberBanned{User: &bot}}
	case rights == RightsNone:
		return &models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{User: &bot}}
	}
	return &models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: &bot}}
}

// userMemberLocked is a user's membership of the chat: creator or
// administrator when listed in Admins, member once seen there, else left.
func (s *Server) userMemberLocked(ch *chat, u *models.User) *models.ChatMember {
	i := slices.Index(ch.Admins, u.ID)
	switch {
	case i == 0:
		return &models.ChatMember{Type: models.ChatMemberTypeOwner, Owner: &models.ChatMemberOwner{User: u}}
	case i > 0:
		return &models.ChatMember{Type: models.ChatMemberTypeAdministrator, Administrator: &models.ChatMemberAdministrator{
			User: *u, CanManageChat: true, CanDeleteMessages: true, CanInviteUsers: true, CanPostMessages: ch.channel(), CanEditMessages: ch.channel(),
		}}
	case ch.members[u.ID] || (ch.private() && ch.ID == u.ID):
		return &models.ChatMember{Type: models.ChatMemberTypeMember, Member: &models.ChatMemberMember{User: u}}
	}
	return &models.ChatMember{Type: models.ChatMemberTypeLeft, Left: &models.ChatMemberLeft{User: u}}
}

// getChatMember tells a user's or the bot's status in a chat.
func (s *Server) getChatMember(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	userID, err := strconv.ParseInt(p.str("user_id"), 10, 64)
	if err != nil {
		return nil, badRequest("invalid user_id specified")
	}
	if userID == s.bot.ID {
		return s.botMemberLocked(ch, ch.BotRights), nil
	}
	u := s.users[userID]
	if u == nil {
		return nil, badRequest("user not found")
	}
	return s.userMemberLocked(ch, u), nil
}

// getChatAdministrators lists a group's or channel's administrators: those
// in Chat.Admins, and the bot when it is one.
func (s *Server) getChatAdministrators(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	if ch.private() {
		return nil, badRequest("there are no administrators in the private chat")
	}
	if ch.BotRights == RightsNone && ch.channel() {
		return nil, badRequest("member list is inaccessible")
	}
	out := []*models.ChatMember{}
	for _, id := range ch.Admins {
		out = append(out, s.userMemberLocked(ch, s.userLocked(id)))
	}
	if ch.BotRights == RightsAdmin {
		out = append(out, s.botMemberLocked(ch, RightsAdmin))
	}
	return out, nil
}

// chatActions are the actions sendChatAction takes.
func chatActions() []string {
	return []string{"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
		"upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
}

// sendChatAction checks the chat and the action; the fake only journals it.
func (s *Server) sendChatAction(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, e := s.resolveChatLocked(p.str("chat_id"))
	if e != nil {
		return nil, e
	}
	if e := s.canPostLocked(ch); e != nil {
		return nil, e
	}
	if !slices.Contains(chatActions(), p.str("action")) {
		return nil, badRequest("wrong parameter action in request")
	}
	return true, nil
}
