package githubtest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // GitHub still sends the legacy X-Hub-Signature.
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Sign returns the X-Hub-Signature-256 value for body: "sha256=" and the hex
// HMAC-SHA256 of the raw bytes.
func Sign(secret string, body []byte) string { return "sha256=" + hmacHex(sha256.New, secret, body) }

func hmacHex(h func() hash.Hash, secret string, body []byte) string {
	mac := hmac.New(h, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// NewDeliveryID returns a fresh GUID like GitHub's X-GitHub-Delivery.
func NewDeliveryID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// DeliveryOption adjusts one delivery.
type DeliveryOption func(*delivery)

type delivery struct {
	id        string
	signature *string // nil: sign with the App's secret
	headers   map[string]string
}

// WithDeliveryID reuses a delivery id (a redelivery keeps the same id).
func WithDeliveryID(id string) DeliveryOption { return func(d *delivery) { d.id = id } }

// WithSignature sends this X-Hub-Signature-256 value instead of a valid one;
// "" omits the header.
func WithSignature(sig string) DeliveryOption { return func(d *delivery) { d.signature = &sig } }

// WithHeader adds or overrides a request header.
func WithHeader(k, v string) DeliveryOption { return func(d *delivery) { d.headers[k] = v } }

// DeliveryResult is the receiver's answer.
type DeliveryResult struct {
	ID       string
	Status   int
	Body     []byte
	Duration time.Duration
}

// Deliver POSTs a webhook to url the way GitHub does: the raw payload,
// X-Hub-Signature-256 (and legacy X-Hub-Signature), X-GitHub-Event,
// X-GitHub-Delivery, X-GitHub-Hook-ID and the installation target headers.
func (s *Server) Deliver(ctx context.Context, url, event string, payload []byte, opts ...DeliveryOption) (DeliveryResult, error) {
	d := &delivery{id: NewDeliveryID(), headers: map[string]string{}}
	for _, o := range opts {
		o(d)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return DeliveryResult{}, fmt.Errorf("githubtest: delivery request: %w", err)
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "GitHub-Hookshot/githubtest")
	h.Set("X-GitHub-Event", event)
	h.Set("X-GitHub-Delivery", d.id)
	h.Set("X-GitHub-Hook-ID", strconv.FormatInt(s.app.hookID, 10))
	h.Set("X-GitHub-Hook-Installation-Target-Type", "integration")
	h.Set("X-GitHub-Hook-Installation-Target-ID", strconv.FormatInt(s.app.id, 10))
	switch {
	case d.signature == nil:
		h.Set("X-Hub-Signature-256", Sign(s.app.webhookSecret, payload))
		h.Set("X-Hub-Signature", "sha1="+hmacHex(sha1.New, s.app.webhookSecret, payload))
	case *d.signature != "":
		h.Set("X-Hub-Signature-256", *d.signature)
	}
	for k, v := range d.headers {
		h.Set(k, v)
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return DeliveryResult{ID: d.id}, fmt.Errorf("githubtest: deliver %s %s: %w", event, d.id, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return DeliveryResult{ID: d.id, Status: resp.StatusCode}, fmt.Errorf("githubtest: read delivery answer: %w", err)
	}
	return DeliveryResult{ID: d.id, Status: resp.StatusCode, Body: body, Duration: time.Since(start)}, nil
}
