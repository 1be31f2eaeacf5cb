package mastodontest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Media is an uploaded attachment as the simulation face shows it.
type Media struct {
	ID          string `json:"id"`
	Account     string `json:"account"`
	Type        string `json:"type"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	Description string `json:"description"`
	StatusID    string `json:"status_id,omitempty"`
}

type media struct {
	Media
	accountID string
	statusID  string
	readyAt   time.Time
}

func (m *media) ready(now time.Time) bool { return !now.Before(m.readyAt) }

// mediaLimits are the instance's configuration.media_attachments: Mastodon 4.3's defaults.
var mediaLimits = map[string]any{
	"supported_mime_types": []string{"image/jpeg", "image/png", "image/gif", "image/heic", "image/heif",
		"image/webp", "image/avif", "video/webm", "video/mp4", "video/quicktime", "video/ogg",
		"audio/wave", "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave", "audio/ogg",
		"audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm", "audio/flac", "audio/aac", "audio/m4a",
		"audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf"},
	"description_limit": 1500, "image_size_limit": imageSizeLimit, "image_matrix_limit": 33177600,
	"video_size_limit": 103809024, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400,
}

const imageSizeLimit = 16777216

// MediaList returns every uploaded attachment, oldest first.
func (s *Server) MediaList() []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Media
	for _, m := range s.media {
		mm := m.Media
		mm.StatusID = m.statusID
		out = append(out, mm)
	}
	sortByID(out, func(m Media) string { return m.ID })
	return out
}

func (c *call) mediaCreate() reply {
	fh := c.files["file"]
	if fh == nil {
		return fail(http.StatusUnprocessableEntity, "Validation failed: File content type is invalid, File can't be blank")
	}
	f, err := fh.Open()
	if err != nil {
		return fail(http.StatusUnprocessableEntity, "Validation failed: File can't be read")
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	ct := http.DetectContentType(head[:n])
	if strings.HasPrefix(ct, "text/") || ct == "application/octet-stream" {
		if d := fh.Header.Get("Content-Type"); d != "" && d != "application/octet-stream" {
			ct = d
		}
	}
	ct, _, _ = strings.Cut(ct, ";")
	kind := ""
	for _, t := range mediaLimits["supported_mime_types"].([]string) {
		if t == ct {
			kind, _, _ = strings.Cut(ct, "/")
		}
	}
	if kind == "" {
		return fail(http.StatusUnprocessableEntity, "Validation failed: File content type is invalid, File file type is not supported")
	}
	if kind == "image" && fh.Size > imageSizeLimit {
		return fail(http.StatusUnprocessableEntity, "Validation failed: File file size must be less than 16 MB")
	}
	desc := c.p.get("description")
	if utf8.RuneCountInString(desc) > 1500 {
		return fail(http.StatusUnprocessableEntity, "Validation failed: Description is too long (maximum is 1500 characters)")
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fail(http.StatusUnprocessableEntity, "Validation failed: File can't be read")
	}
	h := sha256.New()
	size, _ := io.Copy(h, f)
	now := c.s.clock.now()
	m := &media{Media: Media{ID: c.s.newID(), Account: c.acct.Username, Type: kind, ContentType: ct, Size: size,
		SHA256: hex.EncodeToString(h.Sum(nil)), Description: desc}, accountID: c.acct.ID,
		readyAt: now.Add(c.s.mediaProcess)}
	c.s.media[m.ID] = m
	c.stored = true
	rep := ok(c.s.mediaJSON(m))
	if !m.ready(now) && c.r != nil && strings.HasPrefix(c.r.URL.Path, "/api/v2/") {
		rep.status = http.StatusAccepted // v2 answers before processing; v1 waits for it
	}
	if !m.ready(now) && strings.HasPrefix(c.r.URL.Path, "/api/v1/") {
		m.readyAt = now
		rep.body = c.s.mediaJSON(m)
	}
	return rep
}

func (c *call) mediaShow() reply {
	m := c.s.media[c.ids[0]]
	if m == nil || m.accountID != c.acct.ID {
		return fail(http.StatusNotFound, "Record not found")
	}
	rep := ok(c.s.mediaJSON(m))
	if !m.ready(c.s.clock.now()) {
		rep.status = http.StatusPartialContent
	}
	return rep
}

func (c *call) mediaUpdate() reply {
	m := c.s.media[c.ids[0]]
	if m == nil || m.accountID != c.acct.ID {
		return fail(http.StatusNotFound, "Record not found")
	}
	if c.p.has("description") {
		m.Description = c.p.get("description")
	}
	c.stored = true
	return ok(c.s.mediaJSON(m))
}

func (s *Server) mediaJSON(m *media) map[string]any {
	var u, preview any
	if m.ready(s.clock.now()) {
		u = fmt.Sprintf("%s/system/media_attachments/files/%s/original/%s.%s", s.url, m.ID, m.SHA256[:16], ext(m.ContentType))
		preview = fmt.Sprintf("%s/system/media_attachments/files/%s/small/%s.%s", s.url, m.ID, m.SHA256[:16], ext(m.ContentType))
	}
	var desc any
	if m.Description != "" {
		desc = m.Description
	}
	return map[string]any{"id": m.ID, "type": m.Type, "url": u, "preview_url": preview, "remote_url": nil,
		"text_url": nil, "meta": map[string]any{}, "description": desc, "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}"}
}

func ext(ct string) string {
	_, e, _ := strings.Cut(ct, "/")
	if e == "jpeg" {
		return "jpg"
	}
	return e
}
