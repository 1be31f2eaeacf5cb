package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/blueskytest"
	"github.com/herald-news/herald/mastodontest"
	"github.com/herald-news/herald/store"
)

// The drill's accounts on Mastodon and Bluesky, beside its Telegram
// channels: every article goes to them too.
const (
	chaosMastodonUser  = "chaosdesk"
	chaosMastodonToken = "chaos-mastodon-token-N3wsR00m-8842"
	chaosBlueskyHandle = "chaosdesk.test"
	chaosBlueskyPass   = "chs1-dr2l-k3ll-4xyz"
)

// chaosNets is the drill's Mastodon instance and Bluesky service.
type chaosNets struct {
	masto *mastodontest.Server
	bsky  *blueskytest.Server
	did   string // herald's account on Bluesky
}

// startChaosNets starts the fakes at the drill's scale and adds a channel
// on each to db, as an editor would with herald channel add.
func startChaosNets(t *testing.T, db string, vars map[string]string) *chaosNets {
	t.Helper()
	n := &chaosNets{
		masto: mastodontest.NewTestServer(t, mastodontest.WithScale(chaosScale)),
		bsky:  blueskytest.NewTestServer(t, blueskytest.WithScale(chaosScale), blueskytest.WithAccount(chaosBlueskyHandle, chaosBlueskyPass)),
	}
	if _, err := n.masto.AddAccount(chaosMastodonUser, chaosMastodonToken); err != nil {
		t.Fatal(err)
	}
	vars["HERALD_CHAOS_MASTODON_TOKEN"] = chaosMastodonToken
	vars["HERALD_CHAOS_BLUESKY_PASSWORD"] = chaosBlueskyPass
	mustRun(t, vars, "channel", "add", "--db", db, "--network", "mastodon", "--instance", n.masto.URL(),
		"--token-env", "HERALD_CHAOS_MASTODON_TOKEN", "--title", "Chaos Mastodon", "--lang", "en", "--kinds", "news",
		"--quiet", "off", "--min-gap", "1s")
	mustRun(t, vars, "channel", "add", "--db", db, "--network", "bluesky", "--service", n.bsky.URL(),
		"--handle", chaosBlueskyHandle, "--password-env", "HERALD_CHAOS_BLUESKY_PASSWORD", "--title", "Chaos Bluesky",
		"--lang", "en", "--kinds", "news", "--quiet", "off", "--min-gap", "1s")
	for _, a := range n.bsky.Accounts() {
		if a.Handle == chaosBlueskyHandle {
			n.did = a.DID
		}
	}
	if n.did == "" {
		t.Fatal("the Bluesky fake has no account for herald")
	}
	return n
}

// total is how many of herald's posts are on the two networks.
func (n *chaosNets) total() int {
	return len(n.statuses()) + len(n.records())
}

func (n *chaosNets) statuses() []mastodontest.Status {
	var out []mastodontest.Status
	for _, s := range n.masto.Statuses(chaosMastodonUser) {
		if !s.Deleted && s.InReplyToID == "" {
			out = append(out, s)
		}
	}
	return out
}

func (n *chaosNets) records() []blueskytest.Record {
	return n.bsky.Records(n.did, "app.bsky.feed.post")
}

// inject queues faults on the networks' sends until ctx ends, one at a
// time, a few posts apart, and returns how many of each it queued.
func (n *chaosNets) inject(ctx context.Context, rng *rand.Rand) map[string]int {
	count := map[string]int{}
	delay := int(3 * chaosSendTimeout / time.Millisecond)
	for {
		gap := n.total() + 1 + rng.IntN(3)
		t := time.NewTicker(20 * time.Millisecond)
		for n.total() < gap || len(n.masto.Faults())+len(n.bsky.Faults()) > 0 {
			select {
			case <-ctx.Done():
				t.Stop()
				return count
			case <-t.C:
			}
		}
		t.Stop()
		mf := mastodontest.Fault{Route: "POST /api/v1/statuses"}
		bf := blueskytest.Fault{Method: "com.atproto.repo.createRecord"}
		var kind string
		switch k := rng.IntN(100); {
		case k < 15:
			mf.Status, bf.Status, kind = 502, 502, "5xx"
		case k < 30:
			mf.StatusAfterStore, bf.StatusAfterStore, kind = 502, 502, "5xx after store"
		case k < 50:
			mf.DelayMS, bf.DelayMS, kind = delay, delay, "stall"
		case k < 65:
			mf.RetryAfter, bf.RetryAfter, kind = 1+rng.IntN(4), 1+rng.IntN(4), "429"
		default:
			mf.DropAfterStore, bf.DropAfterStore, kind = true, true, "drop"
		}
		if rng.IntN(2) == 0 {
			if err := n.masto.InjectFault(mf); err != nil {
				panic(err) // a fault the fake refuses is a mistake in this test
			}
			count["mastodon "+kind]++
		} else {
			if err := n.bsky.InjectFault(bf); err != nil {
				panic(err)
			}
			count["bluesky "+kind]++
		}
	}
}

// dropFirst makes the first send to each network reach it and lose its
// answer: the ambiguous case, which herald must settle on its own.
func (n *chaosNets) dropFirst(t *testing.T) {
	t.Helper()
	if err := n.masto.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", DropAfterStore: true}); err != nil {
		t.Fatal(err)
	}
	if err := n.bsky.InjectFault(blueskytest.Fault{Method: "com.atproto.repo.createRecord", DropAfterStore: true}); err != nil {
		t.Fatal(err)
	}
}

// clear drops the faults still queued.
func (n *chaosNets) clear() {
	n.masto.ClearFaults()
	n.bsky.ClearFaults()
}

// check checks every post on the two networks: sent once, as recorded (no
// silent duplicate, no silent loss), in order; on Bluesky never unknown (an
// ambiguous send is settled by asking), on Mastodon unknown only with the
// owners told (a key older than Mastodon keeps). It returns the posts'
// states by network.
func (n *chaosNets) check(t *testing.T, ctx context.Context, st *store.Store, told func(owner, post int64) bool) map[string]map[herald.PostState]int {
	t.Helper()
	channels, err := st.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	statuses, records := n.statuses(), n.records()
	states := map[string]map[herald.PostState]int{}
	for _, c := range channels {
		if c.IsTelegram() {
			continue
		}
		states[c.Network] = map[herald.PostState]int{}
		posts, err := st.Posts(ctx, store.PostFilter{ChannelID: c.ID}) // by (scheduled_at, id)
		if err != nil {
			t.Fatal(err)
		}
		last := ""
		for _, p := range posts {
			states[c.Network][p.State]++
			a, err := st.Article(ctx, p.ArticleID)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string // what the network holds of this article
			if c.Network == herald.NetworkMastodon {
				for _, s := range statuses {
					if strings.Contains(s.Text, a.Title) {
						ids = append(ids, s.ID)
					}
				}
			} else {
				for _, r := range records {
					var v struct {
						Text string `json:"text"`
					}
					if json.Unmarshal(r.Value, &v) == nil && strings.Contains(v.Text, a.Title) {
						ids = append(ids, r.URI)
					}
				}
			}
			if len(ids) > 1 {
				t.Errorf("%s: post %d (%s) is on the network %d times: %v", c.Network, p.ID, p.State, len(ids), ids)
			}
			switch p.State {
			case herald.PostSent:
				if len(ids) != 1 || ids[0] != p.RemoteID {
					t.Errorf("%s: post %d is sent as %q, but the network holds %v", c.Network, p.ID, p.RemoteID, ids)
				}
				if key := orderKey(c.Network, p.RemoteID); key < last {
					t.Errorf("%s: post %d (%s) went out after a later post", c.Network, p.ID, p.RemoteID)
				} else {
					last = key
				}
			case herald.PostUnknown:
				if c.Network == herald.NetworkBluesky {
					t.Errorf("bluesky: post %d is unknown (%s): an ambiguous send there is settled by asking, never by an editor", p.ID, p.LastError)
				}
				for _, o := range chaosOwners {
					if !told(o, p.ID) {
						t.Errorf("%s: post %d is unknown (%s) and owner %d was not told", c.Network, p.ID, p.LastError, o)
					}
				}
			case herald.PostFailed:
				if len(ids) != 0 || p.LastError == "" {
					t.Errorf("%s: post %d failed (%q) and the network holds %v", c.Network, p.ID, p.LastError, ids)
				}
				for _, o := range chaosOwners {
					if !told(o, p.ID) {
						t.Errorf("%s: post %d failed (%s) and owner %d was not told", c.Network, p.ID, p.LastError, o)
					}
				}
			default:
				t.Errorf("%s: post %d ended %s; want sent", c.Network, p.ID, p.State)
			}
		}
	}
	return states
}

// orderKey makes a sent post's remote id comparable in the order the
// network made them: Mastodon's ids are numbers that grow, a Bluesky
// post's record key is a TID, which sorts as its time.
func orderKey(network, remote string) string {
	if network == herald.NetworkMastodon {
		if v, err := strconv.ParseUint(remote, 10, 64); err == nil {
			return fmt.Sprintf("%020d", v)
		}
		return remote
	}
	return remote[strings.LastIndex(remote, "/")+1:]
}
