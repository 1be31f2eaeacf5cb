package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/herald-news/herald/telegramtest"
)

const fakeTelegramHelp = `Runs a fake Telegram Bot API on a loopback address, for tests and local
development: point TELEGRAM_API_URL at it. It serves until interrupted.

Bot API:  http://ADDR/bot<TOKEN>/<method>  (getMe, getUpdates, setWebhook,
          sendMessage, sendPhoto, editMessage*, deleteMessage, getChat,
          createForumTopic, closeForumTopic, reopenForumTopic, deleteForumTopic, ...)

Simulation (JSON bodies):
  POST /fake/chats      {"id":-1001,"type":"channel","title":"News","username":"news",
                         "linked_chat_id":-1002,"bot_rights":"admin|member|none","is_forum":false,
                         "admins":[1001],"migrate_to_chat_id":-1005}
  POST /fake/topics     {"chat_id":-100123,"name":"Evening news"} makes a forum topic (in a
                        supergroup with "is_forum":true) and answers the ForumTopic, its
                        message_thread_id; {"chat_id":..,"message_thread_id":7,"closed":true}
                        closes it ("closed":false reopens), "deleted":true deletes it
  POST /fake/send       {"user_id":1001,"chat_id":1001,"text":"/queue","language_code":"en",
                         "first_name":"Ann","username":"ann","forward_from":2002}
  POST /fake/reply      {"user_id":3003,"chat_id":-1002,"reply_to_message_id":7,"text":"..."}
  POST /fake/edit       {"user_id":3003,"chat_id":-1002,"message_id":8,"text":"..."}
  POST /fake/press      {"user_id":1001,"chat_id":1001,"message_id":5,"data":"..."}
  POST /fake/reactions  {"chat_id":-1001,"message_id":5,"counts":{"👍":3}}
  POST /fake/updates    {...any update, delivered as given...}
  POST /fake/faults     {"method":"sendMessage","status":502,"count":3}
                        also "delay_ms":N, "drop_after_store":true, "retry_after":N, "chat_id":N
  GET  /fake/chats/{id}/messages   GET /fake/calls?method=NAME   GET /fake/answers
  GET  /fake/stats      GET /fake/chats      GET|DELETE /fake/faults

Limits: 1 message/s per private chat (bursts of 3), 20/min per group or
channel, 30/s overall, all sped up by --scale; past them 429 with retry_after.
`

// cmdFakeTelegram runs telegramtest as a process until ctx ends.
func cmdFakeTelegram(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "fake-telegram", "--addr 127.0.0.1:PORT [--token T] [--bot-username NAME] [--scale F]")
	addr := fs.String("addr", "127.0.0.1:8081", "loopback `address` to listen on")
	token := fs.String("token", telegramtest.DefaultToken, "bot `token` to accept")
	username := fs.String("bot-username", telegramtest.DefaultBotUsername, "the bot's `username`")
	scale := fs.Float64("scale", 1, "run time `F` times faster: limits, retry_after, long-poll timeouts")
	noLimits := fs.Bool("no-limits", false, "never answer 429 unless a fault asks for it")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(fs.Output(), "\n"+fakeTelegramHelp)
	}
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "herald fake-telegram: unexpected arguments: %v\n", fs.Args())
		return exitUsage
	}
	if *scale <= 0 {
		fmt.Fprintln(e.stderr, "herald fake-telegram: --scale must be a positive number, such as 1 or 60")
		return exitUsage
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	opts := []telegramtest.Option{
		telegramtest.WithToken(*token), telegramtest.WithBotUsername(*username),
		telegramtest.WithScale(*scale), telegramtest.WithLogger(log),
	}
	if *noLimits {
		opts = append(opts, telegramtest.WithoutLimits())
	}
	srv, err := telegramtest.Listen(*addr, opts...)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald fake-telegram: %v\n", err)
		return exitFailed
	}
	log.Info("fake telegram listening", "url", srv.URL(), "bot", "@"+srv.BotUsername(), "scale", *scale)
	<-ctx.Done()
	srv.Close()
	log.Info("fake telegram stopped")
	return exitOK
}
