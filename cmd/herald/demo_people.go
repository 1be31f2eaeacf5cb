package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// demoPeople plays the editor and the readers of herald demo through the
// fake Bot API, as real people would through Telegram.
type demoPeople struct {
	fake *telegramtest.Server
	p    *printer
}

// say sends a message as a user and waits for the bot's answer, printing
// both.
func (d *demoPeople) say(ctx context.Context, who string, um telegramtest.UserMessage) (telegramtest.Message, error) {
	chat := um.UserID
	before := len(d.botMessages(chat))
	d.p.line("%s: %s", who, um.Text)
	if _, err := d.fake.UserSends(um); err != nil {
		return telegramtest.Message{}, err
	}
	return d.answer(ctx, chat, before)
}

// press presses a button as a user and waits for the bot to answer the
// press (and, when it writes, for its message).
func (d *demoPeople) press(ctx context.Context, who string, userID int64, m telegramtest.Message, label string) error {
	data := buttonData(m.ReplyMarkup, label)
	if data == "" {
		return fmt.Errorf("demo: no button %q on message %d", label, m.ID)
	}
	d.p.line("%s presses [%s]", who, label)
	answers := len(d.fake.Answers())
	if _, err := d.fake.Press(telegramtest.Press{UserID: userID, ChatID: userID, MessageID: m.ID, Data: data}); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.fake.WaitUntil(wctx, func() bool { return len(d.fake.Answers()) > answers }); err != nil {
		return fmt.Errorf("demo: the bot did not answer the press: %w", err)
	}
	if a := d.fake.Answers()[answers]; a.Text != "" {
		d.p.line("  bot (toast): %s", a.Text)
	}
	return nil
}

func (d *demoPeople) botMessages(chat int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range d.fake.Messages(chat) {
		if m.From != nil && m.From.IsBot {
			out = append(out, m)
		}
	}
	return out
}

// answer waits for the bot's next message in a chat and prints it.
func (d *demoPeople) answer(ctx context.Context, chat int64, before int) (telegramtest.Message, error) {
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.fake.WaitUntil(wctx, func() bool { return len(d.botMessages(chat)) > before }); err != nil {
		return telegramtest.Message{}, fmt.Errorf("demo: the bot did not answer in chat %d: %w", chat, err)
	}
	m := d.botMessages(chat)[before]
	d.printBot(m)
	return m, nil
}

func (d *demoPeople) printBot(m telegramtest.Message) {
	if len(m.Photo) > 0 && m.Text == "" && m.Caption == "" {
		return // a photo: the caller says what it shows
	}
	for i, l := range strings.Split(strings.TrimSpace(m.Text), "\n") {
		prefix := "  bot: "
		if i > 0 {
			prefix = "       "
		}
		d.p.line("%s%s", prefix, l)
	}
	if m.ReplyMarkup != nil {
		var labels []string
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				labels = append(labels, "["+b.Text+"]")
			}
		}
		d.p.line("       %s", strings.Join(labels, " "))
	}
}

func buttonData(k *models.InlineKeyboardMarkup, label string) string {
	if k == nil {
		return ""
	}
	for _, row := range k.InlineKeyboard {
		for _, b := range row {
			if b.Text == label {
				return b.CallbackData
			}
		}
	}
	return ""
}

// editor: Aysel, whose Telegram is in Azerbaijani, looks at the
// Azerbaijani channel's queue, moves the commentary an hour later with the
// buttons, and cancels the announcement.
func (d *demoPeople) editor(ctx context.Context, st *store.Store) error {
	const who = "Aysel"
	um := telegramtest.UserMessage{UserID: demoEditor, FirstName: "Aysel", LanguageCode: "az"}
	um.Text = "/queue Çətin sual · Azərbaycanca"
	q, err := d.say(ctx, who, um)
	if err != nil {
		return err
	}
	posts, err := st.Posts(ctx, store.PostFilter{States: []herald.PostState{herald.PostPlanned}})
	if err != nil {
		return err
	}
	var move, cancel int64
	for _, p := range posts {
		ch, err := st.Channel(ctx, p.ChannelID)
		if err != nil || ch.Language != herald.LangAzerbaijani {
			continue
		}
		switch p.Purpose {
		case herald.PurposePublish:
			move = p.ID
		case herald.PurposeAnnounce:
			cancel = p.ID
		}
	}
	if move == 0 || cancel == 0 {
		return fmt.Errorf("demo: the posts to steer were not planned")
	}
	if err := d.press(ctx, who, demoEditor, q, fmt.Sprintf("🕑 #%d", move)); err != nil {
		return err
	}
	menu := d.fake.Messages(demoEditor)
	var current telegramtest.Message
	for _, m := range menu {
		if m.ID == q.ID {
			current = m
		}
	}
	d.printBot(current)
	if err := d.press(ctx, who, demoEditor, current, "+1 saat"); err != nil {
		return err
	}
	um.Text = fmt.Sprintf("/cancel %d", cancel)
	_, err = d.say(ctx, who, um)
	return err
}

// editorRU: Dmitri, whose Telegram is in Russian, moves the Azerbaijani
// commentary to tomorrow morning; his first try has a typo, and herald
// answers in Russian with the times it reads.
func (d *demoPeople) editorRU(ctx context.Context, st *store.Store) error {
	const who = "Dmitri"
	posts, err := st.Posts(ctx, store.PostFilter{States: []herald.PostState{herald.PostPlanned, herald.PostScheduled}})
	if err != nil {
		return err
	}
	var move int64
	for _, p := range posts {
		if ch, err := st.Channel(ctx, p.ChannelID); err == nil && ch.Language == herald.LangAzerbaijani && p.Purpose == herald.PurposePublish {
			move = p.ID
		}
	}
	if move == 0 {
		return fmt.Errorf("demo: no Azerbaijani post left to move")
	}
	um := telegramtest.UserMessage{UserID: demoEditorRU, FirstName: "Dmitri", LanguageCode: "ru"}
	for _, text := range []string{fmt.Sprintf("/reschedule %d завтро 10:00", move), fmt.Sprintf("/reschedule %d завтра в 10:00", move)} {
		um.Text = text
		if _, err := d.say(ctx, who, um); err != nil {
			return err
		}
	}
	return nil
}

var startLink = regexp.MustCompile(`https://t\.me/[A-Za-z0-9_]+\?start=([A-Za-z0-9_-]{1,64})`)

// readers: Rashad follows "Leave a review" under the English commentary,
// gives five stars and a comment; Nina comments under the post in the
// discussion group. Then Aysel looks at the numbers.
func (d *demoPeople) readers(ctx context.Context, st *store.Store) error {
	posts := d.fake.Messages(demoEN)
	if len(posts) == 0 {
		return fmt.Errorf("demo: nothing was posted in the English channel")
	}
	link := startLink.FindStringSubmatch(posts[0].SentText)
	if link == nil {
		return fmt.Errorf("demo: the English post has no review link")
	}
	d.p.line("Rashad opens %s from the first English post.", link[0])
	um := telegramtest.UserMessage{UserID: demoReader, FirstName: "Rashad", LanguageCode: "en", Text: "/start " + link[1]}
	ask, err := d.say(ctx, "Rashad", um)
	if err != nil {
		return err
	}
	before := len(d.botMessages(demoReader))
	if err := d.press(ctx, "Rashad", demoReader, ask, "5 ⭐"); err != nil {
		return err
	}
	if _, err := d.answer(ctx, demoReader, before); err != nil {
		return err
	}
	um.Text = "Clear and fair. I'd like to hear the utility's side next time."
	if _, err := d.say(ctx, "Rashad", um); err != nil {
		return err
	}

	group := d.fake.Messages(demoENGroup)
	if len(group) == 0 {
		return fmt.Errorf("demo: no automatic forward in the discussion group")
	}
	d.p.line("Nina replies to the post in the channel's discussion group: “We pay for leaks twice: in the bill and in the street.”")
	if _, err := d.fake.Reply(telegramtest.UserMessage{UserID: demoComment, FirstName: "Nina", ChatID: demoENGroup,
		ReplyToMessageID: group[0].ID, Text: "We pay for leaks twice: in the bill and in the street."}); err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.fake.WaitUntil(wctx, func() bool {
		rs, _ := st.Reviews(ctx, store.ReviewFilter{})
		return len(rs) >= 2
	}); err != nil {
		return fmt.Errorf("demo: the comment did not become a review: %w", err)
	}
	rs, err := st.Reviews(ctx, store.ReviewFilter{})
	if err != nil {
		return err
	}
	d.p.line("Reviews stored:")
	for _, r := range rs {
		stars := "no rating"
		if r.Rating > 0 {
			stars = strings.Repeat("★", r.Rating)
		}
		d.p.line("  #%d %s on article #%d by %s (%s, %s): %s", r.ID, stars, r.ArticleID, r.UserName, r.Source, r.Status, r.Text)
	}
	before = len(d.botMessages(demoEditor))
	if _, err := d.say(ctx, "Aysel", telegramtest.UserMessage{UserID: demoEditor, FirstName: "Aysel", LanguageCode: "az", Text: "/stats"}); err != nil {
		return err
	}
	chart, err := d.answer(ctx, demoEditor, before+1)
	if err != nil {
		return err
	}
	if len(chart.Photo) > 0 {
		d.p.line("       (the same numbers as a chart: a %dx%d PNG sent as a photo)", chart.Photo[len(chart.Photo)-1].Width, chart.Photo[len(chart.Photo)-1].Height)
	}
	return nil
}
