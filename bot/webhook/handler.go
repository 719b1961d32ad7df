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

// Deliveries remembers deliveries so a redelivered, duplicated or replayed
// webhook starts nothing new. A delivery is known by its X-GitHub-Delivery
// id and by the digest of its body: the signature covers no id and no
// timestamp, so a captured body replayed under a fresh id is the same
// delivery.
type Deliveries interface {
	// First records id and digest and reports whether neither was seen
	// before; of concurrent calls sharing either, exactly one gets true.
	First(ctx context.Context, id, digest string) (bool, error)
	// Forget undoes First for a delivery whose work could not be queued,
	// so its redelivery is processed.
	Forget(ctx context.Context, id, digest string) error
}

// Observer is told the outcome of every delivery (for metrics). event is
// always one of EventLabels.
type Observer func(event, outcome string, took time.Duration)

// Handler serves POST /webhook.
type Handler struct {
	secret     []byte
	sink       Sink
	deliveries Deliveries
	log        zerolog.Logger
	// refusals logs deliveries refused before their signature was
	// verified, sampled: anyone can send those, as fast as they like.
	refusals zerolog.Logger
	observe  Observer
	gate     *BodyGate
}

// NewHandler refuses an empty secret: go-github's ValidatePayload would
// then accept unsigned requests, and so would anything built on it. gate
// bounds the bodies read at once (nil: DefaultBodyBudget, DefaultBodyWait).
func NewHandler(secret string, sink Sink, deliveries Deliveries, log zerolog.Logger, observe Observer, gate *BodyGate) (*Handler, error) {
	if secret == "" {
		return nil, errors.New("a webhook secret is required (WARDEN_WEBHOOK_SECRET)")
	}
	if observe == nil {
		observe = func(string, string, time.Duration) {}
	}
	if gate == nil {
		gate = NewBodyGate(DefaultBodyBudget, DefaultBodyWait)
	}
	return &Handler{
		secret: []byte(secret), sink: sink, deliveries: deliveries, log: log, observe: observe, gate: gate,
		refusals: log.Sample(&zerolog.BurstSampler{Burst: 10, Period: time.Second}),
	}, nil
}

type reply struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	// Until the signature is verified nothing from the request names a
	// metric or a log field beyond a clipped delivery id and user agent.
	label := LabelUnverified
	log := h.refusals.With().Str("event", label).Str("delivery", forLog(r.Header.Get("X-GitHub-Delivery"), 100)).
		Str("user_agent", forLog(r.UserAgent(), 100)).Logger()
	respond := func(code int, outcome string, rep reply) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(rep)
		h.observe(label, outcome, time.Since(start))
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
	body, release, err := h.gate.read(r.Context(), http.MaxBytesReader(w, r.Body, MaxBody), MaxBody)
	defer release()
	if err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			respond(http.StatusRequestEntityTooLarge, "too_large", reply{Status: "error", Reason: "body over 25 MB"})
		case errors.Is(err, errBusy):
			w.Header().Set("Retry-After", "1")
			respond(http.StatusServiceUnavailable, "busy", reply{Status: "error", Reason: "too many deliveries at once, try again"})
		default:
			respond(http.StatusBadRequest, "bad_request", reply{Status: "error", Reason: "could not read body"})
		}
		return
	}
	if !h.validSignature(r.Header.Get("X-Hub-Signature-256"), body) {
		respond(http.StatusUnauthorized, "bad_signature", reply{Status: "error", Reason: "missing or invalid X-Hub-Signature-256"})
		return
	}
	event, delivery := r.Header.Get("X-GitHub-Event"), r.Header.Get("X-GitHub-Delivery")
	label = EventLabel(event, true)
	log = h.log.With().Str("event", label).Str("delivery", forLog(delivery, 100)).Logger()
	if event == "" || !deliveryID.MatchString(delivery) {
		respond(http.StatusBadRequest, "bad_request", reply{Status: "error", Reason: "X-GitHub-Event and X-GitHub-Delivery (a delivery id) are required"})
		return
	}
	ctx := r.Context()
	work, err := Route(event, body)
	if err != nil {
		respond(http.StatusBadRequest, "bad_payload", reply{Status: "error", Reason: "malformed payload: " + clip(err.Error(), 200)})
		return
	}
	work.DeliveryID, work.Event = delivery, event
	log = log.With().Str("action", forLog(work.Action, 60)).Int64("installation", work.InstallationID).
		Str("repo", work.Owner+"/"+work.Repo).Int("pr", work.PR).Str("sha", work.HeadSHA).Logger()
	if work.Kind == Ignore {
		respond(http.StatusOK, "ignored", reply{Status: "ignored", Reason: work.Reason})
		return
	}
	digest := bodyDigest(body)
	first, err := h.deliveries.First(ctx, delivery, digest)
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
		if ferr := h.deliveries.Forget(context.WithoutCancel(ctx), delivery, digest); ferr != nil {
			log.Error().Err(ferr).Msg("could not forget the delivery; a redelivery would be dropped")
		}
		respond(http.StatusServiceUnavailable, "unavailable", reply{Status: "error", Reason: "could not queue, try again"})
		return
	}
	respond(http.StatusAccepted, "queued", reply{Status: "queued"})
}

// bodyDigest identifies a delivery's content: GitHub never sends one body
// twice except as a redelivery, so a repeat is a replay.
func bodyDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
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
