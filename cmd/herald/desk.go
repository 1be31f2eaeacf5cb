package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/herald-news/herald"
)

const deskHelp = `sessions | revoke ID | revoke --user USER_ID

The web desk's signed-in browsers. "sessions" lists them (id, who, how they
signed in, when, the browser); "revoke ID" signs one out at once, "revoke
--user USER_ID" every browser of a person. Removing an editor (/editor
remove) shuts them out of the desk too, without revoking anything.`

func cmdDesk(ctx context.Context, e *env) int {
	sub, args := "", e.args
	if len(args) > 0 && (args[0] == "sessions" || args[0] == "revoke") {
		sub, args = args[0], args[1:]
	}
	fs := newFlagSet(e, strings.TrimSpace("desk "+sub), deskHelp)
	db := dbFlag(e, fs)
	user := fs.Int64("user", 0, "revoke every session of this Telegram `user id`")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, reorderFlags(fs, args)); !ok {
		return code
	}
	if sub == "" {
		fmt.Fprintln(e.stderr, "herald desk: say sessions or revoke, e.g. herald desk sessions")
		return exitUsage
	}
	var id int64
	if sub == "revoke" {
		switch {
		case *user == 0 && (fs.NArg() != 1 || !parseID(fs.Arg(0), &id)):
			fmt.Fprintln(e.stderr, "herald desk revoke: give a session id (herald desk sessions lists them) or --user USER_ID")
			return exitUsage
		case *user != 0 && fs.NArg() != 0:
			fmt.Fprintln(e.stderr, "herald desk revoke: give a session id or --user, not both")
			return exitUsage
		}
	} else if fs.NArg() != 0 {
		fmt.Fprintf(e.stderr, "herald desk sessions: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if sub == "revoke" {
		n, err := st.RevokeDeskSession(ctx, id, *user)
		if err != nil {
			fmt.Fprintf(e.stderr, "herald desk revoke: %v\n", err)
			return exitFailed
		}
		if n == 0 {
			fmt.Fprintln(e.stderr, "herald desk revoke: no such session (herald desk sessions lists them)")
			return exitFailed
		}
		st.AddAudit(ctx, &herald.AuditEntry{Action: "desk_revoke", Detail: fmt.Sprintf("%d session(s): id %d, user %d", n, id, *user)})
		fmt.Fprintf(e.stdout, "signed out %d desk session%s\n", n, map[bool]string{true: "", false: "s"}[n == 1])
		return exitOK
	}
	sessions, err := st.DeskSessions(ctx)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald desk sessions: %v\n", err)
		return exitFailed
	}
	if len(sessions) == 0 {
		fmt.Fprintln(e.stdout, "nobody is signed in to the desk")
	}
	for _, s := range sessions {
		fmt.Fprintf(e.stdout, "#%d  user %s %s  via %s  since %s  last seen %s  until %s  %s\n", s.ID, strconv.FormatInt(s.UserID, 10),
			oneLine(herald.Neutral(s.Name), 40), s.Via, clk.show(s.CreatedAt, nil), clk.show(s.SeenAt, nil), clk.show(s.ExpiresAt, nil),
			oneLine(s.UserAgent, 60))
	}
	return exitOK
}
