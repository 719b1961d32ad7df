#!/bin/sh
# Benchmarks warden's dependency check (5,000-package package-lock.json and a
# 2,000-line requirements.txt; every 20th package has a synthetic advisory)
# against a loopback OSV fake with a cold and a warm cache, and against a
# local OSV export; then, if osv-scanner is on PATH (or $OSV_SCANNER), runs it
# offline on the same project and the same export.
#   go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0
set -eu
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."

go test ./checks/deps/ -run '^$' -bench 'Scan' -benchtime "${BENCHTIME:-5x}" -benchmem

OSV_SCANNER=${OSV_SCANNER:-$(command -v osv-scanner || true)}
[ -n "$OSV_SCANNER" ] || { echo "osv-scanner not found; skipping the comparison"; exit 0; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
WARDEN_BENCH_OUT="$work" go test ./checks/deps/ -run '^TestWriteBenchFixture$' -count=1 >/dev/null

# osv-scanner reads <dir>/osv-scanner/<ecosystem>/all.zip in offline mode.
echo "osv-scanner $("$OSV_SCANNER" --version 2>/dev/null | head -1)"
start=$(date +%s.%N)
OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY="$work/db" "$OSV_SCANNER" scan source --offline-vulnerabilities \
  --format json --output "$work/osv-scanner.json" -r "$work/project" >/dev/null 2>"$work/osv-scanner.err" || true
end=$(date +%s.%N)
echo "osv-scanner offline: $(echo "$end - $start" | bc) s, $(grep -o '"id": *"BENCH-[A-Z]*-[0-9]*"' "$work/osv-scanner.json" | sort -u | wc -l) advisories found"
