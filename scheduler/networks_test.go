package scheduler_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// keyedNet is a network that keeps what each send key made, as Mastodon
// keeps Idempotency-Keys and Bluesky record keys: a repeat of a key gets
// the first's post, never a second one.
type keyedNet struct {
	mu       sync.Mutex
	made     map[string]string // send key -> remote id
	calls    int
	cutFirst int           // this many first calls make the post and then fail as a dropped connection would
	keepFor  time.Duration // how long the network keeps a key: CanRepeat
}

func (n *keyedNet) Publish(ctx context.Context, d scheduler.Delivery) (scheduler.Receipt, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.calls++
	if d.Post.SendKey == "" || d.Post.SendKeyAt == nil {
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.Permanent, Err: errors.New("no send key")}
	}
	id, ok := n.made[d.Post.SendKey]
	if !ok {
		id = "status-" + d.Post.SendKey
		n.made[d.Post.SendKey] = id
	}
	if n.cutFirst > 0 {
		n.cutFirst--
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.Ambiguous, Err: errors.New("connection reset after the request")}
	}
	return scheduler.Receipt{RemoteID: id}, nil
}

func (n *keyedNet) Edit(ctx context.Context, d scheduler.Delivery, r scheduler.Receipt) (scheduler.Receipt, error) {
	return r, nil
}

func (n *keyedNet) Delete(ctx context.Context, ch *herald.Channel, r scheduler.Receipt) error {
	return nil
}

func (n *keyedNet) Limits() scheduler.Limits {
	return scheduler.Limits{PerChat: 300, ChatPer: 5 * time.Minute}
}

func (n *keyedNet) CanRepeat(p *herald.Post, now time.Time) bool {
	return p.SendKeyAt != nil && now.Sub(*p.SendKeyAt) < n.keepFor
}

func (n *keyedNet) posts() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.made)
}

func networkRig(t *testing.T, n *keyedNet) (*rig, *herald.Channel) {
	r := newRig(t)
	r.d.Networks = map[string]scheduler.Network{herald.NetworkMastodon: n}
	ch := r.channel(func(c *herald.Channel) {
		c.Network, c.Chat, c.Title = herald.NetworkMastodon, "109@mastodon.example", "DQ Mastodon"
		c.Endpoint, c.SecretEnv, c.Visibility = "https://mastodon.example", "HERALD_TEST_TOKEN", herald.VisibilityPublic
	})
	r.article("a1", nil)
	r.sweep()
	return r, ch
}

func TestAnAmbiguousSendToAKeyedNetworkIsRepeatedNotUnknown(t *testing.T) {
	n := &keyedNet{made: map[string]string{}, cutFirst: 2, keepFor: time.Hour}
	r, _ := networkRig(t, n)
	for range 6 {
		r.dispatch()
		r.clock.add(10 * time.Minute)
	}
	sent := r.posts(herald.PostSent)
	if len(sent) != 1 || n.posts() != 1 {
		t.Fatalf("%d posts sent, %d made on the network; want 1 and 1", len(sent), n.posts())
	}
	p := sent[0]
	if p.RemoteID != "status-"+p.SendKey || !herald.ValidTID(p.SendKey) {
		t.Fatalf("sent post has remote id %q and send key %q", p.RemoteID, p.SendKey)
	}
	if n.calls != 3 {
		t.Errorf("%d sends, want 3 (two cut short, repeated with the same key)", n.calls)
	}
	for _, k := range r.eventKinds() {
		if k == scheduler.EventPostUnknown {
			t.Error("an editor was asked to settle a post the network could settle")
		}
	}
}

func TestAnAmbiguousSendPastTheKeysLifeIsUnknown(t *testing.T) {
	n := &keyedNet{made: map[string]string{}, cutFirst: 1, keepFor: 0}
	r, _ := networkRig(t, n)
	r.dispatch()
	if got := r.posts(herald.PostUnknown); len(got) != 1 {
		t.Fatalf("%d unknown posts, want 1: the network no longer knows the key", len(got))
	}
}

func TestAPostLeftInSendingIsRepeatedWithItsKey(t *testing.T) {
	n := &keyedNet{made: map[string]string{}, keepFor: time.Hour}
	r, _ := networkRig(t, n)
	p := r.posts()[0]
	// A herald that claimed the post, stored its key and died mid-send.
	if ok, err := r.st.ClaimDue(r.ctx, p.ID, p.Rev, r.clock.now().Add(time.Minute)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	key := herald.TID(r.clock.now(), 1)
	if _, _, err := r.st.SetSendKey(r.ctx, p.ID, key, r.clock.now()); err != nil {
		t.Fatal(err)
	}
	n.made[key] = "status-" + key // it did reach the network
	again := &scheduler.Dispatcher{Store: r.st, Publisher: r.pub, Now: r.clock.now, Exclusive: true,
		Networks: map[string]scheduler.Network{herald.NetworkMastodon: n}}
	if err := again.Recover(r.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Dispatch(r.ctx); err != nil {
		t.Fatal(err)
	}
	again.Wait()
	sent := r.posts(herald.PostSent)
	if len(sent) != 1 || sent[0].SendKey != key || sent[0].RemoteID != "status-"+key || n.posts() != 1 {
		t.Fatalf("after the restart: sent %+v, %d on the network; want the one post, settled with its key", sent, n.posts())
	}
}

func TestARepeatThatWaitedPastTheKeysLifeIsUnknownNotSentTwice(t *testing.T) {
	n := &keyedNet{made: map[string]string{}, cutFirst: 1, keepFor: time.Hour}
	r, _ := networkRig(t, n)
	r.dispatch() // the answer is lost: a repeat is planned
	if got := r.posts(herald.PostScheduled); len(got) != 1 || !got[0].MaybeSent {
		t.Fatalf("after an ambiguous send: %+v, want the post scheduled again and marked maybe sent", got)
	}
	r.clock.add(2 * time.Hour) // held back (a 429, the channel's gap) past the hour the key is kept
	r.dispatch()
	if got := r.posts(herald.PostUnknown); len(got) != 1 {
		t.Fatalf("%d unknown posts, want 1: the network no longer knows the key", len(got))
	}
	if n.calls != 1 || n.posts() != 1 {
		t.Fatalf("%d sends, %d posts on the network; want the one, not repeated", n.calls, n.posts())
	}
}
