#!/usr/bin/env bash
# npm run bench:engine     (NOT part of npm test; needs `npm run tools`, minutes)
#
# The real engine against a local control plane of its own (etcd + kube-apiserver + GC, default ports 18543/25990,
# state in <cache>/cluster-bench, so it clashes with neither `npm run e2e` nor e2e:gateway nor e2e:fleet; set
# SI_CLUSTER_DIR, SI_APISERVER_PORT and SI_ETCD_PORT to put it elsewhere), for stacks generated from the dev
# stack's shape (test/bench/engine/stack.ts). For each size: pulumi preview, up from empty, a no-op up, an up
# adding one host, destroy; then the floor of the same run: the identical objects (the stack's registered
# inputs, test/bench/engine/manifests.ts) with kubectl diff --server-side (against nothing, then after the
# apply), kubectl apply --server-side (N, then N+1 hosts), kubectl delete --cascade=foreground --wait.
# Every step: wall time, peak RSS of its whole process tree and CPU seconds per program
# (test/bench/engine/measure.ts). The table and the ratios to the floor: test/bench/engine/report.ts.
#
# Environment:
#   SI_BENCH_SIZES      shared-CA sizes (default 1,10,50,200)
#   SI_BENCH_PERHOST    per-host-CA sizes (default 50)
#   SI_BENCH_UP_FLAGS   extra flags for every pulumi up/preview/destroy (default: --parallel 64)
#   SI_BENCH_VARIANTS   variants measured at SI_BENCH_VARIANT_HOSTS (default 50) shared-CA hosts with up, no-op
#                       up and destroy: any of default,parallel-8,skip-preview,skip-checkpoints,compiled,gogc-400
#                       (default: all of them), each optionally at its own size as name@hosts
#                       (skip-checkpoints@200); empty string: none
#   SI_BENCH_VARIANT_STEPS  the steps of each variant, in order, from a new stack (default preview,up,noop,destroy;
#                       preview alone measures a preview of the empty stack)
#   SI_BENCH_SPLIT      N:K,... (default: none): N shared-CA hosts as one stack, then as K stacks of N/K hosts, one
#                       after the other, each up from empty rendered to files (no cluster objects, so shards need no
#                       names of their own): what splitting a stack buys against the checkpoints' growth
#   SI_BENCH_PROFILE    shared-CA sizes to profile, comma-separated, each hosts[:up|:preview] (default: none): one
#                       more up (or preview) from empty with the engine's --tracing file (spans by name: pulumi
#                       convert-trace + pprof) and --profiling (Go CPU profile, `go tool pprof -top`), and the
#                       program under node --cpu-prof (test/bench/engine/profile.ts); summaries in
#                       <work>/profile-<hosts>-<step>/
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
export SI_CLUSTER_DIR="${SI_CLUSTER_DIR:-${SECURE_INGRESS_CACHE:-$HOME/.cache/secure-ingress}/cluster-bench}"
export SI_APISERVER_PORT="${SI_APISERVER_PORT:-18543}" SI_ETCD_PORT="${SI_ETCD_PORT:-25990}"
# shellcheck source=../../../tools/env.sh
source "$ROOT/tools/env.sh"

IFS=, read -r -a SIZES <<<"${SI_BENCH_SIZES-1,10,50,200}"
IFS=, read -r -a PERHOST <<<"${SI_BENCH_PERHOST-50}"
IFS=, read -r -a VARIANTS <<<"${SI_BENCH_VARIANTS-default,parallel-8,skip-preview,skip-checkpoints,compiled,gogc-400}"
VARIANT_HOSTS="${SI_BENCH_VARIANT_HOSTS:-50}"
IFS=, read -r -a VARIANT_STEPS <<<"${SI_BENCH_VARIANT_STEPS:-preview,up,noop,destroy}"
read -r -a UP_FLAGS <<<"${SI_BENCH_UP_FLAGS---parallel 64}"

log() { printf '[bench:engine %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[bench:engine] ERROR: %s\n' "$*" >&2; exit 1; }

for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random etcd kube-apiserver; do
  [[ -x "$SI_BIN/$b" ]] || die "$b is not in the tools cache $SI_BIN: run \`npm run tools\` first"
done
command -v kubectl >/dev/null || die "kubectl not found (apt-get install kubernetes-client)"

W="$SI_CACHE_ROOT/bench-engine/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$W/state" "$W/home" "$W/logs" "$W/objects"
RESULTS="$W/results.jsonl"
# shellcheck source=../../e2e/lib.sh
source "$ROOT/test/e2e/lib.sh"
# The commands' environment over this run's state and PULUMI_HOME.
e2e_env
TS=(node -r ts-node/register/transpile-only)
kc() { kubectl --kubeconfig "$SI_KUBECONFIG" "$@"; }

finish() {
  local rc=$?
  bash "$ROOT/test/e2e/cluster.sh" stop >/dev/null 2>&1 || true
  ((rc == 0)) || log "FAILED (exit $rc); logs in $W/logs"
  exit $rc
}
trap finish EXIT
trap "exit 143" TERM INT

# measure LABEL-JSON LOG CMD...: one timed, memory-sampled step
measure() {
  local label=$1 logf=$2
  shift 2
  (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/measure.ts" "$RESULTS" "$label" -- "$@") >>"$W/logs/$logf.log" 2>&1
}

P() { (cd "$W/project" && pulumi --non-interactive "$@"); }

resources_in_state() { P stack export --stack "$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log((JSON.parse(s).deployment.resources||[]).length))'; }

objects_of() { # stack file
  P stack export --show-secrets --stack "$1" | (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/manifests.ts") >"$2"
}

new_stack() { # stack hosts ca-mode
  (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/stack.ts" "$W/project" "$1" "$2" "$3" "$SI_KUBECONFIG")
  P stack init "$1" --secrets-provider passphrase >/dev/null
}

# One size: the five Pulumi steps, then the five floor steps on the same objects.
run_size() { # hosts ca-mode
  local n=$1 mode=$2 s="b$1-$2" lab
  lab() { printf '{"hosts":%s,"caMode":"%s","variant":"main","step":"%s","resources":%s,"objects":%s}' "$n" "$mode" "$1" "${2:-null}" "${3:-null}"; }
  log "$s: $n hosts, $mode CA"
  new_stack "$s" "$n" "$mode"
  measure "$(lab preview)" "$s" pulumi --non-interactive preview --stack "$s" "${UP_FLAGS[@]}"
  measure "$(lab up)" "$s" pulumi --non-interactive up --yes --stack "$s" "${UP_FLAGS[@]}"
  local r
  r=$(resources_in_state "$s")
  objects_of "$s" "$W/objects/$s.json"
  local objs
  objs=$(node -e 'console.log(require(process.argv[1]).items.length)' "$W/objects/$s.json")
  measure "$(lab noop "$r" "$objs")" "$s" pulumi --non-interactive up --yes --expect-no-changes --stack "$s" "${UP_FLAGS[@]}"
  (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/stack.ts" "$W/project" "$s" "$((n + 1))" "$mode" "$SI_KUBECONFIG")
  measure "$(lab host+1)" "$s" pulumi --non-interactive up --yes --stack "$s" "${UP_FLAGS[@]}"
  objects_of "$s" "$W/objects/$s-plus1.json"
  measure "$(lab destroy "$(resources_in_state "$s")")" "$s" pulumi --non-interactive destroy --yes --stack "$s" "${UP_FLAGS[@]}"
  P stack rm --yes --force --stack "$s" >/dev/null
  log "$s: pulumi steps done ($r resources); floor"
  local f="$W/objects/$s.json" f1="$W/objects/$s-plus1.json"
  # kubectl diff exits 1 when there are differences: the step's exit code is recorded, not fatal
  measure "$(lab floor-preview)" "$s-floor" kubectl --kubeconfig "$SI_KUBECONFIG" diff --server-side -f "$f" || true
  measure "$(lab floor-up)" "$s-floor" kubectl --kubeconfig "$SI_KUBECONFIG" apply --server-side -f "$f"
  measure "$(lab floor-noop)" "$s-floor" kubectl --kubeconfig "$SI_KUBECONFIG" diff --server-side -f "$f"
  measure "$(lab floor-host+1)" "$s-floor" kubectl --kubeconfig "$SI_KUBECONFIG" apply --server-side -f "$f1"
  measure "$(lab floor-destroy)" "$s-floor" kubectl --kubeconfig "$SI_KUBECONFIG" delete --cascade=foreground --wait -f "$f1"
}

# A variant at one size: preview of the empty stack, up from empty, no-op up, destroy (SI_BENCH_VARIANT_STEPS).
run_variant() { # variant[@hosts]
  local v=${1%@*} n=$VARIANT_HOSTS flags=("${UP_FLAGS[@]}") envs=() upflags=()
  [[ $1 != *@* ]] || n=${1#*@}
  local s="v-$v-$n"
  case $v in
    default) ;;
    parallel-8) flags=(--parallel 8) ;;
    skip-preview) upflags=(--skip-preview) ;;
    skip-checkpoints) envs=(PULUMI_SKIP_CHECKPOINTS=true) ;;
    compiled) ;;
    # the engine's Go garbage collector runs a quarter as often (it scans the whole state after every checkpoint)
    gogc-400) envs=(GOGC=400) ;;
    *) die "unknown variant $v" ;;
  esac
  local dir="$W/project"
  if [[ $v == compiled ]]; then
    # the same program compiled once with tsc, run as plain JavaScript by the language host
    (cd "$dir" && node_modules/.bin/tsc -p . >"$W/logs/tsc.log" 2>&1 && cp Pulumi.yaml Pulumi.yaml.ts &&
      sed -i -e 's/typescript: true/typescript: false/' -e 's#^main: index.ts#main: bin/index.js#' Pulumi.yaml)
  fi
  lab() { printf '{"hosts":%s,"caMode":"shared","variant":"%s","step":"%s","resources":null}' "$n" "$v" "$1"; }
  log "variant $v at $n hosts"
  new_stack "$s" "$n" shared
  local st
  for st in "${VARIANT_STEPS[@]}"; do
    case $st in
      preview) measure "$(lab preview)" "$s" env "${envs[@]}" pulumi --non-interactive preview --stack "$s" "${flags[@]}" ;;
      up) measure "$(lab up)" "$s" env "${envs[@]}" pulumi --non-interactive up --yes --stack "$s" "${flags[@]}" "${upflags[@]}" ;;
      noop) measure "$(lab noop)" "$s" env "${envs[@]}" pulumi --non-interactive up --yes --expect-no-changes --stack "$s" "${flags[@]}" "${upflags[@]}" ;;
      destroy) measure "$(lab destroy)" "$s" env "${envs[@]}" pulumi --non-interactive destroy --yes --stack "$s" "${flags[@]}" ;;
      *) die "SI_BENCH_VARIANT_STEPS: unknown step $st (preview, up, noop, destroy)" ;;
    esac
  done
  P stack rm --yes --force --stack "$s" >/dev/null
  [[ $v != compiled ]] || (cd "$dir" && mv Pulumi.yaml.ts Pulumi.yaml)
}

# One size as one stack and as K shards, up from empty in render mode; the states are removed after.
run_split() { # N:K
  local n=${1%%:*} k=${1#*:} per i
  ((k > 0 && n % k == 0)) || die "SI_BENCH_SPLIT: $1: K must divide N"
  per=$((n / k))
  split_up() { # stack hosts variant shard
    new_stack "$1" "$2" shared
    P config rm --stack "$1" --path secure-ingress:kubernetes.kubeconfig
    measure "$(printf '{"hosts":%s,"caMode":"shared","variant":"%s","step":"up","resources":null,"shard":%s}' "$2" "$3" "$4")" "$1" \
      pulumi --non-interactive up --yes --stack "$1" "${UP_FLAGS[@]}"
    P stack rm --yes --force --stack "$1" >/dev/null
  }
  log "split: $n hosts as 1 stack, then as $k stacks of $per (rendered to files)"
  split_up "split-$n-whole" "$n" "split-1x$n" 0
  for ((i = 1; i <= k; i++)); do split_up "split-$n-shard$i" "$per" "split-${k}x$per" "$i"; done
}

# One up from empty (or, with :preview, one preview of an empty stack) at a size, profiled three ways; a stack that
# was created is destroyed after.
run_profile() { # hosts[:up|:preview]
  local n=${1%%:*} what=up s d cmd
  [[ $1 != *:* ]] || what=${1#*:}
  case $what in
    up) cmd=(up --yes) ;;
    preview) cmd=(preview) ;;
    *) die "SI_BENCH_PROFILE: unknown step $what (up or preview)" ;;
  esac
  s="prof-$n-$what" d="$W/profile-$n-$what"
  mkdir -p "$d/node"
  log "profile: $what from empty at $n hosts (tracing, engine CPU profile, node --cpu-prof)"
  new_stack "$s" "$n" shared
  # node refuses --cpu-prof in NODE_OPTIONS; the language host passes the runtime option nodeargs on
  cp "$W/project/Pulumi.yaml" "$W/project/Pulumi.yaml.orig"
  sed -i "s#^    typescript: true#    typescript: true\n    nodeargs: --cpu-prof --cpu-prof-dir=$d/node#" "$W/project/Pulumi.yaml"
  measure "{\"hosts\":$n,\"caMode\":\"shared\",\"variant\":\"profiled\",\"step\":\"$what\",\"resources\":null}" "$s" \
    pulumi --non-interactive "${cmd[@]}" --stack "$s" "${UP_FLAGS[@]}" --tracing "file:$d/$what.trace" --profiling "$d/engine"
  mv "$W/project/Pulumi.yaml.orig" "$W/project/Pulumi.yaml"
  [[ $what == preview ]] || P destroy --yes --stack "$s" "${UP_FLAGS[@]}" >>"$W/logs/$s.log" 2>&1
  P stack rm --yes --force --stack "$s" >/dev/null
  local cpu
  cpu=$(ls "$d"/engine.*.cpu 2>/dev/null | head -n1)
  if [[ -n $cpu ]]; then
    go tool pprof -top -nodecount=40 "$SI_BIN/pulumi" "$cpu" >"$d/engine-top.txt" 2>&1 || true
    go tool pprof -top -cum -nodecount=40 "$SI_BIN/pulumi" "$cpu" >"$d/engine-top-cum.txt" 2>&1 || true
  fi
  # the trace's spans as a pprof profile: time per span name (the engine's own documented conversion)
  if pulumi convert-trace "$d/$what.trace" >"$d/trace.pprof" 2>"$d/convert-trace.err"; then
    go tool pprof -top -nodecount=30 "$d/trace.pprof" >"$d/trace-top.txt" 2>&1 || true
  fi
  "${TS[@]}" "$ROOT/test/bench/engine/profile.ts" "$d"/node/*.cpuprofile >"$d/node-summary.md" 2>&1 || true
  log "profile: $d/engine-top.txt, $d/engine-top-cum.txt, $d/trace-top.txt, $d/node-summary.md, trace $d/$what.trace"
}

log "work dir: $W; pulumi $(pulumi version); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
copy_project "$W/project"
bash "$ROOT/test/e2e/cluster.sh" start --fresh >"$W/logs/cluster.log" 2>&1 || { tail -n 20 "$W/logs/cluster.log"; die "control plane did not start"; }
for n in "${SIZES[@]}"; do run_size "$n" shared; done
for n in "${PERHOST[@]}"; do [[ -z $n ]] || run_size "$n" per-host; done
for v in "${VARIANTS[@]}"; do [[ -z $v ]] || run_variant "$v"; done
IFS=, read -r -a SPLITS <<<"${SI_BENCH_SPLIT:-}"
for sp in "${SPLITS[@]}"; do [[ -z $sp ]] || run_split "$sp"; done
IFS=, read -r -a PROFILES <<<"${SI_BENCH_PROFILE:-}"
for p in "${PROFILES[@]}"; do [[ -z $p ]] || run_profile "$p"; done
"${TS[@]}" "$ROOT/test/bench/engine/report.ts" "$RESULTS" | tee "$W/report.md"
log "results: $RESULTS, report: $W/report.md"
