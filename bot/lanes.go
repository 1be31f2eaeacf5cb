package bot

import (
	"context"
	"encoding/json"
	"hash/maphash"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Updates are handled in lanes: every update of one chat (and every press
// by one user) goes to the same lane, in the order Telegram sent them, and
// lanes run side by side. A reader's comment is never handled after its
// edit, and one slow chat does not hold up the others.
const (
	laneCount = 8
	laneDepth = 256
)

type laneJob struct {
	ctx context.Context
	u   *models.Update
}

var laneSeed = maphash.MakeSeed()

// startLanes starts the lanes' workers; stopLanes lets them finish what
// they hold and stops them.
func (b *Bot) startLanes() {
	b.laneMu.Lock()
	defer b.laneMu.Unlock()
	b.lanes = make([]chan laneJob, laneCount)
	for i := range b.lanes {
		ch := make(chan laneJob, laneDepth)
		b.lanes[i] = ch
		b.laneWG.Add(1)
		go func() {
			defer b.laneWG.Done()
			for job := range ch {
				b.recoverer(b.route)(job.ctx, b.tg, job.u)
				b.handled(job.u.ID)
			}
		}()
	}
}

func (b *Bot) stopLanes() {
	b.laneMu.Lock()
	for _, ch := range b.lanes {
		close(ch)
	}
	b.lanes = nil
	b.laneMu.Unlock()
	b.laneWG.Wait()
	b.forget.flush()
}

// enqueue hands an update to its chat's lane. It blocks when the lane is
// full, which slows the poller down instead of dropping updates. Without
// lanes (the bot is not running) the update is handled at once.
func (b *Bot) enqueue(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	b.laneMu.RLock()
	defer b.laneMu.RUnlock()
	if b.lanes == nil {
		b.route(ctx, b.tg, u)
		b.handled(u.ID)
		return
	}
	var h maphash.Hash
	h.SetSeed(laneSeed)
	var key [8]byte
	k := laneKey(u)
	for i := range key {
		key[i] = byte(k >> (8 * i))
	}
	h.Write(key[:])
	b.lanes[h.Sum64()%laneCount] <- laneJob{ctx: ctx, u: u}
}

// laneKey is the chat an update belongs to (the user, for a button press).
func laneKey(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.MessageReactionCount != nil:
		return u.MessageReactionCount.Chat.ID
	case u.MyChatMember != nil:
		return u.MyChatMember.Chat.ID
	}
	return u.ID
}

// handled forgets an update kept in the inbox, now that it was handled:
// soon, with others (see forgetter).
func (b *Bot) handled(id int64) { b.forget.handled(id) }

// replay hands the lanes the updates a stopped herald had received and not
// handled, in order, before polling for new ones. A handler may so see an
// update twice (stopped after handling, before forgetting it); they are
// written to bear that: a review is an upsert, a button carries the
// revision it was drawn for.
func (b *Bot) replay(ctx context.Context) {
	pending, err := b.cfg.Store.PendingUpdates(ctx)
	if err != nil {
		b.log.Error("could not read the updates kept from before", "err", err)
		return
	}
	for _, p := range pending {
		var u models.Update
		if err := json.Unmarshal(p.Raw, &u); err != nil {
			b.handled(p.ID)
			continue
		}
		b.enqueue(ctx, b.tg, &u)
	}
	if len(pending) > 0 {
		b.log.Info("updates received before a stop handled now", "count", len(pending))
	}
}
