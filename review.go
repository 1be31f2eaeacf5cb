package herald

import (
	"time"
	"unicode/utf8"
)

// ReviewSource says where a review came from.
type ReviewSource string

// Review sources.
const (
	ReviewDM      ReviewSource = "dm"      // the deep-link conversation with the bot
	ReviewComment ReviewSource = "comment" // a reply in the channel's discussion group
)

// ReviewStatus is where a review is in moderation.
type ReviewStatus string

// Review statuses.
const (
	ReviewPending  ReviewStatus = "pending"
	ReviewApproved ReviewStatus = "approved"
	ReviewRejected ReviewStatus = "rejected"
)

// Review is a reader's rating and comment on an article. A reader has at
// most one review per article; a second one updates the first.
type Review struct {
	ID        int64        `json:"id"`
	ArticleID int64        `json:"article_id"`
	ChannelID int64        `json:"channel_id,omitempty"` // where the reader came from, when known
	UserID    int64        `json:"user_id"`
	UserName  string       `json:"user_name"`
	Username  string       `json:"username,omitempty"`
	Language  Language     `json:"language,omitempty"`
	Rating    int          `json:"rating"` // 1..5; 0 when none was given
	Text      string       `json:"text"`
	Source    ReviewSource `json:"source"`
	Status    ReviewStatus `json:"status"`
	Spam      bool         `json:"spam,omitempty"` // the same text on other articles
	ChatID    int64        `json:"-"`              // comments: the discussion group
	MessageID int64        `json:"-"`              // comments: the comment
	// RemoteID is the reply's id on the network it was written on
	// (Mastodon, Bluesky), for a review kept from such a reply.
	RemoteID  string    `json:"remote_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MaxReviewLen is the longest review text herald keeps, in characters.
const MaxReviewLen = 2000

// Validate reports the first thing wrong with r.
func (r *Review) Validate() error {
	switch {
	case r.ArticleID <= 0:
		return FieldError("article_id", "is missing")
	case r.UserID == 0:
		return FieldError("user_id", "is missing")
	case r.Rating < 0 || r.Rating > 5:
		return FieldError("rating", "is %d; want 1 to 5", r.Rating)
	case utf8.RuneCountInString(r.Text) > MaxReviewLen:
		return FieldError("text", "is longer than %d characters", MaxReviewLen)
	case r.Source != ReviewDM && r.Source != ReviewComment:
		return FieldError("source", "is %q; want dm or comment", r.Source)
	case r.Status != ReviewPending && r.Status != ReviewApproved && r.Status != ReviewRejected:
		return FieldError("status", "is %q; want pending, approved or rejected", r.Status)
	}
	return nil
}

// Role is what an editor may do.
type Role string

// Roles. Owners come from configuration and may add and remove editors.
const (
	RoleOwner  Role = "owner"
	RoleEditor Role = "editor"
)

// Editor is a Telegram user allowed to steer herald.
type Editor struct {
	UserID   int64     `json:"user_id"`
	Name     string    `json:"name"`
	Role     Role      `json:"role"`
	Language Language  `json:"language"` // the language Telegram last reported for them
	AddedBy  int64     `json:"added_by"`
	AddedAt  time.Time `json:"added_at"`
}

// AuditEntry records who did what to which post, and when. PostID is 0 for
// actions that concern no post.
type AuditEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	UserID int64     `json:"user_id"`
	Action string    `json:"action"`
	PostID int64     `json:"post_id"`
	Detail string    `json:"detail"`
	// Count is how many times it happened in the entry's window (refusals
	// are counted, not listed), LastAt when it last did; 1 and At for
	// everything else.
	Count  int       `json:"count"`
	LastAt time.Time `json:"last_at"`
}
