package benchmark

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bluesky"
	"github.com/herald-news/herald/blueskytest"
	"github.com/herald-news/herald/mastodon"
	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/scheduler"
)

// netRecorder is a recorder in front of a network besides Telegram: the
// dispatcher still reads the network's own limits and asks it whether an
// ambiguous send may be repeated.
type netRecorder struct {
	*recorder
	net scheduler.Network
}

// Limits are the network's.
func (p netRecorder) Limits() scheduler.Limits { return p.net.Limits() }

// CanRepeat asks the network.
func (p netRecorder) CanRepeat(post *herald.Post, now time.Time) bool {
	return p.net.CanRepeat(post, now)
}

// mixRig adds a Mastodon instance and a Bluesky PDS, both fakes on
// 127.0.0.1 with their time scaled, to a Telegram rig: accounts on each,
// a herald channel per account, and the networks' own packages to post.
type mixRig struct {
	*rig
	masto    *mastodontest.Server
	bsky     *blueskytest.Server
	mastoNet netRecorder
	bskyNet  netRecorder
	mastoChs []*herald.Channel
	bskyChs  []*herald.Channel
	secrets  map[string]string // the accounts' tokens and app passwords, by variable
}

// newMixRig builds the three networks' world: telegram channels on the
// Telegram fake, mastodon accounts on the Mastodon fake and bluesky on the
// Bluesky fake, each account a channel signed in through its network's
// Verify, as herald channel add does.
func newMixRig(ctx context.Context, cfg FanOutMixConfig) (m *mixRig, err error) {
	r, err := newRig(ctx, cfg.Dir, cfg.Telegram.Channels, cfg.Scale, cfg.Log)
	if err != nil {
		return nil, err
	}
	m = &mixRig{rig: r, secrets: map[string]string{}}
	defer func() {
		if err != nil {
			m.close()
		}
	}()
	secret := func(name string) string { return m.secrets[name] }
	if m.masto, err = mastodontest.Listen("127.0.0.1:0", mastodontest.WithScale(cfg.Scale)); err != nil {
		return m, fmt.Errorf("benchmark: %w", err)
	}
	if m.bsky, err = blueskytest.Listen("127.0.0.1:0", blueskytest.WithScale(cfg.Scale)); err != nil {
		return m, fmt.Errorf("benchmark: %w", err)
	}
	mn := mastodon.New(mastodon.Config{Store: r.st, Secret: secret, Log: r.log, Now: time.Now, Scale: cfg.Scale})
	bn := bluesky.New(bluesky.Config{Store: r.st, Secret: secret, Log: r.log, Now: time.Now, Scale: cfg.Scale})
	m.mastoNet = netRecorder{recorder: &recorder{next: mn, done: make(chan struct{}), resends: true}, net: mn}
	m.bskyNet = netRecorder{recorder: &recorder{next: bn, done: make(chan struct{}), resends: true}, net: bn}

	for i := range cfg.Mastodon.Channels {
		user, env := fmt.Sprintf("bench%d", i+1), fmt.Sprintf("HERALD_BENCH_MASTODON_TOKEN_%d", i+1)
		m.secrets[env] = fmt.Sprintf("bench-mastodon-token-%d", i+1)
		if _, err := m.masto.AddAccount(user, m.secrets[env]); err != nil {
			return m, fmt.Errorf("benchmark: %w", err)
		}
		ch := &herald.Channel{Network: herald.NetworkMastodon, Title: fmt.Sprintf("Bench Mastodon %d", i+1),
			Endpoint: m.masto.URL(), SecretEnv: env, Visibility: herald.VisibilityPublic}
		if err := m.addChannel(ctx, mn, ch); err != nil {
			return m, err
		}
		m.mastoChs = append(m.mastoChs, ch)
	}
	for i := range cfg.Bluesky.Channels {
		env := fmt.Sprintf("HERALD_BENCH_BLUESKY_PASSWORD_%d", i+1)
		acct, err := m.bsky.AddAccount(fmt.Sprintf("bench%d", i+1), fmt.Sprintf("bench-account-password-%d", i+1))
		if err != nil {
			return m, fmt.Errorf("benchmark: %w", err)
		}
		if m.secrets[env], err = appPassword(ctx, m.bsky.URL(), acct.Handle, fmt.Sprintf("bench-account-password-%d", i+1)); err != nil {
			return m, err
		}
		ch := &herald.Channel{Network: herald.NetworkBluesky, Title: fmt.Sprintf("Bench Bluesky %d", i+1),
			Endpoint: m.bsky.URL(), Handle: acct.Handle, SecretEnv: env}
		if err := m.addChannel(ctx, bn, ch); err != nil {
			return m, err
		}
		m.bskyChs = append(m.bskyChs, ch)
	}
	return m, nil
}

// verifier is what a network's package offers herald channel add.
type verifier interface {
	Verify(ctx context.Context, ch *herald.Channel) error
}

// addChannel signs in as ch's account and stores the channel, with the
// rules the Telegram benchmark channels have.
func (m *mixRig) addChannel(ctx context.Context, v verifier, ch *herald.Channel) error {
	ch.Language, ch.Kinds, ch.QuietMode = herald.LangEnglish, herald.Kinds, herald.QuietSilent
	ch.ReviewLink, ch.OnEdit, ch.OnUnpublish = herald.ReviewLinkOff, herald.OnEditKeep, herald.OnUnpublishKeep
	if err := v.Verify(ctx, ch); err != nil {
		return fmt.Errorf("benchmark: %s: %w", ch.Title, err)
	}
	if err := m.st.CreateChannel(ctx, ch); err != nil {
		return fmt.Errorf("benchmark: %w", err)
	}
	return nil
}

// close stops the fakes and the Telegram rig.
func (m *mixRig) close() {
	if m.masto != nil {
		m.masto.Close()
	}
	if m.bsky != nil {
		m.bsky.Close()
	}
	m.rig.close()
}

// appPassword makes an app password for the account through the PDS's own
// API, as an editor does in Bluesky's settings before adding the channel:
// herald signs in with it, never with the account's password.
func appPassword(ctx context.Context, url, handle, password string) (string, error) {
	var sess struct {
		AccessJwt string `json:"accessJwt"`
	}
	if err := xrpc(ctx, url, "com.atproto.server.createSession", "", map[string]string{"identifier": handle, "password": password}, &sess); err != nil {
		return "", err
	}
	var ap struct {
		Password string `json:"password"`
	}
	if err := xrpc(ctx, url, "com.atproto.server.createAppPassword", sess.AccessJwt, map[string]string{"name": "herald bench"}, &ap); err != nil {
		return "", err
	}
	return ap.Password, nil
}

// xrpc calls a procedure of the PDS and decodes its answer into out.
func xrpc(ctx context.Context, url, nsid, jwt string, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("benchmark: %s: %w", nsid, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/xrpc/"+nsid, bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("benchmark: %s: %w", nsid, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if jwt != "" {
		req.Header.Set("Authorization", "Bearer "+jwt)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("benchmark: %s: %w", nsid, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("benchmark: %s: %w", nsid, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("benchmark: %s: %s: %s", nsid, resp.Status, bytes.TrimSpace(body))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("benchmark: %s: %w", nsid, err)
	}
	return nil
}

// mastodonDelivered counts the statuses on the benchmark accounts, and
// those that repeat one already on the same account.
func (m *mixRig) mastodonDelivered() (n, dup int) {
	for i := range m.mastoChs {
		seen := map[string]bool{}
		for _, s := range m.masto.Statuses(fmt.Sprintf("bench%d", i+1)) {
			if s.Deleted {
				continue
			}
			n++
			if seen[s.Text] {
				dup++
			}
			seen[s.Text] = true
		}
	}
	return n, dup
}

// blueskyDelivered counts the posts in the benchmark accounts' repos, and
// those that repeat one already in the same repo.
func (m *mixRig) blueskyDelivered() (n, dup int, err error) {
	for _, ch := range m.bskyChs {
		seen := map[string]bool{}
		for _, r := range m.bsky.Records(ch.Handle, "app.bsky.feed.post") {
			var v struct {
				Text string `json:"text"`
			}
			if err := json.Unmarshal(r.Value, &v); err != nil {
				return n, dup, fmt.Errorf("benchmark: record %s: %w", r.URI, err)
			}
			n++
			if seen[v.Text] {
				dup++
			}
			seen[v.Text] = true
		}
	}
	return n, dup, nil
}
