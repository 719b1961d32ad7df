// Package metrics holds warden's Prometheus metrics on a registry of its
// own (no package-level default registry), served at /metrics.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the instruments the rest of the bot records into.
type Metrics struct {
	Registry *prometheus.Registry

	deliveries   *prometheus.CounterVec
	ackLatency   prometheus.Histogram
	scanDuration *prometheus.HistogramVec
	findings     *prometheus.CounterVec
	apiCalls     *prometheus.CounterVec
	apiLatency   *prometheus.HistogramVec
	queueLatency prometheus.Histogram
}

// New registers every metric. queueDepth is sampled at scrape time (nil
// to omit it).
func New(queueDepth func() float64) *Metrics {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &Metrics{
		Registry: r,
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "warden_webhook_deliveries_total", Help: "Webhook deliveries by event and outcome (queued, ignored, duplicate, bad_signature, …).",
		}, []string{"event", "outcome"}),
		ackLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "warden_webhook_ack_seconds", Help: "Time to answer a webhook delivery.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}),
		scanDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "warden_scan_duration_seconds", Help: "Scan time from job start to the completed check run, by conclusion.",
			Buckets: prometheus.ExponentialBuckets(0.1, 2, 12),
		}, []string{"conclusion"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "warden_findings_total", Help: "Findings reported, by category, severity and whether the change introduced them.",
		}, []string{"category", "severity", "new"}),
		apiCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "warden_github_api_calls_total", Help: "GitHub API calls by method, route and status.",
		}, []string{"method", "route", "status"}),
		apiLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "warden_github_api_seconds", Help: "GitHub API call latency by method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method"}),
		queueLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "warden_queue_wait_seconds", Help: "Time a job waited in the queue before a worker took it.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2, 14),
		}),
	}
	r.MustRegister(m.deliveries, m.ackLatency, m.scanDuration, m.findings, m.apiCalls, m.apiLatency, m.queueLatency)
	if queueDepth != nil {
		r.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "warden_queue_depth", Help: "Jobs waiting to run.",
		}, queueDepth))
	}
	return m
}

// Handler serves the registry.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Delivery records one webhook answer. event is a label from a fixed set
// (webhook.EventLabel), never the raw header: anyone can send one.
func (m *Metrics) Delivery(event, outcome string, took time.Duration) {
	m.deliveries.WithLabelValues(event, outcome).Inc()
	m.ackLatency.Observe(took.Seconds())
}

// Scan records a finished scan.
func (m *Metrics) Scan(conclusion string, took time.Duration) {
	m.scanDuration.WithLabelValues(conclusion).Observe(took.Seconds())
}

// Finding counts one reported finding.
func (m *Metrics) Finding(category, severity string, isNew bool) {
	m.findings.WithLabelValues(category, severity, strconv.FormatBool(isNew)).Inc()
}

// APICall records one GitHub API request; route is a template
// ("/repos/{owner}/{repo}/pulls/{pull_number}"), never a concrete path.
func (m *Metrics) APICall(method, route string, status int, took time.Duration) {
	m.apiCalls.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.apiLatency.WithLabelValues(method).Observe(took.Seconds())
}

// QueueWait records how long a job waited.
func (m *Metrics) QueueWait(d time.Duration) { m.queueLatency.Observe(d.Seconds()) }
