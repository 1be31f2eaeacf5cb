package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/store"
	"github.com/herald-news/herald/telegramtest"
)

var (
	chaosLong = flag.Bool("chaos.long", false, "run the long chaos drill (about 300 posts, 30 kills)")
	chaosSeed = flag.Int64("chaos.seed", 0, "seed of the chaos drill (0: from the clock; the seed used is logged)")
	chaosRace = flag.Bool("chaos.race", false, "build the drill's herald with -race (the long drill always does)")
)

// chaosPlan is the size of one chaos drill.
type chaosPlan struct {
	articles, kills, readers, reviewsEach int
	deadline                              time.Duration
}

// chaosChats are the drill's channels; every article goes to each, a
// second apart (--min-gap), so that the posts trickle out across the kills.
var chaosChats = []int64{-1003001, -1003002, -1003003, -1003004, -1003005, -1003006}

// chaosOwners must /start the bot before it can tell them anything.
var chaosOwners = []int64{5001, 5002}

// chaosFlooder is the reader who floods the bot during the drill.
const chaosFlooder = 7999

const (
	chaosScale       = 10 // the fake's time and herald's limits run this much faster
	chaosSendTimeout = 300 * time.Millisecond
	chaosStepWait    = 6 * time.Second // a reader gives up on a step and starts again after this
	// chaosForgive is how long after a start an early request is the
	// restart's, not herald's: the longest retry_after the drill forces
	// (5 fake seconds, 0.5 s at chaosScale) and the fake's own private-chat
	// waits, with room.
	chaosForgive = 2 * time.Second
)

var chaosLink = regexp.MustCompile(`\?start=(r(\d+)_\d+)`)

// TestChaosEveryPostSentOnceOrOwnersTold runs herald as a process against a
// fake Telegram that fails, stalls, rate-limits and drops connections, kills
// it with SIGKILL at random moments and starts it again, while readers write
// reviews. At the end every post is in its channel exactly once as recorded,
// or unknown with the owners told, or failed with a reason; the database is
// intact; and every review a reader was thanked for is in herald reviews.
func TestChaosEveryPostSentOnceOrOwnersTold(t *testing.T) {
	if testing.Short() {
		t.Skip("kills herald many times")
	}
	plan := chaosPlan{articles: 10, kills: 6, readers: 6, reviewsEach: 2, deadline: 90 * time.Second}
	if *chaosLong {
		plan = chaosPlan{articles: 50, kills: 30, readers: 20, reviewsEach: 3, deadline: 8 * time.Minute}
	}
	seed := *chaosSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Logf("chaos seed %d (rerun with -chaos.seed=%d); %d posts, %d kills", seed, seed, plan.articles*(len(chaosChats)+2), plan.kills)
	began := time.Now()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	bin := heraldBin
	if *chaosLong || *chaosRace {
		bin = filepath.Join(t.TempDir(), "herald-race")
		build := exec.Command("go", "build", "-race", "-o", bin, ".")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build -race: %v\n%s", err, out)
		}
	}

	fake := telegramtest.NewTestServer(t, telegramtest.WithToken(secretToken), telegramtest.WithScale(chaosScale))
	db := newDB(t)
	for i, c := range chaosChats {
		if err := fake.AddChat(telegramtest.Chat{ID: c, Type: "channel", Title: fmt.Sprint("Chaos ", i), BotRights: telegramtest.RightsAdmin}); err != nil {
			t.Fatal(err)
		}
		mustRun(t, nil, "channel", "add", "--db", db, "--chat", fmt.Sprint(c), "--title", fmt.Sprint("Chaos ", i),
			"--lang", "en", "--kinds", "news", "--quiet", "off", "--min-gap", "1s")
	}
	// And to a Mastodon and a Bluesky account, faults and kills alike.
	netVars := map[string]string{}
	nets := startChaosNets(t, db, netVars)
	for _, o := range chaosOwners {
		if _, err := fake.UserSends(telegramtest.UserMessage{UserID: o, Text: "/start", FirstName: "Owner"}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	titles := make([]string, plan.articles)
	for i := range titles {
		titles[i] = fmt.Sprintf("Chaos dispatch %03d: what the district counted this week", i+1)
		page := fmt.Sprintf("%s\n\nThe district published its weekly count on Monday, dispatch %03d of the series, with %d new homes connected to the grid.\n\nOfficials said the numbers were in line with the plan set out last year.\n", titles[i], i+1, 100+i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("dispatch-%03d.txt", i+1)), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := mustRun(t, nil, "import", "--db", db, "--lang", "en", "--kind", "news", dir); r.lastLine() != fmt.Sprintf("%d new, 0 updated, 0 unchanged, 0 skipped, 0 failed", plan.articles) {
		t.Fatalf("import: %v", r)
	}

	ctx, cancel := context.WithTimeout(context.Background(), plan.deadline)
	defer cancel()
	vars := runVars(fake)
	vars["HERALD_SEND_TIMEOUT"] = chaosSendTimeout.String()
	vars["HERALD_RATE_SCALE"] = strconv.Itoa(chaosScale)
	vars["HERALD_DIGEST"] = "off"
	vars["HERALD_REPLIES_EVERY"] = "2s"
	for k, v := range netVars {
		vars[k] = v
	}
	telegramTotal := func() int {
		n := 0
		for _, c := range chaosChats {
			n += len(botMessages(fake, c))
		}
		return n
	}
	channelTotal := func() int { return telegramTotal() + nets.total() }

	// Faults, one at a time, each a few channel messages after the last
	// was used up.
	faultCtx, stopFaults := context.WithCancel(ctx)
	faultsDone := make(chan map[string]int)
	go func() {
		faultsDone <- injectChaos(faultCtx, fake, rand.New(rand.NewPCG(uint64(seed), 1)), telegramTotal)
	}()
	netFaultsDone := make(chan map[string]int)
	go func() { netFaultsDone <- nets.inject(faultCtx, rand.New(rand.NewPCG(uint64(seed), 3))) }()
	nets.dropFirst(t) // every drill has an ambiguous send on each network

	// A reader floods the bot now and then: /start, a press and a text,
	// over and over, a few hundred at a time.
	floodCtx, stopFlood := context.WithCancel(ctx)
	floodDone := make(chan int)
	go func() { floodDone <- floodChaos(floodCtx, fake, rand.New(rand.NewPCG(uint64(seed), 2))) }()

	// Readers review what reaches the channels, through herald's deep links.
	var rwg sync.WaitGroup
	reviews := make(chan chaosReview, plan.readers*plan.reviewsEach)
	readerErrs := make(chan error, plan.readers)
	for i := range plan.readers {
		rd := &chaosReader{fake: fake, id: int64(7001 + i), rng: rand.New(rand.NewPCG(uint64(seed), uint64(100+i)))}
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			if err := rd.run(ctx, plan.reviewsEach, reviews); err != nil {
				readerErrs <- err
			}
		}()
	}

	var outputs []string
	var starts []time.Time // a herald just started cannot know its predecessor's 429s
	slowKills := 0
	for k := range plan.kills {
		starts = append(starts, fake.Now())
		p := startProcBin(t, bin, vars, "run", "--db", db)
		if k%3 == 2 {
			// A slow API (every send held, still under the send timeout)
			// and a kill soon after the start: recovery must not hold the
			// sends up.
			slowKills++
			fake.InjectFault(telegramtest.Fault{Method: "sendMessage", DelayMS: int(chaosSendTimeout/time.Millisecond) / 2, Count: 40})
			quick := time.NewTimer(time.Duration(300+rng.IntN(900)) * time.Millisecond)
			select {
			case <-quick.C:
			case <-ctx.Done():
			}
			p.signal(t, syscall.SIGKILL, 5*time.Second)
			outputs = append(outputs, p.stdout.String(), p.stderr.String())
			t.Logf("kill %d (slow API, soon after start): %d messages in the channels", k+1, channelTotal())
			continue
		}
		// Kill when a few more posts are out, or when nothing more comes.
		target := channelTotal() + 1 + rng.IntN(2*plan.articles*(len(chaosChats)+2)/plan.kills)
		wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
		fake.WaitUntil(wctx, func() bool { return channelTotal() >= target })
		wcancel()
		jitter := time.NewTimer(time.Duration(rng.IntN(300)) * time.Millisecond)
		select {
		case <-jitter.C:
		case <-ctx.Done():
		}
		p.signal(t, syscall.SIGKILL, 5*time.Second)
		outputs = append(outputs, p.stdout.String(), p.stderr.String())
		t.Logf("kill %d: %d messages in the channels", k+1, channelTotal())
	}
	stopFaults()
	faults := <-faultsDone
	for k, v := range <-netFaultsDone {
		faults[k] = v
	}
	fake.ClearFaults()
	nets.clear()
	stopFlood()
	floods := <-floodDone
	faults["slow API kills"] = slowKills

	// A last run settles everything; it is stopped once no post waits and
	// every reader is done.
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	starts = append(starts, fake.Now())
	p := startProcBin(t, bin, vars, "run", "--db", db)
	readersDone := make(chan struct{})
	go func() { rwg.Wait(); close(readersDone) }()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var waiting map[herald.PostState]int
	for settled := false; !settled; {
		counts, err := st.CountPosts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		waiting = counts
		notices, err := st.CountNotices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case <-readersDone:
			settled = counts[herald.PostPlanned]+counts[herald.PostScheduled]+counts[herald.PostSending] == 0 && len(counts) > 0 &&
				notices.Pending == 0
		default:
		}
		if settled {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("posts still waiting (%v), notices owed (%+v) or readers not done at the deadline\n%s", waiting, notices, p.stderr.String())
		case <-tick.C:
		}
	}
	p.waitRunning(t, 15*time.Second)
	if code := p.signal(t, syscall.SIGTERM, 15*time.Second); code != exitOK {
		t.Errorf("herald run exited %d on SIGTERM, want 0\n%s", code, p.stderr.String())
	}
	outputs = append(outputs, p.stdout.String(), p.stderr.String())
	close(readerErrs)
	for err := range readerErrs {
		t.Error(err)
	}
	close(reviews)

	states := checkChaosPosts(t, ctx, st, fake, len(titles)*(len(chaosChats)+2))
	netStates := nets.check(t, ctx, st, func(owner, post int64) bool { return ownerTold(fake, owner, post) })
	checkChaosOrder(t, ctx, st)
	notices, err := st.CountNotices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if notices.Delivered != notices.Owed {
		t.Errorf("notices: %d owed, %d delivered, %d unreachable, %d pending; want every one delivered", notices.Owed, notices.Delivered, notices.Unreachable, notices.Pending)
	}
	if floods > 0 {
		for _, o := range chaosOwners {
			found := false
			for _, m := range botMessages(fake, o) {
				found = found || (strings.Contains(m.Text, "A reader was muted") && strings.Contains(m.Text, fmt.Sprint(chaosFlooder)))
			}
			if !found {
				t.Errorf("reader %d flooded the bot %d times and owner %d was never told they were muted", chaosFlooder, floods, o)
			}
		}
	}
	early, forgivenEarly := 0, 0
	for _, e := range fake.Stats().Early {
		// Early by a process that started after the 429 it broke (a kill
		// forgets the retry_after) is forgiven; one by the process that
		// was told is not.
		forgiven := false
		for _, at := range starts {
			forgiven = forgiven || (e.At.After(at) && e.At.Sub(at) < chaosForgive*chaosScale) // fake time
		}
		if forgiven {
			forgivenEarly++
		} else {
			early++
			t.Errorf("a request came before its retry_after passed: %+v", e)
		}
	}

	var check string
	if err := st.DB().QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}

	var stored []struct {
		ArticleID int64  `json:"article_id"`
		UserID    int64  `json:"user_id"`
		Rating    int    `json:"rating"`
		Text      string `json:"text"`
	}
	decodeJSON(t, mustRun(t, nil, "reviews", "--db", db, "--json"), &stored)
	completed := 0
	for r := range reviews {
		completed++
		found := false
		for _, s := range stored {
			found = found || (s.ArticleID == r.article && s.UserID == r.user && s.Rating == r.rating && s.Text == r.text)
		}
		if !found {
			t.Errorf("reader %d was thanked for a review of article %d (%d stars, %q), but herald reviews does not have it", r.user, r.article, r.rating, r.text)
		}
	}

	for i, o := range outputs {
		noToken(t, fmt.Sprintf("output %d of the chaos runs", i), o)
		for _, secret := range []string{chaosMastodonToken, chaosBlueskyPass} {
			if strings.Contains(o, secret) {
				t.Errorf("output %d of the chaos runs shows a network's secret", i)
			}
		}
		if strings.Contains(o, "DATA RACE") {
			t.Errorf("the race detector found a race in herald run %d:\n%s", i/2+1, o)
		}
	}
	noTokenInFiles(t, db)
	for _, f := range []string{db, db + "-wal"} {
		if raw, err := os.ReadFile(f); err == nil {
			for _, secret := range []string{chaosMastodonToken, chaosBlueskyPass} {
				if strings.Contains(string(raw), secret) {
					t.Errorf("%s holds a network's secret", filepath.Base(f))
				}
			}
		}
	}
	t.Logf("chaos seed %d: on Mastodon %v, on Bluesky %v", seed, netStates[herald.NetworkMastodon], netStates[herald.NetworkBluesky])
	t.Logf("chaos seed %d: %d posts on Telegram: %d sent, %d unknown, %d failed; %d kills; faults %v; %d floods; notices %d owed, %d delivered; %d early retries (%d more just after a restart, forgiven); %d reviews completed; race detector %v; %v",
		seed, len(titles)*len(chaosChats), states[herald.PostSent], states[herald.PostUnknown], states[herald.PostFailed],
		plan.kills, faults, floods, notices.Owed, notices.Delivered, early, forgivenEarly, completed, bin != heraldBin,
		time.Since(began).Round(time.Second))
}

// injectChaos queues faults on the channels' sends (and now and then on
// getUpdates) until ctx ends, one at a time, each a few channel messages
// after the last was used up, and returns how many of each kind it queued.
func injectChaos(ctx context.Context, fake *telegramtest.Server, rng *rand.Rand, channelTotal func() int) map[string]int {
	count := map[string]int{}
	delay := int(3 * chaosSendTimeout / time.Millisecond)
	for {
		gap := channelTotal() + 1 + rng.IntN(4)
		if fake.WaitUntil(ctx, func() bool { return len(fake.Faults()) == 0 && channelTotal() >= gap }) != nil {
			return count
		}
		f := telegramtest.Fault{Method: "sendMessage", ChatID: chaosChats[rng.IntN(len(chaosChats))]}
		var kind string
		switch n := rng.IntN(100); {
		case n < 15:
			f.Status, kind = []int{500, 502, 503}[rng.IntN(3)], "5xx"
		case n < 25:
			f.StatusAfterStore, kind = []int{500, 502, 504}[rng.IntN(3)], "5xx after store"
		case n < 40:
			f.DelayMS, kind = delay, "stall"
		case n < 60:
			f.RetryAfter, kind = 1+rng.IntN(5), "429"
		case n < 75:
			f.DropAfterStore, kind = true, "drop"
		case n < 90:
			// Every channel at once: a burst of unknowns for the owners.
			for _, c := range chaosChats {
				g := telegramtest.Fault{Method: "sendMessage", ChatID: c, DropAfterStore: true}
				if rng.IntN(2) == 0 {
					g = telegramtest.Fault{Method: "sendMessage", ChatID: c, StatusAfterStore: 502}
				}
				if err := fake.InjectFault(g); err != nil {
					panic(err)
				}
			}
			count["all channels at once"]++
			continue
		default:
			f = telegramtest.Fault{Method: "getUpdates", Status: 502}
			kind = "getUpdates 5xx"
		}
		if err := fake.InjectFault(f); err != nil {
			panic(err) // a fault the fake refuses is a mistake in this test
		}
		count[kind]++
	}
}

// checkChaosPosts checks every post's end against the channels and the
// owners' private chats, and returns how many posts ended in each state.
func checkChaosPosts(t *testing.T, ctx context.Context, st *store.Store, fake *telegramtest.Server, want int) map[herald.PostState]int {
	t.Helper()
	channels, err := st.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	chatOf := map[int64]int64{}
	telegram := map[int64]bool{}
	for _, c := range channels {
		chatOf[c.ID], _ = strconv.ParseInt(c.Chat, 10, 64)
		telegram[c.ID] = c.IsTelegram()
	}
	posts, err := st.Posts(ctx, store.PostFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != want {
		t.Errorf("%d posts planned, want %d", len(posts), want)
	}
	told := func(owner, post int64) bool { return ownerTold(fake, owner, post) }
	states := map[herald.PostState]int{}
	for _, p := range posts {
		if !telegram[p.ChannelID] {
			continue // checked against its network (chaosNets.check)
		}
		states[p.State]++
		a, err := st.Article(ctx, p.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		msgs := botMessages(fake, chatOf[p.ChannelID])
		n := countTitle(msgs, a.Title)
		switch p.State {
		case herald.PostSent:
			found := false
			for _, m := range msgs {
				found = found || (int64(m.ID) == p.MessageID && strings.Contains(m.Text, a.Title))
			}
			if !found || n != 1 {
				t.Errorf("post %d is sent as message %d, but its channel holds the article %d times (that message found: %v)", p.ID, p.MessageID, n, found)
			}
		case herald.PostUnknown, herald.PostFailed:
			if n > 1 {
				t.Errorf("post %d is %s and its channel holds the article %d times", p.ID, p.State, n)
			}
			if p.State == herald.PostFailed && p.LastError == "" {
				t.Errorf("post %d failed without a reason", p.ID)
			}
			for _, o := range chaosOwners {
				if !told(o, p.ID) {
					t.Errorf("post %d is %s (%s) and owner %d was not told", p.ID, p.State, p.LastError, o)
				}
			}
		default:
			t.Errorf("post %d ended %s; want sent, or unknown or failed with the owners told", p.ID, p.State)
		}
	}
	for _, c := range chaosChats {
		if msgs := botMessages(fake, c); len(msgs) > want/(len(chaosChats)+2) {
			t.Errorf("chat %d holds %d messages for %d articles", c, len(msgs), want/(len(chaosChats)+2))
		}
	}
	return states
}

// ownerTold reports whether owner got a message naming post.
func ownerTold(fake *telegramtest.Server, owner, post int64) bool {
	mark := regexp.MustCompile(fmt.Sprintf(`#%d\b`, post))
	for _, m := range botMessages(fake, owner) {
		if mark.MatchString(m.Text) {
			return true
		}
	}
	return false
}

// checkChaosOrder checks that each channel's posts went out in their order:
// by scheduled time, then id, their message ids rising.
func checkChaosOrder(t *testing.T, ctx context.Context, st *store.Store) {
	t.Helper()
	channels, err := st.Channels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range channels {
		if !c.IsTelegram() {
			continue // its order is checked by chaosNets.check
		}
		posts, err := st.Posts(ctx, store.PostFilter{ChannelID: c.ID}) // by (scheduled_at, id)
		if err != nil {
			t.Fatal(err)
		}
		last := int64(0)
		for _, p := range posts {
			if p.State != herald.PostSent {
				continue
			}
			if p.MessageID < last {
				t.Errorf("channel %s: post %d (message %d) went out after a later post (message %d)", c.Chat, p.ID, p.MessageID, last)
			}
			last = max(last, p.MessageID)
		}
	}
}

// floodChaos has one reader flood the bot, a few hundred updates at a
// time, until ctx ends, and returns how many floods it sent.
func floodChaos(ctx context.Context, fake *telegramtest.Server, rng *rand.Rand) int {
	floods := 0
	for {
		wait := time.NewTimer(time.Duration(2000+rng.IntN(4000)) * time.Millisecond)
		select {
		case <-ctx.Done():
			wait.Stop()
			return floods
		case <-wait.C:
		}
		floods++
		for i := range 120 {
			if ctx.Err() != nil {
				return floods
			}
			fake.UserSends(telegramtest.UserMessage{UserID: chaosFlooder, Text: "/start r1_1", FirstName: "Flood", LanguageCode: "en"})
			fake.UserSends(telegramtest.UserMessage{UserID: chaosFlooder, Text: fmt.Sprintf("flood %d: the same words again", i), LanguageCode: "en"})
		}
	}
}

// chaosReview is a review a reader completed: the bot thanked them for it.
type chaosReview struct {
	user, article int64
	rating        int
	text          string
}

// chaosReader is a reader who opens posts' review links and rates and
// comments, starting a step again when the bot does not answer in time, as
// a person would.
type chaosReader struct {
	fake *telegramtest.Server
	id   int64
	rng  *rand.Rand
	seen int // the last bot message in the private chat already acted on
}

// run completes n reviews of different articles, or fails at ctx's end.
func (r *chaosReader) run(ctx context.Context, n int, out chan<- chaosReview) error {
	done := map[string]bool{} // by article: a reader has one review of each
	for len(done) < n {
		var payload string
		var article int64
		err := r.fake.WaitUntil(ctx, func() bool {
			var links [][]string
			for _, c := range chaosChats {
				for _, m := range botMessages(r.fake, c) {
					if l := chaosLink.FindStringSubmatch(m.SentText); l != nil && !done[l[2]] {
						links = append(links, l)
					}
				}
			}
			if len(links) == 0 {
				return false
			}
			l := links[r.rng.IntN(len(links))]
			payload = l[1]
			article, _ = strconv.ParseInt(l[2], 10, 64)
			return true
		})
		if err != nil {
			return fmt.Errorf("reader %d: no post to review: %w", r.id, err)
		}
		rating := 1 + r.rng.IntN(5)
		text := fmt.Sprintf("Reader %d on %s: clear reporting, %d stars.", r.id, payload, rating)
		for {
			if ctx.Err() != nil {
				return fmt.Errorf("reader %d never completed the review of %s", r.id, payload)
			}
			if r.review(ctx, payload, article, rating, text) {
				break
			}
		}
		done[strconv.FormatInt(article, 10)] = true
		out <- chaosReview{user: r.id, article: article, rating: rating, text: text}
	}
	return nil
}

// review goes through the flow once and reports whether the bot thanked
// the reader at the end.
func (r *chaosReader) review(ctx context.Context, payload string, article int64, rating int, text string) bool {
	if _, err := r.fake.UserSends(telegramtest.UserMessage{UserID: r.id, Text: "/start " + payload, FirstName: fmt.Sprint("Reader ", r.id), LanguageCode: "en"}); err != nil {
		return false
	}
	prefix, data := fmt.Sprintf("rv1:%d:", article), fmt.Sprintf(":%d", rating)
	keyboard, ok := r.next(ctx, func(m telegramtest.Message) bool { return buttonWith(m, prefix, data) != "" })
	if !ok {
		return false
	}
	if _, err := r.fake.Press(telegramtest.Press{UserID: r.id, ChatID: r.id, MessageID: keyboard.ID, Data: buttonWith(keyboard, prefix, data)}); err != nil {
		return false
	}
	if _, ok := r.next(ctx, func(m telegramtest.Message) bool { return buttonWith(m, prefix, ":0") != "" }); !ok {
		return false
	}
	if _, err := r.fake.UserSends(telegramtest.UserMessage{UserID: r.id, Text: text}); err != nil {
		return false
	}
	_, ok = r.next(ctx, func(m telegramtest.Message) bool { return strings.HasPrefix(m.Text, "Thank you — your review") })
	return ok
}

// next waits for a bot message in the reader's chat, newer than the last
// one acted on, that satisfies match.
func (r *chaosReader) next(ctx context.Context, match func(telegramtest.Message) bool) (telegramtest.Message, bool) {
	ctx, cancel := context.WithTimeout(ctx, chaosStepWait)
	defer cancel()
	var got telegramtest.Message
	err := r.fake.WaitUntil(ctx, func() bool {
		for _, m := range botMessages(r.fake, r.id) {
			if m.ID > r.seen && match(m) {
				got = m
				return true
			}
		}
		return false
	})
	if err != nil {
		return got, false
	}
	r.seen = got.ID
	return got, true
}

// buttonWith returns the callback data of the message's button that starts
// with prefix and ends with suffix, or "".
func buttonWith(m telegramtest.Message, prefix, suffix string) string {
	if m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, prefix) && strings.HasSuffix(b.CallbackData, suffix) {
				return b.CallbackData
			}
		}
	}
	return ""
}
