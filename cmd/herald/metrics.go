package main

import (
	"context"
	"runtime"
	"strconv"
	"time"

	"github.com/herald-news/herald"
	"github.com/herald-news/herald/scheduler"
	"github.com/herald-news/herald/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are herald's Prometheus metrics, on a registry of their own (no
// package globals). They implement scheduler.Observer and bot.Metrics.
type metrics struct {
	reg        *prometheus.Registry
	sends      *prometheus.CounterVec
	failures   *prometheus.CounterVec
	tooMany    *prometheus.CounterVec
	lag        prometheus.Histogram
	updates    *prometheus.CounterVec
	pollErrors prometheus.Counter
	reviewsIn  *prometheus.CounterVec
}

func newMetrics(st *store.Store) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_sends_total",
			Help: "Posts sent to Telegram, by channel."}, []string{"channel"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_send_errors_total",
			Help: "Sends that did not go out, by channel and kind of failure."}, []string{"channel", "failure"}),
		tooMany: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_telegram_429_total",
			Help: "429 Too Many Requests answers from Telegram, by channel."}, []string{"channel"}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "herald_dispatch_lag_seconds",
			Help:    "How late posts went out after they were due.",
			Buckets: []float64{0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900}}),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_updates_total",
			Help: "Telegram updates handled, by kind."}, []string{"kind"}),
		pollErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "herald_poll_errors_total",
			Help: "getUpdates calls that failed."}),
		reviewsIn: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "herald_reviews_in_total",
			Help: "Readers' reviews stored, by source."}, []string{"source"}),
	}
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "herald_build_info",
		Help: "herald's version and the Go it was built with; always 1."}, []string{"version", "goversion", "schema"})
	build.WithLabelValues(buildVersion(), runtime.Version(), fmtInt(store.SchemaVersion())).Set(1)
	m.reg.MustRegister(m.sends, m.failures, m.tooMany, m.lag, m.updates, m.pollErrors, m.reviewsIn, build,
		&storeCollector{st: st}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func fmtInt(n int) string { return strconv.Itoa(n) }

// Sent implements scheduler.Observer.
func (m *metrics) Sent(ch *herald.Channel, lag time.Duration) {
	m.sends.WithLabelValues(ch.Chat).Inc()
	m.lag.Observe(max(lag, 0).Seconds())
}

// Failed implements scheduler.Observer.
func (m *metrics) Failed(ch *herald.Channel, f scheduler.Failure) {
	m.failures.WithLabelValues(ch.Chat, f.String()).Inc()
	if f == scheduler.RateLimited {
		m.tooMany.WithLabelValues(ch.Chat).Inc()
	}
}

// Update, PollError and ReviewIn implement bot.Metrics.
func (m *metrics) Update(kind string)     { m.updates.WithLabelValues(kind).Inc() }
func (m *metrics) PollError()             { m.pollErrors.Inc() }
func (m *metrics) ReviewIn(source string) { m.reviewsIn.WithLabelValues(source).Inc() }

// storeCollector reads the state of the queue from the database at scrape
// time: posts by state and the posts due now.
type storeCollector struct{ st *store.Store }

var (
	postsDesc = prometheus.NewDesc("herald_posts", "Posts by state.", []string{"state"}, nil)
	queueDesc = prometheus.NewDesc("herald_queue_depth", "Posts due now and not yet sent.", nil, nil)
	// Per person: a notice to two owners is two.
	noticesDesc = prometheus.NewDesc("herald_notices", "Notices owed to owners and editors, per person, by state (delivered, unreachable, pending).", []string{"state"}, nil)
)

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- postsDesc
	ch <- queueDesc
	ch <- noticesDesc
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	counts, err := c.st.CountPosts(ctx)
	if err == nil {
		for _, s := range herald.PostStates {
			ch <- prometheus.MustNewConstMetric(postsDesc, prometheus.GaugeValue, float64(counts[s]), string(s))
		}
	}
	if due, err := c.st.CountDue(ctx, time.Now()); err == nil {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(due))
	}
	if n, err := c.st.CountNotices(ctx); err == nil {
		for state, v := range map[string]int{"delivered": n.Delivered, "unreachable": n.Unreachable, "pending": n.Pending} {
			ch <- prometheus.MustNewConstMetric(noticesDesc, prometheus.GaugeValue, float64(v), state)
		}
	}
}
