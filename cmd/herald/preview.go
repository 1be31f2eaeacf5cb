package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/store"
)

// cmdArticlePreview prints each post of an article as readers will see it:
// rendered by the bot's own renderer (bot.Render), with the formatting
// marked (*bold*, _italic_), the links and buttons listed, and the time
// each post is planned for. Channels that take the article but have no
// post of it yet show what they would get.
func cmdArticlePreview(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "article preview", "[flags] ID\n\nPrints each post of article ID as readers will see it: the text with its\nformatting marked, the links, the buttons and the time it is planned for.")
	db := dbFlag(e, fs)
	chRef := fs.String("channel", "", "only this channel (`id`, chat or title)")
	botName := fs.String("bot", "", "the bot's `username`, to show review links as readers get them")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, reorderFlags(fs, e.args)); !ok {
		return code
	}
	var id int64
	if fs.NArg() != 1 || !parseID(fs.Arg(0), &id) {
		fmt.Fprintln(e.stderr, "herald article preview: give one article id, e.g. herald article preview 12")
		return exitUsage
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald article preview: %v\n", err)
		return exitUsage
	}
	st, a, ok := openArticle(ctx, e, "article preview", *db, id)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	var channels []*herald.Channel
	if *chRef != "" {
		ch, err := st.ChannelByRef(ctx, *chRef)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald article preview: --channel %q: %s\n", *chRef, herald.ErrorMessage(err))
			return exitFailed
		}
		channels = []*herald.Channel{ch}
	} else if channels, err = st.Channels(ctx); err != nil {
		fmt.Fprintf(e.stderr, "herald article preview: %v\n", err)
		return exitFailed
	}
	posts, err := st.Posts(ctx, store.PostFilter{ArticleID: a.ID})
	if err != nil {
		fmt.Fprintf(e.stderr, "herald article preview: %v\n", err)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "article %d · %s · %s · %s\n", a.ID, a.Kind, a.Language, oneLine(a.Title, 70))
	if a.AirAt != nil {
		fmt.Fprintf(e.stdout, "airs %s\n", clk.show(*a.AirAt, nil))
	}
	if a.NeedsEditor != "" {
		fmt.Fprintf(e.stdout, "held for an editor: %s (herald will not post it on its own)\n", herald.HeldText(a.NeedsEditor))
	}
	now := time.Now()
	shown := 0
	for _, ch := range channels {
		var mine []*store.PostRow
		for _, p := range posts {
			if p.ChannelID == ch.ID {
				mine = append(mine, p)
			}
		}
		if len(mine) == 0 && !ch.Takes(a.Kind, a.Language) {
			if *chRef != "" {
				fmt.Fprintf(e.stdout, "\n%s does not take %s in %s\n", ch.Title, a.Kind, a.Language)
			}
			continue
		}
		if len(mine) == 0 {
			// Not planned yet: show what the channel would get.
			for _, purpose := range wouldPost(a, now) {
				p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: purpose}}
				switch purpose {
				case herald.PurposeLive:
					p.ScheduledAt = *a.AirAt
				case herald.PurposeAnnounce:
					p.ScheduledAt = a.AirAt.Add(-cfg.AnnounceBefore)
					if p.ScheduledAt.Before(now) {
						p.ScheduledAt = now
					}
				}
				mine = append(mine, p)
			}
		}
		for _, p := range mine {
			shown++
			when := "not planned yet: the channel's next free slot once herald run plans it"
			switch {
			case a.NeedsEditor != "" && p.State == "":
				when = "not planned: held for an editor"
			case p.State == "" && !p.ScheduledAt.IsZero():
				when = "not planned yet: would go " + clk.show(p.ScheduledAt, ch.Location())
			case p.State != "":
				when = fmt.Sprintf("%s for %s", p.State, clk.show(p.ScheduledAt, ch.Location()))
			}
			fmt.Fprintf(e.stdout, "\n── %s (%s, %s) · %s · %s\n", ch.Title, ch.Chat, ch.Language, p.Purpose, when)
			renderAt := now
			if p.Purpose != herald.PurposePublish && !p.ScheduledAt.IsZero() {
				renderAt = p.ScheduledAt // an announcement reads as it will when sent
			}
			post, err := bot.Render(a, ch, p.Purpose, bot.RenderOptions{BotUsername: strings.TrimPrefix(*botName, "@"), Now: renderAt})
			if err != nil {
				fmt.Fprintf(e.stdout, "cannot render: %v\n", err)
				continue
			}
			printPost(e.stdout, post)
		}
	}
	if shown == 0 {
		fmt.Fprintln(e.stdout, "\nno channel takes this article (herald channel list shows what each takes)")
	}
	return exitOK
}

// wouldPost lists the purposes of the posts an article gets when the
// watcher plans it: an episode yet to air is announced and posted live,
// anything else is published once.
func wouldPost(a *herald.Article, now time.Time) []herald.Purpose {
	if a.Kind == herald.KindEpisode && a.AirAt != nil && a.AirAt.After(now) {
		return []herald.Purpose{herald.PurposeAnnounce, herald.PurposeLive}
	}
	return []herald.Purpose{herald.PurposePublish}
}

// printPost writes a rendered post as a reader sees it, formatting marked.
func printPost(w io.Writer, p *bot.Post) {
	if p.Photo != "" {
		fmt.Fprintf(w, "[photo %s]\n", p.Photo)
	} else if p.Preview != nil && p.Preview.URL != nil {
		fmt.Fprintf(w, "[link preview %s, large, above the text]\n", *p.Preview.URL)
	}
	text, links := markedText(p.Text)
	fmt.Fprintln(w, text)
	if len(links) > 0 {
		fmt.Fprintln(w, "links:")
		for _, l := range links {
			fmt.Fprintf(w, "  [%s] %s\n", l[0], l[1])
		}
	}
	if p.Button != nil {
		fmt.Fprintln(w, "buttons:")
		for _, row := range p.Button.InlineKeyboard {
			for _, b := range row {
				fmt.Fprintf(w, "  [%s] %s\n", b.Text, b.URL)
			}
		}
	}
	if p.Truncated {
		fmt.Fprintln(w, "(shortened to fit Telegram's limit; the link leads to the rest)")
	}
}

// markedText turns the Telegram HTML of a post into text as a reader reads
// it, with *bold*, _italic_, __underline__, ~strike~, `code` and ||spoiler||
// marked and each link's text followed by [n]; it returns the links in
// order as (text, url).
func markedText(s string) (string, [][2]string) {
	var b strings.Builder
	var links [][2]string
	var href string
	var linkText strings.Builder
	inLink := false
	z := html.NewTokenizer(strings.NewReader(s))
	marks := map[string]string{"b": "*", "strong": "*", "i": "_", "em": "_", "u": "__", "ins": "__",
		"s": "~", "strike": "~", "del": "~", "code": "`", "pre": "```", "tg-spoiler": "||"}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String(), links
		case html.TextToken:
			t := string(z.Text())
			b.WriteString(t)
			if inLink {
				linkText.WriteString(t)
			}
		case html.StartTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if m, ok := marks[tag]; ok {
				b.WriteString(m)
				continue
			}
			if tag == "a" && tt == html.StartTagToken {
				href, inLink = "", true
				linkText.Reset()
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					if string(k) == "href" {
						href = string(v)
					}
				}
			} else if tag == "a" && inLink {
				links = append(links, [2]string{linkText.String(), href})
				fmt.Fprintf(&b, " [%d]", len(links))
				inLink = false
			}
		}
	}
}
