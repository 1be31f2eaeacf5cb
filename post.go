package herald

import (
	"fmt"
	"time"
)

// Purpose is why a post exists: an article gets at most one post per
// channel per purpose.
type Purpose string

// Post purposes.
const (
	PurposePublish  Purpose = "publish"  // the article itself
	PurposeAnnounce Purpose = "announce" // an episode, some time before air
	PurposeLive     Purpose = "live"     // an episode, at air time
)

// PostState is where a post is in its life. See the diagram in
// ARCHITECTURE.md:
//
//	awaiting_approval -> planned | scheduled   (approved)
//	planned -> scheduled -> sending -> sent -> (edited | deleted)
//	               ^          |  \
//	               +-- retry -+   -> unknown | failed
//	cancelled (any state before sending; an editor may schedule it again;
//	           a rejected post awaiting approval)
type PostState string

// Post states.
const (
	// PostAwaiting: planned on a channel that requires approval; it keeps
	// its slot but is never sent until an approver approves it.
	PostAwaiting  PostState = "awaiting_approval"
	PostPlanned   PostState = "planned"   // placed in a slot by the planner; it may move it
	PostScheduled PostState = "scheduled" // pinned to a time (by an editor, or for a retry)
	PostSending   PostState = "sending"   // claimed by a dispatcher, under a lease
	PostSent      PostState = "sent"
	PostEdited    PostState = "edited"  // sent, then corrected in place
	PostDeleted   PostState = "deleted" // sent, then removed after the article was unpublished
	PostUnknown   PostState = "unknown" // the send may or may not have reached Telegram
	PostFailed    PostState = "failed"  // a permanent error; editors were told
	PostCancelled PostState = "cancelled"
)

// PostStates lists every state, in the order of a post's life.
var PostStates = []PostState{PostAwaiting, PostPlanned, PostScheduled, PostSending, PostSent, PostEdited,
	PostDeleted, PostUnknown, PostFailed, PostCancelled}

// Valid reports whether s is one of PostStates.
func (s PostState) Valid() bool {
	for _, v := range PostStates {
		if s == v {
			return true
		}
	}
	return false
}

// Pending reports whether a post in state s is still waiting to be sent.
func (s PostState) Pending() bool { return s == PostPlanned || s == PostScheduled }

// Delivered reports whether a post in state s reached its channel.
func (s PostState) Delivered() bool { return s == PostSent || s == PostEdited || s == PostDeleted }

var transitions = map[PostState][]PostState{
	// Approved: to its slot (or now); rejected: cancelled; moved by an
	// editor who is not an approver: still awaiting, at its new time.
	PostAwaiting:  {PostAwaiting, PostPlanned, PostScheduled, PostCancelled},
	PostPlanned:   {PostPlanned, PostScheduled, PostSending, PostCancelled, PostAwaiting},
	PostScheduled: {PostPlanned, PostScheduled, PostSending, PostCancelled, PostAwaiting},
	// Only the dispatcher that claimed a post settles it (store.MarkSent and
	// friends); no one may move a post while it is being sent.
	PostSending:   {},
	PostSent:      {PostEdited, PostDeleted},
	PostEdited:    {PostEdited, PostDeleted},
	PostUnknown:   {PostSent, PostScheduled, PostCancelled},
	PostFailed:    {PostScheduled, PostCancelled, PostAwaiting},
	PostCancelled: {PostScheduled, PostAwaiting}, // an editor changed their mind: it never went out
}

// CanTransition reports whether a post may go from state from to state to.
// Editors settle unknown posts (it was sent; send again), retry or cancel
// failed ones and may schedule a cancelled one again; nothing leaves
// deleted, and nothing goes back to before sent once a post went out.
func CanTransition(from, to PostState) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Post is one article on one channel for one purpose.
type Post struct {
	ID            int64      `json:"id"`
	ArticleID     int64      `json:"article_id"`
	ChannelID     int64      `json:"channel_id"`
	Purpose       Purpose    `json:"purpose"`
	State         PostState  `json:"state"`
	ScheduledAt   time.Time  `json:"scheduled_at"`
	Silent        bool       `json:"silent"` // sent without notification (quiet hours)
	Attempts      int        `json:"attempts"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	LeaseUntil    *time.Time `json:"lease_until,omitempty"`
	LastError     string     `json:"last_error"`
	MessageID     int64      `json:"message_id"` // the remote message id once sent
	// RemoteID is what the post became on a network whose ids are not
	// Telegram's numbers: a Mastodon status id, a Bluesky at:// URI.
	RemoteID string `json:"remote_id,omitempty"`
	// SendKey is made and stored before the post's first send to such a
	// network and kept for every later attempt, so that a repeat of an
	// ambiguous send is recognised as the same post: Mastodon's
	// Idempotency-Key, Bluesky's record key. A TID (see TID).
	SendKey     string     `json:"send_key,omitempty"`
	SendKeyAt   *time.Time `json:"send_key_at,omitempty"`
	SentAt      *time.Time `json:"sent_at"`
	SentHash    string     `json:"sent_hash,omitempty"` // the article's content hash when sent or last edited
	ScheduledBy string     `json:"scheduled_by"`        // "auto", or "editor:<telegram user id>"
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// ScheduledByAuto marks a post the planner placed on its own.
const ScheduledByAuto = "auto"

// ScheduledByEditor returns the ScheduledBy value for an editor's action.
func ScheduledByEditor(userID int64) string { return fmt.Sprintf("editor:%d", userID) }
