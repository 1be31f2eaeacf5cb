package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// AllowedUpdates are the update types herald asks Telegram for, explicitly:
// Telegram leaves message_reaction_count out unless it is named, and
// remembers the last list when none is given.
var AllowedUpdates = []string{
	models.AllowedUpdateMessage, models.AllowedUpdateEditedMessage,
	models.AllowedUpdateCallbackQuery, models.AllowedUpdateMyChatMember,
	models.AllowedUpdateMessageReactionCount,
}

// Config is what the bot needs to run.
type Config struct {
	Token       string
	APIURL      string // the Bot API server: https://api.telegram.org, a self-hosted one or a fake
	Store       *store.Store
	Queue       *scheduler.Queue // what editors' commands act through; nil: editors' commands are off
	Zone        string           // the zone of channels that set none, for times shown to editors
	Log         *slog.Logger
	Owners      []int64
	Now         func() time.Time
	PollTimeout time.Duration // long-poll wait; default 30s
	// StallAfter is how many getUpdates in a row may fail before the owners
	// are told that the bot cannot hear from Telegram; default 5.
	StallAfter int
	Metrics    Metrics // may be nil
	// ReaderLimit is how fast one reader's updates are taken before they
	// are dropped (and a flooding reader muted); zero: the defaults.
	ReaderLimit ReaderLimit
	// DeskURL is the web desk's address, for the one-time sign-in links
	// /desk sends; "" when the desk is off.
	DeskURL string
}

// Bot is herald's Telegram side: the publisher of posts, the update loop
// and the notices to owners.
type Bot struct {
	cfg      Config
	tg       *tgbot.Bot
	tr       *transport
	username string
	log      *slog.Logger
	pub      *Publisher

	hook     webhook
	redactor func(string) string // tokenRedactor of the token
	lanes    []*lane             // per-chat ordered workers; see enqueue
	readers  readerLimits        // see enqueue
	staffMu  sync.Mutex          // guards staff, staffAt
	staff    map[int64]bool      // owners and editors, for their lanes
	staffAt  time.Time
	laneMu   sync.RWMutex // guards lanes against stopLanes
	laneWG   sync.WaitGroup
	forget   *forgetter // handled updates, to be deleted from the inbox

	noticeWake chan struct{}   // see deliverNotices
	noticeSeq  atomic.Int64    // see noticeOf
	holds      chatHolds       // 429s per private chat, shared by replies and notices
	noticeMu   sync.Mutex      // guards unsaved
	unsaved    []*store.Notice // notices the database would not take yet

	mu      sync.Mutex
	stalled bool // owners were told the poller is failing
}

// New connects to the Bot API (getMe) and returns a Bot ready to Start. Its
// errors never contain the token.
func New(ctx context.Context, cfg Config) (*Bot, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	if cfg.StallAfter == 0 {
		cfg.StallAfter = 5
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	if cfg.ReaderLimit.Burst <= 0 {
		cfg.ReaderLimit.Burst = readerBurst
	}
	if cfg.ReaderLimit.Every <= 0 {
		cfg.ReaderLimit.Every = readerEvery
	}
	if cfg.APIURL == "" {
		cfg.APIURL = "https://api.telegram.org"
	}
	b := &Bot{cfg: cfg, log: cfg.Log, redactor: tokenRedactor(cfg.Token), noticeWake: make(chan struct{}, 1),
		readers: readerLimits{limit: cfg.ReaderLimit}}
	b.forget = b.newForgetter()
	redact := b.redact
	b.tr = &transport{
		client: &http.Client{Timeout: cfg.PollTimeout + 15*time.Second, Transport: apiTransport()},
		log:    cfg.Log, redact: redact,
		onPollFail: b.pollFailed,
		keep:       func(batch []store.InboxUpdate) error { return cfg.Store.KeepUpdates(context.Background(), batch) },
	}
	last, lastAt, err := cfg.Store.LastUpdateID(ctx)
	if err != nil {
		return nil, err
	}
	if time.Since(lastAt) > 6*24*time.Hour {
		// After a week without updates Telegram numbers them afresh, at
		// random: an old offset could confirm, and so drop, new updates.
		last = 0
	}
	tg, err := tgbot.New(cfg.Token,
		// Resume after the newest update kept: those are in the inbox, or
		// were handled already.
		tgbot.WithInitialOffset(last),
		tgbot.WithServerURL(strings.TrimRight(cfg.APIURL, "/")),
		tgbot.WithHTTPClient(cfg.PollTimeout, b.tr),
		tgbot.WithSkipGetMe(),
		tgbot.WithAllowedUpdates(AllowedUpdates),
		tgbot.WithDefaultHandler(b.enqueue),
		tgbot.WithMiddlewares(b.recoverer),
		// One update at a time from the library; enqueue fans them out by
		// chat, so that each chat's updates keep their order.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithErrorsHandler(func(err error) {
			b.tr.decodeFailed(err)
			if !errors.Is(err, context.Canceled) {
				b.log.Warn("telegram client", "err", redact(err.Error()))
			}
		}),
		tgbot.WithDebugHandler(func(format string, args ...any) {
			b.log.Debug("telegram client", "msg", redact(fmt.Sprintf(format, args...)))
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("bot: %s", redact(err.Error()))
	}
	b.tg = tg
	me, err := tg.GetMe(ctx)
	if err != nil {
		return nil, fmt.Errorf("bot: getMe at %s: %s", redact(cfg.APIURL), redact(err.Error()))
	}
	b.username = me.Username
	b.pub = &Publisher{tg: tg, username: me.Username, now: cfg.Now, redact: redact}
	return b, nil
}

// apiTransport is the HTTP transport to the Bot API: every request goes to
// one host, so it keeps more idle connections to it than Go's default two;
// the dispatcher sends to many channels at once.
func apiTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	return t
}

// Username returns the bot's @username, without the @.
func (b *Bot) Username() string { return b.username }

// Publisher returns the Publisher that sends posts through this bot.
func (b *Bot) Publisher() *Publisher { return b.pub }

// Client returns the underlying go-telegram/bot client.
func (b *Bot) Client() *tgbot.Bot { return b.tg }

// LastPoll returns when getUpdates last answered and how many calls have
// failed in a row since.
func (b *Bot) LastPoll() (time.Time, int) { return b.tr.LastPoll() }

// Start long-polls for updates and handles them until ctx ends. It first
// removes any webhook, which would make getUpdates fail.
func (b *Bot) Start(ctx context.Context) error {
	if _, err := b.tg.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{}); err != nil && ctx.Err() == nil {
		b.log.Warn("could not remove the webhook before polling", "err", b.redact(err.Error()))
	}
	if err := b.cfg.Store.SyncOwners(ctx, b.cfg.Owners); err != nil {
		return err
	}
	defer b.startNotices(ctx)()
	b.warnUnstartedOwners(ctx)
	if err := b.SetCommands(ctx); err != nil && ctx.Err() == nil {
		b.log.Warn("could not publish the command menus", "err", err)
	}
	b.startLanes()
	defer b.stopLanes()
	b.replay(ctx)
	b.tg.Start(ctx)
	return nil
}

// startNotices starts the notices' sender; the function it returns waits
// for it to stop once ctx ends.
func (b *Bot) startNotices(ctx context.Context) func() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		b.deliverNotices(ctx)
	}()
	return func() { <-done }
}

// redact removes the bot token from text bound for logs and errors.
func (b *Bot) redact(s string) string { return b.redactor(s) }

// recoverer keeps one bad update from taking the bot down.
func (b *Bot) recoverer(next tgbot.HandlerFunc) tgbot.HandlerFunc {
	return func(ctx context.Context, tg *tgbot.Bot, u *models.Update) {
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("handler panicked; update skipped", "update_id", u.ID, "panic", fmt.Sprint(r),
					"stack", string(debug.Stack()))
			}
		}()
		next(ctx, tg, u)
	}
}

// pollFailed tells the owners, once, when getUpdates keeps failing.
func (b *Bot) pollFailed(n int, err error) {
	b.cfg.Metrics.PollError()
	b.log.Warn("getUpdates failed", "in_a_row", n, "err", err)
	if n < b.cfg.StallAfter {
		return
	}
	b.mu.Lock()
	already := b.stalled
	b.stalled = true
	b.mu.Unlock()
	if !already {
		b.Notify(context.Background(), scheduler.Event{Kind: scheduler.EventPollerStalled,
			Reason: fmt.Sprintf("%d getUpdates calls in a row failed; last: %v", n, err)})
	}
}

// route handles one update. herald routes updates itself rather than with
// the library's matchers, which miss "/command@botname" (its issue #174).
func (b *Bot) route(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	b.routed(u)
	switch {
	case u.Message != nil && u.Message.Chat.Type == models.ChatTypePrivate:
		b.private(ctx, u.Message)
	case u.Message != nil:
		b.groupMessage(ctx, u.Message)
	case u.EditedMessage != nil && u.EditedMessage.Chat.Type != models.ChatTypePrivate:
		b.groupEdit(ctx, u.EditedMessage)
	case u.MessageReactionCount != nil:
		b.reactionCount(ctx, u.MessageReactionCount)
	case u.CallbackQuery != nil && strings.HasPrefix(u.CallbackQuery.Data, reviewCallback+":"):
		b.reviewPress(ctx, u.CallbackQuery)
	case u.CallbackQuery != nil && strings.HasPrefix(u.CallbackQuery.Data, moderationCallback+":"):
		b.moderationPress(ctx, u.CallbackQuery)
	case u.CallbackQuery != nil:
		b.callback(ctx, u.CallbackQuery)
	case u.MyChatMember != nil:
		b.memberChanged(ctx, u.MyChatMember)
	}
}

// routed notes an update taken: polling works, and the update is counted.
func (b *Bot) routed(u *models.Update) {
	b.mu.Lock()
	b.stalled = false
	b.mu.Unlock()
	b.cfg.Metrics.Update(updateKind(u))
}

// updateKind names the kind of an update, for metrics.
func updateKind(u *models.Update) string {
	switch {
	case u.Message != nil:
		return "message"
	case u.EditedMessage != nil:
		return "edited_message"
	case u.CallbackQuery != nil:
		return "callback_query"
	case u.MessageReactionCount != nil:
		return "message_reaction_count"
	case u.MyChatMember != nil:
		return "my_chat_member"
	}
	return "other"
}

// command splits "/cmd@bot args" into "cmd" and "args". It reports false
// for text that is not a command, or a command for another bot.
func (b *Bot) command(text string) (string, string, bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	word, args, _ := strings.Cut(text[1:], " ")
	name, at, addressed := strings.Cut(word, "@")
	if addressed && !strings.EqualFold(at, b.username) {
		return "", "", false
	}
	return strings.ToLower(name), strings.TrimSpace(args), name != ""
}

// memberChanged pauses a channel the bot was removed from, or lost the
// right to post in, and tells the owners.
func (b *Bot) memberChanged(ctx context.Context, u *models.ChatMemberUpdated) {
	if u.Chat.Type != models.ChatTypeChannel && u.Chat.Type != models.ChatTypeSupergroup && u.Chat.Type != models.ChatTypeGroup {
		return
	}
	st := u.NewChatMember.Type
	canPost := st == models.ChatMemberTypeOwner ||
		(st == models.ChatMemberTypeAdministrator && (u.Chat.Type != models.ChatTypeChannel || u.NewChatMember.Administrator.CanPostMessages)) ||
		(st == models.ChatMemberTypeMember && u.Chat.Type != models.ChatTypeChannel)
	if canPost {
		return
	}
	ch, err := b.cfg.Store.ChannelByRef(ctx, strconv.FormatInt(u.Chat.ID, 10))
	if err != nil && u.Chat.Username != "" {
		ch, err = b.cfg.Store.ChannelByRef(ctx, "@"+u.Chat.Username)
	}
	if err != nil {
		return // not one of ours
	}
	reason := fmt.Sprintf(reasonLostRights, st)
	changed, err := b.cfg.Store.SetChannelPaused(ctx, ch.ID, true, reason)
	if err != nil {
		b.log.Error("could not pause a channel", "channel", ch.ID, "err", err)
		return
	}
	if changed {
		b.log.Warn("channel paused: the bot lost its rights", "channel", ch.ID, "chat", ch.Chat)
		ch.Paused, ch.PauseReason = true, reason
		b.Notify(ctx, scheduler.Event{Kind: scheduler.EventChannelPaused, Channel: ch, Reason: reason})
	}
}

// reply sends a plain HTML message to a private chat, logging failures.
func (b *Bot) reply(ctx context.Context, chatID int64, html string) {
	_, err := patient(ctx, &b.holds, chatID, func() (*models.Message, error) {
		return b.tg.SendMessage(ctx, &tgbot.SendMessageParams{ChatID: chatID, Text: html,
			ParseMode: models.ParseModeHTML, LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()}})
	})
	if err != nil {
		b.log.Warn("could not reply", "chat", chatID, "err", b.redact(err.Error()))
	}
}

// langOf returns the language to speak to a user in: theirs when herald
// speaks it, else English.
func langOf(u *models.User) herald.Language {
	if u == nil {
		return herald.LangEnglish
	}
	code := strings.ToLower(u.LanguageCode)
	if len(code) > 2 {
		code = code[:2]
	}
	if l := herald.Language(code); l.Valid() {
		return l
	}
	return herald.LangEnglish
}
