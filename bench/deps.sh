#!/usr/bin/env bash
# Benchmarks warden's dependency check on a 5,000-package package-lock.json
# and a 2,000-line requirements.txt (every 20th package has a synthetic
# advisory):
#   1. go benchmarks: a loopback OSV fake with a cold and a warm cache, and a
#      local OSV export (BENCH=0 skips them);
#   2. whole process, offline, side by side with osv-scanner (on PATH or
#      $OSV_SCANNER) on the same project and the same local export:
#        warden scan --offline --osv-db DB PROJECT
#        osv-scanner scan source --offline --local-db-path DB -r PROJECT
#      Each runs RUNS times (default 3); the best time counts. Then the
#      vulnerable packages and advisory ids both found are compared.
#   go install github.com/google/osv-scanner/v2/cmd/osv-scanner@v2.5.0
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."
runs="${RUNS:-3}"

if [ "${BENCH:-1}" != 0 ]; then
  go test ./checks/deps/ -run '^$' -bench 'Scan' -benchtime "${BENCHTIME:-5x}" -benchmem
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -o "$work/warden" ./cmd/warden
WARDEN_BENCH_OUT="$work" go test ./checks/deps/ -run '^TestWriteBenchFixture$' -count=1 >/dev/null
# Only the dependency check runs, so the comparison is like for like.
cat > "$work/warden.yml" <<'YAML'
checks:
  secrets: {enabled: false}
  dependencies: {enabled: true}
  code: {enabled: false}
  iac: {enabled: false}
  workflows: {enabled: false}
  compliance: {enabled: false}
YAML

# best OUT CMD…: the best wall time of RUNS runs of CMD, its output in OUT;
# exit 1 (findings) is not a failure.
best() {
  local out=$1 b="" start end rc t
  shift
  for _ in $(seq "$runs"); do
    rc=0
    start=$(date +%s.%N)
    "$@" >"$out" 2>"$work/stderr" || rc=$?
    end=$(date +%s.%N)
    if [ "$rc" -gt 1 ]; then echo "command failed ($rc): $*" >&2; cat "$work/stderr" >&2; exit 1; fi
    t=$(echo "$end - $start" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ]; then b=$t; fi
  done
  echo "$b"
}

w=$(best "$work/warden.json" "$work/warden" scan --offline --config "$work/warden.yml" --osv-db "$work/db" --format json "$work/project")
printf 'warden      offline  %6.2f s (best of %s)\n' "$w" "$runs"

OSV_SCANNER=${OSV_SCANNER:-$(command -v osv-scanner || true)}
[ -n "$OSV_SCANNER" ] || { echo "osv-scanner not found; skipping the comparison"; exit 0; }
echo "$("$OSV_SCANNER" --version 2>/dev/null | head -1)"
# osv-scanner v2.5 reads <local-db-path>/osv-scalibr/<ecosystem>/all.zip
# (its docs still say osv-scanner/); warden's loader skips the symlink.
# Without --offline, --offline-vulnerabilities alone reported nothing here.
ln -s osv-scanner "$work/db/osv-scalibr"
o=$(best "$work/osv-scanner.json" "$OSV_SCANNER" scan source --offline --local-db-path "$work/db" --format json -r "$work/project")
printf 'osv-scanner offline  %6.2f s (best of %s)\n' "$o" "$runs"
printf 'osv-scanner / warden: %.1fx\n' "$(echo "$o / $w" | bc -l)"

# "name@version advisory-id", one a line, from each tool (warden's JSON names
# the package in the message and each advisory group in its references).
jq -r '.findings[] | select(.rule_id == "dependencies/osv") | (.message | split(" ") | "\(.[0])@\(.[1])") as $k | .references[] | select(startswith("https://osv.dev/vulnerability/")) | "\($k) \(ltrimstr("https://osv.dev/vulnerability/"))"' "$work/warden.json" | sort -u > "$work/warden.txt"
jq -r '.results[]?.packages[] | .package as $p | .vulnerabilities[]? | "\($p.name)@\($p.version) \(.id)"' "$work/osv-scanner.json" | sort -u > "$work/osv-scanner.txt"
echo "vulnerable package/advisory pairs: warden $(wc -l < "$work/warden.txt"), osv-scanner $(wc -l < "$work/osv-scanner.txt"), both $(comm -12 "$work/warden.txt" "$work/osv-scanner.txt" | wc -l)"
if ! cmp -s "$work/warden.txt" "$work/osv-scanner.txt"; then
  echo "only warden:";      comm -23 "$work/warden.txt" "$work/osv-scanner.txt" | head -20
  echo "only osv-scanner:"; comm -13 "$work/warden.txt" "$work/osv-scanner.txt" | head -20
fi
