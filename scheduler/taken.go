package scheduler

import (
	"context"
	"slices"
	"time"

	"github.com/herald-news/herald/store"
)

// storeTaken is a channel's taken times (a Taken) read from the store a
// stretch at a time, keeping what it read, and what was planned since, for
// one sweep: consecutive plans on a channel read each stretch of its index
// once, and none reads the whole queue.
type storeTaken struct {
	ctx     context.Context
	st      *store.Store
	channel int64
	loaded  bool
	lo, hi  time.Time   // the stretch read: [lo, hi)
	times   []time.Time // in it, in order
}

func newStoreTaken(ctx context.Context, st *store.Store, channel int64) *storeTaken {
	return &storeTaken{ctx: ctx, st: st, channel: channel}
}

// Between returns the taken times in [from, to), reading from the store
// only what it has not read yet: the stretch grows when the request
// touches it, and is replaced when it lies elsewhere.
func (v *storeTaken) Between(from, to time.Time) ([]time.Time, error) {
	if !from.Before(to) {
		return nil, nil
	}
	switch {
	case !v.loaded || to.Before(v.lo) || from.After(v.hi):
		ts, err := v.st.TakenTimes(v.ctx, v.channel, from, to)
		if err != nil {
			return nil, err
		}
		v.loaded, v.lo, v.hi, v.times = true, from, to, ts
	default:
		if from.Before(v.lo) {
			ts, err := v.st.TakenTimes(v.ctx, v.channel, from, v.lo)
			if err != nil {
				return nil, err
			}
			v.times, v.lo = append(ts, v.times...), from
		}
		if to.After(v.hi) {
			ts, err := v.st.TakenTimes(v.ctx, v.channel, v.hi, to)
			if err != nil {
				return nil, err
			}
			v.times, v.hi = append(v.times, ts...), to
		}
	}
	i, _ := slices.BinarySearchFunc(v.times, from, time.Time.Compare)
	j, _ := slices.BinarySearchFunc(v.times, to, time.Time.Compare)
	for i > 0 && !v.times[i-1].Before(from) {
		i--
	}
	for j > 0 && !v.times[j-1].Before(to) {
		j--
	}
	return v.times[i:j:j], nil
}

// add records a time just planned. One outside the stretch read is in the
// store, to be read with the stretch that comes to it.
func (v *storeTaken) add(t time.Time) {
	if !v.loaded || t.Before(v.lo) || !t.Before(v.hi) {
		return
	}
	i, _ := slices.BinarySearchFunc(v.times, t, time.Time.Compare)
	v.times = slices.Insert(v.times, i, t)
}

// channelPlan is what the watcher remembers of its planning on one channel
// during a sweep: the channel's taken times, and the last moment it found
// and the time it searched from. A later search from at least that time
// may start at that moment: everything before it was taken or out of the
// rules then, and planning only takes more.
type channelPlan struct {
	taken *storeTaken
	from  time.Time
	found time.Time
}

// start returns where a search for a moment at or after after may begin.
func (c *channelPlan) start(after time.Time) time.Time {
	if !c.found.IsZero() && !after.Before(c.from) && c.found.After(after) {
		return c.found
	}
	return after
}

// planned records a moment found by a search from after, and taken.
func (c *channelPlan) planned(after, at time.Time) {
	c.from, c.found = after, at
	c.taken.add(at)
}
