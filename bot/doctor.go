package bot

import (
	"context"
	"errors"
	"fmt"
	"github.com/herald-news/herald/internal/redact"
	"net/http"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
)

// Verdict and Check are herald doctor's lines, the same for every network.
type (
	Verdict = herald.Verdict
	Check   = herald.Check
)

// Verdicts, from good to bad.
const (
	CheckOK   = herald.CheckOK
	CheckWarn = herald.CheckWarn
	CheckFail = herald.CheckFail
)

// checkLine is one Check.
func checkLine(v Verdict, text, fix string) Check { return Check{Verdict: v, Line: text, Fix: fix} }

// DoctorConfig is what Diagnose checks.
type DoctorConfig struct {
	Token      string
	APIURL     string // default https://api.telegram.org
	WebhookURL string // HERALD_WEBHOOK_URL; empty when herald long-polls
	Channels   []*herald.Channel
	Owners     []int64       // HERALD_OWNERS: each must have started the bot
	Timeout    time.Duration // per Bot API call; default 10s
}

// pendingWarnAt is how many waiting updates suggest that nobody is taking
// them: a running herald keeps the count near zero.
const pendingWarnAt = 100

// Diagnose asks the Bot API whether herald can work: the token is valid
// (getMe), the bot may post, edit and delete in each channel
// (getChatMember), each channel's discussion group is linked and the bot
// is in it (getChat), and the webhook is as herald's mode wants it
// (getWebhookInfo). It reports each line to report as soon as it is known;
// a problem is a line, not an error. Without a valid token it reports that
// and stops. The token never appears in a line.
func Diagnose(ctx context.Context, cfg DoctorConfig, report func(Check)) {
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	d := &doctor{cfg: cfg, redact: tokenRedactor(cfg.Token)}
	d.report = func(c Check) {
		c.Line, c.Fix = d.redact(c.Line), d.redact(c.Fix)
		report(c)
	}
	tg, err := tgbot.New(cfg.Token,
		tgbot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")),
		tgbot.WithHTTPClient(cfg.Timeout, &http.Client{Timeout: cfg.Timeout}),
		tgbot.WithSkipGetMe(),
		tgbot.WithErrorsHandler(func(error) {}),
	)
	if err != nil {
		d.report(checkLine(CheckFail, "telegram: "+err.Error(), tokenFix))
		return
	}
	d.tg = tg
	if !d.me(ctx) {
		if n := len(cfg.Channels); n > 0 {
			d.report(checkLine(CheckWarn, fmt.Sprintf("channels: %d not checked, nor the webhook, without a working token", n),
				"fix the line above and run herald doctor again"))
		}
		return
	}
	d.owners(ctx)
	for _, ch := range cfg.Channels {
		d.channel(ctx, ch)
	}
	d.webhook(ctx)
}

// owners warns about each owner who has never started the bot: herald
// cannot write to them.
func (d *doctor) owners(ctx context.Context) {
	if len(d.cfg.Owners) == 0 {
		d.report(checkLine(CheckWarn, "owners: HERALD_OWNERS is empty; nobody can steer herald from Telegram",
			"set HERALD_OWNERS to the Telegram user ids of the newsroom's owners, such as 1001,1002"))
		return
	}
	missing, err := call(ctx, d, func(ctx context.Context) ([]int64, error) { return unstartedOwners(ctx, d.tg, d.cfg.Owners) })
	for _, id := range missing {
		d.report(checkLine(CheckWarn, fmt.Sprintf("owner %d has never started the bot (or has blocked it): herald cannot send them notices or the digest", id),
			fmt.Sprintf("ask user %d to open @%s in Telegram and press Start; or take %d out of HERALD_OWNERS", id, d.bot.Username, id)))
	}
	switch {
	case err != nil:
		d.report(checkLine(CheckWarn, "owners: could not check them all: "+d.apiMessage(err), "run herald doctor again"))
	case len(missing) == 0:
		d.report(Check{Verdict: CheckOK, Line: fmt.Sprintf("owners: all %d have started the bot", len(d.cfg.Owners))})
	}
}

// tokenFix is the fix for a token Telegram refuses.
const tokenFix = "set TELEGRAM_BOT_TOKEN to the bot's current token from @BotFather (/mybots, API Token); /revoke there replaces it"

// rightsFix is the fix for a channel where the bot may not do its job.
func rightsFix(name string) string {
	return "make the bot an administrator of " + name + " with Post, Edit and Delete messages rights"
}

type doctor struct {
	cfg    DoctorConfig
	tg     *tgbot.Bot
	bot    *models.User
	redact func(string) string
	report func(Check)
}

// call runs one Bot API call with the per-call timeout.
func call[T any](ctx context.Context, d *doctor, f func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	return f(ctx)
}

// me checks the token with getMe and reports whether the other checks can go on.
func (d *doctor) me(ctx context.Context) bool {
	me, err := call(ctx, d, d.tg.GetMe)
	switch {
	case errors.Is(err, tgbot.ErrorUnauthorized), errors.Is(err, tgbot.ErrorNotFound):
		// Telegram answers 401 to a wrong token and 404 to a malformed one.
		d.report(checkLine(CheckFail, "telegram: the Bot API at "+d.cfg.APIURL+" refused the token ("+d.apiMessage(err)+")", tokenFix))
		return false
	case err != nil:
		d.report(checkLine(CheckFail, "telegram: cannot reach the Bot API at "+d.cfg.APIURL+": "+d.apiMessage(err),
			"check that this machine reaches "+d.cfg.APIURL+" (DNS, firewall, proxy) and that TELEGRAM_API_URL is right"))
		return false
	}
	d.bot = me
	d.report(Check{Verdict: CheckOK, Line: fmt.Sprintf("telegram: %s answers, token valid, bot @%s (id %d)", d.cfg.APIURL, me.Username, me.ID)})
	return true
}

// channel checks that the chat exists, that the bot may post, edit and
// delete there, and, for a channel, its discussion group.
func (d *doctor) channel(ctx context.Context, ch *herald.Channel) {
	name := channelName(ch.Title, ch.Chat)
	info, err := call(ctx, d, func(ctx context.Context) (*models.ChatFullInfo, error) {
		return d.tg.GetChat(ctx, &tgbot.GetChatParams{ChatID: ch.Chat})
	})
	if err != nil {
		d.report(checkLine(CheckFail, "channel "+name+": "+d.chatProblem(err), d.chatFix(err, name)))
		return
	}
	if ch.Title == "" {
		name = channelName(info.Title, ch.Chat)
	}
	d.rights(ctx, ch, info, name)
	if ch.Paused {
		reason := ch.PauseReason
		if reason == "" {
			reason = "by an editor"
		}
		d.report(checkLine(CheckWarn, "channel "+name+": paused ("+reason+"); nothing is posted there",
			fmt.Sprintf("once the cause is fixed, resume it: herald channel set %d --paused=false", ch.ID)))
	}
	if info.Type == models.ChatTypeChannel {
		d.discussion(ctx, info, name)
	}
}

// rights checks what the bot may do in the chat.
func (d *doctor) rights(ctx context.Context, ch *herald.Channel, info *models.ChatFullInfo, name string) {
	m, err := call(ctx, d, func(ctx context.Context) (*models.ChatMember, error) {
		return d.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: ch.Chat, UserID: d.bot.ID})
	})
	if err != nil {
		d.report(checkLine(CheckFail, "channel "+name+": cannot read the bot's rights: "+d.apiMessage(err), rightsFix(name)))
		return
	}
	line := "channel " + name + ": "
	switch info.Type {
	case models.ChatTypeChannel:
		switch m.Type {
		case models.ChatMemberTypeOwner:
			d.report(Check{Verdict: CheckOK, Line: line + "the bot owns the channel"})
		case models.ChatMemberTypeAdministrator:
			var missing []string
			for _, r := range []struct {
				ok   bool
				what string
			}{{m.Administrator.CanPostMessages, "post"}, {m.Administrator.CanEditMessages, "edit"}, {m.Administrator.CanDeleteMessages, "delete"}} {
				if !r.ok {
					missing = append(missing, r.what)
				}
			}
			if len(missing) > 0 {
				d.report(checkLine(CheckFail, line+"the bot is an administrator but may not "+orList(missing)+" messages", rightsFix(name)))
				return
			}
			d.report(Check{Verdict: CheckOK, Line: line + "the bot is an administrator and may post, edit and delete messages"})
		default:
			d.report(checkLine(CheckFail, line+"the bot is "+memberState(m)+"; in a channel only an administrator may post", rightsFix(name)))
		}
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		switch {
		case m.Type == models.ChatMemberTypeOwner, m.Type == models.ChatMemberTypeAdministrator, m.Type == models.ChatMemberTypeMember:
			d.report(Check{Verdict: CheckOK, Line: line + "the bot is in the group (" + string(m.Type) + ") and may post"})
		case m.Type == models.ChatMemberTypeRestricted && m.Restricted.IsMember && m.Restricted.CanSendMessages:
			d.report(Check{Verdict: CheckOK, Line: line + "the bot is a restricted member of the group but may send messages"})
		case m.Type == models.ChatMemberTypeRestricted && m.Restricted.IsMember:
			d.report(checkLine(CheckFail, line+"the bot is restricted and may not send messages",
				"lift the bot's restrictions in "+name+" (group settings, Permissions, Exceptions)"))
		default:
			d.report(checkLine(CheckFail, line+"the bot is "+memberState(m), "add the bot to the group "+name))
		}
	default:
		d.report(checkLine(CheckFail, line+"is a "+string(info.Type)+" chat, not a channel or group",
			"point the channel at a Telegram channel or group: herald channel set "+fmt.Sprint(ch.ID)+" --chat CHAT"))
	}
}

// discussion checks the channel's discussion group and the bot's place in it.
func (d *doctor) discussion(ctx context.Context, info *models.ChatFullInfo, name string) {
	line := "channel " + name + ": "
	if info.LinkedChatID == 0 {
		d.report(checkLine(CheckWarn, line+"no discussion group linked; readers' comments under posts are not collected",
			"link a discussion group in the channel's settings (Discussion), then add the bot to it"))
		return
	}
	group := channelName("", fmt.Sprint(info.LinkedChatID))
	if g, err := call(ctx, d, func(ctx context.Context) (*models.ChatFullInfo, error) {
		return d.tg.GetChat(ctx, &tgbot.GetChatParams{ChatID: info.LinkedChatID})
	}); err == nil {
		group = channelName(g.Title, fmt.Sprint(info.LinkedChatID))
	}
	line += "discussion group " + group + ": "
	m, err := call(ctx, d, func(ctx context.Context) (*models.ChatMember, error) {
		return d.tg.GetChatMember(ctx, &tgbot.GetChatMemberParams{ChatID: info.LinkedChatID, UserID: d.bot.ID})
	})
	addFix := "add the bot to " + group + ", best as an administrator, so that it sees readers' comments"
	if err != nil {
		d.report(checkLine(CheckFail, line+"the bot cannot see it: "+d.apiMessage(err), addFix))
		return
	}
	switch {
	case m.Type == models.ChatMemberTypeOwner, m.Type == models.ChatMemberTypeAdministrator:
		d.report(Check{Verdict: CheckOK, Line: line + "linked, the bot is " + memberState(m)})
	case m.Type == models.ChatMemberTypeMember, m.Type == models.ChatMemberTypeRestricted && m.Restricted.IsMember:
		if d.bot.CanReadAllGroupMessages {
			d.report(Check{Verdict: CheckOK, Line: line + "linked, the bot is a member and reads all messages"})
			return
		}
		// In privacy mode a bot that is not an administrator gets commands
		// and replies to itself only; readers' comments reply to the post.
		d.report(checkLine(CheckWarn, line+"linked, the bot is a member in privacy mode and so does not see readers' comments",
			"make the bot an administrator of "+group+", or turn privacy mode off in @BotFather (/setprivacy, Disable) and add the bot again"))
	default:
		d.report(checkLine(CheckFail, line+"linked, but the bot is "+memberState(m), addFix))
	}
}

// webhook checks the webhook against herald's mode, and the updates waiting.
func (d *doctor) webhook(ctx context.Context) {
	w, err := call(ctx, d, d.tg.GetWebhookInfo)
	if err != nil {
		d.report(checkLine(CheckFail, "webhook: cannot read the webhook state: "+d.apiMessage(err),
			"run herald doctor again; if it persists, check the network to "+d.cfg.APIURL))
		return
	}
	switch want := d.cfg.WebhookURL; {
	case want == "" && w.URL == "":
		d.report(Check{Verdict: CheckOK, Line: "webhook: none set; herald polls with getUpdates"})
	case want == "":
		d.report(checkLine(CheckFail, "webhook: "+w.URL+" is set, so getUpdates fails while herald polls (HERALD_WEBHOOK_URL is not set)",
			"herald run deletes it on start, or call deleteWebhook; set HERALD_WEBHOOK_URL instead if herald should use that webhook"))
	case w.URL == "":
		d.report(checkLine(CheckFail, "webhook: none set, but HERALD_WEBHOOK_URL is "+want,
			"herald run sets it on start: start herald, and check its log if the webhook stays unset"))
	case w.URL != want:
		d.report(checkLine(CheckFail, "webhook: set to "+w.URL+", but HERALD_WEBHOOK_URL is "+want,
			"herald run sets it on start; if it changes back, another deployment uses the same token"))
	default:
		d.report(Check{Verdict: CheckOK, Line: "webhook: set to " + w.URL + ", as HERALD_WEBHOOK_URL says"})
	}
	if w.URL != "" && w.LastErrorMessage != "" {
		at := time.Unix(int64(w.LastErrorDate), 0).UTC().Format("2006-01-02 15:04 UTC")
		d.report(checkLine(CheckWarn, "webhook: the last delivery failed at "+at+": "+w.LastErrorMessage,
			"check that "+w.URL+" reaches herald's HERALD_HTTP_ADDR (reverse proxy, TLS certificate, firewall)"))
	}
	if w.PendingUpdateCount >= pendingWarnAt {
		d.report(checkLine(CheckWarn, fmt.Sprintf("updates: %d waiting at Telegram", w.PendingUpdateCount),
			"herald is not running or not keeping up: start it (Telegram drops updates after 24 hours)"))
		return
	}
	d.report(Check{Verdict: CheckOK, Line: fmt.Sprintf("updates: %d waiting at Telegram", w.PendingUpdateCount)})
}

// chatProblem says why getChat failed, in a user's words.
func (d *doctor) chatProblem(err error) string {
	msg := d.apiMessage(err)
	switch {
	case strings.Contains(msg, "chat not found"):
		return "Telegram knows no such chat, or the bot was never added to it (" + msg + ")"
	case errors.Is(err, tgbot.ErrorForbidden):
		return "the bot may not see the chat (" + msg + ")"
	}
	return "cannot read the chat: " + msg
}

// chatFix says how to fix what chatProblem found.
func (d *doctor) chatFix(err error, name string) string {
	if errors.Is(err, tgbot.ErrorBadRequest) || errors.Is(err, tgbot.ErrorForbidden) {
		return "check the chat id (herald channel list); " + rightsFix(name)
	}
	return "run herald doctor again; if it persists, check the network to " + d.cfg.APIURL
}

// apiMessage is err as Telegram or the network put it, without the
// client library's prefixes and without the token.
func (d *doctor) apiMessage(err error) string {
	msg := d.redact(err.Error())
	for _, e := range []error{tgbot.ErrorBadRequest, tgbot.ErrorForbidden, tgbot.ErrorUnauthorized, tgbot.ErrorNotFound, tgbot.ErrorConflict} {
		msg = strings.TrimPrefix(msg, e.Error()+", ")
	}
	return msg
}

// memberState describes the bot's membership of a chat, to follow "the
// bot is": "not in the chat".
func memberState(m *models.ChatMember) string {
	switch m.Type {
	case models.ChatMemberTypeOwner:
		return "the owner"
	case models.ChatMemberTypeAdministrator:
		return "an administrator"
	case models.ChatMemberTypeMember:
		return "a member, not an administrator"
	case models.ChatMemberTypeRestricted:
		if m.Restricted.IsMember {
			return "a restricted member"
		}
		return "not in the chat (restricted)"
	case models.ChatMemberTypeBanned:
		return "removed from the chat (banned)"
	}
	return "not in the chat"
}

// channelName is how doctor names a chat: "DQ English (-1003)", or just
// the chat when there is no title.
func channelName(title, chat string) string {
	if title == "" || title == chat {
		return chat
	}
	return title + " (" + chat + ")"
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// tokenRedactor returns a function that removes the token (and its secret
// half on its own) from text, and the secrets any address in it shows.
func tokenRedactor(token string) func(string) string { return redact.New(token).Func() }
