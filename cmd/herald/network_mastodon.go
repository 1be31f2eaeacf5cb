package main

import (
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/mastodon"
)

func init() {
	networks[herald.NetworkMastodon] = func(d networkDeps) account {
		return mastodon.New(mastodon.Config{Store: d.Store, Intake: d.Intake, Secret: d.Secret, Log: d.Log, Now: d.Now, Scale: d.Scale, PollEvery: d.PollEvery})
	}
}
