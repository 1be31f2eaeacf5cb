package bot

import "github.com/go-telegram/bot/models"

// Keyboard is an inline keyboard as herald sends it. go-telegram/bot's own
// models.InlineKeyboardButton always marshals an empty "copy_text" object,
// which Telegram refuses (BUTTON_COPY_TEXT_INVALID); this type carries only
// the fields herald uses. It is a valid ReplyMarkup for any send or edit.
type Keyboard struct {
	InlineKeyboard [][]Button `json:"inline_keyboard"`
}

// Button is one inline button: a URL to open or data to call back with.
type Button struct {
	Text         string `json:"text"`
	URL          string `json:"url,omitempty"`
	CallbackData string `json:"callback_data,omitempty"`
}

// KeyboardOf converts the library's keyboard type into Keyboard, keeping the
// URL and callback buttons. It returns nil for nil.
func KeyboardOf(m *models.InlineKeyboardMarkup) *Keyboard {
	if m == nil {
		return nil
	}
	k := &Keyboard{}
	for _, row := range m.InlineKeyboard {
		var r []Button
		for _, b := range row {
			r = append(r, Button{Text: b.Text, URL: b.URL, CallbackData: b.CallbackData})
		}
		k.InlineKeyboard = append(k.InlineKeyboard, r)
	}
	return k
}

// Row appends a row of buttons and returns the keyboard, for building
// keyboards in one expression.
func (k *Keyboard) Row(buttons ...Button) *Keyboard {
	k.InlineKeyboard = append(k.InlineKeyboard, buttons)
	return k
}
