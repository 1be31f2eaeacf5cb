package blueskytest

import (
	"mime"
	"strconv"
	"time"
)

type blob struct {
	owner    string
	mimeType string
	size     int
	data     []byte
	at       time.Time
}

// BlobRef is the reference uploadBlob answers and records embed.
type BlobRef struct {
	Type     string            `json:"$type"`
	Ref      map[string]string `json:"ref"`
	MimeType string            `json:"mimeType"`
	Size     int               `json:"size"`
}

// uploadBlob stores the raw body under its CID (raw codec) with the
// Content-Type the client gave.
func (s *Server) uploadBlob(c *call) (any, *xrpcError) {
	cl, e := s.auth(c, "")
	if e != nil {
		return nil, e
	}
	if len(c.body) > BlobMaxBytes {
		return nil, &xrpcError{Status: 400, Name: "BlobTooLarge", Message: "This file is too large. It is " + strconv.Itoa(len(c.body)) + " but the maximum size is " + strconv.Itoa(BlobMaxBytes) + "."}
	}
	if e := s.consume(c, "blob", cl.did, 1, limit{"upload-blob-day", 24 * time.Hour, BlobsPerDay}); e != nil {
		return nil, e
	}
	mt, _, err := mime.ParseMediaType(c.r.Header.Get("Content-Type"))
	if err != nil || mt == "" || mt == "*/*" {
		mt = "application/octet-stream"
	}
	cid := cidFor(0x55, c.body)
	s.mu.Lock()
	s.blobs[cid] = &blob{owner: cl.did, mimeType: mt, size: len(c.body), data: append([]byte(nil), c.body...), at: s.clock.now()}
	s.touchLocked()
	s.mu.Unlock()
	return map[string]any{"blob": BlobRef{Type: "blob", Ref: map[string]string{"$link": cid}, MimeType: mt, Size: len(c.body)}}, nil
}

// Blob returns an uploaded blob's bytes and type.
func (s *Server) Blob(cid string) ([]byte, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.blobs[cid]
	if b == nil {
		return nil, "", false
	}
	return b.data, b.mimeType, true
}

func itoa(i int) string { return strconv.Itoa(i) }
