package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald/telegramtest"
)

// Every configuration variable, given a value with the bot token inside
// it (pasted whole, as a URL's password, in a "/bot<token>" path, as a
// secret-named query parameter), leaves the token out of every line herald
// run and herald doctor write, and out of the database.
func TestNoConfigVariableMakesHeraldPrintTheToken(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	host := strings.TrimPrefix(fake.URL(), "http://")
	values := map[string]string{
		"pasted whole":         "x" + secretToken,
		"as a URL's password":  "http://editor:" + secretToken + "@example.org/feed",
		"in a /bot path":       "https://example.org/bot" + secretToken + "/getMe",
		"as a query parameter": "https://example.org/hook?token=" + secretToken + "&lang=en",
	}
	for _, v := range configVars() {
		if v.name == "TELEGRAM_BOT_TOKEN" || v.name == "HERALD_DB" {
			continue // the token itself; the database path is the test's
		}
		for how, value := range values {
			t.Run(v.name+" "+how, func(t *testing.T) {
				db := filepath.Join(t.TempDir(), "h.db")
				vars := runVars(fake)
				vars["HERALD_DB"] = db
				vars[v.name] = value
				for _, cmd := range []string{"run", "doctor"} {
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					var stdout, stderr syncBuffer
					done := make(chan int, 1)
					go func() { done <- runWith(ctx, vars, &stdout, &stderr, cmd, "--db", db) }()
					if cmd == "run" {
						waitUntil(t, &stderr, done, regexp.MustCompile(`herald running|herald run:`))
					}
					cancel()
					<-done
					noToken(t, "herald "+cmd+"'s output", stdout.String()+stderr.String())
				}
				noTokenInFiles(t, db)
			})
		}
	}
	// The mistake the issue names: the token pasted into the API URL's
	// path, or userinfo, of an address that answers.
	for how, url := range map[string]string{
		"/bot<token>": "http://" + host + "/bot" + secretToken,
		"userinfo":    "http://user:" + secretToken + "@" + host,
	} {
		t.Run("TELEGRAM_API_URL with the token in its "+how, func(t *testing.T) {
			vars := runVars(fake)
			vars["TELEGRAM_API_URL"] = url
			for _, cmd := range []string{"run", "doctor"} {
				db := filepath.Join(t.TempDir(), "h.db")
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				var stdout, stderr syncBuffer
				done := make(chan int, 1)
				go func() { done <- runWith(ctx, vars, &stdout, &stderr, cmd, "--db", db) }()
				if cmd == "run" {
					waitUntil(t, &stderr, done, regexp.MustCompile(`herald running|herald run:`))
				}
				cancel()
				<-done
				out := stdout.String() + stderr.String()
				noToken(t, "herald "+cmd+"'s output", out)
				if !strings.Contains(out, "<token>") && !strings.Contains(out, "<redacted>") && cmd == "doctor" {
					t.Errorf("herald doctor does not show where the secret was:\n%s", out)
				}
			}
		})
	}
}

// waitUntil waits for log to match re or the command to end.
func waitUntil(t *testing.T, log *syncBuffer, done chan int, re *regexp.Regexp) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(15 * time.Second)
	for !re.MatchString(log.String()) {
		select {
		case code := <-done:
			done <- code
			return
		case <-deadline:
			t.Fatalf("herald neither ran nor stopped:\n%s", log.String())
		case <-tick.C:
		}
	}
}
