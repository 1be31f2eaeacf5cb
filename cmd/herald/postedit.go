package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/herald-news/herald"
)

// readPostEdit reads herald post edit's text file and image (a file or an
// http(s) URL) into an edit of post id. The text is Telegram HTML; it is
// checked against the network's rules when it is saved.
func readPostEdit(e *env, id int64, textFile, image string) (*herald.PostEdit, error) {
	if textFile == "" {
		return nil, fmt.Errorf("give the new text with --text-file FILE (- reads it from standard input)")
	}
	var b []byte
	var err error
	if textFile == "-" {
		b, err = io.ReadAll(io.LimitReader(e.stdin, 1<<20))
	} else {
		b, err = os.ReadFile(textFile)
	}
	if err != nil {
		return nil, fmt.Errorf("--text-file: %w", err)
	}
	if len(b) >= 1<<20 {
		return nil, fmt.Errorf("--text-file %s: larger than 1 MB; a post is at most 4096 characters", textFile)
	}
	ed := &herald.PostEdit{PostID: id, Text: strings.TrimSpace(string(b))}
	if ed.Text == "" {
		return nil, fmt.Errorf("--text-file %s is empty; write the post's new text in it", textFile)
	}
	switch {
	case image == "":
	case strings.HasPrefix(image, "http://") || strings.HasPrefix(image, "https://"):
		ed.Image = image
	default:
		data, err := os.ReadFile(image)
		if err != nil {
			return nil, fmt.Errorf("--image: %w", err)
		}
		if len(data) > herald.MaxImageBytes {
			return nil, fmt.Errorf("--image %s is %d MB; Telegram takes photos up to %d MB", image, len(data)>>20, herald.MaxImageBytes>>20)
		}
		switch ct := http.DetectContentType(data); ct {
		case "image/jpeg", "image/png", "image/webp", "image/gif":
		default:
			return nil, fmt.Errorf("--image %s is %s; want a JPEG, PNG, WebP or GIF photo", image, ct)
		}
		ed.ImageData, ed.ImageName = data, filepath.Base(image)
	}
	return ed, nil
}
