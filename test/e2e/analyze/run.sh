#!/usr/bin/env bash
# bash test/e2e/analyze/run.sh [WORK_DIR]     (a step of `npm run e2e`)
#
# Istio's own analyzers as the oracle, offline (`istioctl analyze --use-kube=false`, the istioctl built from the
# same istio.io/istio module as istiod by `bash test/e2e/gateway/build.sh istioctl`):
#   - the rendered objects of every shipped stack but bad-example: no IST message of level Error or Warning;
#   - the policy pack's failing fixture of each rule derived from an analyzer: istioctl reports the IST code the
#     pack claims for it.
# Output: one PASS/FAIL line per check, and "N passed, N failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=../../../tools/env.sh
source "$ROOT/tools/env.sh"
ISTIOCTL="$SI_BIN/istio/istioctl"
[[ -x "$ISTIOCTL" ]] || { echo "istioctl is not built ($ISTIOCTL): run \`bash test/e2e/gateway/build.sh istioctl\`" >&2; exit 1; }
W="${1:-$(mktemp -d)}"
mkdir -p "$W"
render() { (cd "$ROOT" && npx ts-node --transpile-only test/e2e/analyze/render.ts "$W" "$@"); }
for s in $(render --list); do [[ "$s" == bad-example ]] || render "$s"; done
render --fixtures

passed=0 failed=0 skipped=0
ISTIO_DIR="$(go mod download -json "istio.io/istio@$(sed -n 's/^SI_GW_ISTIO_GOVERSION=//p' "$ROOT/test/e2e/gateway/versions.env")" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
# Istio's own analyzer test inputs, to tell a silent oracle from a wrong fixture.
declare -A controls=([IST0145]=pkg/config/analysis/analyzers/testdata/conflicting-gateways.yaml)
check() { if [[ $1 == ok ]]; then passed=$((passed + 1)); echo "PASS  $2"; else failed=$((failed + 1)); echo "FAIL  $2"; fi; }
# Error and Warning lines of istioctl analyze (Info lines, e.g. a Deployment it has no pods for, are not findings).
analyze() { "$ISTIOCTL" analyze --use-kube=false --all-namespaces --failure-threshold Error "$@" 2>&1 || true; }

for f in "$W"/stacks/*.yaml; do
  s="$(basename "$f" .yaml)"
  out="$(analyze "$f")"
  echo "---- istioctl analyze --use-kube=false stacks/$s.yaml"
  sed 's/^/     /' <<<"$out"
  if grep -qE '^(Error|Warning) \[IST[0-9]+\]' <<<"$out" || grep -qiE 'error: |failed to' <<<"$out"; then
    check fail "$s: istioctl analyze reports findings"
  else
    check ok "$s: istioctl analyze finds nothing ($(grep -c '^Info' <<<"$out" || true) info line(s))"
  fi
done

for f in "$W"/fixtures/*.yaml; do
  name="$(basename "$f" .yaml)"
  code="${name%%-*}"
  out="$(analyze "$f")"
  echo "---- istioctl analyze --use-kube=false fixtures/$name.yaml"
  sed 's/^/     /' <<<"$out"
  if grep -qE "\[$code\]" <<<"$out"; then
    check ok "$name: istioctl reports $code as the pack does"
  elif control="${controls[$code]:-}" && [[ -n "$control" ]] && ! analyze "$ISTIO_DIR/$control" | grep -qE "\[$code\]"; then
    # The oracle itself is silent: not even Istio's own test input for the code gets it offline.
    skipped=$((skipped + 1))
    echo "SKIP  $name: this istioctl reports no $code offline, not even for Istio's own $control"
  else
    check fail "$name: istioctl does not report $code"
  fi
done

echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
