package main

import (
	"context"
	"fmt"
)

// cmdFakeTelegram runs the fake Telegram Bot API. This first version is a
// placeholder so that the command table compiles; the server follows.
func cmdFakeTelegram(ctx context.Context, e *env) int {
	fmt.Fprintln(e.stderr, "herald fake-telegram: not implemented yet")
	return exitFailed
}
