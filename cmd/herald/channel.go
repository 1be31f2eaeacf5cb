package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
)

const channelSynopsis = `add|set|list|test|remove [flags]

  herald channel add --chat CHAT --lang L --kinds K[,K] [flags]
  herald channel add --network mastodon --instance URL --token-env VAR --lang L --kinds K [flags]
  herald channel add --network bluesky --service URL --handle H --password-env VAR --lang L --kinds K [flags]
  herald channel set CHANNEL [flags]       (CHANNEL: id, chat or title)
  herald channel list [--json] [--removed]
  herald channel test CHANNEL ARTICLE      (does it take the article, and why)
  herald channel remove CHANNEL --yes [--purge]   (keeps history unless --purge)

CHAT may be a forum topic: --chat -1001234567890 --topic 7, or the topic's
link, --chat https://t.me/c/1234567890/7. --include and --exclude take
filter rules ([title|body|program|people|tags:]words, or re:EXPR), repeated
or comma-separated; --include none clears them.

Slots are cron specs separated by ';' ("0 9 * * *; 0 19 * * *"), read in
--timezone (default HERALD_TIMEZONE); a channel without slots posts as soon
as its gap and cap allow.

A Mastodon or Bluesky channel is an account herald signs in as: the
secret (an access token, an app password) stays in the environment
variable named by --token-env or --password-env, never in the database;
herald signs in when the channel is added, to check it.`

func cmdChannel(ctx context.Context, e *env) int {
	if len(e.args) == 0 {
		fmt.Fprintf(e.stderr, "usage: herald channel %s\n", channelSynopsis)
		return exitUsage
	}
	sub, args := e.args[0], e.args[1:]
	named := *e
	named.name = "channel " + sub // errors read "herald channel add: …"
	e = &named
	switch sub {
	case "add", "set":
		return channelEdit(ctx, e, sub, args)
	case "list", "ls":
		return channelList(ctx, e, args)
	case "remove", "rm":
		return channelRemove(ctx, e, args)
	case "test":
		return channelTest(ctx, e, args)
	case "-h", "--help", "help":
		fmt.Fprintf(e.stdout, "usage: herald channel %s\n", channelSynopsis)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "herald channel: unknown subcommand %q\nusage: herald channel %s\n", sub, channelSynopsis)
	return exitUsage
}

// channelFlags binds the rule flags to a channel being built.
type channelFlags struct {
	network, instance, service, handle, tokenEnv, passwordEnv, visibility string
	chat, title, lang, kinds, slots, zone, minGap, quiet, quietMode       string
	reviewLink, template, onEdit, onUnpublish, readersPost                string
	dailyCap                                                              int
	paused, autoApprove                                                   bool
	topic                                                                 int64
	include, exclude                                                      ruleList
	approval                                                              bool
	approvers                                                             string
}

func (f *channelFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&f.network, "network", "", "the `network`: telegram (default), mastodon or bluesky (only with add)")
	fs.StringVar(&f.instance, "instance", "", "Mastodon: the instance's `address`, e.g. https://mastodon.social")
	fs.StringVar(&f.tokenEnv, "token-env", "", "Mastodon: the environment `variable` holding the account's access token")
	fs.StringVar(&f.visibility, "visibility", "", "Mastodon: the posts' `visibility`, public (default) or unlisted")
	fs.StringVar(&f.service, "service", "", "Bluesky: the account's service `address`, e.g. https://bsky.social")
	fs.StringVar(&f.handle, "handle", "", "Bluesky: the account's `handle`, e.g. news.bsky.social")
	fs.StringVar(&f.passwordEnv, "password-env", "", "Bluesky: the environment `variable` holding the account's app password")
	fs.StringVar(&f.chat, "chat", "", "the Telegram `chat`: a numeric id (-1001234567890) or @username")
	fs.StringVar(&f.title, "title", "", "a `title` editors will know the channel by")
	fs.StringVar(&f.lang, "lang", "", "the channel's `language`: az, en or ru")
	fs.StringVar(&f.kinds, "kinds", "", "the `kinds` it takes, comma-separated: commentary,episode,news")
	fs.StringVar(&f.slots, "slots", "", "posting `slots`: cron specs separated by ';', e.g. \"0 9 * * *; 0 19 * * *\"")
	fs.StringVar(&f.zone, "timezone", "", "the IANA `zone` slots and quiet hours are read in (default HERALD_TIMEZONE)")
	fs.StringVar(&f.minGap, "min-gap", "", "the least `duration` between two posts, e.g. 30m")
	fs.IntVar(&f.dailyCap, "daily-cap", 0, "at most `n` posts a day (0: no cap)")
	fs.StringVar(&f.quiet, "quiet", "", "quiet `hours`, e.g. 00:00-07:00 (\"off\" for none)")
	fs.StringVar(&f.quietMode, "quiet-mode", "", "what quiet hours do: silent (send without sound) or hold (wait until they end)")
	fs.StringVar(&f.reviewLink, "review-link", "", "the review deep link: text (default), button or off")
	fs.StringVar(&f.template, "template", "", "a Go text/template for posts, or @FILE to read it from a file (\"default\" to reset)")
	fs.StringVar(&f.onEdit, "on-edit", "", "when a sent post's article changes: edit (default) or keep; on Bluesky, which has no edits, keep (default) or repost")
	fs.StringVar(&f.onUnpublish, "on-unpublish", "", "when a sent post's article is unpublished: delete (default) or keep")
	fs.BoolVar(&f.paused, "paused", false, "pause the channel (--paused=false resumes it)")
	fs.BoolVar(&f.autoApprove, "auto-approve", false, "readers' reviews from this channel start approved")
	fs.Int64Var(&f.topic, "topic", 0, "the forum `topic` (message_thread_id) of a supergroup with topics that posts go to; 0 for the chat itself")
	fs.Var(&f.include, "include", "take only articles matching one of these filter `rules` (repeat or comma-separate; \"none\" clears): words, \"a phrase\", title:word, people:name, re:EXPR")
	fs.Var(&f.exclude, "exclude", "never take articles matching one of these filter `rules` (as --include; \"none\" clears)")
	fs.BoolVar(&f.approval, "approval", false, "posts wait for an approver (the owners, or --approvers) before they go out (--approval=false: they go on their own)")
	fs.StringVar(&f.approvers, "approvers", "", "who may approve: Telegram user `ids`, comma-separated (\"none\": the owners)")
	fs.StringVar(&f.readersPost, "readers-post", "", "post a roundup of approved reviews (\"What readers said\") on this cron `spec`, e.g. \"0 20 * * 0\"; \"off\" for none (the default)")
}

// apply writes the flags that were given onto c.
func (f *channelFlags) apply(fs *flag.FlagSet, c *herald.Channel) error {
	var err error
	fs.Visit(func(fl *flag.Flag) {
		if err != nil {
			return
		}
		switch fl.Name {
		case "network", "instance", "service", "token-env", "password-env", "handle", "visibility":
			err = f.applyAccount(fl.Name, c)
		case "chat":
			var topic int64
			if c.Chat, topic, err = herald.ParseDestination(f.chat); err != nil {
				err = fmt.Errorf("--%s", herald.ErrorMessage(err))
				break
			}
			c.Topic = topic // a chat without a topic in it is the chat itself, unless --topic says
		case "topic":
			if !c.IsTelegram() {
				err = fmt.Errorf("--topic is for Telegram channels (a forum's topic); this channel is on %s", c.Network)
				break
			}
			var fromLink int64
			if flagGiven(fs, "chat") {
				_, fromLink, _ = herald.ParseDestination(f.chat)
			}
			if fromLink != 0 && f.topic != fromLink {
				err = fmt.Errorf("--topic %d: the --chat link names topic %d; give one of them", f.topic, fromLink)
				break
			}
			c.Topic = f.topic
		case "include":
			c.Filters.Include = f.include.rules()
		case "exclude":
			c.Filters.Exclude = f.exclude.rules()
		case "approval":
			c.Approval = f.approval
		case "approvers":
			c.Approvers, err = parseApprovers(f.approvers)
		case "title":
			c.Title = strings.TrimSpace(f.title)
		case "lang":
			c.Language = herald.Language(strings.TrimSpace(f.lang))
		case "kinds":
			c.Kinds = nil
			for _, k := range strings.Split(f.kinds, ",") {
				if k = strings.TrimSpace(k); k != "" {
					c.Kinds = append(c.Kinds, herald.Kind(k))
				}
			}
		case "slots":
			c.Slots = nil
			for _, s := range strings.Split(f.slots, ";") {
				if s = strings.TrimSpace(s); s != "" {
					c.Slots = append(c.Slots, s)
				}
			}
		case "timezone":
			c.Timezone = strings.TrimSpace(f.zone)
		case "min-gap":
			var d time.Duration
			if d, err = time.ParseDuration(f.minGap); err != nil {
				err = fmt.Errorf("--min-gap %q: want a duration such as 30m or 1h", f.minGap)
			}
			c.MinGap = herald.Duration(d)
		case "daily-cap":
			c.DailyCap = f.dailyCap
		case "quiet":
			if c.Quiet, err = herald.ParseQuietHours(f.quiet); err != nil {
				err = fmt.Errorf("--quiet %q: want HH:MM-HH:MM such as 00:00-07:00, or off", f.quiet)
			}
		case "quiet-mode":
			c.QuietMode = herald.QuietMode(f.quietMode)
		case "review-link":
			c.ReviewLink = herald.ReviewLink(f.reviewLink)
		case "template":
			c.Template, err = readTemplate(f.template)
		case "on-edit":
			c.OnEdit = f.onEdit
		case "on-unpublish":
			c.OnUnpublish = f.onUnpublish
		case "paused":
			c.Paused = f.paused
			if !c.Paused {
				c.PauseReason = ""
			}
		case "auto-approve":
			c.AutoApprove = f.autoApprove
		case "readers-post":
			c.ReadersPost = strings.TrimSpace(f.readersPost)
			if c.ReadersPost == "off" {
				c.ReadersPost = ""
			}
		}
	})
	return err
}

// applyAccount writes one of the account flags onto c, refusing a flag of
// another network than c's.
func (f *channelFlags) applyAccount(name string, c *herald.Channel) error {
	owner := map[string]string{"instance": herald.NetworkMastodon, "token-env": herald.NetworkMastodon,
		"visibility": herald.NetworkMastodon, "service": herald.NetworkBluesky, "handle": herald.NetworkBluesky,
		"password-env": herald.NetworkBluesky, "topic": herald.NetworkTelegram}[name]
	if owner != "" && c.Network != owner {
		return fmt.Errorf("--%s is for %s channels; this channel is on %s", name, owner, c.Network)
	}
	switch name {
	case "instance":
		c.Endpoint = strings.TrimRight(strings.TrimSpace(f.instance), "/")
	case "service":
		c.Endpoint = strings.TrimRight(strings.TrimSpace(f.service), "/")
	case "token-env":
		c.SecretEnv = strings.TrimSpace(f.tokenEnv)
	case "password-env":
		c.SecretEnv = strings.TrimSpace(f.passwordEnv)
	case "handle":
		c.Handle = strings.TrimPrefix(strings.TrimSpace(f.handle), "@")
	case "visibility":
		c.Visibility = strings.TrimSpace(f.visibility)
	}
	return nil
}

// networkDefaults sets up a new channel for the network --network names,
// before the other flags apply.
func (f *channelFlags) networkDefaults(c *herald.Channel) error {
	n := strings.ToLower(strings.TrimSpace(f.network))
	if n == "" {
		n = herald.NetworkTelegram
	}
	if !herald.ValidNetwork(n) {
		return fmt.Errorf("--network %q: want telegram, mastodon or bluesky", f.network)
	}
	c.Network = n
	switch n {
	case herald.NetworkMastodon:
		// Replies are the reviews there; the bot's deep link is Telegram's.
		c.Visibility, c.ReviewLink = herald.VisibilityPublic, herald.ReviewLinkOff
	case herald.NetworkBluesky:
		c.ReviewLink, c.OnEdit = herald.ReviewLinkOff, herald.OnEditKeep
	}
	return nil
}

func readTemplate(v string) (string, error) {
	switch {
	case v == "default" || v == "":
		return "", nil
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return "", fmt.Errorf("--template: %w", err)
		}
		return string(b), nil
	}
	return v, nil
}

// checkChannel validates c completely: its fields, its slots, its template.
func checkChannel(c *herald.Channel, zone string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if _, err := scheduler.CompileRules(c, zone); err != nil {
		return err
	}
	if c.ReadersPost != "" {
		if _, err := scheduler.ParseSlots([]string{c.ReadersPost}, time.UTC); err != nil {
			return fmt.Errorf("--readers-post %q: want a cron spec such as \"0 20 * * 0\", or off", c.ReadersPost)
		}
	}
	if c.Template != "" {
		if err := bot.CheckTemplate(c.Template); err != nil {
			return fmt.Errorf("--template: %s; want a Go text/template such as \"{{.Title}}\\n\\n{{.Lead}}\"",
				strings.TrimPrefix(err.Error(), "template: "))
		}
	}
	return nil
}

func channelEdit(ctx context.Context, e *env, sub string, args []string) int {
	fs := newFlagSet(e, "channel "+sub, map[string]string{
		"add": "--chat CHAT --lang L --kinds K[,K] [flags]",
		"set": "CHANNEL [flags]"}[sub])
	db := dbFlag(e, fs)
	var f channelFlags
	f.bind(fs)
	if code, ok := parseFlags(fs, reorder(args)); !ok {
		return code
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel: %v\n", err)
		return exitUsage
	}
	var c *herald.Channel
	if sub == "add" {
		if fs.NArg() != 0 {
			fmt.Fprintf(e.stderr, "herald channel add: unexpected %q; every setting is a flag\n", fs.Arg(0))
			return exitUsage
		}
		c = &herald.Channel{Network: herald.NetworkTelegram, QuietMode: herald.QuietSilent,
			ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
		if err := f.networkDefaults(c); err != nil {
			fmt.Fprintf(e.stderr, "herald channel add: %v\n", err)
			return exitUsage
		}
		// Every flag is checked before the database is opened, so that a
		// mistyped flag leaves no new database behind; an account is
		// signed in as, so that one is added only when it works.
		if code, ok := applyChannelFlags(ctx, e, sub, fs, &f, c, cfg); !ok {
			return code
		}
	} else if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "herald channel set: name one channel (id, chat or title), then the flags to change")
		return exitUsage
	}
	open := openStore
	if sub == "add" {
		open = createStore
	}
	st, ok := open(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	if sub == "set" {
		if c, err = st.ChannelByRef(ctx, fs.Arg(0)); err != nil {
			fmt.Fprintf(e.stderr, "herald channel set: %s\n", herald.ErrorMessage(err))
			return exitFailed
		}
		before := *c
		before.Kinds, before.Slots = slices.Clone(c.Kinds), slices.Clone(c.Slots)
		if isSet(fs, "network") {
			fmt.Fprintln(e.stderr, "herald channel set: --network cannot change; remove the channel and add one on the other network")
			return exitUsage
		}
		if code, ok := applyChannelFlags(ctx, e, sub, fs, &f, c, cfg); !ok {
			return code
		}
		if reflect.DeepEqual(before, *c) {
			// Saying "updated" here would hide a forgotten flag.
			fmt.Fprintf(e.stdout, "channel %d unchanged: no flag given changes it (herald channel set --help lists them): %s\n", c.ID, describeChannel(c, cfg.Timezone))
			return exitOK
		}
	}
	if sub == "add" {
		err = st.CreateChannel(ctx, c)
	} else {
		err = st.UpdateChannel(ctx, c)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel %s: %s\n", sub, herald.ErrorMessage(err))
		return exitFailed
	}
	verb := map[string]string{"add": "added", "set": "updated"}[sub]
	fmt.Fprintf(e.stdout, "channel %d %s: %s\n", c.ID, verb, describeChannel(c, cfg.Timezone))
	if err := st.AddAudit(ctx, &herald.AuditEntry{Action: sub + "_channel", Detail: fmt.Sprintf("channel %d: %s", c.ID, describeChannel(c, cfg.Timezone))}); err != nil {
		fmt.Fprintf(e.stderr, "herald channel %s: done, but not audited: %v\n", sub, err)
	}
	return exitOK
}

// applyChannelFlags applies the flags given to c and checks the result,
// printing what is wrong in terms of the flag to fix.
func applyChannelFlags(ctx context.Context, e *env, sub string, fs *flag.FlagSet, f *channelFlags, c *herald.Channel, cfg *config) (int, bool) {
	zone := cfg.Timezone
	account := c.Endpoint + "\x00" + c.Handle + "\x00" + c.SecretEnv
	if err := f.apply(fs, c); err != nil {
		fmt.Fprintf(e.stderr, "herald channel %s: %v\n", sub, err)
		return exitUsage, false
	}
	if !c.IsTelegram() && (sub == "add" || account != c.Endpoint+"\x00"+c.Handle+"\x00"+c.SecretEnv) {
		if isSet(fs, "chat") {
			fmt.Fprintf(e.stderr, "herald channel %s: --chat is for Telegram; herald learns the %s account when it signs in\n", sub, c.Network)
			return exitUsage, false
		}
		if err := checkAccountFlags(c); err != nil {
			fmt.Fprintf(e.stderr, "herald channel %s: %v\n", sub, err)
			return exitUsage, false
		}
		if err := verifyAccount(ctx, cfg.secret, c); err != nil {
			fmt.Fprintf(e.stderr, "herald channel %s: %v\n", sub, err)
			return exitFailed, false
		}
	}
	if c.Title == "" {
		c.Title = c.Chat
		if c.Handle != "" {
			c.Title = c.Handle
		}
	}
	if err := checkChannel(c, zone); err != nil {
		fmt.Fprintf(e.stderr, "herald channel %s: %s\n", sub, channelFlagError(err))
		return exitUsage, false
	}
	return 0, true
}

// checkAccountFlags says which flag an account on c's network still needs,
// before herald tries to sign in.
func checkAccountFlags(c *herald.Channel) error {
	what, secret := "--instance", "--token-env"
	if c.Network == herald.NetworkBluesky {
		what, secret = "--service", "--password-env"
	}
	if err := herald.ValidEndpoint(c.Endpoint); err != nil {
		return fmt.Errorf("%s %v", what, err)
	}
	if herald.LooksLikeSecret(c.SecretEnv) {
		return fmt.Errorf("%s looks like the %s itself; give the name of the environment variable holding it, such as HERALD_%s_SECRET (and keep the %s out of shell history)",
			secret, secretWord(c.Network), strings.ToUpper(c.Network), secretWord(c.Network))
	}
	if !herald.ValidEnvName(c.SecretEnv) {
		return fmt.Errorf("%s is %q; want the name of the environment variable holding the account's %s, such as HERALD_%s_SECRET",
			secret, c.SecretEnv, secretWord(c.Network), strings.ToUpper(c.Network))
	}
	if c.Network == herald.NetworkBluesky && c.Handle == "" {
		return fmt.Errorf("--handle is missing; want the account's handle, such as news.bsky.social")
	}
	return nil
}

// isSet reports whether the flag name was given.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// channelFlagError words a validation error in terms of the flag to fix.
func channelFlagError(err error) string {
	msg := herald.ErrorMessage(err)
	if herald.ErrorCode(err) != herald.EInvalid {
		return err.Error()
	}
	if strings.HasPrefix(msg, "filter: ") {
		return "--include/--exclude: " + strings.TrimPrefix(msg, "filter: ")
	}
	for _, f := range []string{"chat", "lang", "kinds", "slots", "timezone", "min-gap", "daily-cap", "quiet-mode", "review-link", "on-edit", "on-unpublish", "topic", "approvers",
		"network", "instance", "service", "token-env", "password-env", "handle", "visibility"} {
		if strings.HasPrefix(msg, f+": ") {
			return "--" + msg
		}
	}
	return msg
}

func describeChannel(c *herald.Channel, zone string) string {
	var parts []string
	if c.IsTelegram() {
		dest := c.Chat
		if c.Topic != 0 {
			dest = fmt.Sprintf("%s topic %d", c.Chat, c.Topic)
		}
		parts = append(parts, fmt.Sprintf("%s %s", c.Title, dest), string(c.Language))
	} else {
		who := c.Handle
		if who == "" {
			who = c.Chat
		}
		parts = append(parts, fmt.Sprintf("%s %s %s at %s", c.Title, c.Network, who, c.Endpoint), string(c.Language))
	}
	kinds := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		kinds[i] = string(k)
	}
	parts = append(parts, strings.Join(kinds, ","))
	if len(c.Slots) > 0 {
		z := c.Timezone
		if z == "" {
			z = zone
		}
		parts = append(parts, "slots "+strings.Join(c.Slots, "; ")+" ("+z+")")
	} else {
		parts = append(parts, "as soon as allowed")
	}
	if c.MinGap > 0 {
		parts = append(parts, "gap "+time.Duration(c.MinGap).String())
	}
	if c.DailyCap > 0 {
		parts = append(parts, fmt.Sprintf("cap %d/day", c.DailyCap))
	}
	if !c.Quiet.IsZero() {
		parts = append(parts, "quiet "+c.Quiet.String()+" "+string(c.QuietMode))
	}
	if c.ReadersPost != "" {
		parts = append(parts, "readers' roundup "+c.ReadersPost)
	}
	if len(c.Filters.Include) > 0 {
		parts = append(parts, "include "+strings.Join(quoted(c.Filters.Include), ", "))
	}
	if len(c.Filters.Exclude) > 0 {
		parts = append(parts, "exclude "+strings.Join(quoted(c.Filters.Exclude), ", "))
	}
	if c.Approval {
		who := "the owners"
		if len(c.Approvers) > 0 {
			who = joinInts(c.Approvers)
		}
		parts = append(parts, "approval by "+who)
	}
	if c.Paused {
		p := "PAUSED"
		if c.PauseReason != "" {
			p += " (" + c.PauseReason + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " · ")
}

// channelJSON is a channel as channel list --json prints it.
type channelJSON struct {
	*herald.Channel
	Quiet   string `json:"quiet"`
	Removed bool   `json:"removed,omitempty"` // with --removed: out of use, history kept
}

func channelList(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "channel list", "[--json] [--removed]")
	db := dbFlag(e, fs)
	asJSON := fs.Bool("json", false, "print one JSON array")
	withRemoved := fs.Bool("removed", false, "also list removed channels, whose history is kept")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel list: %v\n", err)
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	cs, err := st.Channels(ctx)
	var removed []*herald.Channel
	if err == nil && *withRemoved {
		removed, err = st.RemovedChannels(ctx)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel list: %v\n", err)
		return exitFailed
	}
	if *asJSON {
		out := make([]channelJSON, 0, len(cs)+len(removed))
		for _, c := range cs {
			out = append(out, channelJSON{Channel: c, Quiet: c.Quiet.String()})
		}
		for _, c := range removed {
			out = append(out, channelJSON{Channel: c, Quiet: c.Quiet.String(), Removed: true})
		}
		return printJSON(e, out)
	}
	defer func() {
		for _, c := range removed {
			fmt.Fprintf(e.stdout, "%3d  REMOVED (history kept; herald channel add --chat %s brings it back) · %s\n", c.ID, c.Chat, describeChannel(c, cfg.Timezone))
		}
	}()
	if len(cs) == 0 {
		fmt.Fprintln(e.stdout, "no channels yet: herald channel add --chat CHAT --lang L --kinds K adds one")
	}
	for _, c := range cs {
		fmt.Fprintf(e.stdout, "%3d  %s\n", c.ID, describeChannel(c, cfg.Timezone))
	}
	return exitOK
}

func channelRemove(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "channel remove", `CHANNEL --yes [--purge]

Takes a channel out of use: nothing more is planned or sent on it, its
planned and failed posts are cancelled, and it leaves the lists. Its sent posts, its
readers' reviews and the audit stay as history (herald queue --state all
still shows them), and "herald channel add" with the same chat brings it
back. --purge deletes the channel with its posts and the reviews readers
left through it, for good.

CHANNEL is an id, a chat (-100…, @username) or a title. Without --yes,
herald asks on a terminal for the channel's title to be typed, and
refuses anywhere else.`)
	db := dbFlag(e, fs)
	yes := fs.Bool("yes", false, "remove without asking")
	purge := fs.Bool("purge", false, "delete the channel's posts and reviews too, for good")
	if code, ok := parseFlags(fs, reorder(args)); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "herald channel remove: name one channel (id, chat or title)")
		return exitUsage
	}
	st, ok := openStore(e, *db)
	if !ok {
		return exitFailed
	}
	defer st.Close()
	c, err := st.ChannelByRef(ctx, fs.Arg(0))
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel remove: %s\n", herald.ErrorMessage(err))
		return exitFailed
	}
	what := "its sent posts and reviews stay as history"
	if *purge {
		what = "its posts and the reviews left through it are deleted for good"
	}
	if !*yes {
		if !isTerminal(e.stdin) {
			fmt.Fprintf(e.stderr, "herald channel remove: this removes channel #%d %s (%s); %s. Add --yes to go ahead\n", c.ID, c.Title, c.Chat, what)
			return exitUsage
		}
		fmt.Fprintf(e.stderr, "This removes channel #%d %s (%s); %s.\nType the channel's title to go ahead: ", c.ID, c.Title, c.Chat, what)
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		if !strings.EqualFold(strings.TrimSpace(line), strings.TrimSpace(c.Title)) {
			fmt.Fprintln(e.stderr, "herald channel remove: not confirmed; nothing removed")
			return exitFailed
		}
	}
	if *purge {
		err = st.DeleteChannel(ctx, c.ID)
		if err == nil {
			fmt.Fprintf(e.stdout, "channel %d purged: %s %s, with its posts and reviews\n", c.ID, c.Title, c.Chat)
		}
	} else {
		var n int
		n, err = st.RemoveChannel(ctx, c.ID)
		if err == nil {
			fmt.Fprintf(e.stdout, "channel %d removed: %s %s; %d unsent %s cancelled; sent posts and reviews kept (--purge deletes them)\n",
				c.ID, c.Title, c.Chat, n, plural(n, "post", "posts"))
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "herald channel remove: %s\n", herald.ErrorMessage(err))
		return exitFailed
	}
	action := "remove_channel"
	if *purge {
		action = "purge_channel"
	}
	if err := st.AddAudit(ctx, &herald.AuditEntry{Action: action, Detail: fmt.Sprintf("channel %d %s %s", c.ID, c.Chat, c.Title)}); err != nil {
		fmt.Fprintf(e.stderr, "herald channel remove: done, but not audited: %v\n", err)
	}
	return exitOK
}

// isTerminal reports whether r is a terminal a person types into.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
