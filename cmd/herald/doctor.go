package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/internal/redact"
	"github.com/herald-news/herald/store"
)

const doctorHelp = `[--db PATH]

Checks, line by line, what herald needs to work: every configuration
variable, the database (opens, writable, current schema), Telegram (the
token, with getMe), each channel (the chat exists; the bot may post, edit
and delete there; the discussion group is linked and the bot is in it),
the webhook and the updates waiting. Each line starts ok, warn or FAIL;
a warn or FAIL line is followed by how to fix it. Exits 1 when any line
failed, 0 otherwise.

It reads the database and Telegram's state and sends nothing; like every
herald command, it brings an older database schema up to date.`

func cmdDoctor(ctx context.Context, e *env) int {
	fs := newFlagSet(e, "doctor", doctorHelp)
	db := dbFlag(e, fs)
	if code, ok := parseFlags(fs, reorder(e.args)); !ok {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(e.stderr, "herald doctor: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	p := &checklist{w: e.stdout}
	runDoctor(ctx, e, *db, p)
	return p.summary()
}

// runDoctor makes every check of herald doctor, reporting each to p: the
// command prints them, the desk's health page keeps them.
func runDoctor(ctx context.Context, e *env, db string, p *checklist) {
	cfg, lookup, bad := doctorConfig(e.getenv, p)
	p.redact = redact.New(cfg.Token, cfg.APIToken, cfg.WebhookSecret).Func()

	all := doctorDatabase(ctx, db, p)
	p.redact = redact.New(cfg.Token, append([]string{cfg.APIToken, cfg.WebhookSecret}, channelSecrets(all, cfg.secret)...)...).Func()
	named := map[string]bool{} // the variables channels keep their secrets in
	for _, c := range all {
		if c.SecretEnv != "" {
			named[c.SecretEnv] = true
		}
	}
	dotenv, _ := readDotEnv(".env")
	for _, line := range unknownKeys(e.environ, dotenv) {
		if k, _, _ := strings.Cut(line, " "); named[k] {
			continue
		}
		p.add(bot.Check{Verdict: bot.CheckWarn, Line: "config: " + line,
			Fix: "rename it to the variable meant, or remove it; .env.example lists every variable herald reads"})
	}
	var channels []*herald.Channel // Telegram's
	others := map[string][]*herald.Channel{}
	for _, c := range all {
		if c.IsTelegram() {
			channels = append(channels, c)
		} else {
			others[c.Network] = append(others[c.Network], c)
		}
	}

	switch err := cfg.requireToken(); {
	case err != nil:
		p.add(bot.Check{Verdict: bot.CheckFail, Line: "telegram: " + err.Error(),
			Fix: "set TELEGRAM_BOT_TOKEN in the environment or in .env; the Telegram checks need it"})
	case bad["TELEGRAM_API_URL"]:
		// The default in its place would send the token to a server the
		// operator did not choose.
		p.add(bot.Check{Verdict: bot.CheckWarn, Line: "telegram: not checked while TELEGRAM_API_URL is not valid",
			Fix: "correct TELEGRAM_API_URL (see above) and run herald doctor again"})
	default:
		// HERALD_WEBHOOK_URL is read as given, so that doctor compares what
		// the operator set even when it does not validate.
		bot.Diagnose(ctx, bot.DoctorConfig{Token: cfg.Token, APIURL: cfg.APIURL, WebhookURL: lookup("HERALD_WEBHOOK_URL"),
			Channels: channels, Owners: cfg.Owners}, p.add)
	}
	if len(others) > 0 {
		accts := buildNetworks(networkDeps{Secret: cfg.secret, Log: slog.New(slog.DiscardHandler), Now: time.Now, Scale: cfg.RateScale})
		for _, name := range herald.Networks {
			if chs := others[name]; len(chs) > 0 {
				if acct := accts[name]; acct != nil {
					acct.Diagnose(ctx, chs, p.add)
				} else {
					p.add(bot.Check{Verdict: bot.CheckFail, Line: fmt.Sprintf("%s: %d channels, but this herald cannot post there", name, len(chs)),
						Fix: "run a herald built with " + name + " support"})
				}
			}
		}
	}
}

// checklist prints doctor's lines as they come and counts them.
type checklist struct {
	w      io.Writer
	sink   func(bot.Check)     // when set, lines go here instead of to w
	redact func(string) string // removes the token; nil until it is known
	counts [3]int
}

func (p *checklist) add(c bot.Check) {
	if p.redact != nil {
		c.Line, c.Fix = p.redact(c.Line), p.redact(c.Fix)
	}
	p.counts[c.Verdict]++
	if p.sink != nil {
		p.sink(c)
		return
	}
	fmt.Fprintf(p.w, "%-4s %s\n", c.Verdict, c.Line)
	if c.Verdict != bot.CheckOK && c.Fix != "" {
		fmt.Fprintf(p.w, "     fix: %s\n", c.Fix)
	}
}

// summary prints the totals and returns the exit code.
func (p *checklist) summary() int {
	ok, warn, fail := p.counts[bot.CheckOK], p.counts[bot.CheckWarn], p.counts[bot.CheckFail]
	fmt.Fprintf(p.w, "\n%d ok, %d %s, %d failed\n", ok, warn, plural(warn, "warning", "warnings"), fail)
	if fail > 0 {
		return exitFailed
	}
	return exitOK
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// doctorConfig checks every variable on its own, as loadConfig reads it
// (the environment, then ./.env, then the default), so that all the bad
// ones show at once. It returns the configuration with the bad values
// replaced by their defaults, so that the other checks can go on; a
// lookup of a variable's value as given (environment, then ./.env); and
// the names of the bad variables.
func doctorConfig(getenv func(string) string, p *checklist) (*config, func(string) string, map[string]bool) {
	// Channels' secrets are read as run reads them, so that doctor signs in
	// as run would.
	dotenv, err := readDotEnv(".env")
	cfg := &config{secret: secretReader(getenv, dotenv)}
	if err != nil {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: "config: " + err.Error(), Fix: "write .env as KEY=VALUE lines, or remove it"})
	}
	lookup := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return dotenv[name]
	}
	vars := configVars()
	bad := map[string]bool{}
	for _, v := range vars {
		val, from := strings.TrimSpace(getenv(v.name)), "the environment"
		if val == "" {
			val, from = dotenv[v.name], "./.env"
		}
		if val == "" {
			val, from = v.def, "the default"
		}
		if val == "" {
			continue
		}
		if err := v.set(cfg, val); err != nil {
			bad[v.name] = true
			shown := strconv.Quote(val)
			if strings.Contains(v.name, "TOKEN") || strings.Contains(v.name, "SECRET") {
				shown = "(hidden)"
			}
			fix := "set " + v.name + " to " + v.form
			if v.def != "" {
				fix += ", or unset it for the default " + v.def
				v.set(cfg, v.def)
			}
			p.add(bot.Check{Verdict: bot.CheckFail, Line: fmt.Sprintf("config: %s=%s (from %s) is not valid: %v", v.name, shown, from, err), Fix: fix})
		}
	}
	if len(bad) == 0 && err == nil {
		// loadConfig is what herald run uses; it must agree.
		if _, lerr := loadConfig(getenv); lerr != nil {
			p.add(bot.Check{Verdict: bot.CheckFail, Line: "config: " + lerr.Error(), Fix: "correct the variable named"})
			return cfg, lookup, bad
		}
		where := "the environment and defaults"
		if dotenv != nil {
			where = "the environment, ./.env and defaults"
		}
		p.add(bot.Check{Verdict: bot.CheckOK, Line: fmt.Sprintf("config: all %d variables are valid (from %s)", len(vars), where)})
	}
	return cfg, lookup, bad
}

// doctorDatabase checks that the database opens, is writable and is at
// this herald's schema, and returns its channels.
func doctorDatabase(ctx context.Context, path string, p *checklist) []*herald.Channel {
	line := "database " + path + ": "
	if _, err := os.Stat(path); err != nil {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: line + "no such file",
			Fix: "point --db or HERALD_DB at herald's database; for a new one, herald migrate creates it"})
		return nil
	}
	st, err := store.Open(path)
	if errors.Is(err, store.ErrTooNew) {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: line + err.Error(),
			Fix: "run the herald version that wrote it (or newer), or restore a backup made by this one"})
		return nil
	}
	if err != nil {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: line + "does not open: " + err.Error(),
			Fix: "check that it is herald's database and that the user running herald may read it; restore a backup if it is damaged"})
		return nil
	}
	defer st.Close()
	if err := st.Ping(ctx); err != nil {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: line + "not writable: " + err.Error(),
			Fix: "give the user herald runs as write access to " + path + " and its directory (SQLite writes -wal and -shm files beside it)"})
		return nil
	}
	v, err := st.Version(ctx)
	if err != nil || v != store.SchemaVersion() {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: fmt.Sprintf("%sschema version %d, this herald's is %d (%v)", line, v, store.SchemaVersion(), err),
			Fix: "run herald migrate"})
		return nil
	}
	note := ""
	if a := st.Applied(); len(a) > 0 {
		note = " (brought up to date now: " + strings.Join(a, ", ") + ")"
	}
	p.add(bot.Check{Verdict: bot.CheckOK, Line: fmt.Sprintf("%sopens, writable, schema %d, current%s", line, v, note)})
	channels, err := st.Channels(ctx)
	if err != nil {
		p.add(bot.Check{Verdict: bot.CheckFail, Line: "channels: cannot list them: " + err.Error(),
			Fix: "restore a backup if herald backup's integrity_check fails on this database"})
		return nil
	}
	if len(channels) == 0 {
		p.add(bot.Check{Verdict: bot.CheckWarn, Line: "channels: none; herald has nowhere to post",
			Fix: "add one: herald channel add --chat CHAT_ID --title TITLE --lang en --kinds news"})
	}
	return channels
}
