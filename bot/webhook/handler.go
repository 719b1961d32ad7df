// Package webhook is warden's intake: it verifies a delivery's signature over
// the raw bytes before parsing anything, routes it, and answers only after
// the work is durably queued.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"
)

// MaxBody is GitHub's payload cap: larger events are never delivered, so a
// larger body is not from GitHub.
const MaxBody = 25 << 20

// Sink receives routed work. Accept must return only once the work is
// durably stored; an error makes the delivery fail with 503 so GitHub (or a
// redelivery) can try again.
type Sink interface {
	Accept(ctx context.Context, w Work) error
}

// Deliveries remembers delivery ids so a redelivered or duplicated webhook
// starts nothing new.
type Deliveries interface {
	// First records id and reports whether this is its first arrival;
	// of concurrent calls with one id exactly one gets true.
	First(ctx context.Context, id string) (bool, error)
	// Forget undoes First for a delivery whose work could not be queued,
	// so its redelivery is processed.
	Forget(ctx context.Context, id string) error
}

// Observer is told the outcome of every delivery (for metrics).
type Observer func(event, outcome string, took time.Duration)

// Handler serves POST /webhook.
type Handler struct {
	secret     []byte
	sink       Sink
	deliveries Deliveries
	log        zerolog.Logger
	observe    Observer
}

// NewHandler refuses an empty secret: go-github's ValidatePayload would
// then accept unsigned requests, and so would anything built on it.
func NewHandler(secret string, sink Sink, deliveries Deliveries, log zerolog.Logger, observe Observer) (*Handler, error) {
	if secret == "" {
		return nil, errors.New("a webhook secret is required (WARDEN_WEBHOOK_SECRET)")
	}
	if observe == nil {
		observe = func(string, string, time.Duration) {}
	}
	return &Handler{secret: []byte(secret), sink: sink, deliveries: deliveries, log: log, observe: observe}, nil
}

type reply struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	event := r.Header.Get("X-GitHub-Event")
	delivery := r.Header.Get("X-GitHub-Delivery")
	log := h.log.With().Str("delivery", delivery).Str("event", event).Logger()
	respond := func(code int, outcome string, rep reply) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(rep)
		h.observe(event, outcome, time.Since(start))
		ev := log.Info()
		if code >= 400 {
			ev = log.Warn()
		}
		ev.Int("status", code).Str("outcome", outcome).Str("reason", rep.Reason).Dur("took", time.Since(start)).Msg("webhook")
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		respond(http.StatusMethodNotAllowed, "bad_request", reply{Status: "error", Reason: "POST only"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			respond(http.StatusRequestEntityTooLarge, "too_large", reply{Status: "error", Reason: "body over 25 MB"})
			return
		}
		respond(http.StatusBadRequest, "bad_request", reply{Status: "error", Reason: "could not read body"})
		return
	}
	if !h.validSignature(r.Header.Get("X-Hub-Signature-256"), body) {
		respond(http.StatusUnauthorized, "bad_signature", reply{Status: "error", Reason: "missing or invalid X-Hub-Signature-256"})
		return
	}
	if event == "" || delivery == "" {
		respond(http.StatusBadRequest, "bad_request", reply{Status: "error", Reason: "X-GitHub-Event and X-GitHub-Delivery are required"})
		return
	}
	ctx := r.Context()
	work, err := Route(event, body)
	if err != nil {
		respond(http.StatusBadRequest, "bad_payload", reply{Status: "error", Reason: "malformed payload: " + clip(err.Error(), 200)})
		return
	}
	work.DeliveryID, work.Event = delivery, event
	log = log.With().Str("action", work.Action).Int64("installation", work.InstallationID).
		Str("repo", work.Owner+"/"+work.Repo).Int("pr", work.PR).Str("sha", work.HeadSHA).Logger()
	if work.Kind == Ignore {
		respond(http.StatusOK, "ignored", reply{Status: "ignored", Reason: work.Reason})
		return
	}
	first, err := h.deliveries.First(ctx, delivery)
	if err != nil {
		log.Error().Err(err).Msg("delivery store unavailable")
		respond(http.StatusServiceUnavailable, "unavailable", reply{Status: "error", Reason: "storage unavailable, try again"})
		return
	}
	if !first {
		respond(http.StatusOK, "duplicate", reply{Status: "duplicate"})
		return
	}
	if err := h.sink.Accept(ctx, work); err != nil {
		log.Error().Err(err).Msg("could not queue delivery")
		if ferr := h.deliveries.Forget(context.WithoutCancel(ctx), delivery); ferr != nil {
			log.Error().Err(ferr).Msg("could not forget the delivery id; a redelivery would be dropped")
		}
		respond(http.StatusServiceUnavailable, "unavailable", reply{Status: "error", Reason: "could not queue, try again"})
		return
	}
	respond(http.StatusAccepted, "queued", reply{Status: "queued"})
}

// validSignature checks X-Hub-Signature-256 over the raw body in constant
// time. Only sha256 is accepted: no SHA-1 fallback, no sha512.
func (h *Handler) validSignature(header string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, h.secret)
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
