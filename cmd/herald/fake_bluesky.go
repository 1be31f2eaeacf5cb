package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/herald-news/herald/blueskytest"
)

const fakeBlueskyHelp = `Runs a fake Bluesky PDS (with the AppView methods herald reads) on a
loopback address, for tests and local development: give its URL to
herald channel add --network bluesky --service URL. It serves until interrupted.

XRPC:  http://ADDR/xrpc/<NSID>  (com.atproto.server.describeServer, createAccount,
       createSession, refreshSession, getSession, deleteSession, createAppPassword,
       com.atproto.repo.createRecord, getRecord, listRecords, putRecord, deleteRecord,
       uploadBlob, app.bsky.feed.getPostThread, app.bsky.notification.listNotifications ...)
Handles end in .test (describeServer's availableUserDomains).

Simulation (JSON bodies):
` + blueskytest.SimRoutes + `

Limits (the reference PDS's, sped up by --scale): record writes 5000 points an
hour and 35000 a day per account (create 3, update 2, delete 1); createSession
30 per 5 minutes and 300 a day; past them 429 RateLimitExceeded with
RateLimit-Limit/-Remaining/-Reset/-Policy. Access tokens last 2 hours, refresh
tokens 90 days (fake time).
`

// cmdFakeBluesky runs blueskytest as a process until ctx ends.
func cmdFakeBluesky(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "fake-bluesky", "--addr 127.0.0.1:PORT [--handle H --password P] [--scale F]")
	addr := fs.String("addr", "127.0.0.1:8082", "loopback `address` to listen on")
	handle := fs.String("handle", "", "create this account at start (a `handle` ending in .test)")
	password := fs.String("password", "", "the `password` of --handle's account")
	scale := fs.Float64("scale", 1, "run time `F` times faster: limits and token lifetimes")
	noLimits := fs.Bool("no-limits", false, "never answer 429 unless a fault asks for it")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), "\n"+fakeBlueskyHelp)
	}
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "herald fake-bluesky: unexpected arguments: %v\n", fs.Args())
		return exitUsage
	}
	if *scale <= 0 {
		fmt.Fprintln(e.stderr, "herald fake-bluesky: --scale must be a positive number, such as 1 or 60")
		return exitUsage
	}
	if (*handle == "") != (*password == "") {
		fmt.Fprintln(e.stderr, "herald fake-bluesky: --handle and --password go together")
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	opts := []blueskytest.Option{blueskytest.WithScale(*scale), blueskytest.WithLogger(log)}
	if *noLimits {
		opts = append(opts, blueskytest.WithoutLimits())
	}
	if *handle != "" {
		opts = append(opts, blueskytest.WithAccount(*handle, *password))
	}
	srv, err := blueskytest.Listen(*addr, opts...)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald fake-bluesky: %v\n", err)
		return exitFailed
	}
	if *handle != "" {
		if _, ok := srv.Account(*handle); !ok {
			srv.Close()
			fmt.Fprintf(e.stderr, "herald fake-bluesky: --handle %q: not a handle the fake can make (want name.test, 3 to 18 letters, digits or dashes before .test)\n", *handle)
			return exitUsage
		}
	}
	log.Info("fake bluesky listening", "url", srv.URL(), "handle", *handle, "scale", *scale)
	<-ctx.Done()
	srv.Close()
	log.Info("fake bluesky stopped")
	return exitOK
}
