package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

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
	text, ok := readerComment(m)
	if !ok {
		return
	}
	if c := b.quickComment(m, text); c != nil {
		if b.keepComments(ctx, []*store.Comment{c}) == 1 {
			return
		}
	}
	b.commentSlowly(ctx, m, text)
}

// commentSlowly is groupMessage for a comment that was not stored quickly
// (see keepComments).
func (b *Bot) commentSlowly(ctx context.Context, m *models.Message, text string) {
	p, g, ok := b.commentedPost(ctx, m, text)
	if !ok {
		return
	}
	lang := b.readerLang(ctx, m.From, p.ChannelID)
	r := &herald.Review{ArticleID: p.ArticleID, ChannelID: p.ChannelID, Text: text, Source: herald.ReviewComment,
		ChatID: m.Chat.ID, MessageID: int64(m.ID)}
	b.keepReview(ctx, m.From, 0, lang, r, true, g)
}

// readerComment is the text of a reader's message in a group, as a
// review keeps it; false when it is no reader's or says nothing.
func readerComment(m *models.Message) (string, bool) {
	if m.From == nil || m.From.IsBot || m.SenderChat != nil {
		return "", false // channels and bots speaking in the group are not readers
	}
	text := cleanReviewText(m.Text)
	if text == "" {
		text = cleanReviewText(m.Caption)
	}
	if text == "" {
		return "", false
	}
	if r := []rune(text); len(r) > herald.MaxReviewLen {
		text = string(r[:herald.MaxReviewLen]) // a comment is what it is: keep its start
	}
	return text, true
}

// quickComment is a group message's usual case as store.SaveComment takes
// it — a reader's reply (text) to a message, which is usually a
// remembered forward, by a reader whose language herald speaks — or nil
// when the message is not that case.
func (b *Bot) quickComment(m *models.Message, text string) *store.Comment {
	rt := m.ReplyToMessage
	lang, ok := userLang(m.From)
	if rt == nil || !ok || m.From.ID == 0 {
		return nil
	}
	return &store.Comment{ChatID: m.Chat.ID, CopyID: int64(rt.ID), MessageID: int64(m.ID),
		UserID: m.From.ID, UserName: strings.TrimSpace(m.From.FirstName + " " + m.From.LastName), Username: m.From.Username,
		Language: lang, Text: text, SpamProbe: spamProbe(text), Since: b.windowStart(), Burst: reviewBurst}
}

// keepComments stores quick comments, one after the other, in one
// statement each and one commit for all: each is tied to its post, goes
// through the rules and is stored (see store.SaveComments). It returns
// how many, from the first, were stored; the next one was not — its reply
// is to no remembered forward, its reader is banned or over the rate
// limit, or the write failed — and the caller takes it through
// commentedPost and keepReview, which find out which and act on it as
// ever.
func (b *Bot) keepComments(ctx context.Context, cs []*store.Comment) int {
	kept, err := b.cfg.Store.SaveComments(ctx, cs)
	if err != nil {
		b.log.Error("could not save a review", "chat", cs[0].ChatID, "err", err)
		return 0
	}
	for _, r := range kept {
		b.cfg.Metrics.ReviewIn(string(r.Source))
		b.log.Info("review saved", "review", r.ID, "article", r.ArticleID, "rating", r.Rating, "source", r.Source, "status", r.Status)
	}
	return len(kept)
}

// laneComment is the quick comment a lane's job is (see quickComment), or
// nil: what route would hand groupMessage, in its usual case.
func (b *Bot) laneComment(j laneJob) *store.Comment {
	if j.fn != nil || j.u == nil {
		return nil
	}
	m := j.u.Message
	if m == nil || m.Chat.Type == models.ChatTypePrivate || m.IsAutomaticForward {
		return nil
	}
	text, ok := readerComment(m)
	if !ok {
		return nil
	}
	return b.quickComment(m, text)
}

// commentRun handles a run of a lane's jobs that are all quick comments,
// in their order, as route would one by one, but with one commit for the
// comments stored together: a popular post's comments come in floods, and
// a commit each was most of their cost. A comment not stored quickly goes
// through route on its own before the ones after it.
func (b *Bot) commentRun(jobs []laneJob) {
	cs := make([]*store.Comment, len(jobs))
	for i, j := range jobs {
		cs[i] = b.laneComment(j)
	}
	for done := 0; done < len(jobs); {
		done = b.commentStep(jobs, cs, done)
	}
}

// commentStep stores the quick comments of jobs from done on that it can
// together, then takes the next one slowly; it returns how many jobs are
// done. A panic skips the job at done, as recoverer does, and the run goes
// on after it.
func (b *Bot) commentStep(jobs []laneJob, cs []*store.Comment, done int) (next int) {
	defer func() {
		if r := recover(); r != nil {
			b.log.Error("handler panicked; update skipped", "update_id", jobs[next].u.ID, "panic", fmt.Sprint(r),
				"stack", string(debug.Stack()))
			b.handled(jobs[next].u.ID)
			next++
		}
	}()
	next = done
	n := b.keepComments(jobs[done].ctx, cs[done:])
	for _, j := range jobs[done : done+n] {
		b.routed(j.u)
		b.handled(j.u.ID)
	}
	next += n
	if next < len(jobs) {
		j := jobs[next]
		b.routed(j.u)
		text, _ := readerComment(j.u.Message)
		b.commentSlowly(j.ctx, j.u.Message, text)
		b.handled(j.u.ID)
		next++
	}
	return next
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
