#!/usr/bin/env bash
# npm run e2e:gateway [-- STACK...]      (default: dev sds gateway-api; NOT part of npm test)
#   STACK: a Pulumi.<stack>.yaml of the repository or of test/fixtures/stacks (no-redirect, external-jwt: an
#   external issuer whose key pair the run makes, its JWKS set as jwt.jwks, its token in $TOKEN).
#
# The task's curl commands against a real istiod and a real Envoy gateway,
# configured by nothing but what `pulumi up` created:
#
#   cluster   etcd + kube-apiserver (test/e2e/cluster.sh) in a cluster directory
#             of its own (<cache>/gateway-e2e/cluster, ports 16543/23890), so it
#             never wipes the cluster of `npm run e2e`
#   backends  network namespace si-gw-be (veth 198.18.77.1 <-> 198.18.77.2,
#             RFC 2544 test range, never leaves the machine): PyPI httpbin on
#             198.18.77.2:80 and the productpage stand-in on :9080; EndpointSlices
#             (no kubelet: Endpoints must be written by hand, and they refuse
#             127.0.0.0/8) point the program's httpbin/productpage Services there
#   istiod    pilot-discovery against the cluster, webhooks off, mesh config
#             telemetry off (README.md: what upstream Envoy needs)
#   per stack pulumi up (kubeconfig + skipAwait set on a copy of the project);
#             the gateway: pilot-agent proxy router + upstream Envoy with the
#             identity of the Deployment the program created (istio-system,
#             SA istio-ingressgateway, its pod labels), a TokenRequest token
#             (audience istio-ca) and istiod's root cert; for `mounted` its
#             Secret volumes are written to their mountPaths (/etc/istio/...)
#             inside a private mount namespace of the gateway only;
#             npm run certs; every testCommands entry and the plain-HTTP answers
#             the stack's config promises, run with real curl and judged by the
#             checker of the live listener suite (test/e2e/check-commands.ts);
#             for an SDS stack, rotation: replace the first answering host's
#             server certificate with `pulumi up --replace` and see the new
#             serial through the same, never restarted, gateway; then renewal by time: the
#             leaves' validityEndTime in the state moved to now + 30 min (shift_leaf_expiry),
#             a plain `pulumi up` renews every leaf and no CA or key, and the gateway serves
#             the new serial under the same probe;
#             a fresh control plane per stack (see run_stack: no destroy).
#   gateway-api a `target: gateway-api` stack (gatewayapi.sh): the Gateway API CRDs, istiod with
#             its Gateway API controllers and deployment controller on, the gateway with the
#             identity of the Deployment istiod generated, its Accepted/Programmed status.
#   cert-manager (npm run e2e:cert-manager) also: cert-manager's CRDs and real
#             controllers (test/e2e/certmanager/e2e.sh) before pulumi up; the
#             Certificates Ready, their Secrets verified against the stack's root,
#             served by Envoy through istiod; renewal forced as `cmctl renew`
#             does, through the same gateway, under the rotation probe.
#
# Needs: `npm run tools` (pulumi, providers, etcd, kube-apiserver) and
# `bash test/e2e/gateway/build.sh` (pilot-discovery, pilot-agent, envoy, httpbin).
# Root (network namespace, mount namespace, ports 80/443).
# Env: SI_GW_KEEP=1 leaves everything running (prints how to stop it).
# Output: one line per assertion, a timed summary, "N passed, N failed".
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
# shellcheck source=../../../tools/env.sh
source "$ROOT/tools/env.sh"
# shellcheck source=versions.env
source "$HERE/versions.env"

STACKS=("$@")
((${#STACKS[@]})) || STACKS=(dev sds gateway-api)

IB="$SI_BIN/istio"
GW_ROOT="$SI_CACHE_ROOT/gateway-e2e"
API_PORT="${SI_GW_APISERVER_PORT:-16543}"
ETCD_PORT="${SI_GW_ETCD_PORT:-23890}"
KCFG="$GW_ROOT/cluster/kubeconfig"
NS_BE=si-gw-be
BE_HOST_IP=198.18.77.1
BE_IP=198.18.77.2
ISTIOD_HTTP=127.0.0.1:18080
export INGRESS_HOST=127.0.0.1 INGRESS_PORT=80 SECURE_INGRESS_PORT=443

log() { printf '[e2e:gateway %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[e2e:gateway] ERROR: %s\n' "$*" >&2; exit 1; }
K() { kubectl --kubeconfig "$KCFG" "$@"; }

# ------------------------------------------------------------------ preflight
((EUID == 0)) || die "run as root (network and mount namespaces, ports 80/443)"
missing=()
for b in pulumi pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random etcd kube-apiserver; do
  [[ -x "$SI_BIN/$b" ]] || missing+=("$b")
done
((${#missing[@]} == 0)) || die "not in the tools cache $SI_BIN: ${missing[*]}: run \`npm run tools\` first"
missing=()
for b in pilot-discovery pilot-agent envoy httpbin share/envoy_bootstrap.json; do [[ -e "$IB/$b" ]] || missing+=("$b"); done
((${#missing[@]} == 0)) || die "not in $IB: ${missing[*]}: run \`bash test/e2e/gateway/build.sh\` first"
[[ -d "$ROOT/node_modules/@pulumi/pulumi" ]] || die "node_modules is missing: run \`npm ci --ignore-scripts\` first"
for c in kubectl curl openssl jq ip unshare; do command -v "$c" >/dev/null || die "$c not found"; done

mkdir -p "$GW_ROOT"
ln -sfn "$SI_TOOLS_DIR" "$GW_ROOT/$SI_TOOLS_KEY" # cluster.sh finds the tools under its own cache root
W="$GW_ROOT/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$W/logs"
SUMMARY_FORMAT='%-6s %-26s %7ss  %s'
# shellcheck source=../lib.sh
source "$ROOT/test/e2e/lib.sh"
# The commands' environment over this run's state and PULUMI_HOME (the CLI finds the cached providers as plugins).
e2e_env
export KUBECONFIG="$KCFG"
TS=(node -r ts-node/register/transpile-only)

# SI_GW_CLUSTER_SH: another cluster script (default: test/e2e/cluster.sh). Its directory is set here: tools/env.sh
# exports SI_CLUSTER_DIR, which would otherwise put this control plane in the default one.
cluster() { SECURE_INGRESS_CACHE="$GW_ROOT" SI_CLUSTER_DIR="$GW_ROOT/cluster" SI_APISERVER_PORT="$API_PORT" SI_ETCD_PORT="$ETCD_PORT" bash "${SI_GW_CLUSTER_SH:-$ROOT/test/e2e/cluster.sh}" "$@"; }

# ------------------------------------------------------------------ bookkeeping
PASSED=0
FAILED=0
# shellcheck source=gatewayapi.sh
source "$HERE/gatewayapi.sh"
# shellcheck source=../certmanager/e2e.sh
source "$ROOT/test/e2e/certmanager/e2e.sh"
# Keep the work directories (logs, certs, stack state) of the last 5 runs, this one included.
prune_runs "$GW_ROOT" 5

check() { # ok|fail DESCRIPTION
  if [[ $1 == ok ]]; then PASSED=$((PASSED + 1)); echo "PASS  $2"; else FAILED=$((FAILED + 1)); echo "FAIL  $2"; fi
}

PIDS_FILE="$W/pids"
: >"$PIDS_FILE"
spawn() { # name cmd... (setsid, log to $W/logs/name.out)
  local name=$1
  shift
  setsid nohup "$@" >"$W/logs/$name.out" 2>&1 </dev/null &
  echo "$name $!" >>"$PIDS_FILE"
  echo $!
}
stop_named() { # name: SIGTERM its process group, then SIGKILL
  local name=$1 pid i
  pid="$(awk -v n="$name" '$1 == n { p = $2 } END { print p }' "$PIDS_FILE")"
  [[ -n "$pid" ]] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  awk -v n="$name" '$1 != n' "$PIDS_FILE" >"$PIDS_FILE.tmp" && mv "$PIDS_FILE.tmp" "$PIDS_FILE"
}

cleanup() {
  local rc=$?
  if [[ "${SI_GW_KEEP:-}" == 1 ]]; then
    log "SI_GW_KEEP=1: left running (pids in $PIDS_FILE); stop with: bash $HERE/stop.sh $W"
  else
    while read -r name _; do stop_named "$name"; done < <(tac "$PIDS_FILE")
    ip netns del "$NS_BE" 2>/dev/null || true
    ip link del si-gw-h 2>/dev/null || true
    cluster stop >/dev/null 2>&1 || true
  fi
  echo
  echo "==================== e2e:gateway summary (work dir: $W) ===================="
  printf '%s\n' "${SUMMARY[@]+"${SUMMARY[@]}"}"
  echo "assertions: $PASSED passed, $FAILED failed (details above and in $W/logs)"
  if ((FAILED == 0 && STEP_FAILED == 0 && rc == 0 && PASSED > 0)); then
    echo "e2e:gateway: all steps passed"
  else
    echo "e2e:gateway: FAILED"
    ((rc)) || rc=1
  fi
  echo "$PASSED passed, $FAILED failed"
  exit $rc
}
trap cleanup EXIT

# ------------------------------------------------------------------ pieces
# The project, and the stacks of test/fixtures/stacks a run names (beyond the shipped ones).
project() {
  copy_project "$W/project"
  local s
  for s in "${STACKS[@]}"; do
    if [[ ! -f "$W/project/Pulumi.$s.yaml" && -f "$ROOT/test/fixtures/stacks/Pulumi.$s.yaml" ]]; then
      cp "$ROOT/test/fixtures/stacks/Pulumi.$s.yaml" "$W/project/"
      echo "stack $s from test/fixtures/stacks"
    fi
  done
}

start_backends() {
  ip netns del "$NS_BE" 2>/dev/null || true
  ip link del si-gw-h 2>/dev/null || true
  ip netns add "$NS_BE"
  ip link add si-gw-h type veth peer name si-gw-b
  ip link set si-gw-b netns "$NS_BE"
  ip addr add "$BE_HOST_IP/30" dev si-gw-h
  ip link set si-gw-h up
  ip netns exec "$NS_BE" ip link set lo up
  ip netns exec "$NS_BE" ip addr add "$BE_IP/30" dev si-gw-b
  ip netns exec "$NS_BE" ip link set si-gw-b up
  spawn httpbin ip netns exec "$NS_BE" "$IB/httpbin" "$BE_IP" 80 >/dev/null
  spawn productpage ip netns exec "$NS_BE" python3 "$HERE/productpage.py" "$BE_IP" 9080 >/dev/null
  local i
  for i in $(seq 1 60); do
    if curl -fsS -o /dev/null "http://$BE_IP:80/status/200" 2>/dev/null && curl -fsS -o /dev/null "http://$BE_IP:9080/productpage" 2>/dev/null; then
      echo "httpbin http://$BE_IP:80 and productpage http://$BE_IP:9080 answer (netns $NS_BE)"
      curl -sS "http://$BE_IP:80/status/418"
      return 0
    fi
    sleep 0.5
  done
  cat "$W/logs/httpbin.out" "$W/logs/productpage.out"
  return 1
}

# EndpointSlices for the program's backend Services (selector app=<name>; no pods here).
endpointslice() { # SERVICE PORT
  cat <<EOF
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: $1-e2e-gateway
  namespace: default
  labels: {kubernetes.io/service-name: $1, endpointslice.kubernetes.io/managed-by: secure-ingress-e2e}
addressType: IPv4
endpoints:
- addresses: ["$BE_IP"]
  conditions: {ready: true}
ports:
- {name: http, port: $2, protocol: TCP}
EOF
}

write_endpointslices() {
  { endpointslice httpbin 80; endpointslice productpage 9080; } | K apply -f -
}

start_istiod() {
  mkdir -p "$W/istiod"
  cp "$HERE/mesh.yaml" "$W/istiod/mesh"
  # Env: see README.md. Webhook patching off (no webhook configs exist, istiod
  # is unreachable from the apiserver anyway); telemetry off for upstream Envoy.
  spawn istiod env -C "$W/istiod" \
    POD_NAME=istiod-local POD_NAMESPACE=istio-system REVISION=default \
    VALIDATION_WEBHOOK_CONFIG_NAME= INJECTION_WEBHOOK_CONFIG_NAME= \
    ISTIOD_CUSTOM_HOST=localhost \
    PILOT_ENABLE_GATEWAY_API="$GATEWAY_API" PILOT_ENABLE_GATEWAY_API_STATUS="$GATEWAY_API" \
    PILOT_ENABLE_GATEWAY_API_DEPLOYMENT_CONTROLLER="$GATEWAY_API" \
    ENABLE_CA_SERVER=true \
    PILOT_ENABLE_METADATA_EXCHANGE=false PILOT_ENABLE_ALPN_FILTER=false \
    "$IB/pilot-discovery" discovery --kubeconfig "$KCFG" --meshConfig "$W/istiod/mesh" \
    --networksConfig "$W/istiod/meshNetworks-absent" --clusterID Kubernetes \
    --httpAddr "$ISTIOD_HTTP" --httpsAddr 127.0.0.1:15017 --grpcAddr 127.0.0.1:15010 \
    --secureGRPCAddr 127.0.0.1:15012 --monitoringAddr 127.0.0.1:15014 \
    --log_output_level "default:info" >/dev/null
  local i
  for i in $(seq 1 240); do
    if curl -fsS -o /dev/null "http://$ISTIOD_HTTP/ready" 2>/dev/null &&
      K -n istio-system get configmap istio-ca-root-cert >/dev/null 2>&1; then
      echo "istiod ready after ${i}x0.5s; root cert published in istio-system/istio-ca-root-cert"
      return 0
    fi
    awk '$1 == "istiod" {print $2}' "$PIDS_FILE" | xargs -r kill -0 2>/dev/null || { tail -n 40 "$W/logs/istiod.out"; echo "istiod exited"; return 1; }
    sleep 0.5
  done
  tail -n 40 "$W/logs/istiod.out"
  return 1
}

P() { (cd "$W/project" && pulumi --non-interactive "$@"); }

stack_config() { # stack
  local s=$1
  (cd "$W/project" && pulumi stack init "$s" --secrets-provider passphrase --non-interactive)
  P config set --stack "$s" --path secure-ingress:kubernetes.kubeconfig "$KCFG"
  P config set --stack "$s" --path secure-ingress:kubernetes.skipAwait true
  # A stack that expects an external issuer's keys gets a key pair made here (test/support/issuer.ts).
  local jwks
  mkdir -p "$W/issuer-$s"
  jwks="$(cd "$ROOT" && "${TS[@]}" test/e2e/issuer.ts jwks --project "$W/project" --stack "$s" --keys "$W/issuer-$s")"
  if [[ -n "$jwks" ]]; then
    P config set --stack "$s" --path secure-ingress:jwt.jwks "$jwks"
    echo "external issuer: a fresh RS256 key, its JWKS set as secure-ingress:jwt.jwks"
  fi
  P config --stack "$s"
}

# The gateway workload the program (or, for the Gateway API, istiod) created: namespace, service account, pod labels, volumes.
GW_NS=istio-system
GW_NAME=istio-ingressgateway
GATEWAY_API=false
gateway_identity() {
  K -n "$GW_NS" get deployment "$GW_NAME" -o json >"$W/gw-deployment.json"
  jq -e '.spec.template.spec.serviceAccountName' "$W/gw-deployment.json" >/dev/null
}

# Kubelet stand-in: each Secret volume of the istio-proxy container, written at its mountPath under $1.
materialize_mounts() { # root
  local root=$1 n=0 vol mp secret key
  rm -rf "$root" && mkdir -p "$root"
  while IFS=$'\t' read -r vol mp; do
    secret="$(jq -r --arg v "$vol" '.spec.template.spec.volumes[] | select(.name == $v) | .secret.secretName // empty' "$W/gw-deployment.json")"
    [[ -n "$secret" ]] || continue
    [[ "$mp" == /etc/istio/* ]] || { echo "mountPath $mp is outside /etc/istio: not supported by this kubelet stand-in"; return 1; }
    mkdir -p "$root$mp"
    if K -n "$GW_NS" get secret "$secret" -o json >"$W/secret.json" 2>/dev/null; then
      for key in $(jq -r '.data | keys[]' "$W/secret.json"); do
        jq -r --arg k "$key" '.data[$k]' "$W/secret.json" | base64 -d >"$root$mp/$key"
        chmod 600 "$root$mp/$key"
      done
      echo "mounted secret $GW_NS/$secret at $mp: $(jq -r '.data | keys | join(" ")' "$W/secret.json")"
      n=$((n + 1))
    else
      echo "secret $GW_NS/$secret of volume $vol is absent (optional: empty directory at $mp)"
    fi
  done < <(jq -r '.spec.template.spec.containers[] | select(.name == "istio-proxy") | .volumeMounts[]? | [.name, .mountPath] | @tsv' "$W/gw-deployment.json")
  rm -f "$W/secret.json"
  echo "$n secret volume(s) written under $root"
}

start_gateway() { # stack
  local s=$1 g="$W/gw-$1" sa labels pid i
  gateway_identity
  sa="$(jq -r '.spec.template.spec.serviceAccountName' "$W/gw-deployment.json")"
  labels="$(jq -c '.spec.template.metadata.labels' "$W/gw-deployment.json")"
  echo "gateway identity: namespace $GW_NS, service account $sa, labels $labels"
  rm -rf "$g" && mkdir -p "$g/var/run/secrets/tokens" "$g/var/run/secrets/istio" "$g/etc/istio/proxy" "$g/etc/istio/pod"
  materialize_mounts "$g/mnt"
  mkdir -p "$g/mnt/etc/istio"
  # The projected token a pod gets: TokenRequest, audience istio-ca.
  K -n "$GW_NS" create token "$sa" --audience istio-ca --duration 6h >"$g/var/run/secrets/tokens/istio-token"
  K -n istio-system get configmap istio-ca-root-cert -o jsonpath='{.data.root-cert\.pem}' >"$g/var/run/secrets/istio/root-cert.pem"
  jq -r 'to_entries[] | "\(.key)=\"\(.value)\""' <<<"$labels" >"$g/etc/istio/pod/labels"
  [[ -d /etc/istio ]] || { mkdir -p /etc/istio && echo "created the empty mount point /etc/istio on this machine"; }
  local proxy_config
  proxy_config="$(jq -nc --arg bin "$IB/envoy" --arg tmpl "$IB/share/envoy_bootstrap.json" --arg cfg "$g/etc/istio/proxy" '{
    discoveryAddress: "127.0.0.1:15012", binaryPath: $bin, proxyBootstrapTemplatePath: $tmpl, configPath: $cfg,
    statusPort: 15020, drainDuration: "1s", terminationDrainDuration: "1s", concurrency: 1,
    proxyMetadata: {}, tracing: null}')"
  # A private mount namespace: /etc/istio of this process tree only is the kubelet stand-in's directory.
  pid="$(spawn "gateway-$s" env -C "$g" \
    POD_NAME="$GW_NAME-local" POD_NAMESPACE="$GW_NS" INSTANCE_IP=127.0.0.1 SERVICE_ACCOUNT="$sa" \
    ISTIO_META_CLUSTER_ID=Kubernetes ISTIO_META_WORKLOAD_NAME="$GW_NAME" \
    ISTIO_META_OWNER="kubernetes://apis/apps/v1/namespaces/$GW_NS/deployments/$GW_NAME" \
    ISTIO_METAJSON_LABELS="$labels" ISTIOD_SAN=istiod.istio-system.svc \
    PROXY_CONFIG="$proxy_config" \
    unshare --mount --propagation private -- sh -c 'mount --bind "$0" /etc/istio && exec "$@"' "$g/mnt/etc/istio" \
    "$IB/pilot-agent" proxy router --domain "$GW_NS.svc.cluster.local" --proxyLogLevel warning --log_output_level default:info)"
  echo "gateway pid $pid (pilot-agent -> envoy); log $W/logs/gateway-$s.out"
  echo "$pid" >"$W/gateway-$s.pid"
  # Ready = the :443 listener is active (not warming: its SDS secrets arrived) and accepts connections.
  for i in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:15000/config_dump?resource=dynamic_listeners" 2>/dev/null >"$W/listeners.json" &&
      jq -e '[.configs[] | select(.active_state.listener.address.socket_address.port_value == 443)] | length > 0' "$W/listeners.json" >/dev/null &&
      jq -e '[.configs[] | select(.warming_state != null)] | length == 0' "$W/listeners.json" >/dev/null &&
      (exec 3<>"/dev/tcp/127.0.0.1/443") 2>/dev/null; then
      echo "envoy listeners active after ${i}x0.5s:"
      curl -fsS "http://127.0.0.1:15000/listeners"
      curl -fsS "http://127.0.0.1:15000/config_dump?resource=dynamic_active_secrets" | jq -r '"active secret: " + .configs[].name'
      curl -fsS "http://127.0.0.1:15000/config_dump?resource=dynamic_listeners" |
        jq -r '[.. | .http_filters? // empty | .[].name] | unique | "HTTP filters on the gateway listeners: " + join(", ")'
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 60 "$W/logs/gateway-$s.out"; echo "gateway exited"; return 1; }
    sleep 0.5
  done
  echo "no active :443 listener after 60 s; envoy listeners: $(curl -fsS http://127.0.0.1:15000/listeners 2>&1)"
  jq -c '.configs[] | {name, warming: (.warming_state != null), active: (.active_state != null)}' "$W/listeners.json" 2>/dev/null || true
  curl -fsS "http://127.0.0.1:15000/config_dump?resource=dynamic_warming_secrets" 2>/dev/null | jq -c '.configs[]?' || true
  tail -n 60 "$W/logs/gateway-$s.out"
  return 1
}

# Envoy rejections (NACKs) and warnings about unknown extensions, for the README's list.
gateway_nacks() { # stack
  grep -E 'rejected|Didn.t find a registered|NACK|\terror\t' "$W/logs/gateway-$1.out" | cut -c1-400 | sort | uniq -c | sort -rn | head -n 30 || true
}

write_certs() { # stack
  rm -rf "$W/certs-$1"
  local from=()
  [[ "$1" == cert-manager ]] && from=(--from-cluster) # what cert-manager issued, read back with kubectl
  (cd "$W/project" && npm run --silent certs -- --stack "$1" --out "$W/certs-$1" "${from[@]}")
  find "$W/certs-$1" -type f | sort
}

# The stack's token: the self-issued one of its outputs, or one signed by the external issuer's key made for it.
stack_token() { # stack
  if [[ -f "$W/issuer-$1/issuer-key.jwk.json" ]]; then
    (cd "$ROOT" && "${TS[@]}" test/e2e/issuer.ts token --project "$W/project" --stack "$1" --keys "$W/issuer-$1")
  else
    jq -r '.jwtToken // empty' "$W/outputs-$1.json"
  fi
}

# check_commands STACK LABEL [--host HOST]: every testCommands entry (and the plain-HTTP answers the config
# promises) run with real curl and judged by the checker the live listener suite uses (test/e2e/check-commands.ts).
check_commands() {
  local s=$1 label=$2 rc=0 out="$W/check-$2.out"
  shift 2
  (cd "$ROOT" && "${TS[@]}" test/e2e/check-commands.ts --project "$W/project" --stack "$s" --outputs "$W/outputs-$s.json" \
    --cwd "$CERTS" --label "$label" "$@") >"$out" 2>&1 || rc=$?
  cat "$out"
  PASSED=$((PASSED + $(grep -c '^PASS  ' "$out" || true)))
  FAILED=$((FAILED + $(grep -c '^FAIL  ' "$out" || true)))
  if ((rc != 0)) && ! grep -q '^FAIL  ' "$out"; then check fail "$label: the checker exited $rc"; fi
  return $rc
}

run_test_commands() { # stack
  local s=$1 n h0 f0=$FAILED
  CERTS="$W/certs-$s"
  P stack output --json --show-secrets --stack "$s" >"$W/outputs-$s.json"
  jq '.testCommands // []' "$W/outputs-$s.json" >"$W/testCommands-$s.json"
  TOKEN="$(stack_token "$s")"
  if [[ -n "$TOKEN" ]]; then export TOKEN; else unset TOKEN; fi
  n="$(jq length "$W/testCommands-$s.json")"
  echo "$n test commands in the stack outputs; INGRESS_HOST=$INGRESS_HOST SECURE_INGRESS_PORT=$SECURE_INGRESS_PORT INGRESS_PORT=$INGRESS_PORT"
  ((n > 0)) || { check fail "$s: no testCommands in the stack outputs"; return 1; }
  check_commands "$s" "$s" || true
  h0="$(jq -r '.[0].host' "$W/testCommands-$s.json")"
  # No SNI: the task's "SNI Routing" caveat (servers with hosts other than * match on SNI).
  local rc=0
  curl -s -o /dev/null --max-time 5 -k "https://$INGRESS_HOST:$SECURE_INGRESS_PORT/" -HHost:"$h0" || rc=$?
  echo "---- no SNI: curl -k -HHost:$h0 https://$INGRESS_HOST:$SECURE_INGRESS_PORT/ -> curl exit $rc"
  if ((rc == 35 || rc == 56)); then check ok "$s no-SNI handshake refused (curl exit $rc)"; else check fail "$s no-SNI: curl exit $rc, expected a TLS failure (35/56)"; fi
  # What the gateway itself answers to a MUTUAL handshake without a client certificate.
  local h out
  for h in $(jq -r '.[] | select(.id | endswith("-mutual-without-client-cert")) | .host' "$W/testCommands-$s.json"); do
    # stdin stays open 1 s: the TLS 1.3 alert comes after the handshake, s_client must still read.
    out="$(sleep 1 | openssl s_client -connect "$INGRESS_HOST:$SECURE_INGRESS_PORT" -servername "$h" -CAfile "$CERTS/$h/2_intermediate/certs/ca-chain.cert.pem" \
      2>&1 | grep -ioE 'tlsv1[0-9]? alert [a-z ]+|alert number [0-9]+|Verification: [A-Za-z]+' | head -n 3 | tr '\n' ';')"
    echo "---- openssl s_client -servername $h (no client certificate): $out"
    if grep -qi 'alert certificate required\|alert handshake failure' <<<"$out"; then
      check ok "$s $h: the gateway refuses a handshake without client certificate ($(grep -ioE 'tlsv1[0-9]? alert [a-z ]+' <<<"$out" | head -n1))"
    else
      check fail "$s $h: no TLS alert from the gateway without client certificate"
    fi
  done
  ((FAILED == f0))
}

# The stack's troubleshooting commands, as printed, against this control plane and istiod. Those that need a gateway
# pod (this gateway is a local process, no kubelet runs pods) are listed as not run; every other one must exit 0
# with output, and a certificate's must show its subject with a CN.
run_troubleshooting() { # stack
  local s=$1 n i cmd out rc ran=0 skipped=0 f0=$FAILED
  n="$(jq '.troubleshooting | length' "$W/outputs-$s.json")"
  ((n > 0)) || { check fail "$s: no troubleshooting commands in the stack outputs"; return 1; }
  for ((i = 0; i < n; i++)); do
    cmd="$(jq -r ".troubleshooting[$i]" "$W/outputs-$s.json")"
    if grep -qE 'get pods|kubectl (exec|logs|delete)|istioctl proxy-config' <<<"$cmd"; then
      echo "---- not run (needs a gateway pod): $cmd"
      skipped=$((skipped + 1))
      continue
    fi
    rc=0
    out="$(PATH="$IB:$PATH" bash -o pipefail -c "$cmd" 2>&1)" || rc=$?
    echo "---- $cmd -> exit $rc"
    sed 's/^/    /' <<<"$out" | head -n 8
    ran=$((ran + 1))
    if ((rc != 0)) || [[ -z "$out" ]]; then
      check fail "$s troubleshooting [$i]: exit $rc${out:+, }${out:-, no output}"
      continue
    fi
    if [[ "$cmd" == *"openssl x509"* ]] && ! grep -qE 'Subject:.*CN ?= ?[a-z0-9*.-]+' <<<"$out"; then
      check fail "$s troubleshooting [$i]: no certificate subject with a CN in the output"
      continue
    fi
    check ok "$s troubleshooting [$i]: exit 0 (${cmd:0:60}...)"
  done
  echo "$ran troubleshooting commands run, $skipped need a gateway pod"
  ((ran > 0 && FAILED == f0))
}

served_serial() { # host
  curl -s -o /dev/null --max-time 5 --resolve "$1:$SECURE_INGRESS_PORT:$INGRESS_HOST" --cacert "$CERTS/$1/2_intermediate/certs/ca-chain.cert.pem" \
    -w '%{certs}' "https://$1:$SECURE_INGRESS_PORT/" 2>/dev/null | sed -n 's/^Serial Number: *//p' | head -n1 | tr -d ':' | tr a-f A-F
}
served_serial_openssl() { # host
  openssl s_client -connect "$INGRESS_HOST:$SECURE_INGRESS_PORT" -servername "$1" </dev/null 2>/dev/null | openssl x509 -noout -serial 2>/dev/null | cut -d= -f2
}

# rotate's default trigger: a new @pulumi/tls server certificate for the host of that name.
replace_server_cert() { # stack host name
  local urn
  urn="$(P stack --show-urns --stack "$1" | grep -oE 'urn:pulumi:[^ ]*tls:index/locallySignedCert:LocallySignedCert::[^ ]*'"$3"'-server[^ ]*' | head -n1)"
  [[ -n "$urn" ]] || { P stack --show-urns --stack "$1" | grep -i locallySigned; echo "no server certificate URN for $3"; return 1; }
  echo "pulumi up --replace $urn"
  P up --yes --stack "$1" --replace "$urn"
}

# rotate's trigger for renewal by time: the tls provider's clock moved past every leaf's notAfter - earlyRenewalHours
# (shift_leaf_expiry: validityEndTime in the state set to now + 30 min), then a plain `pulumi up`, as a schedule
# would run it. Only the server and client certificates may change: the CA and every key keep their material.
renew_by_time() { # stack host name
  local ca_changed leaf_total leaf_same
  state_material "$1" >"$W/renewal-$1-before.material" || return 1
  shift_leaf_expiry "$1" 30 || return 1
  echo "pulumi up (leaves' validityEndTime moved to now + 30 min in the state)"
  P up --yes --stack "$1" || return 1
  state_material "$1" >"$W/renewal-$1-after.material" || return 1
  read -r ca_changed leaf_total leaf_same < <(renewal_changes "$W/renewal-$1-before.material" "$W/renewal-$1-after.material")
  echo "CA certificates and keys with other material: $ca_changed; leaf certificates: $leaf_total, unchanged: $leaf_same"
  if ((ca_changed == 0 && leaf_total > 0 && leaf_same == 0)); then
    check ok "$1 renewal by time: all $leaf_total leaf certificates renewed, CA and keys unchanged"
  else
    check fail "$1 renewal by time: $ca_changed CA certificates or keys changed, $leaf_same of $leaf_total leaves kept their serial"
  fi
}

rotate() { # stack [trigger, default replace_server_cert; called with stack, host, host name] [label, default rotation]
  local s=$1 trigger=${2:-replace_server_cert} label=${3:-rotation} host name cmd before after before_o after_o pid i f0=$FAILED
  CERTS="$W/certs-$s"
  # The first host whose command expects an answer (not a refused handshake): its server certificate is replaced.
  cmd="$(jq -c '[.[] | select(.expect.status != null and (.id | test("-jwt-") | not))][0]' "$W/testCommands-$s.json")"
  host="$(jq -r .host <<<"$cmd")"
  name="$(jq -r .id <<<"$cmd" | sed -E 's/-(simple|optional-mutual-without-client-cert|mutual-with-client-cert)$//')"
  pid="$(cat "$W/gateway-$s.pid")"
  before_o="$(served_serial_openssl "$host")"
  before="$(served_serial "$host" || true)"
  echo "before: $host ($name) served serial (openssl s_client) $before_o, (curl %{certs}) ${before:-n/a}; gateway pid $pid"
  # While the certificate is renewed: the host's printed command every 0.1 s (at most 600 times, loopback only),
  # its status only, to see whether the gateway ever fails to serve the host.
  local probe_cmd
  probe_cmd="$(jq -r .command <<<"$cmd") -s -o /dev/null --max-time 2 -w '\n%{http_code}\n'"
  rm -f "$W/rotation-$s.done"
  (
    cd "$CERTS"
    for ((k = 0; k < 600; k++)); do
      [[ -f "$W/rotation-$s.done" ]] && break
      c="$(bash -c "$probe_cmd" 2>/dev/null | tail -n1)" || c="curl-exit-$?"
      echo "$(date -u +%H:%M:%S.%N | cut -c1-12) $c"
      sleep 0.1
    done
  ) >"$W/rotation-probe-$s.log" 2>&1 &
  local probe=$!
  "$trigger" "$s" "$host" "$name" || check fail "$s $label: $trigger failed"
  K -n "$GW_NS" get secret -o json | jq -r '.items[] | select(.data["tls.crt"] != null) | "\(.metadata.name) \(.data["tls.crt"])"' |
    while read -r n c; do echo "secret $n serial $(base64 -d <<<"$c" | openssl x509 -noout -serial | cut -d= -f2)"; done
  for i in $(seq 1 60); do
    after_o="$(served_serial_openssl "$host")"
    [[ -n "$after_o" && "$after_o" != "$before_o" ]] && break
    sleep 1
  done
  touch "$W/rotation-$s.done"
  wait "$probe" 2>/dev/null || true
  echo "probe during the $label: $(wc -l <"$W/rotation-probe-$s.log") requests, by result: $(awk '{print $2}' "$W/rotation-probe-$s.log" | sort | uniq -c | tr '\n' ' ')"
  local total bad want
  want="$(jq -r .expect.status <<<"$cmd")"
  grep -v " $want\$" "$W/rotation-probe-$s.log" | head -n 10 | sed 's/^/    not as expected: /' || true
  total="$(wc -l <"$W/rotation-probe-$s.log")"
  bad="$(grep -vc " $want\$" "$W/rotation-probe-$s.log" || true)"
  if ((total > 0 && bad == 0)); then check ok "$s $label: $total of $total requests answered $want during the $label"; else check fail "$s $label: $bad of $total requests not answered $want during the $label"; fi
  write_certs "$s" >/dev/null
  after="$(served_serial "$host" || true)"
  echo "after ${i}s: served serial (openssl s_client) $after_o, (curl %{certs}) ${after:-n/a}"
  if [[ -n "$after_o" && "$after_o" != "$before_o" ]]; then check ok "$s $label: $host serial $before_o -> $after_o without restart (${i}s)"; else check fail "$s $label: serial still $after_o"; fi
  if kill -0 "$pid" 2>/dev/null; then check ok "$s $label: gateway process $pid never restarted"; else check fail "$s $label: gateway process $pid is gone"; fi
  # The same test command again, on the new certificate.
  check_commands "$s" "$s($label)" --host "$host" || true
  ((FAILED == f0))
}

run_stack() { # stack
  local s=$1
  [[ -f "$W/project/Pulumi.$s.yaml" ]] || { record "$s" config 0 "FAILED (no Pulumi.$s.yaml)"; STEP_FAILED=1; return; }
  # A fresh control plane and istiod per stack. No `pulumi destroy` in between: with
  # no controller-manager there is no garbage collector, and pulumi-kubernetes deletes
  # with propagationPolicy Foreground, so every object without the skipAwait
  # annotation (Role, RoleBinding, ServiceAccount, ...) waits 10 min on the
  # foregroundDeletion finalizer and the destroy fails (seen: "timed out waiting for
  # the condition", "finalizers might be preventing deletion (foregroundDeletion)").
  stop_named istiod
  local cm=0
  [[ "$s" == cert-manager ]] && cm=1
  step "$s" cluster cluster start --fresh || return 0
  step "$s" endpointslices write_endpointslices || return 0
  GATEWAY_API=false GW_NS=istio-system GW_NAME=istio-ingressgateway
  rm -rf "$W/istiod/var"
  if is_gateway_api_stack "$s"; then
    GATEWAY_API=true
    step "$s" "gateway-api crds" install_gateway_api_crds || return 0
    step "$s" "kube-gateway template" write_injection_config || return 0
  fi
  step "$s" istiod start_istiod || return 0
  ((cm)) && { step "$s" cert-manager cm_start || return 0; }
  step "$s" config stack_config "$s" || return 0
  if step "$s" "pulumi up" P up --yes --stack "$s"; then
    [[ $GATEWAY_API == true ]] && { step "$s" "generated workload" await_generated_workload "$s" || return 0; }
    ((cm)) && { step "$s" "certificates issued" cm_check_issued "$s" || true; }
    if step "$s" gateway start_gateway "$s"; then
      [[ $GATEWAY_API == true ]] && { step "$s" "gateway-api status" report_gateway_api_status "$s" || true; }
      step "$s" "npm run certs" write_certs "$s" || true
      ((cm)) && { step "$s" "certificates served" cm_check_served "$s" || true; }
      step "$s" "test commands" run_test_commands "$s" || true
      step "$s" troubleshooting run_troubleshooting "$s" || true
      # SDS: a new certificate reaches the running gateway (mounted files would need a pod restart).
      if [[ "$(P config get --stack "$s" --path secure-ingress:gateway.secretDelivery 2>/dev/null)" == sds ]]; then
        if ((cm)); then
          step "$s" renewal rotate "$s" cm_renew renewal || true
          step "$s" "await Ready" cm_await_ready || true
        else
          step "$s" rotation rotate "$s" || true
          step "$s" "renewal by time" rotate "$s" renew_by_time renewal-by-time || true
        fi
      fi
    fi
    gateway_nacks "$s" >"$W/logs/$s-envoy-rejections.log"
    [[ -s "$W/logs/$s-envoy-rejections.log" ]] && { log "$s: envoy/agent errors (top):"; sed 's/^/    /' "$W/logs/$s-envoy-rejections.log" | head -n 12; }
    [[ "${SI_GW_KEEP:-}" == 1 && "$s" == "${STACKS[-1]}" ]] && return 0
    stop_named "gateway-$s"
  fi
  cm_stop
}

log "work dir: $W; tools $SI_BIN; istio $SI_GW_ISTIO_LABEL; envoy $("$IB/envoy" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9]+\.[0-9]+/[^/]*/[^/]*/[A-Za-z]+' | head -n1)"
step all "copy project" project || exit 1
step all backends start_backends || exit 1
for s in "${STACKS[@]}"; do run_stack "$s"; done
# Every pulumi command above found the cached providers as installed plugins, none on PATH.
if step all plugins no_path_plugin_warnings "$W"/logs/*.log; then check ok "no pulumi command took a provider from PATH"; else check fail "a pulumi command took a provider from PATH"; fi
