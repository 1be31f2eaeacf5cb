// Package bot is herald's Telegram side: it renders posts to Telegram HTML
// within Telegram's limits (format.go), encodes the "Leave a review" deep
// links (deeplink.go), publishes posts to channels through
// github.com/go-telegram/bot, and handles updates: editors' commands, the
// readers' review flow, discussion-group comments and reactions, in lanes
// no one can hold up (lanes.go, readers.go). It owes owners and editors
// durable notices and delivers them paced (notify.go).
//
// The library is imported as tgbot, because its package name clashes with
// this one.
package bot
