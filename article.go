package herald

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// ArticleStatus tells whether an article is live on the agency's site.
type ArticleStatus string

// Article statuses.
const (
	ArticlePublished   ArticleStatus = "published"
	ArticleUnpublished ArticleStatus = "unpublished"
)

// Article is one piece of the agency's output: a commentary, a show episode
// or a news item, in one language. (Source, ExternalID) identifies it across
// imports; ID is the store's own number.
type Article struct {
	ID          int64      `json:"id"`
	Source      string     `json:"source"`
	ExternalID  string     `json:"external_id"`
	Kind        Kind       `json:"kind"`
	Language    Language   `json:"language"`
	Title       string     `json:"title"`
	Lead        string     `json:"lead"`
	Body        string     `json:"body"` // paragraphs separated by one blank line
	Program     string     `json:"program"`
	People      []string   `json:"people"`
	URL         string     `json:"url"`
	ImageURL    string     `json:"image_url"`
	VideoURL    string     `json:"video_url"`
	Place       string     `json:"place,omitempty"` // from the dateline, e.g. "Bakı"
	Breaking    bool       `json:"breaking,omitempty"`
	PublishedAt time.Time  `json:"published_at"` // zero on input: when herald first saw it
	AirAt       *time.Time `json:"air_at"`       // episodes: when the show airs
	// NeedsEditor says why herald holds the article for an editor instead
	// of planning it on its own (an episode whose air day the page does
	// not tell), as a reason code (HeldReason); "" when it may go out on
	// its own.
	NeedsEditor string        `json:"needs_editor,omitempty"`
	ContentHash string        `json:"content_hash"`
	Status      ArticleStatus `json:"status"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// Limits on article fields, so that one bad page cannot fill the store.
const (
	MaxTitleLen  = 500     // characters
	MaxSourceLen = 200     // characters
	MaxBodyBytes = 5 << 20 // the largest page herald takes in
)

// Paragraphs returns the body split into its paragraphs.
func (a *Article) Paragraphs() []string {
	var out []string
	for _, p := range strings.Split(a.Body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Hash returns the content hash of the article: a SHA-256 over the cleaned
// title, lead and body. Metadata changes (a new image, a fixed kind) do not
// change it; a changed word does.
func (a *Article) Hash() string {
	h := sha256.New()
	h.Write([]byte(a.Title))
	h.Write([]byte{0})
	h.Write([]byte(a.Lead))
	h.Write([]byte{0})
	h.Write([]byte(a.Body))
	return hex.EncodeToString(h.Sum(nil))
}

// Validate reports the first thing wrong with a, as an EInvalid *Error that
// names the field.
func (a *Article) Validate() error {
	switch {
	case strings.TrimSpace(a.Source) == "":
		return FieldError("source", "is empty")
	case utf8.RuneCountInString(a.Source) > MaxSourceLen:
		return FieldError("source", "is longer than %d characters", MaxSourceLen)
	case strings.TrimSpace(a.ExternalID) == "":
		return FieldError("external_id", "is empty")
	case !a.Kind.Valid():
		return FieldError("kind", "is %q; want one of commentary, episode, news", a.Kind)
	case !a.Language.Valid():
		return FieldError("language", "is %q; want one of az, en, ru", a.Language)
	case strings.TrimSpace(a.Title) == "":
		return FieldError("title", "is empty: the page has no heading or first line")
	case utf8.RuneCountInString(a.Title) > MaxTitleLen:
		return FieldError("title", "is longer than %d characters", MaxTitleLen)
	case len(a.Body)+len(a.Lead) > MaxBodyBytes:
		return FieldError("body", "is larger than %d MB", MaxBodyBytes>>20)
	case a.Status != ArticlePublished && a.Status != ArticleUnpublished:
		return FieldError("status", "is %q; want published or unpublished", a.Status)
	}
	for _, s := range []string{a.Title, a.Lead, a.Body} {
		if !utf8.ValidString(s) {
			return FieldError("body", "is not valid UTF-8")
		}
	}
	return nil
}
