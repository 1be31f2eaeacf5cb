package bot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// Callback data of moderation buttons: "m1:<op>:<review id>:<filter>",
// where filter is the list the button sits on (p pending, a all).
const moderationCallback = "m1"

// Moderation operations.
const (
	modApprove = "ap"
	modReject  = "rj"
	modBan     = "bn"
)

// reviewsPage is how many reviews one moderation message shows.
const reviewsPage = 5

// reviewCommands are the editors' commands about readers' reviews.
func (b *Bot) reviewCommands() map[string]func(context.Context, *req) {
	return map[string]func(context.Context, *req){
		"reviews": b.cmdReviews,
		"stats":   b.cmdStats,
	}
}

// cmdReviews lists reviews for moderation: "/reviews" or "/reviews
// pending" the ones waiting, "/reviews all" the latest of any status.
func (b *Bot) cmdReviews(ctx context.Context, r *req) {
	filter := "p"
	if strings.EqualFold(strings.TrimSpace(r.args), "all") {
		filter = "a"
	}
	text, kb := b.reviewsView(ctx, r.lang, filter)
	b.send(ctx, r.chat, text, kb)
}

func (b *Bot) reviewsView(ctx context.Context, lang herald.Language, filter string) (string, *Keyboard) {
	f := store.ReviewFilter{Status: herald.ReviewPending}
	if filter == "a" {
		f.Status = ""
	}
	total, err := b.cfg.Store.CountReviews(ctx, f)
	if err != nil {
		return tr(lang, msgConflict, 0, tr(lang, msgInternal)), nil
	}
	if total == 0 {
		return mtr(lang, msgReviewsEmpty), nil
	}
	// The newest first: they are what editors come for.
	f.Newest, f.Limit = true, reviewsPage
	shown, err := b.cfg.Store.Reviews(ctx, f)
	if err != nil {
		return tr(lang, msgConflict, 0, tr(lang, msgInternal)), nil
	}
	var sb strings.Builder
	sb.WriteString(mtr(lang, msgReviewsHeader, len(shown), total))
	kb := &Keyboard{}
	for _, rv := range shown {
		sb.WriteString("\n\n")
		sb.WriteString(b.reviewCard(ctx, lang, rv))
		if rv.Status != herald.ReviewPending {
			continue
		}
		tag := " #" + strconv.FormatInt(rv.ID, 10)
		data := func(op string) string { return fmt.Sprintf("%s:%s:%d:%s", moderationCallback, op, rv.ID, filter) }
		kb.Row(Button{Text: "✔" + tag, CallbackData: data(modApprove)},
			Button{Text: "✖" + tag, CallbackData: data(modReject)},
			Button{Text: "⛔" + tag, CallbackData: data(modBan)})
	}
	sb.WriteString("\n\n<i>" + mtr(lang, msgReviewsLegend) + "</i>")
	if len(kb.InlineKeyboard) == 0 {
		kb = nil
	}
	return sb.String(), kb
}

// reviewCard renders one review for editors. Everything the reader typed,
// their name included, is escaped.
func (b *Bot) reviewCard(ctx context.Context, lang herald.Language, rv *herald.Review) string {
	title := "?"
	if a, err := b.cfg.Store.Article(ctx, rv.ArticleID); err == nil {
		title = a.Title
	}
	stars := "—"
	if rv.Rating > 0 {
		stars = strings.Repeat("⭐", rv.Rating)
	}
	who := rv.UserName
	if rv.Username != "" {
		who += " @" + rv.Username
	}
	line := fmt.Sprintf("<b>#%d</b> · %s · %s · %s\n%s: %s", rv.ID, stars, reviewSourceName(lang, rv.Source), reviewStatusName(lang, rv.Status),
		EscapeReader(oneLine(who, 80)), Escape(oneLine(title, 60)))
	if rv.Spam {
		line += "\n⚠️ " + mtr(lang, msgReviewSpam)
	}
	if rv.Text != "" {
		line += "\n<blockquote>" + EscapeReader(clip(rv.Text, 600)) + "</blockquote>"
	}
	return line
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// moderationPress approves, rejects or bans, after checking the presser's
// rights, and redraws the list.
func (b *Bot) moderationPress(ctx context.Context, cq *models.CallbackQuery) {
	lang := langOf(&cq.From)
	ed := b.authorize(ctx, &cq.From, "button "+cq.Data)
	if ed == nil {
		b.answer(ctx, cq.ID, tr(lang, msgRefusedButton), true)
		return
	}
	f := strings.Split(cq.Data, ":")
	var id int64
	if len(f) == 4 {
		id, _ = strconv.ParseInt(f[2], 10, 64)
	}
	rv, err := b.cfg.Store.Review(ctx, id)
	if len(f) != 4 || err != nil {
		b.answer(ctx, cq.ID, stripTags(tr(lang, msgNotFound, herald.ErrorMessageIn(herald.Sayf(herald.ENotFound, herald.PhraseReviewNotFound, id), lang))), true)
		return
	}
	var text string
	switch f[1] {
	case modApprove:
		text = mtr(lang, msgReviewApproved, id)
	case modReject:
		text = mtr(lang, msgReviewRejected, id)
	case modBan:
		text = mtr(lang, msgReaderBanned, EscapeReader(oneLine(rv.UserName, 80)))
	default:
		b.answer(ctx, cq.ID, stripTags(tr(lang, msgNotFound, tr(lang, msgUnknownButton))), true)
		return
	}
	if err := Moderate(ctx, b.cfg.Store, cq.From.ID, rv, f[1]); err != nil {
		b.log.Error("moderation failed", "review", id, "err", err)
		b.answer(ctx, cq.ID, tr(lang, msgInternal), true)
		return
	}
	b.answer(ctx, cq.ID, stripTags(text), false)
	if m := cq.Message.Message; m != nil {
		view, kb := b.reviewsView(ctx, lang, f[3])
		b.edit(ctx, m.Chat.ID, m.ID, view, kb)
	}
}

// statsDays reads a number of days in any of herald's languages: "7d",
// "30 days", "7 gün", "7 дней", "2 дня", "1д".
var statsDays = regexp.MustCompile(`^(\d{1,4})\s*(d|day|days|g|gün|gun|д|дн|день|дня|дней)$`)

// parseStatsScope reads /stats' argument: an article ("42", "#42"), a
// number of days ("7d", "30 days"), or a program's name.
func (b *Bot) parseStatsScope(ctx context.Context, lang herald.Language, arg string) (store.ReviewFilter, string, error) {
	arg = strings.TrimSpace(arg)
	now := b.cfg.Now()
	switch {
	case arg == "":
		return store.ReviewFilter{Since: now.AddDate(0, 0, -30)}, days(lang, 30), nil
	default:
		if m := statsDays.FindStringSubmatch(strings.ToLower(arg)); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n > 0 && n <= 3650 {
				return store.ReviewFilter{Since: now.AddDate(0, 0, -n)}, days(lang, n), nil
			}
		}
	}
	if id, ok := postRef(arg); ok {
		a, err := b.cfg.Store.Article(ctx, id)
		if err != nil {
			return store.ReviewFilter{}, "", err
		}
		return store.ReviewFilter{ArticleID: id}, fmt.Sprintf("#%d %s", id, oneLine(a.Title, 60)), nil
	}
	return store.ReviewFilter{Program: arg, Since: now.Add(-3650 * 24 * time.Hour)}, arg, nil
}
