package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/replies"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
)

// account is what a network besides Telegram brings herald, from its own
// package: a Publisher the dispatcher drives (scheduler.Network), a way to
// sign in as a channel's account when the channel is added, doctor's
// lines, and the reading of readers' replies into reviews.
type account interface {
	scheduler.Network
	// Verify signs in as ch's account, with the secret in the variable
	// ch.SecretEnv names, at ch.Endpoint, and fills in ch.Chat (the
	// account's stable id) and ch.Handle. Its error says what to fix.
	Verify(ctx context.Context, ch *herald.Channel) error
	// Diagnose reports herald doctor's lines on each of chs, the channels
	// on this network.
	Diagnose(ctx context.Context, chs []*herald.Channel, report func(herald.Check))
	// Watch reads readers' replies to herald's posts on every channel of
	// this network into reviews, until ctx ends.
	Watch(ctx context.Context) error
	// Text is the text the post of d would have there, fitted as Publish
	// fits it: the desk's preview.
	Text(ctx context.Context, d scheduler.Delivery) (string, error)
	// CheckEdit checks an editor's text for d's post (d.Edit) against the
	// network's limits before it is saved: it must go out whole.
	CheckEdit(ctx context.Context, d scheduler.Delivery) error
}

// networkDeps is what every network is built with.
type networkDeps struct {
	Store  *store.Store // nil when only Verify is wanted (channel add)
	Intake *replies.Intake
	Secret func(name string) string // the environment (and .env)
	Log    *slog.Logger
	Now    func() time.Time
	// Scale is how many times faster than real time the network's clock
	// runs: 1 for the real networks, f for a fake started with --scale f.
	Scale float64
	// PollEvery is how often replies are read; 0 for the network's own
	// default.
	PollEvery time.Duration
}

// networks builds the account of each network herald posts to besides
// Telegram. A new network is a package implementing account and one line
// here.
var networks = map[string]func(networkDeps) account{}

// networkNames lists the networks besides Telegram that herald knows.
func networkNames() []string {
	var out []string
	for name := range networks {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// buildNetworks builds every network's account.
func buildNetworks(d networkDeps) map[string]account {
	out := make(map[string]account, len(networks))
	for name, build := range networks {
		out[name] = build(d)
	}
	return out
}

// publishers returns the accounts as the dispatcher takes them.
func publishers(accts map[string]account) map[string]scheduler.Network {
	out := make(map[string]scheduler.Network, len(accts))
	for name, a := range accts {
		out[name] = a
	}
	return out
}

// networkText is the desk's preview of a post on a network besides
// Telegram: the text that network's publisher would send.
func networkText(accts map[string]account) func(context.Context, scheduler.Delivery) (string, error) {
	return func(ctx context.Context, d scheduler.Delivery) (string, error) {
		a, ok := accts[d.Channel.Network]
		if !ok {
			return "", fmt.Errorf("this herald cannot post to %s", d.Channel.Network)
		}
		return a.Text(ctx, d)
	}
}

// networkEditCheck is the queue's check of an edit of a post on a network
// besides Telegram: that network's own.
func networkEditCheck(accts map[string]account) scheduler.EditChecker {
	return func(a *herald.Article, ch *herald.Channel, p *herald.Post, e *herald.PostEdit) error {
		acct, ok := accts[ch.Network]
		if !ok {
			return herald.Errorf(herald.EInvalid, "this herald cannot post to %s", ch.Network)
		}
		if e.Image != "" || len(e.ImageData) > 0 {
			return herald.FieldError("image", "of a post on %s cannot be changed: its image is the article's", ch.Network)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return acct.CheckEdit(ctx, scheduler.Delivery{Post: p, Article: a, Channel: ch, Edit: e})
	}
}

// verifyAccount signs in as ch's account when ch is on a network besides
// Telegram, so that a channel is added only with credentials that work.
func verifyAccount(ctx context.Context, secret func(string) string, ch *herald.Channel) error {
	if ch.IsTelegram() {
		return nil
	}
	build, ok := networks[ch.Network]
	if !ok {
		return fmt.Errorf("--network %s: this herald cannot post there", ch.Network)
	}
	if ch.SecretEnv != "" && secret(ch.SecretEnv) == "" {
		return fmt.Errorf("%s is not set: put the account's %s in it (the secret itself is never stored)", ch.SecretEnv, secretWord(ch.Network))
	}
	acct := build(networkDeps{Secret: secret,
		Log: slog.New(slog.DiscardHandler), Now: time.Now, Scale: 1})
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return acct.Verify(ctx, ch)
}

// channelSecrets returns the values of the variables chs keep their
// secrets in, for the redactors.
func channelSecrets(chs []*herald.Channel, secret func(string) string) []string {
	var out []string
	for _, c := range chs {
		if c.SecretEnv != "" {
			if v := secret(c.SecretEnv); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// secretWord names a network's secret.
func secretWord(network string) string {
	switch network {
	case herald.NetworkMastodon:
		return "access token"
	case herald.NetworkBluesky:
		return "app password"
	}
	return "secret"
}
