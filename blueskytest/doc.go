// Package blueskytest is an in-process fake of a Bluesky PDS (Personal Data
// Server) with the AppView methods herald reads, faithful enough that a
// client passing against it can be trusted against bsky.social. Tests talk
// to it over XRPC, as the bluesky package does:
//
//	srv := blueskytest.NewTestServer(t, blueskytest.WithAccount("herald.test", "pw"), blueskytest.WithScale(60))
//	// srv.URL() is the service endpoint: POST srv.URL()+"/xrpc/com.atproto.server.createSession"
//
// It has two faces, each usable from Go and over HTTP.
//
// # The XRPC face
//
// /xrpc/<NSID>: queries by GET with parameters in the query string,
// procedures by POST with a JSON body (uploadBlob: the raw bytes). Answers
// are the lexicons' output objects; errors are {"error":Name,"message":...}
// with the reference PDS's names and statuses: InvalidRequest (400),
// AuthMissing (401, no bearer), AuthenticationRequired (401, "Invalid
// identifier or password"), ExpiredToken (400, "Token has expired"; "Token
// has been revoked" for a refresh token no longer valid), InvalidToken (400,
// "Token could not be verified", "Bad token scope"), RecordNotFound (400),
// NotFound (400, a thread's post), RateLimitExceeded (429, "Rate Limit
// Exceeded"), MethodNotImplemented (501), InternalServerError (500,
// "Internal Server Error", no details).
//
// Methods: com.atproto.server.describeServer (availableUserDomains
// [".test"]), createAccount, createSession (identifier: handle, email or
// DID; password: the account's or an app password), refreshSession (the
// refresh JWT as bearer; rotates it, the old one valid for RefreshGrace),
// getSession, deleteSession, createAppPassword (xxxx-xxxx-xxxx-xxxx; not
// from an app-password session), listAppPasswords, revokeAppPassword;
// com.atproto.repo.createRecord, putRecord, deleteRecord (a no-op when the
// record is not there), getRecord, listRecords (newest key first; both
// without authentication, as on a PDS), describeRepo, uploadBlob;
// com.atproto.identity.resolveHandle; app.bsky.feed.getPostThread (replies
// nested as threadViewPost, parents up to parentHeight), getPosts;
// app.bsky.actor.getProfile; app.bsky.notification.listNotifications
// ("reply" to the parent's and the root's authors, "mention" to those a
// facet names; newest first, cursor to older), updateSeen.
//
// Sessions are HS256 JWTs (access scope com.atproto.access, or
// com.atproto.appPass when made with an app password; refresh scope
// com.atproto.refresh) that expire: AccessLifetime and RefreshLifetime in
// fake time. Their exp (like RateLimit-Reset) is on the client's clock, so a
// client reading it with time.Now is right under any scale.
//
// Records are validated as the PDS does with validate left on: the record
// key (a TID for app.bsky.feed.post), $type, and app.bsky.feed.post's text
// (at most 300 graphemes and 3000 UTF-8 bytes), createdAt, langs (at most
// 3), facets (link, mention, tag), reply refs, and the link card and image
// embeds (a blob uploaded by the poster, image/*, at most 1,000,000 bytes).
// Stricter than the PDS, a facet whose byte range is empty, past the text's
// end or cuts a character is refused, so that a wrong offset shows. A
// createRecord at a key already taken answers a bare 500
// InternalServerError, as the reference PDS does (its repo throws "There is
// already a value at key", which its XRPC server does not name): a client
// settles that with getRecord. CIDs have the real shape (CIDv1, base32,
// sha2-256, dag-cbor or raw) but hash JSON rather than DAG-CBOR.
//
// Limits (in fake time; see the constants) are the reference PDS's: record
// writes in points per account, 5000 an hour and 35000 a day (create 3,
// update 2, delete 1); createSession 30 per 5 minutes and 300 a day per
// identifier; 3000 calls per 5 minutes per address; 1000 blob uploads a day.
// Every limited call answers RateLimit-Limit, RateLimit-Remaining,
// RateLimit-Reset (unix seconds) and RateLimit-Policy ("5000;w=3600") for
// the limit nearest to running out. A 429 that a fault forces (RetryAfter)
// holds the caller's record writes until its reset, as spent points do.
// Stats counts every 429 served and, as Early, the calls that came before
// the reset of a 429 already served for the same limit. With WithScale(f)
// time runs f times faster.
//
// # The simulation face
//
// In Go: AddAccount, SetDisplayName, Post, Reply, RevokeAppPasswords,
// ExpireSessions, SetTakendown and InjectFault make things happen; Records,
// Blob, Accounts, Calls and Stats show what the client did; WaitUntil waits
// for it without sleeping. Over HTTP, the routes in SimRoutes.
//
// Everything the fake serves is on loopback. "herald fake-bluesky" runs it
// as a process.
package blueskytest
