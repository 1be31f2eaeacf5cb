package telegramtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// webhookState is the webhook setWebhook set, and how delivery goes.
type webhookState struct {
	url           string
	secret        string
	allowed       []string
	maxConns      int
	lastErrorDate time.Time
	lastError     string
}

var secretTokenChars = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// setWebhook sets where updates go. The fake delivers only to loopback
// addresses, over http or https.
func (s *Server) setWebhook(_ context.Context, p params) (any, *apiError) {
	raw := p.str("url")
	secret := p.str("secret_token")
	if secret != "" && !secretTokenChars.MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	var allowed []string
	if e := p.json("allowed_updates", &allowed); e != nil {
		return nil, e
	}
	maxConns, e := p.int("max_connections")
	if e != nil {
		return nil, e
	}
	if raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, badRequest("bad webhook: invalid URL specified")
		}
		if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, badRequest("bad webhook: the fake Telegram delivers only to loopback addresses")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	if raw == "" {
		s.webhook = webhookState{}
		s.notifyLocked()
		return true, nil
	}
	if maxConns <= 0 {
		maxConns = 40
	}
	s.webhook = webhookState{url: raw, secret: secret, allowed: allowed, maxConns: maxConns}
	s.notifyLocked()
	return true, nil
}

// deleteWebhook removes the webhook, optionally dropping waiting updates.
func (s *Server) deleteWebhook(_ context.Context, p params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.bool("drop_pending_updates") {
		s.queue = nil
	}
	s.webhook = webhookState{}
	s.notifyLocked()
	return true, nil
}

// getWebhookInfo reports the webhook and how its deliveries fare.
func (s *Server) getWebhookInfo(_ context.Context, _ params) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := map[string]any{"url": s.webhook.url, "has_custom_certificate": false, "pending_update_count": len(s.queue)}
	if s.webhook.url != "" {
		info["ip_address"] = "127.0.0.1"
		info["max_connections"] = s.webhook.maxConns
		if len(s.webhook.allowed) > 0 {
			info["allowed_updates"] = s.webhook.allowed
		}
		if s.webhook.lastError != "" {
			info["last_error_date"] = s.webhook.lastErrorDate.Unix()
			info["last_error_message"] = s.webhook.lastError
		}
	}
	return info, nil
}

// Webhook delivery backoff, in fake time.
const (
	firstBackoff = time.Second
	maxBackoff   = time.Minute
)

// runWebhook delivers queued updates to the webhook one at a time, in
// order, until the server closes. A delivery that fails (no 2xx answer) is
// retried after a backoff that doubles up to a minute of fake time.
func (s *Server) runWebhook() {
	defer s.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-s.done
		cancel()
	}()
	backoff := time.Duration(0)
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return
		}
		hook := s.webhook
		var next *queuedUpdate
		if hook.url != "" {
			for i := range s.queue {
				if allowedKind(s.queue[i].kind, hook.allowed) {
					next = &s.queue[i]
					break
				}
			}
		}
		if next == nil {
			ch := s.changed
			s.mu.Unlock()
			select {
			case <-ch:
			case <-s.done:
				return
			}
			continue
		}
		upd := *next
		s.mu.Unlock()

		err := s.deliver(ctx, hook, upd)

		s.mu.Lock()
		if err == nil {
			s.stats.WebhookDeliveries++
			s.confirmLocked(upd.id + 1)
			backoff = 0
		} else {
			s.stats.WebhookFailures++
			if s.webhook.url == hook.url {
				s.webhook.lastErrorDate = s.clock.now()
				s.webhook.lastError = err.Error()
			}
			backoff = min(max(2*backoff, firstBackoff), maxBackoff)
		}
		s.notifyLocked()
		s.mu.Unlock()
		s.log.Info("webhook delivery", "update_id", upd.id, "err", err)
		if err != nil {
			select {
			case <-time.After(s.clock.real(backoff)):
			case <-s.done:
				return
			}
		}
	}
}

// deliver POSTs one update to the webhook; anything but a 2xx answer is an
// error worded as getWebhookInfo's last_error_message.
func (s *Server) deliver(ctx context.Context, hook webhookState, upd queuedUpdate) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.url, bytes.NewReader(upd.raw))
	if err != nil {
		return fmt.Errorf("Invalid webhook URL")
	}
	req.Header.Set("Content-Type", "application/json")
	if hook.secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.secret)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("Connection refused")
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("Wrong response from the webhook: %s", resp.Status)
	}
	return nil
}
