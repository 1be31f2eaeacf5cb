package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/telegramtest"
)

const doctorToken = "424242:doctor-SeCrEt-token_xyz"

// diagnose runs bot.Diagnose against the fake and returns the lines it reported.
func diagnose(t *testing.T, fake *telegramtest.Server, webhook string, channels ...*herald.Channel) []bot.Check {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out []bot.Check
	bot.Diagnose(ctx, bot.DoctorConfig{Token: doctorToken, APIURL: fake.URL(), WebhookURL: webhook, Channels: channels},
		func(c bot.Check) { out = append(out, c) })
	return out
}

// find returns the first line that contains all of parts.
func find(checks []bot.Check, parts ...string) (bot.Check, bool) {
next:
	for _, c := range checks {
		for _, p := range parts {
			if !strings.Contains(c.Line, p) {
				continue next
			}
		}
		return c, true
	}
	return bot.Check{}, false
}

func dump(checks []bot.Check) string {
	var b strings.Builder
	for _, c := range checks {
		fmt.Fprintf(&b, "%s %s\n", c.Verdict, c.Line)
		if c.Fix != "" {
			fmt.Fprintf(&b, "     fix: %s\n", c.Fix)
		}
	}
	return b.String()
}

func TestDiagnoseChannels(t *testing.T) {
	cases := []struct {
		name    string
		chats   []telegramtest.Chat
		channel herald.Channel
		verdict bot.Verdict // of the line about the bot's rights
		line    string
		fix     string
	}{
		{"a channel where the bot is an administrator passes",
			[]telegramtest.Chat{{ID: -1001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin}},
			herald.Channel{ID: 1, Chat: "-1001", Title: "DQ English"},
			bot.CheckOK, "channel DQ English (-1001): the bot is an administrator and may post, edit and delete messages", ""},
		{"a channel where the bot has no rights fails and names the channel",
			[]telegramtest.Chat{{ID: -1003, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsNone}},
			herald.Channel{ID: 3, Chat: "-1003", Title: "DQ English"},
			bot.CheckFail, "channel DQ English (-1003): the bot is not in the chat",
			"make the bot an administrator of DQ English (-1003) with Post, Edit and Delete messages rights"},
		{"a channel where the bot is only a member fails: only administrators post in channels",
			[]telegramtest.Chat{{ID: -1004, Type: "channel", Title: "Members only", BotRights: telegramtest.RightsMember}},
			herald.Channel{ID: 4, Chat: "-1004", Title: "Members only"},
			bot.CheckFail, "channel Members only (-1004): the bot is a member, not an administrator",
			"make the bot an administrator of Members only (-1004) with Post, Edit and Delete messages rights"},
		{"a chat Telegram does not know fails and names the channel",
			nil,
			herald.Channel{ID: 5, Chat: "-1005", Title: "Ghost"},
			bot.CheckFail, "channel Ghost (-1005): Telegram knows no such chat",
			"check the chat id (herald channel list); make the bot an administrator of Ghost (-1005)"},
		{"a group where the bot is a member passes",
			[]telegramtest.Chat{{ID: -1006, Type: "supergroup", Title: "Newsroom group", BotRights: telegramtest.RightsMember}},
			herald.Channel{ID: 6, Chat: "-1006", Title: "Newsroom group"},
			bot.CheckOK, "channel Newsroom group (-1006): the bot is in the group (member) and may post", ""},
		{"a group the bot is not in fails",
			[]telegramtest.Chat{{ID: -1007, Type: "supergroup", Title: "Left group", BotRights: telegramtest.RightsNone}},
			herald.Channel{ID: 7, Chat: "-1007", Title: "Left group"},
			bot.CheckFail, "channel Left group (-1007): the bot is not in the chat", "add the bot to the group Left group (-1007)"},
		{"a channel known by @username is checked by it, titled as Telegram has it",
			[]telegramtest.Chat{{ID: -1008, Type: "channel", Title: "Cetin Sual", Username: "cetin_sual", BotRights: telegramtest.RightsAdmin}},
			herald.Channel{ID: 8, Chat: "@cetin_sual"},
			bot.CheckOK, "channel Cetin Sual (@cetin_sual): the bot is an administrator", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := telegramtest.NewTestServer(t, telegramtest.WithToken(doctorToken))
			for _, ch := range c.chats {
				if err := fake.AddChat(ch); err != nil {
					t.Fatal(err)
				}
			}
			checks := diagnose(t, fake, "", &c.channel)
			got, ok := find(checks, c.line)
			if !ok {
				t.Fatalf("no line says %q:\n%s", c.line, dump(checks))
			}
			if got.Verdict != c.verdict {
				t.Errorf("%q is %s, want %s", got.Line, got.Verdict, c.verdict)
			}
			if !strings.Contains(got.Fix, c.fix) {
				t.Errorf("the fix for %q is %q, want it to say %q", got.Line, got.Fix, c.fix)
			}
		})
	}
}

func TestDiagnoseDiscussionGroups(t *testing.T) {
	cases := []struct {
		name    string
		group   *telegramtest.Chat // nil: none linked
		paused  bool
		verdict bot.Verdict
		line    string
		fix     string
	}{
		{"a linked group where the bot is an administrator passes",
			&telegramtest.Chat{ID: -2002, Type: "supergroup", Title: "DQ Chat", BotRights: telegramtest.RightsAdmin}, false,
			bot.CheckOK, "discussion group DQ Chat (-2002): linked, the bot is an administrator", ""},
		{"no linked group is a warning, not a failure",
			nil, false,
			bot.CheckWarn, "no discussion group linked", "link a discussion group in the channel's settings"},
		{"a linked group without the bot fails and names it",
			&telegramtest.Chat{ID: -2002, Type: "supergroup", Title: "DQ Chat", BotRights: telegramtest.RightsNone}, false,
			bot.CheckFail, "channel DQ English (-2001): discussion group DQ Chat (-2002): linked, but the bot is not in the chat",
			"add the bot to DQ Chat (-2002)"},
		{"a member in privacy mode is warned that it does not see comments",
			&telegramtest.Chat{ID: -2002, Type: "supergroup", Title: "DQ Chat", BotRights: telegramtest.RightsMember}, false,
			bot.CheckWarn, "the bot is a member in privacy mode", "/setprivacy"},
		{"a paused channel is a warning that says how to resume it",
			&telegramtest.Chat{ID: -2002, Type: "supergroup", Title: "DQ Chat", BotRights: telegramtest.RightsAdmin}, true,
			bot.CheckWarn, "channel DQ English (-2001): paused (the bot lost its rights)", "herald channel set 9 --paused=false"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := telegramtest.NewTestServer(t, telegramtest.WithToken(doctorToken))
			if c.group != nil {
				if err := fake.AddChat(*c.group); err != nil {
					t.Fatal(err)
				}
			}
			channel := telegramtest.Chat{ID: -2001, Type: "channel", Title: "DQ English", BotRights: telegramtest.RightsAdmin}
			if c.group != nil {
				channel.LinkedChatID = c.group.ID
			}
			if err := fake.AddChat(channel); err != nil {
				t.Fatal(err)
			}
			ch := &herald.Channel{ID: 9, Chat: "-2001", Title: "DQ English", Paused: c.paused}
			if c.paused {
				ch.PauseReason = "the bot lost its rights"
			}
			checks := diagnose(t, fake, "", ch)
			got, ok := find(checks, c.line)
			if !ok {
				t.Fatalf("no line says %q:\n%s", c.line, dump(checks))
			}
			if got.Verdict != c.verdict || !strings.Contains(got.Fix, c.fix) {
				t.Errorf("got %s %q, fix %q; want %s and a fix saying %q", got.Verdict, got.Line, got.Fix, c.verdict, c.fix)
			}
		})
	}
}

// setWebhook sets the fake's webhook as another deployment would.
func setWebhook(t *testing.T, fake *telegramtest.Server, hook string) {
	t.Helper()
	resp, err := http.PostForm(fake.URL()+"/bot"+doctorToken+"/setWebhook", url.Values{"url": {hook}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("setWebhook answered %s", resp.Status)
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestDiagnoseWebhook(t *testing.T) {
	hook := "http://" + closedPort(t) + "/telegram/webhook"
	cases := []struct {
		name    string
		set     string // the webhook Telegram has; "" none
		want    string // HERALD_WEBHOOK_URL; "" polling
		verdict bot.Verdict
		line    string
		fix     string
	}{
		{"polling with no webhook set passes", "", "", bot.CheckOK, "webhook: none set; herald polls with getUpdates", ""},
		{"a webhook set while herald polls fails", hook, "", bot.CheckFail, "webhook: " + hook + " is set, so getUpdates fails",
			"herald run deletes it on start, or call deleteWebhook"},
		{"webhook mode with the webhook herald wants passes", hook, hook, bot.CheckOK, "webhook: set to " + hook + ", as HERALD_WEBHOOK_URL says", ""},
		{"webhook mode with no webhook set fails", "", hook, bot.CheckFail, "webhook: none set, but HERALD_WEBHOOK_URL is " + hook,
			"herald run sets it on start"},
		{"webhook mode with another URL set fails showing both", "http://127.0.0.1:1/other", hook, bot.CheckFail,
			"webhook: set to http://127.0.0.1:1/other, but HERALD_WEBHOOK_URL is " + hook, "another deployment uses the same token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := telegramtest.NewTestServer(t, telegramtest.WithToken(doctorToken))
			if c.set != "" {
				setWebhook(t, fake, c.set)
			}
			checks := diagnose(t, fake, c.want)
			got, ok := find(checks, c.line)
			if !ok {
				t.Fatalf("no line says %q:\n%s", c.line, dump(checks))
			}
			if got.Verdict != c.verdict || !strings.Contains(got.Fix, c.fix) {
				t.Errorf("got %s %q, fix %q; want %s and a fix saying %q", got.Verdict, got.Line, got.Fix, c.verdict, c.fix)
			}
			if _, ok := find(checks, "updates: 0 waiting at Telegram"); !ok {
				t.Errorf("no line gives the updates waiting:\n%s", dump(checks))
			}
		})
	}
}

func TestDiagnoseShowsTheWebhooksLastError(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(doctorToken))
	hook := "http://" + closedPort(t) + "/telegram/webhook"
	setWebhook(t, fake, hook)
	if _, err := fake.InjectUpdate(json.RawMessage(`{"message":{"message_id":1,"date":1,"chat":{"id":1001,"type":"private"},"text":"hi"}}`)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitUntil(ctx, func() bool { return fake.Stats().WebhookFailures > 0 }); err != nil {
		t.Fatal(err)
	}
	checks := diagnose(t, fake, hook)
	got, ok := find(checks, "webhook: the last delivery failed at")
	if !ok || got.Verdict != bot.CheckWarn || !strings.Contains(got.Fix, hook) {
		t.Fatalf("want a warning with the last delivery error and a fix naming %s:\n%s", hook, dump(checks))
	}
	if _, ok := find(checks, "updates: 1 waiting at Telegram"); !ok {
		t.Errorf("the update waiting is not counted:\n%s", dump(checks))
	}
}

func TestDiagnoseWithoutAWorkingTokenFailsWithoutShowingIt(t *testing.T) {
	unreachable := "http://" + closedPort(t)
	cases := []struct {
		name   string
		apiURL func(fake *telegramtest.Server) string
		line   string
		fix    string
	}{
		{"a token Telegram refuses fails", func(f *telegramtest.Server) string { return f.URL() },
			"refused the token (Unauthorized)", "set TELEGRAM_BOT_TOKEN to the bot's current token from @BotFather"},
		{"a Bot API that does not answer fails", func(*telegramtest.Server) string { return unreachable },
			"telegram: cannot reach the Bot API at " + unreachable, "TELEGRAM_API_URL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := telegramtest.NewTestServer(t, telegramtest.WithToken("111:another-token-entirely"))
			if err := fake.AddChat(telegramtest.Chat{ID: -1001, Type: "channel", Title: "DQ English"}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var checks []bot.Check
			bot.Diagnose(ctx, bot.DoctorConfig{Token: doctorToken, APIURL: c.apiURL(fake),
				Channels: []*herald.Channel{{ID: 1, Chat: "-1001", Title: "DQ English"}}},
				func(ch bot.Check) { checks = append(checks, ch) })
			got, ok := find(checks, c.line)
			if !ok || got.Verdict != bot.CheckFail || !strings.Contains(got.Fix, c.fix) {
				t.Fatalf("want FAIL %q with a fix saying %q:\n%s", c.line, c.fix, dump(checks))
			}
			if _, ok := find(checks, "channel DQ English"); ok {
				t.Errorf("channels were checked without a working token:\n%s", dump(checks))
			}
			out := dump(checks)
			_, secret, _ := strings.Cut(doctorToken, ":")
			if strings.Contains(out, secret) {
				t.Errorf("the token shows in doctor's lines:\n%s", out)
			}
		})
	}
}

// TestDiagnoseNamesOwnersWhoNeverStartedTheBot: Telegram answers getChat
// for a user only once they have pressed Start; doctor warns about the
// others by id, and not about those who did.
func TestDiagnoseNamesOwnersWhoNeverStartedTheBot(t *testing.T) {
	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(doctorToken))
	if _, err := fake.UserSends(telegramtest.UserMessage{UserID: 1002, FirstName: "Aysel", Text: "/start"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out []bot.Check
	bot.Diagnose(ctx, bot.DoctorConfig{Token: doctorToken, APIURL: fake.URL(), Owners: []int64{1002, 7007}},
		func(c bot.Check) { out = append(out, c) })
	c, ok := find(out, "owner 7007", "never started")
	if !ok || c.Verdict != bot.CheckWarn || !strings.Contains(c.Fix, "Start") {
		t.Errorf("no warning naming owner 7007 with the fix:\n%s", dump(out))
	}
	if _, ok := find(out, "owner 1002"); ok {
		t.Errorf("owner 1002 started the bot, yet is warned about:\n%s", dump(out))
	}
}
