package bot

import (
	"context"
	"sort"
	"strings"
	"unicode/utf16"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Editing a post before it goes, from Telegram: /edit 12 (or the Edit
// button of an approval card) asks for the new text; the editor's next
// message (text, or a photo with the text as its caption) is checked and
// shown back as the post will go out, with Save and Discard; Save stores
// it through the Queue (audited), unless the post changed since /edit.

// cmdEdit starts an edit: "/edit 12".
func (b *Bot) cmdEdit(ctx context.Context, r *req) {
	id, _, ok := b.postArgs(ctx, r, "/edit <post>, e.g. /edit 12")
	if !ok {
		return
	}
	b.startEdit(ctx, r, id, store.AnyRev)
}

// startEdit asks the editor for the new text of post id, showing what it
// says now. rev is the revision the editor saw (AnyRev: as it is now).
func (b *Bot) startEdit(ctx context.Context, r *req, id, rev int64) {
	p, err := b.cfg.Store.Post(ctx, id)
	if err == nil && rev != store.AnyRev && p.Rev != rev {
		err = &store.StaleError{Post: p}
	}
	if err == nil && !p.State.Editable() {
		err = herald.Sayf(herald.EConflict, herald.PhrasePostIs, id, p.State)
	}
	if err != nil {
		b.reply(ctx, r.chat, b.actionError(r, id, err))
		return
	}
	now := b.currentText(ctx, p)
	if err := b.cfg.Store.SetEditDraft(ctx, &store.EditDraft{UserID: r.from.ID, PostID: p.ID, Rev: p.Rev, Step: "text"}); err != nil {
		b.reply(ctx, r.chat, b.actionError(r, id, err))
		return
	}
	b.reply(ctx, r.chat, tr(r.lang, msgEditAsk, p.ID, purposeName(r.lang, p.Purpose), "<blockquote>"+now+"</blockquote>"))
}

// currentText is what post p says now, as Telegram HTML without its links:
// the edit's text, or the article's title and lead.
func (b *Bot) currentText(ctx context.Context, p *store.PostRow) string {
	if e, err := b.cfg.Store.PostEdit(ctx, p.ID); err == nil {
		return e.Text
	}
	a, err := b.cfg.Store.Article(ctx, p.ArticleID)
	if err != nil {
		return "?"
	}
	text := "<b>" + Escape(cleanLine(a.Title)) + "</b>"
	if lead := cleanText(a.Lead); lead != "" {
		text += "\n\n" + Escape(clampRunes(lead, 1500))
	}
	return text
}

// awaitedEdit treats an editor's message as the new text of the post they
// are editing, if they are. It reports whether it did.
func (b *Bot) awaitedEdit(ctx context.Context, m *models.Message, lang herald.Language) bool {
	d, err := b.cfg.Store.EditDraftOf(ctx, m.From.ID)
	if err != nil || d.Step != "text" {
		return false
	}
	r := &req{chat: m.Chat.ID, from: m.From, lang: lang, msg: m}
	e := &herald.PostEdit{PostID: d.PostID, EditedBy: m.From.ID}
	if len(m.Photo) > 0 {
		e.Text = entitiesHTML(m.Caption, m.CaptionEntities)
		e.Image = "tg:" + largestPhoto(m.Photo)
	} else {
		e.Text = entitiesHTML(m.Text, m.Entities)
	}
	p, a, ch, err := b.postParts(ctx, d.PostID)
	if err != nil {
		b.cfg.Store.DropEditDraft(ctx, m.From.ID)
		b.reply(ctx, r.chat, b.actionError(r, d.PostID, err))
		return true
	}
	if strings.TrimSpace(e.Text) == "" {
		b.reply(ctx, r.chat, tr(lang, msgEditBad, Escape(herald.ErrorMessageIn(herald.FieldError("text", "is empty; write the post's new text"), lang)), p.ID))
		return true
	}
	post, err := Render(a, ch, p.Purpose, RenderOptions{BotUsername: b.Username(), Now: b.cfg.Now(), Edit: e})
	if err != nil {
		b.reply(ctx, r.chat, tr(lang, msgEditBad, Escape(herald.ErrorMessage(err)), p.ID))
		return true // still waiting for a text that fits
	}
	d.Step, d.Text, d.Image = "preview", e.Text, e.Image
	if err := b.cfg.Store.SetEditDraft(ctx, d); err != nil {
		b.reply(ctx, r.chat, b.actionError(r, d.PostID, err))
		return true
	}
	pr := press{view: viewEdit, id: p.ID, rev: d.Rev}
	kb := (&Keyboard{}).Row(
		Button{Text: tr(lang, msgBtnSave), CallbackData: pr.with(opSaveEdit, p.ID, d.Rev).data()},
		Button{Text: tr(lang, msgBtnDiscard), CallbackData: pr.with(opDiscard, p.ID, d.Rev).data()})
	b.reply(ctx, r.chat, tr(lang, msgEditPreview, p.ID))
	b.sendPreview(ctx, r.chat, post, kb)
	return true
}

// sendPreview sends a rendered post to an editor as it will go out, with
// the keyboard of the preview in place of the post's own.
func (b *Bot) sendPreview(ctx context.Context, chatID int64, post *Post, kb *Keyboard) {
	_, err := patient(ctx, &b.holds, chatID, func() (*models.Message, error) {
		if post.Photo != "" || post.PhotoData != nil {
			return b.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chatID, Photo: photoInput(post),
				Caption: post.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: kb})
		}
		return b.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, Text: post.Text,
			ParseMode: models.ParseModeHTML, LinkPreviewOptions: post.Preview, ReplyMarkup: kb})
	})
	if err != nil {
		b.log.Warn("could not send an edit's preview", "chat", chatID, "err", b.redact(err.Error()))
	}
}

// finishEdit saves or discards the edit in progress on a preview's press.
func (b *Bot) finishEdit(ctx context.Context, r *req, at press, msgID int) (string, bool, bool) {
	d, err := b.cfg.Store.EditDraftOf(ctx, r.from.ID)
	if err != nil || d.PostID != at.id || d.Step != "preview" {
		return tr(r.lang, msgStale, at.id, "?"), true, true
	}
	b.cfg.Store.DropEditDraft(ctx, r.from.ID)
	if at.op == opDiscard {
		b.reply(ctx, r.chat, tr(r.lang, msgEditDiscarded, at.id))
		return tr(r.lang, msgEditDiscarded, at.id), false, true
	}
	e := &herald.PostEdit{PostID: d.PostID, Text: d.Text, Image: d.Image}
	if _, err := b.cfg.Queue.Edit(ctx, r.actor(), e, d.Rev, scheduler.EditChecker(CheckEdit)); err != nil {
		msg := b.actionError(r, at.id, err)
		b.reply(ctx, r.chat, msg)
		return stripTags(msg), true, true
	}
	b.reply(ctx, r.chat, tr(r.lang, msgEditSaved, at.id))
	return tr(r.lang, msgEditSaved, at.id), false, true
}

func (b *Bot) postParts(ctx context.Context, id int64) (*store.PostRow, *herald.Article, *herald.Channel, error) {
	p, err := b.cfg.Store.Post(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	a, err := b.cfg.Store.Article(ctx, p.ArticleID)
	if err != nil {
		return nil, nil, nil, err
	}
	ch, err := b.cfg.Store.Channel(ctx, p.ChannelID)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, a, ch, nil
}

func largestPhoto(ps []models.PhotoSize) string {
	best := ps[0]
	for _, p := range ps[1:] {
		if p.Width*p.Height > best.Width*best.Height {
			best = p
		}
	}
	return best.FileID
}

// entitiesHTML renders a message's text with its formatting as Telegram
// HTML: what the editor typed is escaped, what they made bold, italic, a
// link or a quote is kept. Entities count UTF-16 code units, as Telegram
// does.
func entitiesHTML(text string, ents []models.MessageEntity) string {
	u := utf16.Encode([]rune(text))
	type mark struct {
		at    int
		open  bool
		order int
		tag   string
	}
	var marks []mark
	for i, e := range ents {
		if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(u) {
			continue
		}
		var open, close string
		switch e.Type {
		case models.MessageEntityTypeBold:
			open, close = "<b>", "</b>"
		case models.MessageEntityTypeItalic:
			open, close = "<i>", "</i>"
		case models.MessageEntityTypeUnderline:
			open, close = "<u>", "</u>"
		case models.MessageEntityTypeStrikethrough:
			open, close = "<s>", "</s>"
		case models.MessageEntityTypeCode:
			open, close = "<code>", "</code>"
		case models.MessageEntityTypePre:
			open, close = "<pre>", "</pre>"
		case models.MessageEntityTypeSpoiler:
			open, close = "<tg-spoiler>", "</tg-spoiler>"
		case models.MessageEntityTypeBlockquote:
			open, close = "<blockquote>", "</blockquote>"
		case models.MessageEntityTypeTextLink:
			if httpURL(e.URL) == "" {
				continue
			}
			open, close = `<a href="`+Escape(e.URL)+`">`, "</a>"
		default:
			continue
		}
		marks = append(marks, mark{e.Offset, true, i, open}, mark{e.Offset + e.Length, false, i, close})
	}
	// Closing before opening at one place, inner before outer: entities
	// nest as Telegram sends them (an outer one first).
	sort.SliceStable(marks, func(i, j int) bool {
		if marks[i].at != marks[j].at {
			return marks[i].at < marks[j].at
		}
		if marks[i].open != marks[j].open {
			return !marks[i].open
		}
		if marks[i].open {
			return marks[i].order < marks[j].order
		}
		return marks[i].order > marks[j].order
	})
	var sb strings.Builder
	pos := 0
	for _, m := range marks {
		if m.at > pos {
			sb.WriteString(Escape(string(utf16.Decode(u[pos:m.at]))))
			pos = m.at
		}
		sb.WriteString(m.tag)
	}
	sb.WriteString(Escape(string(utf16.Decode(u[pos:]))))
	return sb.String()
}

// channelWorkflow is what /channels says of a channel's topic, filters and
// approval.
func channelWorkflow(lang herald.Language, c *herald.Channel) string {
	var parts []string
	if c.Topic != 0 {
		parts = append(parts, tr(lang, msgChannelTopic, c.Topic))
	}
	if len(c.Filters.Include) > 0 {
		parts = append(parts, tr(lang, msgChannelInclude, Escape(strings.Join(c.Filters.Include, ", "))))
	}
	if len(c.Filters.Exclude) > 0 {
		parts = append(parts, tr(lang, msgChannelExclude, Escape(strings.Join(c.Filters.Exclude, ", "))))
	}
	if c.Approval {
		parts = append(parts, tr(lang, msgChannelApproval))
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n<i>" + strings.Join(parts, " · ") + "</i>"
}
