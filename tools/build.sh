#!/usr/bin/env bash
# npm run tools: build the real Pulumi CLI, the Node.js language host, the
# resource providers, etcd and kube-apiserver from Go modules into a cache
# outside the repository, reusing whatever is already built there.
#
#   bash tools/build.sh [PIECE...]     build all pieces, or only these
#   bash tools/build.sh --list         list the pieces and their status
#   bash tools/build.sh --print-bin    print the bin directory and exit
#
# Pieces: kube-apiserver pulumi tfbridged kubernetes etcd langhost kube-controller-manager pulumi-language-yaml
# (tfbridged = pulumi-resource-tls + pulumi-resource-random; langhost = the
# Node.js and the Python language hosts, see versions.env)
# Versions: tools/versions.env. Cache: ${SECURE_INGRESS_CACHE:-~/.cache/secure-ingress}/<key>/bin.
#
# Knobs: SI_TOOLS_JOBS (pieces built at once, default 2), SI_GO_P (go build -p,
# default 1), both niced: the machine has 2 cores and other people use it.
# Nothing built here is committed; the Go module and build caches are Go's own.
set -euo pipefail

# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
ALL_PIECES=(kube-apiserver pulumi tfbridged kubernetes etcd langhost kube-controller-manager pulumi-language-yaml)
JOBS="${SI_TOOLS_JOBS:-2}"
GO_P="${SI_GO_P:-1}"
SRC="$SI_TOOLS_DIR/src"
LOGS="$SI_TOOLS_DIR/logs"
STATE="$SI_TOOLS_DIR/state"

log() { printf '[tools %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }

binaries_of() {
  case "$1" in
    pulumi) echo pulumi ;;
    langhost) echo pulumi-language-nodejs pulumi-resource-pulumi-nodejs pulumi-language-python pulumi-language-python-exec ;;
    pulumi-language-yaml) echo pulumi-language-yaml ;;
    kubernetes) echo pulumi-resource-kubernetes ;;
    tfbridged) echo pulumi-resource-tls pulumi-resource-random ;;
    etcd) echo etcd ;;
    kube-apiserver) echo kube-apiserver ;;
    kube-controller-manager) echo kube-controller-manager ;;
    *) return 1 ;;
  esac
}

# Inputs of a piece besides versions.env (which is in the cache key already).
stamp_of() {
  case "$1" in
    langhost) cat "$SI_TOOLS_SRC"/langhost/*.go | sha256sum | cut -c1-16 ;;
    # Its version is not part of the cache key (env.sh): a change rebuilds only this piece.
    pulumi-language-yaml) echo "$SI_PULUMI_YAML_VERSION" ;;
    tfbridged) cat "$SI_TOOLS_SRC"/tfbridged/*.go "$SI_TOOLS_SRC"/tfbridged/*/*.go | sha256sum | cut -c1-16 ;;
    *) echo "$SI_TOOLS_KEY" ;;
  esac
}

is_built() {
  local piece=$1 b
  [[ -f "$STATE/$piece.ok" && "$(cat "$STATE/$piece.ok")" == "$(stamp_of "$piece")" ]] || return 1
  for b in $(binaries_of "$piece"); do [[ -x "$SI_BIN/$b" ]] || return 1; done
}

# ---------------------------------------------------------------- helpers
go_env() {
  export GOTOOLCHAIN=local GOFLAGS="-buildvcs=false -p=$GO_P" CGO_ENABLED=0
}

# go mod download -json MODULE@VERSION, print the module directory.
mod_dir() {
  local json dir
  json="$(go mod download -json "$1" 2>&1)" || true
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
  if [[ -z "$dir" || ! -d "$dir" ]]; then
    echo "go mod download $1 failed:" >&2
    grep -E '"Error"' <<<"$json" | sed 's/^[[:space:]]*//' >&2 || echo "$json" >&2
    return 1
  fi
  echo "$dir"
}

mod_file() {
  local json file
  json="$(go mod download -json "$1" 2>&1)" || true
  file="$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
  [[ -n "$file" && -f "$file" ]] || { echo "go mod download $1 failed: $json" >&2; return 1; }
  echo "$file"
}

install_bin() { # tmp-file name
  chmod 0755 "$1"
  mv -f "$1" "$SI_BIN/$2"
}

# ---------------------------------------------------------------- pieces
build_pulumi() {
  local w="$SRC/pulumi" r
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  cat >go.mod <<EOF
module secure-ingress/tools/pulumi

go 1.26

require (
	github.com/pulumi/pulumi/pkg/v3 $SI_PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 $SI_PULUMI_VERSION
)
EOF
  for r in $SI_PULUMI_REPLACES; do go mod edit -replace "$r"; done
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"\n' >tools.go
  go mod tidy
  go build -tags osusergo -trimpath -o "$w/pulumi.tmp" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$SI_PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  install_bin "$w/pulumi.tmp" pulumi
}

build_langhost() {
  local w="$SRC/langhost" sdk r s
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  cp "$SI_TOOLS_SRC"/langhost/*.go .
  # pkg/v3 for the SDK generators (gen-sdk), at the CLI's version so that the
  # CLI build's Go cache serves it; hence the CLI's replaces and build tags too.
  printf 'module secure-ingress/tools/langhost\n\ngo 1.26\n\nrequire (\n\tgithub.com/pulumi/pulumi/pkg/v3 %s\n\tgithub.com/pulumi/pulumi/sdk/v3 %s\n)\n' \
    "$SI_PULUMI_VERSION" "$SI_PULUMI_VERSION" >go.mod
  for r in $SI_PULUMI_REPLACES; do go mod edit -replace "$r"; done
  go mod tidy
  go build -tags osusergo -trimpath -o "$w/host.tmp" -ldflags "-s -w -X main.version=$SI_LANGHOST_VERSION" .
  # One binary, two hosts: it picks the language by the name it runs under.
  cp "$w/host.tmp" "$w/python.tmp"
  install_bin "$w/host.tmp" pulumi-language-nodejs
  install_bin "$w/python.tmp" pulumi-language-python
  # The dynamic-provider shim and the Python SDK's entry script ship in the sdk/v3 module zip.
  sdk="$(mod_dir "github.com/pulumi/pulumi/sdk/v3@$SI_PULUMI_VERSION")"
  cp "$sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$w/dyn.tmp"
  install_bin "$w/dyn.tmp" pulumi-resource-pulumi-nodejs
  cp "$sdk/python/cmd/pulumi-language-python-exec" "$w/pyexec.tmp"
  install_bin "$w/pyexec.tmp" pulumi-language-python-exec
  for s in pulumi-analyzer-policy pulumi-language-nodejs-exec; do
    if [[ -f "$sdk/nodejs/dist/$s" ]]; then
      cp "$sdk/nodejs/dist/$s" "$w/$s.tmp" && install_bin "$w/$s.tmp" "$s"
    else
      echo "note: $s is not in sdk/v3@$SI_PULUMI_VERSION nodejs/dist (it lives in the unserved host module); policy packs run through the host's RunPlugin instead"
    fi
  done
}

# Upstream's YAML language host. Its go.mod has no replace directives, so a
# wrapper that only requires it builds it with the Pulumi modules it was
# released with (see versions.env).
build_pulumi-language-yaml() {
  local w="$SRC/pulumi-language-yaml"
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  printf 'module secure-ingress/tools/pulumi-language-yaml\n\ngo 1.26\n\nrequire github.com/pulumi/pulumi-yaml %s\n' \
    "$SI_PULUMI_YAML_VERSION" >go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"\n' >tools.go
  go mod tidy
  go build -trimpath -o "$w/yaml.tmp" \
    -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=${SI_PULUMI_YAML_VERSION#v}" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml
  install_bin "$w/yaml.tmp" pulumi-language-yaml
}

build_kubernetes() {
  local w="$SRC/kubernetes" dir
  dir="$(mod_dir "$SI_KUBERNETES_PROVIDER_MODULE@$SI_KUBERNETES_PROVIDER_GOVERSION")"
  rm -rf "$w" && mkdir -p "$w"
  cp -r "$dir" "$w/provider" && chmod -R u+w "$w/provider"
  cd "$w/provider"
  # provider/go.mod points sdk/v4 at ../sdk (not in the zip): use a served release.
  go mod edit -replace "github.com/pulumi/pulumi-kubernetes/sdk/v4=github.com/pulumi/pulumi-kubernetes/sdk/v4@$SI_KUBERNETES_SDK_GOVERSION"
  go mod tidy
  # main.go embeds schema-embed.json and terraform-mapping-embed.json, which
  # upstream generates (and does not commit): run its generate.go.
  (cd cmd/pulumi-resource-kubernetes && VERSION="$SI_NPM_KUBERNETES_VERSION" go run generate.go)
  go build -trimpath -o "$w/provider.tmp" \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$SI_NPM_KUBERNETES_VERSION" \
    ./cmd/pulumi-resource-kubernetes
  install_bin "$w/provider.tmp" pulumi-resource-kubernetes
}

build_tfbridged() {
  local w="$SRC/tfbridged" n
  echo "pulumi-resource-tls / pulumi-resource-random: the real provider modules ($SI_TLS_PROVIDER_MODULE,"
  echo "$SI_RANDOM_PROVIDER_MODULE) are not served by the Go module proxy; building the stand-in"
  echo "tools/tfbridged (upstream Terraform providers + pulumi-terraform-bridge $SI_TFBRIDGE_VERSION)."
  rm -rf "$w" && mkdir -p "$w" && cp -r "$SI_TOOLS_SRC/tfbridged/." "$w/" && cd "$w"
  # The shims live under the upstream modules' paths so that they may import
  # their internal/provider packages.
  printf 'module github.com/hashicorp/terraform-provider-tls/shim\n\ngo 1.25\n\nrequire github.com/hashicorp/terraform-provider-tls %s\n' \
    "$SI_TF_TLS_GOVERSION" >shim-tls/go.mod
  printf 'module github.com/terraform-providers/terraform-provider-random/shim\n\ngo 1.25\n\nrequire github.com/terraform-providers/terraform-provider-random v0.0.0\n\nreplace github.com/terraform-providers/terraform-provider-random => github.com/hashicorp/terraform-provider-random %s\n' \
    "$SI_TF_RANDOM_GOVERSION" >shim-random/go.mod
  cat >go.mod <<EOF
module secure-ingress/tools/tfbridged

go 1.26

require (
	github.com/pulumi/pulumi-terraform-bridge/v3 $SI_TFBRIDGE_VERSION
	github.com/pulumi/pulumi/pkg/v3 $SI_TFBRIDGE_PULUMI_VERSION
	github.com/pulumi/pulumi/sdk/v3 $SI_TFBRIDGE_PULUMI_VERSION
	github.com/hashicorp/terraform-provider-tls/shim v0.0.0
	github.com/terraform-providers/terraform-provider-random/shim v0.0.0
)

replace (
	github.com/hashicorp/terraform-provider-tls/shim => ./shim-tls
	github.com/terraform-providers/terraform-provider-random/shim => ./shim-random
	github.com/terraform-providers/terraform-provider-random => github.com/hashicorp/terraform-provider-random $SI_TF_RANDOM_GOVERSION
	github.com/hashicorp/terraform-plugin-sdk/v2 => ${SI_TF_PLUGIN_SDK_FORK/@/ }
	github.com/hashicorp/terraform-plugin-go => github.com/hashicorp/terraform-plugin-go $SI_TF_PLUGIN_GO_VERSION
	github.com/hashicorp/terraform-plugin-framework => github.com/hashicorp/terraform-plugin-framework $SI_TF_FRAMEWORK_VERSION
	github.com/hashicorp/terraform-plugin-framework-validators => github.com/hashicorp/terraform-plugin-framework-validators $SI_TF_FRAMEWORK_VALIDATORS_VERSION
)
EOF
  (cd shim-tls && go mod tidy)
  (cd shim-random && go mod tidy)
  go mod tidy
  go build -trimpath -o "$w/tfbridged.tmp" \
    -ldflags "-s -w -X main.tlsVersion=$SI_NPM_TLS_VERSION -X main.randomVersion=$SI_NPM_RANDOM_VERSION" .
  for n in tls random; do
    echo "generating the $n schema"
    cp "$w/tfbridged.tmp" "$w/pulumi-resource-$n"
    "$w/pulumi-resource-$n" gen-schema "$w/$n.schema.json"
    mv -f "$w/$n.schema.json" "$SI_BIN/pulumi-resource-$n.schema.json"
    install_bin "$w/pulumi-resource-$n" "pulumi-resource-$n"
  done
}

build_etcd() {
  local w="$SRC/etcd"
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  printf 'module secure-ingress/tools/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$SI_ETCD_VERSION" >go.mod
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' >main.go
  go mod tidy
  go build -trimpath -o "$w/etcd.tmp" -ldflags "-s -w" .
  install_bin "$w/etcd.tmp" etcd
}

# k8s.io/kubernetes requires its staging repos at v0.0.0 and replaces them with
# ./staging/...: a wrapper module replaces each with the published v0.N.M.
k8s_wrapper() { # dir
  local w=$1 upstream m
  rm -rf "$w" && mkdir -p "$w" && cd "$w"
  upstream="$(mod_file "k8s.io/kubernetes@$SI_KUBERNETES_VERSION")"
  printf 'module secure-ingress/tools/kubernetes\n\ngo 1.24\n\nrequire k8s.io/kubernetes %s\n' "$SI_KUBERNETES_VERSION" >go.mod
  for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$upstream"); do
    go mod edit -replace "$m=$m@$SI_KUBERNETES_STAGING_VERSION"
  done
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n' >tools.go
  go mod tidy
}

k8s_build() { # dir cmd
  local w=$1 cmd=$2 minor
  minor="$(cut -d. -f2 <<<"$SI_KUBERNETES_VERSION")"
  go build -trimpath -o "$w/$cmd.tmp" -ldflags "-s -w \
    -X k8s.io/component-base/version.gitVersion=$SI_KUBERNETES_VERSION \
    -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor \
    -X k8s.io/component-base/version.gitTreeState=clean" \
    "k8s.io/kubernetes/cmd/$cmd"
  install_bin "$w/$cmd.tmp" "$cmd"
}

build_kube-apiserver() {
  k8s_wrapper "$SRC/kube-apiserver"
  k8s_build "$SRC/kube-apiserver" kube-apiserver
}

# Only its garbage collector and namespace controllers are run (cluster.sh):
# without them, foreground deletion (pulumi-kubernetes' default) never finishes.
build_kube-controller-manager() {
  k8s_wrapper "$SRC/kube-controller-manager"
  k8s_build "$SRC/kube-controller-manager" kube-controller-manager
}

# ---------------------------------------------------------------- driver
run_piece() { # runs in a background subshell; writes $STATE/$piece.result
  local piece=$1 start end rc=0
  start=$(date +%s)
  # Not `( ... ) || rc=$?`: inside a subshell whose status is tested, bash
  # ignores set -e, and a failed step would go unnoticed.
  set +e
  (
    set -Eeuo pipefail
    trap 'echo "[tools] $piece: FAILED at: $BASH_COMMAND (exit $?)"' ERR
    go_env
    "build_$piece"
  ) >"$LOGS/$piece.log" 2>&1
  rc=$?
  set -e
  end=$(date +%s)
  if ((rc == 0)); then
    stamp_of "$piece" >"$STATE/$piece.ok"
    echo "ok $((end - start))" >"$STATE/$piece.result"
  else
    echo "FAILED $((end - start))" >"$STATE/$piece.result"
  fi
}

fmt_secs() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

main() {
  local pieces=() p
  case "${1:-}" in
    --print-bin) echo "$SI_BIN"; exit 0 ;;
    --list)
      for p in "${ALL_PIECES[@]}"; do
        if is_built "$p"; then echo "$p: built ($(binaries_of "$p"))"; else echo "$p: not built"; fi
      done
      exit 0 ;;
    -h | --help) sed -n '2,17p' "$SELF"; exit 0 ;;
    --run-piece) run_piece "$2"; exit 0 ;;
  esac
  if (($#)); then
    for p in "$@"; do binaries_of "$p" >/dev/null || die "unknown piece '$p' (pieces: ${ALL_PIECES[*]})"; done
    pieces=("$@")
  else
    pieces=("${ALL_PIECES[@]}")
  fi

  command -v go >/dev/null || die "go is not on PATH: the tools are built from Go modules (Go >= 1.26 needed)"
  command -v node >/dev/null || die "node is not on PATH"
  mkdir -p "$SI_BIN" "$SRC" "$LOGS" "$STATE"
  exec 9>"$SI_TOOLS_DIR/.lock"
  flock -n 9 || { log "another build.sh is running on $SI_TOOLS_DIR; waiting for it"; flock 9; }

  log "cache: $SI_TOOLS_DIR (key from tools/versions.env)"
  log "go: $(go version | cut -d' ' -f3), $JOBS piece(s) at a time, go build -p=$GO_P, nice"
  local todo=() running=() started=() t0 now
  for p in "${pieces[@]}"; do
    if is_built "$p"; then log "$p: cached ($(binaries_of "$p"))"; else todo+=("$p"); rm -f "$STATE/$p.result"; fi
  done
  t0=$(date +%s)
  local last_beat=$t0 i
  while ((${#todo[@]} || ${#running[@]})); do
    # reap finished pieces
    local still=()
    for p in "${running[@]}"; do
      if [[ -f "$STATE/$p.result" ]]; then
        read -r status secs <"$STATE/$p.result"
        if [[ $status == ok ]]; then
          log "$p: built in $(fmt_secs "$secs") -> $SI_BIN/$(binaries_of "$p" | tr ' ' ',')"
        else
          log "$p: FAILED after $(fmt_secs "$secs"); last lines of $LOGS/$p.log:"
          tail -n 15 "$LOGS/$p.log" | sed 's/^/    /'
        fi
      else
        still+=("$p")
      fi
    done
    running=("${still[@]+"${still[@]}"}")
    # start new ones
    while ((${#todo[@]} && ${#running[@]} < JOBS)); do
      p=${todo[0]}; todo=("${todo[@]:1}")
      log "$p: building (log: $LOGS/$p.log)"
      nice -n 10 bash "$SELF" --run-piece "$p" &
      running+=("$p"); started+=("$p"); date +%s >"$STATE/$p.start"
    done
    ((${#running[@]})) || continue
    sleep 5
    now=$(date +%s)
    if ((now - last_beat >= 60)); then
      last_beat=$now
      for p in "${running[@]}"; do
        log "$p: still building ($(fmt_secs $((now - $(cat "$STATE/$p.start"))))): $(tail -n 1 "$LOGS/$p.log" 2>/dev/null | cut -c1-100)"
      done
    fi
  done
  wait

  local failed=()
  for p in "${pieces[@]}"; do is_built "$p" || failed+=("$p"); done
  log "bin: $SI_BIN"
  ls -l "$SI_BIN" | sed 1d | awk '{printf "    %-32s %s\n", $9, $5}'
  if ((${#failed[@]})); then
    log "NOT BUILT: ${failed[*]} (see the logs above and in $LOGS)"
    exit 1
  fi
  log "all requested pieces built ($(fmt_secs $(($(date +%s) - t0))) in this run)"
}

main "$@"; exit $?
