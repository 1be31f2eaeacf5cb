package blueskytest_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/blueskytest"
)

func TestSignUpSignInAndAppPasswordsAnswerAsAPDS(t *testing.T) {
	srv := blueskytest.NewTestServer(t)
	d := get(t, srv, "com.atproto.server.describeServer", nil, "")
	doms, _ := d.body["availableUserDomains"].([]any)
	if d.status != 200 || len(doms) != 1 || doms[0] != ".test" || !strings.HasPrefix(d.str("did"), "did:web:") {
		t.Fatalf("describeServer: %d %v", d.status, d.body)
	}
	a := post(t, srv, "com.atproto.server.createAccount", map[string]string{"handle": "reader.test", "email": "r@example.org", "password": "hunter22"}, "")
	if a.status != 200 || a.str("handle") != "reader.test" || !strings.HasPrefix(a.str("did"), "did:plc:") || a.str("accessJwt") == "" || a.str("refreshJwt") == "" {
		t.Fatalf("createAccount: %d %v", a.status, a.body)
	}
	wantError(t, post(t, srv, "com.atproto.server.createAccount", map[string]string{"handle": "reader.test", "email": "x@example.org", "password": "x"}, ""), 400, "HandleNotAvailable")
	wantError(t, post(t, srv, "com.atproto.server.createAccount", map[string]string{"handle": "reader.example.com", "email": "y@example.org", "password": "x"}, ""), 400, "UnsupportedDomain")

	for _, id := range []string{"reader.test", "@Reader.test", "r@example.org", a.str("did")} {
		s := signIn(t, srv, id, "hunter22")
		if s.str("did") != a.str("did") || s.body["active"] != true {
			t.Errorf("createSession as %q: %v", id, s.body)
		}
	}
	bad := post(t, srv, "com.atproto.server.createSession", map[string]string{"identifier": "reader.test", "password": "wrong"}, "")
	wantError(t, bad, 401, "AuthenticationRequired")
	if bad.str("message") != "Invalid identifier or password" {
		t.Errorf("message %q", bad.str("message"))
	}

	s := signIn(t, srv, "reader.test", "hunter22")
	ap := post(t, srv, "com.atproto.server.createAppPassword", map[string]string{"name": "herald"}, s.str("accessJwt"))
	if ap.status != 200 || !regexpAppPassword(ap.str("password")) {
		t.Fatalf("createAppPassword: %d %v", ap.status, ap.body)
	}
	as := signIn(t, srv, "reader.test", ap.str("password"))
	// An app-password session cannot make app passwords.
	wantError(t, post(t, srv, "com.atproto.server.createAppPassword", map[string]string{"name": "more"}, as.str("accessJwt")), 400, "InvalidToken")
	wantError(t, post(t, srv, "com.atproto.server.createAppPassword", map[string]string{"name": "herald"}, s.str("accessJwt")), 400, "DuplicateName")
	g := get(t, srv, "com.atproto.server.getSession", nil, as.str("accessJwt"))
	if g.status != 200 || g.str("handle") != "reader.test" {
		t.Fatalf("getSession: %d %v", g.status, g.body)
	}
	wantError(t, get(t, srv, "com.atproto.server.getSession", nil, ""), 401, "AuthMissing")
	wantError(t, get(t, srv, "com.atproto.server.getSession", nil, "not.a.jwt"), 400, "InvalidToken")
	// A refresh token is no access token.
	wantError(t, get(t, srv, "com.atproto.server.getSession", nil, as.str("refreshJwt")), 400, "InvalidToken")

	if err := srv.RevokeAppPasswords("reader.test"); err != nil {
		t.Fatal(err)
	}
	wantError(t, post(t, srv, "com.atproto.server.createSession", map[string]string{"identifier": "reader.test", "password": ap.str("password")}, ""), 401, "AuthenticationRequired")
	wantError(t, post(t, srv, "com.atproto.server.refreshSession", nil, as.str("refreshJwt")), 400, "ExpiredToken")
}

func regexpAppPassword(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if len(p) != 4 || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz234567") != "" {
			return false
		}
	}
	return true
}

func TestTokensExpireAndRefreshRotates(t *testing.T) {
	c := &testClock{t: time.Now()}
	srv := blueskytest.NewTestServer(t, blueskytest.WithClock(c.now), blueskytest.WithAccount("herald.test", "pw-1234567"))
	s := signIn(t, srv, "herald.test", "pw-1234567")
	c.add(blueskytest.AccessLifetime + time.Second)
	a := get(t, srv, "com.atproto.server.getSession", nil, s.str("accessJwt"))
	wantError(t, a, 400, "ExpiredToken")
	if a.str("message") != "Token has expired" {
		t.Errorf("message %q", a.str("message"))
	}
	r := post(t, srv, "com.atproto.server.refreshSession", nil, s.str("refreshJwt"))
	if r.status != 200 || r.str("accessJwt") == "" || r.str("refreshJwt") == s.str("refreshJwt") {
		t.Fatalf("refreshSession: %d %v", r.status, r.body)
	}
	if g := get(t, srv, "com.atproto.server.getSession", nil, r.str("accessJwt")); g.status != 200 {
		t.Fatalf("the refreshed token: %d %v", g.status, g.body)
	}
	// The old refresh token works within the grace period, then not.
	if again := post(t, srv, "com.atproto.server.refreshSession", nil, s.str("refreshJwt")); again.status != 200 {
		t.Fatalf("a repeat within the grace: %d %v", again.status, again.body)
	}
	c.add(blueskytest.RefreshGrace + time.Minute)
	wantError(t, post(t, srv, "com.atproto.server.refreshSession", nil, s.str("refreshJwt")), 400, "ExpiredToken")
	// An access token is no refresh token.
	fresh := signIn(t, srv, "herald.test", "pw-1234567")
	wantError(t, post(t, srv, "com.atproto.server.refreshSession", nil, fresh.str("accessJwt")), 400, "InvalidToken")
	if st := srv.Stats(); st.Sessions != 2 || st.Refreshes != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestRecordsKeysAndValidation(t *testing.T) {
	srv := blueskytest.NewTestServer(t, blueskytest.WithAccount("herald.test", "pw-1234567"))
	s := signIn(t, srv, "herald.test", "pw-1234567")
	tok, did := s.str("accessJwt"), s.str("did")
	create := func(rkey string, rec map[string]any) answer {
		in := map[string]any{"repo": did, "collection": "app.bsky.feed.post", "record": rec}
		if rkey != "" {
			in["rkey"] = rkey
		}
		return post(t, srv, "com.atproto.repo.createRecord", in, tok)
	}
	c := create("3lbqzvx2p3k2a", postRecord("Hello"))
	if c.status != 200 || c.str("uri") != "at://"+did+"/app.bsky.feed.post/3lbqzvx2p3k2a" || !strings.HasPrefix(c.str("cid"), "bafyrei") || c.str("validationStatus") != "valid" {
		t.Fatalf("createRecord: %d %v", c.status, c.body)
	}
	// The same key again: the reference PDS's bare 500, the record unchanged.
	wantError(t, create("3lbqzvx2p3k2a", postRecord("Hello again")), 500, "InternalServerError")
	g := get(t, srv, "com.atproto.repo.getRecord", url.Values{"repo": {"herald.test"}, "collection": {"app.bsky.feed.post"}, "rkey": {"3lbqzvx2p3k2a"}}, "")
	if v, _ := g.body["value"].(map[string]any); g.status != 200 || v["text"] != "Hello" || g.str("cid") != c.str("cid") {
		t.Fatalf("getRecord: %d %v", g.status, g.body)
	}
	wantError(t, get(t, srv, "com.atproto.repo.getRecord", url.Values{"repo": {did}, "collection": {"app.bsky.feed.post"}, "rkey": {"3lbqzvx2p3k2b"}}, ""), 400, "RecordNotFound")
	wantError(t, create("not-a-tid", postRecord("x")), 400, "InvalidRequest")

	long := strings.Repeat("é", 301) // e + combining accent: 301 graphemes, 602 code points
	cases := []struct {
		name string
		rec  map[string]any
	}{
		{"text over 300 graphemes", postRecord(long)},
		{"text over 3000 bytes", postRecord(strings.Repeat("👩🏽‍💻", 201))},
		{"no createdAt", map[string]any{"$type": "app.bsky.feed.post", "text": "x"}},
		{"another $type", map[string]any{"$type": "app.bsky.feed.like", "text": "x", "createdAt": "2026-12-01T20:00:00Z"}},
		{"a facet past the text", withFacet(postRecord("Bakı"), 0, 6)},
		{"a facet cutting ı in two", withFacet(postRecord("Bakı"), 0, 4)},
		{"four langs", func() map[string]any { r := postRecord("x"); r["langs"] = []string{"en", "az", "ru", "tr"}; return r }()},
		{"a thumb never uploaded", func() map[string]any {
			r := postRecord("x")
			r["embed"] = map[string]any{"$type": "app.bsky.embed.external", "external": map[string]any{"uri": "https://example.org", "title": "t", "description": "d",
				"thumb": map[string]any{"$type": "blob", "ref": map[string]string{"$link": "bafkreiabc"}, "mimeType": "image/jpeg", "size": 10}}}
			return r
		}()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := create("", tc.rec)
			if a.status != 400 || a.str("message") == "" {
				t.Fatalf("got %d %v, want 400", a.status, a.body)
			}
		})
	}
	if a := create("", withFacet(postRecord("Bakı ✓"), 0, 5)); a.status != 200 {
		t.Fatalf("a facet over whole characters: %d %v", a.status, a.body)
	}
	if a := create("", postRecord(strings.Repeat("é", 300))); a.status != 200 {
		t.Fatalf("300 graphemes: %d %v", a.status, a.body)
	}

	// listRecords needs no session, newest key first, paged.
	l := get(t, srv, "com.atproto.repo.listRecords", url.Values{"repo": {"herald.test"}, "collection": {"app.bsky.feed.post"}, "limit": {"2"}}, "")
	recs, _ := l.body["records"].([]any)
	if l.status != 200 || len(recs) != 2 || l.str("cursor") == "" {
		t.Fatalf("listRecords: %d %v", l.status, l.body)
	}
	l2 := get(t, srv, "com.atproto.repo.listRecords", url.Values{"repo": {"herald.test"}, "collection": {"app.bsky.feed.post"}, "cursor": {l.str("cursor")}}, "")
	if recs2, _ := l2.body["records"].([]any); len(recs2) != 1 {
		t.Fatalf("the second page: %v", l2.body)
	}
	// deleteRecord, and a delete of what is not there is a no-op.
	for range 2 {
		d := post(t, srv, "com.atproto.repo.deleteRecord", map[string]string{"repo": did, "collection": "app.bsky.feed.post", "rkey": "3lbqzvx2p3k2a"}, tok)
		if d.status != 200 {
			t.Fatalf("deleteRecord: %d %v", d.status, d.body)
		}
	}
	if n := len(srv.Records("herald.test", "app.bsky.feed.post")); n != 2 {
		t.Fatalf("%d records left, want 2", n)
	}
	// Another account's repo is not yours to write.
	if _, err := srv.AddAccount("other.test", "pw-other"); err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"repo": "other.test", "collection": "app.bsky.feed.post", "record": postRecord("x")}
	wantError(t, post(t, srv, "com.atproto.repo.createRecord", in, tok), 401, "AuthenticationRequired")
}

func withFacet(rec map[string]any, start, end int) map[string]any {
	rec["facets"] = []any{map[string]any{"index": map[string]int{"byteStart": start, "byteEnd": end},
		"features": []any{map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.org"}}}}
	return rec
}

func TestWritePointsRunOutWithRateLimitHeaders(t *testing.T) {
	c := &testClock{t: time.Now()}
	srv := blueskytest.NewTestServer(t, blueskytest.WithClock(c.now), blueskytest.WithAccount("herald.test", "pw-1234567"))
	s := signIn(t, srv, "herald.test", "pw-1234567")
	in := map[string]any{"repo": s.str("did"), "collection": "app.bsky.feed.post", "record": postRecord("x")}
	var last answer
	made := 0
	for i := 0; i < blueskytest.WritePointsHour; i++ {
		last = post(t, srv, "com.atproto.repo.createRecord", in, s.str("accessJwt"))
		if last.status != 200 {
			break
		}
		made++
	}
	if made != blueskytest.WritePointsHour/blueskytest.CreatePoints {
		t.Fatalf("%d posts before a 429, want %d (3 points each of %d)", made, blueskytest.WritePointsHour/3, blueskytest.WritePointsHour)
	}
	wantError(t, last, 429, "RateLimitExceeded")
	if last.str("message") != "Rate Limit Exceeded" || last.header.Get("RateLimit-Limit") != "5000" || last.header.Get("RateLimit-Remaining") != "0" ||
		last.header.Get("RateLimit-Policy") != "5000;w=3600" {
		t.Fatalf("429 headers %v", last.header)
	}
	reset, _ := strconv.ParseInt(last.header.Get("RateLimit-Reset"), 10, 64)
	if d := time.Until(time.Unix(reset, 0)); d < 50*time.Minute || d > time.Hour+time.Minute {
		t.Errorf("RateLimit-Reset in %s, want about an hour", d)
	}
	// A delete costs 1 point: two fit in the 2 points left, a third not.
	del := map[string]string{"repo": s.str("did"), "collection": "app.bsky.feed.post", "rkey": "3lbqzvx2p3k2a"}
	for i := 0; i < 2; i++ {
		if a := post(t, srv, "com.atproto.repo.deleteRecord", del, s.str("accessJwt")); a.status != 200 {
			t.Fatalf("delete %d: %d %v", i, a.status, a.body)
		}
	}
	wantError(t, post(t, srv, "com.atproto.repo.deleteRecord", del, s.str("accessJwt")), 429, "RateLimitExceeded")
	c.add(time.Hour)
	if a := post(t, srv, "com.atproto.repo.createRecord", in, s.str("accessJwt")); a.status != 200 {
		t.Fatalf("after the hour: %d %v", a.status, a.body)
	}
}

func TestSignInsAreLimitedPerIdentifier(t *testing.T) {
	srv := blueskytest.NewTestServer(t, blueskytest.WithAccount("herald.test", "pw-1234567"))
	for i := 0; i < blueskytest.SessionsPer5Min; i++ {
		post(t, srv, "com.atproto.server.createSession", map[string]string{"identifier": "herald.test", "password": "wrong"}, "")
	}
	a := post(t, srv, "com.atproto.server.createSession", map[string]string{"identifier": "herald.test", "password": "pw-1234567"}, "")
	wantError(t, a, 429, "RateLimitExceeded")
	if a.header.Get("RateLimit-Policy") != "30;w=300" {
		t.Errorf("policy %q", a.header.Get("RateLimit-Policy"))
	}
}

func TestFaults(t *testing.T) {
	srv := blueskytest.NewTestServer(t, blueskytest.WithAccount("herald.test", "pw-1234567"))
	s := signIn(t, srv, "herald.test", "pw-1234567")
	in := map[string]any{"repo": s.str("did"), "collection": "app.bsky.feed.post", "rkey": "3lbqzvx2p3k2a", "record": postRecord("x")}
	must := func(f blueskytest.Fault) {
		if err := srv.InjectFault(f); err != nil {
			t.Fatal(err)
		}
	}
	must(blueskytest.Fault{Method: "com.atproto.repo.createRecord", Status: 502})
	wantError(t, post(t, srv, "com.atproto.repo.createRecord", in, s.str("accessJwt")), 502, "UpstreamFailure")
	if n := len(srv.Records("herald.test", "app.bsky.feed.post")); n != 0 {
		t.Fatalf("a 502 stored %d records", n)
	}
	// Dropped after store: no answer, the record there.
	must(blueskytest.Fault{Method: "com.atproto.repo.createRecord", DropAfterStore: true})
	b, _ := jsonBody(in)
	req, _ := http.NewRequest(http.MethodPost, srv.URL()+"/xrpc/com.atproto.repo.createRecord", b)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.str("accessJwt"))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("an answer %d to a dropped call", resp.StatusCode)
	}
	if n := len(srv.Records("herald.test", "app.bsky.feed.post")); n != 1 {
		t.Fatalf("%d records after a drop after store, want 1", n)
	}
	// The journal has it once the handler is done, after the connection closed.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitUntil(ctx, func() bool {
		calls := srv.Calls("com.atproto.repo.createRecord")
		return len(calls) == 2 && calls[1].Status == 0 && calls[1].Error == "dropped"
	}); err != nil {
		t.Errorf("journal %+v", srv.Calls("com.atproto.repo.createRecord"))
	}
	must(blueskytest.Fault{Method: "com.atproto.repo.createRecord", RetryAfter: 30})
	a := post(t, srv, "com.atproto.repo.createRecord", in, s.str("accessJwt"))
	wantError(t, a, 429, "RateLimitExceeded")
	if a.header.Get("RateLimit-Reset") == "" {
		t.Error("no RateLimit-Reset")
	}
	// The account writes nothing more until the reset, and a call before it is early.
	in["rkey"] = "3lbqzvx2p3k2c"
	wantError(t, post(t, srv, "com.atproto.repo.createRecord", in, s.str("accessJwt")), 429, "RateLimitExceeded")
	if st := srv.Stats(); st.Early != 1 || st.Served429 != 2 {
		t.Errorf("stats %+v", st)
	}
	if err := srv.InjectFault(blueskytest.Fault{Method: "com.atproto.repo.createRecord"}); err == nil {
		t.Error("a fault doing nothing was taken")
	}
	if err := srv.InjectFault(blueskytest.Fault{Method: "createRecord", Status: 500}); err == nil {
		t.Error("a fault on no method was taken")
	}
}

func jsonBody(v any) (*strings.Reader, error) {
	b, err := jsonMarshal(v)
	return strings.NewReader(string(b)), err
}

func TestRepliesShowInThreadsAndNotifications(t *testing.T) {
	srv := blueskytest.NewTestServer(t, blueskytest.WithAccount("herald.test", "pw-1234567"), blueskytest.WithAccount("reader.test", "pw-reader"))
	if err := srv.SetDisplayName("reader.test", "Aysel"); err != nil {
		t.Fatal(err)
	}
	root, err := srv.Post("herald.test", "Əliyev and Blinken", "en")
	if err != nil {
		t.Fatal(err)
	}
	r1, err := srv.Reply("reader.test", root.URI, "Clear and fair, @herald.test", "en")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Reply("herald.test", r1.URI, "Thank you", "en"); err != nil {
		t.Fatal(err)
	}
	r3, err := srv.Reply("reader.test", r1.URI, "And one more thing", "en")
	if err != nil {
		t.Fatal(err)
	}
	th := get(t, srv, "app.bsky.feed.getPostThread", url.Values{"uri": {root.URI}}, "")
	thread, _ := th.body["thread"].(map[string]any)
	reps, _ := thread["replies"].([]any)
	if th.status != 200 || thread["$type"] != "app.bsky.feed.defs#threadViewPost" || len(reps) != 1 {
		t.Fatalf("getPostThread: %d %v", th.status, th.body)
	}
	first := reps[0].(map[string]any)
	pv := first["post"].(map[string]any)
	au := pv["author"].(map[string]any)
	if pv["uri"] != r1.URI || au["handle"] != "reader.test" || au["displayName"] != "Aysel" || pv["cid"] == "" {
		t.Fatalf("the reply's post view %v", pv)
	}
	if deeper, _ := first["replies"].([]any); len(deeper) != 2 {
		t.Fatalf("the reply's own replies %v", first["replies"])
	}
	wantError(t, get(t, srv, "app.bsky.feed.getPostThread", url.Values{"uri": {root.URI + "x"}}, ""), 400, "NotFound")

	s := signIn(t, srv, "herald.test", "pw-1234567")
	nl := get(t, srv, "app.bsky.notification.listNotifications", nil, s.str("accessJwt"))
	notes, _ := nl.body["notifications"].([]any)
	// r1 (a reply to herald's post that mentions herald: one notification)
	// and r3 (under r1, in herald's thread).
	if nl.status != 200 || len(notes) != 2 {
		t.Fatalf("listNotifications: %d %v", nl.status, nl.body)
	}
	if n0 := notes[0].(map[string]any); n0["uri"] != r3.URI || n0["reason"] != "reply" || n0["reasonSubject"] == nil {
		t.Errorf("newest first: %v", n0)
	}
	page := get(t, srv, "app.bsky.notification.listNotifications", url.Values{"limit": {"1"}}, s.str("accessJwt"))
	next := get(t, srv, "app.bsky.notification.listNotifications", url.Values{"limit": {"1"}, "cursor": {page.str("cursor")}}, s.str("accessJwt"))
	if n1, _ := next.body["notifications"].([]any); len(n1) != 1 || n1[0].(map[string]any)["uri"] != r1.URI {
		t.Fatalf("the cursor's page: %v", next.body)
	}
	wantError(t, get(t, srv, "app.bsky.notification.listNotifications", nil, ""), 401, "AuthMissing")
}

func TestListenRefusesAnAddressOffLoopback(t *testing.T) {
	if _, err := blueskytest.Listen("0.0.0.0:0"); err == nil {
		t.Fatal("listened off loopback")
	}
	srv, err := blueskytest.Listen("127.0.0.1:0", blueskytest.WithAccount("herald.test", "pw-1234567"))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if _, _, err := net.SplitHostPort(strings.TrimPrefix(srv.URL(), "http://")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/fake/accounts", strings.NewReader(`{"handle":"reader.test","password":"pw-reader"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /fake/accounts: %v %v", resp, err)
	}
	resp.Body.Close()
	if _, ok := srv.Account("reader.test"); !ok {
		t.Fatal("the account was not made")
	}
}
