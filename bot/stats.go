package bot

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// cmdStats shows the readers' numbers: "/stats" (30 days), "/stats 7d",
// "/stats 42" (an article) or "/stats Difficult Question" (a program), as
// text and as a chart.
func (b *Bot) cmdStats(ctx context.Context, r *req) {
	f, scope, err := b.parseStatsScope(ctx, r.lang, r.args)
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	b.sendStats(ctx, r.chat, r.lang, f, scope, mtr(r.lang, msgStatsHeader, Escape(scope)))
}

// sendStats sends the numbers for f as text, then the chart as a photo.
func (b *Bot) sendStats(ctx context.Context, chatID int64, lang herald.Language, f store.ReviewFilter, scope, header string) {
	st, err := b.cfg.Store.Stats(ctx, f)
	if err != nil {
		b.log.Error("could not compute stats", "err", err)
		return
	}
	if st.Reviews == 0 && len(st.Reactions) == 0 && (st.Clicks == nil || st.Clicks.Total == 0) {
		b.reply(ctx, chatID, header+"\n"+mtr(lang, msgStatsNone, Escape(scope)))
		return
	}
	b.reply(ctx, chatID, header+"\n"+StatsText(st, lang))
	chart, err := StatsChart(st, Chart{Lang: lang, Scope: scope, From: f.Since, To: b.cfg.Now()})
	if err != nil {
		b.log.Error("could not draw the chart", "err", err)
		return
	}
	_, err = b.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{ChatID: chatID,
		Photo: &models.InputFileUpload{Filename: "stats.png", Data: bytes.NewReader(chart)}})
	if err != nil {
		b.log.Warn("could not send the chart", "err", b.redact(err.Error()))
	}
}

// StatsText renders review numbers as an HTML message body.
func StatsText(st *store.ReviewStats, lang herald.Language) string {
	var sb strings.Builder
	sb.WriteString(mtr(lang, msgStatsBody, st.Reviews, st.Pending, st.Rated, decimal(lang, st.Average), st.Comments))
	top := 1
	for i := 1; i <= 5; i++ {
		top = max(top, st.Histogram[i])
	}
	for i := 5; i >= 1; i-- {
		bar := strings.Repeat("█", st.Histogram[i]*12/top)
		fmt.Fprintf(&sb, "\n<code>%d★ %-12s %d</code>", i, bar, st.Histogram[i])
	}
	if len(st.Reactions) > 0 {
		type kv struct {
			e string
			n int
		}
		var rs []kv
		for e, n := range st.Reactions {
			rs = append(rs, kv{e, n})
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].n > rs[j].n || rs[i].n == rs[j].n && rs[i].e < rs[j].e })
		var parts []string
		for _, r := range rs {
			parts = append(parts, fmt.Sprintf("%s %d", Escape(r.e), r.n))
		}
		sb.WriteString("\n" + mtr(lang, msgStatsReactions, strings.Join(parts, " · ")))
	}
	if c := st.Clicks; c != nil && c.Total > 0 {
		sb.WriteString("\n\n" + tr(lang, msgStatsClicks, c.Total))
		list := func(cs []store.ClickCount, prefix string) string {
			var parts []string
			for _, x := range cs[:min(len(cs), 5)] {
				parts = append(parts, fmt.Sprintf("%s%d %s · %d", prefix, x.ID, Escape(oneLine(x.Title, 60)), x.Clicks))
			}
			return strings.Join(parts, "\n")
		}
		sb.WriteString("\n" + tr(lang, msgStatsTopClicks, "\n"+list(c.ByPost, "#")))
		sb.WriteString("\n" + list(c.ByChannel, "⌁"))
	}
	return sb.String()
}

// SendDigest sends the owners the week's numbers and chart: the weekly
// digest herald run schedules.
func (b *Bot) SendDigest(ctx context.Context) {
	since := b.cfg.Now().AddDate(0, 0, -7)
	for _, id := range b.cfg.Owners {
		lang := herald.LangEnglish
		if ed, err := b.cfg.Store.Editor(ctx, id); err == nil && ed.Language.Valid() {
			lang = ed.Language
		}
		b.sendStats(ctx, id, lang, store.ReviewFilter{Since: since}, days(lang, 7), mtr(lang, msgDigestHeader))
	}
	b.log.Info("weekly digest sent", "owners", len(b.cfg.Owners), "since", since.Format(time.DateOnly))
}
