#!/usr/bin/env bash
# Runs every test: installs PostgreSQL when missing, starts a throwaway cluster on a free loopback port,
# runs `dotnet test` against it, and always stops the cluster. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/postgres.sh
trap postgres_stop EXIT
postgres_start

export CLEANADDON_TEST_POSTGRES="$POSTGRES_CONNECTION"
dotnet test CleanAddon.sln "$@"
