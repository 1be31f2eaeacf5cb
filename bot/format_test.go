package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/telegramtest"
)

// Times used across the tests: the show airs at 17:00 UTC, which is 21:00
// in Baku and 18:00 or 19:00 in Berlin (winter and summer time).
var (
	winterAir = time.Date(2024, 3, 2, 17, 0, 0, 0, time.UTC)
	summerAir = time.Date(2024, 7, 10, 17, 0, 0, 0, time.UTC)
)

func article(lang herald.Language) *herald.Article {
	programs := map[herald.Language]string{"en": "Difficult Question", "ru": "Трудный вопрос", "az": "Çətin sual"}
	titles := map[herald.Language]string{"en": "Afterword to Blinken's call", "ru": "Послесловие к звонку Блинкена",
		"az": "Blinkenin zənginə son söz"}
	return &herald.Article{ID: 42, Kind: herald.KindCommentary, Language: lang, Title: titles[lang],
		Lead: "The lead.", Body: "First paragraph.\n\nSecond paragraph.", Program: programs[lang],
		People: []string{"Azer Gasimly"}, URL: "https://example.com/a?id=1&lang=" + string(lang),
		Status: herald.ArticlePublished}
}

func channel(lang herald.Language) *herald.Channel {
	return &herald.Channel{ID: 7, Title: "Herald " + string(lang), Language: lang, Timezone: "Asia/Baku",
		ReviewLink: herald.ReviewLinkText}
}

var opts = RenderOptions{BotUsername: "herald_bot", Now: winterAir.Add(-time.Hour)}

// mustRender renders and checks what every post must be: valid Telegram
// HTML within the limit for its kind.
func mustRender(t testing.TB, a *herald.Article, ch *herald.Channel, purpose herald.Purpose, o RenderOptions) *Post {
	t.Helper()
	p, err := Render(a, ch, purpose, o)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	checkPost(t, p)
	return p
}

func checkPost(t testing.TB, p *Post) {
	t.Helper()
	n, err := validateTelegramHTML(p.Text)
	if err != nil {
		t.Fatalf("invalid Telegram HTML: %v\n%s", err, p.Text)
	}
	limit := MaxTextLen
	if p.Photo != "" {
		limit = MaxCaptionLen
	}
	if n > limit {
		t.Fatalf("visible length %d > %d", n, limit)
	}
	if p.Photo == "" && p.Preview == nil {
		t.Fatalf("a text post has no link preview options")
	}
}

func TestRenderDefaultPostInEachLanguage(t *testing.T) {
	tests := []struct {
		lang herald.Language
		want string
	}{
		{"en", `<b>Afterword to Blinken's call</b>

The lead.

First paragraph.

Second paragraph.

Expert: Azer Gasimly

<a href="https://example.com/a?id=1&amp;lang=en">Read on the site</a>
<a href="https://t.me/herald_bot?start=r42_7">Leave a review</a>

#DifficultQuestion`},
		{"ru", `<b>Послесловие к звонку Блинкена</b>

The lead.

First paragraph.

Second paragraph.

Эксперт: Azer Gasimly

<a href="https://example.com/a?id=1&amp;lang=ru">Читать на сайте</a>
<a href="https://t.me/herald_bot?start=r42_7">Оставить отзыв</a>

#ТрудныйВопрос`},
		{"az", `<b>Blinkenin zənginə son söz</b>

The lead.

First paragraph.

Second paragraph.

Ekspert: Azer Gasimly

<a href="https://example.com/a?id=1&amp;lang=az">Saytda oxuyun</a>
<a href="https://t.me/herald_bot?start=r42_7">Rəy bildirin</a>

#ÇətinSual`},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			p := mustRender(t, article(tt.lang), channel(tt.lang), herald.PurposePublish, opts)
			if p.Text != tt.want {
				t.Errorf("text:\n%s\nwant:\n%s", p.Text, tt.want)
			}
			if p.Photo != "" || p.Truncated || p.Button != nil {
				t.Errorf("photo %q, truncated %v, button %v; want a plain text post", p.Photo, p.Truncated, p.Button)
			}
			if p.Preview.IsDisabled == nil || !*p.Preview.IsDisabled {
				t.Errorf("preview %+v; want it disabled for a post without an image", p.Preview)
			}
		})
	}
}

func TestRenderEscapesHostileArticleText(t *testing.T) {
	a := article("en")
	a.Title = `<script>alert("x")</script> & </b><i>`
	a.Lead = "Tom & Jerry's <b>bold</b> &amp; co"
	a.Body = "1 < 2 > 0 && \"quoted\"\n\n</blockquote><a href=\"javascript:x\">click</a>"
	a.Program = `<b>Show</b> & "Tell"`
	a.People = []string{"<i>Eve</i>", "Mallory & Co"}
	a.URL = `https://example.com/?q="><script>x</script>`
	p := mustRender(t, a, channel("en"), herald.PurposePublish, opts)
	for _, bad := range []string{"<script", "<i>", "<b>bold", "</blockquote>", `href="javascript`, "&amp;lt;"} {
		if strings.Contains(p.Text, bad) {
			t.Errorf("text contains %q:\n%s", bad, p.Text)
		}
	}
	for _, want := range []string{
		"<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;/b&gt;&lt;i&gt;</b>",
		"Tom &amp; Jerry's &lt;b&gt;bold&lt;/b&gt; &amp;amp; co",
		"1 &lt; 2 &gt; 0 &amp;&amp; &quot;quoted&quot;",
		"#BShowBTell", // the tags are text, so their letters count
		"&lt;i&gt;Eve&lt;/i&gt;, Mallory &amp; Co",
	} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, p.Text)
		}
	}
}

func TestRenderLinksOnlyHTTPArticleURLs(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", "ftp://example.com/a", "/relative/path", "https://", ""} {
		a := article("en")
		a.URL = u
		p := mustRender(t, a, channel("en"), herald.PurposePublish, opts)
		if strings.Contains(p.Text, "Read on the site") {
			t.Errorf("URL %q is linked:\n%s", u, p.Text)
		}
	}
}

// utf16Len counts as Telegram does, independently of VisibleLen.
func telegramLen(s string) int { return len(utf16.Encode([]rune(s))) }

func TestRenderKeepsWithinLimitsCountedInUTF16(t *testing.T) {
	tests := []struct {
		name, word string
	}{
		{"emoji count two units each", "📰🎙️😀 "},
		{"Cyrillic counts one unit a letter", "Правительство "},
		{"Azerbaijani counts one unit a letter", "Ölkəmizdə şəffaflıq "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article("az")
			paragraph := strings.Repeat(tt.word, 60)
			a.Body = strings.Repeat(paragraph+"\n\n", 40)
			p := mustRender(t, a, channel("az"), herald.PurposePublish, opts)
			visible, _, _ := telegramtest.ParseHTML(p.Text)
			if n := telegramLen(visible); n > MaxTextLen || n < MaxTextLen*3/4 {
				t.Errorf("visible length %d; want between %d and %d", n, MaxTextLen*3/4, MaxTextLen)
			}
			if !p.Truncated || !strings.Contains(p.Text, "Davamını saytda oxuyun") {
				t.Errorf("truncated %v; want true with a link to the rest", p.Truncated)
			}
		})
		t.Run(tt.name+" in a caption", func(t *testing.T) {
			a := article("en")
			a.ImageURL = "https://example.com/photo.jpg"
			a.Body = strings.Repeat(tt.word, 20)
			p := mustRender(t, a, channel("en"), herald.PurposePublish, opts)
			if p.Photo != a.ImageURL {
				t.Fatalf("photo %q; want the image, the post fits a caption", p.Photo)
			}
			a.Body = strings.Repeat(tt.word, 150)
			p = mustRender(t, a, channel("en"), herald.PurposePublish, opts)
			if p.Photo != "" || *p.Preview.URL != a.ImageURL || !*p.Preview.PreferLargeMedia || !*p.Preview.ShowAboveText {
				t.Errorf("photo %q, preview %+v; want a text post previewing the image large, above", p.Photo, p.Preview)
			}
			if p.Truncated {
				t.Errorf("truncated; want the whole article in the text")
			}
		})
	}
}

func TestRenderCutsAtTheBestBoundary(t *testing.T) {
	sentence := "The minister said the talks would go on. "
	tests := []struct {
		name, body string
		wantEnd    string // how the last kept paragraph must end
	}{
		{"many paragraphs are cut between paragraphs", strings.Repeat(strings.Repeat(sentence, 8)+"\n\n", 30),
			"go on. …"},
		{"one long paragraph is cut after a sentence", strings.Repeat(sentence, 200), "go on. …"},
		{"one endless sentence is cut after a word", strings.Repeat("and then, ", 800), "then…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article("en")
			a.Body = tt.body
			p := mustRender(t, a, channel("en"), herald.PurposePublish, opts)
			if !p.Truncated {
				t.Fatal("not truncated")
			}
			kept := p.Text[:strings.Index(p.Text, "\n\nExpert:")]
			if !strings.HasSuffix(kept, tt.wantEnd) {
				t.Errorf("kept text ends %q; want %q", kept[len(kept)-40:], tt.wantEnd)
			}
			if n := VisibleLen(p.Text); n < MaxTextLen*3/4 {
				t.Errorf("visible length %d; the cut wastes too much room", n)
			}
			if !strings.Contains(p.Text, ">Continue reading on the site</a>") {
				t.Errorf("no link to the rest:\n%s", p.Text[len(p.Text)-300:])
			}
		})
	}
}

func TestRenderCutsATitleThatCannotFit(t *testing.T) {
	a := article("en")
	a.Title = strings.Repeat("Headline ", 600)
	p := mustRender(t, a, channel("en"), herald.PurposePublish, opts)
	if !p.Truncated || !strings.Contains(p.Text, "Headline…</b>") {
		t.Errorf("truncated %v; want the title cut after a word:\n%.200s", p.Truncated, p.Text)
	}
	if !strings.Contains(p.Text, "start=r42_7") {
		t.Errorf("the review link is lost")
	}
}

func TestRenderEpisodes(t *testing.T) {
	tests := []struct {
		name     string
		lang     herald.Language
		zone     string
		purpose  herald.Purpose
		air, now time.Time
		want     string // the line above the title
	}{
		{"announce in Baku tonight", "en", "Asia/Baku", herald.PurposeAnnounce, winterAir, winterAir.Add(-time.Hour),
			"Tonight at 21:00 in “Difficult Question”:"},
		{"announce in Berlin in winter", "en", "Europe/Berlin", herald.PurposeAnnounce, winterAir, winterAir.Add(-time.Hour),
			"Tonight at 18:00 in “Difficult Question”:"},
		{"announce in Berlin in summer", "ru", "Europe/Berlin", herald.PurposeAnnounce, summerAir, summerAir.Add(-time.Hour),
			"Сегодня в 19:00 в программе «Трудный вопрос»:"},
		{"announce for tomorrow", "az", "Asia/Baku", herald.PurposeAnnounce, winterAir, winterAir.Add(-30 * time.Hour),
			"Sabah saat 21:00 «Çətin sual» verilişində:"},
		{"announce days ahead", "en", "Asia/Baku", herald.PurposeAnnounce, winterAir, winterAir.Add(-72 * time.Hour),
			"On 2 March at 21:00 in “Difficult Question”:"},
		{"live", "en", "Asia/Baku", herald.PurposeLive, winterAir, winterAir, "🔴 On air now: “Difficult Question”"},
		{"live in Russian", "ru", "Europe/Berlin", herald.PurposeLive, winterAir, winterAir,
			"🔴 Сейчас в эфире программа «Трудный вопрос»"},
		{"live in Azerbaijani", "az", "Asia/Baku", herald.PurposeLive, winterAir, winterAir,
			"🔴 «Çətin sual» verilişi hazırda efirdədir"},
		{"recording the same night", "en", "Europe/Berlin", herald.PurposePublish, summerAir, summerAir.Add(2 * time.Hour),
			"Recording of “Difficult Question”, aired today at 19:00:"},
		{"recording the next day", "az", "Asia/Baku", herald.PurposePublish, winterAir, winterAir.Add(20 * time.Hour),
			"«Çətin sual» verilişinin dünən saat 21:00 efirinin yazısı:"},
		{"recording days later", "ru", "Asia/Baku", herald.PurposePublish, winterAir, winterAir.Add(100 * time.Hour),
			"Запись эфира программы «Трудный вопрос» 2 марта в 21:00:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := article(tt.lang)
			a.Kind, a.AirAt, a.VideoURL = herald.KindEpisode, &tt.air, "https://example.com/video"
			ch := channel(tt.lang)
			ch.Timezone = tt.zone
			p := mustRender(t, a, ch, tt.purpose, RenderOptions{BotUsername: "herald_bot", Now: tt.now})
			if first, _, _ := strings.Cut(p.Text, "\n"); first != tt.want {
				t.Errorf("first line %q; want %q", first, tt.want)
			}
			recording := strings.Contains(p.Text, `<a href="https://example.com/video">`)
			if recording != (tt.purpose == herald.PurposePublish) {
				t.Errorf("video link shown: %v; want it only on recordings", recording)
			}
		})
	}
}

func TestRenderReviewLink(t *testing.T) {
	tests := []struct {
		name             string
		mode             herald.ReviewLink
		bot              string
		wantText, wantBt bool
	}{
		{"a text link by default", "", "herald_bot", true, false},
		{"a text link", herald.ReviewLinkText, "@herald_bot", true, false},
		{"a button instead of a link in the text", herald.ReviewLinkButton, "herald_bot", false, true},
		{"nothing when off", herald.ReviewLinkOff, "herald_bot", false, false},
		{"nothing when the bot's name is unknown", herald.ReviewLinkText, "", false, false},
	}
	const link = "https://t.me/herald_bot?start=r42_7"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := channel("en")
			ch.ReviewLink = tt.mode
			p := mustRender(t, article("en"), ch, herald.PurposePublish, RenderOptions{BotUsername: tt.bot, Now: opts.Now})
			if got := strings.Contains(p.Text, `<a href="`+link+`">Leave a review</a>`); got != tt.wantText {
				t.Errorf("text link: %v; want %v", got, tt.wantText)
			}
			if got := p.Button != nil; got != tt.wantBt {
				t.Fatalf("button: %v; want %v", got, tt.wantBt)
			}
			if tt.wantBt {
				if b := p.Button.InlineKeyboard[0][0]; b.Text != "Leave a review" || b.URL != link {
					t.Errorf("button %q -> %q", b.Text, b.URL)
				}
			}
		})
	}
}

func TestRenderCustomTemplate(t *testing.T) {
	ch := channel("en")
	ch.Template = `{{.Hashtag}} <b>{{.Title}}</b>{{range .People}} · {{.}}{{end}}
<a href="{{.URL}}">{{.Labels.ReadOn}}</a>`
	a := article("en")
	a.Title = "Q&A"
	p := mustRender(t, a, ch, herald.PurposePublish, opts)
	want := `#DifficultQuestion <b>Q&amp;A</b> · Azer Gasimly
<a href="https://example.com/a?id=1&amp;lang=en">Read on the site</a>`
	if p.Text != want {
		t.Errorf("text:\n%s\nwant:\n%s", p.Text, want)
	}
	if err := CheckTemplate(ch.Template); err != nil {
		t.Errorf("CheckTemplate: %v", err)
	}
	if err := CheckTemplate(DefaultTemplate); err != nil {
		t.Errorf("CheckTemplate(DefaultTemplate): %v", err)
	}
}

func TestRenderRefusesABadTemplate(t *testing.T) {
	tests := []struct {
		name, tmpl, want string
	}{
		{"an unclosed action", "<b>{{.Title</b>", "line 1"},
		{"an unknown field", "ok\n{{.Headline}}", "line 2, column 2: <.Headline>: can't evaluate field Headline"},
		{"an unknown function", "{{shout .Title}}", `line 1: function "shout" not defined`},
		{"a tag Telegram does not know", "{{.Title}}<br>", "<br> is not a tag Telegram knows"},
		{"a tag left open", "<b>{{.Title}}", "<b> is never closed"},
		{"tags that do not nest", "<b><i>{{.Title}}</b></i>", "</b> closes no open tag"},
		{"a bare ampersand", "Q&A {{.Title}}", `bare "&"`},
		{"a link without an address", `<a href="{{.VideoURL}}">{{.Title}}</a>`, "<a> needs a non-empty href"},
		{"a post with nothing in it", "{{if false}}x{{end}}", "the post is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTemplate(tt.tmpl)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("CheckTemplate: %v; want an error with %q", err, tt.want)
			}
			ch := channel("en")
			ch.Template = tt.tmpl
			_, err = Render(article("en"), ch, herald.PurposePublish, opts)
			if err == nil || !strings.Contains(err.Error(), "channel 7 (Herald en)") {
				t.Errorf("Render: %v; want an error naming the channel", err)
			}
		})
	}
}

func TestVisibleLen(t *testing.T) {
	tests := []struct {
		html string
		want int
	}{
		{"", 0},
		{"<b>bold</b>", 4},
		{`<a href="https://example.com/?a=1&amp;b=2">link</a>`, 4},
		{"&lt;&gt;&amp;&quot;&#65;&#x42;", 6},
		{"Azərbaycan", 10},
		{"Россия", 6},
		{"😀", 2},
		{"a & b", 5},
	}
	for _, tt := range tests {
		if got := VisibleLen(tt.html); got != tt.want {
			t.Errorf("VisibleLen(%q) = %d; want %d", tt.html, got, tt.want)
		}
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<a href="x">&</a>`, "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"},
		{"&amp;", "&amp;amp;"},
		{"ok \xff", "ok \uFFFD"},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// validateTelegramHTML is a strict checker written apart from format.go:
// only Telegram's tags (a with an href), properly nested, no "<" or "&"
// outside tags and entities. It returns the visible length in UTF-16 units.
func validateTelegramHTML(s string) (int, error) {
	allowed := map[string]bool{"b": true, "i": true, "u": true, "s": true, "a": true, "code": true,
		"pre": true, "blockquote": true, "tg-spoiler": true}
	var stack []string
	var visible []rune
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return 0, fmt.Errorf("bare < at %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return 0, fmt.Errorf("</%s> does not match %v", name, stack)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			if !allowed[name] {
				return 0, fmt.Errorf("tag <%s> not allowed", tag)
			}
			if name == "a" && !(strings.HasPrefix(attrs, `href="`) && strings.HasSuffix(attrs, `"`) && len(attrs) > 7) {
				return 0, fmt.Errorf("bad link <%s>", tag)
			}
			if name != "a" && attrs != "" {
				return 0, fmt.Errorf("attributes on <%s>", tag)
			}
			stack = append(stack, name)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			entities := map[string]rune{"&lt;": '<', "&gt;": '>', "&amp;": '&', "&quot;": '"'}
			if j < 0 || entities[s[i:i+j+1]] == 0 {
				return 0, fmt.Errorf("bare & at %d: %.10q", i, s[i:])
			}
			visible = append(visible, entities[s[i:i+j+1]])
			i += j + 1
		case '>':
			return 0, fmt.Errorf("bare > at %d", i)
		default:
			r := []rune(s[i:min(len(s), i+4)])[0]
			visible = append(visible, r)
			i += len(string(r))
		}
	}
	if len(stack) > 0 {
		return 0, fmt.Errorf("unclosed %v", stack)
	}
	return len(utf16.Encode(visible)), nil
}

func FuzzRender(f *testing.F) {
	f.Add("Title", "Lead.", "One. Two.\n\nThree four.", "Difficult Question", "https://example.com/a", uint8(0))
	f.Add(`<script>&amp;"</b>`, "<i>", "a&b <c> \"d\"", "Çətin sual", "javascript:x", uint8(7))
	f.Add("Заголовок 😀", strings.Repeat("Лид. ", 300), strings.Repeat("Слово за словом. ", 500), "Трудный вопрос", "http://x/?a=1&b=<2>", uint8(13))
	f.Add(strings.Repeat("Headline ", 600), "", "", strings.Repeat("Program, ", 100), "https://example.com/"+strings.Repeat("x", 3000), uint8(0x49))
	f.Fuzz(func(t *testing.T, title, lead, body, program, url string, flags uint8) {
		a := &herald.Article{ID: 1, Kind: herald.Kinds[int(flags)%3], Title: title, Lead: lead, Body: body,
			Program: program, People: strings.Split(program, ","), URL: url, VideoURL: url}
		if flags&4 != 0 {
			a.ImageURL = "https://example.com/i.jpg"
		}
		if flags&8 != 0 {
			a.AirAt = &winterAir
		}
		ch := channel(herald.Languages[int(flags>>4)%3])
		ch.ReviewLink = []herald.ReviewLink{"text", "button", "off"}[int(flags>>6)%3]
		purpose := []herald.Purpose{"publish", "announce", "live"}[int(flags)%3]
		p, err := Render(a, ch, purpose, opts)
		if err != nil && cleanLine(title) == "" && strings.Contains(err.Error(), "the post is empty") {
			return // an article with nothing to show is refused, not sent empty
		}
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		checkPost(t, p)
		visible, _, err := telegramtest.ParseHTML(p.Text)
		if err != nil {
			t.Fatalf("telegramtest.ParseHTML: %v\n%s", err, p.Text)
		}
		if n := telegramLen(visible); n != VisibleLen(p.Text) {
			t.Fatalf("VisibleLen %d; Telegram counts %d", VisibleLen(p.Text), n)
		}
		if clean := cleanLine(title); clean != "" && !strings.Contains(p.Text, Escape(clean)) && telegramLen(clean) < 2000 {
			t.Fatalf("title %q is missing:\n%s", clean, p.Text)
		}
	})
}

func BenchmarkRender(b *testing.B) {
	a := article("en")
	a.Body = strings.Repeat(strings.Repeat("The minister said the talks would go on. ", 10)+"\n\n", 30)
	ch := channel("en")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(a, ch, herald.PurposePublish, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEpisodePostsKeepTheCallAndSayThingsOnce renders an announcement
// whose title already names the day and the program, as the newsroom
// writes them: the line above says neither again, the call for questions
// and the guests stay, and no offset from UTC is shown to readers.
func TestEpisodePostsKeepTheCallAndSayThingsOnce(t *testing.T) {
	tests := []struct {
		lang        herald.Language
		title, call string
		want        string
	}{
		{"en", "Tonight in Difficult Question: can small farms survive the drought?", "Send your questions in the comments under this post.", "At 21:00 on air:"},
		{"ru", "Сегодня в «Трудном вопросе»: переживут ли фермы засуху?", "Присылайте вопросы в комментариях под этой публикацией.", "В 21:00 в программе «Трудный вопрос»:"},
		{"az", "Bu axşam «Çətin sual»: gediş haqqı", "Suallarınızı bu yazının altındakı şərhlərdə yazın.", "Saat 21:00 efirdə:"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			a := article(tt.lang)
			a.Kind, a.AirAt, a.Title, a.People = herald.KindEpisode, &winterAir, tt.title, []string{"Sevda Huseynova"}
			a.Lead, a.Body = "", "Our guest joins us tonight.\n\n"+tt.call
			ch := channel(tt.lang)
			ch.Timezone = "Asia/Baku"
			for _, purpose := range []herald.Purpose{herald.PurposeAnnounce, herald.PurposeLive} {
				p := mustRender(t, a, ch, purpose, RenderOptions{BotUsername: "herald_bot", Now: winterAir.Add(-time.Hour)})
				if !strings.Contains(p.Text, tt.call) {
					t.Errorf("%s: the call for questions is lost:\n%s", purpose, p.Text)
				}
				if !strings.Contains(p.Text, "Sevda Huseynova") {
					t.Errorf("%s: the guest is lost:\n%s", purpose, p.Text)
				}
				if strings.Contains(p.Text, "+04") || strings.Contains(p.Text, "UTC") {
					t.Errorf("%s: an offset is shown to readers:\n%s", purpose, p.Text)
				}
				if purpose == herald.PurposeAnnounce {
					if first, _, _ := strings.Cut(p.Text, "\n"); first != tt.want {
						t.Errorf("first line %q; want %q", first, tt.want)
					}
				}
			}
		})
	}
}
