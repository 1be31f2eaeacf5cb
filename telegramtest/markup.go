package telegramtest

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/go-telegram/bot/models"
)

// maxCallbackData is the most bytes a button's callback_data may hold.
const maxCallbackData = 64

// parseReplyMarkup reads reply_markup: an inline keyboard, validated as
// Telegram validates it, or another kind of markup kept as sent.
func parseReplyMarkup(p params) (*models.InlineKeyboardMarkup, json.RawMessage, *apiError) {
	raw := p.str("reply_markup")
	if strings.TrimSpace(raw) == "" {
		return nil, nil, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &fields); err != nil {
		return nil, nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if _, ok := fields["inline_keyboard"]; !ok {
		for _, k := range []string{"keyboard", "remove_keyboard", "force_reply"} {
			if _, ok := fields[k]; ok {
				return nil, json.RawMessage(raw), nil
			}
		}
		return nil, nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	var kb models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &kb); err != nil {
		return nil, nil, badRequest("can't parse inline keyboard button: " + err.Error())
	}
	if emptyCopyText(fields["inline_keyboard"]) {
		// go-telegram/bot v1.19 sends "copy_text":{"text":""} on every button
		// it builds; Telegram refuses that (go-telegram/bot PR #167).
		return nil, nil, badRequest("BUTTON_COPY_TEXT_INVALID")
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if e := validateButton(b); e != nil {
				return nil, nil, e
			}
		}
	}
	if len(kb.InlineKeyboard) == 0 {
		return nil, nil, nil
	}
	return &kb, nil, nil
}

// emptyCopyText reports whether any button carries a copy_text object
// without text.
func emptyCopyText(rows json.RawMessage) bool {
	var kb [][]struct {
		CopyText *struct {
			Text string `json:"text"`
		} `json:"copy_text"`
	}
	if json.Unmarshal(rows, &kb) != nil {
		return false
	}
	for _, row := range kb {
		for _, b := range row {
			if b.CopyText != nil && b.CopyText.Text == "" {
				return true
			}
		}
	}
	return false
}

// validateButton checks an inline button: text, exactly one action,
// callback_data of at most 64 bytes, a URL Telegram accepts.
func validateButton(b models.InlineKeyboardButton) *apiError {
	if strings.TrimSpace(b.Text) == "" {
		return badRequest("can't parse inline keyboard button: Text must be non-empty")
	}
	actions := 0
	for _, set := range []bool{
		b.URL != "", b.CallbackData != "", b.WebApp != nil, b.LoginURL != nil,
		b.SwitchInlineQuery != "", b.SwitchInlineQueryCurrentChat != "",
		b.SwitchInlineQueryChosenChat != nil, b.CopyText.Text != "", b.CallbackGame != nil, b.Pay,
	} {
		if set {
			actions++
		}
	}
	switch {
	case actions == 0:
		return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	case actions > 1:
		return badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used")
	case len(b.CallbackData) > maxCallbackData:
		return badRequest("BUTTON_DATA_INVALID")
	}
	if b.URL != "" {
		u, err := url.Parse(b.URL)
		if err != nil || u.Host == "" && u.Scheme != "tg" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "tg") {
			return badRequest("BUTTON_URL_INVALID")
		}
	}
	return nil
}

// sameKeyboard says whether two inline keyboards are the same.
func sameKeyboard(a, b *models.InlineKeyboardMarkup) bool {
	return bytes.Equal(wireKeyboard(a), wireKeyboard(b))
}

// hasCallbackData says whether a keyboard has a button with the data.
func hasCallbackData(kb *models.InlineKeyboardMarkup, data string) bool {
	if kb == nil {
		return false
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != "" && b.CallbackData == data {
				return true
			}
		}
	}
	return false
}
