package benchmark

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// Planning defaults: issue 12's load, a day's or an archive's articles
// arriving at once for one channel.
const DefaultPlanningArticles = 10_000

// PlanningConfig is a planning load: Articles new articles, all taken by
// one channel with a newsroom's rules. Zero values take the defaults.
type PlanningConfig struct {
	Articles int
	// Dir holds the database; "" means a temporary directory removed after.
	Dir string
}

// PlanningResult is what one planning run measured.
type PlanningResult struct {
	Articles int
	// Elapsed is the time the watcher's sweep took to plan them all; Rate
	// is Planned over it.
	Elapsed time.Duration
	Rate    float64
	Planned int
	// CPU is the process's CPU time over the sweep (0 when the system does
	// not give it): with nothing else running in the process, the sweep's.
	CPU time.Duration
	// Last is the moment the last post was planned for: how far the
	// channel's rules spread the load.
	Last time.Time
}

// planningChannel is the channel of the planning load: a post every five
// minutes at most, on slots five minutes apart, at most 200 a day, none
// between 01:00 and 06:00 (held back), in Baku.
func planningChannel() *herald.Channel {
	return &herald.Channel{Network: herald.NetworkTelegram, Chat: "-1009100000000", Title: "Planning bench",
		Language: herald.LangEnglish, Kinds: herald.Kinds, Slots: []string{"*/5 * * * *"}, Timezone: "Asia/Baku",
		MinGap: herald.Duration(5 * time.Minute), DailyCap: 200,
		Quiet: herald.QuietHours{Start: 60, End: 6 * 60}, QuietMode: herald.QuietHold,
		ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditKeep, OnUnpublish: herald.OnUnpublishKeep}
}

// Planning stores cfg.Articles new commentaries, outside the clock, and
// times one sweep of a scheduler.Watcher, as herald run starts it, planning
// every one of them on one channel with slots, a minimum gap, a daily cap
// and quiet hours: the posts land weeks ahead, each searched for among the
// ones planned before it. It fails when the world cannot be built or not
// every article was planned.
func Planning(ctx context.Context, cfg PlanningConfig) (PlanningResult, error) {
	if cfg.Articles <= 0 {
		cfg.Articles = DefaultPlanningArticles
	}
	res := PlanningResult{Articles: cfg.Articles}
	dir, cleanup, err := workDir(cfg.Dir)
	if err != nil {
		return res, err
	}
	defer cleanup()
	st, err := store.Open(filepath.Join(dir, fmt.Sprintf("plan-%d.db", cfg.Articles)))
	if err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	defer st.Close()
	ch := planningChannel()
	if err := st.CreateChannel(ctx, ch); err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	now := time.Now()
	for i := range cfg.Articles {
		a := &herald.Article{Source: "bench", ExternalID: fmt.Sprintf("plan-%d", i), Kind: herald.KindCommentary,
			Language: herald.LangEnglish, Title: fmt.Sprintf("Commentary %d", i), Body: "One.\n\nTwo.", PublishedAt: now}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			return res, fmt.Errorf("benchmark: %w", err)
		}
	}
	// The setup's writes leave the write-ahead log full; fold them into the
	// database now, so that the sweep pays only for checkpoints of its own.
	if _, err := st.DB().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	w := &scheduler.Watcher{Store: st, Zone: "Asia/Baku"}
	cpu0, cpuErr := processCPU()
	start := time.Now()
	res.Planned, err = w.Sweep(ctx)
	res.Elapsed = time.Since(start)
	if cpu1, err := processCPU(); err == nil && cpuErr == nil {
		res.CPU = cpu1 - cpu0
	}
	if err != nil {
		return res, fmt.Errorf("benchmark: planning: %w", err)
	}
	res.Rate = rate(res.Planned, res.Elapsed)
	ps, err := st.Posts(ctx, store.PostFilter{ChannelID: ch.ID})
	if err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	if len(ps) > 0 {
		res.Last = ps[len(ps)-1].ScheduledAt
	}
	if res.Planned != cfg.Articles || len(ps) != cfg.Articles {
		return res, fmt.Errorf("benchmark: planning: %d of %d articles planned (%d posts)", res.Planned, cfg.Articles, len(ps))
	}
	return res, nil
}
