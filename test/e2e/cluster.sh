#!/usr/bin/env bash
# npm run cluster [-- start|stop|status|reset|kubeconfig]     (default: start)
#
# A local Kubernetes control plane on 127.0.0.1, no kubelet, no scheduler:
# etcd + kube-apiserver + kube-controller-manager running ONLY its garbage
# collector and namespace controllers (so deletes finish as on a real cluster:
# pulumi-kubernetes deletes with foreground propagation, whose finalizer only
# the garbage collector removes), all built by `npm run tools`, with the Istio
# CRDs installed from the istio.io/istio Go module's manifests.
#
#   start [--fresh]  start etcd, kube-apiserver, the GC (no-op if running), wait for
#                    /readyz, create namespaces istio-system and default's
#                    service accounts, install the Istio CRDs. --fresh wipes the
#                    etcd data first (a new, empty cluster).
#   stop             stop them all (SIGTERM, then SIGKILL after 20 s)
#   status           pids, /readyz, Istio CRD count; exit 0 only if ready
#   reset            stop, wipe etcd data and certificates
#   kubeconfig       print the kubeconfig path
#
# State (certificates, kubeconfig, etcd data, logs, pids):
#   SI_CLUSTER_DIR (default ${SECURE_INGRESS_CACHE:-~/.cache/secure-ingress}/cluster)
# Ports: SI_APISERVER_PORT (default 16443), SI_ETCD_PORT (default 23790, peer +10).
# Further control planes side by side: a SI_CLUSTER_DIR and both ports of their own for each.
#
# Without the other controllers: Deployments never roll out (no ReplicaSets, no
# Pods), LoadBalancer Services never get an address, ServiceAccounts are not
# created by themselves, and no validating/mutating webhooks exist (istiod's are
# not installed).
set -euo pipefail

# shellcheck source=../../tools/env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tools/env.sh"

D="$SI_CLUSTER_DIR"
PKI="$D/pki"
RUN="$D/run"
LOGS="$D/logs"
DATA="$D/etcd-data"
API_PORT="${SI_APISERVER_PORT:-16443}"
ETCD_PORT="${SI_ETCD_PORT:-23790}"
ETCD_PEER_PORT=$((ETCD_PORT + 10))
KUBECTL="${KUBECTL:-kubectl}"
K() { "$KUBECTL" --kubeconfig "$SI_KUBECONFIG" "$@"; }

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# A process that exited but was not reaped yet (a zombie) still answers kill -0: its state says it is gone.
pid_alive() {
  local pid
  [[ -f "$RUN/$1.pid" ]] || return 1
  pid="$(cat "$RUN/$1.pid")"
  kill -0 "$pid" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]]
}

need_tools() {
  local b
  for b in etcd kube-apiserver kube-controller-manager; do
    [[ -x "$SI_BIN/$b" ]] || die "$b is not built in $SI_BIN: run \`npm run tools\` (or: bash tools/build.sh etcd kube-apiserver kube-controller-manager)"
  done
  command -v "$KUBECTL" >/dev/null || die "kubectl not found (Debian: apt-get install kubernetes-client; or set KUBECTL=...)"
  command -v openssl >/dev/null || die "openssl not found (apt-get install openssl)"
}

make_pki() {
  [[ -f "$PKI/.complete" ]] && return 0
  log "creating certificates in $PKI"
  rm -rf "$PKI" && mkdir -p "$PKI" && chmod 700 "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=secure-ingress-e2e-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    # API server serving certificate
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    printf '%s\n' "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
      "extendedKeyUsage=serverAuth" "keyUsage=critical,digitalSignature,keyEncipherment" >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 \
      -extfile apiserver.ext 2>/dev/null
    # Cluster-admin client certificate (group system:masters)
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=e2e-admin" 2>/dev/null
    printf '%s\n' "extendedKeyUsage=clientAuth" "keyUsage=critical,digitalSignature,keyEncipherment" >admin.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 \
      -extfile admin.ext 2>/dev/null
    # Service-account token signing key pair
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext ca.srl
    chmod 600 ./*.key
    touch .complete
  )
}

write_kubeconfig() {
  umask 077
  cat >"$SI_KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: secure-ingress-e2e
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: e2e-admin
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/admin.crt")
    client-key-data: $(base64 -w0 <"$PKI/admin.key")
contexts:
- name: secure-ingress-e2e
  context:
    cluster: secure-ingress-e2e
    user: e2e-admin
current-context: secure-ingress-e2e
EOF
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_etcd() {
  if pid_alive etcd; then log "etcd already running (pid $(cat "$RUN/etcd.pid"))"; return 0; fi
  port_busy "$ETCD_PORT" && die "port $ETCD_PORT is in use by something else (set SI_ETCD_PORT)"
  mkdir -p "$DATA" && chmod 700 "$DATA"
  log "starting etcd on 127.0.0.1:$ETCD_PORT (log: $LOGS/etcd.log)"
  setsid nohup "$SI_BIN/etcd" --name e2e --data-dir "$DATA" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "e2e=http://127.0.0.1:$ETCD_PEER_PORT" \
    --unsafe-no-fsync --quota-backend-bytes=2147483648 --log-level warn \
    >"$LOGS/etcd.log" 2>&1 </dev/null &
  echo $! >"$RUN/etcd.pid"
  local i
  for i in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"'; then
      log "etcd healthy after ${i}x0.5s"; return 0
    fi
    pid_alive etcd || { tail -n 20 "$LOGS/etcd.log" >&2; die "etcd exited during start (log: $LOGS/etcd.log)"; }
    sleep 0.5
  done
  tail -n 20 "$LOGS/etcd.log" >&2
  die "etcd not healthy after 30 s (log: $LOGS/etcd.log)"
}

start_apiserver() {
  if pid_alive kube-apiserver; then log "kube-apiserver already running (pid $(cat "$RUN/kube-apiserver.pid"))"; return 0; fi
  port_busy "$API_PORT" && die "port $API_PORT is in use by something else (set SI_APISERVER_PORT)"
  log "starting kube-apiserver $SI_KUBERNETES_VERSION on https://127.0.0.1:$API_PORT (log: $LOGS/kube-apiserver.log)"
  setsid nohup "$SI_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --endpoint-reconciler-type none \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --api-audiences https://kubernetes.default.svc.cluster.local,istio-ca \
    --service-cluster-ip-range 10.96.0.0/12 \
    --authorization-mode RBAC --allow-privileged=true \
    --cert-dir "$D/apiserver-certs" --profiling=false \
    >"$LOGS/kube-apiserver.log" 2>&1 </dev/null &
  echo $! >"$RUN/kube-apiserver.pid"
  local i
  for i in $(seq 1 240); do
    if K get --raw /readyz >/dev/null 2>&1; then log "kube-apiserver ready after ${i}x0.5s"; return 0; fi
    pid_alive kube-apiserver || { tail -n 30 "$LOGS/kube-apiserver.log" >&2; die "kube-apiserver exited during start (log: $LOGS/kube-apiserver.log)"; }
    sleep 0.5
  done
  K get --raw '/readyz?verbose' >&2 || true
  die "kube-apiserver not ready after 120 s (log: $LOGS/kube-apiserver.log)"
}

start_controllers() {
  if pid_alive kube-controller-manager; then log "kube-controller-manager already running (pid $(cat "$RUN/kube-controller-manager.pid"))"; return 0; fi
  log "starting kube-controller-manager with controllers garbagecollector,namespace only (log: $LOGS/kube-controller-manager.log)"
  setsid nohup "$SI_BIN/kube-controller-manager" \
    --kubeconfig "$SI_KUBECONFIG" --controllers garbagecollector,namespace \
    --leader-elect=false --secure-port 0 --use-service-account-credentials=false \
    >"$LOGS/kube-controller-manager.log" 2>&1 </dev/null &
  echo $! >"$RUN/kube-controller-manager.pid"
  sleep 2
  pid_alive kube-controller-manager || { tail -n 30 "$LOGS/kube-controller-manager.log" >&2; die "kube-controller-manager exited during start (log: $LOGS/kube-controller-manager.log)"; }
}

bootstrap_objects() {
  local ns
  for ns in default istio-system; do
    K get namespace "$ns" >/dev/null 2>&1 || K create namespace "$ns" >/dev/null
    # No serviceaccount controller: nothing creates the default ServiceAccount.
    K -n "$ns" get serviceaccount default >/dev/null 2>&1 || K -n "$ns" create serviceaccount default >/dev/null
  done
  log "namespaces default, istio-system and their default ServiceAccounts exist"
}

install_istio_crds() {
  local json dir file
  json="$(GOFLAGS=-mod=mod go mod download -json "istio.io/istio@$SI_ISTIO_GOVERSION" 2>&1)" ||
    die "downloading istio.io/istio@$SI_ISTIO_GOVERSION from the Go module proxy failed: $json"
  dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")"
  file="$dir/$SI_ISTIO_CRD_PATH"
  [[ -f "$file" ]] || die "Istio CRDs not found at $file"
  log "installing Istio CRDs from istio.io/istio@$SI_ISTIO_GOVERSION (VERSION $(cat "$dir/VERSION" 2>/dev/null || echo '?'))"
  K apply --server-side --force-conflicts --field-manager secure-ingress-e2e -f "$file" >"$LOGS/istio-crds.log"
  K wait --for condition=established --timeout=120s -f "$file" >>"$LOGS/istio-crds.log"
  log "$(grep -c 'condition met' "$LOGS/istio-crds.log") Istio CRDs established"
}

cmd_start() {
  local fresh=false
  [[ "${1:-}" == "--fresh" ]] && fresh=true
  need_tools
  mkdir -p "$D" "$RUN" "$LOGS"
  chmod 700 "$D"
  if $fresh; then
    cmd_stop >/dev/null
    log "--fresh: wiping etcd data"
    rm -rf "$DATA"
  fi
  make_pki
  write_kubeconfig
  local t0=$SECONDS
  start_etcd
  start_apiserver
  start_controllers
  bootstrap_objects
  install_istio_crds
  log "ready in $((SECONDS - t0)) s; kubeconfig: $SI_KUBECONFIG"
  log "try: kubectl --kubeconfig $SI_KUBECONFIG get crd | grep istio"
}

stop_one() {
  local name=$1 pid i
  [[ -f "$RUN/$name.pid" ]] || return 0
  pid="$(cat "$RUN/$name.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in 20 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/$name.pid"
}

cmd_stop() {
  stop_one kube-controller-manager
  stop_one kube-apiserver
  stop_one etcd
  log "stopped"
}

cmd_status() {
  local ok=0 name
  for name in etcd kube-apiserver kube-controller-manager; do
    if pid_alive "$name"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; else echo "$name: not running"; ok=1; fi
  done
  if [[ -f "$SI_KUBECONFIG" ]] && K get --raw /readyz >/dev/null 2>&1; then
    echo "readyz: ok (https://127.0.0.1:$API_PORT, kubeconfig $SI_KUBECONFIG)"
    echo "server version: $(K version -o json 2>/dev/null | sed -n 's/.*"gitVersion": "\(.*\)".*/\1/p' | tail -n 1)"
    echo "istio CRDs: $(K get crd -o name 2>/dev/null | grep -c 'istio.io' || true)"
  else
    echo "readyz: not ready"; ok=1
  fi
  return $ok
}

case "${1:-start}" in
  start) shift || true; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_stop; rm -rf "$DATA" "$PKI" "$SI_KUBECONFIG" "$D/apiserver-certs"; log "wiped $D" ;;
  kubeconfig) echo "$SI_KUBECONFIG" ;;
  *) sed -n '2,25p' "$0"; exit 2 ;;
esac
