#!/usr/bin/env bash
# npm run up [-- EXTRA pulumi up FLAGS]
#
# Runs `pulumi up` for the dev stack (Pulumi.dev.yaml: renders manifests to a
# directory when no cluster is configured) on a local file state backend inside
# the repository (.pulumi-state/, gitignored), non-interactively, creating the
# stack if it does not exist.
#
# Environment:
#   SECURE_INGRESS_STACK      stack to run (default: dev)
#   PULUMI_CONFIG_PASSPHRASE  secrets passphrase of the local stack; defaults to
#                             the dev value "secure-ingress-dev" (NOT a secret:
#                             local dev stacks only; set your own for anything else)
#   PULUMI_BACKEND_URL        default: file://<repo>/.pulumi-state
#   PULUMI_NODEJS_TRANSPILE_ONLY  default: true (type checking is `npm run typecheck`)
#   SI_USE_CACHED_TOOLS=1     use the tools cache even if a pulumi is on PATH
#
# Which pulumi: the one on PATH if there is one; otherwise the one built by
# `npm run tools` (air-gapped path: test/e2e/tools/build.sh builds the CLI, the
# Node.js language host and the providers from Go modules into
# ${SECURE_INGRESS_CACHE:-~/.cache/secure-ingress}); otherwise it explains how
# to get one and exits 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

log() { printf '[up] %s\n' "$*"; }
die() { printf '[up] ERROR: %s\n' "$*" >&2; exit 1; }

STACK="${SECURE_INGRESS_STACK:-dev}"
if [[ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ]]; then
  export PULUMI_CONFIG_PASSPHRASE="secure-ingress-dev"
  passphrase_note="secure-ingress-dev (the documented dev default; set PULUMI_CONFIG_PASSPHRASE for anything else)"
else
  passphrase_note="from PULUMI_CONFIG_PASSPHRASE"
fi
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$ROOT/.pulumi-state}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"

[[ -f Pulumi.yaml ]] || die "no Pulumi.yaml in $ROOT"
[[ -f "Pulumi.$STACK.yaml" ]] || die "no Pulumi.$STACK.yaml in $ROOT (stack '$STACK')"
[[ -d node_modules/@pulumi/pulumi ]] || die "node_modules is missing: run \`npm ci --ignore-scripts\` first"
command -v node >/dev/null || die "node is not on PATH"

# shellcheck source=../../test/e2e/tools/env.sh
source "$ROOT/test/e2e/tools/env.sh"

if [[ "${SI_USE_CACHED_TOOLS:-}" != 1 ]] && command -v pulumi >/dev/null; then
  log "using pulumi on PATH: $(command -v pulumi) ($(pulumi version 2>/dev/null || echo '?'))"
elif [[ -x "$SI_BIN/pulumi" ]]; then
  missing=()
  for b in pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random; do
    [[ -x "$SI_BIN/$b" ]] || missing+=("$b")
  done
  ((${#missing[@]} == 0)) || die "the tools cache $SI_BIN lacks ${missing[*]}: run \`npm run tools\`"
  # Cached language host and providers are found on PATH (before the plugin
  # cache); never try to download plugins.
  export PATH="$SI_BIN:$PATH"
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  log "using the tools cache: $SI_BIN/pulumi ($("$SI_BIN/pulumi" version))"
else
  cat >&2 <<EOF
[up] ERROR: no Pulumi CLI found.
  Either install it with the official installer (https://www.pulumi.com/docs/install/):
      curl -fsSL https://get.pulumi.com | sh
  or, with no internet but the Go module proxy (air-gapped path), build it and
  the plugins from Go modules into $SI_CACHE_ROOT:
      npm run tools
EOF
  exit 1
fi

mkdir -p "$ROOT/.pulumi-state"
log "backend: $PULUMI_BACKEND_URL, stack: $STACK, passphrase: $passphrase_note"
if ! pulumi stack select "$STACK" --non-interactive >/dev/null 2>&1; then
  log "creating stack $STACK"
  pulumi stack init "$STACK" --secrets-provider passphrase --non-interactive
fi

# A stack with neither secure-ingress:kubernetes.kubeconfig nor .context renders
# manifests. @pulumi/kubernetes' Provider defaults its kubeconfig to $KUBECONFIG,
# and the provider refuses kubeconfig together with renderYamlToDirectory, so a
# KUBECONFIG in the caller's shell would break rendering: drop it.
if [[ -n "${KUBECONFIG:-}" ]] &&
  ! pulumi config get --stack "$STACK" --path secure-ingress:kubernetes.kubeconfig >/dev/null 2>&1 &&
  ! pulumi config get --stack "$STACK" --path secure-ingress:kubernetes.context >/dev/null 2>&1; then
  log "stack $STACK renders manifests (no kubernetes.kubeconfig/context): ignoring KUBECONFIG=$KUBECONFIG"
  unset KUBECONFIG
fi

start=$SECONDS
pulumi up --yes --non-interactive --stack "$STACK" "$@"
log "pulumi up ($STACK) finished in $((SECONDS - start)) s"
