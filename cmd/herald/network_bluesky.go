package main

import "github.com/herald-news/herald/bluesky"

func init() {
	networks["bluesky"] = func(d networkDeps) account {
		return bluesky.New(bluesky.Config{Store: d.Store, Intake: d.Intake, Secret: d.Secret, Log: d.Log, Now: d.Now, Scale: d.Scale, PollEvery: d.PollEvery})
	}
}
