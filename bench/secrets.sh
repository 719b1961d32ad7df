#!/usr/bin/env bash
# Compares warden's secrets check with gitleaks on a generated corpus:
#   1. full tree: `warden scan --format json DIR` vs `gitleaks dir DIR`
#   2. a PR: `warden scan --base main --head pr REPO` (20 changed files in a
#      repository of ~5,000) vs a full `gitleaks dir REPO`.
# The corpus (~50 MB of Go, TS, Python, YAML, JSON and lockfiles with some
# planted secrets) is deterministic. Usage: bench/secrets.sh [SIZE_MB]
# (SKIP_FULL=1 runs only the PR case.)
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."
size_mb="${1:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! command -v gitleaks >/dev/null 2>&1; then
  go install github.com/zricethezav/gitleaks/v8@v8.30.1
  PATH="$(go env GOPATH)/bin:$PATH"
fi
go build -o "$work/warden" ./cmd/warden
# Only the secrets check runs, so the comparison is like for like.
cat > "$work/warden.yml" <<'YAML'
checks:
  secrets: {enabled: true}
  dependencies: {enabled: false}
  code: {enabled: false}
  iac: {enabled: false}
  workflows: {enabled: false}
  compliance: {enabled: false}
YAML

echo "generating ${size_mb} MB corpus…"
WARDEN_SECRETS_CORPUS="$work/tree" WARDEN_SECRETS_CORPUS_MB="$size_mb" \
  go test ./checks/secrets -run '^TestWriteBenchCorpus$' -count=1 >/dev/null
bytes=$(du -sb "$work/tree" | cut -f1)
files=$(find "$work/tree" -type f | wc -l)
echo "corpus: $files files, $bytes bytes"

# seconds CMD…: wall time of CMD; exit 1 (findings) is not a failure.
seconds() {
  local start end rc=0
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || rc=$?
  end=$(date +%s.%N)
  if [ "$rc" -gt 1 ] || { [ "$rc" -eq 1 ] && [ "$(basename "$1")" != warden ]; }; then echo "command failed ($rc): $*" >&2; exit 1; fi
  echo "$end - $start" | bc -l
}
mbps() { echo "scale=2; $bytes / 1000000 / $1" | bc -l; }
ratio() { echo "scale=1; $1 / $2" | bc -l; }

if [ -z "${SKIP_FULL:-}" ]; then
w=$(seconds "$work/warden" scan --offline --config "$work/warden.yml" --format json "$work/tree")
g=$(seconds gitleaks dir --no-banner --exit-code 0 --report-format json --report-path "$work/gitleaks-tree.json" "$work/tree")
printf 'full tree  warden   %6.2f s  %6s MB/s\n' "$w" "$(mbps "$w")"
printf 'full tree  gitleaks %6.2f s  %6s MB/s\n' "$g" "$(mbps "$g")"
printf 'full tree  speed-up %sx\n' "$(ratio "$g" "$w")"
fi

# A repository with a `pr` branch changing 20 files (one planted secret).
repo="$work/repo"
cp -r "$work/tree" "$repo"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=bench -c user.email=bench@example.com add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qm base
git -C "$repo" checkout -qb pr
i=0
for f in $(git -C "$repo" ls-files | awk 'NR % 250 == 1' | head -20); do
  i=$((i + 1))
  printf '\n// change %d\nvar limit%d = %d\n' "$i" "$i" "$i" >> "$repo/$f"
done
key="AKIA""ZQ7R""3MXW""2K5T""PL4V" # assembled so this file holds no key
printf '\nvar awsKey = "%s"\n' "$key" >> "$repo/$(git -C "$repo" ls-files '*.go' | head -1)"
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -qam "pr change"

wd=$(seconds "$work/warden" scan --offline --config "$work/warden.yml" --base main --head pr "$repo")
gd=$(seconds gitleaks dir --no-banner --exit-code 0 --report-format json --report-path "$work/gitleaks-repo.json" "$repo")
printf 'PR (20 files of %s)  warden diff   %6.2f s\n' "$files" "$wd"
printf 'PR (20 files of %s)  gitleaks dir  %6.2f s\n' "$files" "$gd"
printf 'PR speed-up %sx\n' "$(ratio "$gd" "$wd")"
