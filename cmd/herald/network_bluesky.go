package main

import (
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bluesky"
)

// Bluesky: the bluesky package, on the channels' own services (PDS).
func init() {
	networks[herald.NetworkBluesky] = func(d networkDeps) account {
		return bluesky.New(bluesky.Config{Store: d.Store, Intake: d.Intake, Secret: d.Secret, Log: d.Log,
			Now: d.Now, Scale: d.Scale, PollEvery: d.PollEvery})
	}
}
