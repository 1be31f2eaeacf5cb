package bot

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"text/template"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
)

// Telegram's limits on a message, in UTF-16 code units of visible text
// (after tags are removed and entities decoded).
const (
	MaxTextLen    = 4096
	MaxCaptionLen = 1024
)

// Bounds on the article's side fields, so that the default post with a cut
// title always fits: a runaway program name or guest list cannot crowd out
// the post.
const (
	maxProgramRunes = 100
	maxPeople       = 10
	maxPersonRunes  = 80
)

// Post is a rendered post, ready for the Bot API.
type Post struct {
	Text      string // Telegram HTML (parse_mode HTML); the caption when Photo is set
	Photo     string // image URL (or file_id) for sendPhoto, "" to send a text message
	PhotoData []byte // an uploaded photo (an editor's), sent instead of Photo
	PhotoName string
	Preview   *models.LinkPreviewOptions   // link preview options, set deliberately (never nil for text posts)
	Button    *models.InlineKeyboardMarkup // the review URL button, when the channel's ReviewLink is "button"; else nil
	Truncated bool                         // the article did not fit and the post links to the rest
}

// RenderOptions carries what a render needs beyond the article and channel.
type RenderOptions struct {
	BotUsername string    // the bot's @username, for review links; "" leaves them out
	Now         time.Time // the clock, for "tonight" and recordings; zero means time.Now()
	// Edit, when set, is the editor's text (and image) the post says
	// instead of the article's title and lead.
	Edit *herald.PostEdit
	// Link, when set, is where "Read on the site" leads instead of the
	// article's URL: herald's short link (HERALD_LINKS).
	Link string
}

// TemplateData is what a channel template sees. Every string that comes from
// the article is already escaped for Telegram HTML, and every URL is escaped
// for an href attribute: a template writes them as they are ({{.Title}}, not
// {{.Title | html}}) and cannot forget to escape.
type TemplateData struct {
	Title      string   // the headline (cut with "…" only when nothing else fits)
	Lead       string   // the lead paragraph, "" when the article has none
	Paragraphs []string // the body paragraphs that fit; the last ends in "…" when Truncated
	Truncated  bool     // the body was shortened: link to the rest with Labels.ContinueReading
	URL        string   // the article's http(s) URL, "" when it has none
	VideoURL   string   // the article's http(s) video URL, "" when it has none
	ReviewURL  string   // the "Leave a review" deep link; "" when the channel shows a button or none
	Hashtag    string   // the program as a hashtag ("#DifficultQuestion"), "" without a program
	Program    string   // the program's name, "" when none
	People     []string // the guests or experts named
	Place      string   // the dateline, e.g. "Bakı"
	Kind       string   // commentary, episode or news
	Purpose    string   // publish, announce or live
	Language   string   // az, en or ru
	AirTime    string   // when the episode airs, on the channel's clock: "21:00"; "" when unknown
	Episode    string   // the localized announce, live or recording line, "" for other posts
	Recording  bool     // an episode published after it aired
	Breaking   bool     // breaking news
	Labels     Labels   // fixed wording in the channel's language
}

// Labels is the fixed wording of a post, in the channel's language.
type Labels = herald.PostLabels

// DefaultTemplate is the post a channel gets when it sets no template of its
// own. Runs of blank lines are collapsed after rendering, so optional parts
// may leave empty lines behind.
const DefaultTemplate = `{{with .Episode}}{{.}}
{{end}}{{with .Title}}<b>{{if $.Breaking}}{{$.Labels.Breaking}}: {{end}}{{.}}</b>{{end}}
{{with .Lead}}
{{.}}
{{end}}{{range .Paragraphs}}
{{.}}
{{end}}{{if and .People .Labels.People}}
{{.Labels.People}}: {{join .People ", "}}
{{end}}
{{if .Recording}}{{with .VideoURL}}<a href="{{.}}">{{$.Labels.WatchRecording}}</a>
{{end}}{{end}}{{with .URL}}<a href="{{.}}">{{if $.Truncated}}{{$.Labels.ContinueReading}}{{else}}{{$.Labels.ReadOn}}{{end}}</a>
{{end}}{{with .ReviewURL}}<a href="{{.}}">{{$.Labels.LeaveReview}}</a>
{{end}}{{with .Hashtag}}
{{.}}{{end}}`

// templateName appears in text/template's errors, which templateError
// rewrites into "line N: ...".
const templateName = "post"

var (
	defaultTemplate = template.Must(parseTemplate(DefaultTemplate))
	templateErrorRE = regexp.MustCompile(`^template: ` + templateName + `:(\d+)(?::(\d+))?: (?:executing "` + templateName + `" at )?`)
	blankLinesRE    = regexp.MustCompile(`\n[ \t]*\n(?:[ \t]*\n)+`)
)

func parseTemplate(src string) (*template.Template, error) {
	t, err := template.New(templateName).Funcs(template.FuncMap{"join": strings.Join}).Parse(src)
	if err != nil {
		return nil, templateError(err)
	}
	return t, nil
}

// templateError turns `template: post:3:7: executing "post" at <.X>: ...`
// into `line 3, column 7: <.X>: ...`, which an editor can act on.
func templateError(err error) error {
	m := templateErrorRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	where := "line " + m[1]
	if m[2] != "" {
		where += ", column " + m[2]
	}
	return errors.New(where + ": " + err.Error()[len(m[0]):])
}

// Render renders the post of article a for channel ch and purpose (publish,
// announce, live), from ch.Template or DefaultTemplate. A post that fits in
// a caption and has an http(s) image becomes a photo post; a longer one is a
// text message, shortened to MaxTextLen. It fails, naming the channel, when
// the template fails or writes invalid HTML, or when the post cannot fit.
func Render(a *herald.Article, ch *herald.Channel, purpose herald.Purpose, opts RenderOptions) (*Post, error) {
	if a == nil || ch == nil {
		return nil, errors.New("bot: render: no article or no channel")
	}
	tmpl := defaultTemplate
	if strings.TrimSpace(ch.Template) != "" {
		var err error
		if tmpl, err = parseTemplate(ch.Template); err != nil {
			return nil, fmt.Errorf("bot: channel %d (%s): template: %w", ch.ID, ch.Title, err)
		}
	}
	var p *Post
	var err error
	if opts.Edit != nil {
		p, err = renderEdited(a, ch, purpose, opts.Edit, opts)
	} else {
		p, err = render(tmpl, a, ch, purpose, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("bot: render article %d for channel %d (%s): %w", a.ID, ch.ID, ch.Title, err)
	}
	return p, nil
}

func render(tmpl *template.Template, a *herald.Article, ch *herald.Channel, purpose herald.Purpose, opts RenderOptions) (*Post, error) {
	r, button := newRenderer(tmpl, a, ch, purpose, opts)
	whole := cut{title: r.title, keep: len(r.blocks)}
	text, n, err := r.render(whole)
	if err != nil {
		return nil, err
	}
	image := httpURL(a.ImageURL)
	if image != "" && n <= MaxCaptionLen {
		return &Post{Text: text, Photo: image, Button: button}, nil
	}
	post := &Post{Text: text, Preview: preview(image), Button: button}
	if n > MaxTextLen {
		if post.Text, err = r.fit(MaxTextLen); err != nil {
			return nil, err
		}
		post.Truncated = true
	}
	return post, nil
}

// preview chooses the link preview of a text post. With an image, the image
// is shown large above the text, as a photo post would show it. Without one
// the preview is disabled: Telegram would otherwise preview the first link
// in the text, which may be the review deep link (the bot's card), and the
// article page's own preview would only repeat the title and lead.
func preview(image string) *models.LinkPreviewOptions {
	yes := true
	if image != "" {
		return &models.LinkPreviewOptions{URL: &image, PreferLargeMedia: &yes, ShowAboveText: &yes}
	}
	return &models.LinkPreviewOptions{IsDisabled: &yes}
}

// renderer renders one article for one channel with more or less of it.
type renderer struct {
	tmpl    *template.Template
	data    TemplateData // everything but the title, lead, paragraphs and Truncated
	title   string       // cleaned, not escaped
	blocks  []string     // the lead (when hasLead) then the paragraphs; cleaned, not escaped
	hasLead bool
}

// cut says how much of the article a render keeps: the title, the first
// keep blocks whole and, when part is set, the start of the next one.
type cut struct {
	title     string
	keep      int
	part      string // already ends in "…"
	truncated bool
}

func newRenderer(tmpl *template.Template, a *herald.Article, ch *herald.Channel, purpose herald.Purpose, opts RenderOptions) (*renderer, *models.InlineKeyboardMarkup) {
	w := herald.WordingFor(ch.Language)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	program := clampRunes(cleanLine(herald.ProgramTitle(a.Program, ch.Language)), maxProgramRunes)
	var people []string
	for _, p := range a.People {
		if p = clampRunes(cleanLine(p), maxPersonRunes); p != "" && len(people) < maxPeople {
			people = append(people, Escape(p))
		}
	}
	r := &renderer{tmpl: tmpl, title: cleanLine(a.Title)}
	if lead := cleanText(a.Lead); lead != "" {
		r.blocks, r.hasLead = append(r.blocks, lead), true
	}
	body := herald.Article{Body: cleanText(a.Body)}
	r.blocks = append(r.blocks, body.Paragraphs()...)
	link := httpURL(a.URL)
	if opts.Link != "" && link != "" {
		link = httpURL(opts.Link)
	}
	r.data = TemplateData{
		URL:      Escape(link),
		VideoURL: Escape(httpURL(a.VideoURL)),
		Hashtag:  hashtag(program, ch.Language),
		Program:  Escape(program),
		People:   people,
		Place:    Escape(clampRunes(cleanLine(a.Place), maxPersonRunes)),
		Kind:     string(a.Kind),
		Purpose:  string(purpose),
		Language: string(ch.Language),
		Breaking: a.Breaking,
		Labels:   w.Labels(a.Kind, len(people)),
	}
	if a.AirAt != nil {
		loc := ch.Location()
		air, today := a.AirAt.In(loc), now.In(loc)
		r.data.AirTime = clock(air)
		r.data.Recording = purpose == herald.PurposePublish && a.AirAt.Before(now)
		r.data.Episode = Escape(w.Episode(purpose, r.data.Recording, air, today, program, r.title))
	} else if purpose == herald.PurposeAnnounce || purpose == herald.PurposeLive {
		r.data.Episode = Escape(w.Episode(purpose, false, time.Time{}, now, program, r.title))
	}
	var button *models.InlineKeyboardMarkup
	if opts.BotUsername != "" && ch.ReviewLink != herald.ReviewLinkOff {
		link := ReviewLink(opts.BotUsername, a.ID, ch.ID)
		if ch.ReviewLink == herald.ReviewLinkButton {
			button = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
				{{Text: w.Labels(a.Kind, 0).LeaveReview, URL: link}},
			}}
		} else {
			r.data.ReviewURL = Escape(link)
		}
	}
	return r, button
}

// render executes the template on cut c and returns the post's HTML and
// its visible length. Output that is not valid Telegram HTML is an error,
// so a custom template's mistake never reaches Telegram.
func (r *renderer) render(c cut) (text string, n int, err error) {
	d := r.data
	d.Title, d.Truncated = Escape(c.title), c.truncated
	kept := make([]string, 0, c.keep+1)
	for _, b := range r.blocks[:c.keep] {
		kept = append(kept, Escape(b))
	}
	if c.part != "" {
		kept = append(kept, Escape(c.part))
	} else if c.truncated && len(kept) > 0 {
		kept[len(kept)-1] += " …"
	}
	if r.hasLead && len(kept) > 0 {
		d.Lead, kept = kept[0], kept[1:]
	}
	d.Paragraphs = kept
	var b strings.Builder
	if err := execute(r.tmpl, &b, &d); err != nil {
		return "", 0, templateError(err)
	}
	text = strings.TrimSpace(blankLinesRE.ReplaceAllString(b.String(), "\n\n"))
	n, blank, err := scanHTML(text)
	switch {
	case err != nil:
		return "", 0, fmt.Errorf("template output is not valid Telegram HTML: %w", err)
	case blank:
		return "", 0, errors.New("the post is empty")
	}
	return text, n, nil
}

func execute(t *template.Template, b *strings.Builder, d *TemplateData) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("template panicked: %v", p)
		}
	}()
	return t.Execute(b, d)
}

// fit shortens the post to limit visible units. It keeps the most of the
// article at a paragraph boundary, else at a sentence boundary, else at a
// word boundary, taking a coarser cut when it still fills three quarters of
// the room. When not even the title fits with the links, the title is cut.
func (r *renderer) fit(limit int) (string, error) {
	var lastErr error
	try := func(c cut) (string, int, bool) {
		text, n, err := r.render(c)
		if err != nil {
			lastErr = err
			return "", 0, false
		}
		return text, n, n <= limit
	}
	// Only what is visible counts, so blocks beyond the limit on their own
	// need no render: this keeps every render small for a huge article.
	candidates, units := 0, 0
	for candidates < len(r.blocks)-1 && units+utf16Len(r.blocks[candidates]) <= limit {
		units += utf16Len(r.blocks[candidates])
		candidates++
	}
	k, text, n := largest(candidates+1, try, func(i int) cut { return cut{title: r.title, keep: i, truncated: true} })
	if k < 0 || len(r.blocks) == 0 {
		return r.fitTitle(try, lastErr)
	}
	best, bestN := text, n
	block := prefixWithin(r.blocks[k], limit)
	levels := []struct {
		ends   []int
		suffix string
	}{{sentenceEnds(block), " …"}, {wordEnds(block), "…"}}
	for _, l := range levels {
		if bestN >= limit*3/4 {
			break
		}
		mk := func(i int) cut {
			return cut{title: r.title, keep: k, part: trimCut(block[:l.ends[i]]) + l.suffix, truncated: true}
		}
		if i, text, n := largest(len(l.ends), try, mk); i >= 0 && n > bestN {
			best, bestN = text, n
		}
	}
	return best, nil
}

// fitTitle cuts the title at a word boundary, else anywhere, until the
// minimal post fits.
func (r *renderer) fitTitle(try func(cut) (string, int, bool), lastErr error) (string, error) {
	for _, ends := range [][]int{wordEnds(r.title), runeEnds(r.title)} {
		ends = append([]int{0}, ends...)
		mk := func(i int) cut { return cut{title: trimCut(r.title[:ends[i]]) + "…", truncated: true} }
		if i, text, _ := largest(len(ends), try, mk); i >= 0 {
			return text, nil
		}
	}
	if lastErr != nil {
		return "", lastErr
	}
	return "", fmt.Errorf("the post does not fit in %d characters even with its title cut", MaxTextLen)
}

// largest finds, by binary search, the largest i in [0, n) whose cut fits,
// and returns -1 when none does. Cuts grow with i; a template that is not
// monotonic only makes the search settle for less, never for a post that
// does not fit, since every answer was rendered and measured.
func largest(n int, try func(cut) (string, int, bool), mk func(int) cut) (int, string, int) {
	best, bestText, bestN := -1, "", 0
	for lo, hi := 0, n-1; lo <= hi; {
		mid := lo + (hi-lo)/2
		if text, m, ok := try(mk(mid)); ok {
			best, bestText, bestN, lo = mid, text, m, mid+1
		} else {
			hi = mid - 1
		}
	}
	return best, bestText, bestN
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// prefixWithin returns the longest prefix of s of at most limit UTF-16
// code units.
func prefixWithin(s string, limit int) string {
	for i, r := range s {
		if limit -= utf16.RuneLen(r); limit < 0 {
			return s[:i]
		}
	}
	return s
}

// sentenceEnds returns the byte offsets in s just after each sentence's
// closing punctuation (and closing quotes), before the end of s.
func sentenceEnds(s string) []int {
	var ends []int
	for i, r := range s {
		if !strings.ContainsRune(".!?…", r) {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < len(s) {
			q, size := utf8.DecodeRuneInString(s[j:])
			if !strings.ContainsRune(`"'”’»)]`, q) {
				break
			}
			j += size
		}
		if q, _ := utf8.DecodeRuneInString(s[j:]); j < len(s) && unicode.IsSpace(q) {
			ends = append(ends, j)
		}
	}
	return ends
}

// wordEnds returns the byte offsets in s of each space that follows a word.
func wordEnds(s string) []int {
	var ends []int
	for i, r := range s {
		if unicode.IsSpace(r) && i > 0 {
			ends = append(ends, i)
		}
	}
	return ends
}

// runeEnds returns the byte offset after each rune of s but the last.
func runeEnds(s string) []int {
	var ends []int
	for i := range s {
		if i > 0 {
			ends = append(ends, i)
		}
	}
	return ends
}

// trimCut drops the spaces and dangling punctuation (a comma, a dash, an
// opening quote) that a cut leaves at the end of s.
func trimCut(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—(«“„\"'", r)
	})
}

// httpURL returns u when it is an http(s) address a post may link.
func httpURL(u string) string { return herald.WebURL(u) }

// hashtag makes a Telegram hashtag of a program name (see herald.Hashtag).
func hashtag(program string, lang herald.Language) string { return herald.Hashtag(program, lang) }

// clock formats t as "21:00 (+04)" or "21:00 (CEST)": the zone's
// abbreviation, or its offset when the zone has no name.
func clock(t time.Time) string {
	// Readers read the time on the channel's clock, which is theirs: an
	// offset from UTC would only puzzle them.
	return t.Format("15:04")
}

// CheckTemplate parses a channel template and renders it against sample
// articles (a long commentary, an episode's announcement, live post and
// recording), so that an editor setting a template learns at once what is
// wrong: "line 3, column 7: ...", or invalid HTML in the output. An empty
// template stands for DefaultTemplate and is fine.
func CheckTemplate(tmpl string) error {
	if strings.TrimSpace(tmpl) == "" {
		return nil
	}
	t, err := parseTemplate(tmpl)
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	now := time.Date(2024, 3, 2, 19, 0, 0, 0, time.UTC)
	air := now.Add(time.Hour)
	long := strings.Repeat("A sentence of a sample paragraph, long enough to be cut. ", 12)
	commentary := &herald.Article{ID: 1, Kind: herald.KindCommentary, Language: herald.LangEnglish,
		Title: `Sample & "title" <1>`, Lead: "A sample lead.", Body: strings.Repeat(long+"\n\n", 10),
		Program: "Difficult Question", People: []string{"Azer Gasimly"}, URL: "https://example.com/a?x=1&y=2"}
	episode := &herald.Article{ID: 2, Kind: herald.KindEpisode, Language: herald.LangEnglish,
		Title: "Sample episode", Lead: "A sample lead.", Program: "Difficult Question",
		People: []string{"Guest One", "Guest Two"}, URL: "https://example.com/e", VideoURL: "https://example.com/v",
		ImageURL: "https://example.com/i.jpg", AirAt: &air}
	samples := []struct {
		a       *herald.Article
		purpose herald.Purpose
		now     time.Time
		link    herald.ReviewLink
	}{
		{commentary, herald.PurposePublish, now, herald.ReviewLinkText},
		{commentary, herald.PurposePublish, now, herald.ReviewLinkButton},
		{episode, herald.PurposeAnnounce, now, herald.ReviewLinkText},
		{episode, herald.PurposeLive, air, herald.ReviewLinkOff},
		{episode, herald.PurposePublish, air.Add(2 * time.Hour), herald.ReviewLinkText},
	}
	for _, s := range samples {
		ch := &herald.Channel{ID: 1, Language: herald.LangEnglish, Timezone: herald.DefaultChannelZone, ReviewLink: s.link}
		if _, err := render(t, s.a, ch, s.purpose, RenderOptions{BotUsername: "herald_bot", Now: s.now}); err != nil {
			return fmt.Errorf("template: rendering a sample %s (%s): %w", s.a.Kind, s.purpose, err)
		}
	}
	return nil
}
