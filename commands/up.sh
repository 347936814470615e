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
#   and those of commands/pulumi-env.sh: PULUMI_CONFIG_PASSPHRASE (default: the
#   documented dev value), PULUMI_BACKEND_URL, PULUMI_NODEJS_TRANSPILE_ONLY, SI_USE_CACHED_TOOLS.
#
# Which pulumi: the one on PATH if there is one; otherwise the one built by
# `npm run tools` (air-gapped path: tools/build.sh builds the CLI, the
# Node.js language host and the providers from Go modules into
# ${SECURE_INGRESS_CACHE:-~/.cache/secure-ingress}); otherwise it explains how
# to get one and exits 1.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[up] %s\n' "$*"; }
die() { printf '[up] ERROR: %s\n' "$*" >&2; exit 1; }

STACK="${SECURE_INGRESS_STACK:-dev}"
[[ -f Pulumi.yaml ]] || die "no Pulumi.yaml in $ROOT"
[[ -f "Pulumi.$STACK.yaml" ]] || die "no Pulumi.$STACK.yaml in $ROOT (stack '$STACK')"
[[ -d node_modules/@pulumi/pulumi ]] || die "node_modules is missing: run \`npm ci\` first"
command -v node >/dev/null || die "node is not on PATH"

# shellcheck source=pulumi-env.sh
source "$ROOT/commands/pulumi-env.sh"
require_pulumi
log "using $SI_PULUMI ($(pulumi version 2>/dev/null || echo '?'))"
log "backend: $PULUMI_BACKEND_URL, stack: $STACK, passphrase: $SI_PASSPHRASE_NOTE"
if ! pulumi stack select "$STACK" --non-interactive >/dev/null 2>&1; then
  log "creating stack $STACK"
  pulumi stack init "$STACK" --secrets-provider passphrase --non-interactive
fi

start=$SECONDS
pulumi up --yes --non-interactive --stack "$STACK" "$@"
log "pulumi up ($STACK) finished in $((SECONDS - start)) s"
