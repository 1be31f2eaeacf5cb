// Package bluesky posts herald's articles to Bluesky accounts and reads
// readers' replies to them into reviews. It implements scheduler.Network
// with a small XRPC client of its own over net/http (see xrpc.go for why
// not the indigo SDK), against an account's PDS:
//
//   - sessions (session.go): createSession with the channel's app password,
//     read from its variable each time and kept nowhere; refreshSession
//     before the access token's life is three quarters gone and when the
//     PDS says it expired; a new sign-in only when the refresh token is
//     refused, at most once a minute, with a backoff after a refusal, so
//     that herald never loops on createSession;
//   - posts (network.go, record.go, text.go): an app.bsky.feed.post created
//     at the post's SendKey (a TID) as its record key, so that a send whose
//     answer was lost is settled by asking for the key (getRecord) and a
//     repeat can only find or make that one record; text within 300
//     graphemes with link, tag and mention facets over UTF-8 byte ranges; a
//     link card with the article's image as a blob; langs;
//   - corrections: Bluesky has no edits, so an edited article's post is
//     kept or, with on-edit repost, posted anew and the old one deleted; an
//     unpublished one is deleted;
//   - limits: the PDS's record-write points, paced per account, with the
//     RateLimit-* headers and 429s honoured;
//   - replies (watch.go): each account's notifications since the last read
//     (the mark kept in the store) and the threads of recent posts, given
//     to replies.Intake.
//
// Tests run against blueskytest, a fake PDS.
package bluesky
