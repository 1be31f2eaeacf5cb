package bluesky_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bluesky"
	"github.com/herald-news/herald/store"
)

// watchUntil runs n.Watch until the fake has served want more
// listNotifications calls (each a poll finished reading), then stops it.
func watchUntil(t *testing.T, r *rig, n *bluesky.Network, polls int) {
	t.Helper()
	ctx, cancel := context.WithCancel(r.ctx)
	done := make(chan error, 1)
	start := len(r.fake.Calls("app.bsky.notification.listNotifications"))
	go func() { done <- n.Watch(ctx) }()
	wctx, wcancel := context.WithTimeout(r.ctx, 10*time.Second)
	defer wcancel()
	// A poll's replies are taken before the next poll starts: wait for the one after.
	err := r.fake.WaitUntil(wctx, func() bool {
		return len(r.fake.Calls("app.bsky.notification.listNotifications")) >= start+polls+1
	})
	cancel()
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatalf("watch did not poll: %v", err)
	}
}

func (r *rig) reviews() []*herald.Review {
	r.t.Helper()
	rv, err := r.st.Reviews(r.ctx, store.ReviewFilter{})
	if err != nil {
		r.t.Fatal(err)
	}
	return rv
}

func TestARepliesInTheThreadBecomeReviews(t *testing.T) {
	r := newRig(t, nil)
	a := r.article("a1", nil)
	r.dispatch()
	uri := r.posts(herald.PostSent)[0].RemoteID
	if err := r.fake.SetDisplayName(readerHandl, "Aysel Məmmədova"); err != nil {
		t.Fatal(err)
	}
	first, err := r.fake.Reply(readerHandl, uri, "@herald.test Clear and fair reporting on the corridor.", "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.fake.AddAccount("second.test", "pw-second"); err != nil {
		t.Fatal(err)
	}
	// A reply to the reader's reply, deeper in herald's thread.
	if _, err := r.fake.Reply("second.test", first.URI, "Спасибо, очень ясно изложено.", "ru"); err != nil {
		t.Fatal(err)
	}
	// A reply under someone else's post is none of herald's business.
	other, err := r.fake.Post("second.test", "My own post", "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.fake.Reply(readerHandl, other.URI, "Not about herald", "en"); err != nil {
		t.Fatal(err)
	}
	watchUntil(t, r, r.net, 1)
	rv := r.reviews()
	if len(rv) != 2 {
		t.Fatalf("%d reviews, want 2: %+v", len(rv), rv)
	}
	byText := map[string]*herald.Review{}
	for _, x := range rv {
		byText[x.Text] = x
		if x.ArticleID != a.ID {
			t.Errorf("review of article %d, want %d", x.ArticleID, a.ID)
		}
	}
	got := byText["Clear and fair reporting on the corridor."]
	if got == nil || !strings.Contains(got.UserName, "Aysel") {
		t.Fatalf("the reader's reply, without herald's mention: %+v", rv)
	}
	if byText["Спасибо, очень ясно изложено."] == nil {
		t.Fatalf("the deeper reply: %+v", rv)
	}

	// A restart reads on from where it stopped: nothing is taken twice.
	n2 := newNetwork(r)
	if _, err := r.fake.Reply(readerHandl, uri, "One more thought.", "en"); err != nil {
		t.Fatal(err)
	}
	r.clock.add(time.Second)
	watchUntil(t, r, n2, 1)
	rv = r.reviews()
	// The same reader's second reply on the article changes their review.
	if len(rv) != 2 {
		t.Fatalf("%d reviews after a restart, want 2", len(rv))
	}
	found := false
	for _, x := range rv {
		found = found || x.Text == "One more thought."
	}
	if !found {
		t.Errorf("the reply after the restart was not read: %+v", rv)
	}
	if v, ok, _ := r.st.Value(r.ctx, "bluesky:notifications-read:"+r.ch.Chat); !ok || v == "" {
		t.Error("the notifications read are not remembered")
	}
}
