package telegramtest_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/go-telegram/bot/models"

	"github.com/herald-news/herald/telegramtest"
)

func TestParseHTMLAccepts(t *testing.T) {
	ent := func(typ models.MessageEntityType, off, n int) models.MessageEntity {
		return models.MessageEntity{Type: typ, Offset: off, Length: n}
	}
	tests := []struct {
		name string
		html string
		text string
		ents []models.MessageEntity
	}{
		{"plain text passes through", "Hello", "Hello", nil},
		{"bold and strong are bold", "<b>a</b> <strong>b</strong>", "a b",
			[]models.MessageEntity{ent("bold", 0, 1), ent("bold", 2, 1)}},
		{"italic, underline and strikethrough have their synonyms", "<i>a</i><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>", "abcdefg",
			[]models.MessageEntity{ent("italic", 0, 1), ent("italic", 1, 1), ent("underline", 2, 1), ent("underline", 3, 1), ent("strikethrough", 4, 1), ent("strikethrough", 5, 1), ent("strikethrough", 6, 1)}},
		{"named entities decode", "&lt;b&gt; &amp; &quot;q&quot;", "<b> & \"q\"", nil},
		{"numeric entities decode", "&#65;&#x42;", "AB", nil},
		{"a link with href is a text_link", `<a href="https://example.org/a?b=1&amp;c=2">here</a>`, "here",
			[]models.MessageEntity{{Type: "text_link", Offset: 0, Length: 4, URL: "https://example.org/a?b=1&c=2"}}},
		{"a tg://user link is a text_mention", `<a href="tg://user?id=42">Ann</a>`, "Ann",
			[]models.MessageEntity{{Type: "text_mention", Offset: 0, Length: 3, User: &models.User{ID: 42}}}},
		{"spoilers come as span class tg-spoiler or tg-spoiler", `<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>`, "ab",
			[]models.MessageEntity{ent("spoiler", 0, 1), ent("spoiler", 1, 1)}},
		{"pre with code class is one pre with its language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1",
			[]models.MessageEntity{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{"inline code is code", "<code>a&lt;b</code>", "a<b", []models.MessageEntity{ent("code", 0, 3)}},
		{"expandable blockquote is its own type", "<blockquote expandable>q</blockquote><blockquote>r</blockquote>", "qr",
			[]models.MessageEntity{ent("expandable_blockquote", 0, 1), ent("blockquote", 1, 1)}},
		{"custom emoji keeps its id", `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍",
			[]models.MessageEntity{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"offsets count UTF-16 units past astral characters", "😀 <b>x</b>", "😀 x", []models.MessageEntity{ent("bold", 3, 1)}},
		{"nested tags give nested entities, outer first", "<b>a <i>b</i></b>", "a b",
			[]models.MessageEntity{ent("bold", 0, 3), ent("italic", 2, 1)}},
		{"tag names are case-insensitive", "<B>a</B>", "a", []models.MessageEntity{ent("bold", 0, 1)}},
		{"a lone > is text", "a > b", "a > b", nil},
		{"plain URLs, mentions, hashtags and commands are found", "see https://t.me/x @herald_bot #news /start",
			"see https://t.me/x @herald_bot #news /start",
			[]models.MessageEntity{ent("url", 4, 14), ent("mention", 19, 11), ent("hashtag", 31, 5), ent("bot_command", 37, 6)}},
		{"a URL inside a text link is not found again", `<a href="https://a.org">https://b.org</a>`, "https://b.org",
			[]models.MessageEntity{{Type: "text_link", Offset: 0, Length: 13, URL: "https://a.org"}}},
		{"empty tags make no entity", "<b></b>x", "x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, ents, err := telegramtest.ParseHTML(tt.html)
			if err != nil {
				t.Fatalf("ParseHTML(%q): %v", tt.html, err)
			}
			if text != tt.text {
				t.Errorf("text = %q, want %q", text, tt.text)
			}
			if len(ents) != 0 || len(tt.ents) != 0 {
				if !reflect.DeepEqual(ents, tt.ents) {
					t.Errorf("entities = %+v\nwant       %+v", ents, tt.ents)
				}
			}
		})
	}
}

func TestParseHTMLRejects(t *testing.T) {
	tests := []struct {
		name string
		html string
		want string
	}{
		{"an unsupported tag", "<blink>x</blink>", `can't parse entities: Unsupported start tag "blink" at byte offset 0`},
		{"a line break tag, which Telegram does not take", "a<br>b", `Unsupported start tag "br" at byte offset 1`},
		{"an unescaped less-than sign", "1 < 2", `Unsupported start tag "" at byte offset 2`},
		{"a bare ampersand", "Q&A", `Character "&" at byte offset 1 starts no entity`},
		{"an unknown named entity", "&nbsp;", `Character "&" at byte offset 0 starts no entity`},
		{"crossed tags", "<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"an end tag with nothing open", "x</b>", "Unexpected end tag at byte offset 1"},
		{"a tag left open", "<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"a start tag cut short", "x <b", "Unclosed start tag at byte offset 2"},
		{"an end tag cut short", "<b>x</b", "Unclosed end tag at byte offset 4"},
		{"a span that is not a spoiler", `<span class="red">x</span>`, `Tag "span" must have class "tg-spoiler"`},
		{"an attribute without a value", `<a href>x</a>`, `Expected equal sign in declaration of an attribute of the tag "a"`},
		{"a custom emoji without an id", `<tg-emoji>x</tg-emoji>`, "Invalid custom emoji identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := telegramtest.ParseHTML(tt.html)
			if err == nil {
				t.Fatalf("ParseHTML(%q) accepted it", tt.html)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "can't parse entities: ") {
				t.Errorf("error %q does not read like Telegram's", err)
			}
		})
	}
}

func TestUTF16LenCountsSurrogatePairs(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "Azərbaycan": 10, "😀": 2, "👍🏽": 4} {
		if got := telegramtest.UTF16Len(s); got != want {
			t.Errorf("UTF16Len(%q) = %d, want %d", s, got, want)
		}
	}
}
