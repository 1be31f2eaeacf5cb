package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

func (b *Bot) cmdArticles(ctx context.Context, r *req) {
	kind := herald.Kind(strings.TrimSpace(r.args))
	held := kind == "held" // only those herald holds for an editor
	if held {
		kind = ""
	}
	if kind != "" && !kind.Valid() {
		b.reply(ctx, r.chat, tr(r.lang, msgUsage, "/articles [commentary|episode|news], /articles held"))
		return
	}
	arts, err := b.cfg.Store.Articles(ctx, store.ArticleFilter{Kind: kind, Held: held, Limit: 10})
	if err != nil || len(arts) == 0 {
		b.reply(ctx, r.chat, tr(r.lang, msgArticlesEmpty))
		return
	}
	var sb strings.Builder
	sb.WriteString(tr(r.lang, msgArticlesHeader))
	for _, a := range arts {
		fmt.Fprintf(&sb, "\n\n<b>#%d</b> · %s · %s · %s\n%s", a.ID, a.Kind, a.Language,
			Escape(herald.FormatWhenIn(a.PublishedAt, b.zoneOf(nil), r.lang)), Escape(oneLine(a.Title, 90)))
		if a.NeedsEditor != "" {
			// Held: herald will not plan it; the reason said in the editor's language.
			fmt.Fprintf(&sb, "\n✋ <i>%s: %s</i>", tr(r.lang, msgHeld), Escape(heldReason(r.lang, a.NeedsEditor)))
		}
		posts, err := b.cfg.Store.Posts(ctx, store.PostFilter{ArticleID: a.ID})
		if err != nil {
			continue
		}
		if len(posts) == 0 {
			sb.WriteString("\n<i>" + tr(r.lang, msgNoPosts) + "</i>")
		}
		for _, p := range posts {
			ch, loc := b.postZone(ctx, p)
			title := "?"
			if ch != nil {
				title = ch.Title
			}
			fmt.Fprintf(&sb, "\n  #%d %s: %s, %s", p.ID, Escape(title), stateName(r.lang, p.State),
				Escape(herald.FormatWhenIn(p.ScheduledAt, loc, r.lang)))
		}
	}
	b.reply(ctx, r.chat, sb.String())
}

// cmdArticle previews an article on every channel that takes it, rendered
// exactly as the channel's readers will see it.
func (b *Bot) cmdArticle(ctx context.Context, r *req) {
	a, err := b.articleRef(ctx, strings.TrimSpace(r.args))
	if strings.TrimSpace(r.args) == "" {
		b.reply(ctx, r.chat, tr(r.lang, msgUsage, "/article &lt;id&gt;"))
		return
	}
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	cs, err := b.cfg.Store.Channels(ctx)
	if err != nil {
		return
	}
	shown := 0
	for _, ch := range cs {
		if !ch.Takes(a.Kind, a.Language) || shown >= 3 {
			continue
		}
		post, err := Render(a, ch, herald.PurposePublish, RenderOptions{BotUsername: b.username, Now: b.cfg.Now()})
		if err != nil {
			b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, Escape(err.Error())))
			continue
		}
		b.reply(ctx, r.chat, tr(r.lang, msgPreviewHeader, a.ID, Escape(ch.Title)))
		params := &tgbot.SendMessageParams{ChatID: r.chat, Text: post.Text, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: post.Preview}
		if post.Button != nil {
			params.ReplyMarkup = KeyboardOf(post.Button)
		}
		if post.Photo != "" {
			_, err = b.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: r.chat, Photo: &models.InputFileString{Data: post.Photo},
				Caption: post.Text, ParseMode: models.ParseModeHTML, ReplyMarkup: params.ReplyMarkup})
		} else {
			_, err = b.tg.SendMessage(ctx, params)
		}
		if err != nil {
			b.log.Warn("could not send a preview", "err", b.redact(err.Error()))
		}
		shown++
	}
	if shown == 0 {
		b.reply(ctx, r.chat, tr(r.lang, msgNoChannels))
	}
}

func (b *Bot) cmdEditors(ctx context.Context, r *req) {
	eds, err := b.cfg.Store.Editors(ctx)
	if err != nil {
		return
	}
	var sb strings.Builder
	sb.WriteString(tr(r.lang, msgEditorsHeader))
	for _, e := range eds {
		name := e.Name
		if name == "" {
			name = "—"
		}
		fmt.Fprintf(&sb, "\n%s · <code>%d</code> · %s", roleName(r.lang, e.Role), e.UserID, EscapeReader(name))
	}
	b.reply(ctx, r.chat, sb.String())
}

// cmdEditor adds or removes an editor: "/editor add 123", "/editor remove
// 123", or "/editor add" in reply to a message the person forwarded.
func (b *Bot) cmdEditor(ctx context.Context, r *req) {
	if r.ed.Role != herald.RoleOwner {
		b.auditRefusal(ctx, r.from.ID, "/editor "+oneLine(r.args, 60))
		b.reply(ctx, r.chat, tr(r.lang, msgOwnersOnly))
		return
	}
	verb, rest, _ := strings.Cut(strings.TrimSpace(r.args), " ")
	var id int64
	name := ""
	if n, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64); err == nil && n > 0 {
		id = n
	} else if rt := r.msg.ReplyToMessage; rt != nil && rt.ForwardOrigin != nil && rt.ForwardOrigin.MessageOriginUser != nil {
		u := rt.ForwardOrigin.MessageOriginUser.SenderUser
		id, name = u.ID, displayName(&u)
	}
	if (verb != "add" && verb != "remove") || id == 0 {
		b.reply(ctx, r.chat, tr(r.lang, msgEditorWho))
		return
	}
	if name == "" {
		name = strconv.FormatInt(id, 10)
	}
	var err error
	if verb == "add" {
		err = b.cfg.Store.AddEditor(ctx, &herald.Editor{UserID: id, Name: name, AddedBy: r.from.ID})
	} else {
		err = b.cfg.Store.RemoveEditor(ctx, id)
	}
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	b.cfg.Store.AddAudit(ctx, &herald.AuditEntry{UserID: r.from.ID, Action: "editor_" + verb, Detail: fmt.Sprintf("user %d", id)})
	b.setCommandsFor(ctx, id, verb == "add")
	if verb == "add" {
		b.reply(ctx, r.chat, tr(r.lang, msgEditorAdded, EscapeReader(name)))
	} else {
		b.reply(ctx, r.chat, tr(r.lang, msgEditorRemoved, Escape(name)))
	}
}

func (b *Bot) cmdAudit(ctx context.Context, r *req) {
	n := 15
	if v, err := strconv.Atoi(strings.TrimSpace(r.args)); err == nil && v > 0 {
		n = min(v, 50)
	}
	entries, err := b.cfg.Store.Audit(ctx, n)
	if err != nil || len(entries) == 0 {
		b.reply(ctx, r.chat, tr(r.lang, msgAuditEmpty))
		return
	}
	var sb strings.Builder
	sb.WriteString(tr(r.lang, msgAuditHeader))
	loc := b.zoneOf(nil)
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.PostID
	}
	nets, err := b.cfg.Store.PostNetworks(ctx, ids)
	if err != nil {
		b.log.Error("could not read the networks of audited posts", "err", err)
	}
	for _, e := range entries {
		who := "cli"
		if e.UserID != 0 {
			who = strconv.FormatInt(e.UserID, 10)
		}
		post := ""
		if e.PostID != 0 {
			post = fmt.Sprintf(" #%d", e.PostID)
			if n := networkLabel(&herald.Channel{Network: nets[e.PostID]}); n != "" {
				post += " (" + n + ")"
			}
		}
		times := ""
		if e.Count > 1 {
			times = " " + tr(r.lang, msgAuditTimes, e.Count, Escape(herald.FormatWhenIn(e.LastAt, loc, r.lang)))
		}
		fmt.Fprintf(&sb, "\n%s · %s · <b>%s</b>%s%s · %s", Escape(herald.FormatWhenIn(e.At, loc, r.lang)), who,
			Escape(e.Action), post, times, EscapeReader(oneLine(e.Detail, 80)))
	}
	b.reply(ctx, r.chat, sb.String())
}

// awaitKey is where the bot remembers that an editor pressed "Type a time"
// and the next message they send is that time. It lives in the database, so
// a restart in between loses nothing.
func awaitKey(userID int64) string { return "await.time." + strconv.FormatInt(userID, 10) }

func (b *Bot) await(ctx context.Context, userID, postID, rev int64) error {
	return b.cfg.Store.SetValue(ctx, awaitKey(userID), fmt.Sprintf("%d:%d", postID, rev))
}

// awaitedTime treats an editor's plain message as the time they were asked
// for, if they were asked. It reports whether it did.
func (b *Bot) awaitedTime(ctx context.Context, m *models.Message, lang herald.Language) bool {
	v, ok, err := b.cfg.Store.Value(ctx, awaitKey(m.From.ID))
	if err != nil || !ok || v == "" {
		return false
	}
	var postID, rev int64
	if _, err := fmt.Sscanf(v, "%d:%d", &postID, &rev); err != nil {
		return false
	}
	r := &req{chat: m.Chat.ID, from: m.From, lang: lang, args: m.Text, msg: m}
	p, err := b.cfg.Store.Post(ctx, postID)
	if err != nil {
		b.cfg.Store.SetValue(ctx, awaitKey(m.From.ID), "")
		b.reply(ctx, m.Chat.ID, b.actionError(r, postID, err))
		return true
	}
	_, loc := b.postZone(ctx, p)
	at, err := herald.ParseWhen(m.Text, b.cfg.Now(), loc)
	if err != nil {
		// Keep waiting: the editor may try again.
		b.reply(ctx, m.Chat.ID, badTime(lang, err))
		return true
	}
	b.cfg.Store.SetValue(ctx, awaitKey(m.From.ID), "")
	b.moveTo(ctx, r, postID, rev, at, loc)
	return true
}

// nextSlot returns the channel's next free moment after t for the post
// at its current time own, which does not count against itself.
func (b *Bot) nextSlot(ctx context.Context, ch *herald.Channel, t, own time.Time) (time.Time, error) {
	rules, err := scheduler.CompileRules(ch, b.cfg.Zone)
	if err != nil {
		return time.Time{}, err
	}
	all, err := b.cfg.Store.ChannelTimes(ctx, ch.ID, t.Add(-48*time.Hour))
	if err != nil {
		return time.Time{}, err
	}
	var taken []time.Time
	skipped := false
	for _, x := range all {
		if !skipped && x.Equal(own) {
			skipped = true
			continue
		}
		taken = append(taken, x)
	}
	at, _, err := rules.Next(t, taken)
	if err != nil {
		return time.Time{}, herald.Errorf(herald.EConflict, "%v", err)
	}
	return at, nil
}

// Command lists, as Telegram shows them in the menu: readers see /start and
// /help; editors see theirs, in their private chat with the bot. Each is
// published in every language herald speaks; Telegram shows a person the
// one of their app's language, and English to the rest.
func readerCommandList(lang herald.Language) []models.BotCommand {
	return []models.BotCommand{{Command: "start", Description: tr(lang, msgCmdStart)}, {Command: "help", Description: tr(lang, msgCmdHelp)}}
}

func editorCommandList(lang herald.Language) []models.BotCommand {
	cmds := []struct {
		name string
		m    msg
	}{{"queue", msgCmdQueue}, {"schedule", msgCmdSchedule}, {"reschedule", msgCmdReschedule}, {"postnow", msgCmdPostnow},
		{"cancel", msgCmdCancel}, {"articles", msgCmdArticles}, {"article", msgCmdArticle}, {"channels", msgCmdChannels},
		{"pause", msgCmdPause}, {"resume", msgCmdResume}, {"unknown", msgCmdUnknown}, {"failed", msgCmdFailed},
		{"editors", msgCmdEditors}, {"audit", msgCmdAudit}, {"desk", msgCmdDesk}, {"edit", msgCmdEdit}, {"filter", msgCmdFilter}, {"approval", msgCmdApproval}, {"help", msgCmdHelpeditor}}
	out := make([]models.BotCommand, len(cmds))
	for i, c := range cmds {
		out[i] = models.BotCommand{Command: c.name, Description: tr(lang, c.m)}
	}
	return out
}

// menuLanguages are the language codes the menus are published under: ""
// is Telegram's default, for everyone whose language has no menu.
var menuLanguages = []herald.Language{"", herald.LangAzerbaijani, herald.LangRussian}

// SetCommands publishes the command menus: /start and /help for everyone
// in private chats, the editors' list in each editor's chat.
func (b *Bot) SetCommands(ctx context.Context) error {
	for _, lang := range menuLanguages {
		_, err := b.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: readerCommandList(lang),
			Scope: &models.BotCommandScopeAllPrivateChats{}, LanguageCode: string(lang)})
		if err != nil {
			return fmt.Errorf("set commands: %s", b.redact(err.Error()))
		}
	}
	eds, err := b.cfg.Store.Editors(ctx)
	if err != nil {
		return err
	}
	for _, e := range eds {
		b.setCommandsFor(ctx, e.UserID, true)
	}
	return nil
}

// setCommandsFor gives one user the editors' menu, or takes it away.
func (b *Bot) setCommandsFor(ctx context.Context, userID int64, editor bool) {
	var err error
	scope := &models.BotCommandScopeChat{ChatID: userID}
	for _, lang := range menuLanguages {
		if editor {
			_, err = b.tg.SetMyCommands(ctx, &tgbot.SetMyCommandsParams{Commands: editorCommandList(lang), Scope: scope, LanguageCode: string(lang)})
		} else {
			_, err = b.tg.DeleteMyCommands(ctx, &tgbot.DeleteMyCommandsParams{Scope: scope, LanguageCode: string(lang)})
		}
		if err != nil {
			break
		}
	}
	if err != nil {
		// A user who never opened a chat with the bot has no chat yet.
		b.log.Info("could not set an editor's command menu", "user", userID, "err", b.redact(err.Error()))
	}
}
