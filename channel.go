package herald

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Network names a social network a channel lives on. Only Telegram for now.
const NetworkTelegram = "telegram"

// QuietMode says what happens to a post due inside a channel's quiet hours.
type QuietMode string

// Quiet modes.
const (
	QuietSilent QuietMode = "silent" // sent on time, without a notification sound
	QuietHold   QuietMode = "hold"   // held until the quiet window ends
)

// ReviewLink says how a channel's posts carry the "Leave a review" deep link.
type ReviewLink string

// Review link modes. A text link is the default because an inline keyboard
// on a channel post hides the native comments button.
const (
	ReviewLinkText   ReviewLink = "text"
	ReviewLinkButton ReviewLink = "button"
	ReviewLinkOff    ReviewLink = "off"
)

// Policies for a sent post whose article changed or was unpublished.
const (
	OnEditEdit         = "edit"
	OnEditKeep         = "keep"
	OnUnpublishDelete  = "delete"
	OnUnpublishKeep    = "keep"
	DefaultMinGap      = 0
	DefaultChannelZone = "Asia/Baku"
)

// QuietHours is a daily window in the channel's zone, as minutes after
// midnight. Start == End means no quiet hours. A window may wrap midnight
// (22:00-06:00).
type QuietHours struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// IsZero reports whether there are no quiet hours.
func (q QuietHours) IsZero() bool { return q.Start == q.End }

// String renders the window as "HH:MM-HH:MM", or "" when there is none.
func (q QuietHours) String() string {
	if q.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", q.Start/60, q.Start%60, q.End/60, q.End%60)
}

// Contains reports whether the local time t falls inside the window.
func (q QuietHours) Contains(t time.Time) bool {
	if q.IsZero() {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if q.Start < q.End {
		return m >= q.Start && m < q.End
	}
	return m >= q.Start || m < q.End
}

// ParseQuietHours reads "HH:MM-HH:MM". An empty string means no quiet hours.
func ParseQuietHours(s string) (QuietHours, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "off" || s == "none" {
		return QuietHours{}, nil
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok {
		return QuietHours{}, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM, e.g. 00:00-07:00", s)
	}
	a, err1 := parseClock(from)
	b, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return QuietHours{}, fmt.Errorf("quiet hours %q: want HH:MM-HH:MM, e.g. 00:00-07:00", s)
	}
	return QuietHours{Start: a, End: b}, nil
}

func parseClock(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, fmt.Errorf("clock %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("clock %q: want HH:MM", s)
	}
	return hh*60 + mm, nil
}

// Channel is a destination for posts: one Telegram channel (or group) with
// the rules that decide what it takes and when.
type Channel struct {
	ID          int64      `json:"id"`
	Network     string     `json:"network"`
	Chat        string     `json:"chat"` // numeric id or @username
	Title       string     `json:"title"`
	Language    Language   `json:"language"`
	Kinds       []Kind     `json:"kinds"`
	Slots       []string   `json:"slots"`    // cron specs; empty: post as soon as allowed
	Timezone    string     `json:"timezone"` // IANA zone the slots and quiet hours are read in
	MinGap      Duration   `json:"min_gap"`
	DailyCap    int        `json:"daily_cap"` // 0: no cap
	Quiet       QuietHours `json:"-"`
	QuietMode   QuietMode  `json:"quiet_mode"`
	Template    string     `json:"template,omitempty"` // Go text/template; empty: the default
	ReviewLink  ReviewLink `json:"review_link"`
	AutoApprove bool       `json:"auto_approve"`           // reviews from this channel start approved
	ReadersPost string     `json:"readers_post,omitempty"` // cron spec of the "What readers said" roundup; "": none
	OnEdit      string     `json:"on_edit"`                // edit | keep
	OnUnpublish string     `json:"on_unpublish"`           // delete | keep
	Paused      bool       `json:"paused"`
	PauseReason string     `json:"pause_reason,omitempty"`
	// Topic is the forum topic (message_thread_id) of a supergroup with
	// topics that posts go to; 0 for the chat itself.
	Topic int64 `json:"topic,omitempty"`
	// Filters narrow what the channel takes of its kinds and language.
	Filters Filters `json:"filters"`
	// Approval says its posts wait for an approver before they go out;
	// Approvers are who may approve (Telegram user ids), the owners when
	// empty.
	Approval  bool      `json:"approval,omitempty"`
	Approvers []int64   `json:"approvers,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Duration is a time.Duration that reads and writes as "1h30m" in JSON.
type Duration time.Duration

// MarshalText renders the duration as time.Duration.String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText parses a time.ParseDuration string.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// Takes reports whether the channel takes articles of kind k in language l.
func (c *Channel) Takes(k Kind, l Language) bool {
	if c.Language != l {
		return false
	}
	for _, v := range c.Kinds {
		if v == k {
			return true
		}
	}
	return false
}

// Location returns the channel's time zone, falling back to the agency's.
func (c *Channel) Location() *time.Location {
	if c.Timezone != "" {
		if loc, err := time.LoadLocation(c.Timezone); err == nil {
			return loc
		}
	}
	return AgencyZone()
}

// ChatID returns the chat as Telegram takes it: an int64 for a numeric id,
// else the @username string.
func (c *Channel) ChatID() any {
	if n, err := strconv.ParseInt(c.Chat, 10, 64); err == nil {
		return n
	}
	return c.Chat
}

// ValidChat reports whether s is a numeric chat id or an @username of 5 to
// 32 letters, digits and underscores.
func ValidChat(s string) bool {
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s != "0"
	}
	if !strings.HasPrefix(s, "@") || len(s) < 6 || len(s) > 33 {
		return false
	}
	for _, r := range s[1:] {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// MaxChannelTitle is the longest title a channel may have: Telegram's own
// limit for a chat's title, so that every list of channels stays readable.
const MaxChannelTitle = 128

// Validate reports the first thing wrong with c as an EInvalid *Error that
// names the field. Slot specs are checked by the scheduler, which owns the
// cron parser.

func (c *Channel) Validate() error {
	switch {
	case c.Network != NetworkTelegram:
		return FieldError("network", "is %q; only telegram is supported", c.Network)
	case !ValidChat(c.Chat):
		return FieldError("chat", "is %q; want a numeric chat id such as -1001234567890 or an @username", c.Chat)
	case utf8.RuneCountInString(c.Title) > MaxChannelTitle:
		return FieldError("title", "has %d characters; want at most %d, as Telegram allows for a chat's title", utf8.RuneCountInString(c.Title), MaxChannelTitle)
	case !c.Language.Valid():
		return FieldError("lang", "is %q; want one of az, en, ru", c.Language)
	case len(c.Kinds) == 0:
		return FieldError("kinds", "is empty; want a comma-separated list of commentary, episode, news")
	case c.MinGap < 0:
		return FieldError("min-gap", "is negative")
	case c.DailyCap < 0:
		return FieldError("daily-cap", "is negative")
	case c.QuietMode != QuietSilent && c.QuietMode != QuietHold:
		return FieldError("quiet-mode", "is %q; want silent or hold", c.QuietMode)
	case c.ReviewLink != ReviewLinkText && c.ReviewLink != ReviewLinkButton && c.ReviewLink != ReviewLinkOff:
		return FieldError("review-link", "is %q; want text, button or off", c.ReviewLink)
	case c.OnEdit != OnEditEdit && c.OnEdit != OnEditKeep:
		return FieldError("on-edit", "is %q; want edit or keep", c.OnEdit)
	case c.OnUnpublish != OnUnpublishDelete && c.OnUnpublish != OnUnpublishKeep:
		return FieldError("on-unpublish", "is %q; want delete or keep", c.OnUnpublish)
	case c.Topic < 0 || c.Topic > 1<<31:
		return FieldError("topic", "is %d; want a forum topic's id (the number after the chat in its link t.me/c/123/7)", c.Topic)
	}
	if err := c.Filters.Validate(); err != nil {
		return err
	}
	for _, id := range c.Approvers {
		if id <= 0 {
			return FieldError("approvers", "has %d; want Telegram user ids, comma-separated", id)
		}
	}
	for _, k := range c.Kinds {
		if !k.Valid() {
			return FieldError("kinds", "has %q; want commentary, episode or news", k)
		}
	}
	if c.Timezone != "" {
		if _, err := time.LoadLocation(c.Timezone); err != nil {
			return FieldError("timezone", "is %q; want an IANA zone such as Asia/Baku", c.Timezone)
		}
	}
	return nil
}
