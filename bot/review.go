package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/store"
)

// Review limits, the same on every network (see replies): a reader may
// write or change this many reviews in this window; beyond it the bot asks
// them to come back later.
const (
	reviewBurst  = replies.Burst
	reviewWindow = replies.Window
)

// Callback data of the readers' buttons: "rv1:<article>:<channel>:<rating>"
// for a rating, rating 0 for Skip.
const reviewCallback = "rv1"

func reviewData(articleID, channelID int64, rating int) string {
	return fmt.Sprintf("%s:%d:%d:%d", reviewCallback, articleID, channelID, rating)
}

func parseReviewData(s string) (articleID, channelID int64, rating int, ok bool) {
	f := strings.Split(s, ":")
	if len(f) != 4 || f[0] != reviewCallback {
		return 0, 0, 0, false
	}
	a, err1 := strconv.ParseInt(f[1], 10, 64)
	c, err2 := strconv.ParseInt(f[2], 10, 64)
	r, err3 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || err3 != nil || a <= 0 || c < 0 || r < 0 || r > 5 {
		return 0, 0, 0, false
	}
	return a, c, r, true
}

// readerLang is the language to speak to a reader in: theirs when herald
// speaks it, else the channel's, else English.
func (b *Bot) readerLang(ctx context.Context, u *models.User, channelID int64) herald.Language {
	if l, ok := userLang(u); ok {
		return l
	}
	if channelID != 0 {
		if ch, err := b.cfg.Store.Channel(ctx, channelID); err == nil {
			return ch.Language
		}
	}
	return herald.LangEnglish
}

// userLang is a reader's own language, when herald speaks it.
func userLang(u *models.User) (herald.Language, bool) {
	if u == nil {
		return "", false
	}
	code := strings.ToLower(u.LanguageCode)
	if len(code) > 2 {
		code = code[:2]
	}
	l := herald.Language(code)
	return l, l.Valid()
}

// startReview opens the review conversation from a post's deep link.
func (b *Bot) startReview(ctx context.Context, m *models.Message, payload string) {
	articleID, channelID, err := ParseReviewPayload(payload)
	lang := b.readerLang(ctx, m.From, channelID)
	if err != nil {
		b.reply(ctx, m.Chat.ID, Escape(rtr(lang, rBadLink)))
		return
	}
	a, err := b.cfg.Store.Article(ctx, articleID)
	if err != nil {
		b.reply(ctx, m.Chat.ID, Escape(rtr(lang, rBadLink)))
		return
	}
	if a.Status != herald.ArticlePublished {
		b.reply(ctx, m.Chat.ID, Escape(rtr(lang, rUnpublished)))
		return
	}
	if _, err := b.cfg.Store.Channel(ctx, channelID); err != nil {
		channelID = 0 // a link from a channel since removed still names the article
	}
	if err := b.cfg.Store.SaveSession(ctx, &store.ReviewSession{UserID: m.From.ID, ArticleID: a.ID,
		ChannelID: channelID, Step: "rating", Language: lang}); err != nil {
		b.log.Error("could not start a review", "err", err)
		return
	}
	title := Escape(oneLine(a.Title, 120))
	text := fmt.Sprintf(rtr(lang, rAskRating), title)
	if old, err := b.cfg.Store.Reviews(ctx, store.ReviewFilter{ArticleID: a.ID, UserID: m.From.ID}); err == nil && len(old) == 1 && old[0].Rating > 0 {
		text = fmt.Sprintf(rtr(lang, rAskRatingAgain), title, old[0].Rating)
	}
	kb := &Keyboard{}
	var row []Button
	for n := 1; n <= 5; n++ {
		row = append(row, Button{Text: strconv.Itoa(n) + " ⭐", CallbackData: reviewData(a.ID, channelID, n)})
	}
	kb.Row(row...)
	b.send(ctx, m.Chat.ID, text, kb)
}

// reviewPress handles a rating or Skip button.
func (b *Bot) reviewPress(ctx context.Context, cq *models.CallbackQuery) {
	articleID, channelID, rating, ok := parseReviewData(cq.Data)
	lang := b.readerLang(ctx, &cq.From, channelID)
	if !ok {
		b.answer(ctx, cq.ID, rtr(lang, rBadLink), true)
		return
	}
	var chatID int64
	var msgID int
	if m := cq.Message.Message; m != nil {
		chatID, msgID = m.Chat.ID, m.ID
	}
	if chatID == 0 {
		chatID = cq.From.ID
	}
	if rating == 0 { // Skip: the rating stands, without words
		b.cfg.Store.EndSession(ctx, cq.From.ID)
		b.answer(ctx, cq.ID, "", false)
		if msgID != 0 {
			b.edit(ctx, chatID, msgID, Escape(rtr(lang, rAskComment)), nil)
		}
		b.reply(ctx, chatID, Escape(rtr(lang, rThanksNoComment)))
		return
	}
	a, err := b.cfg.Store.Article(ctx, articleID)
	if err != nil || a.Status != herald.ArticlePublished {
		b.answer(ctx, cq.ID, rtr(lang, rUnpublished), true)
		return
	}
	if ok := b.saveReview(ctx, &cq.From, chatID, lang, &herald.Review{ArticleID: a.ID, ChannelID: channelID,
		Rating: rating, Source: herald.ReviewDM}, true); !ok {
		b.answer(ctx, cq.ID, "", false)
		return
	}
	if err := b.cfg.Store.SaveSession(ctx, &store.ReviewSession{UserID: cq.From.ID, ArticleID: a.ID,
		ChannelID: channelID, Step: "comment", Rating: rating, Language: lang}); err != nil {
		b.log.Error("could not keep a review conversation", "err", err)
	}
	b.answer(ctx, cq.ID, fmt.Sprintf(rtr(lang, rRated), strings.Repeat("⭐", rating)), false)
	if msgID != 0 {
		b.edit(ctx, chatID, msgID, Escape(oneLine(a.Title, 120))+"\n"+fmt.Sprintf(rtr(lang, rRated), strings.Repeat("⭐", rating)), nil)
	}
	kb := (&Keyboard{}).Row(Button{Text: rtr(lang, rSkip), CallbackData: reviewData(a.ID, channelID, 0)})
	b.send(ctx, chatID, Escape(rtr(lang, rAskComment)), kb)
}

// readerText takes a reader's plain message as the comment they were asked
// for.
func (b *Bot) readerText(ctx context.Context, m *models.Message) {
	sess, err := b.cfg.Store.Session(ctx, m.From.ID)
	lang := b.readerLang(ctx, m.From, 0)
	if err != nil || sess == nil {
		b.reply(ctx, m.Chat.ID, Escape(rtr(lang, rNoSession)))
		return
	}
	if sess.Language.Valid() {
		lang = sess.Language
	}
	text := cleanReviewText(m.Text)
	if text == "" {
		return
	}
	if n := utf8.RuneCountInString(text); n > herald.MaxReviewLen {
		sess.Draft = text
		b.cfg.Store.SaveSession(ctx, sess)
		b.reply(ctx, m.Chat.ID, Escape(fmt.Sprintf(rtr(lang, rTooLong), n, herald.MaxReviewLen)))
		return
	}
	r := &herald.Review{ArticleID: sess.ArticleID, ChannelID: sess.ChannelID, Rating: sess.Rating,
		Text: text, Source: herald.ReviewDM}
	if !b.saveReview(ctx, m.From, m.Chat.ID, lang, r, true) {
		return
	}
	b.cfg.Store.EndSession(ctx, m.From.ID)
	b.reply(ctx, m.Chat.ID, Escape(rtr(lang, rThanks)))
}

// saveReview applies the rules every review goes through — a banned reader
// is dropped quietly, the rate limit, spam, moderation — and stores it. It
// reports whether the conversation may go on; when it may not, the reader
// was told why (except a banned one).
func (b *Bot) saveReview(ctx context.Context, u *models.User, chatID int64, lang herald.Language, r *herald.Review, counted bool) bool {
	g, err := b.cfg.Store.ReviewGate(ctx, u.ID, r.ArticleID, r.ChannelID, b.windowStart(), spamProbe(r.Text))
	if err != nil {
		b.log.Error("could not check a review", "article", r.ArticleID, "err", err)
		return false
	}
	return b.keepReview(ctx, u, chatID, lang, r, counted, g)
}

// windowStart is when the rate limit's window began.
func (b *Bot) windowStart() time.Time { return b.cfg.Now().Add(-reviewWindow) }

// spamProbe is the text to look up on other articles (replies.SpamProbe).
func spamProbe(text string) string { return replies.SpamProbe(text) }

// keepReview is saveReview once what the rules need is known. What they
// need is read in one query and the review written in one statement: this
// is the path every review takes, and a popular post brings thousands at
// once.
func (b *Bot) keepReview(ctx context.Context, u *models.User, chatID int64, lang herald.Language, r *herald.Review, counted bool, g store.ReviewGate) bool {
	// Changing the review in progress is no new review (counted false).
	switch replies.Decide(g, r, counted) {
	case replies.DropQuiet:
		return true // quietly: the conversation goes on, nothing is kept
	case replies.OverLimit:
		if chatID != 0 { // comments in a group are dropped without a word
			b.reply(ctx, chatID, Escape(rtr(lang, rSlowDown)))
		}
		b.log.Info("review over the rate limit dropped", "user", u.ID, "article", r.ArticleID)
		return false
	}
	r.UserID, r.UserName, r.Username, r.Language = u.ID, strings.TrimSpace(u.FirstName+" "+u.LastName), u.Username, lang
	if _, err := b.cfg.Store.SaveReview(ctx, r); err != nil {
		b.log.Error("could not save a review", "article", r.ArticleID, "err", err)
		return false
	}
	b.cfg.Metrics.ReviewIn(string(r.Source))
	b.log.Info("review saved", "review", r.ID, "article", r.ArticleID, "rating", r.Rating, "source", r.Source, "status", r.Status)
	return true
}

// cleanReviewText cleans what a reader typed (replies.CleanText).
func cleanReviewText(s string) string { return replies.CleanText(s) }

// cmdForgetMe deletes a reader's reviews and conversation.
func (b *Bot) cmdForgetMe(ctx context.Context, m *models.Message) {
	lang := b.readerLang(ctx, m.From, 0)
	n, err := b.cfg.Store.PurgeReader(ctx, m.From.ID)
	if err != nil {
		b.log.Error("could not forget a reader", "err", err)
		return
	}
	b.cfg.Store.AddAudit(ctx, &herald.AuditEntry{UserID: m.From.ID, Action: "forget_me", Detail: fmt.Sprintf("%d reviews deleted", n)})
	if n == 0 {
		b.reply(ctx, m.Chat.ID, Escape(rtr(lang, rNothingToForget)))
		return
	}
	b.reply(ctx, m.Chat.ID, Escape(fmt.Sprintf(rtr(lang, rForgotten), n)))
}
