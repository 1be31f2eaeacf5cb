package main

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/ingest"
	"github.com/herald-news/herald/scheduler"
)

// config is everything herald reads from its environment, parsed once.
// Every field has a default; validate names the variable that is wrong and
// what it should look like. The variables are documented in .env.example.
type config struct {
	// secret reads a variable a channel names for its secret (a Mastodon
	// token, a Bluesky app password): the environment, else .env.
	secret         func(name string) string
	DB             string          // HERALD_DB
	Token          string          // TELEGRAM_BOT_TOKEN
	APIURL         string          // TELEGRAM_API_URL
	HTTPAddr       string          // HERALD_HTTP_ADDR
	Timezone       string          // HERALD_TIMEZONE
	Owners         []int64         // HERALD_OWNERS
	OldAfter       time.Duration   // HERALD_OLD_AFTER
	AnnounceBefore time.Duration   // HERALD_ANNOUNCE_BEFORE
	WatchInterval  time.Duration   // HERALD_WATCH_INTERVAL
	SendTimeout    time.Duration   // HERALD_SEND_TIMEOUT
	RateScale      float64         // HERALD_RATE_SCALE
	RepliesEvery   time.Duration   // HERALD_REPLIES_EVERY
	ReaderLimit    bot.ReaderLimit // HERALD_READER_LIMIT
	Digest         string          // HERALD_DIGEST
	APIToken       string          // HERALD_API_TOKEN
	WebhookURL     string          // HERALD_WEBHOOK_URL
	WebhookSecret  string          // HERALD_WEBHOOK_SECRET
	Links          string          // HERALD_LINKS: the base of herald's short links, "" for none
	LogFormat      string          // HERALD_LOG_FORMAT
	LogLevel       string          // HERALD_LOG_LEVEL
	// The ingest API's pages are cleaned with these on top of the
	// built-in lists, as import's --program-name, --chrome and --section.
	APIPrograms []ingest.Program // HERALD_API_PROGRAM_NAMES
	APIChrome   []string         // HERALD_API_CHROME
	APISections []string         // HERALD_API_SECTIONS
	// The web desk (package desk), served beside /healthz.
	Desk           bool   // HERALD_DESK: on (default) or off
	DeskDomain     string // HERALD_DESK_DOMAIN: the domain set with BotFather's /setdomain, for the Login Widget
	DeskURL        string // HERALD_DESK_URL: the desk's address as people open it, for the bot's /desk links
	DeskTrustProxy bool   // HERALD_DESK_TRUST_PROXY: believe X-Forwarded-Proto from a proxy in front
}

// configVar describes one variable: its name, default and the form it takes.
type configVar struct {
	name, def, form string
	set             func(c *config, v string) error
}

func configVars() []configVar {
	dur := func(f func(c *config) *time.Duration) func(*config, string) error {
		return func(c *config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return fmt.Errorf("not a duration")
			}
			*f(c) = d
			return nil
		}
	}
	str := func(f func(c *config) *string) func(*config, string) error {
		return func(c *config, v string) error { *f(c) = v; return nil }
	}
	return []configVar{
		{"HERALD_DB", "herald.db", "a file path", str(func(c *config) *string { return &c.DB })},
		{"TELEGRAM_BOT_TOKEN", "", "the token from @BotFather, like 123456:ABC-DEF", str(func(c *config) *string { return &c.Token })},
		{"TELEGRAM_API_URL", "https://api.telegram.org", "an http(s) URL such as https://api.telegram.org", func(c *config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return fmt.Errorf("not an http(s) URL")
			}
			c.APIURL = strings.TrimRight(v, "/")
			return nil
		}},
		{"HERALD_HTTP_ADDR", "127.0.0.1:8080", "host:port such as 127.0.0.1:8080", func(c *config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return err
			}
			c.HTTPAddr = v
			return nil
		}},
		{"HERALD_TIMEZONE", "Asia/Baku", "an IANA time zone such as Asia/Baku", func(c *config, v string) error {
			if _, err := time.LoadLocation(v); err != nil {
				return err
			}
			c.Timezone = v
			return nil
		}},
		{"HERALD_OWNERS", "", "comma-separated Telegram user ids such as 1001,1002", func(c *config, v string) error {
			c.Owners = nil
			for _, f := range strings.Split(v, ",") {
				if f = strings.TrimSpace(f); f == "" {
					continue
				}
				id, err := strconv.ParseInt(f, 10, 64)
				if err != nil || id <= 0 {
					return fmt.Errorf("%q is not a user id", f)
				}
				c.Owners = append(c.Owners, id)
			}
			return nil
		}},
		{"HERALD_OLD_AFTER", "24h", "a duration such as 24h", dur(func(c *config) *time.Duration { return &c.OldAfter })},
		{"HERALD_ANNOUNCE_BEFORE", "60m", "a duration such as 60m", dur(func(c *config) *time.Duration { return &c.AnnounceBefore })},
		{"HERALD_WATCH_INTERVAL", "5s", "a duration such as 5s", dur(func(c *config) *time.Duration { return &c.WatchInterval })},
		{"HERALD_SEND_TIMEOUT", "30s", "a duration such as 30s", dur(func(c *config) *time.Duration { return &c.SendTimeout })},
		{"HERALD_REPLIES_EVERY", "20s", "a duration of 1s or more, such as 20s: how often readers' replies on Mastodon and Bluesky are read", func(c *config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second {
				return fmt.Errorf("not a duration of 1s or more")
			}
			c.RepliesEvery = d
			return nil
		}},
		{"HERALD_RATE_SCALE", "1", "a number above 0 (10 when testing against fake-telegram --scale 10)", func(c *config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f <= 0 {
				return fmt.Errorf("not a positive number")
			}
			c.RateScale = f
			return nil
		}},
		{"HERALD_READER_LIMIT", "20/3s", "updates at once/then one every duration, such as 20/3s", func(c *config, v string) error {
			n, every, ok := strings.Cut(v, "/")
			burst, err := strconv.Atoi(strings.TrimSpace(n))
			if !ok || err != nil || burst < 1 {
				return fmt.Errorf("not a burst/duration pair")
			}
			d, err := time.ParseDuration(strings.TrimSpace(every))
			if err != nil || d <= 0 {
				return fmt.Errorf("not a burst/duration pair")
			}
			c.ReaderLimit = bot.ReaderLimit{Burst: burst, Every: d}
			return nil
		}},
		{"HERALD_DIGEST", "0 10 * * 1", "a cron spec such as \"0 10 * * 1\" (Mondays 10:00), or off", func(c *config, v string) error {
			if v != "off" {
				if _, err := scheduler.ParseSlots([]string{v}, time.UTC); err != nil {
					return err
				}
			}
			c.Digest = v
			return nil
		}},
		{"HERALD_API_TOKEN", "", "a long random string (openssl rand -hex 32); the CMS sends it as a bearer token", func(c *config, v string) error {
			if len(v) < 12 || strings.ContainsAny(v, " \t\n") {
				return fmt.Errorf("too short")
			}
			c.APIToken = v
			return nil
		}},
		{"HERALD_WEBHOOK_URL", "", "the public https URL Telegram posts updates to, e.g. https://herald.example.org/telegram/webhook", func(c *config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Path == "" || u.Path == "/" {
				return fmt.Errorf("not a URL with a path")
			}
			c.WebhookURL = v
			return nil
		}},
		{"HERALD_LINKS", "", "the public http(s) base URL herald's HTTP server answers short links under, without a query, e.g. https://go.example.org or https://example.org/l", func(c *config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
				return fmt.Errorf("not a base URL")
			}
			if strings.Contains(strings.Trim(u.Path, "/"), "/") || strings.HasPrefix(strings.Trim(u.Path, "/"), "api") {
				return fmt.Errorf("the path must be one segment, not /api")
			}
			c.Links = strings.TrimSuffix(v, "/")
			return nil
		}},
		{"HERALD_WEBHOOK_SECRET", "", "1 to 256 characters of A-Z, a-z, 0-9, _ and -", func(c *config, v string) error {
			if len(v) > 256 {
				return fmt.Errorf("too long")
			}
			for _, r := range v {
				if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
					return fmt.Errorf("bad character")
				}
			}
			c.WebhookSecret = v
			return nil
		}},
		{"HERALD_LOG_FORMAT", "text", "text or json", func(c *config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("unknown format")
			}
			c.LogFormat = v
			return nil
		}},
		{"HERALD_LOG_LEVEL", "info", "debug, info, warn or error", func(c *config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return fmt.Errorf("unknown level")
		}},
		{"HERALD_API_PROGRAM_NAMES", "", "programs separated by ';', each 'Stored name=Name on the page|Other name'", func(c *config, v string) error {
			c.APIPrograms = nil
			for _, f := range splitList(v) {
				p, err := ingest.ParseProgram(f)
				if err != nil {
					return err
				}
				c.APIPrograms = append(c.APIPrograms, p)
			}
			return nil
		}},
		{"HERALD_API_CHROME", "", "lines separated by ';', such as 'Bizi izləyin;Reklam'", func(c *config, v string) error {
			c.APIChrome = splitList(v)
			return nil
		}},
		{"HERALD_DESK", "on", "on or off", onOff(func(c *config) *bool { return &c.Desk })},
		{"HERALD_DESK_DOMAIN", "", "a domain name such as desk.example.org, as set with BotFather's /setdomain", func(c *config, v string) error {
			if strings.ContainsAny(v, "/:@ ") || !strings.Contains(v, ".") && v != "localhost" {
				return fmt.Errorf("not a bare domain name")
			}
			c.DeskDomain = strings.ToLower(v)
			return nil
		}},
		{"HERALD_DESK_URL", "", "the desk's http(s) address such as https://desk.example.org", func(c *config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
				return fmt.Errorf("not an http(s) URL")
			}
			c.DeskURL = strings.TrimRight(v, "/")
			return nil
		}},
		{"HERALD_DESK_TRUST_PROXY", "off", "on or off", onOff(func(c *config) *bool { return &c.DeskTrustProxy })},
		{"HERALD_API_SECTIONS", "", "section labels separated by ';', such as 'Gündəm;Siyasət'", func(c *config, v string) error {
			c.APISections = splitList(v)
			return nil
		}},
	}
}

// onOff reads a switch: on/off (also true/false, yes/no, 1/0).
func onOff(f func(c *config) *bool) func(*config, string) error {
	return func(c *config, v string) error {
		switch strings.ToLower(v) {
		case "on", "true", "yes", "1":
			*f(c) = true
		case "off", "false", "no", "0":
			*f(c) = false
		default:
			return fmt.Errorf("neither on nor off")
		}
		return nil
	}
}

// deskURL is the desk's address for the links the bot sends: HERALD_DESK_URL,
// else https:// and HERALD_DESK_DOMAIN, else HERALD_HTTP_ADDR itself.
func (c *config) deskURL() string {
	switch {
	case c.DeskURL != "":
		return c.DeskURL
	case c.DeskDomain != "":
		return "https://" + c.DeskDomain
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return ""
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// splitList splits a ';'-separated list, dropping empty entries.
func splitList(v string) []string {
	var out []string
	for _, f := range strings.Split(v, ";") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// loadConfig reads the configuration from getenv, after the .env file in
// the working directory when there is one (the environment wins). An error
// names the variable and the form it should take.
func loadConfig(getenv func(string) string) (*config, error) {
	dotenv, err := readDotEnv(".env")
	if err != nil {
		return nil, err
	}
	c := &config{secret: secretReader(getenv, dotenv)}
	for _, v := range configVars() {
		val, ok := strings.TrimSpace(getenv(v.name)), false
		if val != "" {
			ok = true
		} else if d, found := dotenv[v.name]; found && d != "" {
			val, ok = d, true
		}
		if !ok {
			val = v.def
		}
		if val == "" && v.def == "" {
			continue
		}
		if err := v.set(c, val); err != nil {
			shown := fmt.Sprintf("%q", val)
			if strings.Contains(v.name, "TOKEN") || strings.Contains(v.name, "SECRET") {
				shown = "(hidden)" // secrets stay out of logs, even bad ones
			}
			return nil, fmt.Errorf("%s=%s is not valid: want %s", v.name, shown, v.form)
		}
	}
	return c, nil
}

// requireToken checks the settings a command that talks to Telegram needs.
func (c *config) requireToken() error {
	if c.Token == "" {
		return fmt.Errorf("TELEGRAM_BOT_TOKEN is not set: want the token from @BotFather, like 123456:ABC-DEF")
	}
	if id, _, ok := strings.Cut(c.Token, ":"); !ok || id == "" || strings.ContainsAny(c.Token, " \t\n/") {
		return fmt.Errorf("TELEGRAM_BOT_TOKEN is not valid: want the token from @BotFather, like 123456:ABC-DEF")
	}
	return nil
}

// readDotEnv reads KEY=VALUE lines from path; a missing file is no error.
// Blank lines and # comments are skipped; values may be quoted.
func readDotEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want KEY=VALUE", path, n)
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		} else if i := strings.Index(v, " #"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, sc.Err()
}

// unknownKeys finds HERALD_* and TELEGRAM_* variables, in the environment
// and in ./.env, that herald does not read: most are typos, which would
// otherwise leave the default in force without a word. Each comes back as
// a sentence naming where it was set and the nearest known name.
func unknownKeys(environ func() []string, dotenv map[string]string) []string {
	known := map[string]bool{}
	var names []string
	for _, v := range configVars() {
		known[v.name] = true
		names = append(names, v.name)
	}
	// Read by herald run's tests and tools beside it, not by herald itself.
	for _, n := range []string{"HERALD_BIN", "HERALD_BENCH_TINY"} {
		known[n] = true
	}
	ours := func(k string) bool {
		return (strings.HasPrefix(k, "HERALD_") || strings.HasPrefix(k, "TELEGRAM_")) && !known[k]
	}
	var out []string
	say := func(k, where string) {
		line := fmt.Sprintf("%s (in %s) is not a variable herald reads", k, where)
		if near := nearestName(k, names); near != "" {
			line += "; did you mean " + near + "?"
		}
		out = append(out, line)
	}
	if environ != nil {
		var keys []string
		for _, kv := range environ() {
			if k, _, _ := strings.Cut(kv, "="); ours(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			say(k, "the environment")
		}
	}
	var keys []string
	for k := range dotenv {
		if ours(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		say(k, "./.env")
	}
	return out
}

// nearestName returns the name in names closest to k by edit distance,
// when it is close enough to be a typo of it (a third of its length).
func nearestName(k string, names []string) string {
	best, bestD := "", len(k)/3+1
	for _, n := range names {
		if d := editDistance(k, n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes
// (variable names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// secretReader reads a variable a channel names for its secret (a
// Mastodon token, a Bluesky app password) as herald reads its
// configuration: the environment, else the .env file given.
func secretReader(getenv func(string) string, dotenv map[string]string) func(string) string {
	return func(name string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return strings.TrimSpace(dotenv[name])
	}
}
