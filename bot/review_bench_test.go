package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/herald-news/herald"
	"github.com/herald-news/herald/internal/benchmark"
	"github.com/herald-news/herald/store"
)

// The world of TestAThousandReadersReviewingAtOnceAreAllKept; the intake
// benchmark itself is benchmark.Intake, which herald bench shares.

// Chats of the intake test: a channel and its discussion group.
const (
	intakeChannel = -1001
	intakeGroup   = -1002
)

// intakeStore opens a fresh store holding one published article posted on
// one channel, as message 1, whose automatic forward is message 1 of the
// discussion group. It returns the store and the article's id.
func intakeStore(tb testing.TB, dir string) (*store.Store, int64) {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(filepath.Join(dir, "h.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	ch := &herald.Channel{Network: "telegram", Chat: fmt.Sprint(intakeChannel), Title: "DQ English",
		Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent,
		ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
	if err := st.CreateChannel(ctx, ch); err != nil {
		tb.Fatal(err)
	}
	a := &herald.Article{Source: "file", ExternalID: "https://example.org/a/1", Kind: herald.KindCommentary,
		Language: herald.LangEnglish, Title: "Afterword to the call", Lead: "The lead.", Body: "One.\n\nTwo.",
		Program: herald.ProgramDifficultQuestion, URL: "https://example.org/a/1"}
	if _, err := st.UpsertArticle(ctx, a); err != nil {
		tb.Fatal(err)
	}
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
		ScheduledAt: time.Now()}}
	if _, err := st.PlanPost(ctx, p); err != nil {
		tb.Fatal(err)
	}
	if ok, err := st.ClaimPost(ctx, p.ID, time.Now().Add(time.Minute)); !ok || err != nil {
		tb.Fatalf("claim post: %v %v", ok, err)
	}
	if err := st.MarkSent(ctx, p.ID, 1, nil, "hash"); err != nil {
		tb.Fatal(err)
	}
	if err := st.AddPostCopy(ctx, intakeGroup, 1, p.ID); err != nil {
		tb.Fatal(err)
	}
	return st, a.ID
}

// intakeText is reader i's comment: distinct, and long enough to be
// checked for spam.
func intakeText(i int) string {
	return fmt.Sprintf("Reader %d: a fair piece, though the second half needed more sources.", i)
}

// intakeUpdates returns, as Telegram sends them, n comments by n readers
// in the discussion group, each a reply to the post's automatic forward.
func intakeUpdates(tb testing.TB, n int) [][]byte {
	tb.Helper()
	channel := map[string]any{"id": intakeChannel, "type": "channel", "title": "DQ English"}
	group := map[string]any{"id": intakeGroup, "type": "supergroup", "title": "DQ English chat"}
	forward := map[string]any{"message_id": 1, "date": 1767225600, "chat": group, "is_automatic_forward": true,
		"sender_chat": channel, "from": map[string]any{"id": 777000, "is_bot": false, "first_name": "Telegram"},
		"forward_origin": map[string]any{"type": "channel", "chat": channel, "message_id": 1, "date": 1767225600},
		"text":           "Afterword to the call"}
	out := make([][]byte, n)
	for i := range out {
		raw, err := json.Marshal(map[string]any{"update_id": 100 + i, "message": map[string]any{
			"message_id": 2 + i, "date": 1767225700, "chat": group, "message_thread_id": 1,
			"from": map[string]any{"id": 500_000 + i, "is_bot": false, "first_name": "Reader", "last_name": fmt.Sprint(i),
				"language_code": "en"},
			"reply_to_message": forward, "text": intakeText(i)}})
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = raw
	}
	return out
}

// rvDecode decodes updates as the client library does.
func rvDecode(tb testing.TB, raws [][]byte) []*models.Update {
	tb.Helper()
	out := make([]*models.Update, len(raws))
	for i, raw := range raws {
		var u models.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			tb.Fatal(err)
		}
		out[i] = &u
	}
	return out
}

// BenchmarkReviewIntake takes 10,000 readers' comments through the whole
// path (getUpdates from telegramtest, the inbox, the lanes, the handler's
// rules and the upsert) and, in the same run on the same machine, writes
// 10,000 rows with a plain loop of INSERT INTO reviews statements into a
// fresh store: benchmark.Intake, which herald bench also runs. It reports
// both rates and their ratio (goal: at least 0.5).
//
//	go test -run '^$' -bench BenchmarkReviewIntake -benchtime 1x ./bot/
func BenchmarkReviewIntake(b *testing.B) {
	var res benchmark.IntakeResult
	for b.Loop() {
		var err error
		res, err = benchmark.Intake(b.Context(), benchmark.IntakeConfig{Dir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.PathRate, "path-reviews/s")
	b.ReportMetric(res.InsertRate, "insert-rows/s")
	b.ReportMetric(res.Ratio, "ratio")
}
