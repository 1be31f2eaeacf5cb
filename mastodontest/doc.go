// Package mastodontest is an in-process fake of a Mastodon server's REST API,
// faithful enough that a client passing against it can be trusted against a
// real instance. Tests talk to it through a real client library
// (github.com/mattn/go-mastodon) or plain HTTP:
//
//	srv := mastodontest.NewTestServer(t, mastodontest.WithScale(60))
//	herald := srv.MustAccount("herald", "token-1")
//	c := mastodon.NewClient(&mastodon.Config{Server: srv.URL(), AccessToken: "token-1"})
//
// It has two faces, each usable from Go and over HTTP.
//
// # The Mastodon face
//
// Parameters are read from the query string, application/x-www-form-urlencoded,
// multipart/form-data or application/json bodies, arrays as "media_ids[]" or
// JSON arrays, as Rails reads them. Errors are Mastodon's {"error":"..."}
// (OAuth endpoints: {"error":"invalid_grant","error_description":"..."}).
//
//	POST /api/v1/apps                      client_name, redirect_uris, scopes, website
//	GET  /api/v1/apps/verify_credentials   any valid token
//	POST /oauth/token                      grant_type client_credentials | password |
//	                                       authorization_code (codes from POST /fake/codes);
//	                                       scope must be within the app's
//	POST /oauth/revoke                     token, client_id, client_secret
//	POST /api/v1/accounts                  sign-up with an app token (write:accounts):
//	                                       username, email, password, agreement, locale
//	GET  /api/v1/accounts/verify_credentials   read:accounts or profile
//	GET  /api/v1/accounts/:id              public
//	GET  /api/v1/accounts/:id/statuses     public; limit, max_id, since_id, min_id,
//	                                       exclude_replies
//	GET  /api/v2/instance, /api/v1/instance    public; configuration.statuses.max_characters
//	                                       (500 unless WithMaxCharacters),
//	                                       characters_reserved_per_url 23, media limits
//	POST /api/v1/statuses                  write:statuses; status, in_reply_to_id, visibility,
//	                                       language, media_ids[], spoiler_text, sensitive;
//	                                       Idempotency-Key
//	GET  /api/v1/statuses/:id              public statuses without a token
//	PUT  /api/v1/statuses/:id              write:statuses; the author only
//	DELETE /api/v1/statuses/:id            write:statuses; answers the status with its text
//	GET  /api/v1/statuses/:id/source       read:statuses; the author only
//	GET  /api/v1/statuses/:id/context      ancestors and descendants
//	GET  /api/v1/notifications             read:notifications; types[], exclude_types[],
//	                                       max_id, since_id, min_id, limit; Link header
//	POST /api/v2/media, /api/v1/media      write:media; multipart file, description, focus
//	GET  /api/v1/media/:id                 write:media; 206 while processing, then 200
//
// Statuses are validated as Mastodon's StatusLengthValidator does: the text
// plus the content warning may hold max_characters grapheme clusters, a URL
// counting as 23 and a mention @user@domain as @user; over it the answer is
// 422 {"error":"Validation failed: Text character limit of 500 exceeded"}.
// An Idempotency-Key repeated by the same account within an hour (fake time)
// answers the status the first request made, as PostStatusService does with
// its Redis key; after the hour a repeat makes a new status. A status that
// mentions a local account, or replies to one's status, gives that account a
// "mention" notification.
//
// Authentication is Doorkeeper's: a missing, unknown or revoked token gets 401
// {"error":"The access token is invalid"} ("... was revoked" once revoked), a
// token without the scope the action needs 403 {"error":"This action is outside
// the authorized scopes"}, an app token where a user is needed 422 {"error":"This
// method requires an authenticated user"}.
//
// Limits (see Limits) are Mastodon's defaults from its rack-attack setup and
// its RateLimiter, in fixed windows of fake time: 300 requests per 5 minutes
// per account (per address without a token), 30 media uploads and 30 status
// deletions per 30 minutes per account, 300 new statuses per 3 hours. Every
// answer to an authenticated request carries X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (ISO 8601) for the tightest
// window it counted against; past a limit the answer is 429 {"error":"Too many
// requests"} with those headers. With WithScale(f) fake time runs f times
// faster, so windows pass f times sooner.
//
// # The simulation face
//
// In Go: AddAccount, Post (a reader writes or replies), InjectFault,
// SetMaxCharacters, Revoke make things happen; Statuses, Notifications, Calls
// and Stats show what the client did; WaitUntil waits for it without sleeping.
// Over HTTP the same, with the bodies `herald fake-mastodon --help` lists
// (see SimRoutes). Faults (see Fault) answer 5xx, stall, cut the connection
// after the status is stored (the ambiguous case) or answer 429.
//
// Everything is served on loopback. "herald fake-mastodon" runs it as a process.
package mastodontest
