package main

import (
	"strconv"
	"strings"
)

// parseID reads a positive id, accepting a leading '#'.
func parseID(s string, id *int64) bool {
	n, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || n <= 0 {
		return false
	}
	*id = n
	return true
}

// reorder moves flags ahead of positional arguments, so that both
// "herald article 3 --json" and "herald article --json 3" work. Flags that
// take a value are written --flag=value or are followed by it. A negative
// number is a positional argument (a chat id such as -1001234567890), and
// "--" ends the flags so that the flag package does not take it for one.
func reorder(args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		_, numErr := strconv.ParseInt(a, 10, 64)
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			return append(append(flags, "--"), pos...)
		case strings.HasPrefix(a, "-") && len(a) > 1 && numErr != nil:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue(name) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(append(flags, "--"), pos...)
}

// takesValue lists the flags, across commands, that take a value.
func takesValue(name string) bool {
	switch name {
	case "db", "limit", "kind", "lang", "program", "source", "channel", "state", "chat", "title",
		"kinds", "slots", "min-gap", "daily-cap", "quiet", "quiet-mode", "review-link", "template",
		"on-edit", "on-unpublish", "readers-post", "timezone", "addr", "token", "bot-username", "scale", "at",
		"network", "instance", "token-env", "visibility", "service", "handle", "password-env",
		"topic", "include", "exclude", "approvers", "text-file", "image", "since", "article":
		return true
	}
	return false
}
