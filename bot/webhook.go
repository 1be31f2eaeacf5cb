package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald/store"
)

// maxUpdateBody bounds one webhook request; updates are a few kilobytes.
const maxUpdateBody = 1 << 20

// webhook is the state of webhook mode.
type webhook struct {
	mu     sync.Mutex
	ctx    context.Context // the run's context, for handlers that outlive the request
	secret string
}

// StartWebhook registers url with Telegram (setWebhook with the secret and
// an explicit allowed_updates list) and serves updates handed to
// WebhookHandler until ctx ends. It fails when Telegram refuses the URL.
func (b *Bot) StartWebhook(ctx context.Context, url, secret string) error {
	if err := b.cfg.Store.SyncOwners(ctx, b.cfg.Owners); err != nil {
		return err
	}
	defer b.startNotices(ctx)()
	b.warnUnstartedOwners(ctx)
	b.hook.mu.Lock()
	b.hook.ctx, b.hook.secret = ctx, secret
	b.hook.mu.Unlock()
	_, err := b.tg.SetWebhook(ctx, &tgbot.SetWebhookParams{URL: url, SecretToken: secret, AllowedUpdates: AllowedUpdates})
	if err != nil {
		return fmt.Errorf("setWebhook: %s", b.redact(err.Error()))
	}
	if err := b.SetCommands(ctx); err != nil && ctx.Err() == nil {
		b.log.Warn("could not publish the command menus", "err", err)
	}
	b.log.Info("webhook set; updates come by HTTP")
	b.startLanes()
	defer b.stopLanes()
	b.replay(ctx)
	<-ctx.Done()
	return nil
}

// WebhookHandler serves Telegram's webhook requests. A request without the
// right X-Telegram-Bot-Api-Secret-Token gets 401 and is not processed
// (go-telegram/bot's own handler answers 200 to anything). An update that
// cannot be decoded is logged and acknowledged, so that Telegram does not
// redeliver it forever.
func (b *Bot) WebhookHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		b.hook.mu.Lock()
		ctx, secret := b.hook.ctx, b.hook.secret
		b.hook.mu.Unlock()
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if ctx == nil || secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			b.log.Warn("webhook request without the right secret refused", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxUpdateBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad body", http.StatusBadRequest)
			return
		}
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil {
			var id struct {
				ID int64 `json:"update_id"`
			}
			json.Unmarshal(body, &id)
			b.log.Error("skipping an update the client library cannot decode", "update_id", id.ID, "err", err)
			b.tr.notePoll(true)
			w.WriteHeader(http.StatusOK)
			return
		}
		b.tr.notePoll(true)
		if err := b.cfg.Store.KeepUpdates(r.Context(), []store.InboxUpdate{{ID: u.ID, Raw: body}}); err != nil {
			// Telegram redelivers on an error: nothing is lost.
			b.log.Error("could not keep an update", "update_id", u.ID, "err", err)
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		b.tg.ProcessUpdate(ctx, &u)
		w.WriteHeader(http.StatusOK)
	})
}

// Ready reports whether the bot can talk to Telegram: it heard from it
// recently (a poll or webhook update, or a getMe now), and the poller is
// not failing. The reason says what is wrong.
func (b *Bot) Ready(ctx context.Context) (bool, string) {
	last, fails := b.tr.LastPoll()
	if fails >= b.cfg.StallAfter {
		return false, fmt.Sprintf("%d getUpdates calls in a row failed", fails)
	}
	if !last.IsZero() && time.Since(last) < 3*b.cfg.PollTimeout {
		return true, ""
	}
	// Nothing heard lately (webhook mode, or just started): ask.
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := b.tg.GetMe(cctx); err != nil {
		return false, "Telegram does not answer: " + b.redact(err.Error())
	}
	b.tr.notePoll(true)
	return true, ""
}
