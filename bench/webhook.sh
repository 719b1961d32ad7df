#!/usr/bin/env bash
# Acknowledgement latency of warden's webhook under a steady loopback load:
# RATE signed pull_request deliveries per second for DURATION, each for a
# new head (so each is deduplicated, routed and durably queued).
#   bench/webhook.sh                     # 200/s for 30 s on SQLite
#   RATE=200 DURATION=30s DATABASE_URL=postgres://… bench/webhook.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
rate=${RATE:-200}
duration=${DURATION:-30s}
port=${PORT:-18080}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/warden" ./cmd/warden
go build -o "$work/load" ./bench/webhookload
openssl genrsa -out "$work/app.pem" 2048 2>/dev/null

# GitHub is a closed loopback port: scans fail and back off, which is fine —
# this measures intake, not reviews. One worker keeps them from crowding it.
WARDEN_APP_ID=1 WARDEN_PRIVATE_KEY_FILE="$work/app.pem" WARDEN_WEBHOOK_SECRET=bench-secret \
WARDEN_LISTEN="127.0.0.1:$port" WARDEN_GITHUB_API_URL=http://127.0.0.1:9/ \
WARDEN_DATABASE_URL="${DATABASE_URL:-sqlite://$work/warden.db}" WARDEN_WORKERS=1 WARDEN_LOG_LEVEL=error \
WARDEN_WORKDIR="$work/repos" "$work/warden" serve 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "warden $("$work/warden" version | cut -d' ' -f2) · ${rate}/s for ${duration} · ${DATABASE_URL:-sqlite}"
"$work/load" -url "http://127.0.0.1:$port/webhook" -secret bench-secret -rate "$rate" -duration "$duration"
