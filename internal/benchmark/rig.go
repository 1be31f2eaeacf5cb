package benchmark

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/bot"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

// firstChat is the fake chat id of the first benchmark channel; the others
// count down from it.
const firstChat int64 = -1009000000000

// rig is one measurement's world: a store in a temporary directory, a fake
// Bot API on 127.0.0.1 with one channel per herald channel, and the bot's
// Publisher talking to it through go-telegram/bot, wrapped in a recorder.
type rig struct {
	dir      string
	ownDir   bool
	st       *store.Store
	fake     *telegramtest.Server
	pub      *recorder
	channels []*herald.Channel
	log      *slog.Logger
}

// newRig builds the world with n channels; dir "" means a temporary
// directory, removed by close.
func newRig(ctx context.Context, dir string, n int, scale float64, log *slog.Logger) (r *rig, err error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r = &rig{dir: dir, log: log}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	if r.dir == "" {
		if r.dir, err = os.MkdirTemp("", "herald-bench-"); err != nil {
			return r, fmt.Errorf("benchmark: %w", err)
		}
		r.ownDir = true
	}
	if r.st, err = store.Open(filepath.Join(r.dir, "bench.db")); err != nil {
		return r, fmt.Errorf("benchmark: %w", err)
	}
	r.fake = telegramtest.NewServer(telegramtest.WithScale(scale))
	for i := range n {
		id := firstChat - int64(i)
		title := fmt.Sprintf("Bench channel %d", i+1)
		if err := r.fake.AddChat(telegramtest.Chat{ID: id, Type: "channel", Title: title, BotRights: telegramtest.RightsAdmin}); err != nil {
			return r, fmt.Errorf("benchmark: %w", err)
		}
		ch := &herald.Channel{Network: herald.NetworkTelegram, Chat: strconv.FormatInt(id, 10), Title: title,
			Language: herald.LangEnglish, Kinds: herald.Kinds, QuietMode: herald.QuietSilent,
			ReviewLink: herald.ReviewLinkText, OnEdit: herald.OnEditKeep, OnUnpublish: herald.OnUnpublishKeep}
		if err := r.st.CreateChannel(ctx, ch); err != nil {
			return r, fmt.Errorf("benchmark: %w", err)
		}
		r.channels = append(r.channels, ch)
	}
	b, err := bot.New(ctx, bot.Config{Token: r.fake.Token(), APIURL: r.fake.URL(), Store: r.st, Log: log})
	if err != nil {
		return r, fmt.Errorf("benchmark: %w", err)
	}
	r.pub = &recorder{next: b.Publisher(), done: make(chan struct{})}
	return r, nil
}

// close stops the fake, closes the store and removes a temporary directory.
func (r *rig) close() {
	if r.fake != nil {
		r.fake.Close()
	}
	if r.st != nil {
		r.st.Close()
	}
	if r.ownDir {
		os.RemoveAll(r.dir)
	}
}

// article stores the i-th benchmark article.
func (r *rig) article(ctx context.Context, i int) (*herald.Article, error) {
	a := &herald.Article{Source: "bench", ExternalID: fmt.Sprintf("bench-%d", i),
		Kind: herald.KindCommentary, Language: herald.LangEnglish, Program: herald.ProgramDifficultQuestion,
		Title: fmt.Sprintf("Commentary %d: what the week's talks changed", i),
		Lead:  "Our expert weighs what was said and what was left out.",
		Body:  "The first paragraph sets out the facts.\n\nThe second weighs them.\n\nThe third asks what comes next.",
		URL:   fmt.Sprintf("https://example.org/commentary/%d", i), PublishedAt: time.Now()}
	if _, err := r.st.UpsertArticle(ctx, a); err != nil {
		return nil, fmt.Errorf("benchmark: %w", err)
	}
	return a, nil
}

// plan schedules article a on channel ch at at.
func (r *rig) plan(ctx context.Context, a *herald.Article, ch *herald.Channel, at time.Time) error {
	p := &store.PostRow{Post: herald.Post{ArticleID: a.ID, ChannelID: ch.ID, Purpose: herald.PurposePublish,
		State: herald.PostScheduled, ScheduledAt: at, ScheduledBy: herald.ScheduledByAuto}}
	if _, err := r.st.PlanPost(ctx, p); err != nil {
		return fmt.Errorf("benchmark: %w", err)
	}
	return nil
}

// run starts a dispatcher with the given limits, as herald run does, and
// stops it once every one of want posts has been sent or has failed for
// good, or when ctx ends (an error then).
func (r *rig) run(ctx context.Context, limits scheduler.Limits, want int) error {
	r.pub.expect(want)
	d := &scheduler.Dispatcher{Store: r.st, Publisher: r.pub, Log: r.log, Limits: limits, Exclusive: true}
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- d.Start(dctx) }()
	var err error
	select {
	case <-r.pub.done:
	case <-ctx.Done():
		err = fmt.Errorf("benchmark: %d of %d posts settled: %w", r.pub.settledCount(), want, ctx.Err())
	case err = <-errc:
		return fmt.Errorf("benchmark: dispatcher stopped early: %w", err)
	}
	cancel()
	if serr := <-errc; serr != nil && err == nil {
		err = fmt.Errorf("benchmark: dispatcher: %w", serr)
	}
	return err
}

// delivered counts the bot's messages in the benchmark channels, and those
// that repeat a message already in the same channel: a post sent twice.
func (r *rig) delivered() (n, dup int) {
	bot := r.fake.BotUser().ID
	for i := range r.channels {
		seen := map[string]bool{}
		for _, m := range r.fake.Messages(firstChat - int64(i)) {
			if m.From == nil || m.From.ID != bot {
				continue
			}
			n++
			if seen[m.SentText] {
				dup++
			}
			seen[m.SentText] = true
		}
	}
	return n, dup
}

// sentPosts counts the posts the store holds as sent.
func (r *rig) sentPosts(ctx context.Context) (int, error) {
	counts, err := r.st.CountPosts(context.WithoutCancel(ctx))
	if err != nil {
		return 0, fmt.Errorf("benchmark: %w", err)
	}
	return counts[herald.PostSent], nil
}

// send is one successful Publish as the recorder saw it.
type send struct {
	post      int64
	scheduled time.Time
	start     time.Time // Publish was called: the post had just been claimed
	end       time.Time // Publish returned: the message was in the channel
}

// recorder is a scheduler.Publisher that passes every call on and notes
// when each send started and ended, in real time. It closes done when want
// posts have settled for good.
type recorder struct {
	next scheduler.Publisher

	mu      sync.Mutex
	sends   []send
	first   time.Time // the first Publish call
	settled int
	want    int
	done    chan struct{}
	closed  bool
	// resends is set for a network that sends an ambiguous post again with
	// its key (scheduler.Network.CanRepeat): such a failure settles nothing.
	resends bool
}

func (p *recorder) expect(n int) {
	p.mu.Lock()
	p.want = n
	p.mu.Unlock()
}

// Publish sends through the wrapped publisher and records the send.
func (p *recorder) Publish(ctx context.Context, d scheduler.Delivery) (scheduler.Receipt, error) {
	start := time.Now()
	p.mu.Lock()
	if p.first.IsZero() {
		p.first = start
	}
	p.mu.Unlock()
	rec, err := p.next.Publish(ctx, d)
	end := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		p.sends = append(p.sends, send{post: d.Post.ID, scheduled: d.Post.ScheduledAt, start: start, end: end})
	}
	if final(err, p.resends) {
		p.settled++
		if p.settled >= p.want && !p.closed {
			p.closed = true
			close(p.done)
		}
	}
	return rec, err
}

// Edit passes the call on.
func (p *recorder) Edit(ctx context.Context, d scheduler.Delivery, r scheduler.Receipt) (scheduler.Receipt, error) {
	return p.next.Edit(ctx, d, r)
}

// Delete passes the call on.
func (p *recorder) Delete(ctx context.Context, ch *herald.Channel, r scheduler.Receipt) error {
	return p.next.Delete(ctx, ch, r)
}

func (p *recorder) settledCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.settled
}

// record returns the successful sends so far and the first call's time.
func (p *recorder) record() ([]send, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]send(nil), p.sends...), p.first
}

// final reports whether a Publish outcome ends the post's sending: success,
// or a failure the dispatcher will not retry on its own (an ambiguous send
// it retries when resends is set).
func final(err error, resends bool) bool {
	var se *scheduler.SendError
	if err == nil || !errors.As(err, &se) {
		return true
	}
	switch se.Failure {
	case scheduler.NotSent, scheduler.RateLimited, scheduler.Migrated:
		return false
	case scheduler.Ambiguous:
		return !resends
	}
	return true
}

// outOfOrder counts, over every benchmark channel, the pairs of sent posts
// whose messages are in the other order than their (scheduled_at, id):
// what a reader of the channel would see out of place.
func (r *rig) outOfOrder(ctx context.Context) (int, error) {
	ctx = context.WithoutCancel(ctx)
	n := 0
	for _, ch := range r.channels {
		ps, err := r.st.Posts(ctx, store.PostFilter{ChannelID: ch.ID, States: []herald.PostState{herald.PostSent}})
		if err != nil {
			return n, fmt.Errorf("benchmark: %w", err)
		}
		// Posts come in (scheduled_at, id) order: count the inversions of
		// their message ids.
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				if ps[i].MessageID > ps[j].MessageID {
					n++
				}
			}
		}
	}
	return n, nil
}
