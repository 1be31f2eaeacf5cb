package benchmark

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// Intake defaults: issue 6's load, written in turns of a thousand, over as
// many discussion groups as the bot has lanes.
const (
	DefaultIntakeReviews = 10_000
	DefaultIntakeChunk   = 1_000
	DefaultIntakeGroups  = 8
)

// IntakeConfig is a review intake load: Reviews comments by as many
// readers in Groups discussion groups, taken in Chunk at a time through the
// whole path and, in turn, written by a plain insert loop. Zero values take
// the defaults.
type IntakeConfig struct {
	Reviews int
	Chunk   int
	Groups  int
	// Timeout bounds the wait for one chunk; zero means 30 s.
	Timeout time.Duration
	// Dir holds the databases; "" means a temporary directory removed after.
	Dir string
	// Log receives the bot's log; nil discards it.
	Log *slog.Logger
}

func (c *IntakeConfig) defaults() {
	if c.Reviews <= 0 {
		c.Reviews = DefaultIntakeReviews
	}
	if c.Chunk <= 0 {
		c.Chunk = DefaultIntakeChunk
	}
	if c.Groups <= 0 {
		c.Groups = DefaultIntakeGroups
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	c.Chunk = min(c.Chunk, c.Reviews)
}

// IntakeResult is what one intake run measured.
type IntakeResult struct {
	Reviews int
	// PathRate is reviews per second through the whole path: the comments
	// handed to a telegramtest fake on 127.0.0.1, long-polled by the bot as
	// herald run does (getUpdates through go-telegram/bot, the inbox, the
	// lanes, the handler) and stored. InsertRate is rows per second through
	// a plain INSERT loop into a store of the same schema; Ratio is
	// PathRate over InsertRate.
	PathRate   float64
	InsertRate float64
	Ratio      float64
	// Stored is how many reviews the bot's store holds afterwards.
	Stored int
}

// Intake starts the bot's long polling against a telegramtest fake, as
// herald run does, and hands the fake cfg.Reviews readers' comments in
// discussion groups, each a reply to its post's automatic forward, a chunk
// at a time: each chunk is timed from the moment its first comment is
// handed to the fake to the moment its last review is stored, through
// getUpdates, the inbox, the per-chat lanes, routing, tying the comment to
// its article, the ban, rate-limit, spam and moderation rules, the upsert
// and the log line. In turn with each chunk, the same rows are written by a
// plain loop of INSERT INTO reviews into a fresh store, so that a
// neighbour's load weighs on both alike. It fails when the world cannot be
// built, the bot stops, or a chunk is not stored within cfg.Timeout.
func Intake(ctx context.Context, cfg IntakeConfig) (IntakeResult, error) {
	cfg.defaults()
	res := IntakeResult{Reviews: cfg.Reviews}
	dir, cleanup, err := workDir(cfg.Dir)
	if err != nil {
		return res, err
	}
	defer cleanup()
	base, err := openReviewWorld(ctx, filepath.Join(dir, "plain.db"), cfg.Groups)
	if err != nil {
		return res, err
	}
	defer base.st.Close()
	w, err := openReviewWorld(ctx, filepath.Join(dir, "path.db"), cfg.Groups)
	if err != nil {
		return res, err
	}
	defer w.st.Close()
	fake := telegramtest.NewServer(telegramtest.WithoutLimits())
	defer fake.Close()
	m := &storeCounter{tick: make(chan struct{}, 1)}
	b, err := bot.New(ctx, bot.Config{Token: fake.Token(), APIURL: fake.URL(), Store: w.st, Log: cfg.Log,
		Metrics: m, PollTimeout: 5 * time.Second})
	if err != nil {
		return res, fmt.Errorf("benchmark: %w", err)
	}
	bctx, stop := context.WithCancel(ctx)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- b.Start(bctx) }()
	defer func() {
		stop()
		<-errc
	}()
	wctx, wcancel := context.WithTimeout(ctx, cfg.Timeout)
	err = fake.WaitUntil(wctx, fake.PollWaiting)
	wcancel()
	if err != nil {
		return res, fmt.Errorf("benchmark: intake: the bot did not start polling: %w", err)
	}
	raws := w.comments(cfg.Reviews)

	db := base.st.DB()
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	var inserting, taking time.Duration
	for lo := 0; lo < cfg.Reviews; lo += cfg.Chunk {
		hi := min(lo+cfg.Chunk, cfg.Reviews)
		start := time.Now()
		for j := lo; j < hi; j++ {
			// The baseline: the same rows, written by the plainest loop.
			g := j % cfg.Groups
			if _, err := db.ExecContext(ctx, `INSERT INTO reviews (article_id, channel_id, user_id, user_name,
				username, language, rating, text, source, status, spam, chat_id, message_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				base.articles[g], base.channels[g], readerID(j), fmt.Sprintf("Reader %d", j), "", "en", 0, commentText(j),
				"comment", "pending", 0, groupChat(g), 2+j, at, at); err != nil {
				return res, fmt.Errorf("benchmark: plain insert %d: %w", j, err)
			}
		}
		inserting += time.Since(start)
		start = time.Now()
		for j := lo; j < hi; j++ {
			if _, err := fake.InjectUpdate(json.RawMessage(raws[j])); err != nil {
				return res, fmt.Errorf("benchmark: hand update %d to the fake: %w", j, err)
			}
		}
		wctx, wcancel := context.WithTimeout(ctx, cfg.Timeout)
		err := m.waitFor(wctx, hi, errc)
		wcancel()
		if err != nil {
			return res, fmt.Errorf("benchmark: intake: %d of %d reviews stored: %w", m.count(), hi, err)
		}
		taking += time.Since(start)
	}
	res.InsertRate = rate(cfg.Reviews, inserting)
	res.PathRate = rate(cfg.Reviews, taking)
	if res.InsertRate > 0 {
		res.Ratio = res.PathRate / res.InsertRate
	}
	if res.Stored, err = w.reviews(ctx); err != nil {
		return res, err
	}
	if res.Stored != cfg.Reviews {
		return res, fmt.Errorf("benchmark: intake: the bot stored %d reviews of %d", res.Stored, cfg.Reviews)
	}
	return res, nil
}

// storeCounter is the bot's Metrics for Intake: it counts the reviews
// stored, and lets the benchmark wait for a number of them.
type storeCounter struct {
	mu     sync.Mutex
	stored int
	tick   chan struct{} // signalled at each review stored
}

var _ bot.Metrics = (*storeCounter)(nil)

func (m *storeCounter) Update(string) {}
func (m *storeCounter) PollError()    {}

// ReviewIn counts a review stored.
func (m *storeCounter) ReviewIn(string) {
	m.mu.Lock()
	m.stored++
	m.mu.Unlock()
	select {
	case m.tick <- struct{}{}:
	default:
	}
}

func (m *storeCounter) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.stored
}

// waitFor blocks until n reviews have been stored, ctx ends, or the bot
// stops (a value on stopped, which is put back).
func (m *storeCounter) waitFor(ctx context.Context, n int, stopped chan error) error {
	for m.count() < n {
		select {
		case <-m.tick:
		case <-ctx.Done():
			return ctx.Err()
		case err := <-stopped:
			stopped <- err
			return fmt.Errorf("the bot stopped: %v", err)
		}
	}
	return nil
}

// rate is n per second over d; 0 for no time at all.
func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// workDir returns dir, or a new temporary directory and the function that
// removes it.
func workDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	d, err := os.MkdirTemp("", "herald-bench-")
	if err != nil {
		return "", nil, fmt.Errorf("benchmark: %w", err)
	}
	return d, func() { os.RemoveAll(d) }, nil
}

// reviewWorld is a store with one published article per channel, each
// posted as message 1 of its channel, whose automatic forward is message 1
// of the channel's discussion group: what readers' comments reply to.
type reviewWorld struct {
	st       *store.Store
	channels []int64 // herald channel ids, one per group
	articles []int64 // the article posted on each channel
}

// channelChat and groupChat are the Telegram chats of the g-th channel and
// its discussion group.
func channelChat(g int) int64 { return -1001000000001 - 2*int64(g) }
func groupChat(g int) int64   { return channelChat(g) - 1 }

// readerID is the Telegram user id of the i-th reader.
func readerID(i int) int64 { return 500_000 + int64(i) }

// commentText is reader i's comment: distinct, and long enough to be
// checked for spam.
func commentText(i int) string {
	return fmt.Sprintf("Reader %d: a fair piece, though the second half needed more sources.", i)
}

// openReviewWorld opens a fresh store at path with groups channels, each
// with its article posted and its forward in the discussion group known.
func openReviewWorld(ctx context.Context, path string, groups int) (w *reviewWorld, err error) {
	st, err := store.Open(path)
	if err != nil {
		return nil, fmt.Errorf("benchmark: %w", err)
	}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	w = &reviewWorld{st: st}
	for g := range groups {
		ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: fmt.Sprint(channelChat(g)), Title: fmt.Sprintf("DQ English %d", g+1),
			Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent,
			ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditEdit, OnUnpublish: herald.OnUnpublishDelete}
		if err := st.CreateChannel(ctx, ch); err != nil {
			return nil, fmt.Errorf("benchmark: %w", err)
		}
		url := fmt.Sprintf("https://example.org/a/%d", g+1)
		a := &herald.Article{Source: "file", ExternalID: url, Kind: herald.KindCommentary, Language: herald.LangEnglish,
			Title: "Afterword to the call", Lead: "The lead.", Body: "One.\n\nTwo.", Program: herald.ProgramDifficultQuestion, URL: url}
		if _, err := st.UpsertArticle(ctx, a); err != nil {
			return nil, fmt.Errorf("benchmark: %w", err)
		}
		p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish, ScheduledAt: time.Now()}}
		if _, err := st.PlanPost(ctx, p); err != nil {
			return nil, fmt.Errorf("benchmark: %w", err)
		}
		if ok, err := st.ClaimPost(ctx, p.ID, time.Now().Add(time.Minute)); !ok || err != nil {
			return nil, fmt.Errorf("benchmark: claim post %d: claimed %v: %w", p.ID, ok, err)
		}
		if err := st.MarkSent(ctx, p.ID, 1, nil, "hash"); err != nil {
			return nil, fmt.Errorf("benchmark: %w", err)
		}
		if err := st.AddPostCopy(ctx, groupChat(g), 1, p.ID); err != nil {
			return nil, fmt.Errorf("benchmark: %w", err)
		}
		w.channels = append(w.channels, ch.ID)
		w.articles = append(w.articles, a.ID)
	}
	return w, nil
}

// comments returns, as Telegram sends them, n comments by n readers, the
// i-th in discussion group i mod the world's groups, each a reply to the
// post's automatic forward there. Update ids run from 100.
func (w *reviewWorld) comments(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		g := i % len(w.channels)
		channel := map[string]any{"id": channelChat(g), "type": "channel", "title": fmt.Sprintf("DQ English %d", g+1)}
		group := map[string]any{"id": groupChat(g), "type": "supergroup", "title": fmt.Sprintf("DQ English %d chat", g+1)}
		forward := map[string]any{"message_id": 1, "date": 1767225600, "chat": group, "is_automatic_forward": true,
			"sender_chat": channel, "from": map[string]any{"id": 777000, "is_bot": false, "first_name": "Telegram"},
			"forward_origin": map[string]any{"type": "channel", "chat": channel, "message_id": 1, "date": 1767225600},
			"text":           "Afterword to the call"}
		// json.Marshal of maps of strings and numbers cannot fail.
		out[i], _ = json.Marshal(map[string]any{"update_id": 100 + i, "message": map[string]any{
			"message_id": 2 + i, "date": 1767225700, "chat": group, "message_thread_id": 1,
			"from": map[string]any{"id": readerID(i), "is_bot": false, "first_name": "Reader", "last_name": fmt.Sprint(i),
				"language_code": "en"},
			"reply_to_message": forward, "text": commentText(i)}})
	}
	return out
}

// reviews counts the reviews the world's store holds.
func (w *reviewWorld) reviews(ctx context.Context) (int, error) {
	var n int
	if err := w.st.DB().QueryRowContext(context.WithoutCancel(ctx), `SELECT count(*) FROM reviews`).Scan(&n); err != nil {
		return 0, fmt.Errorf("benchmark: count reviews: %w", err)
	}
	return n, nil
}
