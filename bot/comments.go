package bot

import (
	"context"
	"strconv"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// groupMessage handles a message in a group: the automatic forward of a
// channel post into its discussion group is remembered, and a reader's
// reply to it becomes a review with source "comment".
func (b *Bot) groupMessage(ctx context.Context, m *models.Message) {
	if m.IsAutomaticForward {
		b.rememberCopy(ctx, m)
		return
	}
	if m.From == nil || m.From.IsBot || m.SenderChat != nil {
		return // channels and bots speaking in the group are not readers
	}
	text := cleanReviewText(m.Text)
	if text == "" {
		text = cleanReviewText(m.Caption)
	}
	if text == "" {
		return
	}
	if r := []rune(text); len(r) > herald.MaxReviewLen {
		text = string(r[:herald.MaxReviewLen]) // a comment is what it is: keep its start
	}
	p, g, ok := b.commentedPost(ctx, m, text)
	if !ok {
		return
	}
	lang := b.readerLang(ctx, m.From, p.ChannelID)
	r := &herald.Review{ArticleID: p.ArticleID, ChannelID: p.ChannelID, Text: text, Source: herald.ReviewComment,
		ChatID: m.Chat.ID, MessageID: int64(m.ID)}
	b.keepReview(ctx, m.From, 0, lang, r, true, g)
}

// groupEdit follows an edited comment into its review.
func (b *Bot) groupEdit(ctx context.Context, m *models.Message) {
	if m.From == nil {
		return
	}
	r, err := b.cfg.Store.ReviewByComment(ctx, m.Chat.ID, int64(m.ID))
	if err != nil || r.UserID != m.From.ID {
		return
	}
	text := cleanReviewText(m.Text)
	if text == "" {
		return
	}
	if rs := []rune(text); len(rs) > herald.MaxReviewLen {
		text = string(rs[:herald.MaxReviewLen])
	}
	r.Text = text
	b.saveReview(ctx, m.From, 0, r.Language, r, false)
}

// rememberCopy records which post an automatic forward copies.
func (b *Bot) rememberCopy(ctx context.Context, m *models.Message) {
	p := b.postOfOrigin(ctx, m.ForwardOrigin)
	if p == nil {
		return
	}
	if err := b.cfg.Store.AddPostCopy(ctx, m.Chat.ID, int64(m.ID), p.ID); err != nil {
		b.log.Warn("could not remember a post's copy in its discussion group", "err", err)
	}
}

// commentedPost finds the channel post a group message comments on — the
// automatic forward it replies to (remembered, or named by the reply's own
// origin), or the thread it belongs to — together with what the review
// rules need to know about the comment (text): in one query, for the
// usual reply to a remembered forward.
func (b *Bot) commentedPost(ctx context.Context, m *models.Message, text string) (store.PostRef, store.ReviewGate, bool) {
	gate := func(copyID int) (store.PostRef, store.ReviewGate, bool) {
		p, g, err := b.cfg.Store.CommentGate(ctx, m.Chat.ID, int64(copyID), m.From.ID, b.windowStart(), spamProbe(text))
		if err != nil && herald.ErrorCode(err) != herald.ENotFound {
			b.log.Error("could not check a comment", "chat", m.Chat.ID, "err", err)
		}
		return p, g, err == nil
	}
	if rt := m.ReplyToMessage; rt != nil {
		if p, g, ok := gate(rt.ID); ok {
			return p, g, true
		}
		if rt.IsAutomaticForward {
			if p := b.postOfOrigin(ctx, rt.ForwardOrigin); p != nil {
				// The forward came before its post was marked sent, and was
				// not remembered then: remember it now, for the replies to
				// this comment, which name only their thread.
				if err := b.cfg.Store.AddPostCopy(ctx, m.Chat.ID, int64(rt.ID), p.ID); err != nil {
					b.log.Warn("could not remember a post's copy in its discussion group", "err", err)
				}
				g, err := b.cfg.Store.ReviewGate(ctx, m.From.ID, p.ArticleID, p.ChannelID, b.windowStart(), spamProbe(text))
				if err != nil {
					b.log.Error("could not check a comment", "chat", m.Chat.ID, "err", err)
					return store.PostRef{}, store.ReviewGate{}, false
				}
				return store.PostRef{ID: p.ID, ArticleID: p.ArticleID, ChannelID: p.ChannelID}, g, true
			}
		}
	}
	if m.MessageThreadID != 0 {
		return gate(m.MessageThreadID)
	}
	return store.PostRef{}, store.ReviewGate{}, false
}

// postOfOrigin finds the post a forwarded channel message was.
func (b *Bot) postOfOrigin(ctx context.Context, o *models.MessageOrigin) *store.PostRow {
	if o == nil || o.MessageOriginChannel == nil {
		return nil
	}
	c := o.MessageOriginChannel
	chats := []string{strconv.FormatInt(c.Chat.ID, 10)}
	if c.Chat.Username != "" {
		chats = append(chats, "@"+c.Chat.Username)
	}
	p, err := b.cfg.Store.PostByMessage(ctx, chats, int64(c.MessageID))
	if err != nil {
		return nil
	}
	return p
}

// reactionCount keeps the latest reaction counts of a channel post.
func (b *Bot) reactionCount(ctx context.Context, u *models.MessageReactionCountUpdated) {
	chats := []string{strconv.FormatInt(u.Chat.ID, 10)}
	if u.Chat.Username != "" {
		chats = append(chats, "@"+u.Chat.Username)
	}
	p, err := b.cfg.Store.PostByMessage(ctx, chats, int64(u.MessageID))
	if err != nil {
		return
	}
	counts := map[string]int{}
	for _, r := range u.Reactions {
		switch {
		case r.Type.ReactionTypeEmoji != nil:
			counts[r.Type.ReactionTypeEmoji.Emoji] += r.TotalCount
		case r.Type.ReactionTypeCustomEmoji != nil:
			counts["custom:"+r.Type.ReactionTypeCustomEmoji.CustomEmojiID] += r.TotalCount
		case r.Type.ReactionTypePaid != nil:
			counts["paid"] += r.TotalCount
		}
	}
	if err := b.cfg.Store.SetReactions(ctx, p.ID, counts); err != nil {
		b.log.Warn("could not keep reactions", "post", p.ID, "err", err)
	}
}
