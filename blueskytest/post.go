package blueskytest

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// The limits of app.bsky.feed.post and the embeds herald uses, from the
// lexicons.
const (
	PostMaxGraphemes = 300
	PostMaxBytes     = 3000
	ImageMaxBytes    = 1_000_000 // a thumb or an image embedded in a post
	BlobMaxBytes     = 5 << 20   // what uploadBlob takes (the PDS's default)
)

var langRE = regexp.MustCompile(`^[a-zA-Z]{2,8}(-[a-zA-Z0-9]{1,8})*$`)

func postInvalid(format string, args ...any) *xrpcError {
	return invalidRequest("", "Invalid app.bsky.feed.post record: "+format, args...)
}

// validatePost checks a post as the lexicon does, and the facets' byte
// ranges against the text. The PDS leaves ranges to the AppView (which
// ignores a facet that does not fit); the fake refuses them, so that a wrong
// offset shows in tests.
func (s *Server) validatePost(did string, rec map[string]any) *xrpcError {
	text, ok := rec["text"].(string)
	if _, has := rec["text"]; !has || !ok {
		return postInvalid(`Record must have the property "text"`)
	}
	if len(text) > PostMaxBytes {
		return postInvalid("Record/text must not be longer than %d characters", PostMaxBytes)
	}
	if uniseg.GraphemeClusterCount(text) > PostMaxGraphemes {
		return postInvalid("Record/text must not be longer than %d graphemes", PostMaxGraphemes)
	}
	ca, ok := rec["createdAt"].(string)
	if !ok {
		return postInvalid(`Record must have the property "createdAt"`)
	}
	if _, err := time.Parse(time.RFC3339Nano, ca); err != nil {
		return postInvalid("Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)")
	}
	if v, has := rec["langs"]; has {
		langs, ok := v.([]any)
		if !ok || len(langs) > 3 {
			return postInvalid("Record/langs must be an array of at most 3 items")
		}
		for _, l := range langs {
			ls, ok := l.(string)
			if !ok || !langRE.MatchString(ls) {
				return postInvalid("Record/langs must be valid BCP-47 language tags")
			}
		}
	}
	if v, has := rec["facets"]; has {
		if e := checkFacets(text, v); e != nil {
			return e
		}
	}
	if v, has := rec["reply"]; has {
		rp, _ := v.(map[string]any)
		for _, k := range []string{"root", "parent"} {
			ref, _ := rp[k].(map[string]any)
			uri, _ := ref["uri"].(string)
			cid, _ := ref["cid"].(string)
			if _, _, _, err := parseURI(uri); err != nil || cid == "" {
				return postInvalid("Record/reply/%s must be a strong ref {uri, cid}", k)
			}
		}
	}
	if v, has := rec["embed"]; has {
		if e := s.checkEmbed(did, v); e != nil {
			return e
		}
	}
	return nil
}

func checkFacets(text string, v any) *xrpcError {
	facets, ok := v.([]any)
	if !ok {
		return postInvalid("Record/facets must be an array")
	}
	for i, f := range facets {
		fm, _ := f.(map[string]any)
		idx, _ := fm["index"].(map[string]any)
		start, ok1 := idx["byteStart"].(float64)
		end, ok2 := idx["byteEnd"].(float64)
		if !ok1 || !ok2 || start != float64(int(start)) || end != float64(int(end)) || start < 0 || end < 0 {
			return postInvalid("Record/facets/%d/index must have integer byteStart and byteEnd, at least 0", i)
		}
		bs, be := int(start), int(end)
		if bs >= be || be > len(text) || !utf8.RuneStart(text[bs]) || (be < len(text) && !utf8.RuneStart(text[be])) {
			return postInvalid("Record/facets/%d/index [%d, %d) does not cut whole characters out of the text's %d UTF-8 bytes", i, bs, be, len(text))
		}
		feats, _ := fm["features"].([]any)
		if len(feats) == 0 {
			return postInvalid(`Record/facets/%d must have the property "features"`, i)
		}
		for j, ft := range feats {
			fe, _ := ft.(map[string]any)
			switch fe["$type"] {
			case "app.bsky.richtext.facet#link":
				u, _ := fe["uri"].(string)
				if !strings.Contains(u, ":") {
					return postInvalid("Record/facets/%d/features/%d/uri must be a uri", i, j)
				}
			case "app.bsky.richtext.facet#mention":
				d, _ := fe["did"].(string)
				if !strings.HasPrefix(d, "did:") {
					return postInvalid("Record/facets/%d/features/%d/did must be a did", i, j)
				}
			case "app.bsky.richtext.facet#tag":
				t, _ := fe["tag"].(string)
				if t == "" || len(t) > 640 || uniseg.GraphemeClusterCount(t) > 64 {
					return postInvalid("Record/facets/%d/features/%d/tag must be 1 to 64 graphemes", i, j)
				}
			default:
				// Open unions take unknown types; one without a $type is refused.
				if _, ok := fe["$type"].(string); !ok {
					return postInvalid("Record/facets/%d/features/%d must be an object which includes the \"$type\" property", i, j)
				}
			}
		}
	}
	return nil
}

// checkEmbed checks the embeds herald sends: a link card with an optional
// thumb, and images; blobs must have been uploaded by the poster.
func (s *Server) checkEmbed(did string, v any) *xrpcError {
	em, _ := v.(map[string]any)
	switch em["$type"] {
	case "app.bsky.embed.external":
		ext, _ := em["external"].(map[string]any)
		u, _ := ext["uri"].(string)
		_, ht := ext["title"].(string)
		_, hd := ext["description"].(string)
		if !strings.Contains(u, ":") || !ht || !hd {
			return postInvalid(`Record/embed/external must have the properties "uri", "title" and "description"`)
		}
		if th, has := ext["thumb"]; has {
			return s.checkBlob(did, th, "Record/embed/external/thumb")
		}
	case "app.bsky.embed.images":
		imgs, _ := em["images"].([]any)
		if len(imgs) == 0 || len(imgs) > 4 {
			return postInvalid("Record/embed/images must have 1 to 4 items")
		}
		for i, im := range imgs {
			m, _ := im.(map[string]any)
			if _, ok := m["alt"].(string); !ok {
				return postInvalid(`Record/embed/images/%d must have the property "alt"`, i)
			}
			if e := s.checkBlob(did, m["image"], "Record/embed/images/"+itoa(i)+"/image"); e != nil {
				return e
			}
		}
	case nil:
		return postInvalid(`Record/embed must be an object which includes the "$type" property`)
	}
	return nil
}

func (s *Server) checkBlob(did string, v any, path string) *xrpcError {
	b, _ := v.(map[string]any)
	ref, _ := b["ref"].(map[string]any)
	link, _ := ref["$link"].(string)
	mt, _ := b["mimeType"].(string)
	size, _ := b["size"].(float64)
	if b["$type"] != "blob" || link == "" {
		return postInvalid("%s should be a blob ref", path)
	}
	if !strings.HasPrefix(mt, "image/") {
		return postInvalid("%s mimeType (%s) not accepted. Valid mime types: image/*", path, mt)
	}
	if size > ImageMaxBytes {
		return postInvalid("%s file too large (%d bytes). Maximum allowed size is %d bytes", path, int(size), ImageMaxBytes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	bl := s.blobs[link]
	if bl == nil || bl.owner != did {
		return invalidRequest("BlobNotFound", "Could not find blob: %s", link)
	}
	if bl.size != int(size) || bl.mimeType != mt {
		return invalidRequest("", "Referenced Mimetype does not match stored blob. Expected: %s, Got: %s", bl.mimeType, mt)
	}
	return nil
}
