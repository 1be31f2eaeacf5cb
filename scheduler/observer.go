package scheduler

import (
	"time"

	"github.com/herald-news/herald"
)

// Observer hears about every send the dispatcher settles, for metrics.
// Its methods must be quick and must not block.
type Observer interface {
	// Sent is called for a post that went out, lag after it was due.
	Sent(ch *herald.Channel, lag time.Duration)
	// Failed is called for a send that did not go out, with how it failed.
	Failed(ch *herald.Channel, f Failure)
}
