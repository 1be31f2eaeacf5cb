package replies_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/store"
)

type rig struct {
	t   *testing.T
	ctx context.Context
	st  *store.Store
	in  *replies.Intake
	now time.Time
	ch  *herald.Channel
	art *herald.Article
}

// newRig stores a Mastodon channel and one post of an article on it, sent
// as status "111".
func newRig(t *testing.T, autoApprove bool) *rig {
	r := &rig{t: t, ctx: context.Background(), now: time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)}
	st, err := store.Open(filepath.Join(t.TempDir(), "h.db"), store.WithClock(func() time.Time { return r.now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	r.st = st
	r.in = &replies.Intake{Store: st, Now: func() time.Time { return r.now }}
	r.ch = &herald.Channel{Network: herald.NetworkMastodon, Chat: "109@mastodon.example", Title: "DQ Mastodon",
		Endpoint: "https://mastodon.example", SecretEnv: "HERALD_MASTODON_TOKEN", Visibility: herald.VisibilityPublic,
		Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent, ReviewLink: herald.ReviewLinkOff,
		OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete, AutoApprove: autoApprove}
	if err := st.CreateChannel(r.ctx, r.ch); err != nil {
		t.Fatal(err)
	}
	r.art = r.article("a1")
	r.send(r.art, "111")
	return r
}

func (r *rig) article(id string) *herald.Article {
	a := &herald.Article{Source: "test", ExternalID: id, Kind: herald.KindNews, Language: herald.LangEnglish,
		Title: "Title " + id, Body: "Body.", PublishedAt: r.now}
	if _, err := r.st.UpsertArticle(r.ctx, a); err != nil {
		r.t.Fatal(err)
	}
	return a
}

func (r *rig) send(a *herald.Article, remote string) {
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: r.ch.ID, Purpose: herald.PurposePublish, ScheduledAt: r.now}}
	if _, err := r.st.PlanPost(r.ctx, p); err != nil {
		r.t.Fatal(err)
	}
	if ok, err := r.st.ClaimDue(r.ctx, p.ID, p.Rev, r.now.Add(time.Minute)); err != nil || !ok {
		r.t.Fatalf("claim: %v %v", ok, err)
	}
	if err := r.st.MarkSentRemote(r.ctx, p.ID, remote, a.ContentHash); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) take(rp replies.Reply) *herald.Review {
	r.t.Helper()
	if rp.Network == "" {
		rp.Network = herald.NetworkMastodon
	}
	if rp.InReplyTo == "" {
		rp.InReplyTo = "111"
	}
	if rp.Author == "" {
		rp.Author = "42@mastodon.example"
	}
	rv, err := r.in.Take(r.ctx, rp)
	if err != nil {
		r.t.Fatal(err)
	}
	return rv
}

func TestAReplyBecomesAReviewOfThePostsArticle(t *testing.T) {
	r := newRig(t, false)
	rv := r.take(replies.Reply{ID: "200", Handle: "@reader@mastodon.example", Name: "Rea\u202eder", Text: "  Clear and fair reporting.\u200b "})
	if rv == nil {
		t.Fatal("the reply was not kept")
	}
	if rv.ArticleID != r.art.ID || rv.ChannelID != r.ch.ID || rv.UserID >= 0 || rv.Status != herald.ReviewPending ||
		rv.Text != "Clear and fair reporting." || rv.RemoteID != "200" || rv.Source != herald.ReviewComment {
		t.Fatalf("review %+v", rv)
	}
	if strings.ContainsRune(rv.UserName, '\u202e') {
		t.Errorf("a direction override survived in the name %q", rv.UserName)
	}
	// The same reply read again, edited: the same review, changed.
	again := r.take(replies.Reply{ID: "200", Text: "Clear, fair and short."})
	if again == nil || again.ID != rv.ID || again.Text != "Clear, fair and short." {
		t.Fatalf("the edited reply gave %+v, want review %d changed", again, rv.ID)
	}
	// The same reader stays one reader, and forget-me finds them by handle.
	id, err := r.st.NetworkReaderByHandle(r.ctx, herald.NetworkMastodon, "reader@mastodon.example")
	if err != nil || id != rv.UserID {
		t.Fatalf("reader by handle: %d %v, want %d", id, err, rv.UserID)
	}
	if n, err := r.st.PurgeReader(r.ctx, id); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
}

func TestRepliesGoThroughTheRulesOfEveryReview(t *testing.T) {
	r := newRig(t, true)
	if rv := r.take(replies.Reply{ID: "1", Text: "Approved as the channel says."}); rv == nil || rv.Status != herald.ReviewApproved {
		t.Fatalf("auto-approve channel: %+v", rv)
	}
	if rv := r.take(replies.Reply{ID: "2", InReplyTo: "999", Text: "A reply to some other status."}); rv != nil {
		t.Fatalf("a reply to no post of herald's was kept: %+v", rv)
	}
	if rv := r.take(replies.Reply{ID: "3", Text: "   "}); rv != nil {
		t.Fatalf("an empty reply was kept: %+v", rv)
	}
	long := strings.Repeat("word ", herald.MaxReviewLen)
	if rv := r.take(replies.Reply{ID: "4", Author: "7@mastodon.example", Text: long}); rv == nil || len([]rune(rv.Text)) > herald.MaxReviewLen || !strings.HasSuffix(rv.Text, "…") {
		t.Fatalf("a long reply was not kept cut: %v", rv)
	}
	// A banned reader is dropped quietly.
	banned, err := r.st.NetworkReader(r.ctx, herald.NetworkMastodon, "66@mastodon.example", "troll")
	if err != nil {
		t.Fatal(err)
	}
	if err := r.st.Ban(r.ctx, banned, 1); err != nil {
		t.Fatal(err)
	}
	if rv := r.take(replies.Reply{ID: "5", Author: "66@mastodon.example", Text: "Spam spam spam."}); rv != nil {
		t.Fatalf("a banned reader's reply was kept: %+v", rv)
	}
	// The rate limit: Burst new reviews, then nothing new in the window.
	for i := 0; i < replies.Burst+2; i++ {
		a := r.article("burst" + string(rune('a'+i)))
		r.send(a, "s"+string(rune('a'+i)))
		rv := r.take(replies.Reply{ID: "b" + string(rune('a'+i)), InReplyTo: "s" + string(rune('a'+i)), Author: "9@mastodon.example", Text: "Reply number " + string(rune('a'+i))})
		if i < replies.Burst && rv == nil {
			t.Fatalf("reply %d within the limit dropped", i)
		}
		if i >= replies.Burst && rv != nil {
			t.Fatalf("reply %d past the limit of %d kept", i, replies.Burst)
		}
	}
	// Pasted on two articles: spam, waiting for an editor.
	paste := "Visit my site for the truth about everything now"
	r.take(replies.Reply{ID: "p1", Author: "8@mastodon.example", Text: paste})
	other := r.article("other")
	r.send(other, "222")
	if rv := r.take(replies.Reply{ID: "p2", InReplyTo: "222", Author: "8@mastodon.example", Text: paste}); rv == nil || !rv.Spam || rv.Status != herald.ReviewPending {
		t.Fatalf("pasted text: %+v", rv)
	}
	if _, err := r.in.Take(r.ctx, replies.Reply{Network: herald.NetworkMastodon, Text: "no ids"}); herald.ErrorCode(err) != herald.EInvalid {
		t.Fatalf("a reply without ids: %v, want an invalid error", err)
	}
}

func TestAuditedPostsNameTheirNetwork(t *testing.T) {
	r := newRig(t, false)
	p, err := r.st.PostByRemote(r.ctx, herald.NetworkMastodon, "111")
	if err != nil {
		t.Fatal(err)
	}
	nets, err := r.st.PostNetworks(r.ctx, []int64{p.ID, 0, 999})
	if err != nil {
		t.Fatal(err)
	}
	if len(nets) != 1 || nets[p.ID] != herald.NetworkMastodon {
		t.Fatalf("networks %v, want post %d on mastodon only", nets, p.ID)
	}
}
