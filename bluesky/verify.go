package bluesky

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/herald-news/herald"
)

var appPasswordRE = regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`)

// checkChannel checks what a channel needs before herald signs in.
func (n *Network) checkChannel(ch *herald.Channel) error {
	u, err := url.Parse(ch.Endpoint)
	if ch.Endpoint == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("--service %q: want the account's service (PDS) address, such as https://bsky.social", ch.Endpoint)
	}
	if strings.TrimSpace(ch.Handle) == "" {
		return errors.New("--handle: want the account's handle, such as newsroom.bsky.social")
	}
	if ch.SecretEnv == "" {
		return errors.New("--password-env: want the name of the environment variable holding the account's app password")
	}
	if strings.TrimSpace(n.cfg.Secret(ch.SecretEnv)) == "" {
		return fmt.Errorf("%s is empty or not set: put the account's app password in it (Bluesky: Settings → Privacy and security → App passwords)", ch.SecretEnv)
	}
	return nil
}

// Verify signs in as ch's account with the app password in ch.SecretEnv and
// fills in ch.Chat (the account's DID) and ch.Handle (as the service spells
// it). Its error names what to fix: the variable, the service, the handle.
func (n *Network) Verify(ctx context.Context, ch *herald.Channel) error {
	ch.Handle = strings.TrimPrefix(strings.TrimSpace(ch.Handle), "@")
	ch.Endpoint = strings.TrimRight(strings.TrimSpace(ch.Endpoint), "/")
	if err := n.checkChannel(ch); err != nil {
		return fmt.Errorf("bluesky: %w", err)
	}
	_, s, err := n.c.ss.token(ctx, accountOf(ch))
	if err != nil {
		var ae *authError
		if errors.As(err, &ae) && ae.Refused {
			return fmt.Errorf("bluesky: signing in as %s at %s was refused: check that %s holds an app password of that account (xxxx-xxxx-xxxx-xxxx)", ch.Handle, ch.Endpoint, ch.SecretEnv)
		}
		return fmt.Errorf("bluesky: cannot reach %s to sign in as %s: %v", ch.Endpoint, ch.Handle, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch.Chat, ch.Handle = s.did, s.handle
	return nil
}

// Diagnose reports, for each channel, whether herald can sign in, whether
// it uses an app password, whether its session refreshes, and how many of
// the hour's write points the account has left.
func (n *Network) Diagnose(ctx context.Context, chs []*herald.Channel, report func(herald.Check)) {
	for _, ch := range chs {
		name := fmt.Sprintf("Bluesky channel %q (@%s at %s)", ch.Title, ch.Handle, ch.Endpoint)
		if err := n.checkChannel(ch); err != nil {
			report(herald.Check{Verdict: herald.CheckFail, Line: name + ": " + err.Error(), Fix: "set it, or herald channel set the channel's account again"})
			continue
		}
		a := accountOf(ch)
		_, s, err := n.c.ss.token(ctx, a)
		if err != nil {
			report(herald.Check{Verdict: herald.CheckFail, Line: name + ": " + err.Error(),
				Fix: fmt.Sprintf("make an app password in Bluesky's Settings → Privacy and security → App passwords and put it in %s", ch.SecretEnv)})
			continue
		}
		s.mu.Lock()
		did, appPass := s.did, s.appPass
		s.mu.Unlock()
		report(herald.Check{Verdict: herald.CheckOK, Line: fmt.Sprintf("%s: signed in as %s", name, did)})
		if ch.Chat != "" && ch.Chat != did {
			report(herald.Check{Verdict: herald.CheckFail, Line: fmt.Sprintf("%s: the handle is now account %s, not %s the channel was added with", name, did, ch.Chat),
				Fix: "add the channel again if the account changed hands"})
		}
		pw := n.cfg.Secret(ch.SecretEnv)
		if !appPass && !appPasswordRE.MatchString(strings.TrimSpace(pw)) {
			report(herald.Check{Verdict: herald.CheckWarn, Line: name + ": " + ch.SecretEnv + " holds the account's own password, not an app password",
				Fix: "make an app password (Settings → Privacy and security → App passwords) and put it in " + ch.SecretEnv})
		}
		// Refresh now, as herald will before the access token expires.
		s.mu.Lock()
		err = n.c.ss.refreshLocked(ctx, a, s)
		s.mu.Unlock()
		if err != nil {
			report(herald.Check{Verdict: herald.CheckWarn, Line: name + ": refreshing the session failed: " + err.Error(), Fix: "herald signs in again when it must; check the service"})
		} else {
			report(herald.Check{Verdict: herald.CheckOK, Line: name + ": the session refreshes"})
		}
		s.mu.Lock()
		rs := s.rate
		s.mu.Unlock()
		if rs != nil {
			v := herald.CheckOK
			if rs.Remaining < rs.Limit/10 {
				v = herald.CheckWarn
			}
			report(herald.Check{Verdict: v, Line: fmt.Sprintf("%s: %d of %d record-write points left (%s), renewed at %s", name, rs.Remaining, rs.Limit, rs.Policy, rs.Reset.UTC().Format("15:04 MST"))})
		} else {
			report(herald.Check{Verdict: herald.CheckOK, Line: fmt.Sprintf("%s: limits: %d record-write points an hour, %d a day (a post costs %d)", name, 5000, 35000, createPoints)})
		}
	}
}
