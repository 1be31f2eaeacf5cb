// Command herald is the newsroom distribution bot: it takes articles in,
// plans and sends posts of them to Telegram channels, lets editors steer the
// queue from Telegram and collects readers' reviews.
//
// Run "herald help" for the list of subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/herald-news/herald/internal/redact"
)

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// env is what a subcommand gets from main: its arguments, its streams and
// the process environment, so that tests can run commands in-process.
type env struct {
	args   []string
	name   string // the subcommand, for the prefix of its errors
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// environ lists the environment as KEY=VALUE, to find variables herald
	// does not know; nil in tests that do not care.
	environ func() []string
	// redact hides the secrets from what the command writes; a command
	// that learns more of them (the channels' own) adds them.
	redact *redact.Redactor
}

// command is one subcommand. run returns an exit code.
type command struct {
	summary string
	run     func(ctx context.Context, e *env) int
}

// commands is filled in by each subcommand's file.
func commands() map[string]command {
	return map[string]command{
		"run":           {"run the bot, the planner and the dispatcher", cmdRun},
		"demo":          {"run the whole pipeline offline against a fake Telegram", cmdDemo},
		"channel":       {"add, change, list and remove channels", cmdChannel},
		"queue":         {"list the posts planned and sent", cmdQueue},
		"post":          {"post now, cancel, reschedule, retry or settle one post", cmdPost},
		"audit":         {"show who did what", cmdAudit},
		"reviews":       {"export readers' reviews, or purge a reader's", cmdReviews},
		"stats":         {"readers' numbers: reviews, reactions and clicks per post, article and channel", cmdStats},
		"import":        {"import article files and directories", cmdImport},
		"feed":          {"add, list and remove RSS, Atom and JSON feeds", cmdFeed},
		"articles":      {"list articles", cmdArticles},
		"article":       {"show one article", cmdArticle},
		"migrate":       {"bring the database schema up to date", cmdMigrate},
		"doctor":        {"check config, database, Telegram and each channel's rights", cmdDoctor},
		"desk":          {"list or revoke the web desk's sessions", cmdDesk},
		"backup":        {"write a consistent snapshot of the database", cmdBackup},
		"version":       {"print herald's version", cmdVersion},
		"fake-telegram": {"run a fake Telegram Bot API on loopback, for tests and development", cmdFakeTelegram},
		"fake-mastodon": {"run a fake Mastodon instance on loopback, for tests and development", cmdFakeMastodon},
		"fake-bluesky":  {"run a fake Bluesky PDS on loopback, for tests and development", cmdFakeBluesky},
		"bench":         {"measure herald: fan-out, review intake, updates, lateness, import, memory", cmdBench},
		"completion":    {"print a shell completion script: herald completion bash|zsh|fish", cmdCompletion},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{args: os.Args[1:], stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, environ: os.Environ})
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env) int {
	if len(e.args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := e.args[0]
	switch name {
	case "help", "-h", "--help", "-help":
		usage(e.stdout)
		return exitOK
	case "--version", "-version", "-v":
		name = "version"
	}
	cmd, ok := commands()[name]
	if !ok {
		fmt.Fprintf(e.stderr, "herald: unknown command %q\n\n", name)
		usage(e.stderr)
		return exitUsage
	}
	sub := *e
	sub.args, sub.name = e.args[1:], name
	// Whatever a command prints about itself passes the redactor: its
	// errors and logs always; run's and doctor's reports too, which echo
	// addresses from the configuration. Other commands' output (queue,
	// articles as JSON) is data and stays as stored.
	x := secrets(e.getenv, e.environ)
	sub.redact = x
	sub.stderr = redact.Writer(e.stderr, x)
	if name == "run" || name == "doctor" {
		sub.stdout = redact.Writer(e.stdout, x)
	}
	return cmd.run(ctx, &sub)
}

// secrets is the redactor of the secrets configured (environment, then
// .env), known before any command reads its configuration: herald's own,
// and every variable named like a secret (a Mastodon channel's token, a
// Bluesky channel's app password, in the variables the channels name).
func secrets(getenv func(string) string, environ func() []string) *redact.Redactor {
	dotenv, _ := readDotEnv(".env") // a bad .env is the command's to report
	get := func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return dotenv[name]
	}
	others := []string{get("HERALD_API_TOKEN"), get("HERALD_WEBHOOK_SECRET")}
	var env []string
	if environ != nil {
		env = environ()
	}
	for name, v := range dotenv {
		env = append(env, name+"="+v)
	}
	for _, kv := range env {
		if name, v, ok := strings.Cut(kv, "="); ok && redact.SecretName(name) && name != "TELEGRAM_BOT_TOKEN" {
			others = append(others, strings.TrimSpace(v))
		}
	}
	return redact.New(get("TELEGRAM_BOT_TOKEN"), others...)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: herald <command> [flags] [arguments]\n\ncommands:")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, cmds[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"herald <command> --help\" for a command's flags.")
}

// newFlagSet returns a flag set that writes its usage to e.stderr and
// returns errors instead of exiting.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: herald %s %s\n\nflags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args into fs. It returns the exit code to use and false
// when the command should stop: 0 after --help, 2 after a bad flag.
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	return 0, true
}
