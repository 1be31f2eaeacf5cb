// Package benchmark measures herald's delivery path end to end, the way a
// newsroom would notice it: posts go from the store through the
// scheduler's Dispatcher and the bot's Publisher (go-telegram/bot) to an
// in-process telegramtest fake on 127.0.0.1, whose flood limits are token
// buckets in scaled time.
//
// FanOut sends many posts to many channels at once and compares the
// makespan with the least the fake's limits allow (MinimumMakespan),
// counting the 429s the fake served. Lateness schedules a few posts on
// distinct channels a little in the future, where no limit binds, and
// reports how late they went out.
//
// Each measurement builds its own database in a temporary directory, its
// own fake and its own dispatcher, and removes them when it returns, so
// that tests, Go benchmarks and a "herald bench" command can all call it.
// Nothing here asserts a timing; callers decide what a figure means.
package benchmark
