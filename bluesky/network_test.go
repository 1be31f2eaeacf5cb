package bluesky_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/blueskytest"
	"github.com/herald-news/herald/scheduler"
)

type postValue struct {
	Text   string   `json:"text"`
	Langs  []string `json:"langs"`
	Facets []struct {
		Index struct {
			ByteStart int `json:"byteStart"`
			ByteEnd   int `json:"byteEnd"`
		} `json:"index"`
		Features []map[string]string `json:"features"`
	} `json:"facets"`
	Embed struct {
		Type     string `json:"$type"`
		External struct {
			URI   string          `json:"uri"`
			Title string          `json:"title"`
			Thumb json.RawMessage `json:"thumb"`
		} `json:"external"`
	} `json:"embed"`
	CreatedAt string `json:"createdAt"`
}

func value(t *testing.T, rec blueskytest.Record) postValue {
	t.Helper()
	var v postValue
	if err := json.Unmarshal(rec.Value, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// facetText is the text a facet covers, cut from the UTF-8 bytes.
func facetText(t *testing.T, v postValue, i int) string {
	t.Helper()
	f := v.Facets[i]
	b := []byte(v.Text)
	if f.Index.ByteStart < 0 || f.Index.ByteEnd > len(b) || f.Index.ByteStart >= f.Index.ByteEnd || !utf8.Valid(b[f.Index.ByteStart:f.Index.ByteEnd]) {
		t.Fatalf("facet %d [%d,%d) does not cut whole characters out of %q", i, f.Index.ByteStart, f.Index.ByteEnd, v.Text)
	}
	return string(b[f.Index.ByteStart:f.Index.ByteEnd])
}

func TestAPostIsARecordAtItsSendKeyWithFacetsOnUTF8Bytes(t *testing.T) {
	r := newRig(t, nil)
	a := r.article("a1", func(a *herald.Article) {
		a.Title = "Əliyev 🤝 Blinken: «коридор» and the treaty 🇦🇿"
		a.Program = "Difficult Question"
	})
	r.dispatch()
	sent := r.posts(herald.PostSent)
	recs := r.records()
	if len(sent) != 1 || len(recs) != 1 {
		t.Fatalf("%d posts sent, %d records; want 1 and 1", len(sent), len(recs))
	}
	p := sent[0]
	if !strings.HasSuffix(recs[0].URI, "/app.bsky.feed.post/"+p.SendKey) || p.RemoteID != recs[0].URI {
		t.Fatalf("record %s, post's key %s and remote id %s", recs[0].URI, p.SendKey, p.RemoteID)
	}
	v := value(t, recs[0])
	if !strings.Contains(v.Text, a.Title) || len(v.Langs) != 1 || v.Langs[0] != "en" || v.CreatedAt == "" {
		t.Fatalf("record %+v", v)
	}
	var link, tag bool
	for i, f := range v.Facets {
		seg := facetText(t, v, i)
		switch f.Features[0]["$type"] {
		case "app.bsky.richtext.facet#link":
			link = f.Features[0]["uri"] == a.URL && strings.HasPrefix("example.org/en/news/2026/12/a1", strings.TrimSuffix(seg, "…"))
		case "app.bsky.richtext.facet#tag":
			tag = seg == "#"+f.Features[0]["tag"] && f.Features[0]["tag"] != ""
		}
	}
	if !link || !tag {
		t.Fatalf("want a link facet over the shortened address and a tag facet; text %q facets %+v", v.Text, v.Facets)
	}
	if v.Embed.Type != "app.bsky.embed.external" || v.Embed.External.URI != a.URL {
		t.Fatalf("link card %+v", v.Embed)
	}
}

func TestALongArticleFitsThreeHundredGraphemes(t *testing.T) {
	r := newRig(t, nil)
	r.article("long", func(a *herald.Article) {
		a.Lead = strings.Repeat("Azər Qasımlı told the programme that the call was about more than the corridor. ", 12)
	})
	r.dispatch()
	recs := r.records()
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1 (posts sent: %d, failed: %v)", len(recs), len(r.posts(herald.PostSent)), r.posts(herald.PostFailed))
	}
	v := value(t, recs[0])
	if g := uniseg.GraphemeClusterCount(v.Text); g > 300 || g < 250 {
		t.Fatalf("%d graphemes, want the lead trimmed to fill up to 300:\n%s", g, v.Text)
	}
	if !strings.Contains(v.Text, "…") {
		t.Errorf("the lead was not cut with an ellipsis:\n%s", v.Text)
	}
}

func TestADropAfterStoreIsSettledByAskingForTheKey(t *testing.T) {
	r := newRig(t, nil)
	r.article("a1", nil)
	r.fault(blueskytest.Fault{Method: "com.atproto.repo.createRecord", DropAfterStore: true})
	r.dispatch()
	if sent := r.posts(herald.PostSent); len(sent) != 1 || len(r.records()) != 1 || sent[0].RemoteID != r.records()[0].URI {
		t.Fatalf("%d sent, %d records; want the one record taken as the receipt", len(sent), len(r.records()))
	}
	if r.unknownEvents() != 0 {
		t.Error("an editor was asked to settle it")
	}
}

func TestAnAmbiguousSendIsRepeatedWithTheSameKeyAndMakesOneRecord(t *testing.T) {
	r := newRig(t, nil)
	r.article("a1", nil)
	// The answer is lost and, asked at once, the service cannot say.
	r.fault(blueskytest.Fault{Method: "com.atproto.repo.createRecord", DropAfterStore: true})
	r.fault(blueskytest.Fault{Method: "com.atproto.repo.getRecord", Status: 503})
	r.dispatch()
	if n := len(r.posts(herald.PostSent)); n != 0 {
		t.Fatalf("%d sent before the repeat", n)
	}
	if n := len(r.posts(herald.PostUnknown)); n != 0 {
		t.Fatal("an ambiguous Bluesky send became unknown")
	}
	for i := 0; i < 5 && len(r.posts(herald.PostSent)) == 0; i++ {
		r.clock.add(time.Minute)
		r.dispatch()
	}
	sent := r.posts(herald.PostSent)
	if len(sent) != 1 || len(r.records()) != 1 || sent[0].RemoteID != r.records()[0].URI {
		t.Fatalf("%d sent, %d records; want 1 and 1", len(sent), len(r.records()))
	}
	if r.unknownEvents() != 0 {
		t.Error("an editor was asked to settle it")
	}
	if n := len(r.fake.Calls("com.atproto.repo.createRecord")); n != 1 {
		t.Errorf("%d createRecord calls; the repeat should have found the record by asking first: %+v", n, r.fake.Calls(""))
	}
}

func TestACreateAtAKeyTakenFindsThePostAlreadyThere(t *testing.T) {
	r := newRig(t, nil)
	a := r.article("a1", nil)
	p := r.posts()[0]
	p.SendKey = herald.TID(r.clock.now(), 7)
	d := scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch}
	first, err := r.net.Publish(r.ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.net.Publish(r.ctx, d) // as after a SIGKILL with Attempts never counted
	if err != nil || again.RemoteID != first.RemoteID {
		t.Fatalf("the repeat: %+v %v, want %s", again, err, first.RemoteID)
	}
	calls := r.fake.Calls("com.atproto.repo.createRecord")
	if len(r.records()) != 1 || len(calls) != 2 || calls[1].Status != 500 {
		t.Fatalf("%d records, createRecord calls %+v", len(r.records()), calls)
	}
}

func TestTheSessionIsRefreshedBeforeItExpires(t *testing.T) {
	r := newRig(t, nil)
	r.article("a1", nil)
	r.dispatch()
	before := r.fake.Stats()
	r.clock.add(blueskytest.AccessLifetime * 8 / 10)
	r.article("a2", nil)
	r.dispatch()
	after := r.fake.Stats()
	if len(r.posts(herald.PostSent)) != 2 {
		t.Fatalf("%d sent", len(r.posts(herald.PostSent)))
	}
	if after.Refreshes != before.Refreshes+1 || after.Sessions != before.Sessions {
		t.Fatalf("refreshes %d→%d, sign-ins %d→%d: want one refresh and no sign-in", before.Refreshes, after.Refreshes, before.Sessions, after.Sessions)
	}
	for _, c := range r.fake.Calls("") {
		if c.Error == "ExpiredToken" {
			t.Errorf("herald waited for the token to expire: %+v", c)
		}
	}
}

func TestNoSignInLoopWhenTheRefreshFails(t *testing.T) {
	r := newRig(t, nil)
	r.article("a1", nil)
	r.dispatch()
	signIns := func() int { return len(r.fake.Calls("com.atproto.server.createSession")) }
	base := signIns()

	// The service cannot refresh for a while: the access token still good
	// is used, and nobody signs in again.
	r.fault(blueskytest.Fault{Method: "com.atproto.server.refreshSession", Status: 502, Count: 100})
	r.clock.add(blueskytest.AccessLifetime * 8 / 10)
	for i := 0; i < 5; i++ {
		r.article("b"+string(rune('0'+i)), nil)
		r.dispatch()
		r.clock.add(time.Minute)
	}
	if signIns() != base {
		t.Fatalf("%d sign-ins while the refresh failed", signIns()-base)
	}
	r.fake.ClearFaults()

	// The refresh token is refused (the app password revoked): one sign-in
	// try, refused, and none again while herald backs off.
	if err := r.fake.RevokeAppPasswords(handle); err != nil {
		t.Fatal(err)
	}
	r.clock.add(blueskytest.AccessLifetime)
	var errs []error
	for i := 0; i < 10; i++ {
		a := r.article("c"+string(rune('0'+i)), nil)
		p := r.posts(herald.PostScheduled, herald.PostPlanned)
		for _, x := range p {
			if x.ArticleID == a.ID {
				x.SendKey = herald.TID(r.clock.now(), uint(i))
				_, err := r.net.Publish(r.ctx, scheduler.Delivery{Post: &x.Post, Article: a, Channel: r.ch})
				errs = append(errs, err)
			}
		}
		r.clock.add(5 * time.Second)
	}
	if got := signIns() - base; got != 1 {
		t.Fatalf("%d sign-ins after the password was revoked, want 1", got)
	}
	for _, err := range errs {
		var se *scheduler.SendError
		if !errors.As(err, &se) || se.Failure != scheduler.Forbidden {
			t.Fatalf("a send with the password revoked: %v, want forbidden", err)
		}
		if strings.Contains(err.Error(), r.secret) {
			t.Fatal("the error shows the password")
		}
	}
	if !strings.Contains(errs[0].Error(), secretEnv) {
		t.Errorf("the error %q does not name %s", errs[0], secretEnv)
	}
}

func TestRateLimitedByThePDS(t *testing.T) {
	r := newRig(t, nil)
	a := r.article("a1", nil)
	p := r.posts()[0]
	p.SendKey = herald.TID(r.clock.now(), 1)
	r.fault(blueskytest.Fault{Method: "com.atproto.repo.createRecord", RetryAfter: 90})
	_, err := r.net.Publish(r.ctx, scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch})
	var se *scheduler.SendError
	if !errors.As(err, &se) || se.Failure != scheduler.RateLimited || se.RetryAfter < 80*time.Second || se.RetryAfter > 91*time.Second {
		t.Fatalf("got %v, want rate limited for about 90 s", err)
	}
}

func TestAnEditRepostsOrKeepsAsTheChannelSays(t *testing.T) {
	for _, onEdit := range []string{herald.OnEditRepost, herald.OnEditKeep} {
		t.Run(onEdit, func(t *testing.T) {
			r := newRig(t, func(c *herald.Channel) { c.OnEdit = onEdit })
			a := r.article("a1", nil)
			r.dispatch()
			p := r.posts(herald.PostSent)[0]
			old := scheduler.Receipt{RemoteID: p.RemoteID}
			a.Title = "Əliyev and Blinken: the call, corrected"
			a.UpdatedAt = r.clock.now().Add(time.Minute)
			d := scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch}
			got, err := r.net.Edit(r.ctx, d, old)
			if err != nil {
				t.Fatal(err)
			}
			recs := r.records()
			if onEdit == herald.OnEditKeep {
				if got.RemoteID != old.RemoteID || len(recs) != 1 || recs[0].URI != old.RemoteID {
					t.Fatalf("keep: %+v, records %d", got, len(recs))
				}
				return
			}
			if got.RemoteID == old.RemoteID || len(recs) != 1 || recs[0].URI != got.RemoteID || !strings.Contains(value(t, recs[0]).Text, "corrected") {
				t.Fatalf("repost: %+v, records %+v", got, recs)
			}
			// Repeated (an answer lost), it makes nothing new.
			again, err := r.net.Edit(r.ctx, d, old)
			if err != nil || again.RemoteID != got.RemoteID || len(r.records()) != 1 {
				t.Fatalf("a repeated repost: %+v %v, %d records", again, err, len(r.records()))
			}
		})
	}
}

func TestDeleteRemovesTheRecord(t *testing.T) {
	r := newRig(t, nil)
	r.article("a1", nil)
	r.dispatch()
	rec := scheduler.Receipt{RemoteID: r.posts(herald.PostSent)[0].RemoteID}
	for i := 0; i < 2; i++ { // the second finds it gone, which is no error
		if err := r.net.Delete(r.ctx, r.ch, rec); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.records()); n != 0 {
		t.Fatalf("%d records after delete", n)
	}
}

func TestVerifyNamesTheVariable(t *testing.T) {
	r := newRig(t, nil)
	for _, tc := range []struct{ name, secret string }{{"a wrong password", "abcd-efgh-ijkl-mnop"}, {"no password", ""}} {
		t.Run(tc.name, func(t *testing.T) {
			r.secret = tc.secret
			ch := &herald.Channel{Network: herald.NetworkBluesky, Endpoint: r.fake.URL(), Handle: "herald.test", SecretEnv: secretEnv}
			n := newNetwork(r)
			err := n.Verify(context.Background(), ch)
			if err == nil || !strings.Contains(err.Error(), secretEnv) {
				t.Fatalf("got %v, want an error naming %s", err, secretEnv)
			}
			if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
				t.Fatal("the error shows the password")
			}
		})
	}
}

func TestDoctorLines(t *testing.T) {
	r := newRig(t, nil)
	var lines []herald.Check
	r.net.Diagnose(r.ctx, []*herald.Channel{r.ch}, func(c herald.Check) { lines = append(lines, c) })
	var text []string
	for _, c := range lines {
		if c.Verdict != herald.CheckOK {
			t.Errorf("%v: %s", c.Verdict, c.Line)
		}
		text = append(text, c.Line)
	}
	all := strings.Join(text, "\n")
	if !strings.Contains(all, "signed in as "+r.ch.Chat) || !strings.Contains(all, "the session refreshes") || !strings.Contains(all, "record-write points") {
		t.Fatalf("doctor's lines:\n%s", all)
	}
	r.secret = password // the main password: works, with a warning
	n := newNetwork(r)
	lines = nil
	n.Diagnose(r.ctx, []*herald.Channel{r.ch}, func(c herald.Check) { lines = append(lines, c) })
	warned := false
	for _, c := range lines {
		warned = warned || (c.Verdict == herald.CheckWarn && strings.Contains(c.Line, "not an app password"))
		if strings.Contains(c.Line+c.Fix, password) {
			t.Fatal("a doctor line shows the password")
		}
	}
	if !warned {
		t.Fatalf("no warning about the main password: %+v", lines)
	}
}

func TestSpentPointsHoldWritesBackUntilTheReset(t *testing.T) {
	r := newRig(t, nil)
	a := r.article("a1", nil)
	p := r.posts()[0]
	p.SendKey = herald.TID(r.clock.now(), 1)
	d := scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch}
	r.fault(blueskytest.Fault{Method: "com.atproto.repo.createRecord", RetryAfter: 60})
	if _, err := r.net.Publish(r.ctx, d); err == nil {
		t.Fatal("the 429 was not seen")
	}
	calls := len(r.fake.Calls("com.atproto.repo.createRecord"))
	_, err := r.net.Publish(r.ctx, d)
	var se *scheduler.SendError
	if !errors.As(err, &se) || se.Failure != scheduler.RateLimited || se.RetryAfter <= 0 {
		t.Fatalf("got %v, want rate limited without asking", err)
	}
	if n := len(r.fake.Calls("com.atproto.repo.createRecord")); n != calls {
		t.Fatalf("herald wrote while RateLimit-Remaining said 0 (%d calls)", n-calls)
	}
	r.clock.add(61 * time.Second)
	if _, err := r.net.Publish(r.ctx, d); err != nil {
		t.Fatalf("after the reset: %v", err)
	}
}

func TestARepostHalfDoneIsFinishedByTheNextTry(t *testing.T) {
	r := newRig(t, func(c *herald.Channel) { c.OnEdit = herald.OnEditRepost })
	a := r.article("a1", nil)
	r.dispatch()
	p := r.posts(herald.PostSent)[0]
	old := scheduler.Receipt{RemoteID: p.RemoteID}
	a.Title = "Əliyev and Blinken: the call, corrected"
	a.UpdatedAt = r.clock.now().Add(time.Minute)
	d := scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch}
	// The old post's deletion fails: nothing new is made, and the
	// dispatcher is told to try again.
	if err := r.fake.InjectFault(blueskytest.Fault{Method: "com.atproto.repo.deleteRecord", Status: 502}); err != nil {
		t.Fatal(err)
	}
	got, err := r.net.Edit(r.ctx, d, old)
	var se *scheduler.SendError
	if !errors.As(err, &se) || se.Failure != scheduler.NotSent || got.RemoteID != old.RemoteID {
		t.Fatalf("a failed deletion gave %+v, %v; want the old receipt and a retry", got, err)
	}
	if recs := r.records(); len(recs) != 1 || recs[0].URI != old.RemoteID {
		t.Fatalf("after a failed deletion the account holds %d posts", len(recs))
	}
	// The old one goes, the new one's answer is lost: the next try finds it.
	if err := r.fake.InjectFault(blueskytest.Fault{Method: "com.atproto.repo.createRecord", DropAfterStore: true}); err != nil {
		t.Fatal(err)
	}
	got, err = r.net.Edit(r.ctx, d, old)
	if err != nil {
		got, err = r.net.Edit(r.ctx, d, old)
	}
	if err != nil || got.RemoteID == old.RemoteID {
		t.Fatalf("the repost did not finish: %+v, %v", got, err)
	}
	if recs := r.records(); len(recs) != 1 || recs[0].URI != got.RemoteID {
		t.Fatalf("after the repost the account holds %+v, want only %s", recs, got.RemoteID)
	}
}

func TestAnEditedBlueskyPostGoesWholeOrIsRefused(t *testing.T) {
	r := newRig(t, nil)
	a := r.article("a1", nil)
	r.dispatch()
	p := r.posts(herald.PostSent)[0]
	d := scheduler.Delivery{Post: &p.Post, Article: a, Channel: r.ch,
		Edit: &herald.PostEdit{Text: "<i>Corrected</i>: the call lasted an hour, not two."}}
	if err := r.net.CheckEdit(r.ctx, d); err != nil {
		t.Fatalf("a short edit was refused: %v", err)
	}
	if m := d.Message(r.clock.now()); m.Title != "Corrected: the call lasted an hour, not two." || m.URL == "" {
		t.Fatalf("the edited message is %+v", m)
	}
	d.Edit = &herald.PostEdit{Text: strings.Repeat("Əliyev və Blinken danışıqları. ", 12)}
	if err := r.net.CheckEdit(r.ctx, d); herald.ErrorCode(err) != herald.EInvalid {
		t.Fatalf("an edit past 300 graphemes gave %v, want a refusal", err)
	}
}
