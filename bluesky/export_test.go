package bluesky_test

import (
	"log/slog"

	"github.com/herald-news/herald/bluesky"
	"github.com/herald-news/herald/replies"
)

// newNetwork is a second Network on the rig's store and fake: a restart.
func newNetwork(r *rig) *bluesky.Network {
	log := slog.New(slog.NewTextHandler(r.logs, nil))
	return bluesky.New(bluesky.Config{Store: r.st, Intake: &replies.Intake{Store: r.st, Now: r.clock.now, Log: log},
		Secret: r.getenv, Log: log, Now: r.clock.now, PollEvery: r.pollEvery()})
}
