package replies

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
)

// Reply is a reader's public reply to one of herald's posts on a network
// other than Telegram, as the network's package read it.
type Reply struct {
	Network   string // herald.NetworkMastodon, herald.NetworkBluesky
	ChannelID int64  // the channel whose account received it
	// InReplyTo is the RemoteID of herald's post the reply is under: the
	// thread's root, for a reply deeper in it.
	InReplyTo string
	ID        string // the reply's own id there (a status id, an at:// URI)
	Author    string // the author's stable id (account id@host, a DID)
	Handle    string // the author's handle, shown to editors
	Name      string // the author's display name
	Language  herald.Language
	Text      string // plain text: markup gone, the mention of herald's account gone
	At        time.Time
}

// Intake keeps readers' replies on other networks as reviews, under the
// rules every review goes through.
type Intake struct {
	Store *store.Store
	Now   func() time.Time // default time.Now
	Log   *slog.Logger     // default: discard
}

// Take keeps r as its reader's review of the article of the post it
// replies to: banned readers are dropped quietly, a new review past the
// rate limit is dropped, one whose words were left on another article is
// marked spam and waits for an editor, otherwise it is approved when the
// channel approves its readers' reviews and pending if not. A reply seen
// again (the same ID: an edit, or read twice) changes the review instead of
// adding one, and a later reply by the same reader on the same article
// changes their review, as on Telegram. A reply longer than the longest
// review herald keeps is kept cut at a word, marked with "…".
//
// It returns the review kept, or nil when the rules dropped it or the
// reply is under no post of herald's or says nothing; an error only when
// the store failed or the reply is malformed.
func (in *Intake) Take(ctx context.Context, r Reply) (*herald.Review, error) {
	if r.Network == "" || r.ID == "" || r.Author == "" || r.InReplyTo == "" {
		return nil, herald.Errorf(herald.EInvalid, "a reply needs its network, id, author and the post it answers")
	}
	log := in.log().With("network", r.Network, "reply", r.ID)
	text := clip(CleanText(r.Text), herald.MaxReviewLen)
	if text == "" {
		return nil, nil
	}
	p, err := in.Store.PostByRemote(ctx, r.Network, r.InReplyTo)
	if herald.ErrorCode(err) == herald.ENotFound {
		return nil, nil // a reply to something else the account posted
	}
	if err != nil {
		return nil, err
	}
	user, err := in.Store.NetworkReader(ctx, r.Network, r.Author, r.Handle)
	if err != nil {
		return nil, err
	}
	// A reply read again is no new review: it does not count against the
	// limit.
	_, err = in.Store.ReviewByRemote(ctx, r.ID)
	seen := err == nil
	if err != nil && herald.ErrorCode(err) != herald.ENotFound {
		return nil, err
	}
	g, err := in.Store.ReviewGate(ctx, user, p.ArticleID, p.ChannelID, in.now().Add(-Window), SpamProbe(text))
	if err != nil {
		return nil, err
	}
	rv := &herald.Review{ArticleID: p.ArticleID, ChannelID: p.ChannelID, UserID: user,
		UserName: oneLine(r.Name), Username: oneLine(r.Handle), Language: r.Language, Text: text,
		Source: herald.ReviewComment, RemoteID: r.ID}
	if !rv.Language.Valid() {
		rv.Language = ""
	}
	switch Decide(g, rv, !seen) {
	case DropQuiet:
		return nil, nil
	case OverLimit:
		log.Info("reply over the rate limit dropped", "user", user, "article", p.ArticleID)
		return nil, nil
	}
	if _, err := in.Store.SaveReview(ctx, rv); err != nil {
		return nil, fmt.Errorf("replies: keep reply %s: %w", r.ID, err)
	}
	log.Info("reply kept as a review", "review", rv.ID, "article", p.ArticleID, "status", rv.Status)
	return rv, nil
}

func (in *Intake) now() time.Time {
	if in.Now == nil {
		return time.Now()
	}
	return in.Now()
}

func (in *Intake) log() *slog.Logger {
	if in.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return in.Log
}

// clip cuts s to at most n characters, at a word when there is one in the
// last fifth, ending in "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n-1]
	cut := string(rs)
	if i := strings.LastIndexAny(cut, " \n\t"); i > len(cut)*4/5 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

// oneLine is a name on one line, without the characters that would let
// it pass for another (see herald.Neutral).
func oneLine(s string) string {
	return strings.Join(strings.Fields(herald.Neutral(s)), " ")
}
