#!/bin/sh
# Makes sure the pinned npm packages (solc, OpenZeppelin contracts, anvil, forge) are installed in
# contracts/node_modules, running `npm ci` from the lockfile when they are missing or older than
# the lockfile. Fails with a clear message when node or npm is missing: the contract build and the
# anvil tests cannot run without them, and skipping them silently would hide a broken machine.
set -eu
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "veridict-contracts: node and npm are required (Node.js >= 18) to compile the Solidity" >&2
  echo "contracts with the pinned solc and to run anvil for the tests. Install them, e.g." >&2
  echo "  apt-get install -y nodejs npm" >&2
  echo "then run: (cd contracts && npm ci --ignore-scripts)" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "veridict-contracts: Node.js >= 18 is required, found $(node --version)" >&2
  exit 1
fi
if [ -f node_modules/solc/package.json ] && [ -f node_modules/@openzeppelin/contracts/package.json ] \
   && [ -f node_modules/@foundry-rs/anvil/package.json ] && [ -f node_modules/@foundry-rs/forge/package.json ] \
   && [ -f node_modules/.package-lock.json ] \
   && [ ! package-lock.json -nt node_modules/.package-lock.json ]; then
  exit 0
fi
echo "veridict-contracts: installing the pinned npm packages (npm ci --ignore-scripts)"
# --ignore-scripts: anvil's and forge's binaries ship in their platform packages; their postinstall would only try a
# download from elsewhere as a fallback, which must never happen at build time.
npm ci --ignore-scripts --no-audit --no-fund
