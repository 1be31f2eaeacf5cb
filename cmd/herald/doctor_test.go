package main

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/herald-news/herald/telegramtest"
)

// doctorVars is the environment herald doctor gets: the fake Telegram and
// the database.
func doctorVars(fake *telegramtest.Server, db string) map[string]string {
	return map[string]string{"TELEGRAM_BOT_TOKEN": secretToken, "TELEGRAM_API_URL": fake.URL(), "HERALD_DB": db}
}

// doctorLine returns doctor's output line that starts with verdict and
// contains part, and the fix line after it.
func doctorLine(r result, verdict, part string) (line, fix string, ok bool) {
	ls := strings.Split(r.stdout, "\n")
	for i, l := range ls {
		if strings.HasPrefix(l, verdict+" ") && strings.Contains(l, part) {
			if i+1 < len(ls) {
				fix = strings.TrimSpace(ls[i+1])
			}
			return l, fix, true
		}
	}
	return "", "", false
}

func TestDoctorOnAHealthyChannelExitsZero(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	for _, c := range []telegramtest.Chat{
		{ID: -1002, Type: "supergroup", Title: "DQ English Chat", BotRights: telegramtest.RightsAdmin},
		{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin, LinkedChatID: -1002},
	} {
		if err := fake.AddChat(c); err != nil {
			t.Fatal(err)
		}
	}
	db := newDB(t)
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1001", "--title", "DQ English", "--lang", "en", "--kinds", "news")

	r := runHerald(t, doctorVars(fake, db), "doctor")
	if r.code != exitOK {
		t.Fatalf("doctor on a healthy setup: want exit 0\n%v", r)
	}
	for _, want := range []string{
		"ok   config: all ",
		"ok   database " + db + ": opens, writable, schema ",
		"ok   telegram: " + fake.URL() + " answers, token valid, bot @" + fake.BotUsername(),
		"ok   channel DQ English (-1001): the bot is an administrator and may post, edit and delete messages",
		"ok   channel DQ English (-1001): discussion group DQ English Chat (-1002): linked, the bot is an administrator",
		"ok   webhook: none set; herald polls with getUpdates",
		"ok   updates: 0 waiting at Telegram",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("doctor does not say %q\n%v", want, r)
		}
	}
	if !strings.HasSuffix(r.lastLine(), ", 0 failed") {
		t.Errorf("the summary is %q, want 0 failed", r.lastLine())
	}
	noToken(t, "doctor's output", r.stdout+r.stderr)
}

func TestDoctorFailsNamingTheChannel(t *testing.T) {
	cases := []struct {
		name   string
		chat   *telegramtest.Chat // nil: Telegram does not know the chat
		line   string
		fixSay string
	}{
		{"a channel where the bot has no rights",
			&telegramtest.Chat{ID: -1003, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsNone},
			"channel DQ English (-1003): the bot is not in the chat",
			"fix: make the bot an administrator of DQ English (-1003) with Post, Edit and Delete messages rights"},
		{"a channel where the bot is only a member",
			&telegramtest.Chat{ID: -1003, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsMember},
			"channel DQ English (-1003): the bot is a member, not an administrator",
			"fix: make the bot an administrator of DQ English (-1003) with Post, Edit and Delete messages rights"},
		{"a chat Telegram does not know",
			nil,
			"channel DQ English (-1003): Telegram knows no such chat",
			"fix: check the chat id (herald channel list)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
			if c.chat != nil {
				if err := fake.AddChat(*c.chat); err != nil {
					t.Fatal(err)
				}
			}
			db := newDB(t)
			mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1003", "--title", "DQ English", "--lang", "en", "--kinds", "news")
			r := runHerald(t, doctorVars(fake, db), "doctor", "--db", db)
			if r.code != exitFailed {
				t.Fatalf("want exit 1\n%v", r)
			}
			_, fix, ok := doctorLine(r, "FAIL", c.line)
			if !ok {
				t.Fatalf("no FAIL line says %q\n%v", c.line, r)
			}
			if !strings.HasPrefix(fix, c.fixSay) {
				t.Errorf("the fix is %q, want %q", fix, c.fixSay)
			}
			noToken(t, "doctor's output", r.stdout+r.stderr)
		})
	}
}

func TestDoctorFailsOnAWebhookSetWhileHeraldPolls(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	hook := "http://127.0.0.1:1/telegram/webhook"
	resp, err := http.PostForm(fake.URL()+"/bot"+secretToken+"/setWebhook", url.Values{"url": {hook}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	db := newDB(t)
	mustRun(t, nil, "migrate", "--db", db)

	r := runHerald(t, doctorVars(fake, db), "doctor")
	if r.code != exitFailed {
		t.Fatalf("want exit 1\n%v", r)
	}
	_, fix, ok := doctorLine(r, "FAIL", "webhook: "+hook+" is set, so getUpdates fails")
	if !ok || !strings.Contains(fix, "herald run deletes it on start, or call deleteWebhook") {
		t.Fatalf("want a FAIL line about the webhook with its fix\n%v", r)
	}
	if _, _, ok := doctorLine(r, "warn", "channels: none"); !ok {
		t.Errorf("a database without channels is not warned about\n%v", r)
	}
}

func TestDoctorWithABadTokenFailsWithoutShowingIt(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken("555:the-fakes-own-token"))
	db := newDB(t)
	mustRun(t, nil, "channel", "add", "--db", db, "--chat", "-1001", "--title", "DQ English", "--lang", "en", "--kinds", "news")
	r := runHerald(t, doctorVars(fake, db), "doctor")
	if r.code != exitFailed {
		t.Fatalf("want exit 1\n%v", r)
	}
	_, fix, ok := doctorLine(r, "FAIL", "refused the token")
	if !ok || !strings.Contains(fix, "TELEGRAM_BOT_TOKEN") {
		t.Fatalf("want a FAIL line saying the token was refused, with a fix naming TELEGRAM_BOT_TOKEN\n%v", r)
	}
	noToken(t, "doctor's output", r.stdout+r.stderr)
}

func TestDoctorListsEveryBadVariableAndAMissingDatabase(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken))
	db := newDB(t)
	vars := doctorVars(fake, db)
	vars["HERALD_LOG_LEVEL"] = "loud"
	vars["HERALD_SEND_TIMEOUT"] = "soon"
	r := runHerald(t, vars, "doctor")
	if r.code != exitFailed {
		t.Fatalf("want exit 1\n%v", r)
	}
	for _, c := range []struct{ line, fix string }{
		{`config: HERALD_LOG_LEVEL="loud" (from the environment) is not valid`, "fix: set HERALD_LOG_LEVEL to debug, info, warn or error"},
		{`config: HERALD_SEND_TIMEOUT="soon" (from the environment) is not valid`, "fix: set HERALD_SEND_TIMEOUT to a duration"},
		{"database " + db + ": no such file", "fix: point --db or HERALD_DB at herald's database"},
	} {
		if _, fix, ok := doctorLine(r, "FAIL", c.line); !ok || !strings.HasPrefix(fix, c.fix) {
			t.Errorf("want FAIL %q followed by %q\n%v", c.line, c.fix, r)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("doctor created the missing database %s", db)
	}
	// The rest is still checked.
	if _, _, ok := doctorLine(r, "ok", "telegram: "); !ok {
		t.Errorf("Telegram was not checked after the config failures\n%v", r)
	}
}
