package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/herald-news/herald"
)

// cmdFilter shows, tests and sets channels' filters from Telegram:
//
//	/filter                             every channel's rules
//	/filter CHANNEL test ARTICLE        does it take the article, and why
//	/filter CHANNEL include RULES       take only articles matching one (owners)
//	/filter CHANNEL exclude RULES       never take articles matching one (owners)
//	/filter CHANNEL clear               no filters (owners)
//
// RULES are comma-separated, as on the command line (herald channel set
// --include). Changes are audited.
func (b *Bot) cmdFilter(ctx context.Context, r *req) {
	words := strings.Fields(r.args)
	verb := -1
	for i, w := range words {
		switch strings.ToLower(w) {
		case "test", "include", "exclude", "clear":
			verb = i
		}
		if verb >= 0 {
			break
		}
	}
	if len(words) == 0 {
		b.reply(ctx, r.chat, b.filtersList(ctx, r.lang))
		return
	}
	if verb <= 0 {
		b.reply(ctx, r.chat, filterUsage(r.lang))
		return
	}
	ch, err := b.cfg.Store.ChannelByRef(ctx, strings.Join(words[:verb], " "))
	if err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	rest := strings.TrimSpace(strings.Join(words[verb+1:], " "))
	switch strings.ToLower(words[verb]) {
	case "test":
		id, ok := postRef(rest)
		if !ok {
			b.reply(ctx, r.chat, filterUsage(r.lang))
			return
		}
		a, err := b.cfg.Store.Article(ctx, id)
		if err != nil {
			b.reply(ctx, r.chat, tr(r.lang, msgNotFound, Escape(herald.ErrorMessageIn(err, r.lang))))
			return
		}
		b.reply(ctx, r.chat, explainFilter(r.lang, ch, a))
		return
	}
	if r.ed.Role != herald.RoleOwner {
		b.reply(ctx, r.chat, tr(r.lang, msgOwnersOnly))
		return
	}
	var rules []string
	for _, s := range splitRules(rest) {
		if _, err := herald.ParseRule(s); err != nil {
			b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, Escape(herald.ErrorMessageIn(err, r.lang))))
			return
		}
		rules = append(rules, s)
	}
	switch strings.ToLower(words[verb]) {
	case "include":
		ch.Filters.Include = rules
	case "exclude":
		ch.Filters.Exclude = rules
	default:
		ch.Filters = herald.Filters{}
	}
	if err := b.cfg.Store.UpdateChannel(ctx, ch); err != nil {
		b.reply(ctx, r.chat, tr(r.lang, msgConflict, 0, Escape(herald.ErrorMessageIn(err, r.lang))))
		return
	}
	detail := fmt.Sprintf("channel %d %s: include %q exclude %q", ch.ID, ch.Title, ch.Filters.Include, ch.Filters.Exclude)
	if err := b.cfg.Store.AddAudit(ctx, &herald.AuditEntry{UserID: r.from.ID, Action: "set_filters", Detail: detail}); err != nil {
		b.log.Error("filters saved but not audited", "err", err)
	}
	b.reply(ctx, r.chat, tr(r.lang, msgFilterSaved, Escape(ch.Title))+channelWorkflow(r.lang, ch))
}

// splitRules splits comma-separated rules; a regular expression takes the
// rest of the text, commas and all.
func splitRules(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		field, after, _ := strings.Cut(s, ":")
		if strings.HasPrefix(s, "re:") || (strings.HasPrefix(strings.TrimSpace(after), "re:") && isFilterField(field)) {
			return append(out, s)
		}
		var part string
		part, s, _ = strings.Cut(s, ",")
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func isFilterField(s string) bool {
	for _, f := range herald.FilterFields {
		if strings.EqualFold(strings.TrimSpace(s), f) {
			return true
		}
	}
	return false
}

// filtersList is every channel with its rules.
func (b *Bot) filtersList(ctx context.Context, lang herald.Language) string {
	cs, err := b.cfg.Store.Channels(ctx)
	if err != nil || len(cs) == 0 {
		return tr(lang, msgNoChannels)
	}
	var sb strings.Builder
	sb.WriteString(tr(lang, msgChannelsHeader))
	for _, c := range cs {
		fmt.Fprintf(&sb, "\n<b>%s</b>", Escape(c.Title))
		if c.Filters.IsZero() {
			sb.WriteString(" · <i>" + tr(lang, msgFilterNoRules) + "</i>")
			continue
		}
		sb.WriteString(channelWorkflow(lang, c))
	}
	return sb.String() + "\n\n" + filterUsage(lang)
}

// explainFilter says in lang whether ch takes a, and why.
func explainFilter(lang herald.Language, ch *herald.Channel, a *herald.Article) string {
	var lines []string
	taken := true
	if !slices.Contains(ch.Kinds, a.Kind) {
		lines, taken = append(lines, tr(lang, msgFilterWrongKind, Escape(herald.KindName(lang, a.Kind)))), false
	}
	if a.Language != ch.Language {
		lines, taken = append(lines, tr(lang, msgFilterWrongLang, a.Language, ch.Language)), false
	}
	v := ch.Filters.Match(a)
	switch {
	case v.Exclude != "":
		lines = append(lines, tr(lang, msgFilterExclude, Escape(v.Exclude), v.Field, Escape(v.Excerpt)))
	case v.Include != "":
		lines = append(lines, tr(lang, msgFilterInclude, Escape(v.Include), v.Field, Escape(v.Excerpt)))
	case !v.Taken:
		lines = append(lines, tr(lang, msgFilterNoInclude))
	default:
		lines = append(lines, tr(lang, msgFilterNoRules))
	}
	taken = taken && v.Taken
	head := tr(lang, msgFilterNotTaken, Escape(ch.Title), a.ID)
	if taken {
		head = tr(lang, msgFilterTaken, Escape(ch.Title), a.ID)
		if ch.Approval {
			lines = append(lines, tr(lang, msgChannelApproval))
		}
	}
	return head + "\n• " + strings.Join(lines, "\n• ")
}

func filterUsage(lang herald.Language) string {
	return tr(lang, msgFilterUsage, "test", "include", "exclude", "clear", "re:")
}
