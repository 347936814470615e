# Sourced by the npm scripts that talk to the Pulumi CLI (up, certs, pulumi): the local state backend, the dev
# passphrase, and which `pulumi` to use. Defines require_pulumi, which explains how to get a CLI when none is found.
#
# Environment:
#   PULUMI_CONFIG_PASSPHRASE  secrets passphrase of the local stacks; defaults to the documented dev value
#                             "secure-ingress-dev" (NOT a secret: local dev stacks only; set your own otherwise)
#   PULUMI_BACKEND_URL        default: file://<repo>/.pulumi-state
#   PULUMI_HOME               where the cached providers are linked as installed plugins (default ~/.pulumi)
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
if [[ -z "${PULUMI_BACKEND_URL:-}" ]]; then
  export PULUMI_BACKEND_URL="file://$SI_REPO/.pulumi-state"
  mkdir -p "$SI_REPO/.pulumi-state"
fi
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"

# shellcheck source=../tools/env.sh
source "$SI_REPO/tools/env.sh"

# A folder holding only a link to the cached CLI.
SI_CLI_BIN="$SI_TOOLS_DIR/cli-bin"

# The cached providers, linked where the CLI looks for installed plugins: $PULUMI_HOME/plugins/resource-<name>-v<version>/,
# at the versions the npm SDKs ask for. Links, not copies: a bridged provider reads <executable>.schema.json beside the
# file it was started from, which is the link's target.
si_install_plugins() {
  local plugins="${PULUMI_HOME:-$HOME/.pulumi}/plugins" name version dir
  for name in kubernetes tls random; do
    case $name in
      kubernetes) version=$SI_NPM_KUBERNETES_VERSION ;;
      tls) version=$SI_NPM_TLS_VERSION ;;
      random) version=$SI_NPM_RANDOM_VERSION ;;
    esac
    [[ -x "$SI_BIN/pulumi-resource-$name" ]] || continue
    dir="$plugins/resource-$name-v$version"
    si_link "$SI_BIN/pulumi-resource-$name" "$dir/pulumi-resource-$name"
  done
}

# si_link TARGET LINK: make LINK point at TARGET unless it already does (concurrent runs share these folders).
si_link() {
  [[ "$(readlink "$2" 2>/dev/null)" == "$1" ]] && return 0
  mkdir -p "$(dirname "$2")"
  ln -sfn "$1" "$2"
}

SI_PULUMI=""
if [[ "${SI_USE_CACHED_TOOLS:-}" != 1 ]] && command -v pulumi >/dev/null; then
  SI_PULUMI="pulumi on PATH: $(command -v pulumi)"
elif [[ -x "$SI_BIN/pulumi" ]]; then
  # Only the CLI goes on PATH: it finds its language host next to its own (resolved) executable, and a provider
  # found on PATH would be announced with a "using pulumi-resource-... from $PATH" warning on every command.
  si_link "$SI_BIN/pulumi" "$SI_CLI_BIN/pulumi"
  export PATH="$SI_CLI_BIN:$PATH"
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  si_install_plugins
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
