package bot

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
)

// An edited post says the editor's text instead of the article's title and
// lead, and still carries the links its channel adds: "Read on the site"
// (herald's short link when HERALD_LINKS is set), the review link as the
// channel shows it, and the program's hashtag.
const editedTemplate = `{{.Lead}}
{{if .Recording}}{{with .VideoURL}}
<a href="{{.}}">{{$.Labels.WatchRecording}}</a>{{end}}{{end}}{{with .URL}}
<a href="{{.}}">{{$.Labels.ReadOn}}</a>{{end}}{{with .ReviewURL}}
<a href="{{.}}">{{$.Labels.LeaveReview}}</a>{{end}}{{with .Hashtag}}

{{.}}{{end}}`

var editedTmpl = mustTemplate(editedTemplate)

func mustTemplate(src string) *template.Template {
	t, err := parseTemplate(src)
	if err != nil {
		panic(err)
	}
	return t
}

// renderEdited renders the editor's text e of a post with the links its
// channel adds. It fails, in words an editor can act on, when the text is
// not valid Telegram HTML or the post does not fit Telegram's limits: 1024
// characters under a photo, 4096 in a message. It never cuts an editor's
// text.
func renderEdited(a *herald.Article, ch *herald.Channel, purpose herald.Purpose, e *herald.PostEdit, opts RenderOptions) (*Post, error) {
	if _, blank, err := scanHTML(e.Text); err != nil {
		return nil, herald.FieldError("text", "is not valid Telegram HTML: %v; use <b>, <i>, <u>, <s>, <a href=\"…\">, <code>, <pre>, <blockquote>, <tg-spoiler> and write < > & as &lt; &gt; &amp;", err)
	} else if blank {
		return nil, herald.FieldError("text", "is empty; write the post's new text")
	}
	r, button := newRenderer(editedTmpl, a, ch, purpose, opts)
	d := r.data
	d.Lead = strings.TrimSpace(e.Text)
	var b strings.Builder
	if err := execute(editedTmpl, &b, &d); err != nil {
		return nil, templateError(err)
	}
	text := strings.TrimSpace(blankLinesRE.ReplaceAllString(b.String(), "\n\n"))
	n, _, err := scanHTML(text)
	if err != nil {
		return nil, fmt.Errorf("edited post is not valid Telegram HTML: %w", err)
	}
	p := &Post{Text: text, Button: button}
	switch {
	case len(e.ImageData) > 0:
		p.PhotoData, p.PhotoName = e.ImageData, e.ImageName
	case strings.HasPrefix(e.Image, "tg:"):
		p.Photo = strings.TrimPrefix(e.Image, "tg:")
	case e.Image != "":
		if p.Photo = httpURL(e.Image); p.Photo == "" {
			return nil, herald.FieldError("image", "is %q; want an http(s) URL of a photo, or a photo file", e.Image)
		}
	}
	if p.Photo != "" || p.PhotoData != nil {
		if n > MaxCaptionLen {
			return nil, herald.FieldError("text", "with its links is %d characters; under a photo Telegram allows %d: shorten it by %d, or drop the image", n, MaxCaptionLen, n-MaxCaptionLen)
		}
		return p, nil
	}
	image := httpURL(a.ImageURL)
	if image != "" && n <= MaxCaptionLen {
		p.Photo = image
		return p, nil
	}
	p.Preview = preview(image)
	if n > MaxTextLen {
		return nil, herald.FieldError("text", "with its links is %d characters; Telegram allows %d in a message: shorten it by %d", n, MaxTextLen, n-MaxTextLen)
	}
	return p, nil
}

// CheckEdit checks an editor's text (and image) for a post before it is
// saved, as Telegram will take it: valid Telegram HTML, within the
// message's or the caption's limit with the links the channel adds. It is
// the scheduler.EditChecker for Telegram channels.
func CheckEdit(a *herald.Article, ch *herald.Channel, p *herald.Post, e *herald.PostEdit) error {
	if ch.Network != herald.NetworkTelegram {
		// Each network checks its own limits; until its package offers a
		// check, refusing is safer than saving a post it would refuse.
		return herald.Errorf(herald.EInvalid, "posts on %s cannot be edited yet: herald has no check of that network's limits", ch.Network)
	}
	_, err := renderEdited(a, ch, p.Purpose, e, RenderOptions{BotUsername: "herald_check_bot"})
	return err
}

// threadOf is the message_thread_id of a channel's sends: its forum topic.
func threadOf(ch *herald.Channel) int { return int(ch.Topic) }

// photoInput is the photo of a post as the Bot API takes it: an upload,
// else a URL or a file_id.
func photoInput(p *Post) models.InputFile {
	if p.PhotoData != nil {
		name := p.PhotoName
		if name == "" {
			name = "photo.jpg"
		}
		return &models.InputFileUpload{Filename: name, Data: bytes.NewReader(p.PhotoData)}
	}
	return &models.InputFileString{Data: p.Photo}
}
