package bluesky

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // article images come as JPEG or PNG
	"io"
	"net/http"
	"strings"
	"time"

	"golang.org/x/image/draw"

	"github.com/herald-news/herald"
)

// Image limits: what herald fetches, and what Bluesky takes as a link
// card's thumb (app.bsky.embed.external's thumb, 1,000,000 bytes).
const (
	imageFetchMax = 10 << 20
	thumbMax      = 1_000_000
	thumbWidth    = 1200 // a card's image is shown at most this wide
)

// draftOf fits the network-neutral message into Bluesky's parts.
func draftOf(m herald.Message) draft {
	return draft{Episode: m.Episode, Title: m.Title, Lead: m.Lead, URL: m.URL, Tags: m.Hashtags, Lang: string(m.Language)}
}

// record builds the app.bsky.feed.post for m: text within 300 graphemes
// with its facets, langs, createdAt, and a link card with the article's
// image as its thumb when it has one (a card without the image when the
// image cannot be had: the post matters more than its picture).
func (n *Network) record(ctx context.Context, a account, m herald.Message) map[string]any {
	text, facets := render(draftOf(m))
	rec := map[string]any{
		"$type":     postCollection,
		"text":      text,
		"createdAt": n.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
	}
	if m.Language != "" {
		rec["langs"] = []string{string(m.Language)}
	}
	var fs []any
	for _, f := range facets {
		var feat map[string]string
		switch f.Kind {
		case "link":
			feat = map[string]string{"$type": "app.bsky.richtext.facet#link", "uri": f.Value}
		case "tag":
			feat = map[string]string{"$type": "app.bsky.richtext.facet#tag", "tag": f.Value}
		case "mention":
			did, ok := n.resolve(ctx, a, f.Value)
			if !ok {
				continue // not an account: the text stays as written
			}
			feat = map[string]string{"$type": "app.bsky.richtext.facet#mention", "did": did}
		}
		fs = append(fs, map[string]any{"index": map[string]int{"byteStart": f.Start, "byteEnd": f.End}, "features": []any{feat}})
	}
	if len(fs) > 0 {
		rec["facets"] = fs
	}
	if m.URL != "" {
		ext := map[string]any{"uri": m.URL, "title": m.Title, "description": trimTo(m.Lead, 300)}
		if m.ImageURL != "" {
			if blob, err := n.thumb(ctx, a, m.ImageURL); err != nil {
				n.log.Warn("bluesky: the link card goes without its image", "image", m.ImageURL, "err", err)
			} else {
				ext["thumb"] = blob
			}
		}
		rec["embed"] = map[string]any{"$type": "app.bsky.embed.external", "external": ext}
	}
	return rec
}

// resolve finds the DID of a handle mentioned in the text.
func (n *Network) resolve(ctx context.Context, a account, handle string) (string, bool) {
	var out struct {
		DID string `json:"did"`
	}
	_, err := n.c.x.do(ctx, request{base: a.endpoint, nsid: "com.atproto.identity.resolveHandle", params: map[string][]string{"handle": {handle}}}, &out)
	return out.DID, err == nil && strings.HasPrefix(out.DID, "did:")
}

// thumb fetches the article's image, makes it small enough for a card
// when it is not, and uploads it as a blob.
func (n *Network) thumb(ctx context.Context, a account, imageURL string) (map[string]any, error) {
	fctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(fctx, http.MethodGet, imageURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "herald (+https://github.com/herald-news/herald)")
	resp, err := n.c.web.Do(req)
	if err != nil {
		return nil, cleanErr(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetching the image: HTTP %d", resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, imageFetchMax+1))
	if err != nil {
		return nil, fmt.Errorf("fetching the image: %w", err)
	}
	if len(data) > imageFetchMax {
		return nil, fmt.Errorf("the image is over %d bytes", imageFetchMax)
	}
	mt := http.DetectContentType(data)
	if !strings.HasPrefix(mt, "image/") {
		return nil, fmt.Errorf("the address gives %s, not an image", mt)
	}
	if len(data) > thumbMax {
		if data, err = shrink(data); err != nil {
			return nil, err
		}
		mt = "image/jpeg"
	}
	var out struct {
		Blob map[string]any `json:"blob"`
	}
	if _, err := n.c.authed(ctx, a, request{base: a.endpoint, nsid: "com.atproto.repo.uploadBlob", post: true, raw: data, rawTyp: mt}, &out); err != nil {
		return nil, err
	}
	if out.Blob == nil {
		return nil, fmt.Errorf("uploadBlob answered no blob")
	}
	return out.Blob, nil
}

// shrink re-encodes an image as a JPEG at most thumbWidth wide and under
// thumbMax bytes.
func shrink(data []byte) ([]byte, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image is too large for a card and cannot be read to shrink it: %w", err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > thumbWidth {
		w, h = thumbWidth, h*thumbWidth/w
	}
	for _, q := range []int{85, 70, 55} {
		dst := image.NewRGBA(image.Rect(0, 0, w, h))
		if w == b.Dx() {
			draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
		} else {
			draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, dst, &jpeg.Options{Quality: q}); err != nil {
			return nil, err
		}
		if buf.Len() <= thumbMax {
			return buf.Bytes(), nil
		}
		w, h = w*3/4, h*3/4
	}
	return nil, fmt.Errorf("the image stays over %d bytes even made smaller", thumbMax)
}
