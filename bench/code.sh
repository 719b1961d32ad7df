#!/usr/bin/env bash
# Times warden's code check against gosec on the same Go sources, and lists
# the gosec issues of the rules they share that warden does not report.
#   bench/code.sh [DIR]     DIR defaults to go-git v5.19.3 from the module cache
# Warden runs through `go test` (TestScanDirForBench times the check itself,
# not the test build) until `warden scan` wires in the code check. Both
# tools' wall and CPU times are printed: on a shared machine CPU time is the
# fair measure. gosec type-checks with the go command, so it runs offline
# (GOPROXY=off) on a module whose dependencies are already in the cache.
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."
target="${1:-$(go env GOMODCACHE)/github.com/go-git/go-git/v5@v5.19.3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$target" "$work/src"
chmod -R u+w "$work/src"

if ! command -v gosec >/dev/null 2>&1; then
  PATH="$(go env GOPATH)/bin:$PATH"
  command -v gosec >/dev/null 2>&1 || go install github.com/securego/gosec/v2/cmd/gosec@v2.30.0
fi

echo "== gosec v2.30.0 on $(basename "$target")"
( cd "$work/src" && GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 \
    /usr/bin/time -f "gosec: %e s wall, %U+%S s CPU, %M KB max RSS" \
    gosec -quiet -fmt json -out "$work/gosec.json" ./... ) || true
echo "gosec issues: $(grep -c '"rule_id"' "$work/gosec.json" || true)"

echo "== warden code check"
WARDEN_BENCH_DIR="$work/src" WARDEN_BENCH_GOSEC="$work/gosec.json" \
  go test ./checks/code -count=1 -run "^TestScanDirForBench$" -v 2>/dev/null | grep -v "^=== \|^--- \|^PASS\|^ok" || true
