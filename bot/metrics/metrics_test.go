package metrics_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wardenbot/warden/bot/metrics"
)

func TestMetricsAreExposed(t *testing.T) {
	m := metrics.New(func() float64 { return 3 })
	m.Delivery("pull_request", "queued", 2*time.Millisecond)
	m.Delivery("unverified", "bad_signature", time.Millisecond)
	m.Scan("failure", 1500*time.Millisecond)
	m.Finding("secrets", "high", true)
	m.APICall("POST", "/repos/{owner}/{repo}/check-runs", 201, 30*time.Millisecond)
	m.QueueWait(40 * time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`warden_webhook_deliveries_total{event="pull_request",outcome="queued"} 1`,
		`warden_webhook_deliveries_total{event="unverified",outcome="bad_signature"} 1`,
		`warden_queue_depth 3`,
		`warden_findings_total{category="secrets",new="true",severity="high"} 1`,
		`warden_github_api_calls_total{method="POST",route="/repos/{owner}/{repo}/check-runs",status="201"} 1`,
		`warden_scan_duration_seconds_count{conclusion="failure"} 1`,
		`warden_queue_wait_seconds_count 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
