package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone data for %s: %v", name, err)
	}
	return loc
}

func TestRulesNext(t *testing.T) {
	baku := mustLoc(t, "Asia/Baku")
	berlin := mustLoc(t, "Europe/Berlin")
	at := func(loc *time.Location, s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name       string
		ch         herald.Channel
		after      time.Time
		taken      []time.Time
		want       time.Time
		wantSilent bool
	}{
		{
			name:  "a channel without slots posts at once",
			ch:    herald.Channel{Timezone: "Asia/Baku"},
			after: at(baku, "2026-03-02 10:17"),
			want:  at(baku, "2026-03-02 10:17"),
		},
		{
			name:  "a slotted channel takes the next slot",
			ch:    herald.Channel{Timezone: "Asia/Baku", Slots: []string{"0 9 * * *", "0 19 * * *"}},
			after: at(baku, "2026-03-02 10:17"),
			want:  at(baku, "2026-03-02 19:00"),
		},
		{
			name:  "a post exactly at a slot takes that slot",
			ch:    herald.Channel{Timezone: "Asia/Baku", Slots: []string{"0 19 * * *"}},
			after: at(baku, "2026-03-02 19:00"),
			want:  at(baku, "2026-03-02 19:00"),
		},
		{
			name:  "a taken slot passes to the next free one",
			ch:    herald.Channel{Timezone: "Asia/Baku", Slots: []string{"0 9 * * *", "0 19 * * *"}},
			after: at(baku, "2026-03-02 10:17"),
			taken: []time.Time{at(baku, "2026-03-02 19:00")},
			want:  at(baku, "2026-03-03 09:00"),
		},
		{
			name:  "the minimum gap pushes a post after the one before it",
			ch:    herald.Channel{Timezone: "Asia/Baku", MinGap: herald.Duration(30 * time.Minute)},
			after: at(baku, "2026-03-02 10:00"),
			taken: []time.Time{at(baku, "2026-03-02 09:50")},
			want:  at(baku, "2026-03-02 10:20"),
		},
		{
			name:  "the minimum gap also keeps clear of a post booked just after",
			ch:    herald.Channel{Timezone: "Asia/Baku", MinGap: herald.Duration(30 * time.Minute)},
			after: at(baku, "2026-03-02 10:00"),
			taken: []time.Time{at(baku, "2026-03-02 10:10"), at(baku, "2026-03-02 10:40")},
			want:  at(baku, "2026-03-02 11:10"),
		},
		{
			name: "a full day moves the post to the next day's first slot",
			ch: herald.Channel{Timezone: "Asia/Baku", DailyCap: 2,
				Slots: []string{"0 9 * * *", "0 13 * * *", "0 19 * * *"}},
			after: at(baku, "2026-03-02 10:00"),
			taken: []time.Time{at(baku, "2026-03-02 09:00"), at(baku, "2026-03-02 13:00")},
			want:  at(baku, "2026-03-03 09:00"),
		},
		{
			name: "quiet hours that hold send the post when they end",
			ch: herald.Channel{Timezone: "Asia/Baku", QuietMode: herald.QuietHold,
				Quiet: herald.QuietHours{Start: 0, End: 7 * 60}},
			after: at(baku, "2026-03-02 02:30"),
			want:  at(baku, "2026-03-02 07:00"),
		},
		{
			name: "quiet hours across midnight hold until the morning",
			ch: herald.Channel{Timezone: "Asia/Baku", QuietMode: herald.QuietHold,
				Quiet: herald.QuietHours{Start: 23 * 60, End: 6 * 60}},
			after: at(baku, "2026-03-02 23:30"),
			want:  at(baku, "2026-03-03 06:00"),
		},
		{
			name: "silent quiet hours send on time without a sound",
			ch: herald.Channel{Timezone: "Asia/Baku", QuietMode: herald.QuietSilent,
				Quiet: herald.QuietHours{Start: 0, End: 7 * 60}},
			after:      at(baku, "2026-03-02 02:30"),
			want:       at(baku, "2026-03-02 02:30"),
			wantSilent: true,
		},
		{
			name:  "a Berlin morning slot stays at 09:00 local when clocks go forward",
			ch:    herald.Channel{Timezone: "Europe/Berlin", Slots: []string{"0 9 * * *"}},
			after: at(berlin, "2026-03-28 10:00"),
			want:  at(berlin, "2026-03-29 09:00"), // 07:00 UTC, the day before it was 08:00 UTC
		},
		{
			name:  "a Berlin slot stays at 09:00 local when clocks go back",
			ch:    herald.Channel{Timezone: "Europe/Berlin", Slots: []string{"0 9 * * *"}},
			after: at(berlin, "2026-10-24 10:00"),
			want:  at(berlin, "2026-10-25 09:00"),
		},
		{
			name: "the daily cap counts the short DST day by its local midnight",
			ch: herald.Channel{Timezone: "Europe/Berlin", DailyCap: 1,
				Slots: []string{"0 9 * * *", "0 23 * * *"}},
			after: at(berlin, "2026-03-29 10:00"),
			taken: []time.Time{at(berlin, "2026-03-29 09:00")},
			want:  at(berlin, "2026-03-30 09:00"),
		},
		{
			name:  "a slot given with its own CRON_TZ keeps that zone",
			ch:    herald.Channel{Timezone: "Asia/Baku", Slots: []string{"CRON_TZ=Europe/Berlin 0 9 * * *"}},
			after: at(berlin, "2026-03-02 10:00"),
			want:  at(berlin, "2026-03-03 09:00"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.ch.QuietMode == "" {
				tt.ch.QuietMode = herald.QuietSilent
			}
			r, err := CompileRules(&tt.ch, "Asia/Baku")
			if err != nil {
				t.Fatal(err)
			}
			got, silent, err := r.Next(tt.after, tt.taken)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tt.want) || silent != tt.wantSilent {
				t.Fatalf("Next = %v silent=%v, want %v silent=%v", got.In(r.Location()), silent,
					tt.want.In(r.Location()), tt.wantSilent)
			}
		})
	}
}

func TestRulesNextFailsWhenNothingFits(t *testing.T) {
	ch := herald.Channel{Timezone: "Asia/Baku", QuietMode: herald.QuietHold,
		Quiet: herald.QuietHours{Start: 8 * 60, End: 22 * 60}, Slots: []string{"0 12 * * *"}}
	r, err := CompileRules(&ch, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Next(time.Now(), nil); err == nil || !strings.Contains(err.Error(), "no free moment") {
		t.Fatalf("impossible rules gave %v", err)
	}
}

func TestCompileRulesNamesABadSlot(t *testing.T) {
	_, err := CompileRules(&herald.Channel{Slots: []string{"0 25 * * *"}}, "Asia/Baku")
	if err == nil || !strings.Contains(err.Error(), `"0 25 * * *"`) {
		t.Fatalf("bad slot gave %v", err)
	}
}
