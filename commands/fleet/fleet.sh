#!/usr/bin/env bash
# npm run fleet -- <preview|up|destroy|outputs> <fleet-file> [--json]
#
# The environment of the local stacks (commands/pulumi-env.sh: state backend, dev passphrase, which CLI), then the
# fleet command (commands/fleet/main.ts) on the Automation API.
#
# Ctrl-C: the Pulumi CLI cancels gracefully on the first SIGINT and terminates at once on the second, which can
# leave a lock. A terminal sends SIGINT to its whole foreground process group, so the CLIs would get one from the
# terminal and a second from the Automation API's cancel. The fleet process therefore runs in its own session
# (setsid: the terminal's signal does not reach it or its CLIs) and this script forwards each SIGINT/SIGTERM to it
# once; it then cancels every running update through the Automation API.
set -euo pipefail
# shellcheck source=../pulumi-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../pulumi-env.sh"
require_pulumi
setsid node "$SI_REPO/node_modules/ts-node/dist/bin.js" --transpile-only "$SI_REPO/commands/fleet/main.ts" "$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true' INT
trap 'kill -TERM "$pid" 2>/dev/null || true' TERM
rc=0
while :; do
  wait "$pid" && rc=0 || rc=$?
  # wait returns early (status > 128) when a trapped signal arrives; go on waiting while the process lives.
  kill -0 "$pid" 2>/dev/null || break
done
exit "$rc"
