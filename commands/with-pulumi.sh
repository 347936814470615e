#!/usr/bin/env bash
# Runs a command with the environment of the local stacks (state folder, dev passphrase, cached CLI):
#   npm run -s pulumi -- stack output testCommands --json --stack dev
set -euo pipefail
# shellcheck source=pulumi-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/pulumi-env.sh"
if [[ "${1:-}" == pulumi ]]; then require_pulumi; fi
# A preview writes no state, yet the file backend still serialises, encrypts and verifies the whole snapshot after each
# of its steps (into a discarding persister), which grows with the square of the resource count: skipping those
# checkpoints loses nothing in a preview. Only `pulumi preview` as the first word; a value set by the caller wins.
if [[ "${1:-}" == pulumi && "${2:-}" == preview && -z "${PULUMI_SKIP_CHECKPOINTS+set}" ]]; then
  export PULUMI_SKIP_CHECKPOINTS=true
fi
exec "$@"
