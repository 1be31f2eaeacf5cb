package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/herald-news/herald"
)

// Publisher sends posts to one network. The bot package implements it for
// Telegram; tests may use telegramtest behind the real implementation.
//
// Implementations classify their failures with *SendError, because the
// dispatcher must know whether a failed send may have reached the network:
// only what surely did not is retried.
type Publisher interface {
	// Publish sends the post of d and returns the message it created.
	Publish(ctx context.Context, d Delivery) (Receipt, error)
	// Edit brings a sent post in line with its changed article, and
	// returns the receipt of the post as it then stands: r for an edit in
	// place, a new one when the network had to post anew (Bluesky, which
	// has no edits, when the channel reposts).
	Edit(ctx context.Context, d Delivery, r Receipt) (Receipt, error)
	// Delete removes a sent post.
	Delete(ctx context.Context, ch *herald.Channel, r Receipt) error
}

// Delivery is one post to send: the post, its article and its channel.
type Delivery struct {
	Post    *herald.Post
	Article *herald.Article
	Channel *herald.Channel
	// Edit is the editor's text for the post, used instead of the
	// article's title and lead; nil: the article's.
	Edit *herald.PostEdit
	// Link is the short link "Read on the site" goes through (HERALD_LINKS);
	// "": the article's URL.
	Link string
}

// Receipt identifies what a post became on the network.
type Receipt struct {
	MessageID int64   // Telegram's message id
	ExtraIDs  []int64 // follow-up messages, if the post needed more than one
	// RemoteID names the post on a network whose ids are not Telegram's
	// numbers: a Mastodon status id, a Bluesky at:// URI.
	RemoteID string
}

// Network is a network other than Telegram as the dispatcher drives it:
// its Publisher, the pace it keeps per account, and whether it can settle
// a send that may or may not have reached it. A channel's Chat is its
// account there, so that the limits and the one-send-at-a-time order are
// per account.
//
// Before a post's first send to a Network the dispatcher gives it a
// SendKey (a TID), stored and kept for every later attempt: the network's
// Publisher sends it as the request's idempotency key (Mastodon) or as
// the record's key (Bluesky).
type Network interface {
	Publisher
	// Limits are the network's limits per account: PerChat per ChatPer,
	// and a burst of ChatBurst then one per ChatGap. Global is across
	// accounts, 0 for none.
	Limits() Limits
	// CanRepeat reports whether p, whose last send may or may not have
	// reached the network, may be sent again at now with its SendKey
	// without risk of a second copy: the network answers a repeat of the
	// key with what the first made (Mastodon, for as long as it keeps
	// keys), or refuses it as a duplicate that Publish then resolves into
	// the post already there (Bluesky). When it reports false the post
	// becomes unknown, for an editor to settle, as on Telegram.
	CanRepeat(p *herald.Post, now time.Time) bool
}

// Failure classifies a failed send.
type Failure int

// Failures, from the dispatcher's point of view.
const (
	// NotSent: the request surely did not reach the network (connection
	// refused, a 5xx answer). Retried with backoff.
	NotSent Failure = iota + 1
	// RateLimited: the network refused for now (429); retry after RetryAfter.
	RateLimited
	// Permanent: the network refused the post for good (400 chat not found,
	// a post Telegram cannot parse). The post fails and editors are told.
	Permanent
	// Forbidden: the bot may not post in the chat (403: removed, no rights).
	// The post fails and the channel is paused.
	Forbidden
	// Migrated: the group became a supergroup with a new id (MigrateTo);
	// the channel is moved and the post resent.
	Migrated
	// Ambiguous: the request may have reached the network (a timeout after it
	// was written, a dropped connection). Never retried on its own.
	Ambiguous
)

func (f Failure) String() string {
	switch f {
	case NotSent:
		return "not sent"
	case RateLimited:
		return "rate limited"
	case Permanent:
		return "refused"
	case Forbidden:
		return "forbidden"
	case Migrated:
		return "chat migrated"
	case Ambiguous:
		return "ambiguous"
	}
	return "unknown failure"
}

// SendError is a classified failure of a Publisher.
type SendError struct {
	Failure    Failure
	RetryAfter time.Duration // RateLimited
	MigrateTo  int64         // Migrated
	Err        error
}

func (e *SendError) Error() string {
	msg := e.Failure.String()
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Failure == RateLimited {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

func (e *SendError) Unwrap() error { return e.Err }

// classify returns the *SendError in err's chain, treating anything else as
// ambiguous: an error the publisher could not explain may hide a message
// that went out, and a post must never go out twice.
func classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Failure: Ambiguous, Err: err}
}

// Event is something editors must hear about.
type Event struct {
	Kind    EventKind
	Post    *herald.Post    // nil for channel and poller events
	Article *herald.Article // nil when unknown
	Channel *herald.Channel // nil for poller events
	Reason  string
}

// EventKind says what happened.
type EventKind string

// Events.
const (
	EventPostFailed    EventKind = "post_failed"
	EventPostUnknown   EventKind = "post_unknown"
	EventChannelPaused EventKind = "channel_paused"
	EventPollerStalled EventKind = "poller_stalled"
	EventArticleHeld   EventKind = "article_held" // not planned on its own: an editor schedules it
)

// Notifier tells the people in charge (owners and editors) about events.
// Notify must not block for long; failures are the notifier's to log.
type Notifier interface {
	Notify(ctx context.Context, ev Event)
}

// NotifierFunc adapts a function to Notifier.
type NotifierFunc func(ctx context.Context, ev Event)

// Notify calls f.
func (f NotifierFunc) Notify(ctx context.Context, ev Event) { f(ctx, ev) }

// Message is what d's post says, for a network that writes it as plain
// text (herald.Compose), with the short link herald's clicks go through
// in place of the article's address when HERALD_LINKS is set, and with an
// editor's text (d.Edit) in place of the headline and lead: as on
// Telegram, the post keeps its link and hashtags after it.
func (d Delivery) Message(now time.Time) herald.Message {
	purpose := d.Post.Purpose
	if purpose == "" {
		purpose = herald.PurposePublish
	}
	m := herald.Compose(d.Article, d.Channel, purpose, now)
	if d.Link != "" && m.URL != "" {
		m.URL = d.Link
	}
	if d.Edit != nil && strings.TrimSpace(d.Edit.Text) != "" {
		m.Episode, m.Title, m.Lead = "", herald.PlainFromHTML(d.Edit.Text), ""
	}
	return m
}
