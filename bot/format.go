package bot

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
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
	maxHashtagRunes = 64
	maxURLBytes     = 2048 // longer links are not linked; Telegram refuses them
)

// Post is a rendered post, ready for the Bot API.
type Post struct {
	Text      string                       // Telegram HTML (parse_mode HTML); the caption when Photo is set
	Photo     string                       // image URL for sendPhoto, "" to send a text message
	Preview   *models.LinkPreviewOptions   // link preview options, set deliberately (never nil for text posts)
	Button    *models.InlineKeyboardMarkup // the review URL button, when the channel's ReviewLink is "button"; else nil
	Truncated bool                         // the article did not fit and the post links to the rest
}

// RenderOptions carries what a render needs beyond the article and channel.
type RenderOptions struct {
	BotUsername string    // the bot's @username, for review links; "" leaves them out
	Now         time.Time // the clock, for "tonight" and recordings; zero means time.Now()
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
	AirTime    string   // when the episode airs, in the channel's zone: "21:00 (+04)"; "" when unknown
	Episode    string   // the localized announce, live or recording line, "" for other posts
	Recording  bool     // an episode published after it aired
	Breaking   bool     // breaking news
	Labels     Labels   // fixed wording in the channel's language
}

// Labels is the fixed wording of a post, in the channel's language.
type Labels struct {
	ReadOn          string // "Read on the site"
	ContinueReading string // "Continue reading on the site"
	LeaveReview     string // "Leave a review"
	WatchRecording  string // "Watch the recording"
	Breaking        string // "Breaking"
	People          string // "Guests", "Expert"...; "" when the kind names nobody
}

// DefaultTemplate is the post a channel gets when it sets no template of its
// own. Runs of blank lines are collapsed after rendering, so optional parts
// may leave empty lines behind.
const DefaultTemplate = `{{with .Episode}}{{.}}
{{end}}{{with .Title}}<b>{{if $.Breaking}}{{$.Labels.Breaking}}: {{end}}{{.}}</b>{{end}}
{{with .Lead}}
{{.}}
{{end}}{{if eq .Purpose "publish"}}{{range .Paragraphs}}
{{.}}
{{end}}{{end}}{{if and .People .Labels.People}}
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
	p, err := render(tmpl, a, ch, purpose, opts)
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
	w := wordingFor(ch.Language)
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
	r.data = TemplateData{
		URL:      Escape(httpURL(a.URL)),
		VideoURL: Escape(httpURL(a.VideoURL)),
		Hashtag:  hashtag(program, ch.Language),
		Program:  Escape(program),
		People:   people,
		Place:    Escape(clampRunes(cleanLine(a.Place), maxPersonRunes)),
		Kind:     string(a.Kind),
		Purpose:  string(purpose),
		Language: string(ch.Language),
		Breaking: a.Breaking,
		Labels:   w.labels(a.Kind, len(people)),
	}
	if a.AirAt != nil {
		loc := ch.Location()
		air, today := a.AirAt.In(loc), now.In(loc)
		r.data.AirTime = clock(air)
		r.data.Recording = purpose == herald.PurposePublish && a.AirAt.Before(now)
		r.data.Episode = Escape(w.episode(purpose, r.data.Recording, air, today, program))
	} else if purpose == herald.PurposeAnnounce || purpose == herald.PurposeLive {
		r.data.Episode = Escape(w.episode(purpose, false, time.Time{}, now, program))
	}
	var button *models.InlineKeyboardMarkup
	if opts.BotUsername != "" && ch.ReviewLink != herald.ReviewLinkOff {
		link := ReviewLink(opts.BotUsername, a.ID, ch.ID)
		if ch.ReviewLink == herald.ReviewLinkButton {
			button = &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{
				{{Text: w.leaveReview, URL: link}},
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

// httpURL returns u normalized when it is an absolute http or https URL of
// reasonable length, else "": only those are linked or shown.
func httpURL(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return ""
	}
	if s := p.String(); len(s) <= maxURLBytes && utf8.ValidString(s) {
		return s
	}
	return ""
}

// hashtag makes a Telegram hashtag of a program name: words capitalized and
// joined, punctuation dropped ("Çətin sual" -> "#ÇətinSual"). Azerbaijani
// capitalizes i as İ. It returns "" when no letter is left.
func hashtag(program string, lang herald.Language) string {
	var b strings.Builder
	start, runes := true, 0
	for _, r := range program {
		switch {
		case runes >= maxHashtagRunes:
		case r == '\'' || r == '’':
			// Let's -> Lets: an apostrophe does not start a new word.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start && lang == herald.LangAzerbaijani {
				r = unicode.TurkishCase.ToUpper(r)
			} else if start {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			start = false
			runes++
		case unicode.IsMark(r) && !start:
			b.WriteRune(r)
			runes++
		default:
			start = true
		}
	}
	if !strings.ContainsFunc(b.String(), unicode.IsLetter) {
		return ""
	}
	return "#" + b.String()
}

// clock formats t as "21:00 (+04)" or "21:00 (CEST)": the zone's
// abbreviation, or its offset when the zone has no name.
func clock(t time.Time) string {
	name, offset := t.Zone()
	if name == "" {
		name = fmt.Sprintf("%+03d", offset/3600)
		if m := offset % 3600 / 60; m != 0 {
			name += fmt.Sprintf(":%02d", max(m, -m))
		}
	}
	return t.Format("15:04") + " (" + name + ")"
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

// escaper escapes the characters Telegram HTML gives a meaning to. Quotes
// are escaped everywhere, so one function serves text and attributes.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// Escape escapes s for Telegram HTML, as text or as an attribute value:
// <, >, & and " become entities. Invalid UTF-8, which Telegram refuses,
// becomes U+FFFD.
func Escape(s string) string {
	return escaper.Replace(strings.ToValidUTF8(s, "\uFFFD"))
}

// VisibleLen returns the length Telegram counts for HTML text: UTF-16 code
// units of the text once tags are removed and entities decoded. It does not
// fail: a stray "<" or "&" counts as one unit, as Telegram would show it.
func VisibleLen(html string) int {
	n, _, _ := scanHTML(html)
	return n
}

// scanHTML measures html as VisibleLen does, tells whether it shows nothing
// but spaces, and reports the first way it is not valid Telegram HTML:
// a tag Telegram does not know, a missing or unknown attribute, tags that
// do not nest, a tag inside <code> or <pre>, a link inside a link, a bare
// "<" or "&", invalid UTF-8.
func scanHTML(s string) (units int, blank bool, err error) {
	blank = true
	var open []string
	lastClose := strings.LastIndexByte(s, '>') // so that many a bare "<" costs no rescans
	fail := func(format string, args ...any) {
		if err == nil {
			err = fmt.Errorf(format, args...)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '<':
			end := -1
			if i < lastClose {
				end = strings.IndexByte(s[i:], '>')
			}
			if end < 0 {
				fail("bare \"<\" at byte %d; write &lt;", i)
				break
			}
			if e := checkTag(s[i+1:i+end], &open); e != nil {
				fail("%v at byte %d", e, i)
			}
			i += end + 1
			continue
		case r == '&':
			if d, n := decodeEntity(s[i:]); n > 0 {
				r, size = d, n
			} else {
				fail("bare \"&\" at byte %d; write &amp;", i)
			}
		case r == utf8.RuneError && size == 1:
			fail("invalid UTF-8 at byte %d", i)
		}
		units += utf16.RuneLen(r)
		blank = blank && unicode.IsSpace(r)
		i += size
	}
	if len(open) > 0 {
		fail("<%s> is never closed", open[len(open)-1])
	}
	return units, blank, err
}

// checkTag checks the tag between "<" and ">" against the tags Telegram
// knows and the tags already open, and opens or closes it.
func checkTag(tag string, open *[]string) error {
	if name, ok := strings.CutPrefix(tag, "/"); ok {
		name = strings.ToLower(strings.TrimSpace(name))
		if len(*open) == 0 || (*open)[len(*open)-1] != name {
			return fmt.Errorf("</%s> closes no open tag", name)
		}
		*open = (*open)[:len(*open)-1]
		return nil
	}
	name, rest, _ := strings.Cut(tag, " ")
	name = strings.ToLower(name)
	attrs, err := parseAttrs(rest)
	if err != nil {
		return fmt.Errorf("<%s>: %w", name, err)
	}
	allowed := map[string]string{"b": "", "i": "", "u": "", "s": "", "tg-spoiler": "",
		"a": "href", "code": "class", "pre": "", "blockquote": "expandable"}
	want, known := allowed[name]
	switch {
	case !known:
		return fmt.Errorf("<%s> is not a tag Telegram knows (use b, i, u, s, a, code, pre, blockquote, tg-spoiler)", name)
	case name == "a" && attrs["href"] == "":
		return errors.New(`<a> needs a non-empty href="..." (wrap an optional link in {{with .URL}}...{{end}})`)
	case len(*open) > 0 && (*open)[len(*open)-1] == "code",
		len(*open) > 0 && (*open)[len(*open)-1] == "pre" && name != "code":
		return fmt.Errorf("<%s> inside <%s>", name, (*open)[len(*open)-1])
	case name == "a" && strings.Contains(" "+strings.Join(*open, " ")+" ", " a "):
		return errors.New("<a> inside <a>")
	}
	for k := range attrs {
		if k != want {
			return fmt.Errorf("<%s> takes no attribute %q", name, k)
		}
	}
	*open = append(*open, name)
	return nil
}

// parseAttrs reads name="value" and bare name attributes; values must have
// their "&" escaped.
func parseAttrs(s string) (map[string]string, error) {
	attrs := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		i := strings.IndexAny(s, "= ")
		if i < 0 {
			attrs[strings.ToLower(s)] = ""
			break
		}
		name := strings.ToLower(s[:i])
		if s[i] == ' ' {
			attrs[name], s = "", s[i:]
			continue
		}
		s = strings.TrimSpace(s[i+1:])
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			return nil, fmt.Errorf("attribute %s: quote its value", name)
		}
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return nil, fmt.Errorf("attribute %s: unclosed quote", name)
		}
		value := s[1 : end+1]
		if _, _, err := scanHTML(value); err != nil || strings.ContainsAny(value, "<>") {
			return nil, fmt.Errorf("attribute %s: escape <, > and & in its value", name)
		}
		attrs[name], s = value, s[end+2:]
	}
	return attrs, nil
}

// decodeEntity decodes the entity at the start of s — &lt; &gt; &amp;
// &quot; or a numeric one, the only kinds Telegram knows — and returns the
// rune and the entity's length, or 0 when s starts with no entity.
func decodeEntity(s string) (rune, int) {
	end := strings.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 || end > 10 {
		return 0, 0
	}
	switch name := s[1:end]; {
	case name == "lt":
		return '<', end + 1
	case name == "gt":
		return '>', end + 1
	case name == "amp":
		return '&', end + 1
	case name == "quot":
		return '"', end + 1
	case name[0] == '#':
		var n uint64
		var err error
		if len(name) > 2 && (name[1] == 'x' || name[1] == 'X') {
			n, err = strconv.ParseUint(name[2:], 16, 32)
		} else {
			n, err = strconv.ParseUint(name[1:], 10, 32)
		}
		if err == nil && n > 0 && utf8.ValidRune(rune(n)) {
			return rune(n), end + 1
		}
	}
	return 0, 0
}

// cleanText makes article text safe to send: valid UTF-8, no control
// characters but newlines and tabs, no spaces at line ends (so that a line
// of spaces still separates paragraphs), trimmed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// cleanLine is cleanText for one-line fields: runs of spaces and newlines
// become one space.
func cleanLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// clampRunes cuts s to at most n runes, ending in "…" when cut.
func clampRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// wording is a post's fixed text in one language. Episode lines have
// {day}, {time} and {program} in them.
type wording struct {
	readOn, continueReading, leaveReview, watchRecording, breaking string
	guest, guests, expert, experts                                 string
	today, tonight, tomorrow, yesterday, date                      string // date: fmt over (day, month)
	months                                                         [12]string
	quote                                                          string // fmt around the program's name
	announce, announceBare, soon, soonBare, live, liveBare         string
	recording, recordingBare                                       string
}

var wordings = map[herald.Language]*wording{
	herald.LangEnglish: {
		readOn: "Read on the site", continueReading: "Continue reading on the site",
		leaveReview: "Leave a review", watchRecording: "Watch the recording", breaking: "Breaking",
		guest: "Guest", guests: "Guests", expert: "Expert", experts: "Experts",
		today: "today", tonight: "tonight", tomorrow: "tomorrow", yesterday: "yesterday", date: "on %d %s",
		months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"},
		quote:    "“%s”",
		announce: "{day} at {time} in {program}:", announceBare: "{day} at {time} on air:",
		soon: "Coming up in {program}:", soonBare: "Coming up on air:",
		live: "🔴 On air now: {program}", liveBare: "🔴 On air now:",
		recording: "Recording of {program}, aired {day} at {time}:", recordingBare: "Recording of the broadcast aired {day} at {time}:",
	},
	herald.LangRussian: {
		readOn: "Читать на сайте", continueReading: "Читать полностью на сайте",
		leaveReview: "Оставить отзыв", watchRecording: "Смотреть запись", breaking: "Срочно",
		guest: "Гость", guests: "Гости", expert: "Эксперт", experts: "Эксперты",
		today: "сегодня", tonight: "сегодня", tomorrow: "завтра", yesterday: "вчера", date: "%d %s",
		months: [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
			"августа", "сентября", "октября", "ноября", "декабря"},
		quote:    "«%s»",
		announce: "{day} в {time} в программе {program}:", announceBare: "{day} в {time} в эфире:",
		soon: "Скоро в эфире программа {program}:", soonBare: "Скоро в эфире:",
		live: "🔴 Сейчас в эфире программа {program}", liveBare: "🔴 Сейчас в эфире:",
		recording: "Запись эфира программы {program} {day} в {time}:", recordingBare: "Запись эфира {day} в {time}:",
	},
	herald.LangAzerbaijani: {
		readOn: "Saytda oxuyun", continueReading: "Davamını saytda oxuyun",
		leaveReview: "Rəy bildirin", watchRecording: "Videoya baxın", breaking: "Təcili",
		guest: "Qonaq", guests: "Qonaqlar", expert: "Ekspert", experts: "Ekspertlər",
		today: "bu gün", tonight: "bu axşam", tomorrow: "sabah", yesterday: "dünən", date: "%d %s",
		months: [12]string{"yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul",
			"avqust", "sentyabr", "oktyabr", "noyabr", "dekabr"},
		quote:    "«%s»",
		announce: "{day} saat {time} {program} verilişində:", announceBare: "{day} saat {time} efirdə:",
		soon: "Tezliklə {program} verilişində:", soonBare: "Tezliklə efirdə:",
		live: "🔴 {program} verilişi hazırda efirdədir", liveBare: "🔴 Hazırda efirdəyik:",
		recording: "{program} verilişinin {day} saat {time} efirinin yazısı:", recordingBare: "{day} saat {time} efirinin yazısı:",
	},
}

// wordingFor returns the wording of lang, English for a language herald
// does not know.
func wordingFor(lang herald.Language) *wording {
	if w, ok := wordings[lang]; ok {
		return w
	}
	return wordings[herald.LangEnglish]
}

func (w *wording) labels(kind herald.Kind, people int) Labels {
	l := Labels{ReadOn: w.readOn, ContinueReading: w.continueReading, LeaveReview: w.leaveReview,
		WatchRecording: w.watchRecording, Breaking: w.breaking}
	switch {
	case kind == herald.KindEpisode && people == 1:
		l.People = w.guest
	case kind == herald.KindEpisode:
		l.People = w.guests
	case kind == herald.KindCommentary && people == 1:
		l.People = w.expert
	case kind == herald.KindCommentary:
		l.People = w.experts
	}
	return l
}

// episode returns the line above an episode's title, not escaped: when it
// airs (announce), that it is on air (live), or that this is its recording.
// air and now are in the channel's zone; air is zero when unknown.
func (w *wording) episode(purpose herald.Purpose, recording bool, air, now time.Time, program string) string {
	var pattern, bare string
	switch {
	case recording:
		pattern, bare = w.recording, w.recordingBare
	case purpose == herald.PurposeLive:
		pattern, bare = w.live, w.liveBare
	case purpose == herald.PurposeAnnounce && air.IsZero():
		pattern, bare = w.soon, w.soonBare
	case purpose == herald.PurposeAnnounce:
		pattern, bare = w.announce, w.announceBare
	default:
		return ""
	}
	if program != "" {
		bare = pattern
	}
	line := strings.NewReplacer("{day}", w.day(air, now, recording), "{time}", clock(air),
		"{program}", fmt.Sprintf(w.quote, program)).Replace(bare)
	r, size := utf8.DecodeRuneInString(line)
	return string(unicode.ToUpper(r)) + line[size:]
}

// day names air's day as seen from now: today, tonight (from 18:00),
// tomorrow, yesterday, or the date.
func (w *wording) day(air, now time.Time, past bool) string {
	y1, m1, d1 := air.Date()
	y2, m2, d2 := now.Date()
	days := int(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC).Sub(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days == 0 && !past && air.Hour() >= 18:
		return w.tonight
	case days == 0:
		return w.today
	case days == 1 && !past:
		return w.tomorrow
	case days == -1 && past:
		return w.yesterday
	}
	return fmt.Sprintf(w.date, d1, w.months[m1-1])
}
