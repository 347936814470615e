#!/usr/bin/env bash
# bash test/e2e/analyze/apiserver.sh KUBECONFIG [WORK_DIR]     (a step of `npm run e2e`)
#
# The Gateway API objects against a real kube-apiserver with the upstream CRDs installed, whose OpenAPI schemas
# AND CEL rules (x-kubernetes-validations: what ajv cannot check) it enforces: the gateway-api stack and its
# variants (frontend client validation, an existing workload with routes on the HTTP listener, a cross-namespace
# backend with its ReferenceGrant) are each accepted by `kubectl apply --dry-run=server --validate=strict`, fields
# kept (spec.tls.frontend is not pruned); a Gateway with a repeated listener name is refused by the CRD's own rule.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
KCFG=$1
W="${2:-$(mktemp -d)}"
mkdir -p "$W"
K() { kubectl --kubeconfig "$KCFG" "$@"; }
# shellcheck source=../gateway/gatewayapi.sh
source "$ROOT/test/e2e/gateway/gatewayapi.sh"

passed=0 failed=0
check() { if [[ $1 == ok ]]; then passed=$((passed + 1)); echo "PASS  $2"; else failed=$((failed + 1)); echo "FAIL  $2"; fi; }
render() { (cd "$ROOT" && npx ts-node --transpile-only test/e2e/analyze/render.ts "$W" "$@"); }

install_gateway_api_crds
K get namespace shop >/dev/null 2>&1 || K create namespace shop >/dev/null
render gateway-api
files=("$W/stacks/gateway-api.yaml")
for v in $(render --variants); do render --variant "$v" && files+=("$W/variants/$v.yaml"); done
for f in "${files[@]}"; do
  echo "---- kubectl apply --dry-run=server --validate=strict -f $f"
  if out="$(K apply --dry-run=server --validate=strict -f "$f" 2>&1)"; then
    sed 's/^/     /' <<<"$out"
    check ok "$(basename "$f" .yaml): accepted by the API server ($(grep -c 'gateway.networking.k8s.io' <<<"$out") Gateway API objects)"
  else
    sed 's/^/     /' <<<"$out"
    check fail "$(basename "$f" .yaml): refused by the API server"
  fi
done

# The frontend variant's client validation survives the standard CRDs' pruning.
python3 - "$W/variants/frontend.yaml" "$W/frontend-gateway.yaml" "$W/bad-gateway.yaml" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
gw = next(d for d in docs if d["kind"] == "Gateway" and d["apiVersion"].startswith("gateway.networking.k8s.io/"))
yaml.safe_dump(gw, open(sys.argv[2], "w"))
gw["spec"]["listeners"][1]["name"] = gw["spec"]["listeners"][0]["name"]
yaml.safe_dump(gw, open(sys.argv[3], "w"))
PY
kept="$(K apply --dry-run=server -f "$W/frontend-gateway.yaml" -o jsonpath='{.spec.tls.frontend.default.validation.caCertificateRefs[0].kind}')"
if [[ "$kept" == ConfigMap ]]; then check ok "frontend: spec.tls.frontend kept by the $GWAPI_VERSION standard CRD"; else check fail "frontend: spec.tls.frontend pruned (got '$kept')"; fi
if out="$(K apply --dry-run=server -f "$W/bad-gateway.yaml" 2>&1)"; then
  check fail "a repeated listener name was accepted"
else
  echo "     $out" | head -n 4
  if grep -q "Listener name must be unique within the Gateway" <<<"$out"; then check ok "a repeated listener name is refused by the CRD's CEL rule"; else check fail "refused, but not by the listener-name rule"; fi
fi
echo "$passed passed, $failed failed"
((failed == 0))
