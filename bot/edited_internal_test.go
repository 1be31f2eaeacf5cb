package bot

import (
	"testing"

	"github.com/go-telegram/bot/models"
)

func TestEntitiesBecomeTelegramHTMLAndTheRestIsEscaped(t *testing.T) {
	// "Əliyev <b> 🎉 link" with Əliyev bold, 🎉 (two UTF-16 units) italic
	// and "link" a text link.
	text := "Əliyev <b> 🎉 link"
	ents := []models.MessageEntity{
		{Type: models.MessageEntityTypeBold, Offset: 0, Length: 6},
		{Type: models.MessageEntityTypeItalic, Offset: 11, Length: 2},
		{Type: models.MessageEntityTypeTextLink, Offset: 14, Length: 4, URL: "https://example.org/?a=1&b=2"},
		{Type: models.MessageEntityTypeTextLink, Offset: 0, Length: 1, URL: "javascript:alert(1)"},
		{Type: models.MessageEntityTypeBold, Offset: 90, Length: 3},
	}
	got := entitiesHTML(text, ents)
	want := `<b>Əliyev</b> &lt;b&gt; <i>🎉</i> <a href="https://example.org/?a=1&amp;b=2">link</a>`
	if got != want {
		t.Errorf("entitiesHTML = %q\nwant %q", got, want)
	}
	if _, _, err := scanHTML(got); err != nil {
		t.Errorf("the result is not valid Telegram HTML: %v", err)
	}
}
