package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	gomasto "github.com/mattn/go-mastodon"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
)

// text is the status herald posts for d: herald.Compose's message fitted
// into the instance's max_characters as it counts them.
func (n *Network) text(d scheduler.Delivery, in *instance) (herald.Message, string) {
	m := d.Message(n.cfg.Now())
	s := herald.PlainText(m, in.MaxCharacters, func(s string) int { return measure(s, in.URLLength) })
	return m, s
}

func visibility(ch *herald.Channel) string {
	if ch.Visibility == herald.VisibilityUnlisted {
		return herald.VisibilityUnlisted
	}
	return herald.VisibilityPublic
}

// Publish posts d's status, with its image when the article has one, under
// the post's SendKey as Idempotency-Key: a repeat of a send whose answer was
// lost answers the status the first one made.
func (n *Network) Publish(ctx context.Context, d scheduler.Delivery) (scheduler.Receipt, error) {
	c, err := n.client(d.Channel)
	if err != nil {
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.Forbidden, Err: err}
	}
	in, err := n.instanceOf(ctx, c, d.Channel.Endpoint)
	if err != nil {
		var se *scheduler.SendError
		if errors.As(n.sendError("instance", err), &se) && se.Failure != scheduler.NotSent {
			return scheduler.Receipt{}, se
		}
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.NotSent, Err: err}
	}
	m, text := n.text(d, in)
	if d.Post.SendKey == "" {
		// The dispatcher makes the key before the first send; without one a
		// lost answer could not be settled by asking again.
		return scheduler.Receipt{}, &scheduler.SendError{Failure: scheduler.Permanent, Err: errors.New("mastodon: post has no send key")}
	}
	toot := &gomasto.Toot{Status: text, Visibility: visibility(d.Channel), Language: string(m.Language)}
	if m.ImageURL != "" {
		id, err := n.uploadImage(ctx, c, d, m, in)
		if err != nil {
			var se *scheduler.SendError
			if errors.As(err, &se) && se.Failure == scheduler.Forbidden {
				return scheduler.Receipt{}, se
			}
			// An image that cannot be had does not hold the news back:
			// not even past the media limit (30 uploads per 30 minutes),
			// which would hold the account's queue for up to half an hour.
			n.cfg.Log.Warn("mastodon: posting without the article's image", "channel", d.Channel.ID, "post", d.Post.ID, "err", err)
		} else if id != "" {
			toot.MediaIDs = []gomasto.ID{gomasto.ID(id)}
		}
	}
	st, err := c.PostStatus(withKey(ctx, d.Post.SendKey), toot)
	if err != nil {
		return scheduler.Receipt{}, n.sendError("post", err)
	}
	n.mu.Lock()
	delete(n.media, d.Post.SendKey)
	n.mu.Unlock()
	return receipt(st), nil
}

func receipt(st *gomasto.Status) scheduler.Receipt {
	r := scheduler.Receipt{RemoteID: string(st.ID)}
	if id, err := strconv.ParseInt(string(st.ID), 10, 64); err == nil {
		r.MessageID = id
	}
	return r
}

// Edit rewrites the status for the article as it is now (PUT
// /api/v1/statuses/:id). An edit replaces the status whole, so the image
// it carries is named again (read from the status first) to stay.
func (n *Network) Edit(ctx context.Context, d scheduler.Delivery, r scheduler.Receipt) (scheduler.Receipt, error) {
	if r.RemoteID == "" {
		return r, &scheduler.SendError{Failure: scheduler.Permanent, Err: errors.New("mastodon: edit: the post has no status id")}
	}
	c, err := n.client(d.Channel)
	if err != nil {
		return r, &scheduler.SendError{Failure: scheduler.Forbidden, Err: err}
	}
	in, err := n.instanceOf(ctx, c, d.Channel.Endpoint)
	if err != nil {
		return r, n.sendError("edit", err)
	}
	m, text := n.text(d, in)
	st, err := c.GetStatus(ctx, gomasto.ID(r.RemoteID))
	if err != nil {
		return r, n.sendError("edit", err)
	}
	toot := &gomasto.Toot{Status: text, Language: string(m.Language), Sensitive: st.Sensitive, SpoilerText: st.SpoilerText}
	for _, a := range st.MediaAttachments {
		toot.MediaIDs = append(toot.MediaIDs, a.ID)
	}
	if _, err := c.UpdateStatus(ctx, toot, gomasto.ID(r.RemoteID)); err != nil {
		return r, n.sendError("edit", err)
	}
	return r, nil
}

// Delete deletes the status; one already gone is deleted.
func (n *Network) Delete(ctx context.Context, ch *herald.Channel, r scheduler.Receipt) error {
	if r.RemoteID == "" {
		return nil
	}
	c, err := n.client(ch)
	if err != nil {
		return &scheduler.SendError{Failure: scheduler.Forbidden, Err: err}
	}
	if err := c.DeleteStatus(ctx, gomasto.ID(r.RemoteID)); err != nil {
		var ae *gomasto.APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
			return nil
		}
		return n.sendError("delete", err)
	}
	return nil
}

// maxImageWait bounds how long an upload may stay in processing, in the
// instance's time.
const maxImageWait = 2 * time.Minute

// uploadImage fetches the article's image and uploads it with its alt text
// (POST /api/v2/media), waiting while the instance processes it. The id is
// kept per SendKey, so that a repeated send does not upload it again.
func (n *Network) uploadImage(ctx context.Context, c *gomasto.Client, d scheduler.Delivery, m herald.Message, in *instance) (string, error) {
	n.mu.Lock()
	id := n.media[d.Post.SendKey]
	n.mu.Unlock()
	if id != "" {
		return id, nil
	}
	body, err := n.fetchImage(ctx, m.ImageURL, in)
	if err != nil {
		return "", err
	}
	alt := m.ImageAlt
	if r := []rune(alt); len(r) > in.DescriptionMax {
		alt = string(r[:in.DescriptionMax-1]) + "…"
	}
	att, err := c.UploadMediaFromMedia(ctx, &gomasto.Media{File: bytes.NewReader(body), Description: alt})
	if err != nil {
		return "", n.sendError("media", err)
	}
	// 202 with no url: the instance is still processing it, and a status
	// naming it now would be refused; GET /api/v1/media/:id answers 206
	// until it is done.
	wait := 250 * time.Millisecond
	deadline := time.Now().Add(time.Duration(float64(maxImageWait) / n.cfg.Scale))
	for ready := att.URL != ""; !ready; {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("mastodon: the instance did not finish processing the image within %s", maxImageWait)
		}
		t := time.NewTimer(time.Duration(float64(wait) / n.cfg.Scale))
		select {
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		case <-t.C:
		}
		wait = min(wait*2, 5*time.Second)
		err := c.GetMediaStatus(ctx, att)
		var ae *gomasto.APIError
		switch {
		case err == nil:
			ready = true
		case errors.As(err, &ae) && ae.StatusCode == http.StatusPartialContent:
		default:
			return "", n.sendError("media", err)
		}
	}
	n.mu.Lock()
	n.media[d.Post.SendKey] = string(att.ID)
	n.mu.Unlock()
	return string(att.ID), nil
}

// fetchImage reads the article's image, within the instance's size limit.
func (n *Network) fetchImage(ctx context.Context, u string, in *instance) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("mastodon: image %s: %w", u, err)
	}
	req.Header.Set("User-Agent", "herald (+https://github.com/herald-news/herald)")
	resp, err := n.cfg.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mastodon: image: %w", redactErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("mastodon: image %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, in.ImageSizeLimit+1))
	if err != nil {
		return nil, fmt.Errorf("mastodon: image %s: %w", u, err)
	}
	if int64(len(body)) > in.ImageSizeLimit {
		return nil, fmt.Errorf("mastodon: image %s is over the instance's %d bytes", u, in.ImageSizeLimit)
	}
	ct := http.DetectContentType(body)
	if !slices.Contains(in.SupportedImages, ct) {
		return nil, fmt.Errorf("mastodon: image %s is %s, which the instance does not take", u, ct)
	}
	return body, nil
}

// Text is the status d would post, fitted to the instance's limits as
// Publish fits it, for previews (the web desk). It asks the instance for
// its limits when they are not known yet, for two seconds at most; an
// instance that did not answer is not asked again for a minute, and its
// post is fitted to Mastodon's default limits meanwhile, so that a page
// of previews never waits on an instance that is down.
func (n *Network) Text(ctx context.Context, d scheduler.Delivery) (string, error) {
	c, err := n.client(d.Channel)
	if err != nil {
		return "", err
	}
	in := defaultInstance()
	n.mu.Lock()
	down := n.cfg.Now().Sub(n.previewFailed[d.Channel.Endpoint]) < time.Minute
	n.mu.Unlock()
	if !down {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if got, err := n.instanceOf(ctx, c, d.Channel.Endpoint); err == nil {
			in = got
		} else {
			n.mu.Lock()
			n.previewFailed[d.Channel.Endpoint] = n.cfg.Now()
			n.mu.Unlock()
		}
	}
	_, s := n.text(d, in)
	return s, nil
}

// CheckEdit checks an editor's text for d's post (d.Edit) before it is
// saved, as Publish will send it: whole, never cut, with the post's link
// after it, within the instance's max_characters as Mastodon counts them.
func (n *Network) CheckEdit(ctx context.Context, d scheduler.Delivery) error {
	c, err := n.client(d.Channel)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	in, err := n.instanceOf(ctx, c, d.Channel.Endpoint)
	if err != nil {
		return fmt.Errorf("cannot check the edit against %s's limits now: %w", d.Channel.Endpoint, err)
	}
	m := d.Message(n.cfg.Now())
	m.Hashtags = nil // they go when there is no room; the text may not
	text := herald.PlainText(m, 1<<30, func(s string) int { return measure(s, in.URLLength) })
	if got := measure(text, in.URLLength); got > in.MaxCharacters {
		return herald.FieldError("text", "with its link is %d characters as Mastodon counts them (a link as %d); the instance allows %d: shorten it by %d",
			got, in.URLLength, in.MaxCharacters, got-in.MaxCharacters)
	}
	return nil
}
