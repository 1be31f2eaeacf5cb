package herald

import (
	"crypto/rand"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Accepts reports whether the channel takes article a: its kind and
// language, then its filters.
func (c *Channel) Accepts(a *Article) bool {
	return c.Takes(a.Kind, a.Language) && c.Filters.Match(a).Taken
}

// MayApprove reports whether the Telegram user id may approve the
// channel's posts: a named approver, or, when none is named, an owner.
func (c *Channel) MayApprove(id int64, owner bool) bool {
	if len(c.Approvers) == 0 {
		return owner
	}
	return slices.Contains(c.Approvers, id)
}

// Destination names the chat and, for a forum topic, the topic: "-100123"
// or "-100123/7".
func (c *Channel) Destination() string {
	if c.Topic == 0 {
		return c.Chat
	}
	return c.Chat + "/" + strconv.FormatInt(c.Topic, 10)
}

var topicLinkRE = regexp.MustCompile(`^(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me)/(?:c/(\d+)|([A-Za-z][A-Za-z0-9_]{3,31}))/(\d+)/?$`)

// ParseDestination reads what an editor gives as a channel's chat: a chat id
// (-1001234567890), an @username, or a forum topic's link as Telegram
// copies it: t.me/c/123/7 (a private supergroup: chat -100123, topic 7) or
// t.me/username/7 (a public one). topic is 0 for a chat without one. A
// chat id with "/N" after it ("-100123/7") is read as chat and topic too.
func ParseDestination(s string) (chat string, topic int64, err error) {
	s = strings.TrimSpace(s)
	if m := topicLinkRE.FindStringSubmatch(s); m != nil {
		topic, _ = strconv.ParseInt(m[3], 10, 64)
		if m[1] != "" {
			chat = "-100" + m[1]
		} else {
			chat = "@" + m[2]
		}
		if topic <= 0 || topic > 1<<31 {
			return "", 0, FieldError("chat", "link %q: the topic %s is not a topic id", s, m[3])
		}
		return chat, topic, nil
	}
	if c, t, ok := strings.Cut(s, "/"); ok && ValidChat(c) {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n <= 0 || n > 1<<31 {
			return "", 0, FieldError("chat", "is %q; after the chat, want the forum topic's number, as in -1001234567890/7", s)
		}
		return c, n, nil
	}
	if strings.Contains(s, "t.me/") {
		return "", 0, FieldError("chat", "link %q: want a forum topic's link such as https://t.me/c/1234567890/7 or t.me/username/7", s)
	}
	return s, 0, nil
}

// PostEdit is the text (and image) an editor wrote for a post before it
// went out: the post says it instead of the article's title and lead, with
// the links the channel adds.
type PostEdit struct {
	PostID int64
	Text   string // Telegram HTML, checked before it was saved
	// Image is an http(s) URL or "tg:<file_id>" of a photo sent to the bot;
	// ImageData an uploaded file (ImageName its name). All empty: the
	// article's own image.
	Image       string
	ImageData   []byte
	ImageName   string
	ArticleHash string // the article's content hash when the edit was made
	// Stale says the article changed since: editors were asked whether to
	// keep the edit, and the edit stays until they answer.
	Stale    bool
	EditedBy int64 // Telegram user id, 0 for the command line
	EditedAt time.Time
}

// MaxImageBytes is the largest photo herald uploads: Telegram's limit for
// a photo sent by a bot.
const MaxImageBytes = 10 << 20

// Link codes are what herald's own "Read on the site" links end in.
const (
	linkAlphabet = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	LinkCodeLen  = 10 // about 58 bits: not found by trying
)

// NewLinkCode returns a fresh random link code.
func NewLinkCode() string {
	b := make([]byte, LinkCodeLen)
	rand.Read(b) // never fails (crypto/rand)
	for i, v := range b {
		// 56 letters: the bias of v % 56 over 256 values is negligible here.
		b[i] = linkAlphabet[int(v)%len(linkAlphabet)]
	}
	return string(b)
}

// ValidLinkCode reports whether s has the shape of a link code, so that
// other paths are not looked up.
func ValidLinkCode(s string) bool {
	if len(s) != LinkCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(linkAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

// WithUTM returns the article's URL with the campaign parameters of a post
// on channel ch: utm_source the network, utm_medium "social", utm_campaign
// the channel (its title as a slug, else its id). Parameters the URL has
// already are kept, as the newsroom's own.
func WithUTM(raw string, ch *Channel) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return raw
	}
	q := u.Query()
	set := func(k, v string) {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	set("utm_source", ch.Network)
	set("utm_medium", "social")
	set("utm_campaign", CampaignOf(ch))
	u.RawQuery = q.Encode()
	return u.String()
}

// CampaignOf names a channel in utm_campaign: its title, folded to a slug
// ("Difficult Question" -> "difficult-question"), or "channel-<id>".
func CampaignOf(ch *Channel) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(ch.Title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'а' && r <= 'я' || r == 'й' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 || strings.HasPrefix(ch.Title, "-100") || strings.HasPrefix(ch.Title, "@") {
		return "channel-" + strconv.FormatInt(ch.ID, 10)
	}
	return b.String()
}

// botAgents are fragments of the User-Agent of link-preview fetchers and
// crawlers, lower-cased: their fetches of a link are not readers' clicks.
var botAgents = []string{"bot", "crawler", "spider", "preview", "facebookexternalhit", "facebot",
	"whatsapp", "slack", "discord", "telegram", "skypeuripreview", "embedly", "curl/", "wget/",
	"python-requests", "go-http-client", "headlesschrome", "lighthouse", "vkshare", "pinterest", "bingpreview",
	// The fediverse's servers fetch every link in a post they receive for
	// its card: Mastodon (http.rb/… (Mastodon/4.2; …)), Bluesky's card
	// service, Pleroma, Akkoma, Misskey, Friendica.
	"mastodon/", "http.rb/", "cardyb", "pleroma", "akkoma", "misskey", "friendica"}

// IsBotAgent reports whether a request with this User-Agent is a bot's or a
// link preview's rather than a reader's: an empty one, or one naming a
// crawler (TelegramBot, Twitterbot, facebookexternalhit, Slackbot,
// Discordbot, WhatsApp...).
func IsBotAgent(ua string) bool {
	ua = strings.ToLower(strings.TrimSpace(ua))
	if ua == "" {
		return true
	}
	for _, b := range botAgents {
		if strings.Contains(ua, b) {
			return true
		}
	}
	return false
}

// Editable reports whether a post in state s may still have its text
// changed: it has not gone out and is not going out now.
func (s PostState) Editable() bool {
	switch s {
	case PostAwaiting, PostPlanned, PostScheduled, PostFailed, PostCancelled:
		return true
	}
	return false
}

// KindName names a kind of article in lang ("xəbər", "новости").
func KindName(lang Language, k Kind) string {
	if n, ok := kindNames[lang][k]; ok {
		return n
	}
	return string(k)
}
