package mastodontest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gomasto "github.com/mattn/go-mastodon"

	"github.com/herald-news/herald/mastodontest"
)

func client(srv *mastodontest.Server, tok string) *gomasto.Client {
	c := gomasto.NewClient(&gomasto.Config{Server: srv.URL(), AccessToken: tok})
	c.Client = http.Client{Timeout: 5 * time.Second}
	return c
}

func apiError(t *testing.T, err error) *gomasto.APIError {
	t.Helper()
	var ae *gomasto.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ae
}

func TestSignUpThroughTheAPIGivesAWorkingUserToken(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	ctx := context.Background()
	app, err := gomasto.RegisterApp(ctx, &gomasto.AppConfig{Server: srv.URL(), ClientName: "herald-test", Scopes: "read write", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob"})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}, "scope": {"read write"}}
	var tok struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	postForm(t, srv.URL()+"/oauth/token", "", form, 200, &tok)
	if tok.Scope != "read write" {
		t.Fatalf("scope %q", tok.Scope)
	}
	// an app token is not a user
	if _, err := client(srv, tok.AccessToken).GetAccountCurrentUser(ctx); apiError(t, err).StatusCode != 422 {
		t.Fatalf("app token on verify_credentials: %v", err)
	}
	var user struct {
		AccessToken string `json:"access_token"`
	}
	postForm(t, srv.URL()+"/api/v1/accounts", tok.AccessToken, url.Values{"username": {"reader"}, "email": {"r@example.org"},
		"password": {"long-enough"}, "agreement": {"true"}, "locale": {"en"}}, 200, &user)
	acc, err := client(srv, user.AccessToken).GetAccountCurrentUser(ctx)
	if err != nil || acc.Username != "reader" || acc.Acct != "reader" {
		t.Fatalf("verify_credentials: %+v %v", acc, err)
	}
	// the password grant gives another token of the same account
	var again struct {
		AccessToken string `json:"access_token"`
	}
	postForm(t, srv.URL()+"/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "username": {"r@example.org"}, "password": {"long-enough"}}, 200, &again)
	if again.AccessToken == "" || again.AccessToken == user.AccessToken {
		t.Fatalf("password grant: %q", again.AccessToken)
	}
	// a taken name is refused as Mastodon refuses it
	var e map[string]string
	postForm(t, srv.URL()+"/api/v1/accounts", tok.AccessToken, url.Values{"username": {"reader"}, "email": {"x@example.org"},
		"password": {"long-enough"}, "agreement": {"true"}}, 422, &e)
	if !strings.HasPrefix(e["error"], "Validation failed: Username has already been taken") {
		t.Fatalf("taken: %v", e)
	}
	// a scope beyond the app's
	postForm(t, srv.URL()+"/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "scope": {"admin:write"}}, 400, &e)
	if e["error"] != "invalid_scope" {
		t.Fatalf("scope: %v", e)
	}
}

func postForm(t *testing.T, u, tok string, form url.Values, want int, out any) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s: %d %s, want %d", u, resp.StatusCode, body, want)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
	}
}

func TestAuthErrorsAreDoorkeepers(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", "good-token", "read:statuses")
	ctx := context.Background()
	_, err := client(srv, "wrong").PostStatus(ctx, &gomasto.Toot{Status: "hi"})
	if ae := apiError(t, err); ae.StatusCode != 401 || ae.Message != "The access token is invalid" {
		t.Fatalf("bad token: %v", err)
	}
	_, err = client(srv, "good-token").PostStatus(ctx, &gomasto.Toot{Status: "hi"})
	if ae := apiError(t, err); ae.StatusCode != 403 || ae.Message != "This action is outside the authorized scopes" {
		t.Fatalf("no scope: %v", err)
	}
	srv.Revoke("good-token")
	_, err = client(srv, "good-token").GetAccountCurrentUser(ctx)
	if ae := apiError(t, err); ae.StatusCode != 401 || ae.Message != "The access token was revoked" {
		t.Fatalf("revoked: %v", err)
	}
}

func TestStatusLengthCountsURLsAs23AndMentionsByUsername(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", "tok")
	c := client(srv, "tok")
	ctx := context.Background()
	url := "https://www.example.org/" + strings.Repeat("long-path/", 30)
	mention := "@someone@very-long-domain-name.example.org"
	text := mention + " " + strings.Repeat("a", 500-23-len("@someone")-2) + " " + url
	if n := mastodontest.CountCharacters(text); n != 500 {
		t.Fatalf("count %d", n)
	}
	if _, err := client(srv, "tok").PostStatus(ctx, &gomasto.Toot{Status: text}); err != nil {
		t.Fatalf("500 as Mastodon counts: %v", err)
	}
	_, err := c.PostStatus(ctx, &gomasto.Toot{Status: "b" + text})
	if ae := apiError(t, err); ae.StatusCode != 422 || ae.Message != "Validation failed: Text character limit of 500 exceeded" {
		t.Fatalf("501: %v", err)
	}
	// the content warning counts too
	_, err = c.PostStatus(ctx, &gomasto.Toot{Status: "short", SpoilerText: strings.Repeat("w", 496)})
	if apiError(t, err).StatusCode != 422 {
		t.Fatal("spoiler not counted")
	}
	// combining marks and flags are one character each
	if n := mastodontest.CountCharacters("e\u0301🇦🇿👩‍💻"); n != 3 {
		t.Fatalf("graphemes: %d", n)
	}
	srv.SetMaxCharacters(1000)
	if _, err := c.PostStatus(ctx, &gomasto.Toot{Status: strings.Repeat("x", 900)}); err != nil {
		t.Fatalf("raised limit: %v", err)
	}
}

func TestIdempotencyKeyRepeatsTheStatusWithinTheHour(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	srv := mastodontest.NewTestServer(t, mastodontest.WithClock(clock))
	srv.MustAccount("herald", "tok")
	srv.MustAccount("other", "tok2")
	post := func(tok, key string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL()+"/api/v1/statuses", strings.NewReader(`{"status":"Hello","visibility":"public"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var st struct{ ID string }
		_ = json.NewDecoder(resp.Body).Decode(&st)
		return resp.StatusCode, st.ID
	}
	_, first := post("tok", "k1")
	now = now.Add(59 * time.Minute)
	if _, again := post("tok", "k1"); again != first {
		t.Fatalf("repeat within the hour made %s, want %s", again, first)
	}
	if _, other := post("tok2", "k1"); other == first {
		t.Fatal("keys are per account")
	}
	now = now.Add(2 * time.Minute)
	if _, late := post("tok", "k1"); late == first {
		t.Fatal("a key older than an hour still answered the old status")
	}
	if got := len(srv.Statuses("herald")); got != 2 {
		t.Fatalf("herald has %d statuses, want 2", got)
	}
	if srv.Stats().IdempotentRepeats != 1 {
		t.Fatalf("stats %+v", srv.Stats())
	}
}

func TestRateLimitIsPerAccountInFixedWindowsWithHeaders(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 10, 0, time.UTC)
	srv := mastodontest.NewTestServer(t, mastodontest.WithClock(func() time.Time { return now }),
		mastodontest.WithLimits(mastodontest.Limits{API: 3, APIPeriod: 5 * time.Minute}))
	srv.MustAccount("herald", "tok")
	srv.MustAccount("other", "tok2")
	get := func(tok string) *http.Response {
		req, _ := http.NewRequest("GET", srv.URL()+"/api/v1/accounts/verify_credentials", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for i := 2; i >= 0; i-- {
		r := get("tok")
		if r.StatusCode != 200 || r.Header.Get("X-RateLimit-Remaining") != string(rune('0'+i)) || r.Header.Get("X-RateLimit-Limit") != "3" {
			t.Fatalf("request %d: %d %v", 3-i, r.StatusCode, r.Header)
		}
	}
	r := get("tok")
	if r.StatusCode != 429 || r.Header.Get("X-RateLimit-Reset") != "2026-12-01T12:05:00.000000Z" {
		t.Fatalf("over: %d reset %q", r.StatusCode, r.Header.Get("X-RateLimit-Reset"))
	}
	if get("tok2").StatusCode != 200 {
		t.Fatal("another account is limited too")
	}
	now = now.Add(5 * time.Minute)
	if get("tok").StatusCode != 200 {
		t.Fatal("the next window still refuses")
	}
}

func TestMediaUploadIsProcessedThenAttachable(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	srv := mastodontest.NewTestServer(t, mastodontest.WithClock(func() time.Time { return now }))
	srv.MustAccount("herald", "tok")
	c := client(srv, "tok")
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	att, err := c.UploadMediaFromMedia(ctx, &gomasto.Media{File: strings.NewReader(string(png)), Description: "The minister at the podium"})
	if err != nil || att.URL != "" || att.Description != "The minister at the podium" {
		t.Fatalf("upload: %+v %v", att, err)
	}
	if err := c.GetMediaStatus(ctx, att); apiError(t, err).StatusCode != 206 {
		t.Fatalf("processing: %v", err)
	}
	_, err = c.PostStatus(ctx, &gomasto.Toot{Status: "with image", MediaIDs: []gomasto.ID{att.ID}})
	if ae := apiError(t, err); ae.StatusCode != 422 || !strings.Contains(ae.Message, "not finished processing") {
		t.Fatalf("early attach: %v", err)
	}
	now = now.Add(3 * time.Second)
	if err := c.GetMediaStatus(ctx, att); err != nil {
		t.Fatal(err)
	}
	st, err := c.PostStatus(ctx, &gomasto.Toot{Status: "with image", MediaIDs: []gomasto.ID{att.ID}})
	if err != nil || len(st.MediaAttachments) != 1 || st.MediaAttachments[0].Description != "The minister at the podium" {
		t.Fatalf("attach: %+v %v", st, err)
	}
	_, err = c.UploadMediaFromMedia(ctx, &gomasto.Media{File: strings.NewReader("plain text")})
	if apiError(t, err).StatusCode != 422 {
		t.Fatal("text accepted as media")
	}
}

func TestRepliesMentionsAndThreads(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", "tok")
	srv.MustAccount("reader", "rtok")
	ctx := context.Background()
	hc, rc := client(srv, "tok"), client(srv, "rtok")
	root, err := hc.PostStatus(ctx, &gomasto.Toot{Status: "News https://example.org/a #Politics", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := rc.PostStatus(ctx, &gomasto.Toot{Status: "@herald Fair <b>report</b>", InReplyToID: root.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(reply.Content, `class="u-url mention"`) || !strings.Contains(reply.Content, "&lt;b&gt;") {
		t.Fatalf("content %s", reply.Content)
	}
	if _, err := srv.Post(mastodontest.PostInput{Username: "reader", Status: "deeper, no mention", InReplyToID: string(reply.ID)}); err != nil {
		t.Fatal(err)
	}
	ns, err := hc.GetNotifications(ctx, nil)
	if err != nil || len(ns) != 1 || ns[0].Type != "mention" || ns[0].Status.ID != reply.ID {
		t.Fatalf("notifications: %+v %v", ns, err)
	}
	tc, err := hc.GetStatusContext(ctx, root.ID)
	if err != nil || len(tc.Descendants) != 2 {
		t.Fatalf("context: %+v %v", tc, err)
	}
	// pagination: min_id gives what came after
	pg := &gomasto.Pagination{MinID: ns[0].ID}
	if later, err := hc.GetNotifications(ctx, pg); err != nil || len(later) != 0 {
		t.Fatalf("after the newest: %d %v", len(later), err)
	}
	src, err := hc.GetStatusSource(ctx, root.ID)
	if err != nil || src.Text != "News https://example.org/a #Politics" {
		t.Fatalf("source: %+v %v", src, err)
	}
	edited, err := hc.UpdateStatus(ctx, &gomasto.Toot{Status: "News, corrected https://example.org/a"}, root.ID)
	if err != nil || edited.EditedAt.IsZero() {
		t.Fatalf("edit: %+v %v", edited, err)
	}
	if err := rc.DeleteStatus(ctx, root.ID); apiError(t, err).StatusCode != 403 {
		t.Fatal("a reader deleted herald's status")
	}
	if err := hc.DeleteStatus(ctx, root.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := hc.GetStatus(ctx, root.ID); apiError(t, err).StatusCode != 404 {
		t.Fatal("deleted status still there")
	}
}

func TestFaults(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", "tok")
	ctx := context.Background()
	c := client(srv, "tok")
	if err := srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", DropAfterStore: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PostStatus(ctx, &gomasto.Toot{Status: "cut"}); err == nil {
		t.Fatal("a dropped connection answered")
	}
	if n := len(srv.Statuses("herald")); n != 1 {
		t.Fatalf("drop after store kept %d statuses, want 1", n)
	}
	if err := srv.InjectFault(mastodontest.Fault{Route: "POST /api/v1/statuses", Status: 503}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PostStatus(ctx, &gomasto.Toot{Status: "not stored"}); apiError(t, err).StatusCode != 503 {
		t.Fatalf("503: %v", err)
	}
	if n := len(srv.Statuses("herald")); n != 1 {
		t.Fatalf("a 503 stored a status")
	}
	if err := srv.InjectFault(mastodontest.Fault{Route: "post /api/v1/statuses", StatusAfterStore: 504}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PostStatus(ctx, &gomasto.Toot{Status: "stored"}); apiError(t, err).StatusCode != 504 {
		t.Fatalf("504 after store: %v", err)
	}
	if n := len(srv.Statuses("herald")); n != 2 {
		t.Fatalf("a 504 after store kept %d statuses, want 2", n)
	}
	for _, bad := range []mastodontest.Fault{{}, {Status: 200}, {Route: "POST /nowhere", Status: 500}, {Status: 500, DropAfterStore: true}} {
		if err := srv.InjectFault(bad); err == nil {
			t.Errorf("fault %+v accepted", bad)
		}
	}
}

func TestSimulationOverHTTP(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	body := `{"username":"reader","token":"reader-token","display_name":"A Reader","scopes":"read write"}`
	resp, err := http.Post(srv.URL()+"/fake/accounts", "application/json", strings.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("accounts: %v %v", resp, err)
	}
	resp.Body.Close()
	if acc, err := client(srv, "reader-token").GetAccountCurrentUser(context.Background()); err != nil || acc.DisplayName != "A Reader" {
		t.Fatalf("%+v %v", acc, err)
	}
	resp, _ = http.Post(srv.URL()+"/fake/statuses", "application/json", strings.NewReader(`{"username":"reader","status":"hello","language":"en"}`))
	if resp.StatusCode != 200 {
		t.Fatalf("statuses: %d", resp.StatusCode)
	}
	resp.Body.Close()
	resp, _ = http.Post(srv.URL()+"/fake/faults", "application/json", strings.NewReader(`{"route":"GET /api/v2/instance","status":502}`))
	if resp.StatusCode != 200 {
		t.Fatalf("faults: %d", resp.StatusCode)
	}
	resp.Body.Close()
	resp, _ = http.Get(srv.URL() + "/api/v2/instance")
	if resp.StatusCode != 502 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("fault not served: %d", resp.StatusCode)
	}
	resp.Body.Close()
	resp, _ = http.Post(srv.URL()+"/fake/accounts", "application/json", strings.NewReader(`{"username":"bad name!"}`))
	if resp.StatusCode != 400 {
		t.Fatalf("bad username: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

func TestInstanceSaysItsLimits(t *testing.T) {
	srv := mastodontest.NewTestServer(t, mastodontest.WithMaxCharacters(640))
	resp, err := http.Get(srv.URL() + "/api/v2/instance")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var in struct {
		Configuration struct {
			Statuses struct {
				Max int `json:"max_characters"`
				URL int `json:"characters_reserved_per_url"`
			} `json:"statuses"`
			Media struct {
				Image int `json:"image_size_limit"`
			} `json:"media_attachments"`
		} `json:"configuration"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&in); err != nil {
		t.Fatal(err)
	}
	if in.Configuration.Statuses.Max != 640 || in.Configuration.Statuses.URL != 23 || in.Configuration.Media.Image != 16777216 {
		t.Fatalf("%+v", in)
	}
}

func TestStatusParametersInEveryEncoding(t *testing.T) {
	var logs strings.Builder
	srv := mastodontest.NewTestServer(t, mastodontest.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		mastodontest.WithMediaProcessing(-1))
	srv.MustAccount("herald", "secret-token-xyz")
	c := client(srv, "secret-token-xyz")
	att, err := c.UploadMediaFromMedia(context.Background(), &gomasto.Media{File: strings.NewReader("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), Description: "alt"})
	if err != nil || att.URL == "" {
		t.Fatalf("an upload ready at once: %+v %v", att, err)
	}
	send := func(ct string, body io.Reader) int {
		req, _ := http.NewRequest("POST", srv.URL()+"/api/v1/statuses", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer secret-token-xyz")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("application/json", strings.NewReader(`{"status":"json","media_ids":["`+string(att.ID)+`"],"language":"az","visibility":"unlisted"}`)); code != 200 {
		t.Fatalf("json: %d", code)
	}
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("status", "multipart")
	_ = w.WriteField("spoiler_text", "cw")
	_ = w.Close()
	if code := send(w.FormDataContentType(), &mp); code != 200 {
		t.Fatalf("multipart: %d", code)
	}
	if code := send("application/json", strings.NewReader(`{"status":"x","visibility":"everyone"}`)); code != 422 {
		t.Fatalf("a bad visibility: %d", code)
	}
	sts := srv.Statuses("herald")
	if len(sts) != 2 || sts[0].Language != "az" || sts[0].Visibility != "unlisted" || len(sts[0].MediaIDs) != 1 || sts[1].SpoilerText != "cw" {
		t.Fatalf("%+v", sts)
	}
	if strings.Contains(logs.String(), "secret-token-xyz") || !strings.Contains(logs.String(), "POST /api/v1/statuses") {
		t.Fatalf("the fake's log: %s", logs.String())
	}
}

func TestAuthorizationCodeGrantAndAppCredentials(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", "")
	ctx := context.Background()
	app, err := gomasto.RegisterApp(ctx, &gomasto.AppConfig{Server: srv.URL(), ClientName: "herald", Scopes: "write:statuses read:notifications read:accounts", RedirectURIs: "urn:ietf:wg:oauth:2.0:oob"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.AuthorizationCode(app.ClientID, "herald", "write:statuses read:accounts")
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		Scope       string `json:"scope"`
	}
	postForm(t, srv.URL()+"/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"}}, 200, &tok)
	if tok.Scope != "write:statuses read:accounts" {
		t.Fatalf("scope %q", tok.Scope)
	}
	var e map[string]string
	postForm(t, srv.URL()+"/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}}, 400, &e)
	if e["error"] != "invalid_grant" {
		t.Fatalf("a code used twice: %v", e)
	}
	c := client(srv, tok.AccessToken)
	if acc, err := c.GetAccountCurrentUser(ctx); err != nil || acc.Username != "herald" {
		t.Fatalf("%+v %v", acc, err)
	}
	if _, err := c.GetNotifications(ctx, nil); apiError(t, err).StatusCode != 403 {
		t.Fatal("a scope not granted to the token was allowed")
	}
	req, _ := http.NewRequest("GET", srv.URL()+"/api/v1/apps/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		Name   string   `json:"name"`
		Scopes []string `json:"scopes"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&a)
	if a.Name != "herald" || len(a.Scopes) != 2 || resp.Header.Get("X-RateLimit-Limit") != "300" {
		t.Fatalf("apps/verify_credentials: %+v %v", a, resp.Header)
	}
}

func TestNotificationsPageWithLinkHeaders(t *testing.T) {
	srv := mastodontest.NewTestServer(t)
	srv.MustAccount("herald", "tok")
	srv.MustAccount("reader", "")
	var ids []string
	for i := range 3 {
		st, err := srv.Post(mastodontest.PostInput{Username: "reader", Status: "@herald number " + string(rune('1'+i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, st.ID)
	}
	get := func(q string) ([]map[string]any, string) {
		req, _ := http.NewRequest("GET", srv.URL()+"/api/v1/notifications?"+q, nil)
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out []map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return out, resp.Header.Get("Link")
	}
	page, link := get("types[]=mention&limit=2")
	if len(page) != 2 || !strings.Contains(link, `rel="next"`) || !strings.Contains(link, "types[]=mention") {
		t.Fatalf("first page %d, link %q", len(page), link)
	}
	oldest := page[1]["id"].(string)
	rest, _ := get("types[]=mention&max_id=" + oldest)
	if len(rest) != 1 || rest[0]["status"].(map[string]any)["id"] != ids[0] {
		t.Fatalf("next page %+v", rest)
	}
	newer, _ := get("min_id=" + rest[0]["id"].(string) + "&limit=1")
	if len(newer) != 1 || newer[0]["status"].(map[string]any)["id"] != ids[1] {
		t.Fatalf("min_id gives the ones just after: %+v", newer)
	}
	since, _ := get("since_id=" + rest[0]["id"].(string) + "&limit=1")
	if len(since) != 1 || since[0]["status"].(map[string]any)["id"] != ids[2] {
		t.Fatalf("since_id gives the newest: %+v", since)
	}
	if none, _ := get("types[]=follow"); len(none) != 0 {
		t.Fatalf("types[]=follow: %d", len(none))
	}
}
