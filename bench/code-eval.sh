#!/usr/bin/env bash
# Runs warden's code-check evaluation over public annotated suites (see
# checks/code/testdata/EVAL.md). Nothing fetched here is committed.
#   bench/code-eval.sh [WORKDIR]
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"

# gosec's sample programs with expected issue counts (Apache-2.0).
gosec_dir="$(go mod download -json github.com/securego/gosec/v2@v2.30.0 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
rm -rf "$work/gosec" && cp -r "$gosec_dir/testutils" "$work/gosec" && chmod -R u+w "$work/gosec"

# semgrep-rules' ruleid:/ok: annotated tests (LGPL-2.1 with the Commons
# Clause), at the commit the published table was measured on.
if [ ! -d "$work/semgrep-rules/.git" ]; then
  git clone --quiet --filter=blob:none https://github.com/semgrep/semgrep-rules "$work/semgrep-rules"
fi
git -C "$work/semgrep-rules" checkout --quiet 157ae4706d7f54aa33647332f234dd68f30da195

WARDEN_EVAL_CODE="$work" go test ./checks/code -count=1 -run '^TestEval' -v | grep -v '^=== \|^--- \|^PASS\|^ok'
