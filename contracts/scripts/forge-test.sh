#!/bin/sh
# Runs the Solidity tests (src/test/solidity, foundry.toml) with the pinned forge from npm
# (@foundry-rs/forge, its binary ships in the platform package) and the pinned npm solc behind
# scripts/solc-forge.mjs. Offline by configuration: forge downloads no compiler and nothing else.
# Extra arguments go to `forge test` (e.g. --match-test test_issueBundle -vvv).
set -eu
cd "$(dirname "$0")/.."
forge=$(ls node_modules/@foundry-rs/forge-*/bin/forge 2>/dev/null | head -n 1 || true)
if [ -z "$forge" ] || [ ! -x "$forge" ]; then
  echo "veridict-contracts: no forge binary for this platform under node_modules/@foundry-rs;" >&2
  echo "run: sh scripts/ensure-node-modules.sh (npm ci --ignore-scripts from package-lock.json)" >&2
  exit 1
fi
"$forge" --version | head -n 1
exec "$forge" test "$@"
