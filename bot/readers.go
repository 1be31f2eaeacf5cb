package bot

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald/scheduler"
)

// Readers' limits: a reader may send readerBurst updates at once and one
// every readerEvery after that, which a person writing a review (a start,
// a rating, a comment, an edit or two) never reaches. Updates beyond it are
// dropped before anything is queued for them, and the reader is told once
// to slow down; readerMuteAfter updates dropped within readerMuteWindow
// mute the reader for readerMuteFor (everything from them is dropped) and
// the owners hear of it.
const (
	readerBurst      = 20
	readerEvery      = 3 * time.Second
	readerMuteAfter  = 30
	readerMuteWindow = time.Minute
	readerMuteFor    = 15 * time.Minute
	readerForget     = time.Hour // a reader idle this long starts afresh
	staffRefresh     = 10 * time.Second
)

// ReaderLimit is how fast one reader may send updates: Burst at once, then
// one every Every. The zero value means the defaults (20, then one every
// 3 s).
type ReaderLimit struct {
	Burst int
	Every time.Duration
}

type readerVerdict int

const (
	readerOK readerVerdict = iota
	readerDropped
	readerMuted
)

// admission is what the limits decided about one update.
type admission struct {
	verdict  readerVerdict
	tellOnce bool // the reader is to be told to slow down (first drop of a run)
	mutedNow bool // this update muted the reader
	count    int  // updates from the reader in this run, for the owners' notice
	within   time.Duration
	until    time.Time
}

// readerLimits holds each reader's token bucket and mute. Safe for
// concurrent use (webhook requests come in parallel).
type readerLimits struct {
	limit  ReaderLimit
	mu     sync.Mutex
	byUser map[int64]*readerState
	admits int
}

type readerState struct {
	tokens     float64
	at         time.Time // of the last update
	runSince   time.Time // first update of this run (no pause of readerMuteWindow)
	run        int
	drops      int
	dropsSince time.Time
	told       bool
	mutedUntil time.Time
}

// admit decides about one update from user at now.
func (l *readerLimits) admit(user int64, now time.Time) admission {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byUser == nil {
		l.byUser = map[int64]*readerState{}
	}
	if l.admits++; l.admits%4096 == 0 {
		for id, st := range l.byUser {
			if now.Sub(st.at) > readerForget && !now.Before(st.mutedUntil) {
				delete(l.byUser, id)
			}
		}
	}
	st := l.byUser[user]
	if st == nil {
		st = &readerState{tokens: float64(l.limit.Burst), at: now, runSince: now}
		l.byUser[user] = st
	}
	if now.Sub(st.at) > readerMuteWindow {
		st.runSince, st.run = now, 0
	}
	st.tokens = min(float64(l.limit.Burst), st.tokens+float64(now.Sub(st.at))/float64(l.limit.Every))
	st.at = now
	st.run++
	if now.Before(st.mutedUntil) {
		return admission{verdict: readerMuted}
	}
	if st.tokens >= 1 {
		st.tokens--
		if st.tokens >= float64(l.limit.Burst)/2 {
			st.told = false // calm again: a later run is told afresh
		}
		return admission{verdict: readerOK}
	}
	if now.Sub(st.dropsSince) > readerMuteWindow {
		st.drops, st.dropsSince = 0, now
	}
	st.drops++
	if st.drops >= readerMuteAfter {
		st.mutedUntil = now.Add(readerMuteFor)
		st.drops = 0
		return admission{verdict: readerMuted, mutedNow: true, count: st.run, within: now.Sub(st.runSince), until: st.mutedUntil}
	}
	a := admission{verdict: readerDropped, tellOnce: !st.told}
	st.told = true
	return a
}

// isStaff reports whether the user is an owner or editor, from a list
// read afresh every staffRefresh (and the configured owners always).
func (b *Bot) isStaff(ctx context.Context, user int64) bool {
	for _, id := range b.cfg.Owners {
		if id == user {
			return true
		}
	}
	b.staffMu.Lock()
	defer b.staffMu.Unlock()
	if b.cfg.Now().Sub(b.staffAt) > staffRefresh {
		if eds, err := b.cfg.Store.Editors(ctx); err == nil {
			b.staff = make(map[int64]bool, len(eds))
			for _, e := range eds {
				b.staff[e.UserID] = true
			}
			b.staffAt = b.cfg.Now()
		}
	}
	return b.staff[user]
}

// readerMuted tells the owners and editors that a reader was muted.
func (b *Bot) readerMuted(ctx context.Context, u *models.Update, a admission) {
	var who *models.User
	switch {
	case u.Message != nil:
		who = u.Message.From
	case u.EditedMessage != nil:
		who = u.EditedMessage.From
	case u.CallbackQuery != nil:
		who = &u.CallbackQuery.From
	}
	if who == nil {
		return
	}
	within := max(a.within.Round(time.Second), time.Second) // "within 1s" for a burst faster than that
	b.log.Warn("reader muted for flooding", "user", who.ID, "updates", a.count, "within", within, "until", a.until)
	detail, _ := json.Marshal(mutedDetail{User: who.ID, Name: displayName(who), Count: a.count, Within: within.String(), Until: a.until})
	b.Notify(ctx, scheduler.Event{Kind: eventReaderMuted, Reason: string(detail)})
}

// slowDown tells a reader, in a private chat, that they go too fast.
func (b *Bot) slowDown(ctx context.Context, u *models.Update) {
	var chat int64
	var who *models.User
	switch {
	case u.Message != nil && u.Message.Chat.Type == models.ChatTypePrivate:
		chat, who = u.Message.Chat.ID, u.Message.From
	case u.CallbackQuery != nil:
		chat, who = u.CallbackQuery.From.ID, &u.CallbackQuery.From
	default:
		return // never in a group
	}
	b.reply(ctx, chat, tr(langOf(who), msgReaderSlowDown))
}
