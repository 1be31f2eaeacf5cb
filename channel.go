package herald

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Networks a channel may live on. Telegram's channels are chats the bot
// posts in; Mastodon's and Bluesky's are accounts herald signs in as.
const (
	NetworkTelegram = "telegram"
	NetworkMastodon = "mastodon"
	NetworkBluesky  = "bluesky"
)

// Networks lists every network herald knows, Telegram first.
var Networks = []string{NetworkTelegram, NetworkMastodon, NetworkBluesky}

// ValidNetwork reports whether n is one of Networks.
func ValidNetwork(n string) bool {
	for _, v := range Networks {
		if v == n {
			return true
		}
	}
	return false
}

// Mastodon visibilities a channel may post with.
const (
	VisibilityPublic   = "public"
	VisibilityUnlisted = "unlisted"
)

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
	OnEditRepost       = "repost" // delete and post again: for a network without edits (Bluesky)
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

// Channel is a destination for posts: one Telegram channel (or group), or
// one Mastodon or Bluesky account, with the rules that decide what it takes
// and when.
type Channel struct {
	ID      int64  `json:"id"`
	Network string `json:"network"`
	// Chat is where posts go: on Telegram a numeric id or @username; on
	// the other networks the account's stable id, learned when the channel
	// is added ("<account id>@<instance host>" on Mastodon, the DID on
	// Bluesky). Every send in one Chat waits for the one before it.
	Chat  string `json:"chat"`
	Title string `json:"title"`
	// Endpoint is the account's server: a Mastodon instance's or a
	// Bluesky service's base URL. Empty on Telegram.
	Endpoint string `json:"endpoint,omitempty"`
	// Handle is the account's name: the handle herald signs in with on
	// Bluesky, the acct on Mastodon.
	Handle string `json:"handle,omitempty"`
	// SecretEnv names the environment variable holding the account's
	// secret (a Mastodon access token, a Bluesky app password). The secret
	// itself is never stored.
	SecretEnv string `json:"secret_env,omitempty"`
	// Visibility is a Mastodon channel's: public or unlisted.
	Visibility  string     `json:"visibility,omitempty"`
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
	OnEdit      string     `json:"on_edit"`                // edit | keep | repost
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

// IsTelegram reports whether the channel is a Telegram chat.
func (c *Channel) IsTelegram() bool { return c.Network == NetworkTelegram }

// validateAccount checks where the channel's posts go: a chat on Telegram,
// an account on a server elsewhere.
func (c *Channel) validateAccount() error {
	switch c.Network {
	case NetworkTelegram:
		if !ValidChat(c.Chat) {
			return FieldError("chat", "is %q; want a numeric chat id such as -1001234567890 or an @username", c.Chat)
		}
		return nil
	case NetworkMastodon, NetworkBluesky:
	default:
		return FieldError("network", "is %q; want telegram, mastodon or bluesky", c.Network)
	}
	what := map[string]string{NetworkMastodon: "instance", NetworkBluesky: "service"}[c.Network]
	secret := map[string]string{NetworkMastodon: "token-env", NetworkBluesky: "password-env"}[c.Network]
	if err := ValidEndpoint(c.Endpoint); err != nil {
		return FieldError(what, "%v", err)
	}
	switch {
	case strings.TrimSpace(c.Chat) == "":
		return FieldError("chat", "is empty; herald learns the account's id when it signs in as the channel is added")
	case LooksLikeSecret(c.SecretEnv):
		return FieldError(secret, "looks like the secret itself; give the name of the environment variable holding it, such as HERALD_%s_SECRET", strings.ToUpper(c.Network))
	case !ValidEnvName(c.SecretEnv):
		return FieldError(secret, "is %q; want the name of an environment variable, such as HERALD_%s_SECRET", c.SecretEnv, strings.ToUpper(c.Network))
	case c.Network == NetworkBluesky && strings.TrimSpace(c.Handle) == "":
		return FieldError("handle", "is empty; want the account's handle, such as news.bsky.social")
	case c.Network == NetworkMastodon && c.Visibility != VisibilityPublic && c.Visibility != VisibilityUnlisted:
		return FieldError("visibility", "is %q; want public or unlisted", c.Visibility)
	case c.Network == NetworkBluesky && c.Visibility != "":
		return FieldError("visibility", "is %q; Bluesky posts are public: leave it unset", c.Visibility)
	case c.ReviewLink == ReviewLinkButton:
		return FieldError("review-link", "is button; buttons are Telegram's: want text or off")
	}
	return nil
}

// ValidEndpoint reports what is wrong with s as a server's base URL:
// http or https, a host, nothing after the path.
func ValidEndpoint(s string) error {
	if s == "" {
		return fmt.Errorf("is empty; want the server's address, such as https://mastodon.social")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("is %q; want the server's address, such as https://mastodon.social", s)
	}
	return nil
}

// ValidEnvName reports whether s may name an environment variable:
// letters, digits and underscores, not starting with a digit.
func ValidEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// LooksLikeSecret reports whether s, given where the name of an
// environment variable is asked for, looks like a token or password
// pasted in its place: long, or letters of both cases mixed with digits
// and no underscore, as no one names a variable. Such a value is never
// shown back.
func LooksLikeSecret(s string) bool {
	if len(s) > 48 || strings.ContainsAny(s, "-.:/+=") && len(s) >= 12 {
		return true
	}
	var lower, upper, digit bool
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		}
	}
	return lower && upper && digit && !strings.Contains(s, "_") && len(s) >= 12
}

// MaxChannelTitle is the longest title a channel may have: Telegram's own
// limit for a chat's title, so that every list of channels stays readable.
const MaxChannelTitle = 128

// Validate reports the first thing wrong with c as an EInvalid *Error that
// names the field. Slot specs are checked by the scheduler, which owns the
// cron parser.

func (c *Channel) Validate() error {
	if err := c.validateAccount(); err != nil {
		return err
	}
	switch {
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
	case c.Network == NetworkBluesky && c.OnEdit != OnEditKeep && c.OnEdit != OnEditRepost:
		return FieldError("on-edit", "is %q; Bluesky has no edits: want keep or repost (delete and post again)", c.OnEdit)
	case c.Network != NetworkBluesky && c.OnEdit != OnEditEdit && c.OnEdit != OnEditKeep:
		return FieldError("on-edit", "is %q; want edit or keep", c.OnEdit)
	case c.OnUnpublish != OnUnpublishDelete && c.OnUnpublish != OnUnpublishKeep:
		return FieldError("on-unpublish", "is %q; want delete or keep", c.OnUnpublish)
	case c.Topic != 0 && c.Network != NetworkTelegram:
		return FieldError("topic", "is %d; forum topics are Telegram's", c.Topic)
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
