#!/usr/bin/env bash
# npm run e2e:library     (also a step of npm run e2e; NOT part of npm test)
#
# The library as its users get it, with the real engine and providers of `npm run tools`, against the local
# control plane (the one SI_CLUSTER_DIR names; started here, and stopped again, if it is not running):
#   schema     `pulumi package get-schema ./provider` agrees with the checked-in provider/schema.json
#   pysdk      `pulumi package gen-sdk ./provider --language python` reproduces examples/python/sdks
#   ts         examples/typescript: `npm pack` of the library, `npm install` of the tarball, its own tsc, then
#              up (every object of the state read back with kubectl; both Gateways, the ConfigMap that depends on
#              them, the program's certificate in the partner Secret), destroy (nothing left)
#   yaml       examples/yaml through the component plugin: up, objects read back, destroy
#   python     examples/python with the generated SDK, in a venv with the `pulumi` and `pulumi-kubernetes` PyPI
#              packages: up, objects read back, destroy (needs PyPI for the venv; says so when it cannot get it)
# Environment: SI_E2E_KEEP_WORK=1 keeps the work directory; SI_CLUSTER_DIR, SI_APISERVER_PORT and SI_ETCD_PORT
# choose the control plane.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source=../../../tools/env.sh
source "$ROOT/tools/env.sh"

log() { printf '[e2e:library %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[e2e:library] ERROR: %s\n' "$*" >&2; exit 1; }

for b in pulumi pulumi-language-nodejs pulumi-language-yaml pulumi-language-python pulumi-resource-kubernetes pulumi-resource-tls etcd kube-apiserver; do
  [[ -x "$SI_BIN/$b" ]] || die "$b is not in the tools cache $SI_BIN: run \`npm run tools\` first"
done
[[ -d "$ROOT/node_modules/@pulumi/pulumi" ]] || die "node_modules is missing: run \`npm ci\` first"
command -v kubectl >/dev/null || die "kubectl not found (apt-get install kubernetes-client)"

W="$SI_CACHE_ROOT/e2e-library/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$W/logs"
SUMMARY_FORMAT='%-8s %-9s %6ss  %s'
# shellcheck source=../lib.sh
source "$ROOT/test/e2e/lib.sh"
# The commands' environment over this run's state and PULUMI_HOME (the CLI finds the cached providers as plugins).
e2e_env
unset KUBECONFIG
kc() { kubectl --kubeconfig "$SI_KUBECONFIG" "$@"; }

STARTED_CLUSTER=0
finish() {
  local rc=$?
  ((STARTED_CLUSTER == 0)) || bash "$ROOT/test/e2e/cluster.sh" stop >/dev/null 2>&1 || true
  print_summary e2e:library
  prune_runs "$SI_CACHE_ROOT/e2e-library" 5
  if ((STEP_FAILED == 0 && rc == 0)); then
    [[ "${SI_E2E_KEEP_WORK:-}" == 1 ]] || rm -rf "$W/project" "$W/home"
  else
    echo "e2e:library: FAILED (logs in $W/logs)"
    ((rc)) || rc=1
  fi
  exit $rc
}
trap finish EXIT

# The component plugin resolves its packages from provider/; they are the repository's.
plugin_modules() { ln -sfn ../node_modules "$W/project/provider/node_modules"; }

# ------------------------------------------------------------------ schema and SDK
schema_agrees() {
  (cd "$W/project" && pulumi package get-schema ./provider) >"$W/cli-schema.json"
  # The CLI re-marshals the schema (sorted keys, `optional` folded into `required`): compare what it says.
  node -e '
    const [cli, ours] = process.argv.slice(1).map((f) => require(f));
    const view = (s) => {
      const types = Object.fromEntries(Object.entries(s.types).sort().map(([k, t]) => [k, t.enum
        ? t.enum.map((e) => e.value).sort()
        : { props: Object.keys(t.properties).sort(), required: [...(t.required || [])].sort() }]));
      const r = Object.fromEntries(Object.entries(s.resources).sort().map(([k, r]) => [k, {
        inputs: Object.keys(r.inputProperties).sort(), requiredInputs: [...(r.requiredInputs || [])].sort(),
        outputs: Object.keys(r.properties).sort(), required: [...(r.required || [])].sort() }]));
      return JSON.stringify({ name: s.name, version: s.version, types, resources: r }, null, 1);
    };
    const a = view(cli), b = view(ours);
    console.log(a);
    if (a !== b) { console.log("DIFFERS from provider/schema.json:\n" + b); process.exit(1); }
    console.log("pulumi package get-schema agrees with provider/schema.json");
  ' "$W/cli-schema.json" "$W/project/provider/schema.json"
}

python_sdk_current() {
  (cd "$W/project" && pulumi package gen-sdk ./provider --language python --out "$W/pysdk")
  diff -r "$W/pysdk" "$W/project/examples/python/sdks/secure-ingress" && echo "examples/python/sdks is what gen-sdk writes"
}

# ------------------------------------------------------------------ examples
# stack_up DIR STACK: a stack of the example in DIR, configured for the local control plane, brought up.
stack_up() {
  local dir=$1 s=$2
  (cd "$dir" && pulumi stack init "$s" --secrets-provider passphrase --non-interactive &&
    pulumi config set --stack "$s" kubeconfig "$SI_KUBECONFIG" &&
    pulumi config set --stack "$s" skipAwait true &&
    pulumi --non-interactive up --yes --stack "$s")
}

stack_destroy() {
  local dir=$1 s=$2
  (cd "$dir" && timeout 300 pulumi --non-interactive destroy --yes --stack "$s")
}

# run_example NAME DIR CHECK NAMESPACE...: namespaces, up, every state object read back, CHECK, destroy, gone.
run_example() {
  local name=$1 dir=$2 check=$3
  shift 3
  local ns
  for ns in "$@"; do kc create namespace "$ns" >/dev/null 2>&1 || true; done
  if step "$name" up stack_up "$dir" "$name"; then
    PROJECT="$dir" step "$name" objects check_objects_exist "$name" || true
    step "$name" readback "$check" "$dir" "$name" || true
  fi
  PROJECT="$dir" state_objects "$name" >"$W/$name.objects" 2>/dev/null || true
  step "$name" destroy stack_destroy "$dir" "$name" || true
  [[ -s "$W/$name.objects" ]] && { step "$name" gone check_objects_gone "$name" || true; }
  for ns in "$@"; do kc delete namespace "$ns" --wait=false >/dev/null 2>&1 || true; done
}

ts_install() {
  local dir="$W/project/examples/typescript"
  (cd "$W/project" && npm pack --pack-destination "$dir") # prepack builds lib/
  (cd "$dir" && npm install --prefer-offline --no-audit --no-fund && npx tsc --noEmit -p . && echo "tsc: no errors")
  (cd "$dir" && node -e 'const p = require.resolve("secure-ingress"); console.log("secure-ingress from", p);
    if (!p.startsWith(process.cwd() + "/node_modules/")) process.exit(1);')
}

ts_readback() {
  local dir=$1 s=$2 want got
  kc -n edge get gateways.networking.istio.io edge -o jsonpath='{.spec.selector}{"\n"}'
  kc -n partner get gateways.networking.istio.io partner -o jsonpath='{.spec.selector}{"\n"}'
  kc -n edge get configmap gateways -o jsonpath='{.data}{"\n"}'
  want="$(cd "$dir" && pulumi stack output partnerCertPem --stack "$s")"
  got="$(kc -n partner get secret partner-credential -o jsonpath='{.data.tls\.crt}' | base64 -d)"
  [[ -n $want && "$(printf '%s' "$want" | openssl x509 -noout -fingerprint -sha256)" == "$(printf '%s' "$got" | openssl x509 -noout -fingerprint -sha256)" ]] ||
    { echo "partner-credential tls.crt is not the program's certificate"; return 1; }
  echo "partner-credential holds the program's own certificate: $(printf '%s' "$got" | openssl x509 -noout -subject)"
}

# The one Gateway and its credential (with ca.crt: MUTUAL) of the YAML and Python examples.
component_readback() { # dir stack namespace
  local dir=$1 s=$2 ns=$3
  kc -n "$ns" get gateways.networking.istio.io "$ns" -o jsonpath='{.spec.servers[0].tls}{"\n"}'
  kc -n "$ns" get secret httpbin-credential -o jsonpath='{.data.ca\.crt}' | base64 -d | openssl x509 -noout -subject
  (cd "$dir" && pulumi stack output secretNames --stack "$s")
}
yaml_readback() { component_readback "$1" "$2" yaml-edge; }
python_readback() { component_readback "$1" "$2" py-edge; }

python_venv() {
  local dir="$W/project/examples/python" venv="$SI_CACHE_ROOT/e2e-library/venv-$(sha256sum "$ROOT/examples/python/requirements.txt" | cut -c1-10)"
  if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import pulumi, pulumi_kubernetes' 2>/dev/null; then
    rm -rf "$venv" && python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check $(grep -v '^\./' "$dir/requirements.txt")
  fi
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --force-reinstall "$dir/sdks/secure-ingress/python"
  ln -sfn "$venv" "$dir/venv"
  "$venv/bin/python" -c 'import pulumi, pulumi_secure_ingress; print("pulumi", pulumi.__version__ if hasattr(pulumi, "__version__") else "?", "and the SDK import")'
}

log "work dir: $W (tools: $SI_BIN, cluster: $SI_CLUSTER_DIR)"
step all copy copy_project "$W/project" || exit 1
plugin_modules
if ! bash "$ROOT/test/e2e/cluster.sh" status >/dev/null 2>&1; then
  STARTED_CLUSTER=1
  step all cluster bash "$ROOT/test/e2e/cluster.sh" start --fresh || exit 1
fi
step all schema schema_agrees || true
step all pysdk python_sdk_current || true
if step ts install ts_install; then
  run_example ts "$W/project/examples/typescript" ts_readback edge partner
fi
run_example yaml "$W/project/examples/yaml" yaml_readback yaml-edge
if step python venv python_venv; then
  run_example python "$W/project/examples/python" python_readback py-edge
fi
