#!/usr/bin/env bash
# bash test/e2e/faults.sh     (a step of npm run e2e; NOT part of npm test; needs `npm run tools`)
#
# What survives a fault, with the real engine and providers against the local control plane of SI_CLUSTER_DIR
# (started here when it is not running, and then stopped again). One stack "faults" of the dev stack's shape
# (4 hosts, per-host CA, mounted certificates) lives through faults 1-4; "renewal" (2 hosts, shared CA, sds,
# server and client certificates of 2 hours renewed 1 hour early) through fault 5. Key material is compared by
# certificate serial and public-key hash, per URN, in the state (test/e2e/faults/state.ts) and in the Secrets.
#
#   1 kill      SIGKILL of the engine (pulumi) during `up` from empty, once Secrets exist; then the CLI's own
#               handling on the next `up`, `pulumi refresh --clear-pending-creates` when it asks for it, `up`:
#               converges, every object once, no CA or key that existed at the kill regenerated
#   2 apiserver kube-apiserver stopped during an `up` that adds two hosts: the error, the state after it; the API
#               server started again, `up` converges with the same serials
#   3 drift     a Secret deleted and the Gateway edited with kubectl: plain `preview` (sees nothing), then
#               `up --refresh` restores both from state: same certificate and key in the Secret, the Gateway spec
#               as before
#   4 lock      two `up` at once: the second refused by the stack lock, the first completes, no-op up after
#   5 renewal   the clock moved past notAfter - earlyRenewalHours: the tls provider compares its clock with the
#               validityEndTime in the state, so the state's leaf validityEndTime is moved to now + 30 min
#               (pulumi stack export / import); the next `up` replaces server and client certificates only,
#               the CA keeps its serial and key, the Secrets carry the new serials.
#               SI_FAULTS_RENEWAL_WAIT=1: no state edit, wait the real hour instead.
#
# Output: a table of faults with what happened and what a user does, also in $W/faults.md.
# Environment: SI_E2E_KEEP_WORK=1 keeps the work directory; SI_FAULTS_TABLE=FILE also writes the table there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../tools/env.sh
source "$ROOT/tools/env.sh"

log() { printf '[e2e:faults %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[e2e:faults] ERROR: %s\n' "$*" >&2; exit 1; }

for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random etcd kube-apiserver; do
  [[ -x "$SI_BIN/$b" ]] || die "$b is not in the tools cache $SI_BIN: run \`npm run tools\` first"
done
command -v kubectl >/dev/null || die "kubectl not found (apt-get install kubernetes-client)"

W="$SI_CACHE_ROOT/e2e-faults/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$W/logs"
SUMMARY_FORMAT='%-8s %-10s %6ss  %s'
# shellcheck source=lib.sh
source "$ROOT/test/e2e/lib.sh"
# The commands' environment over this run's state and PULUMI_HOME (the CLI finds the cached providers as plugins).
e2e_env
# --event-log (the per-step progress the faults wait on) is offered only with debug commands on
export PULUMI_DEBUG_COMMANDS=true
unset KUBECONFIG
TS=(node -r ts-node/register/transpile-only)
kc() { kubectl --kubeconfig "$SI_KUBECONFIG" "$@"; }
P() { (cd "$W/project" && pulumi --non-interactive "$@"); }
cluster() { bash "$ROOT/test/e2e/cluster.sh" "$@"; }

FAULTS=() # "| fault | what happened | what a user does | result |" rows
fault_row() { FAULTS+=("| $1 | $2 | $3 | $4 |"); }

STARTED_CLUSTER=0
finish() {
  local rc=$?
  ((STARTED_CLUSTER == 0)) || cluster stop >/dev/null 2>&1 || true
  {
    echo "| fault | what happened | what a user does | result |"
    echo "|---|---|---|---|"
    printf '%s\n' "${FAULTS[@]+"${FAULTS[@]}"}"
  } >"$W/faults.md"
  print_summary faults
  echo
  cat "$W/faults.md"
  [[ -z "${SI_FAULTS_TABLE:-}" ]] || cp "$W/faults.md" "$SI_FAULTS_TABLE"
  prune_runs "$SI_CACHE_ROOT/e2e-faults" 5
  if ((STEP_FAILED == 0 && rc == 0)); then
    echo "faults: all converged"
    [[ "${SI_E2E_KEEP_WORK:-}" == 1 ]] || rm -rf "$W/project" "$W/home"
  else
    echo "faults: FAILED (logs in $W/logs)"
    ((rc)) || rc=1
  fi
  exit $rc
}
trap finish EXIT

# ------------------------------------------------------------------ helpers
export_state() { P stack export --show-secrets --stack "$1"; }
health() { export_state "$1" | state_tool health; }

# kept BEFORE AFTER: every URN's serial / key hash of BEFORE is the same in AFTER
kept() {
  local missing changed
  missing=$(join -v1 -j1 <(cut -d' ' -f1 "$1") <(cut -d' ' -f1 "$2") | wc -l)
  changed=$(join -j1 "$1" "$2" | awk '$3 != $5' | tee "$W/changed.txt" | wc -l)
  echo "$(wc -l <"$1") before, $(wc -l <"$2") after; $missing gone, $changed with other material"
  sed 's/^/  CHANGED /' "$W/changed.txt"
  ((missing == 0 && changed == 0))
}

# Serials of the certificates in the cluster's Secrets (tls.crt, first certificate), "ns/name secret serial" lines.
secret_serials() {
  kc get secrets -A -o json | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const { X509Certificate } = require("crypto");
      for (const it of JSON.parse(s).items) {
        const crt = it.data && it.data["tls.crt"];
        if (!crt) continue;
        const pem = Buffer.from(crt, "base64").toString().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
        if (pem) console.log(`${it.metadata.namespace}/${it.metadata.name} secret ${new X509Certificate(pem[0]).serialNumber}`);
      }
    });' | sort
}

# Objects of the state vs the API server: each once, none missing.
objects_once() { # stack
  export_state "$1" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      for (const r of JSON.parse(s).deployment.resources || []) {
        const o = r.outputs || {}, m = o.metadata || {};
        if (!r.type.startsWith("kubernetes:") || !o.kind || !m.name) continue;
        const [g, v] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
        console.log([g ? `${o.kind}.${v}.${g}` : o.kind, m.namespace || "-", m.name].join(" "));
      }
    });' >"$W/$1.objects"
  local n dups missing=0 res ns name
  n=$(wc -l <"$W/$1.objects")
  dups=$(sort "$W/$1.objects" | uniq -d | wc -l)
  while read -r res ns name; do
    if [[ $ns == - ]]; then a=(get "$res" "$name"); else a=(-n "$ns" get "$res" "$name"); fi
    kc "${a[@]}" -o name >/dev/null 2>&1 || { echo "MISSING $res $ns/$name"; missing=$((missing + 1)); }
  done <"$W/$1.objects"
  echo "$n objects in the state, $dups listed twice, $missing missing from the API server"
  ((n > 0 && dups == 0 && missing == 0))
}

# up_bg STACK NAME [FLAGS...]: pulumi up in the background with an event log; sets BG (its pid)
up_bg() {
  local s=$1 name=$2
  shift 2
  : >"$W/$name.events"
  (cd "$W/project" && exec pulumi --non-interactive up --yes --stack "$s" --event-log "$W/$name.events" "$@") >"$W/logs/$name.log" 2>&1 &
  BG=$!
}

# done_steps EVENTS [TYPE]: resources the update (not its preview: "planning":true) has finished, of TYPE if given
done_steps() { grep -v '"planning":true' "$1" | grep -c "\"resOutputsEvent\".*\"type\":\"${2:-}" || true; }

# wait_outputs EVENTS TYPE N SECONDS: until the update has finished N resources of TYPE
wait_outputs() {
  local i
  for ((i = 0; i < $4 * 5; i++)); do
    (($(done_steps "$1" "$2") >= $3)) && return 0
    sleep 0.2
  done
  return 1
}

descendants() { # pid: every descendant pid
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}

# converge STACK NAME: `pulumi up` until it succeeds (at most 5 tries), each failure answered with the remedy
# its error names, as a user would: a lock left behind -> `pulumi cancel`; pending operations the CLI will not
# go past -> `pulumi refresh --clear-pending-creates`; an object that exists in the cluster but not in the state
# (its create was pending) -> one `up` with PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true, which adopts it; pending
# operations still in the state after a successful up -> `pulumi refresh --clear-pending-creates`.
# Sets CONVERGED_BY: the sequence, with each error's first line.
converge() {
  local s=$1 name=$2 try rc out env=() msg
  CONVERGED_BY=""
  for try in 1 2 3 4 5; do
    out="$W/logs/$name-up$try.log"
    rc=0
    (cd "$W/project" && env "${env[@]}" pulumi --non-interactive up --yes --stack "$s") >"$out" 2>&1 || rc=$?
    env=()
    if ((rc == 0)); then
      CONVERGED_BY+="up ok"
      # the engine carries pending operations over until a refresh clears them
      if ! health "$s" | grep -q ' 0 pending operations'; then
        CONVERGED_BY+=" -> \`pulumi refresh --clear-pending-creates\` (pending operations left in the state)"
        P refresh --yes --clear-pending-creates --stack "$s" >"$W/logs/$name-refresh-after.log" 2>&1 ||
          { echo "refresh failed:"; tail -n 10 "$W/logs/$name-refresh-after.log"; return 1; }
      fi
      return 0
    fi
    msg=$(grep -m1 -E 'error:|locked|pending|already exists' "$out" | sed 's/^ *//' | cut -c1-200)
    echo "up #$try: exit $rc: $msg"
    CONVERGED_BY+="up: \"$msg\" -> "
    if grep -q 'currently locked' "$out"; then
      CONVERGED_BY+="\`pulumi cancel\` -> "
      P cancel --yes --stack "$s" >>"$out" 2>&1 || { echo "pulumi cancel failed"; tail -n 5 "$out"; return 1; }
    elif grep -qiE 'already exists' "$out"; then
      CONVERGED_BY+="PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true "
      env=(PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true)
    elif grep -qiE 'pending (create )?operation|interrupted' "$out"; then
      CONVERGED_BY+="\`pulumi refresh --clear-pending-creates\` -> "
      P refresh --yes --clear-pending-creates --stack "$s" >"$W/logs/$name-refresh$try.log" 2>&1 ||
        { echo "refresh failed:"; tail -n 10 "$W/logs/$name-refresh$try.log"; return 1; }
    else
      tail -n 20 "$out" | sed 's/^/    /'
      return 1
    fi
  done
  return 1
}

new_stack() { # stack hosts ca-mode
  (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/stack.ts" "$W/project" "$1" "$2" "$3" "$SI_KUBECONFIG")
  P stack init "$1" --secrets-provider passphrase >/dev/null
}

# ------------------------------------------------------------------ 1: SIGKILL of the engine
fault_kill() {
  local s=faults pid kids lingering rc=0 first
  new_stack "$s" 4 per-host
  up_bg "$s" kill-up
  pid=$BG
  if ! wait_outputs "$W/kill-up.events" kubernetes:core/v1:Secret 2 300; then
    echo "no Secret created within 300 s"; kill -9 "$pid" 2>/dev/null || true; return 1
  fi
  kids=$(descendants "$pid" | tr '\n' ' ')
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  echo "SIGKILL to pulumi (pid $pid) after $(done_steps "$W/kill-up.events") finished steps; its children: $kids"
  sleep 5
  lingering=""
  for k in $kids; do kill -0 "$k" 2>/dev/null && lingering+="$k($(ps -o comm= -p "$k")) "; done
  echo "still running 5 s later: ${lingering:-none}"
  for k in $kids; do kill -0 "$k" 2>/dev/null && kill -9 "$k" 2>/dev/null; done
  health "$s" | tee "$W/kill-health.txt" || true
  KILL_STATE="killed after $(done_steps "$W/kill-up.events") steps; state: $(head -n1 "$W/kill-health.txt"); children left running: ${lingering:-none}"
  state_material "$s" >"$W/kill-before.material"
  secret_serials >"$W/kill-before.secrets"
  echo "at the kill: $(wc -l <"$W/kill-before.material") tls resources in the state, $(wc -l <"$W/kill-before.secrets") Secrets with tls.crt in the cluster"
  converge "$s" kill || { KILL_FIRST="$CONVERGED_BY (gave up)"; return 1; }
  KILL_FIRST="$CONVERGED_BY"
  P up --yes --expect-no-changes --stack "$s" >"$W/logs/kill-noop.log" 2>&1 || { echo "no-op up after recovery shows changes"; tail -n 20 "$W/logs/kill-noop.log"; return 1; }
  health "$s" && objects_once "$s" || return 1
  state_material "$s" >"$W/kill-after.material"
  kept "$W/kill-before.material" "$W/kill-after.material" || return 1
  secret_serials >"$W/kill-after.secrets"
  echo "Secrets that existed at the kill, serial unchanged:"
  kept "$W/kill-before.secrets" "$W/kill-after.secrets"
}

# ------------------------------------------------------------------ 2: API server stopped during up
fault_apiserver() {
  local s=faults pid rc=0 apid err i
  state_material "$s" >"$W/api-before.material"
  (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/stack.ts" "$W/project" "$s" 6 per-host "$SI_KUBECONFIG")
  up_bg "$s" api-up
  pid=$BG
  local secrets_before
  secrets_before=$(done_steps "$W/api-up.events" kubernetes:core/v1:Secret)
  # the new hosts' certificates exist (tls), their Secrets not yet: stop the API server then
  wait_outputs "$W/api-up.events" tls:index/locallySignedCert:LocallySignedCert 2 300 || { echo "no new certificate within 300 s"; kill -9 "$pid"; return 1; }
  apid=$(cat "$SI_CLUSTER_DIR/run/kube-apiserver.pid")
  kill -TERM "$apid"
  echo "kube-apiserver (pid $apid) stopped with SIGTERM; $secrets_before Secrets had been written by this up"
  local t0=$SECONDS
  # an up that waits forever on a missing API server is a finding too: give it 10 minutes
  while kill -0 "$pid" 2>/dev/null && ((SECONDS - t0 < 600)); do sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "pulumi up still running after 600 s without an API server: SIGTERM"
    kill -TERM "$pid"
  fi
  wait "$pid" || rc=$?
  err=$(grep -m1 -E 'error' "$W/logs/api-up.log" || true)
  echo "pulumi up: exit $rc after $((SECONDS - t0)) s without an API server; first error: $err"
  API_ERR="exit $rc after $((SECONDS - t0)) s: ${err:-no error line}"
  grep -E 'error|connection refused' "$W/logs/api-up.log" | head -n 8 | sed 's/^/    /'
  health "$s" | tee "$W/api-health.txt" || true
  API_ERR+="; state: $(head -n1 "$W/api-health.txt")"
  ((rc != 0)) || { echo "up succeeded without an API server?"; return 1; }
  # a stopped API server drains its requests first; start it again only once it has exited
  # (a zombie still answers kill -0, so its state is read; one that outlives 60 s is killed, as a supervisor would)
  alive() { kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]; }
  for ((i = 0; i < 60; i++)); do alive "$apid" || break; sleep 1; done
  if alive "$apid"; then
    echo "kube-apiserver (pid $apid) still running 60 s after SIGTERM: SIGKILL"
    kill -KILL "$apid" 2>/dev/null || true
    for ((i = 0; i < 10; i++)); do alive "$apid" || break; sleep 1; done
  fi
  cluster start >"$W/logs/api-restart.log" 2>&1 || { tail -n 20 "$W/logs/api-restart.log"; return 1; }
  state_material "$s" >"$W/api-mid.material"
  converge "$s" api || { API_REMEDY="start the API server; $CONVERGED_BY (gave up)"; return 1; }
  API_REMEDY="start the API server; $CONVERGED_BY"
  P up --yes --expect-no-changes --stack "$s" >"$W/logs/api-noop.log" 2>&1 || { echo "no-op up shows changes"; return 1; }
  health "$s" && objects_once "$s" || return 1
  state_material "$s" >"$W/api-after.material"
  echo "material before this up:"
  kept "$W/api-before.material" "$W/api-after.material" || return 1
  echo "material created by the failed up:"
  kept "$W/api-mid.material" "$W/api-after.material"
}

# ------------------------------------------------------------------ 3: drift
fault_drift() {
  local s=faults secret gw_ns=default rc=0 before_spec after_spec
  secret=$(kc -n istio-system get secrets -o name | grep -m1 'ingressgateway.*certs' | cut -d/ -f2)
  [[ -n $secret ]] || { echo "no gateway secret found"; return 1; }
  kc -n istio-system get secret "$secret" -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s).data)))' >"$W/drift-secret-before.json"
  before_spec=$(kc -n "$gw_ns" get gateways.networking.istio.io mygateway -o jsonpath='{.spec}')
  kc -n istio-system delete secret "$secret"
  kc -n "$gw_ns" patch gateways.networking.istio.io mygateway --type=json -p '[{"op":"replace","path":"/spec/servers/0/hosts/0","value":"drifted.example.com"}]'
  echo "deleted Secret istio-system/$secret; Gateway $gw_ns/mygateway servers[0].hosts[0] = drifted.example.com"
  P preview --expect-no-changes --stack "$s" >"$W/logs/drift-preview.log" 2>&1 || rc=$?
  echo "plain pulumi preview --expect-no-changes (no refresh): exit $rc ($( ((rc == 0)) && echo 'the drift is invisible without a refresh' || echo 'sees changes'))"
  DRIFT_PLAIN=$rc
  P up --yes --refresh --stack "$s" >"$W/logs/drift-up.log" 2>&1 || { tail -n 20 "$W/logs/drift-up.log"; return 1; }
  grep -E '^\s+[+~-]+ ' "$W/logs/drift-up.log" | head -n 10 | sed 's/^/    /' || true
  kc -n istio-system get secret "$secret" -o json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.stringify(JSON.parse(s).data)))' >"$W/drift-secret-after.json"
  after_spec=$(kc -n "$gw_ns" get gateways.networking.istio.io mygateway -o jsonpath='{.spec}')
  local ok=0
  if cmp -s "$W/drift-secret-before.json" "$W/drift-secret-after.json"; then echo "Secret $secret back with the same data (certificate and key)"; else echo "Secret $secret: DIFFERENT data"; ok=1; fi
  if [[ "$before_spec" == "$after_spec" ]]; then echo "Gateway spec as before"; else echo "Gateway spec DIFFERS: $after_spec"; ok=1; fi
  P up --yes --expect-no-changes --stack "$s" >"$W/logs/drift-noop.log" 2>&1 || { echo "no-op up after the repair shows changes"; ok=1; }
  return $ok
}

# ------------------------------------------------------------------ 4: two ups at once
fault_lock() {
  local s=faults a rc_a=0 rc_b=0 i
  (cd "$W/project" && "${TS[@]}" "$ROOT/test/bench/engine/stack.ts" "$W/project" "$s" 7 per-host "$SI_KUBECONFIG")
  up_bg "$s" lock-a
  a=$BG
  for ((i = 0; i < 300; i++)); do grep -q '"resourcePreEvent"' "$W/lock-a.events" && break; sleep 0.2; done
  P up --yes --stack "$s" >"$W/logs/lock-b.log" 2>&1 || rc_b=$?
  wait "$a" || rc_a=$?
  LOCK_MSG=$(grep -m1 -iE 'lock' "$W/logs/lock-b.log" || true)
  echo "second up: exit $rc_b: ${LOCK_MSG:-$(tail -n 3 "$W/logs/lock-b.log")}"
  echo "first up: exit $rc_a"
  ((rc_b != 0)) && [[ -n $LOCK_MSG ]] || { echo "the second up was not refused by the lock"; return 1; }
  ((rc_a == 0)) || { tail -n 20 "$W/logs/lock-a.log"; return 1; }
  P up --yes --expect-no-changes --stack "$s" >"$W/logs/lock-noop.log" 2>&1 || { echo "no-op up after both shows changes"; return 1; }
  health "$s" && objects_once "$s"
}

# ------------------------------------------------------------------ 5: renewal by time
fault_renewal() {
  local s=renewal rc=0 wait_s
  new_stack "$s" 2 shared
  P config set --stack "$s" --path secure-ingress:gateway.secretDelivery sds
  P config set --stack "$s" --path secure-ingress:pki.validityHours.server 2
  P config set --stack "$s" --path secure-ingress:pki.validityHours.client 2
  P config set --stack "$s" --path secure-ingress:pki.earlyRenewalHours 1
  P up --yes --stack "$s" >"$W/logs/renewal-up.log" 2>&1 || { tail -n 20 "$W/logs/renewal-up.log"; return 1; }
  state_material "$s" >"$W/renewal-before.material"
  secret_serials >"$W/renewal-before.secrets"
  P preview --expect-no-changes --stack "$s" >"$W/logs/renewal-preview-early.log" 2>&1 || { echo "a preview right after up already wants changes"; return 1; }
  if [[ "${SI_FAULTS_RENEWAL_WAIT:-}" == 1 ]]; then
    wait_s=3660
    echo "waiting ${wait_s}s of real time (validity 2 h, earlyRenewalHours 1)"
    RENEWAL_HOW="waited $((wait_s / 60)) min of real time"
    sleep "$wait_s"
  else
    shift_leaf_expiry "$s" 30 || return 1
    RENEWAL_HOW="leaf validityEndTime in the state moved to now + 30 min (stack export/import)"
  fi
  P preview --stack "$s" --diff >"$W/logs/renewal-preview.log" 2>&1 || true
  P up --yes --stack "$s" >"$W/logs/renewal-up2.log" 2>&1 || { tail -n 20 "$W/logs/renewal-up2.log"; return 1; }
  grep -E '(\+-|replace)' "$W/logs/renewal-up2.log" | head -n 12 | sed 's/^/    /' || true
  state_material "$s" >"$W/renewal-after.material"
  secret_serials >"$W/renewal-after.secrets"
  # the CA (root and intermediate, their keys) and every key keep their material; server/client certs change
  local ca_changed leaf_same leaf_total secrets_same
  read -r ca_changed leaf_total leaf_same < <(renewal_changes "$W/renewal-before.material" "$W/renewal-after.material")
  secrets_same=$(join -j1 "$W/renewal-before.secrets" "$W/renewal-after.secrets" | awk '$3 == $5' | wc -l)
  echo "CA certificates and keys with other material: $ca_changed; leaf certificates: $leaf_total, of which unchanged: $leaf_same; Secrets with the old serial: $secrets_same of $(wc -l <"$W/renewal-after.secrets")"
  join -j1 "$W/renewal-before.secrets" "$W/renewal-after.secrets" | awk '{print "    " $1 " serial " $3 " -> " $5}'
  P up --yes --expect-no-changes --stack "$s" >"$W/logs/renewal-noop.log" 2>&1 || { echo "no-op up after renewal shows changes"; rc=1; }
  ((ca_changed == 0 && leaf_total > 0 && leaf_same == 0 && secrets_same == 0 && rc == 0))
}

# ------------------------------------------------------------------ run
log "work dir: $W; cluster $SI_CLUSTER_DIR"
step all copy copy_project "$W/project" || exit 1
if ! cluster status >/dev/null 2>&1; then
  step all cluster cluster start --fresh || exit 1
  STARTED_CLUSTER=1
fi

KILL_STATE="" KILL_FIRST="" API_ERR="" API_REMEDY="" DRIFT_PLAIN="" LOCK_MSG="" RENEWAL_HOW=""
FAULT_RESULT=""
run_fault() { # name function
  if step faults "$1" "$2"; then FAULT_RESULT=converged; else FAULT_RESULT="**did not converge** (logs/faults-$1.log)"; fi
}
run_fault kill fault_kill
fault_row "1. SIGKILL of \`pulumi\` during \`up\` from empty, once Secrets exist" "$KILL_STATE" "$KILL_FIRST" "$FAULT_RESULT"
run_fault apiserver fault_apiserver
fault_row "2. kube-apiserver stopped during an \`up\` adding 2 hosts" "$API_ERR" "$API_REMEDY" "$FAULT_RESULT"
run_fault drift fault_drift
fault_row "3. Secret deleted, Gateway edited with kubectl" "plain \`preview --expect-no-changes\` exit $DRIFT_PLAIN (drift unseen without refresh)" "\`pulumi up --refresh\`" "$FAULT_RESULT"
run_fault lock fault_lock
fault_row "4. two \`pulumi up\` at once" "second: ${LOCK_MSG:-no lock message}" "wait for the first; \`pulumi cancel\` only for a lock left by a killed CLI" "$FAULT_RESULT"
step faults destroy P destroy --yes --stack faults || true
run_fault renewal fault_renewal
fault_row "5. server certificates past notAfter - earlyRenewalHours" "$RENEWAL_HOW; next \`up\` replaced the leaves, kept the CA" "\`pulumi up\` (on a schedule shorter than earlyRenewalHours)" "$FAULT_RESULT"
step renewal destroy P destroy --yes --stack renewal || true
