package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
)

// queuedUpdate is an update waiting to be fetched or delivered.
type queuedUpdate struct {
	id   int64
	kind string // the update's field besides update_id, e.g. "message"
	raw  json.RawMessage
}

// pollState is what getUpdates remembers between calls.
type pollState struct {
	gen     int      // bumped by each getUpdates; an older waiting call then gets 409
	waiting int      // long polls waiting now
	allowed []string // the last allowed_updates given
}

// knownKinds are the update kinds of the Bot API. Updates of other kinds
// (injected to test a client) are delivered whatever allowed_updates says.
var knownKinds = []string{
	"message", "edited_message", "channel_post", "edited_channel_post",
	"business_connection", "business_message", "edited_business_message",
	"deleted_business_messages", "message_reaction", "message_reaction_count",
	"inline_query", "chosen_inline_result", "callback_query", "shipping_query",
	"pre_checkout_query", "purchased_paid_media", "poll", "poll_answer",
	"my_chat_member", "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost",
}

// allowedKind says whether an update of the kind goes to a bot that asked
// for the allowed kinds. Like Telegram, with no list every kind but
// chat_member, message_reaction and message_reaction_count is sent.
func allowedKind(kind string, allowed []string) bool {
	if !slices.Contains(knownKinds, kind) {
		return true
	}
	if len(allowed) == 0 {
		return kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count"
	}
	return slices.Contains(allowed, kind)
}

// enqueueLocked queues an update of the kind with the payload and wakes
// whoever waits for updates. It returns the update's id.
func (s *Server) enqueueLocked(kind string, payload any) int64 {
	id := s.nextUpd
	s.nextUpd++
	raw, err := json.Marshal(map[string]any{"update_id": id, kind: payload})
	if err != nil {
		panic(fmt.Sprintf("telegramtest: marshal %s update: %v", kind, err))
	}
	s.queue = append(s.queue, queuedUpdate{id: id, kind: kind, raw: raw})
	s.notifyLocked()
	return id
}

// InjectUpdate queues a raw update, delivered exactly as given: of a kind or
// shape the client does not know, say. An update without update_id gets the
// next one. It returns the update's id, and fails on anything but a JSON
// object or a non-integer update_id.
func (s *Server) InjectUpdate(raw json.RawMessage) (int64, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return 0, fmt.Errorf("%w: an update must be a JSON object", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpd
	if given, ok := fields["update_id"]; ok {
		n, err := strconv.ParseInt(string(given), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: update_id %s is not an integer", ErrInvalid, given)
		}
		id = n
	}
	s.nextUpd = max(s.nextUpd, id+1)
	fields["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
	var kinds []string
	for k := range fields {
		if k != "update_id" {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds)
	kind := "unknown"
	if len(kinds) > 0 {
		kind = kinds[0]
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	s.queue = append(s.queue, queuedUpdate{id: id, kind: kind, raw: out})
	s.notifyLocked()
	return id, nil
}

// PendingUpdates is how many updates wait to be fetched or delivered.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// confirmLocked forgets the updates before offset, as getUpdates does; a
// negative offset keeps only the last -offset updates.
func (s *Server) confirmLocked(offset int64) {
	switch {
	case offset > 0:
		i := 0
		for i < len(s.queue) && s.queue[i].id < offset {
			i++
		}
		s.queue = s.queue[i:]
	case offset < 0 && int64(len(s.queue)) > -offset:
		s.queue = s.queue[int64(len(s.queue))+offset:]
	}
}

// batchLocked picks up to limit queued updates the allowed kinds admit.
func (s *Server) batchLocked(allowed []string, limit int) []json.RawMessage {
	out := []json.RawMessage{}
	for _, u := range s.queue {
		if len(out) == limit {
			break
		}
		if allowedKind(u.kind, allowed) {
			out = append(out, u.raw)
		}
	}
	return out
}

// PollWaiting reports whether a getUpdates long poll is waiting for updates.
func (s *Server) PollWaiting() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polling.waiting > 0
}

// getUpdates serves long polling: it answers at once when updates wait,
// otherwise when one arrives or timeout (fake seconds) passes. A newer
// getUpdates makes a waiting one fail with 409, as does an active webhook.
func (s *Server) getUpdates(ctx context.Context, p params) (any, *apiError) {
	offset, e := p.int("offset")
	if e != nil {
		return nil, e
	}
	limit, e := p.int("limit")
	if e != nil {
		return nil, e
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, e := p.int("timeout")
	if e != nil {
		return nil, e
	}
	var allowed []string
	if e := p.json("allowed_updates", &allowed); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.url != "" {
		return nil, conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
	}
	s.polling.gen++
	gen := s.polling.gen
	s.notifyLocked()
	if p.has("allowed_updates") {
		s.polling.allowed = allowed
	}
	s.confirmLocked(int64(offset))
	timer := time.NewTimer(s.clock.real(time.Duration(max(timeout, 0)) * time.Second))
	defer timer.Stop()
	for {
		batch := s.batchLocked(s.polling.allowed, limit)
		if len(batch) > 0 || timeout <= 0 || s.closed {
			return batch, nil
		}
		s.polling.waiting++
		s.notifyLocked() // for PollWaiting; taken before ch so as not to wake this poll
		ch := s.changed
		s.mu.Unlock()
		var ended bool
		select {
		case <-ch:
		case <-timer.C:
			ended = true
		case <-ctx.Done():
			ended = true
		}
		s.mu.Lock()
		s.polling.waiting--
		if ended {
			return []json.RawMessage{}, nil
		}
		if s.webhook.url != "" {
			return nil, conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
		}
		if s.polling.gen != gen {
			return nil, conflict("terminated by other getUpdates request; make sure that only one bot instance is running")
		}
	}
}
