#!/usr/bin/env bash
# npm run e2e:fleet     (also the last step of npm run e2e; NOT part of npm test)
#
# npm run fleet against three local control planes (own SI_CLUSTER_DIR, API server and etcd ports each), one
# stack each, with the real engine and providers of `npm run tools`:
#   preview   fleet preview with the policy pack: every stack done, no policy violation
#   up        fleet up converges all three; the canary wave ends before the next starts; objects in every cluster
#   outputs   fleet outputs: certificate expiry and test commands of every stack
#   routes    a new match on one host's routes rolls to all three as in-place updates, seen in every cluster
#   stopped   the canary's API server stopped: its wave fails, the later waves do not start, their clusters keep the
#             old routes; the API server started again, fleet up converges
#   sigint    SIGINT during fleet up: exit 130, no stack lock left, the next fleet up converges
#   destroy   fleet destroy: every cluster back to the objects it had before
#   timing    fleet up of 1, 2 and 3 fresh stacks with maxParallel 2, as ratios to one stack alone
# Environment: SI_E2E_KEEP_CLUSTER=1 leaves the control planes running; SI_E2E_KEEP_WORK=1 keeps the work dir.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=../../../tools/env.sh
source "$ROOT/tools/env.sh"

log() { printf '[e2e:fleet %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[e2e:fleet] ERROR: %s\n' "$*" >&2; exit 1; }

for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random etcd kube-apiserver kube-controller-manager; do
  [[ -x "$SI_BIN/$b" ]] || die "$b is not in the tools cache $SI_BIN: run \`npm run tools\` first"
done
command -v kubectl >/dev/null || die "kubectl not found (apt-get install kubernetes-client)"

W="$SI_CACHE_ROOT/e2e-fleet/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$W/logs"
SUMMARY_FORMAT='%-8s %-9s %6ss  %s'
# shellcheck source=../lib.sh
source "$ROOT/test/e2e/lib.sh"
# The commands' environment over this run's state and PULUMI_HOME; fleet.sh sources it again, to the same effect.
e2e_env
unset KUBECONFIG

CLUSTERS=(c1 c2 c3)
declare -A API_PORT=([c1]=20443 [c2]=20543 [c3]=20643) ETCD_PORT=([c1]=27790 [c2]=27890 [c3]=27990)
cdir() { echo "$SI_CACHE_ROOT/e2e-fleet/cluster-$1"; }
cluster() { # name verb...
  local c=$1
  shift
  SI_CLUSTER_DIR="$(cdir "$c")" SI_APISERVER_PORT="${API_PORT[$c]}" SI_ETCD_PORT="${ETCD_PORT[$c]}" bash "$ROOT/test/e2e/cluster.sh" "$@"
}
kc() { local c=$1; shift; kubectl --kubeconfig "$(cdir "$c")/kubeconfig" "$@"; }
fleet() { bash "$ROOT/commands/fleet/fleet.sh" "$@"; }

finish() {
  local rc=$?
  if [[ "${SI_E2E_KEEP_CLUSTER:-}" != 1 ]]; then
    for c in "${CLUSTERS[@]}"; do cluster "$c" stop >/dev/null 2>&1 || true; done
  fi
  print_summary e2e:fleet
  [[ ! -f "$W/timing.txt" ]] || cat "$W/timing.txt"
  prune_runs "$SI_CACHE_ROOT/e2e-fleet" 5
  if ((STEP_FAILED == 0 && rc == 0)); then
    [[ "${SI_E2E_KEEP_WORK:-}" == 1 ]] || rm -rf "$W/home" "$W/fleet"
  else
    echo "e2e:fleet: FAILED (logs in $W/logs)"
    ((rc)) || rc=1
  fi
  exit $rc
}
trap finish EXIT

# ------------------------------------------------------------------ fixtures
KINDS=secrets,services,deployments,serviceaccounts,roles,rolebindings,gateways.networking.istio.io,virtualservices.networking.istio.io,requestauthentications.security.istio.io,authorizationpolicies.security.istio.io
objects() { kc "$1" get "$KINDS" -A -o name 2>/dev/null | sort; }

write_fleet() { # file, then "stack:cluster" pairs; FLEET_WAVES (yaml) and FLEET_PARALLEL optional
  local f=$1 pair
  shift
  {
    echo "defaults:"
    echo "  config: base.yaml"
    echo "  overrides: {kubernetes.skipAwait: true}"
    echo "policyPack: $ROOT/policy"
    echo "workDir: fleet"
    echo "stacks:"
    for pair in "$@"; do echo "  - {name: ${pair%%:*}, kubeconfig: $(cdir "${pair##*:}")/kubeconfig}"; done
    echo "rollout:"
    echo "  maxParallel: ${FLEET_PARALLEL:-2}"
    [[ -n "${FLEET_WAVES:-}" ]] && echo "  waves: $FLEET_WAVES"
  } >"$W/$f"
}

# Adds a URI prefix match to the first route of the httpbin host in base.yaml.
add_route_prefix() {
  node -e '
    const fs = require("fs"); const YAML = require(process.argv[1]);
    const doc = YAML.parseDocument(fs.readFileSync(process.argv[2], "utf8"));
    const hosts = doc.getIn(["config", "secure-ingress:hosts"]);
    const httpbin = hosts.items.find((h) => h.get("name") === "httpbin");
    httpbin.getIn(["routes", 0, "match"]).add(doc.createNode({ prefix: process.argv[3] }));
    fs.writeFileSync(process.argv[2], String(doc));' "$ROOT/node_modules/yaml" "$W/base.yaml" "$1"
}

prefixes() { kc "$1" -n default get virtualservices.networking.istio.io httpbin -o jsonpath='{.spec.http[*].match[*].uri.prefix}'; }

# Line number of the first status line of stack $2 in state $3 in output $1.
line_of() { grep -nE "^$2 +\[[^]]*\] +$3" "$1" | head -n 1 | cut -d: -f1; }

# ------------------------------------------------------------------ steps
check_preview() {
  fleet preview "$W/fleet.yaml" 2>&1 | tee "$W/preview.out"
  grep -q 'fleet preview: 3 of 3 stacks done$' "$W/preview.out" || { echo "not every stack previewed"; return 1; }
  ! grep -q 'policy violation' "$W/preview.out" || { echo "policy violations"; return 1; }
}

check_up() {
  fleet up "$W/fleet.yaml" 2>&1 | tee "$W/up.out"
  grep -q 'fleet up: 3 of 3 stacks done$' "$W/up.out" || { echo "not every stack done"; return 1; }
  local canary_done c2 c3
  canary_done=$(line_of "$W/up.out" fleet-c1 done)
  c2=$(line_of "$W/up.out" fleet-c2 updating)
  c3=$(line_of "$W/up.out" fleet-c3 updating)
  echo "canary done at output line $canary_done; fleet-c2 started at $c2, fleet-c3 at $c3"
  ((canary_done < c2 && canary_done < c3)) || { echo "a later wave started before the canary was done"; return 1; }
  local c bad=0
  for c in "${CLUSTERS[@]}"; do
    objects "$c" >"$W/$c.after-up"
    local added
    added=$(comm -13 "$W/$c.baseline" "$W/$c.after-up" | wc -l)
    echo "$c: $added objects added; gateway: $(kc "$c" -n default get gateways.networking.istio.io mygateway -o name 2>&1)"
    ((added > 10)) || bad=1
  done
  ((bad == 0))
}

check_outputs() {
  fleet outputs "$W/fleet.yaml" >"$W/outputs.out" 2>"$W/outputs.err"
  cat "$W/outputs.out" "$W/outputs.err"
  local s
  for s in fleet-c1 fleet-c2 fleet-c3; do
    grep -qE "^$s +certificate +httpbin.example.com .* expires 20[0-9-]+T" "$W/outputs.out" || { echo "$s: no certificate expiry"; return 1; }
    grep -qE "^$s +test +httpbin-mutual-with-client-cert +HTTP 418.* curl " "$W/outputs.out" || { echo "$s: no test command"; return 1; }
  done
}

check_routes() {
  add_route_prefix /headers
  fleet up "$W/fleet.yaml" 2>&1 | tee "$W/routes.out"
  grep -q 'fleet up: 3 of 3 stacks done$' "$W/routes.out" || return 1
  local s c bad=0
  for s in fleet-c1 fleet-c2 fleet-c3; do
    # the closing row: STACK WAVE RESULT CHANGES...; in-place updates only
    local row
    row=$(grep -E "^$s +(canary|rest) +done " "$W/routes.out" | tail -n 1)
    echo "summary: $row"
    [[ $row == *"~"* && $row != *" +"[0-9]* && $row != *" -"[0-9]* && $row != *"+-"* ]] || { echo "$s: not only in-place updates"; bad=1; }
  done
  for c in "${CLUSTERS[@]}"; do
    echo "$c: httpbin prefixes: $(prefixes "$c")"
    [[ " $(prefixes "$c") " == *" /headers "* ]] || bad=1
  done
  ((bad == 0))
}

check_stopped() {
  cluster c1 stop
  add_route_prefix /anything
  local rc=0
  timeout 600 bash "$ROOT/commands/fleet/fleet.sh" up "$W/fleet.yaml" >"$W/stopped.out" 2>&1 || rc=$?
  cat "$W/stopped.out"
  echo "fleet up exited $rc"
  ((rc == 1)) || return 1
  grep -qE '^fleet-c1 +canary +failed ' "$W/stopped.out" || return 1
  grep -qE '^fleet-c2 +rest +skipped .*wave "canary" failed \(fleet-c1\)' "$W/stopped.out" || return 1
  grep -qE '^fleet-c3 +rest +skipped ' "$W/stopped.out" || return 1
  ! grep -qE '^fleet-c[23] +\[rest\] +updating' "$W/stopped.out" || { echo "a later wave started"; return 1; }
  local c
  for c in c2 c3; do
    echo "$c: httpbin prefixes: $(prefixes "$c")"
    [[ " $(prefixes "$c") " != *" /anything "* ]] || return 1
  done
  cluster c1 start
  fleet up "$W/fleet.yaml" 2>&1 | tee "$W/restarted.out"
  grep -q 'fleet up: 3 of 3 stacks done$' "$W/restarted.out" || return 1
  for c in "${CLUSTERS[@]}"; do [[ " $(prefixes "$c") " == *" /anything "* ]] || return 1; done
  echo "after the restart every cluster has /anything"
}

check_sigint() {
  add_route_prefix /ip
  bash "$ROOT/commands/fleet/fleet.sh" up "$W/fleet.yaml" >"$W/sigint.out" 2>&1 &
  local pid=$! i rc=0
  for i in $(seq 1 600); do
    grep -qE '^fleet-c1 +\[canary\] +updating' "$W/sigint.out" && break
    sleep 0.1
  done
  sleep "${SI_E2E_SIGINT_DELAY:-2}"
  # A background job of a non-interactive shell starts with SIGINT ignored (bash cannot trap it there), so the
  # signal goes to the fleet process itself, as fleet.sh forwards it from a terminal.
  local node_pid
  node_pid=$(pgrep -P "$pid" node | head -n 1)
  echo "sending SIGINT to the fleet process (pid $node_pid, child of $pid) $(date -u +%T.%N)"
  kill -INT "$node_pid"
  wait "$pid" || rc=$?
  cat "$W/sigint.out"
  echo "fleet up exited $rc"
  ((rc == 130)) || return 1
  grep -qE '^fleet-c2 +rest +cancelled ' "$W/sigint.out" || return 1
  local locks
  locks=$(find "$W/state/.pulumi/locks" -type f 2>/dev/null | wc -l)
  echo "lock files left: $locks"
  ((locks == 0)) || return 1
  fleet up "$W/fleet.yaml" 2>&1 | tee "$W/after-sigint.out"
  grep -q 'fleet up: 3 of 3 stacks done$' "$W/after-sigint.out" || return 1
  local c
  for c in "${CLUSTERS[@]}"; do [[ " $(prefixes "$c") " == *" /ip "* ]] || return 1; done
  echo "the next fleet up converged: every cluster has /ip"
}

check_destroy() {
  fleet destroy "$W/fleet.yaml" 2>&1 | tee "$W/destroy.out"
  grep -q 'fleet destroy: 3 of 3 stacks done$' "$W/destroy.out" || return 1
  local c bad=0
  for c in "${CLUSTERS[@]}"; do
    objects "$c" >"$W/$c.after-destroy"
    if diff "$W/$c.baseline" "$W/$c.after-destroy"; then echo "$c: back to its $(wc -l <"$W/$c.baseline") objects"; else bad=1; fi
  done
  ((bad == 0))
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
check_timing() {
  local n t0 secs=() pairs=(t1:c1 t2:c2 t3:c3)
  for n in 1 2 3; do
    FLEET_WAVES="[{name: all, stacks: [$(printf '%s\n' "${pairs[@]:0:n}" | cut -d: -f1 | paste -sd, -)]}]" \
      FLEET_PARALLEL=2 write_fleet "timing-$n.yaml" "${pairs[@]:0:n}"
    t0=$(now_ms)
    fleet up "$W/timing-$n.yaml" >"$W/logs/timing-$n-up.log" 2>&1 || { tail -n 20 "$W/logs/timing-$n-up.log"; return 1; }
    secs+=($(($(now_ms) - t0)))
    fleet destroy "$W/timing-$n.yaml" >"$W/logs/timing-$n-destroy.log" 2>&1 || { tail -n 20 "$W/logs/timing-$n-destroy.log"; return 1; }
  done
  node -e '
    const [a, b, c] = process.argv.slice(1).map(Number);
    const f = (ms) => (ms / 1000).toFixed(1);
    console.log(`fleet up wall time, fresh stacks, maxParallel 2: 1 stack ${f(a)} s (1.00), 2 stacks ${f(b)} s (${(b / a).toFixed(2)}), 3 stacks ${f(c)} s (${(c / a).toFixed(2)})`);
  ' "${secs[@]}" | tee "$W/timing.txt"
}

log "work dir: $W"
for c in "${CLUSTERS[@]}"; do
  step "$c" cluster cluster "$c" start --fresh || exit 1
  objects "$c" >"$W/$c.baseline"
done
cp "$ROOT/Pulumi.dev.yaml" "$W/base.yaml"
FLEET_WAVES="[{name: canary, stacks: [fleet-c1]}, {name: rest, stacks: [fleet-c2, fleet-c3]}]" \
  write_fleet fleet.yaml fleet-c1:c1 fleet-c2:c2 fleet-c3:c3
cat "$W/fleet.yaml"
step fleet preview check_preview || true
step fleet up check_up || exit 1
step fleet outputs check_outputs || true
step fleet routes check_routes || true
step fleet stopped check_stopped || true
step fleet sigint check_sigint || true
step fleet destroy check_destroy || true
step fleet timing check_timing || true
