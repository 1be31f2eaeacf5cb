package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// roundupSize is how many reviews one roundup quotes at most.
const roundupSize = 8

// Herald is the actor for what herald does on its own, such as roundups.
var Herald = Actor{Name: "herald"}

// Roundups posts each channel's "What readers said" roundup — the approved
// reviews with words of the pieces it carried since the last one — on the
// channel's ReadersPost schedule (off by default). The roundup is an
// article of its own, scheduled on that channel alone, so the dispatcher
// sends it like any post: within the limits, once. When it was last made
// is kept in the database, so a slot missed while herald was down is made
// up on start, once.
type Roundups struct {
	Store *store.Store
	Queue *Queue
	Log   *slog.Logger
	Now   func() time.Time
	Zone  string // for channels without a zone
}

// Start makes the roundups due now, then checks every minute, until ctx
// ends.
func (r *Roundups) Start(ctx context.Context) error {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		if _, err := r.Due(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("readers' roundup failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func roundupKey(channelID int64) string { return fmt.Sprintf("roundup.%d", channelID) }

// Due makes every roundup whose slot has come, and returns how many posts
// it scheduled.
func (r *Roundups) Due(ctx context.Context) (int, error) {
	channels, err := r.Store.Channels(ctx)
	if err != nil {
		return 0, err
	}
	now := r.Now()
	made := 0
	for _, ch := range channels {
		if ch.ReadersPost == "" || ch.Paused {
			continue
		}
		rules, err := CompileRules(&herald.Channel{Timezone: ch.Timezone, Slots: []string{ch.ReadersPost},
			QuietMode: herald.QuietSilent}, r.Zone)
		if err != nil {
			r.Log.Error("bad readers' roundup schedule", "channel", ch.ID, "err", err)
			continue
		}
		last := ch.CreatedAt
		if v, ok, err := r.Store.Value(ctx, roundupKey(ch.ID)); err != nil {
			return made, err
		} else if ok {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				last = t
			}
		}
		slot := rules.NextSlot(last.Add(time.Second))
		if slot.After(now) {
			continue
		}
		// The slot names the roundup, so that a run stopped half-way makes
		// the same article again, not a second one.
		reviews, titles, err := r.Store.ApprovedForChannel(ctx, ch.ID, last, roundupSize)
		if err != nil {
			return made, err
		}
		if len(reviews) > 0 {
			items := make([]herald.RoundupItem, len(reviews))
			for i, rv := range reviews {
				items[i] = herald.RoundupItem{Rating: rv.Rating, Text: rv.Text, Reader: rv.UserName, Article: titles[i]}
			}
			a := herald.Roundup(ch.ID, ch.Language, slot, items)
			if _, err := r.Store.UpsertArticle(ctx, a); err != nil {
				return made, err
			}
			if _, err := r.Queue.Schedule(ctx, Herald, a.ID, &now, []*herald.Channel{ch}); err != nil {
				return made, err
			}
			made++
			r.Log.Info("readers' roundup scheduled", "channel", ch.ID, "article", a.ID, "reviews", len(items))
		}
		if err := r.Store.SetValue(ctx, roundupKey(ch.ID), slot.UTC().Format(time.RFC3339Nano)); err != nil {
			return made, err
		}
	}
	return made, nil
}
