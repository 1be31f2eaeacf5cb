package telegramtest

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // uploads may be GIF, JPEG or PNG
	_ "image/jpeg"
	_ "image/png"
	"strings"

	"github.com/go-telegram/bot/models"
)

// photoLocked reads sendPhoto's photo: an uploaded file (the part "photo",
// or the part an "attach://name" names), an http(s) URL, or a file_id the
// fake gave out before. Uploads must be images; each gets a file_id.
func (s *Server) photoLocked(p params) ([]models.PhotoSize, *apiError) {
	f, ok := p.files["photo"]
	if ref := p.str("photo"); !ok && strings.HasPrefix(ref, "attach://") {
		f, ok = p.files[strings.TrimPrefix(ref, "attach://")]
	}
	if ok {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(f.data))
		if err != nil {
			return nil, badRequest("IMAGE_PROCESS_FAILED")
		}
		return s.newPhotoLocked(cfg.Width, cfg.Height, len(f.data)), nil
	}
	ref := p.str("photo")
	switch {
	case ref == "":
		return nil, badRequest("there is no photo in the request")
	case strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://"):
		// The fake does not fetch the URL; it stands in an 800x600 photo.
		if full, ok := s.files["url:"+ref]; ok {
			return s.sizesLocked(full), nil
		}
		sizes := s.newPhotoLocked(800, 600, 50000)
		s.files["url:"+ref] = sizes[len(sizes)-1]
		return sizes, nil
	}
	full, ok := s.files[ref]
	if !ok {
		return nil, badRequest("wrong file identifier/HTTP URL specified")
	}
	return s.sizesLocked(full), nil
}

// newPhotoLocked registers a photo of the size and returns its sizes.
func (s *Server) newPhotoLocked(w, h, bytes int) []models.PhotoSize {
	n := len(s.files) + 1
	full := models.PhotoSize{
		FileID:       fmt.Sprintf("AgACAgIAAxkBAAI%06d", n),
		FileUniqueID: fmt.Sprintf("AQAD%06d", n),
		Width:        w, Height: h, FileSize: bytes,
	}
	s.files[full.FileID] = full
	return s.sizesLocked(full)
}

// sizesLocked is a photo's sizes as Telegram lists them: a thumbnail no
// larger than 90 pixels, then the photo itself.
func (s *Server) sizesLocked(full models.PhotoSize) []models.PhotoSize {
	scale := 90.0 / float64(max(full.Width, full.Height, 1))
	if scale >= 1 {
		return []models.PhotoSize{full}
	}
	thumb := models.PhotoSize{
		FileID:       full.FileID + "_s",
		FileUniqueID: full.FileUniqueID + "_s",
		Width:        max(1, int(float64(full.Width)*scale)),
		Height:       max(1, int(float64(full.Height)*scale)),
		FileSize:     max(1, full.FileSize/20),
	}
	return []models.PhotoSize{thumb, full}
}
