# Sourced by the npm scripts that talk to the Pulumi CLI (up, certs, pulumi): the local state backend, the dev
# passphrase, and which `pulumi` to use. Defines require_pulumi, which explains how to get a CLI when none is found.
#
# Environment:
#   PULUMI_CONFIG_PASSPHRASE  secrets passphrase of the local stacks; defaults to the documented dev value
#                             "secure-ingress-dev" (NOT a secret: local dev stacks only; set your own otherwise)
#   PULUMI_BACKEND_URL        default: file://<repo>/.pulumi-state
#   PULUMI_NODEJS_TRANSPILE_ONLY  default: true (type checking is `npm run typecheck`)
#   SI_USE_CACHED_TOOLS=1     use the tools cache (npm run tools) even if a pulumi is on PATH
# Exports SI_PULUMI_CMD, the absolute path of the chosen CLI (the fleet command hands it to the Automation API).

SI_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ]]; then
  export PULUMI_CONFIG_PASSPHRASE="secure-ingress-dev"
  SI_PASSPHRASE_NOTE="secure-ingress-dev (the documented dev default; set PULUMI_CONFIG_PASSPHRASE for anything else)"
else
  SI_PASSPHRASE_NOTE="from PULUMI_CONFIG_PASSPHRASE"
fi
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$SI_REPO/.pulumi-state}"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"
mkdir -p "$SI_REPO/.pulumi-state"

# shellcheck source=../tools/env.sh
source "$SI_REPO/tools/env.sh"

SI_PULUMI=""
if [[ "${SI_USE_CACHED_TOOLS:-}" != 1 ]] && command -v pulumi >/dev/null; then
  SI_PULUMI="pulumi on PATH: $(command -v pulumi)"
elif [[ -x "$SI_BIN/pulumi" ]]; then
  # Cached language host and providers are found on PATH (before the plugin cache); never download plugins.
  export PATH="$SI_BIN:$PATH"
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  SI_PULUMI="the tools cache: $SI_BIN/pulumi"
fi
SI_PULUMI_CMD="$(command -v pulumi || true)"
export SI_PULUMI_CMD

require_pulumi() {
  if [[ -z "$SI_PULUMI" ]]; then
    cat >&2 <<EOF
ERROR: no Pulumi CLI found.
  Either install it with the official installer (https://www.pulumi.com/docs/install/):
      curl -fsSL https://get.pulumi.com | sh
  or, with no internet but the Go module proxy (air-gapped path), build it and
  the plugins from Go modules into $SI_CACHE_ROOT:
      npm run tools
EOF
    exit 1
  fi
  if [[ "$SI_PULUMI" == "the tools cache"* ]]; then
    local missing=() b
    for b in pulumi-language-nodejs pulumi-resource-kubernetes pulumi-resource-tls pulumi-resource-random; do
      [[ -x "$SI_BIN/$b" ]] || missing+=("$b")
    done
    if ((${#missing[@]} > 0)); then
      echo "ERROR: the tools cache $SI_BIN lacks ${missing[*]}: run \`npm run tools\`" >&2
      exit 1
    fi
  fi
}
