# Gateway API pieces of `npm run e2e:gateway` (sourced by run.sh): a stack whose config says
# `target: gateway-api` gets the Gateway API CRDs, an istiod with its Gateway API controllers and
# deployment controller on, and a gateway whose identity is the Deployment istiod generated.
#
#   CRDs       config/crd/standard of sigs.k8s.io/gateway-api at the version the fixtures pin
#              (test/fixtures/gateway-api/README.md), applied server-side
#   injection  the deployment controller renders Istio's `kube-gateway` template: the chart's
#              files/kube-gateway.yaml and its default values, from the same istio.io/istio module as
#              istiod, written where pilot-discovery reads them (./var/lib/istio/inject/{config,values})
#   workload   after `pulumi up`: istiod creates Deployment/Service/ServiceAccount <gateway>-istio;
#              the gateway process then takes that Deployment's identity (run.sh start_gateway)
#   status     the Gateway's Accepted/Programmed conditions and each route's Accepted/ResolvedRefs

GWAPI_VERSION=v1.6.3

is_gateway_api_stack() { # stack
  grep -qE '^\s*secure-ingress:target:\s*gateway-api\s*$' "$W/project/Pulumi.$1.yaml"
}

go_module_dir() { # module@version
  local json
  json="$(go mod download -json "$1" 2>&1)" || { echo "go mod download $1 failed: $json" >&2; return 1; }
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json"
}

install_gateway_api_crds() {
  local dir f
  dir="$(go_module_dir "sigs.k8s.io/gateway-api@$GWAPI_VERSION")"
  [[ -d "$dir/config/crd/standard" ]] || { echo "no config/crd/standard in $dir"; return 1; }
  for f in "$dir"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
    K apply --server-side -f "$f" >/dev/null
  done
  K wait --for=condition=established --timeout=60s crd/gateways.gateway.networking.k8s.io crd/httproutes.gateway.networking.k8s.io \
    crd/referencegrants.gateway.networking.k8s.io crd/gatewayclasses.gateway.networking.k8s.io
  echo "Gateway API $GWAPI_VERSION standard CRDs: $(K get crd -o name | grep -c gateway.networking.k8s.io)"
}

write_injection_config() {
  local chart inject="$W/istiod/var/lib/istio/inject"
  chart="$(go_module_dir "istio.io/istio@$SI_GW_ISTIO_GOVERSION")/manifests/charts/istio-control/istio-discovery"
  mkdir -p "$inject"
  python3 - "$chart" "$inject" <<'PY'
import json, sys, yaml
chart, out = sys.argv[1], sys.argv[2]
values = yaml.safe_load(open(f"{chart}/values.yaml"))["_internal_defaults_do_not_set"]
# What the chart's istio-sidecar-injector ConfigMap keeps of the values (templates/istiod-injector-configmap.yaml).
picked = {k: values.get(k) for k in ("global", "sidecarInjectorWebhook", "revision")}
picked["pilot"] = {k: values.get(k) for k in ("cni", "env")}
picked["gateways"] = {k: (values.get("gateways") or {}).get(k) for k in ("securityContext", "seccompProfile")}
picked["global"]["istioNamespace"] = "istio-system"
json.dump(picked, open(f"{out}/values", "w"), indent=2)
template = open(f"{chart}/files/kube-gateway.yaml").read()
yaml.safe_dump({"policy": "enabled", "alwaysInjectSelector": [], "neverInjectSelector": [], "injectedAnnotations": {},
                "defaultTemplates": ["sidecar"], "templates": {"kube-gateway": template}}, open(f"{out}/config", "w"))
PY
  echo "injection config for the deployment controller: $inject/{config,values} (template kube-gateway from $chart)"
}

# Waits for the Deployment istiod generates for the stack's Gateway, then points run.sh's gateway identity at it.
await_generated_workload() { # stack
  local s=$1 gw ns i
  gw="$(K get gateways.gateway.networking.k8s.io -A -o jsonpath='{.items[0].metadata.name}')"
  ns="$(K get gateways.gateway.networking.k8s.io -A -o jsonpath='{.items[0].metadata.namespace}')"
  for i in $(seq 1 120); do
    if K -n "$ns" get deployment "$gw-istio" >/dev/null 2>&1; then
      GW_NS=$ns
      GW_NAME="$gw-istio"
      echo "istiod's deployment controller created (after ${i}x0.5s):"
      K -n "$ns" get deployment,service,serviceaccount "$gw-istio" -o wide
      K -n "$ns" get deployment "$gw-istio" -o jsonpath='{.spec.template.metadata.labels}{"\n"}'
      return 0
    fi
    sleep 0.5
  done
  echo "no Deployment $ns/$gw-istio after 60 s; istiod says:"
  grep -iE 'gateway|deployment' "$W/logs/istiod.out" | tail -n 30
  return 1
}

# The conditions istiod wrote: the Gateway (Accepted, Programmed), its listeners, each HTTPRoute's parents.
report_gateway_api_status() { # stack
  local s=$1 ns gw cond i
  ns="$GW_NS"
  gw="${GW_NAME%-istio}"
  for i in $(seq 1 60); do
    cond="$(K -n "$ns" get gateway "$gw" -o jsonpath='{range .status.conditions[*]}{.type}={.status}({.reason}) {end}')"
    [[ "$cond" == *"Programmed=True"* ]] && break
    sleep 1
  done
  echo "Gateway $ns/$gw: $cond"
  K -n "$ns" get gateway "$gw" -o jsonpath='{range .status.listeners[*]}  listener {.name}:{range .conditions[*]} {.type}={.status}({.reason}){end}{"\n"}{end}'
  K -n "$ns" get gateway "$gw" -o jsonpath='{"  addresses: "}{.status.addresses}{"\n"}'
  K get httproutes -A -o jsonpath='{range .items[*]}  HTTPRoute {.metadata.namespace}/{.metadata.name}:{range .status.parents[*]} [{.parentRef.sectionName}]{range .conditions[*]} {.type}={.status}({.reason}){end}{end}{"\n"}{end}'
  if [[ "$cond" == *"Accepted=True"* ]]; then check ok "$s Gateway Accepted"; else check fail "$s Gateway not Accepted: $cond"; fi
  # Programmed needs an address: with no load-balancer controller here a LoadBalancer Service stays pending, and
  # Istio says exactly that (AddressNotAssigned) while every listener is programmed.
  local svc_type lb listeners_ok
  svc_type="$(K -n "$ns" get service "$GW_NAME" -o jsonpath='{.spec.type}')"
  lb="$(K -n "$ns" get service "$GW_NAME" -o jsonpath='{.status.loadBalancer.ingress}')"
  listeners_ok="$(K -n "$ns" get gateway "$gw" -o json | jq '[.status.listeners[].conditions[] | select(.type == "Programmed") | .status] | length > 0 and all(. == "True")')"
  if [[ "$listeners_ok" == true ]]; then check ok "$s every listener Programmed"; else check fail "$s a listener is not Programmed"; fi
  if [[ "$cond" == *"Programmed=True"* ]]; then
    check ok "$s Gateway Programmed"
  elif [[ "$cond" == *"Programmed=False(AddressNotAssigned)"* && "$svc_type" == LoadBalancer && -z "$lb" ]]; then
    check ok "$s Gateway Programmed=False(AddressNotAssigned): Service $GW_NAME is a LoadBalancer this cluster gives no address"
  else
    check fail "$s Gateway not Programmed: $cond"
  fi
  if K get httproutes -A -o json | jq -e '[.items[].status.parents[]?.conditions[]? | select(.type == "Accepted" or .type == "ResolvedRefs") | .status] | length > 0 and all(. == "True")' >/dev/null; then
    check ok "$s every HTTPRoute Accepted with resolved refs"
  else
    check fail "$s an HTTPRoute is not Accepted or has unresolved refs"
  fi
}
