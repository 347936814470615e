#!/usr/bin/env bash
# npm run e2e [-- STACK...]     (default stacks: dev sds; NOT part of npm test)
#
# The real thing, offline: the Pulumi engine and providers built by
# `npm run tools`, `pulumi up` against a fresh local kube-apiserver
# (`npm run cluster`) that validates every Istio object against its CRD.
#
# For each stack, on a copy of the project (tracked files untouched) and a
# throw-away file state backend:
#   config   secure-ingress:kubernetes.kubeconfig = the local kubeconfig,
#            secure-ingress:kubernetes.skipAwait = true (no nodes: nothing
#            becomes ready, LoadBalancers get no address)
#   up       pulumi up succeeds
#   objects  every Kubernetes object in the stack's state exists in the API server
#   openssl  the certificates in the Secrets: key matches certificate, chain
#            verifies against the CA found in the stack's secrets, not expired
#   noop     a second `pulumi up --expect-no-changes` changes nothing
#   policy   pulumi preview --policy-pack policy passes
#   host+1   one more host in the config: preview shows only creates and
#            in-place updates, the gateway Deployment (pod template) changes in
#            mounted mode only; then pulumi up applies it
#   destroy  pulumi destroy; none of the objects is left in the API server
# and once: the gateway-api stack and its variants against the API server with the Gateway API CRDs
# (schemas and CEL rules, test/e2e/analyze/apiserver.sh);
# and once: istioctl analyze over every shipped stack and the pack's analyzer fixtures (test/e2e/analyze/run.sh).
# and once: the bad-example stack is refused by the policy pack.
# Then the library's examples on the same control plane (test/e2e/library/run.sh), the faults of test/e2e/faults.sh
# (SIGKILL of the engine, API server stopped, drift, two ups at once, renewal by time) with their table, and the fleet.
# Each step's wall time is printed, and a summary at the end.
#
# Environment: SI_CLUSTER_DIR, SI_APISERVER_PORT and SI_ETCD_PORT place the control plane
# (test/e2e/cluster.sh; to run beside another one); SI_E2E_KEEP_CLUSTER=1 leaves it running;
# SI_E2E_KEEP_WORK=1 keeps the work directory; SI_E2E_FLEET=0 leaves out the fleet run (its three control planes
# have fixed ports); SI_E2E_SOURCE=head tests the
# committed HEAD (git archive) instead of the working tree.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../tools/env.sh
source "$ROOT/tools/env.sh"

STACKS=("$@")
((${#STACKS[@]})) || STACKS=(dev sds)

log() { printf '[e2e %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[e2e] ERROR: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ preflight
for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random etcd kube-apiserver; do
  [[ -x "$SI_BIN/$b" ]] || die "$b is not in the tools cache $SI_BIN: run \`npm run tools\` first"
done
[[ -d "$ROOT/node_modules/@pulumi/pulumi" ]] || die "node_modules is missing: run \`npm ci --ignore-scripts\` first"
command -v kubectl >/dev/null || die "kubectl not found (apt-get install kubernetes-client)"
command -v openssl >/dev/null || die "openssl not found"

W="$SI_CACHE_ROOT/e2e/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$W/logs"
SUMMARY_FORMAT='%-8s %-9s %6ss  %s'
# shellcheck source=lib.sh
source "$ROOT/test/e2e/lib.sh"
# The commands' environment over this run's state and PULUMI_HOME (no ambient plugins or credentials).
e2e_env
# KUBECONFIG is NOT exported: @pulumi/kubernetes would take it as the provider's
# kubeconfig, which the provider refuses next to renderYamlToDirectory (the
# bad-example stack renders). kubectl gets it explicitly:
kc() { kubectl --kubeconfig "$SI_KUBECONFIG" "$@"; }

finish() {
  local rc=$?
  if [[ "${SI_E2E_KEEP_CLUSTER:-}" != 1 ]]; then bash "$ROOT/test/e2e/cluster.sh" stop >/dev/null 2>&1 || true; fi
  print_summary e2e
  [[ ! -f "$W/faults.md" ]] || { echo; echo "faults (test/e2e/faults.sh):"; cat "$W/faults.md"; }
  prune_runs "$SI_CACHE_ROOT/e2e" 5
  if ((STEP_FAILED == 0 && rc == 0)); then
    echo "e2e: all steps passed"
    [[ "${SI_E2E_KEEP_WORK:-}" == 1 ]] || rm -rf "$W/project" "$W/home"
  else
    echo "e2e: FAILED (logs in $W/logs)"
    ((rc)) || rc=1
  fi
  exit $rc
}
trap finish EXIT

# OpenSSL checks on every Secret the stack created (same spirit as npm test's).
check_certificates() { # stack
  local d="$W/certs-$1" res ns name key f bad=0 nsecrets=0 ncerts=0
  rm -rf "$d" && mkdir -p "$d"
  # 1) dump every PEM value of every Secret in the state
  while read -r res ns name; do
    [[ $res == Secret ]] || continue
    nsecrets=$((nsecrets + 1))
    kc -n "$ns" get secret "$name" -o json >"$d/$ns.$name.json"
    node -e '
      const s = require(process.argv[1]); const fs = require("fs");
      for (const [k, v] of Object.entries(s.data || {})) {
        const txt = Buffer.from(v, "base64").toString();
        if (txt.includes("-----BEGIN")) fs.writeFileSync(`${process.argv[2]}/${s.metadata.namespace}.${s.metadata.name}.${k}`, txt);
      }' "$d/$ns.$name.json" "$d"
  done <"$W/$1.objects"
  # and every certificate in the stack outputs (e.g. per-host CA chains of SIMPLE
  # hosts, which no secret carries in mounted mode)
  (cd "$W/project" && pulumi stack output --json --show-secrets --stack "$1") | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const re = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
      const seen = new Set(); let i = 0;
      for (const m of JSON.stringify(JSON.parse(s)).replace(/\\n/g, "\n").match(re) || []) {
        if (seen.has(m)) continue; seen.add(m);
        require("fs").writeFileSync(`${process.argv[1]}/output-cert-${i++}.pem`, m + "\n");
      }
    });' "$d"
  # 2) every CA certificate found (ca.crt, CA entries of Opaque secrets, outputs) forms the trust bundle
  : >"$d/bundle.pem"
  for f in "$d"/*; do
    [[ $f == *.json || $f == */bundle.pem ]] && continue
    grep -q 'BEGIN CERTIFICATE' "$f" || continue
    if openssl x509 -in "$f" -noout -text 2>/dev/null | grep -q 'CA:TRUE'; then cat "$f" >>"$d/bundle.pem"; fi
  done
  # 3) each tls.crt: parses, not expired, matches tls.key, verifies against the bundle
  for f in "$d"/*.tls.crt; do
    [[ -e $f ]] || continue
    ncerts=$((ncerts + 1))
    key="${f%.tls.crt}.tls.key"
    echo "== ${f##*/}"
    openssl x509 -in "$f" -noout -subject -issuer -dates -ext subjectAltName 2>&1 | sed 's/^/   /'
    if ! openssl x509 -in "$f" -noout -checkend 86400 >/dev/null; then echo "   EXPIRED or expiring within a day"; bad=1; fi
    if [[ -f $key ]]; then
      if [[ "$(openssl x509 -in "$f" -noout -pubkey | openssl pkey -pubin -outform der 2>/dev/null | sha256sum)" == \
            "$(openssl pkey -in "$key" -pubout -outform der 2>/dev/null | sha256sum)" ]]; then
        echo "   key matches certificate"
      else
        echo "   KEY DOES NOT MATCH CERTIFICATE"; bad=1
      fi
    fi
    if [[ -s "$d/bundle.pem" ]]; then
      # the server chain may carry intermediates after the leaf
      local out
      out="$(openssl verify -CAfile "$d/bundle.pem" -untrusted "$f" "$f" 2>&1 || true)"
      echo "   verify: ${out//$'\n'/ }"
      [[ $out == *": OK" ]] || { echo "   CHAIN DOES NOT VERIFY"; bad=1; }
    fi
  done 2>&1
  echo "$nsecrets secrets, $ncerts server certificates checked, CA bundle: $(grep -c 'BEGIN CERTIFICATE' "$d/bundle.pem") certificate(s)"
  ((ncerts > 0)) || { echo "no tls.crt found in the stack's secrets"; return 1; }
  ((bad == 0))
}

P() { (cd "$W/project" && pulumi --non-interactive "$@"); }

# One more host: only additions and in-place updates, and the gateway
# Deployment's pod template changes in mounted mode only.
add_host_and_check() { # stack
  local s=$1 n mode
  n="$(P config get --stack "$s" secure-ingress:hosts | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).length))')"
  mode="$(P config get --stack "$s" --path secure-ingress:gateway.secretDelivery 2>/dev/null || echo mounted)"
  echo "adding host #$n (e2e-extra.example.com) to $s ($mode mode)"
  P config set --stack "$s" --path "secure-ingress:hosts[$n].name" e2eextra
  P config set --stack "$s" --path "secure-ingress:hosts[$n].host" e2e-extra.example.com
  P config set --stack "$s" --path "secure-ingress:hosts[$n].tls" SIMPLE
  P config set --stack "$s" --path "secure-ingress:hosts[$n].routes[0].match[0].prefix" /headers
  P config set --stack "$s" --path "secure-ingress:hosts[$n].routes[0].destination.host" httpbin
  P config set --stack "$s" --path "secure-ingress:hosts[$n].routes[0].destination.port" 8000
  P preview --stack "$s" --json >"$W/$s.preview-extra-host.json"
  node -e '
    const p = require(process.argv[1]); const mode = process.argv[2];
    const steps = (p.steps || []).filter(st => st.op !== "same");
    let bad = 0, deploymentUpdated = false;
    for (const st of steps) {
      const type = (st.newState || st.oldState || {}).type || "";
      const name = st.urn.split("::").pop();
      const keys = (st.diffReasons || []).join(",");
      console.log(`${st.op.padEnd(8)} ${type} ${name}${keys ? "  [" + keys + "]" : ""}`);
      if (["delete", "replace", "create-replacement", "delete-replaced"].includes(st.op)) { bad++; console.log("   ^ not an addition or in-place update"); }
      if (type === "kubernetes:apps/v1:Deployment" && st.op === "update") deploymentUpdated = true;
    }
    console.log(`${steps.length} changes; gateway Deployment updated: ${deploymentUpdated}`);
    if (mode === "mounted" && !deploymentUpdated) { console.log("mounted mode: the pod template must change (new secret volume)"); bad++; }
    if (mode !== "mounted" && deploymentUpdated) { console.log(mode + " mode: the Deployment must not change"); bad++; }
    process.exit(bad ? 1 : 0);
  ' "$W/$s.preview-extra-host.json" "$mode"
  P up --yes --stack "$s"
}

run_stack() { # stack
  local s=$1
  [[ -f "$W/project/Pulumi.$s.yaml" ]] || { log "$s: no Pulumi.$s.yaml"; record "$s" config 0 "FAILED (no Pulumi.$s.yaml)"; STEP_FAILED=1; return; }
  step "$s" config bash -c "cd '$W/project' && pulumi stack init '$s' --secrets-provider passphrase --non-interactive &&
    pulumi config set --stack '$s' --path secure-ingress:kubernetes.kubeconfig '$SI_KUBECONFIG' &&
    pulumi config set --stack '$s' --path secure-ingress:kubernetes.skipAwait true &&
    pulumi config --stack '$s'" || return 0
  if step "$s" up P up --yes --stack "$s"; then
    step "$s" objects check_objects_exist "$s" || true
    step "$s" openssl check_certificates "$s" || true
    step "$s" noop P up --yes --expect-no-changes --stack "$s" || true
    step "$s" policy P preview --policy-pack policy --stack "$s" || true
    step "$s" host+1 add_host_and_check "$s" || true
    state_objects "$s" >"$W/$s.objects" 2>/dev/null || true
  else
    state_objects "$s" >"$W/$s.objects" 2>/dev/null || true
  fi
  step "$s" destroy timeout "${SI_E2E_DESTROY_TIMEOUT:-300}" bash -c "cd '$W/project' && pulumi --non-interactive destroy --yes --stack '$s'" || true
  [[ -s "$W/$s.objects" ]] && { step "$s" gone check_objects_gone "$s" || true; }
  P stack rm --yes --force --stack "$s" >/dev/null 2>&1 || true
}

# A stack the policy pack must refuse: preview (rendering, no cluster) must fail
# with policy violations.
run_bad_example() {
  local s=bad-example
  [[ -f "$W/project/Pulumi.$s.yaml" ]] || return 0
  (cd "$W/project" && pulumi stack init "$s" --secrets-provider passphrase --non-interactive) >/dev/null 2>&1 || true
  refused() {
    local rc=0 out
    out="$(P preview --policy-pack policy --stack "$s" 2>&1)" || rc=$?
    echo "$out"
    if ((rc == 0)); then echo "the policy pack did NOT refuse $s"; return 1; fi
    if ! grep -q '\[mandatory\]' <<<"$out"; then echo "preview failed (exit $rc), but not with a mandatory policy violation"; return 1; fi
    echo "preview exited $rc with $(grep -c '\[mandatory\]' <<<"$out") mandatory violation(s): refused, as it must be"
  }
  step "$s" policy refused || true
  P stack rm --yes --force --stack "$s" >/dev/null 2>&1 || true
}

log "work dir: $W (tools: $SI_BIN)"
log "pulumi $(pulumi version), kubernetes provider $SI_NPM_KUBERNETES_VERSION, stacks: ${STACKS[*]}"
step all copy copy_project "$W/project" || exit 1
step all cluster bash "$ROOT/test/e2e/cluster.sh" start --fresh || exit 1
# The Gateway API CRDs (a gateway-api stack needs them), and its objects against their schemas and CEL rules.
step all "gateway-api apiserver" bash "$ROOT/test/e2e/analyze/apiserver.sh" "$SI_KUBECONFIG" "$W/apiserver" || true
for s in "${STACKS[@]}"; do run_stack "$s"; done
run_bad_example
# The library from TypeScript, YAML and Python on this control plane (test/e2e/library/run.sh).
step all library bash "$ROOT/test/e2e/library/run.sh" || true
# Every pulumi command above ran with the providers linked as installed plugins, none taken from PATH.
step all plugins no_path_plugin_warnings "$W"/logs/*.log || true
# Faults on the same control plane: SIGKILL mid-up, API server stopped, drift, two ups, renewal (test/e2e/faults.sh).
export SI_FAULTS_TABLE="$W/faults.md"
step all faults bash "$ROOT/test/e2e/faults.sh" || true
# The fleet command over three further control planes of its own (test/e2e/fleet/run.sh).
if [[ "${SI_E2E_FLEET:-1}" != 0 ]]; then step all fleet bash "$ROOT/test/e2e/fleet/run.sh" || true; fi
# Istio's analyzers over every shipped stack's objects and the pack's analyzer-derived fixtures (test/e2e/analyze/run.sh).
step all "istioctl analyze" bash "$ROOT/test/e2e/analyze/run.sh" "$W/analyze" || true
