package desk

import (
	"context"
	"html"
	"html/template"
	"net/url"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
)

// preview is a post as readers will see it: the bot's own rendering, shown
// on the page.
type preview struct {
	HTML      template.HTML // the post's text, its Telegram formatting kept
	Photo     string        // the photo the post is sent with, "" for a text post
	LinkImage string        // the large link preview above the text, ""
	Buttons   []link        // the URL buttons under the post
	Truncated bool
	Err       string // why the post cannot be rendered (a broken template)
	Network   string // the channel's network, when it is not Telegram and shown as Telegram would
	// NetworkText is the channel's network when the text is that
	// network's own (Config.NetworkText).
	NetworkText string
	L           lang // the page's language, for the words around the post
}

type link struct{ Text, URL string }

// previewOf renders a's post on ch through bot.Render, as the dispatcher
// will at at: with the editor's text when post (0 for none yet) was
// edited.
func (d *Desk) previewOf(l lang, a *herald.Article, ch *herald.Channel, post int64, purpose herald.Purpose, at time.Time) *preview {
	now := d.cfg.Now()
	if purpose != herald.PurposePublish && at.After(now) {
		now = at // an announcement reads as it will when it is sent
	}
	if !ch.IsTelegram() && d.cfg.NetworkText != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		text, err := d.cfg.NetworkText(ctx, scheduler.Delivery{Post: &herald.Post{Purpose: purpose}, Article: a, Channel: ch})
		if err != nil {
			return &preview{Err: err.Error(), L: l}
		}
		// Plain text there: escaped, its lines kept.
		body := strings.ReplaceAll(html.EscapeString(text), "\n", "<br>")
		return &preview{HTML: template.HTML(body), NetworkText: ch.Network, L: l}
	}
	opts := bot.RenderOptions{BotUsername: d.cfg.BotUsername, Now: now}
	if post != 0 {
		if e, err := d.cfg.Store.PostEdit(context.Background(), post); err == nil {
			opts.Edit = e
		}
	}
	p, err := bot.Render(a, ch, purpose, opts)
	if err != nil {
		return &preview{Err: err.Error(), L: l}
	}
	out := &preview{HTML: telegramHTML(p.Text), Photo: safeURL(p.Photo), Truncated: p.Truncated, L: l}
	if ch.Network != "" && ch.Network != herald.NetworkTelegram {
		out.Network = ch.Network
	}
	if p.Preview != nil && p.Preview.URL != nil && (p.Preview.IsDisabled == nil || !*p.Preview.IsDisabled) {
		out.LinkImage = safeURL(*p.Preview.URL)
	}
	if p.Button != nil {
		for _, row := range p.Button.InlineKeyboard {
			for _, b := range row {
				if u := safeURL(b.URL); u != "" {
					out.Buttons = append(out.Buttons, link{Text: b.Text, URL: u})
				}
			}
		}
	}
	return out
}

// telegramTags are the tags of Telegram HTML, mapped to what shows them
// on a page. Anything else is dropped and its text kept.
var telegramTags = map[string]string{
	"b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u", "s": "s", "strike": "s", "del": "s",
	"code": "code", "pre": "pre", "blockquote": "blockquote", "tg-spoiler": "span", "span": "span", "a": "a",
}

// telegramHTML turns the Telegram HTML of a rendered post into HTML for
// the page: the formatting tags Telegram knows, links only to http(s) and
// tg: addresses, text escaped, newlines as line breaks. It is a filter of
// what the bot rendered, not a renderer of its own.
func telegramHTML(s string) template.HTML {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var open []string // the source tags open, innermost last
	var out []string  // what each was written as
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			for i := len(out) - 1; i >= 0; i-- {
				b.WriteString("</" + out[i] + ">")
			}
			return template.HTML(b.String())
		case xhtml.TextToken:
			b.WriteString(strings.ReplaceAll(html.EscapeString(string(z.Text())), "\n", "<br>\n"))
		case xhtml.StartTagToken:
			name, hasAttr := z.TagName()
			tag, ok := telegramTags[string(name)]
			if !ok {
				continue
			}
			attrs := ""
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if tag == "a" && string(k) == "href" {
					if u := safeURL(string(v)); u != "" {
						attrs = ` href="` + html.EscapeString(u) + `" rel="noopener noreferrer nofollow" target="_blank"`
					}
				}
			}
			written := tag
			switch {
			case string(name) == "tg-spoiler" || string(name) == "span":
				attrs = ` class="spoiler"`
			case tag == "a" && attrs == "":
				written = "span" // a link to nowhere safe: its text alone
			}
			b.WriteString("<" + written + attrs + ">")
			open, out = append(open, tag), append(out, written)
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			tag, ok := telegramTags[string(name)]
			if !ok {
				continue
			}
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == tag {
					for j := len(out) - 1; j >= i; j-- {
						b.WriteString("</" + out[j] + ">")
					}
					open, out = open[:i], out[:i]
					break
				}
			}
		}
	}
}

// safeURL returns u when it is an http(s) or tg: address, else "".
func safeURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https", "tg":
		return p.String()
	}
	return ""
}
