package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// jsonPage is the JSON shape Parse reads; unknown fields are ignored.
type jsonPage struct {
	Title       string          `json:"title"`
	Lead        string          `json:"lead"`
	Body        string          `json:"body"`
	Kind        string          `json:"kind"`
	Language    string          `json:"language"`
	Lang        string          `json:"lang"`
	Program     string          `json:"program"`
	People      json.RawMessage `json:"people"`
	URL         string          `json:"url"`
	ImageURL    string          `json:"image_url"`
	VideoURL    string          `json:"video_url"`
	PublishedAt string          `json:"published_at"`
	AirAt       string          `json:"air_at"`
	Source      string          `json:"source"`
	ExternalID  string          `json:"external_id"`
	GUID        string          `json:"guid"`
	Status      string          `json:"status"`
	Breaking    bool            `json:"breaking"`
}

// parseJSON reads one JSON object. The body is HTML when it has tags, else
// text with paragraphs separated by blank lines. It fails on bad JSON with
// the byte offset, and on a field of the wrong type or value with its name.
func parseJSON(data []byte) (Page, error) {
	var j jsonPage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&j); err != nil {
		return Page{}, jsonError(err, int64(len(data)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return Page{}, invalid("bad JSON at byte %d: more data after the object", dec.InputOffset())
	}
	var p Page
	if htmlTag.MatchString(strings.ToLower(j.Body)) {
		var err error
		if p, err = parseHTML([]byte(j.Body)); err != nil {
			return Page{}, invalid("body: %v", err)
		}
		p.Title = ""
	} else {
		// Paragraphs are separated by blank lines; a block of single lines
		// is split as a text page's is.
		for _, b := range strings.Split(strings.ReplaceAll(j.Body, "\r\n", "\n"), "\n\n") {
			p.Paragraphs = append(p.Paragraphs, splitBlock(b)...)
		}
	}
	p.Title, p.Lead = j.Title, j.Lead
	p.Program, p.Source, p.ExternalID, p.GUID = j.Program, j.Source, j.ExternalID, j.GUID
	p.URL, p.ImageURL, p.VideoURL = first(j.URL, p.URL), first(j.ImageURL, p.ImageURL), first(j.VideoURL, p.VideoURL)
	p.Breaking = j.Breaking
	fields := []struct{ key, value string }{
		{"kind", j.Kind}, {"language", first(j.Language, j.Lang)}, {"published_at", j.PublishedAt},
		{"air_at", j.AirAt}, {"status", j.Status},
	}
	for _, f := range fields {
		if f.value != "" {
			if err := setMeta(&p, f.key, f.value); err != nil {
				return Page{}, err
			}
		}
	}
	if len(j.People) > 0 && string(j.People) != "null" {
		var list []string
		var one string
		switch {
		case json.Unmarshal(j.People, &list) == nil:
			p.People = list
		case json.Unmarshal(j.People, &one) == nil:
			p.People = strings.Split(one, ",")
		default:
			return Page{}, invalid("people: want a list of names or one comma-separated string")
		}
	}
	return p, nil
}

// jsonError says where JSON went wrong, as a byte offset.
func jsonError(err error, offset int64) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return invalid("bad JSON at byte %d: %v", syntax.Offset, err)
	case errors.As(err, &typ) && typ.Field == "":
		return invalid("bad JSON at byte %d: want one object, got %s", typ.Offset, typ.Value)
	case errors.As(err, &typ):
		return invalid("bad JSON at byte %d: field %q should be %s, not %s", typ.Offset, typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return invalid("bad JSON at byte %d: the object is cut short", offset)
	}
	return invalid("bad JSON at byte %d: %v", offset, err)
}
