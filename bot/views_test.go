package bot_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// current returns message m as the chat holds it now.
func (r *rig) current(m telegramtest.Message) telegramtest.Message {
	r.t.Helper()
	for _, got := range r.srv.Messages(m.ChatID) {
		if got.ID == m.ID {
			return got
		}
	}
	r.t.Fatalf("message %d in chat %d is gone", m.ID, m.ChatID)
	return telegramtest.Message{}
}

// button returns the callback data of the button labelled text on m as it
// is now.
func (r *rig) button(m telegramtest.Message, text string) string {
	r.t.Helper()
	m = r.current(m)
	for _, b := range buttonsOf(m.ReplyMarkup) {
		if b.Text == text {
			return b.CallbackData
		}
	}
	r.t.Fatalf("no button %q on %q; it has %q", text, m.Text, buttonTexts(m))
	return ""
}

// pressData has user press the button with data on message m and waits
// for the bot's answer to the press.
func (r *rig) pressData(user int64, m telegramtest.Message, data string) telegramtest.Answer {
	r.t.Helper()
	id, err := r.srv.Press(telegramtest.Press{UserID: user, ChatID: m.ChatID, MessageID: m.ID, Data: data})
	if err != nil {
		r.t.Fatal(err)
	}
	return r.answer(id)
}

// answer waits for the bot's answer to the button press with the query id.
func (r *rig) answer(id string) telegramtest.Answer {
	r.t.Helper()
	var got telegramtest.Answer
	err := r.srv.WaitUntil(r.ctx, func() bool {
		for _, a := range r.srv.Answers() {
			if a.CallbackQueryID == id {
				got = a
				return true
			}
		}
		return false
	})
	if err != nil {
		r.t.Fatalf("press %s was not answered: %v", id, err)
	}
	return got
}

// press has user press the button labelled text on message m.
func (r *rig) press(user int64, m telegramtest.Message, text string) telegramtest.Answer {
	r.t.Helper()
	return r.pressData(user, m, r.button(m, text))
}

// edited waits until message m has been edited n times and returns it.
func (r *rig) edited(m telegramtest.Message, n int) telegramtest.Message {
	r.t.Helper()
	var got telegramtest.Message
	err := r.srv.WaitUntil(r.ctx, func() bool {
		got = r.current(m)
		return len(got.History) >= n
	})
	if err != nil {
		r.t.Fatalf("message %d was edited %d times, want %d: %v", m.ID, len(got.History), n, err)
	}
	return got
}

func TestEditorsButtons(t *testing.T) {
	tests := []struct {
		name    string
		view    string   // the command that draws the message
		presses []string // labels pressed in turn; each redraws the message
		answer  string   // what the bot answers the last press
		shows   string   // the redrawn message shows it
		hides   string   // and no longer shows it
		action  string   // the audit action of the change, "" for none
		check   func(t *testing.T, r *rig)
	}{
		{name: "▶ on /queue sends a post now", view: "/queue", presses: []string{"▶ #1"},
			answer: "Post #1 goes out now.", shows: "#1 · scheduled · Mon 2 Mar 2026 12:00 Asia/Baku (+04)", action: "post_now",
			check: func(t *testing.T, r *rig) {
				if p := r.post(1); p.State != herald.PostScheduled || !p.ScheduledAt.Equal(rigNow) {
					t.Errorf("post 1: %s at %v", p.State, p.ScheduledAt)
				}
			}},
		{name: "✖ on /queue cancels a post", view: "/queue", presses: []string{"✖ #1"},
			answer: "Post #1 cancelled.", shows: "Queue · 1–2 of 2", hides: "#1 ·", action: "cancel",
			check: func(t *testing.T, r *rig) {
				if p := r.post(1); p.State != herald.PostCancelled {
					t.Errorf("post 1 is %s", p.State)
				}
			}},
		{name: "🕑 then +1 hour moves a post an hour on", view: "/queue", presses: []string{"🕑 #1", "+1 hour"},
			answer: "Post #1 will go out Mon 2 Mar 2026 16:00 Asia/Baku (+04).",
			shows:  "#1 · scheduled · Mon 2 Mar 2026 16:00 Asia/Baku (+04)", action: "reschedule",
			check: func(t *testing.T, r *rig) {
				if p := r.post(1); p.State != herald.PostScheduled || !p.ScheduledAt.Equal(rigNow.Add(4*time.Hour)) {
					t.Errorf("post 1: %s at %v", p.State, p.ScheduledAt)
				}
			}},
		{name: "🕑 then +3 hours moves a post three hours on", view: "/queue", presses: []string{"🕑 #2", "+3 hours"},
			answer: "Post #2 will go out Mon 2 Mar 2026 22:00 Asia/Baku (+04).", action: "reschedule",
			check: func(t *testing.T, r *rig) {
				if p := r.post(2); !p.ScheduledAt.Equal(rigNow.Add(10 * time.Hour)) {
					t.Errorf("post 2 at %v", p.ScheduledAt)
				}
			}},
		{name: "🕑 then next slot skips a slot another post holds", view: "/queue", presses: []string{"🕑 #1", "Next slot"},
			// 19:00 today is post 2's.
			answer: "Post #1 will go out Tue 3 Mar 2026 09:00 Asia/Baku (+04).", action: "reschedule",
			check: func(t *testing.T, r *rig) {
				if p := r.post(1); !p.ScheduledAt.Equal(time.Date(2026, 3, 3, 5, 0, 0, 0, time.UTC)) {
					t.Errorf("post 1 at %v", p.ScheduledAt)
				}
			}},
		{name: "« Back from the reschedule menu redraws the queue", view: "/queue", presses: []string{"🕑 #1", "« Back"},
			answer: "", shows: "Queue · 1–3 of 3", hides: "Reschedule post #1"},
		{name: "It was sent on /unknown settles a post as sent", view: "/unknown", presses: []string{"✔ It was sent #4"},
			answer: "Post #4 is recorded as sent.", shows: "No post is waiting to be settled.", action: "confirm_sent",
			check: func(t *testing.T, r *rig) {
				if p := r.post(4); p.State != herald.PostSent {
					t.Errorf("post 4 is %s", p.State)
				}
			}},
		{name: "Send again on /unknown sends a post again now", view: "/unknown", presses: []string{"↻ Send again #4"},
			answer: "Post #4 will be sent again now.", shows: "No post is waiting to be settled.", action: "send_again",
			check: func(t *testing.T, r *rig) {
				if p := r.post(4); p.State != herald.PostScheduled || !p.ScheduledAt.Equal(rigNow) {
					t.Errorf("post 4: %s at %v", p.State, p.ScheduledAt)
				}
			}},
		{name: "Retry on /failed puts a post back in the queue", view: "/failed", presses: []string{"↻ Retry #5"},
			answer: "Post #5 is back in the queue and goes out now.", shows: "No post has failed.", action: "retry",
			check: func(t *testing.T, r *rig) {
				if p := r.post(5); p.State != herald.PostScheduled || !p.ScheduledAt.Equal(rigNow) {
					t.Errorf("post 5: %s at %v", p.State, p.ScheduledAt)
				}
			}},
		{name: "Cancel on /failed cancels a failed post", view: "/failed", presses: []string{"✖ Cancel #5"},
			answer: "Post #5 cancelled.", shows: "No post has failed.", action: "cancel",
			check: func(t *testing.T, r *rig) {
				if p := r.post(5); p.State != herald.PostCancelled {
					t.Errorf("post 5 is %s", p.State)
				}
			}},
		{name: "Pause on /channels pauses a channel", view: "/channels", presses: []string{"⏸ Pause DQ English"},
			answer: "Channel DQ English is paused: nothing goes out on it until /resume.",
			shows:  "⏸ DQ English · -1001 · en", action: "pause",
			check: func(t *testing.T, r *rig) {
				if c := r.channel(r.en.ID); !c.Paused || c.PauseReason != "paused by an editor" {
					t.Errorf("DQ English: paused %v (%q)", c.Paused, c.PauseReason)
				}
			}},
		{name: "Resume on /channels resumes a paused channel", view: "/channels", presses: []string{"⏸ Pause DQ Russian", "▶ Resume DQ Russian"},
			answer: "Channel DQ Russian is running again.", shows: "▶ DQ Russian · -1002 · ru", action: "resume",
			check: func(t *testing.T, r *rig) {
				if c := r.channel(r.ru.ID); c.Paused {
					t.Error("DQ Russian is still paused")
				}
			}},
	}
	for _, who := range []struct {
		name string
		id   int64
	}{{"owner", ownerID}, {"editor", editorID}} {
		for _, tt := range tests {
			t.Run(who.name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t)
				m := r.say(who.id, "en", tt.view, 1)[0]
				audits := len(r.audit())
				var a telegramtest.Answer
				for i, label := range tt.presses {
					a = r.press(who.id, m, label)
					if a.ShowAlert {
						t.Fatalf("pressing %q answered with an alert: %q", label, a.Text)
					}
					m = r.edited(m, i+1)
				}
				if a.Text != tt.answer || a.UserID != who.id {
					t.Errorf("the press was answered %q to %d, want %q to %d", a.Text, a.UserID, tt.answer, who.id)
				}
				if !strings.Contains(m.Text, tt.shows) {
					t.Errorf("the message was redrawn as\n%s\nwant %q in it", m.Text, tt.shows)
				}
				if tt.hides != "" && strings.Contains(m.Text, tt.hides) {
					t.Errorf("the message was redrawn as\n%s\nwant no %q in it", m.Text, tt.hides)
				}
				es := r.audit()
				switch {
				case tt.action == "" && len(es) != audits:
					t.Errorf("audited %+v, want nothing", es[0])
				case tt.action != "" && (len(es) == audits || es[0].Action != tt.action || es[0].UserID != who.id):
					t.Errorf("newest audit entry %+v, want %s by %d", es[0], tt.action, who.id)
				}
				if tt.check != nil {
					tt.check(t, r)
				}
			})
		}
	}
}

func TestTheRescheduleMenuOffersItsChoicesInPlace(t *testing.T) {
	r := newRig(t)
	m := r.say(ownerID, "en", "/queue", 1)[0]
	if a := r.press(ownerID, m, "🕑 #1"); a.ShowAlert || a.Text != "" {
		t.Errorf("opening the menu answered %q (alert %v)", a.Text, a.ShowAlert)
	}
	m = r.edited(m, 1)
	for _, w := range []string{"Reschedule post #1", "Afterword to <Blinken's> call", "Now due Mon 2 Mar 2026 15:00 Asia/Baku (+04)."} {
		if !strings.Contains(m.Text, w) {
			t.Errorf("menu %q, want %q in it", m.Text, w)
		}
	}
	want := []string{"+1 hour", "+3 hours", "Next slot", "Type a time", "« Back"}
	if got := buttonTexts(m); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("menu buttons %q, want %q", got, want)
	}
	if p := r.post(1); p.State != herald.PostPlanned || p.Rev != 0 {
		t.Errorf("opening the menu changed post 1: %+v", p.Post)
	}
}

func TestTypeATimeTakesTheNextMessageAsTheTime(t *testing.T) {
	r := newRig(t)
	m := r.say(ownerID, "en", "/queue", 1)[0]
	r.press(ownerID, m, "🕑 #1")
	m = r.edited(m, 1)
	before := len(r.botMessages(ownerID))
	if a := r.press(ownerID, m, "Type a time"); a.ShowAlert {
		t.Fatalf("Type a time answered with an alert: %q", a.Text)
	}
	msgs, err := r.srv.WaitBotMessages(r.ctx, ownerID, before+1)
	if err != nil {
		t.Fatal(err)
	}
	if ask := msgs[before].Text; !strings.Contains(ask, "Send the new time for post #1 (Asia/Baku)") {
		t.Errorf("asked %q", ask)
	}

	// Times it cannot use get examples; nothing changes, and it keeps waiting.
	snap := r.snapshot()
	for _, bad := range []string{"whenever", "2026-03-01 10:00"} {
		got := r.say(ownerID, "en", bad, 1)[0].Text
		if !strings.Contains(got, "Times I understand") || !strings.Contains(got, "tomorrow 9:30") {
			t.Errorf("%q was answered %q, want the examples", bad, got)
		}
		if after := r.snapshot(); after != snap {
			t.Errorf("%q changed things:\n%s\nwas\n%s", bad, after, snap)
		}
	}

	if got := r.say(ownerID, "en", "tomorrow 9:30", 1)[0].Text; got != "Post #1 will go out Tue 3 Mar 2026 09:30 Asia/Baku (+04)." {
		t.Errorf("tomorrow 9:30 was answered %q", got)
	}
	p := r.post(1)
	if p.State != herald.PostScheduled || !p.ScheduledAt.Equal(time.Date(2026, 3, 3, 5, 30, 0, 0, time.UTC)) ||
		p.ScheduledBy != herald.ScheduledByEditor(ownerID) {
		t.Errorf("post 1: %+v", p.Post)
	}
	if e := r.audit()[0]; e.Action != "reschedule" || e.PostID != 1 || e.UserID != ownerID {
		t.Errorf("newest audit entry %+v", e)
	}

	// The time was taken: the next plain message is no time.
	before = len(r.botMessages(ownerID))
	snap = r.snapshot()
	r.srv.UserSends(telegramtest.UserMessage{UserID: ownerID, Text: "+5h"})
	r.fetched()
	for _, m := range r.botMessages(ownerID)[before:] {
		if strings.Contains(m.Text, "Post #1") || strings.Contains(m.Text, "couldn't read") {
			t.Errorf("a plain message after the time was taken as one: %q", m.Text)
		}
	}
	if after := r.snapshot(); after != snap {
		t.Errorf("a plain message after the time changed things:\n%s\nwas\n%s", after, snap)
	}
}

func TestStaleButtonsAreRefusedWithTheirPostsState(t *testing.T) {
	tests := []struct {
		name   string
		view   string
		change func(r *rig) // what happened to the post since the button was drawn
		label  string
		alert  string
		hides  string
		shows  string
	}{
		{name: "Cancel on a post that was sent since", view: "/queue",
			change: func(r *rig) {
				if ok, err := r.st.ClaimPost(r.ctx, 1, rigNow.Add(time.Minute)); !ok || err != nil {
					r.t.Fatalf("claim: %v %v", ok, err)
				}
				if err := r.st.MarkSent(r.ctx, 1, 77, nil, "h"); err != nil {
					r.t.Fatal(err)
				}
			},
			label: "✖ #1", alert: "Post #1 has changed since: it is now sent.", hides: "#1 ·", shows: "Queue · 1–2 of 2"},
		{name: "Cancel on a post another editor cancelled since", view: "/queue",
			change: func(r *rig) { r.say(editorID, "en", "/cancel 1", 1) },
			label:  "✖ #1", alert: "Post #1 has changed since: it is now cancelled.", hides: "#1 ·", shows: "Queue · 1–2 of 2"},
		{name: "Post now on a post another editor moved since", view: "/queue",
			change: func(r *rig) { r.say(editorID, "en", "/reschedule 1 +1h", 1) },
			label:  "▶ #1", alert: "Post #1 has changed since: it is now scheduled.",
			shows: "#1 · scheduled · Mon 2 Mar 2026 13:00 Asia/Baku (+04)"},
		{name: "Reschedule on a post another editor moved since", view: "/queue",
			change: func(r *rig) { r.say(editorID, "en", "/postnow 2", 1) },
			label:  "🕑 #2", alert: "Post #2 has changed since: it is now scheduled.",
			shows: "#2 · scheduled · Mon 2 Mar 2026 12:00 Asia/Baku (+04)", hides: "Reschedule post"},
		{name: "It was sent on a post sent again since", view: "/unknown",
			change: func(r *rig) {
				if _, err := r.q.SendAgain(r.ctx, scheduler.CLI, 4, store.AnyRev); err != nil {
					r.t.Fatal(err)
				}
			},
			label: "✔ It was sent #4", alert: "Post #4 has changed since: it is now scheduled.", shows: "No post is waiting to be settled."},
		{name: "Retry on a failed post cancelled since", view: "/failed",
			change: func(r *rig) { r.say(editorID, "en", "/cancel 5", 1) },
			label:  "↻ Retry #5", alert: "Post #5 has changed since: it is now cancelled.", shows: "No post has failed."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			m := r.say(ownerID, "en", tt.view, 1)[0]
			data := r.button(m, tt.label)
			tt.change(r)
			snap, audits := r.snapshot(), len(r.audit())
			a := r.pressData(ownerID, m, data)
			if !a.ShowAlert || a.Text != tt.alert {
				t.Errorf("the stale press was answered %q (alert %v), want the alert %q", a.Text, a.ShowAlert, tt.alert)
			}
			m = r.edited(m, 1)
			if !strings.Contains(m.Text, tt.shows) || (tt.hides != "" && strings.Contains(m.Text, tt.hides)) {
				t.Errorf("the message was refreshed as\n%s\nwant %q and no %q", m.Text, tt.shows, tt.hides)
			}
			if after := r.snapshot(); after != snap {
				t.Errorf("a stale press changed things:\n%s\nwas\n%s", after, snap)
			}
			if len(r.audit()) != audits {
				t.Errorf("a stale press was audited: %+v", r.audit()[0])
			}
		})
	}
}

func TestButtonsRefuseAnyoneWhoIsNotAnEditorNow(t *testing.T) {
	tests := []struct {
		name   string
		drawer int64 // whose /queue the button sits on
		before func(r *rig)
		who    int64
	}{
		{name: "a stranger pressing a button in a message forwarded from an editor", drawer: ownerID, who: strangerID},
		{name: "an editor removed since the button was drawn", drawer: editorID, who: editorID,
			before: func(r *rig) { r.say(ownerID, "en", "/editor remove 2002", 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRig(t)
			m := r.say(tt.drawer, "en", "/queue", 1)[0]
			if tt.before != nil {
				tt.before(r)
			}
			for _, label := range []string{"✖ #1", "▶ #1", "🕑 #1"} {
				snap, refused := r.snapshot(), refusedCount(r.audit(), tt.who)
				data := r.button(m, label)
				a := r.pressData(tt.who, m, data)
				if !a.ShowAlert || a.Text != "Sorry, these buttons are for editors." || a.UserID != tt.who {
					t.Errorf("answered %q to %d (alert %v), want the refusal as an alert to %d", a.Text, a.UserID, a.ShowAlert, tt.who)
				}
				if after := r.snapshot(); after != snap {
					t.Errorf("a refused press changed things:\n%s\nwas\n%s", after, snap)
				}
				es := r.audit()
				if refusedCount(es, tt.who) != refused+1 || es[0].Action != "refused" || es[0].UserID != tt.who || !strings.HasPrefix(es[0].Detail, "button "+data) {
					t.Errorf("newest audit entry %+v, want the refused press of %s by %d", es[0], data, tt.who)
				}
				// The answer is the bot's last word on a refused press.
				if got := r.current(m); len(got.History) != 0 {
					t.Errorf("a refused press of %s redrew the message as %q", label, got.Text)
				}
			}
		})
	}
}

func TestTwoEditorsPressingCancelAndPostNowAtOnceOneWins(t *testing.T) {
	r := newRig(t)
	mine := r.say(ownerID, "en", "/queue", 1)[0]
	theirs := r.say(editorID, "en", "/queue", 1)[0]
	for _, id := range []int64{1, 2, 3} {
		tag := fmt.Sprintf(" #%d", id)
		cancelData, postNowData := r.button(mine, "✖"+tag), r.button(theirs, "▶"+tag)
		if strings.Replace(cancelData, ":c:", ":n:", 1) != postNowData {
			t.Fatalf("the buttons were drawn for different revisions: %q and %q", cancelData, postNowData)
		}
		audits := len(r.audit())
		// Both presses reach the bot in one batch; it handles each update in
		// its own goroutine.
		var wg sync.WaitGroup
		var qCancel, qPostNow string
		var errCancel, errPostNow error
		wg.Add(2)
		go func() {
			defer wg.Done()
			qCancel, errCancel = r.srv.Press(telegramtest.Press{UserID: ownerID, ChatID: mine.ChatID, MessageID: mine.ID, Data: cancelData})
		}()
		go func() {
			defer wg.Done()
			qPostNow, errPostNow = r.srv.Press(telegramtest.Press{UserID: editorID, ChatID: theirs.ChatID, MessageID: theirs.ID, Data: postNowData})
		}()
		wg.Wait()
		if errCancel != nil || errPostNow != nil {
			t.Fatal(errCancel, errPostNow)
		}
		cancel, postNow := r.answer(qCancel), r.answer(qPostNow)
		if cancel.ShowAlert == postNow.ShowAlert {
			t.Fatalf("post %d: Cancel answered %q (alert %v), Post now %q (alert %v): want exactly one alert",
				id, cancel.Text, cancel.ShowAlert, postNow.Text, postNow.ShowAlert)
		}
		p := r.post(id)
		es := r.audit()
		if len(es) != audits+1 || es[0].PostID != id {
			t.Fatalf("post %d: %d audit entries, want exactly the winner's", id, len(es)-audits)
		}
		if cancel.ShowAlert {
			// Post now won; the canceller is told the post moved.
			if postNow.Text != fmt.Sprintf("Post #%d goes out now.", id) || p.State != herald.PostScheduled || !p.ScheduledAt.Equal(rigNow) ||
				es[0].Action != "post_now" || es[0].UserID != editorID {
				t.Errorf("post %d: Post now won with %q, yet the post is %s at %v, audited %+v", id, postNow.Text, p.State, p.ScheduledAt, es[0])
			}
			if cancel.Text != fmt.Sprintf("Post #%d has changed since: it is now scheduled.", id) {
				t.Errorf("the loser was told %q", cancel.Text)
			}
		} else {
			if cancel.Text != fmt.Sprintf("Post #%d cancelled.", id) || p.State != herald.PostCancelled ||
				es[0].Action != "cancel" || es[0].UserID != ownerID {
				t.Errorf("post %d: Cancel won with %q, yet the post is %s, audited %+v", id, cancel.Text, p.State, es[0])
			}
			if postNow.Text != fmt.Sprintf("Post #%d has changed since: it is now cancelled.", id) {
				t.Errorf("the loser was told %q", postNow.Text)
			}
		}
		// Both messages are redrawn as things are now before the next round.
		mine = r.edited(mine, int(id))
		theirs = r.edited(theirs, int(id))
	}
}

func TestLongQueuesArePaged(t *testing.T) {
	r := newRig(t)
	for i, pa := range []struct {
		article int64
		ch      *herald.Channel
	}{{2, r.ru}, {4, r.ru}, {5, r.ru}, {6, r.en}, {6, r.ru}} {
		p := &store.PostRow{Post: herald.Post{ArticleID: pa.article, ChannelID: pa.ch.ID, Purpose: herald.PurposePublish,
			ScheduledAt: rigNow.Add(time.Duration(30+i) * time.Hour)}}
		if _, err := r.st.PlanPost(r.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	m := r.say(ownerID, "en", "/queue", 1)[0]
	if !strings.Contains(m.Text, "Queue · 1–5 of 8") {
		t.Fatalf("first page: %q", m.Text)
	}
	if got := buttonTexts(m); got[len(got)-1] != "Later »" || len(got) != 5*3+1 {
		t.Errorf("first page buttons %q", got)
	}
	if a := r.press(ownerID, m, "Later »"); a.ShowAlert || a.Text != "" {
		t.Errorf("Later » answered %q", a.Text)
	}
	m = r.edited(m, 1)
	if !strings.Contains(m.Text, "Queue · 6–8 of 8") || strings.Contains(m.Text, "#1 ·") {
		t.Errorf("second page: %q", m.Text)
	}
	// An action on the second page keeps the editor there.
	r.press(ownerID, m, "✖ #8")
	m = r.edited(m, 2)
	if !strings.Contains(m.Text, "Queue · 6–7 of 7") || strings.Contains(m.Text, "#8 ·") {
		t.Errorf("second page after a cancel: %q", m.Text)
	}
	r.press(ownerID, m, "« Earlier")
	m = r.edited(m, 3)
	if !strings.Contains(m.Text, "Queue · 1–5 of 7") {
		t.Errorf("back on the first page: %q", m.Text)
	}
}

func TestEveryButtonFitsInSixtyFourBytes(t *testing.T) {
	r := newRig(t)
	// Large numbers make long data: a post id and revision far above a
	// newsroom's.
	if _, err := r.st.DB().ExecContext(r.ctx, `UPDATE posts SET id = 1234567890, rev = 987654 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	q := r.say(ownerID, "en", "/queue DQ English", 1)[0]
	r.press(ownerID, q, "🕑 #1234567890")
	menu := r.edited(q, 1)
	r.say(ownerID, "en", "/unknown", 1)
	r.say(ownerID, "en", "/failed", 1)
	r.say(ownerID, "en", "/channels", 1)
	var n int
	for _, m := range r.srv.Messages(ownerID) {
		for _, v := range append([]telegramtest.Version{{ReplyMarkup: m.ReplyMarkup}}, m.History...) {
			for _, b := range buttonsOf(v.ReplyMarkup) {
				n++
				if len(b.CallbackData) > 64 {
					t.Errorf("button %q carries %d bytes: %q", b.Text, len(b.CallbackData), b.CallbackData)
				}
			}
		}
	}
	if n < 15 {
		t.Fatalf("looked at only %d buttons", n)
	}
	// And the longest of them still works.
	if a := r.press(ownerID, menu, "Next slot"); a.ShowAlert {
		t.Errorf("a button with a large post id answered %q", a.Text)
	}
}

func TestTheQueueShowsAPostHeldForARetry(t *testing.T) {
	r := newRig(t)
	p := r.post(1)
	if ok, err := r.st.ClaimPost(r.ctx, p.ID, rigNow.Add(time.Minute)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := r.st.MarkRetry(r.ctx, p.ID, rigNow.Add(4*time.Second), "not sent: 502 Bad Gateway"); err != nil {
		t.Fatal(err)
	}
	m := r.say(ownerID, "en", "/queue", 1)[0]
	if !strings.Contains(m.Text, "↻") || !strings.Contains(m.Text, "502 Bad Gateway") {
		t.Fatalf("the queue does not show the post waiting for its retry, and why: %q", m.Text)
	}
}
