package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/blueskytest"
	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/store"
)

// The demo's accounts on the fake Mastodon instance and Bluesky service.
const (
	demoMastodonUser   = "dqenglish"
	demoMastodonToken  = "demo-mastodon-token-7Qx2LmV9"
	demoMastodonReader = "leyla"
	demoBlueskyHandle  = "dqenglish.test"
	demoBlueskyPass    = "demo-abcd-efgh-ijkl"
	demoBlueskyReader  = "farid.test"
)

// demoNetworks is the demo's Mastodon and Bluesky: fakes in this process
// and herald's accounts on them, built as herald run builds them.
type demoNetworks struct {
	masto    *mastodontest.Server
	bsky     *blueskytest.Server
	accounts map[string]account
	channels []*herald.Channel
	log      *slog.Logger
	now      func() time.Time
}

// startDemoNetworks starts the fakes (their clocks the demo's), makes
// herald's and the readers' accounts, and builds the networks' accounts
// with the demo's secrets.
func startDemoNetworks(st *store.Store, log *slog.Logger, now func() time.Time) (*demoNetworks, error) {
	d := &demoNetworks{log: log, now: now}
	var err error
	if d.masto, err = mastodontest.Listen("127.0.0.1:0", mastodontest.WithClock(now), mastodontest.WithMediaProcessing(0)); err != nil {
		return nil, err
	}
	if _, err := d.masto.AddAccount(demoMastodonUser, demoMastodonToken); err != nil {
		d.close()
		return nil, err
	}
	if _, err := d.masto.AddAccount(demoMastodonReader, "demo-reader-token-5Jd8"); err != nil {
		d.close()
		return nil, err
	}
	if d.bsky, err = blueskytest.Listen("127.0.0.1:0", blueskytest.WithClock(now),
		blueskytest.WithAccount(demoBlueskyHandle, demoBlueskyPass), blueskytest.WithAccount(demoBlueskyReader, "demo-reader-pass")); err != nil {
		d.close()
		return nil, err
	}
	for _, a := range d.bsky.Accounts() {
		if a.Handle == demoBlueskyReader {
			if err := d.bsky.SetDisplayName(a.DID, "Farid"); err != nil {
				d.close()
				return nil, err
			}
		}
	}
	secrets := map[string]string{"DEMO_MASTODON_TOKEN": demoMastodonToken, "DEMO_BLUESKY_PASSWORD": demoBlueskyPass}
	d.accounts = buildNetworks(networkDeps{Store: st, Intake: &replies.Intake{Store: st, Now: now, Log: log},
		Secret: func(name string) string { return secrets[name] }, Log: log, Now: now, Scale: 1,
		PollEvery: 50 * time.Millisecond})
	return d, nil
}

func (d *demoNetworks) close() {
	if d.masto != nil {
		d.masto.Close()
	}
	if d.bsky != nil {
		d.bsky.Close()
	}
}

// addChannels adds the English Mastodon and Bluesky channels, signing in
// as herald's accounts as herald channel add does.
func (d *demoNetworks) addChannels(ctx context.Context, st *store.Store, p *printer) error {
	chs := []*herald.Channel{
		{Network: herald.NetworkMastodon, Title: "Difficult Question · Mastodon", Endpoint: d.masto.URL(),
			SecretEnv: "DEMO_MASTODON_TOKEN", Visibility: herald.VisibilityPublic, OnEdit: herald.OnEditEdit},
		{Network: herald.NetworkBluesky, Title: "Difficult Question · Bluesky", Endpoint: d.bsky.URL(),
			Handle: demoBlueskyHandle, SecretEnv: "DEMO_BLUESKY_PASSWORD", OnEdit: herald.OnEditKeep},
	}
	for _, c := range chs {
		c.Language, c.Kinds = herald.LangEnglish, []herald.Kind{herald.KindCommentary, herald.KindEpisode}
		c.MinGap, c.QuietMode, c.ReviewLink, c.OnUnpublish = herald.Duration(20*time.Minute), herald.QuietSilent, herald.ReviewLinkOff, herald.OnUnpublishDelete
		if err := d.accounts[c.Network].Verify(ctx, c); err != nil {
			return err
		}
		if err := checkChannel(c, "Asia/Baku"); err != nil {
			return err
		}
		if err := st.CreateChannel(ctx, c); err != nil {
			return err
		}
		p.line("#%d %s", c.ID, describeChannel(c, "Asia/Baku"))
		d.channels = append(d.channels, c)
	}
	return nil
}

// show prints what herald's accounts posted, as each network's API gives
// it back.
func (d *demoNetworks) show(p *printer) {
	statuses := d.masto.Statuses(demoMastodonUser)
	p.line("%s (@%s on the fake Mastodon): %d statuses", d.channels[0].Title, d.channels[0].Handle, len(statuses))
	for _, s := range statuses {
		p.line("  ┌ status %s at %s, %s, language %s", s.ID, s.CreatedAt.In(p.loc).Format("15:04"), s.Visibility, s.Language)
		for _, l := range strings.Split(strings.TrimSpace(s.Text), "\n") {
			p.line("  │ %s", l)
		}
		p.line("  └")
	}
	records := d.bsky.Records(d.channels[1].Chat, "app.bsky.feed.post")
	p.line("%s (@%s on the fake Bluesky): %d posts", d.channels[1].Title, d.channels[1].Handle, len(records))
	for _, r := range records {
		text, facets := blueskyText(r.Value)
		p.line("  ┌ %s (%d link facets)", r.URI, facets)
		for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
			p.line("  │ %s", l)
		}
		p.line("  └")
	}
}

// readersReply has a reader answer herald's first post on each network
// and reads the replies in, as herald run's watchers do, until both are
// reviews.
func (d *demoNetworks) readersReply(ctx context.Context, st *store.Store, p *printer) error {
	statuses := d.masto.Statuses(demoMastodonUser)
	records := d.bsky.Records(d.channels[1].Chat, "app.bsky.feed.post")
	if len(statuses) == 0 || len(records) == 0 {
		return fmt.Errorf("demo: nothing reached Mastodon (%d) or Bluesky (%d)", len(statuses), len(records))
	}
	first := statuses[len(statuses)-1] // the oldest
	reply, err := d.masto.Post(mastodontest.PostInput{Username: demoMastodonReader, InReplyToID: first.ID, Language: "en",
		Status: "@" + demoMastodonUser + " A careful piece, and fair to both sides. Please come back to it in a month.", Visibility: "public"})
	if err != nil {
		return err
	}
	p.line("Leyla replies on Mastodon to status %s: %q", first.ID, reply.Text)
	rec, err := d.bsky.Reply(demoBlueskyReader, records[0].URI, "Shared this with my class: the numbers are clearly explained.", "en")
	if err != nil {
		return err
	}
	text, _ := blueskyText(rec.Value)
	p.line("Farid replies on Bluesky in the thread of %s: %q", records[0].URI, text)

	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, len(d.accounts))
	for _, a := range d.accounts {
		go func() { done <- a.Watch(wctx) }()
	}
	defer func() {
		cancel()
		for range d.accounts {
			<-done
		}
	}()
	deadline := time.Now().Add(15 * time.Second)
	for {
		rs, err := st.Reviews(ctx, store.ReviewFilter{})
		if err != nil {
			return err
		}
		var got []*herald.Review
		for _, r := range rs {
			if r.RemoteID != "" {
				got = append(got, r)
			}
		}
		if len(got) >= 2 {
			for _, r := range got {
				p.line("review #%d of article #%d by %s (%s), %s: %q", r.ID, r.ArticleID, r.UserName, r.Username, r.Status, r.Text)
			}
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("demo: the replies on Mastodon and Bluesky did not become reviews (%d of 2)", len(got))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// blueskyText is a post record's text and how many link facets it has.
func blueskyText(raw []byte) (string, int) {
	var v struct {
		Text   string `json:"text"`
		Facets []struct {
			Features []struct {
				Type string `json:"$type"`
			} `json:"features"`
		} `json:"facets"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return "", 0
	}
	links := 0
	for _, f := range v.Facets {
		for _, x := range f.Features {
			if x.Type == "app.bsky.richtext.facet#link" {
				links++
			}
		}
	}
	return v.Text, links
}
