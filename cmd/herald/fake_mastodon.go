package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/herald-news/herald/mastodontest"
)

const fakeMastodonHelp = `Runs a fake Mastodon instance (its REST API) on a loopback address, for tests
and local development: add a channel with --network mastodon --instance http://ADDR.
It serves until interrupted.

Mastodon API: POST /api/v1/apps, POST /oauth/token, POST /api/v1/accounts,
  GET /api/v1/accounts/verify_credentials, GET /api/v2/instance,
  POST|GET|PUT|DELETE /api/v1/statuses[/:id], GET /api/v1/statuses/:id/source|context,
  GET /api/v1/accounts/:id/statuses, GET /api/v1/notifications, POST /api/v2/media, ...

Simulation (JSON bodies):
` + mastodontest.SimRoutes + `
Limits: 300 requests per 5 minutes per account, 30 media uploads and 30 deletions
per 30 minutes, 300 statuses per 3 hours, sped up by --scale; past them 429
{"error":"Too many requests"} with X-RateLimit-Reset. Idempotency-Key is kept an hour.
`

// cmdFakeMastodon runs mastodontest as a process until ctx ends.
func cmdFakeMastodon(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "fake-mastodon", "--addr 127.0.0.1:PORT [--token T] [--username NAME] [--scale F]")
	addr := fs.String("addr", "127.0.0.1:8082", "loopback `address` to listen on")
	token := fs.String("token", "", "pre-create herald's account with this access `token` (all scopes)")
	username := fs.String("username", "herald", "the `name` of the account --token belongs to")
	scale := fs.Float64("scale", 1, "run time `F` times faster: rate-limit windows, idempotency keys, media processing")
	maxChars := fs.Int("max-characters", 500, "the instance's max_characters `N`")
	noLimits := fs.Bool("no-limits", false, "never answer 429 unless a fault asks for it")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), "\n"+fakeMastodonHelp)
	}
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "herald fake-mastodon: unexpected arguments: %v\n", fs.Args())
		return exitUsage
	}
	if *scale <= 0 {
		fmt.Fprintln(e.stderr, "herald fake-mastodon: --scale must be a positive number, such as 1 or 60")
		return exitUsage
	}
	if *maxChars <= 0 {
		fmt.Fprintln(e.stderr, "herald fake-mastodon: --max-characters must be a positive number, such as 500")
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	opts := []mastodontest.Option{mastodontest.WithScale(*scale), mastodontest.WithLogger(log), mastodontest.WithMaxCharacters(*maxChars)}
	if *noLimits {
		opts = append(opts, mastodontest.WithoutLimits())
	}
	srv, err := mastodontest.Listen(*addr, opts...)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald fake-mastodon: %v\n", err)
		return exitFailed
	}
	if *token != "" {
		if _, err := srv.AddAccount(*username, *token); err != nil {
			srv.Close()
			fmt.Fprintf(e.stderr, "herald fake-mastodon: --token: %v\n", err)
			return exitUsage
		}
	}
	log.Info("fake mastodon listening", "url", srv.URL(), "account", *username, "scale", *scale)
	<-ctx.Done()
	srv.Close()
	log.Info("fake mastodon stopped")
	return exitOK
}
