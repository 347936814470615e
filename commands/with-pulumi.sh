#!/usr/bin/env bash
# Runs a command with the environment of the local stacks (state folder, dev passphrase, cached CLI):
#   npm run -s pulumi -- stack output testCommands --json --stack dev
set -euo pipefail
# shellcheck source=pulumi-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/pulumi-env.sh"
if [[ "${1:-}" == pulumi ]]; then require_pulumi; fi
exec "$@"
