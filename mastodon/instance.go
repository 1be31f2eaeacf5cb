package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	gomasto "github.com/mattn/go-mastodon"
	"github.com/rivo/uniseg"
)

// instance is what herald reads of an instance's /api/v2/instance.
type instance struct {
	Domain          string
	Version         string
	MaxCharacters   int
	URLLength       int
	MaxMedia        int
	ImageSizeLimit  int64
	DescriptionMax  int
	SupportedImages []string
	read            time.Time
}

// instanceTTL is how long what an instance says of its limits is trusted.
const instanceTTL = time.Hour

// defaultInstance is Mastodon's defaults, used when an instance does not say.
func defaultInstance() *instance {
	return &instance{MaxCharacters: 500, URLLength: 23, MaxMedia: 4, ImageSizeLimit: 16 << 20, DescriptionMax: 1500,
		SupportedImages: []string{"image/jpeg", "image/png", "image/gif", "image/webp"}}
}

// instanceOf returns the channel's instance's limits, read at most once an
// hour. go-mastodon reads only the v1 instance, so this one request is
// herald's own, through the same transport.
func (n *Network) instanceOf(ctx context.Context, c *gomasto.Client, endpoint string) (*instance, error) {
	n.mu.Lock()
	in := n.instances[endpoint]
	n.mu.Unlock()
	if in != nil && n.cfg.Now().Sub(in.read) < instanceTTL {
		return in, nil
	}
	var raw struct {
		Domain        string `json:"domain"`
		Version       string `json:"version"`
		Configuration struct {
			Statuses struct {
				MaxCharacters int `json:"max_characters"`
				MaxMedia      int `json:"max_media_attachments"`
				URLLength     int `json:"characters_reserved_per_url"`
			} `json:"statuses"`
			Media struct {
				Types          []string `json:"supported_mime_types"`
				ImageSizeLimit int64    `json:"image_size_limit"`
				Description    int      `json:"description_limit"`
			} `json:"media_attachments"`
		} `json:"configuration"`
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpoint, "/")+"/api/v2/instance", nil)
	if err != nil {
		return nil, fmt.Errorf("mastodon: instance: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.UserAgent)
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mastodon: read the instance %s: %w", endpoint, redactErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		// An instance older than Mastodon 4 (or another server speaking its
		// API) has no v2 instance: Mastodon's defaults, asked again later.
		n.cfg.Log.Warn("mastodon: the instance has no /api/v2/instance; assuming 500 characters, a link 23", "instance", endpoint)
		in = defaultInstance()
		in.read = n.cfg.Now().Add(-instanceTTL + 10*time.Minute)
		n.mu.Lock()
		n.instances[endpoint] = in
		n.mu.Unlock()
		return in, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mastodon: read the instance %s: GET /api/v2/instance answered %s", endpoint, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&raw); err != nil {
		return nil, fmt.Errorf("mastodon: read the instance %s: %w", endpoint, err)
	}
	in = defaultInstance()
	in.Domain, in.Version, in.read = raw.Domain, raw.Version, n.cfg.Now()
	st, md := raw.Configuration.Statuses, raw.Configuration.Media
	if st.MaxCharacters > 0 {
		in.MaxCharacters = st.MaxCharacters
	}
	if st.URLLength > 0 {
		in.URLLength = st.URLLength
	}
	if st.MaxMedia > 0 {
		in.MaxMedia = st.MaxMedia
	}
	if md.ImageSizeLimit > 0 {
		in.ImageSizeLimit = md.ImageSizeLimit
	}
	if md.Description > 0 {
		in.DescriptionMax = md.Description
	}
	if len(md.Types) > 0 {
		in.SupportedImages = nil
		for _, t := range md.Types {
			if strings.HasPrefix(t, "image/") {
				in.SupportedImages = append(in.SupportedImages, t)
			}
		}
	}
	n.mu.Lock()
	n.instances[endpoint] = in
	n.mu.Unlock()
	return in, nil
}

// urlRE finds URLs as Mastodon counts them: with a protocol, without the
// punctuation that ends a sentence.
var urlRE = regexp.MustCompile(`https?://[^\s<>"]*[^\s<>".,:;!?'")\]]`)

var mentionRE = regexp.MustCompile(`(^|[^\w/@])@([A-Za-z0-9_]+(?:[A-Za-z0-9_.-]+[A-Za-z0-9_]+)?)(?:@[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])?`)

// Measure counts text as an instance's StatusLengthValidator does:
// grapheme clusters, a URL as urlLength (23 on Mastodon), a mention
// @user@domain as @user.
func Measure(text string, urlLength int) int { return measure(text, urlLength) }

func measure(text string, urlLength int) int {
	t := urlRE.ReplaceAllString(text, strings.Repeat("x", urlLength))
	t = mentionRE.ReplaceAllString(t, "$1@$2")
	return graphemes(t)
}

// graphemes counts the extended grapheme clusters of s (Unicode's UAX
// #29, as Mastodon counts a status's characters).
func graphemes(s string) int { return uniseg.GraphemeClusterCount(s) }
