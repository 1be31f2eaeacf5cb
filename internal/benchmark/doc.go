// Package benchmark measures herald end to end, the way a newsroom would
// notice it, for the Go benchmarks and for "herald bench" alike.
//
// FanOut sends many posts to many channels at once, from the store through
// the scheduler's Dispatcher and the bot's Publisher (go-telegram/bot) to
// an in-process telegramtest fake on 127.0.0.1, whose flood limits are
// token buckets in scaled time, and compares the makespan with the least
// those limits allow (MinimumMakespan), counting the 429s the fake served.
// Lateness schedules a few posts on distinct channels a little in the
// future, where no limit binds, and reports how late they went out.
//
// Intake feeds readers' comments through the bot's real handler path and
// sets the rate against a plain SQLite insert loop; Throughput has the bot
// long-poll the same kind of updates from the fake and handle them in its
// lanes; Import imports generated pages (WritePages) and sets the rate
// against storing the same articles directly. ReadMemory reads the
// process's resident set size. Row, WriteTable and WriteJSON print each
// figure beside the limit it is measured against.
//
// Each measurement builds its own databases in a temporary directory, its
// own fake and its own bot or dispatcher, and removes them when it
// returns. Nothing here asserts a timing; callers decide what a figure
// means.
package benchmark
