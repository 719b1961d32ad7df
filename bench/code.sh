#!/usr/bin/env bash
# Times warden's code check against gosec on the same Go sources, and lists
# the gosec issues of the rules they share that warden does not report.
#   bench/code.sh [DIR]     DIR defaults to go-git v5.19.3 from the module cache
#   bench/code.sh --mixed   the generated ~200k-line Go/Python/JS/TS tree of
#                           BenchmarkCodeCheck: gosec on its Go part, warden
#                           on its Go part and on the whole tree
# Warden runs through `go test` (TestScanDirForBench times the check itself,
# not the test build). Both tools' wall and CPU times are printed: on a
# shared machine CPU time is the fair measure. gosec type-checks with the go
# command, so it runs offline (GOPROXY=off) on a module whose dependencies
# are already in the cache.
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ "${1:-}" = "--mixed" ]; then
  WARDEN_BENCH_WRITE="$work/src" go test ./checks/code -count=1 -run '^TestWriteBenchTree$' -v | grep '^wrote'
  ( cd "$work/src" && find . -name '*.go' -o -name go.mod ) | while read -r f; do
    mkdir -p "$work/go/$(dirname "$f")" && cp "$work/src/$f" "$work/go/$f"
  done
  target="$work/src"
else
  target="${1:-$(go env GOMODCACHE)/github.com/go-git/go-git/v5@v5.19.3}"
  cp -r "$target" "$work/go"
  chmod -R u+w "$work/go"
fi

if ! command -v gosec >/dev/null 2>&1; then
  PATH="$(go env GOPATH)/bin:$PATH"
  command -v gosec >/dev/null 2>&1 || go install github.com/securego/gosec/v2/cmd/gosec@v2.30.0
fi

echo "== gosec v2.30.0 on the Go sources"
( cd "$work/go" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 \
    /usr/bin/time -f "gosec: %e s wall, %U+%S s CPU, %M KB max RSS" \
    gosec -quiet -fmt json -out "$work/gosec.json" ./... ) || true
echo "gosec issues: $(grep -c '"rule_id"' "$work/gosec.json" || true)"

echo "== warden code check on the Go sources"
WARDEN_BENCH_DIR="$work/go" WARDEN_BENCH_GOSEC="$work/gosec.json" \
  go test ./checks/code -count=1 -run "^TestScanDirForBench$" -v 2>/dev/null | grep -v "^=== \|^--- \|^PASS\|^ok" || true

if [ "${1:-}" = "--mixed" ]; then
  echo "== warden code check on the whole mixed tree"
  WARDEN_BENCH_DIR="$work/src" go test ./checks/code -count=1 -run "^TestScanDirForBench$" -v 2>/dev/null |
    grep -v "^=== \|^--- \|^PASS\|^ok" || true
fi
