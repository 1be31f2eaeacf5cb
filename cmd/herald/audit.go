package main

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-news/herald"
)

// auditJSON is one audit entry as herald audit --json prints it.
type auditJSON struct {
	At     time.Time `json:"at"`
	UserID int64     `json:"user_id"`
	Action string    `json:"action"`
	PostID int64     `json:"post_id"`
	// Network is the network of the post's channel, when there is a post.
	Network string    `json:"network,omitempty"`
	Detail  string    `json:"detail"`
	Count   int       `json:"count"`
	LastAt  time.Time `json:"last_at"`
}

func cmdAudit(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "audit", "[--json] [--limit N]\n\nShows who did what, newest first: editors' actions from Telegram and\nthe command line (user 0), and refused attempts by others.")
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON array")
	limit := fs.Int("limit", 50, "at most `n` entries")
	clk := timeFlags(e, fs)
	if code, ok := parseFlags(fs, e.args); !ok {
		return code
	}
	if *limit <= 0 {
		fmt.Fprintln(e.stderr, "herald audit: --limit must be above 0")
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	entries, err := st.Audit(ctx, *limit)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald audit: %v\n", err)
		return exitFailed
	}
	ids := make([]int64, len(entries))
	for i, a := range entries {
		ids[i] = a.PostID
	}
	nets, err := st.PostNetworks(ctx, ids)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald audit: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		out := make([]auditJSON, len(entries))
		for i, a := range entries {
			out[i] = auditJSON{At: a.At, UserID: a.UserID, Action: a.Action, PostID: a.PostID, Network: nets[a.PostID],
				Detail: a.Detail, Count: a.Count, LastAt: a.LastAt}
		}
		return printJSON(e, out)
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.stdout, "nothing audited yet")
	}
	for _, a := range entries {
		who := fmt.Sprint(a.UserID)
		if a.UserID == 0 {
			who = "cli"
		}
		post := ""
		if a.PostID != 0 {
			post = fmt.Sprintf("#%d", a.PostID)
			if n := nets[a.PostID]; n != "" && n != herald.NetworkTelegram {
				post += " " + n
			}
		}
		detail := herald.Neutral(a.Detail) // a refused stranger's words and name are in it
		if a.Count > 1 {
			// Counted attempts (refusals): how many, and until when.
			detail = fmt.Sprintf("%d times until %s: %s", a.Count, clk.show(a.LastAt, nil), detail)
		}
		fmt.Fprintf(e.stdout, "%-36s  %-12s %-12s %-6s %s\n", clk.show(a.At, nil),
			who, a.Action, post, detail)
	}
	return exitOK
}
