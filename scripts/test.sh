#!/usr/bin/env bash
# Runs every test: installs PostgreSQL and Chromium when missing, then `dotnet test`, printing each test as it
# finishes. The integration tests start (and stop) a throwaway PostgreSQL cluster of their own, unless
# CLEANADDON_TEST_POSTGRES names a server. Extra arguments go to `dotnet test`. Then, in the repository itself (the
# `dotnet new` template), scripts/template.sh builds and unit-tests the solutions the template makes.
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

if [ -z "${CLEANADDON_TEST_POSTGRES:-}" ]; then
  source scripts/postgres.sh
  postgres_install
fi

dotnet test CleanAddon.sln --logger "console;verbosity=normal" "$@"

# A solution made from the template is no template itself.
if [ -d .template.config ]; then
  bash scripts/template.sh
fi
