#!/usr/bin/env bash
# Runs every test: installs PostgreSQL and Chromium when missing, starts a throwaway PostgreSQL cluster on a free
# loopback port, runs `dotnet test` against it, and always stops the cluster. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work offline).
if [ -z "${CHROMIUM_PATH:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Chromium..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  CHROMIUM_PATH=$(command -v chromium)
fi
export CHROMIUM_PATH

source scripts/postgres.sh
trap postgres_stop EXIT
postgres_start

export CLEANADDON_TEST_POSTGRES="$POSTGRES_CONNECTION"
dotnet test CleanAddon.sln "$@"
