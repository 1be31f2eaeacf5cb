package bot

// Metrics hears what the bot does, for /metrics. Methods must be quick.
type Metrics interface {
	// Update counts one update handled, by kind ("message", "callback_query", ...).
	Update(kind string)
	// PollError counts one failed getUpdates.
	PollError()
	// ReviewIn counts one review stored, by source ("dm" or "comment").
	ReviewIn(source string)
}

// noMetrics is the Metrics of a bot configured without any.
type noMetrics struct{}

func (noMetrics) Update(string)   {}
func (noMetrics) PollError()      {}
func (noMetrics) ReviewIn(string) {}
