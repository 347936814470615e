#!/usr/bin/env bash
# bash test/e2e/gateway/stop.sh [WORKDIR]: stop what `SI_GW_KEEP=1 npm run e2e:gateway`
# left running (the processes in WORKDIR/pids, the backends' network namespace,
# the gateway-e2e control plane). WORKDIR defaults to the newest run.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../../tools/env.sh"
GW_ROOT="$SI_CACHE_ROOT/gateway-e2e"
W="${1:-$(ls -d "$GW_ROOT"/run-* 2>/dev/null | tail -n1)}"
if [[ -n "$W" && -f "$W/pids" ]]; then
  tac "$W/pids" | while read -r name pid; do
    kill -TERM -- "-$pid" 2>/dev/null && echo "stopped $name (pid $pid)"
  done
  sleep 2
  tac "$W/pids" | while read -r name pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  : >"$W/pids"
fi
ip netns del si-gw-be 2>/dev/null && echo "deleted netns si-gw-be"
ip link del si-gw-h 2>/dev/null || true
SECURE_INGRESS_CACHE="$GW_ROOT" SI_APISERVER_PORT="${SI_GW_APISERVER_PORT:-16543}" SI_ETCD_PORT="${SI_GW_ETCD_PORT:-23890}" \
  bash "$HERE/../cluster.sh" stop
