package benchmark

import (
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/telegramtest"
)

func TestLaneMinimumAgreesWithTelegramsChannelMinimum(t *testing.T) {
	for _, scale := range []float64{1, 10} {
		l := scheduler.TelegramLimits(scale)
		for n := range 70 {
			want := time.Duration(float64(ChannelMinimum(telegramtest.DefaultLimits(), n)) / scale)
			if got := LaneMinimum(l, n); (got - want).Abs() > time.Millisecond {
				t.Errorf("×%g, %d posts: LaneMinimum %v, ChannelMinimum %v", scale, n, got, want)
			}
		}
		per := []int{40, 40, 12, 3}
		want := MinimumMakespan(telegramtest.DefaultLimits(), scale, per)
		if got := NetworkMinimum(l, per); (got - want).Abs() > time.Millisecond {
			t.Errorf("×%g, %v: NetworkMinimum %v, MinimumMakespan %v", scale, per, got, want)
		}
	}
}

func TestLaneMinimum(t *testing.T) {
	for _, c := range []struct {
		name string
		l    scheduler.Limits
		n    int
		want time.Duration
	}{
		{"nothing", scheduler.Limits{ChatBurst: 3, ChatGap: time.Second}, 0, 0},
		{"within the burst", scheduler.Limits{ChatBurst: 3, ChatGap: 20 * time.Second}, 3, 0},
		// Mastodon as herald paces it: 3 at once, then one per 20 s.
		{"burst then gap", scheduler.Limits{ChatBurst: 3, ChatGap: 20 * time.Second, PerChat: 240, ChatPer: 3 * time.Hour}, 8, 100 * time.Second},
		// Bluesky: 5 at once, then one per 2 s.
		{"bluesky's share", scheduler.Limits{ChatBurst: 5, ChatGap: 2 * time.Second, PerChat: 833, ChatPer: time.Hour}, 50, 90 * time.Second},
		// A window alone: 2 in any 10 s.
		{"window", scheduler.Limits{PerChat: 2, ChatPer: 10 * time.Second}, 5, 20 * time.Second},
		// The window binds before the bucket: the bucket refills meanwhile,
		// so 3 go at 10 s.
		{"window refills the bucket", scheduler.Limits{ChatBurst: 3, ChatGap: time.Second, PerChat: 4, ChatPer: 10 * time.Second}, 8, 11 * time.Second},
		{"no limits", scheduler.Limits{}, 100, 0},
	} {
		if got := LaneMinimum(c.l, c.n); (got - c.want).Abs() > time.Millisecond {
			t.Errorf("%s: LaneMinimum(%d) = %v; want %v", c.name, c.n, got, c.want)
		}
	}
	l := scheduler.Limits{ChatBurst: 1, ChatGap: time.Second, Global: 10, GlobalPer: time.Second}
	if got, want := NetworkMinimum(l, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 2*time.Second; got != want {
		t.Errorf("30 lanes of one under a global 10/s: %v; want %v", got, want)
	}
}

// TestFanOutMixSendsEveryPostOnceOnEachNetwork runs a small mixed load
// through the real dispatcher, clients and fakes, and checks only its
// correctness: every post sent and there once, no 429. Its speed is the
// bench's to judge.
func TestFanOutMixSendsEveryPostOnceOnEachNetwork(t *testing.T) {
	res, err := FanOutMix(ctxFor(t), FanOutMixConfig{Telegram: Share{Channels: 2, Posts: 5},
		Mastodon: Share{Channels: 2, Posts: 4}, Bluesky: Share{Channels: 2, Posts: 7}, Scale: 50, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Posts != 32 || len(res.Networks) != 3 {
		t.Fatalf("got %d posts on %d networks; want 32 on 3: %+v", res.Posts, len(res.Networks), res)
	}
	want := map[string]int{herald.NetworkTelegram: 10, herald.NetworkMastodon: 8, herald.NetworkBluesky: 14}
	for _, nr := range res.Networks {
		if nr.Sent != want[nr.Network] || nr.Delivered != want[nr.Network] || nr.Duplicates != 0 || nr.HTTP429 != 0 {
			t.Errorf("%s: %+v; want %d sent and delivered, no repeats, no 429s", nr.Network, nr, want[nr.Network])
		}
		if nr.Minimum <= 0 {
			t.Errorf("%s: a share past its burst has no minimum: %+v", nr.Network, nr)
		}
	}
	if res.Sent != 32 || res.Delivered != 32 || res.Duplicates != 0 || res.Worst == nil {
		t.Errorf("got %+v; want every post sent once", res)
	}
}

func TestFanOutMixLeavesANetworkOut(t *testing.T) {
	res, err := FanOutMix(ctxFor(t), FanOutMixConfig{Telegram: Share{Channels: -1},
		Mastodon: Share{Channels: 1, Posts: 2}, Bluesky: Share{Channels: 1, Posts: 2}, Scale: 50, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Networks) != 2 || res.Sent != 4 || res.Delivered != 4 || res.Duplicates != 0 {
		t.Errorf("got %+v; want Mastodon's and Bluesky's 2 posts each, nothing on Telegram", res)
	}
}
