package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald/store"
)

// exchange records what happened to one Bot API request, so that a failure
// can be classified: was the request written out, and what status came back.
type exchange struct {
	wrote  atomic.Bool
	status atomic.Int32
}

type exchangeKey struct{}

// withExchange returns a context that records the request's fate in x.
func withExchange(ctx context.Context, x *exchange) context.Context {
	ctx = context.WithValue(ctx, exchangeKey{}, x)
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				x.wrote.Store(true)
			}
		},
	})
}

// transport is the HTTP client herald gives go-telegram/bot. It records
// statuses for classification, and it guards long polling: an update the
// library cannot decode would make it ask for the same batch forever (its
// issues #90 and #125), so each update of a getUpdates answer is decoded on
// its own here, and one that fails is replaced by a bare {"update_id":N}.
// The library then moves its offset past it and polling goes on.
type transport struct {
	client *http.Client
	log    *slog.Logger
	redact func(string) string

	mu         sync.Mutex
	lastPoll   time.Time // the last getUpdates that answered
	pollErrors int       // consecutive failed getUpdates
	onPollFail func(n int, err error)
	// keep stores a batch before the library sees it; when it fails, the
	// batch is answered as an error, so that Telegram keeps it.
	keep        func(batch []store.InboxUpdate) error
	onPoisoned  func(updateID int64, err error)
	poisonedIDs []int64
	strict      atomic.Bool // screen the next answer update by update
}

// Do runs one Bot API request.
func (t *transport) Do(req *http.Request) (*http.Response, error) {
	poll := strings.HasSuffix(req.URL.Path, "/getUpdates")
	resp, err := t.client.Do(req)
	if x, ok := req.Context().Value(exchangeKey{}).(*exchange); ok && resp != nil {
		x.status.Store(int32(resp.StatusCode))
	}
	if !poll {
		return resp, err
	}
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			t.pollFailed(err)
		}
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.pollFailed(err)
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		var kept error
		body, kept = t.screen(body)
		if kept != nil {
			t.pollFailed(kept)
			return nil, kept
		}
		t.mu.Lock()
		t.lastPoll, t.pollErrors = time.Now(), 0
		t.mu.Unlock()
	} else {
		t.pollFailed(fmt.Errorf("getUpdates answered %s", resp.Status))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

func (t *transport) pollFailed(err error) {
	t.mu.Lock()
	t.pollErrors++
	n, f := t.pollErrors, t.onPollFail
	t.mu.Unlock()
	if f != nil {
		f(n, errors.New(t.redact(err.Error())))
	}
}

// screen keeps a getUpdates answer's updates in the inbox and guards the
// library against one it cannot decode. Reading each update's id is
// enough for the inbox; decoding each one as the library will (to find one
// it cannot) costs a third of the poll, so it is done only after the
// library failed to decode an answer (see decodeFailed): Telegram then
// hands over the same batch again, and this time the bad update is
// replaced by a bare {"update_id":N}.
func (t *transport) screen(body []byte) ([]byte, error) {
	var r struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &r) != nil || !r.OK {
		return body, nil
	}
	strict := t.strict.Swap(false)
	changed := false
	batch := make([]store.InboxUpdate, 0, len(r.Result))
	for i, raw := range r.Result {
		var id struct {
			ID int64 `json:"update_id"`
		}
		if !strict {
			if json.Unmarshal(raw, &id) == nil {
				batch = append(batch, store.InboxUpdate{ID: id.ID, Raw: raw})
			}
			continue
		}
		var u models.Update
		err := json.Unmarshal(raw, &u)
		if err == nil {
			batch = append(batch, store.InboxUpdate{ID: u.ID, Raw: raw})
			continue
		}
		if json.Unmarshal(raw, &id) != nil {
			continue // not even an id: nothing to skip to; the library reports it
		}
		t.log.Error("skipping an update the client library cannot decode", "update_id", id.ID, "err", err)
		r.Result[i] = json.RawMessage(fmt.Sprintf(`{"update_id":%d}`, id.ID))
		changed = true
		t.mu.Lock()
		t.poisonedIDs = append(t.poisonedIDs, id.ID)
		f := t.onPoisoned
		t.mu.Unlock()
		if f != nil {
			f(id.ID, err)
		}
	}
	if t.keep != nil {
		if err := t.keep(batch); err != nil {
			return nil, err
		}
	}
	if !changed {
		return body, nil
	}
	out, err := json.Marshal(r)
	if err != nil {
		return body, nil
	}
	return out, nil
}

// decodeFailed is told of an error of the client library: when it could
// not decode a getUpdates answer, the next answer (the same batch) is
// screened update by update.
func (t *transport) decodeFailed(err error) {
	if msg := err.Error(); strings.Contains(msg, "getUpdates") && strings.Contains(msg, "decode") {
		t.strict.Store(true)
	}
}

// notePoll records that Telegram was heard from (a webhook update, a
// getMe), as a successful poll does.
func (t *transport) notePoll(ok bool) {
	if !ok {
		return
	}
	t.mu.Lock()
	t.lastPoll, t.pollErrors = time.Now(), 0
	t.mu.Unlock()
}

// LastPoll returns when getUpdates last answered, and how many calls have
// failed in a row since.
func (t *transport) LastPoll() (time.Time, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lastPoll, t.pollErrors
}

// Poisoned returns the ids of the updates skipped because they could not be
// decoded.
func (t *transport) Poisoned() []int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]int64(nil), t.poisonedIDs...)
}
