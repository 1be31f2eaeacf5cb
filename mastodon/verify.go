package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	gomasto "github.com/mattn/go-mastodon"

	"github.com/herald-news/herald"
)

// Verify signs in as the channel's account (GET
// /api/v1/accounts/verify_credentials with the token in ch.SecretEnv) and
// fills ch.Chat with the account's stable id "<id>@<host>" and ch.Handle
// with its acct "user@host". Its errors name the variable and the instance;
// they never hold the token.
func (n *Network) Verify(ctx context.Context, ch *herald.Channel) error {
	host, err := endpointHost(ch.Endpoint)
	if err != nil {
		return err
	}
	c, err := n.client(ch)
	if err != nil {
		return err
	}
	acc, err := c.GetAccountCurrentUser(ctx)
	if err != nil {
		return n.signInError(ch, err)
	}
	ch.Chat = string(acc.ID) + "@" + host
	ch.Handle = acc.Username + "@" + hostName(host)
	if ch.Visibility == "" {
		ch.Visibility = herald.VisibilityPublic
	}
	return nil
}

// hostName is host without a port: the domain in an acct.
func hostName(host string) string {
	if u, err := url.Parse("//" + host); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return host
}

func (n *Network) signInError(ch *herald.Channel, err error) error {
	var ae *gomasto.APIError
	var rl *rateLimited
	switch {
	case errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized:
		return fmt.Errorf("mastodon: %s on %s: the access token in %s was refused (%s); make one under Preferences → Development and set %s to it",
			"sign-in", ch.Endpoint, ch.SecretEnv, ae.Message, ch.SecretEnv)
	case errors.As(err, &ae) && ae.StatusCode == http.StatusForbidden:
		return fmt.Errorf("mastodon: sign-in on %s: the token in %s may not read its account (%s); give the application the read:accounts scope, or profile",
			ch.Endpoint, ch.SecretEnv, ae.Message)
	case errors.As(err, &ae):
		return fmt.Errorf("mastodon: sign-in on %s with the token in %s: %d %s", ch.Endpoint, ch.SecretEnv, ae.StatusCode, ae.Message)
	case errors.As(err, &rl):
		return fmt.Errorf("mastodon: sign-in on %s: the instance says too many requests; try again after %s", ch.Endpoint, n.retryAfter(rl).Round(1e9))
	}
	return fmt.Errorf("mastodon: sign-in on %s: %w (is --instance the instance's address?)", ch.Endpoint, redactErr(err))
}

// scopeProbes are how doctor learns the token's scopes without changing
// anything: each request is one the scope allows but that is refused for
// its content (an empty status, an upload with no file), while a token
// without the scope is refused before that with 403.
var scopeProbes = []struct {
	scope, why, method, path string
	fine                     []int // the answers that prove the scope
}{
	{"write:statuses", "to post", http.MethodPost, "/api/v1/statuses", []int{http.StatusUnprocessableEntity, http.StatusOK}},
	{"write:media", "to upload images", http.MethodPost, "/api/v2/media", []int{http.StatusUnprocessableEntity, http.StatusBadRequest}},
	{"read:notifications", "to read replies that mention herald", http.MethodGet, "/api/v1/notifications?limit=1", []int{http.StatusOK}},
	{"read:statuses", "to read the threads under herald's statuses", http.MethodGet, "/api/v1/timelines/home?limit=1", []int{http.StatusOK}},
}

// Diagnose reports, for each Mastodon channel, whether its token signs in,
// which of the scopes herald needs it has, the instance's limits as the
// instance states them, and how much of the request budget is left.
func (n *Network) Diagnose(ctx context.Context, chs []*herald.Channel, report func(herald.Check)) {
	for _, ch := range chs {
		if ch.Network != herald.NetworkMastodon {
			continue
		}
		name := fmt.Sprintf("mastodon channel %q (%s)", ch.Title, ch.Endpoint)
		probe := *ch
		if err := n.Verify(ctx, &probe); err != nil {
			report(herald.Check{Verdict: herald.CheckFail, Line: name + ": " + err.Error(),
				Fix: fmt.Sprintf("set %s to a valid access token of the account (Preferences → Development)", ch.SecretEnv)})
			continue
		}
		verdict, line := herald.CheckOK, fmt.Sprintf("%s: signed in as @%s", name, probe.Handle)
		if ch.Chat != "" && probe.Chat != ch.Chat {
			verdict, line = herald.CheckFail, fmt.Sprintf("%s: the token in %s is @%s's (%s), not the channel's account %s", name, ch.SecretEnv, probe.Handle, probe.Chat, ch.Chat)
		}
		report(herald.Check{Verdict: verdict, Line: line})
		c, err := n.client(ch)
		if err != nil {
			continue
		}
		var missing []string
		for _, p := range scopeProbes {
			code, err := n.probe(ctx, c, ch.Endpoint, p.method, p.path)
			switch {
			case err != nil:
				report(herald.Check{Verdict: herald.CheckWarn, Line: fmt.Sprintf("%s: could not check the %s scope: %v", name, p.scope, err)})
			case code == http.StatusForbidden:
				missing = append(missing, p.scope+" ("+p.why+")")
			case !containsInt(p.fine, code):
				report(herald.Check{Verdict: herald.CheckWarn, Line: fmt.Sprintf("%s: checking the %s scope got %d", name, p.scope, code)})
			}
		}
		if len(missing) > 0 {
			report(herald.Check{Verdict: herald.CheckFail, Line: fmt.Sprintf("%s: the token lacks %s", name, strings.Join(missing, ", ")),
				Fix: "make a new token with write:statuses write:media read:notifications read:statuses, and set " + ch.SecretEnv})
		} else {
			report(herald.Check{Verdict: herald.CheckOK, Line: name + ": the token has write:statuses, write:media, read:notifications and read:statuses"})
		}
		n.mu.Lock()
		delete(n.instances, ch.Endpoint) // read the limits afresh
		n.mu.Unlock()
		if in, err := n.instanceOf(ctx, c, ch.Endpoint); err != nil {
			report(herald.Check{Verdict: herald.CheckWarn, Line: fmt.Sprintf("%s: %v; herald assumes Mastodon's defaults (500 characters)", name, err)})
		} else {
			report(herald.Check{Verdict: herald.CheckOK, Line: fmt.Sprintf("%s: the instance allows %d characters a status (a link counts %d), %d attachments, images up to %d MB, alt text up to %d characters",
				name, in.MaxCharacters, in.URLLength, in.MaxMedia, in.ImageSizeLimit>>20, in.DescriptionMax)})
		}
		n.mu.Lock()
		rs := n.rates[ch.Chat]
		n.mu.Unlock()
		if rs.Limit > 0 {
			v := herald.CheckOK
			if rs.Remaining*10 < rs.Limit {
				v = herald.CheckWarn
			}
			report(herald.Check{Verdict: v, Line: fmt.Sprintf("%s: %d of %d requests left until %s", name, rs.Remaining, rs.Limit, rs.Reset.UTC().Format("15:04:05 UTC"))})
		}
	}
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// probe makes one scope-probing request and returns its status code.
func (n *Network) probe(ctx context.Context, c *gomasto.Client, endpoint, method, path string) (int, error) {
	var body *strings.Reader
	if method == http.MethodPost {
		body = strings.NewReader("")
	}
	var req *http.Request
	var err error
	if body != nil {
		req, err = http.NewRequestWithContext(ctx, method, strings.TrimRight(endpoint, "/")+path, body)
	} else {
		req, err = http.NewRequestWithContext(ctx, method, strings.TrimRight(endpoint, "/")+path, nil)
	}
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Config.AccessToken)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		var rl *rateLimited
		if errors.As(err, &rl) {
			return http.StatusTooManyRequests, nil
		}
		return 0, redactErr(err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
