package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// Publisher sends posts to Telegram channels. It implements
// scheduler.Publisher and classifies every failure for the dispatcher.
type Publisher struct {
	tg       *tgbot.Bot
	username string
	now      func() time.Time
	redact   func(string) string
}

var _ scheduler.Publisher = (*Publisher)(nil)

// Publish renders the post and sends it: a photo with a caption when the
// article has an image and the post fits in a caption, a text message
// otherwise.
func (p *Publisher) Publish(ctx context.Context, d scheduler.Delivery) (scheduler.Receipt, error) {
	post, err := Render(d.Article, d.Channel, d.Post.Purpose, p.options(d))
	if err != nil {
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.Permanent, Err: err}
	}
	x := &exchange{}
	ctx = withExchange(ctx, x)
	var markup models.ReplyMarkup
	if post.Button != nil {
		markup = KeyboardOf(post.Button)
	}
	var msg *models.Message
	if post.Photo != "" || post.PhotoData != nil {
		msg, err = p.tg.SendPhoto(ctx, &tgbot.SendPhotoParams{
			ChatID: d.Channel.ChatID(), MessageThreadID: threadOf(d.Channel), Photo: photoInput(post),
			Caption: post.Text, ParseMode: models.ParseModeHTML,
			DisableNotification: d.Post.Silent, ReplyMarkup: markup,
		})
	} else {
		msg, err = p.tg.SendMessage(ctx, &tgbot.SendMessageParams{
			ChatID: d.Channel.ChatID(), MessageThreadID: threadOf(d.Channel), Text: post.Text, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: post.Preview, DisableNotification: d.Post.Silent, ReplyMarkup: markup,
		})
	}
	if err != nil {
		if tf := topicFailure(err, d.Channel, p.redact); tf != nil {
			return scheduler.Receipt{}, tf
		}
		return scheduler.Receipt{}, p.classify(err, x, true)
	}
	return scheduler.Receipt{MessageID: int64(msg.ID)}, nil
}

// Edit brings a sent post in line with its changed article: its caption
// when it went out as a photo, its text otherwise. A post already showing
// the new content counts as edited.
func (p *Publisher) Edit(ctx context.Context, d scheduler.Delivery, r scheduler.Receipt) (scheduler.Receipt, error) {
	post, err := Render(d.Article, d.Channel, d.Post.Purpose, p.options(d))
	if err != nil {
		return r, &scheduler.SendError{Failure: scheduler.Permanent, Err: err}
	}
	x := &exchange{}
	ctx = withExchange(ctx, x)
	var markup models.ReplyMarkup
	if post.Button != nil {
		markup = KeyboardOf(post.Button)
	}
	if post.Photo != "" || post.PhotoData != nil {
		_, err = p.tg.EditMessageCaption(ctx, &tgbot.EditMessageCaptionParams{
			ChatID: d.Channel.ChatID(), MessageID: int(r.MessageID), Caption: post.Text,
			ParseMode: models.ParseModeHTML, ReplyMarkup: markup,
		})
	} else {
		_, err = p.tg.EditMessageText(ctx, &tgbot.EditMessageTextParams{
			ChatID: d.Channel.ChatID(), MessageID: int(r.MessageID), Text: post.Text,
			ParseMode: models.ParseModeHTML, LinkPreviewOptions: post.Preview, ReplyMarkup: markup,
		})
	}
	if err != nil && strings.Contains(err.Error(), "message is not modified") {
		return r, nil
	}
	if err != nil {
		return r, p.classify(err, x, false)
	}
	return r, nil
}

// options are the render options of a delivery: the bot's name for review
// links, the clock, the editor's edit and the short link.
func (p *Publisher) options(d scheduler.Delivery) RenderOptions {
	return RenderOptions{BotUsername: p.username, Now: p.now(), Edit: d.Edit, Link: d.Link}
}

// topicFailure reads Telegram's answers about a forum topic that is closed
// or gone: the channel cannot take posts until editors reopen the topic or
// point the channel elsewhere, so it is treated as a lost right (Forbidden:
// the channel is paused, the owners told).
func topicFailure(err error, ch *herald.Channel, redact func(string) string) error {
	if ch.Topic == 0 || !errors.Is(err, tgbot.ErrorBadRequest) {
		return nil
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "TOPIC_CLOSED"):
		return &scheduler.SendError{Failure: scheduler.Forbidden, Err: fmt.Errorf("forum topic %d is closed: %s", ch.Topic, redact(msg))}
	case strings.Contains(msg, "message thread not found"), strings.Contains(msg, "TOPIC_DELETED"), strings.Contains(msg, "TOPIC_ID_INVALID"):
		return &scheduler.SendError{Failure: scheduler.Forbidden, Err: fmt.Errorf("forum topic %d is deleted: %s", ch.Topic, redact(msg))}
	}
	return nil
}

// Delete removes a sent post and its follow-ups. A message already gone
// counts as deleted.
func (p *Publisher) Delete(ctx context.Context, ch *herald.Channel, r scheduler.Receipt) error {
	for _, id := range append([]int64{r.MessageID}, r.ExtraIDs...) {
		x := &exchange{}
		_, err := p.tg.DeleteMessage(withExchange(ctx, x), &tgbot.DeleteMessageParams{ChatID: ch.ChatID(), MessageID: int(id)})
		if err != nil && !strings.Contains(err.Error(), "message to delete not found") {
			return p.classify(err, x, false)
		}
	}
	return nil
}

// classify turns a go-telegram/bot error into a *scheduler.SendError. Only
// a request that surely did not reach Telegram is NotSent: refused before
// it was written, or answered with an error that says it was not carried
// out. A request that was written and then lost its answer is Ambiguous.
//
// Which 5xx are ambiguous, for a send (send true; it would post twice if
// repeated), follows from who answered:
//   - the Bot API itself, in its JSON shape: telegram-bot-api answers 500
//     when TDLib failed a request it may already have passed on ("Request
//     aborted"; "sent message was immediately deleted", which did go out),
//     so a 500 is ambiguous, except its "500 Internal Server Error:
//     restart" / "closing", given to requests that arrive while it shuts
//     down, before any is carried out. The Bot API sends no other 5xx of
//     its own; api.telegram.org's 502/503/504 in JSON are its front
//     answering for a server it could not reach, and are retried;
//   - anything else, a proxy's page (nginx in front of a self-hosted Bot
//     API server, a load balancer): its 502 and 504 may come after it
//     passed the request on and lost the answer, so they are ambiguous;
//     its 503 (no server takes requests) is retried.
//
// Edits and deletions (send false) may be repeated safely, so any 5xx is
// NotSent for them.
func (p *Publisher) classify(err error, x *exchange, send bool) error {
	clean := errors.New(p.redact(err.Error()))
	var tooMany *tgbot.TooManyRequestsError
	var migrate *tgbot.MigrateError
	switch {
	case errors.As(err, &tooMany):
		return &scheduler.SendError{Failure: scheduler.RateLimited, RetryAfter: time.Duration(max(tooMany.RetryAfter, 1)) * time.Second, Err: clean}
	case errors.As(err, &migrate):
		return &scheduler.SendError{Failure: scheduler.Migrated, MigrateTo: int64(migrate.MigrateToChatID), Err: clean}
	case errors.Is(err, tgbot.ErrorForbidden):
		return &scheduler.SendError{Failure: scheduler.Forbidden, Err: clean}
	case errors.Is(err, tgbot.ErrorBadRequest), errors.Is(err, tgbot.ErrorNotFound), errors.Is(err, tgbot.ErrorConflict):
		return &scheduler.SendError{Failure: scheduler.Permanent, Err: clean}
	case errors.Is(err, tgbot.ErrorUnauthorized):
		// A revoked token fails every send alike; retrying lets an operator
		// fix it without every post of the night failing.
		return &scheduler.SendError{Failure: scheduler.NotSent, Err: fmt.Errorf("telegram refused the bot token: %w", clean)}
	}
	status := int(x.status.Load())
	switch {
	case status >= http.StatusInternalServerError && (!send || surelyNotCarriedOut(status, err.Error())):
		return &scheduler.SendError{Failure: scheduler.NotSent, Err: clean}
	case status >= http.StatusInternalServerError:
		return &scheduler.SendError{Failure: scheduler.Ambiguous, Err: fmt.Errorf("answered %d, which may come after the message went out: %w", status, clean)}
	case !x.wrote.Load():
		return &scheduler.SendError{Failure: scheduler.NotSent, Err: clean}
	}
	return &scheduler.SendError{Failure: scheduler.Ambiguous, Err: clean}
}

// surelyNotCarriedOut reports whether a 5xx answer to a send says it was
// not carried out (see classify). msg is the client library's error text:
// "error response from telegram" when the body was the Bot API's JSON.
func surelyNotCarriedOut(status int, msg string) bool {
	if !strings.Contains(msg, "error response from telegram") {
		return status == http.StatusServiceUnavailable // a proxy's page
	}
	if status != http.StatusInternalServerError {
		return true
	}
	return strings.Contains(msg, "Internal Server Error: restart") || strings.Contains(msg, "Internal Server Error: closing")
}
