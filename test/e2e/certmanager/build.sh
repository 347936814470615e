#!/usr/bin/env bash
# bash test/e2e/certmanager/build.sh          builds the cert-manager launcher
# bash test/e2e/certmanager/build.sh --print  prints the binary's path
#
# $SI_BIN/cert-manager/controller: launcher/ (our own main) linked against the
# github.com/cert-manager/cert-manager root module at the version launcher/go.mod
# pins, whose pkg/controller/... carries the real certificates and issuers
# controllers. Rebuilt when launcher/ changes. Niced, GOFLAGS=-p=1, CGO off.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../tools/env.sh
source "$HERE/../../../tools/env.sh"

OUT="$SI_BIN/cert-manager"
BIN="$OUT/controller"
if [[ "${1:-}" == "--print" ]]; then
  echo "$BIN"
  exit 0
fi
KEY="$(cat "$HERE"/launcher/go.mod "$HERE"/launcher/go.sum "$HERE"/launcher/*.go | sha256sum | cut -c1-12)"
mkdir -p "$OUT"
if [[ -x "$BIN" && -f "$OUT/.controller.ok" && "$(cat "$OUT/.controller.ok")" == "$KEY" ]]; then
  echo "[cert-manager-build] up to date: $BIN"
  exit 0
fi
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -p=${SI_GO_P:-1}"
t0=$SECONDS
echo "[cert-manager-build] building $BIN (log $OUT/build.log)"
(cd "$HERE/launcher" && nice -n 15 go build -mod=mod -trimpath -ldflags "-s -w" -o "$BIN.tmp" .) >"$OUT/build.log" 2>&1 ||
  { tail -n 30 "$OUT/build.log" >&2; echo "[cert-manager-build] ERROR: build failed" >&2; exit 1; }
mv "$BIN.tmp" "$BIN"
echo "$KEY" >"$OUT/.controller.ok"
echo "[cert-manager-build] built in $((SECONDS - t0)) s"
