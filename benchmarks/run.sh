#!/usr/bin/env bash
# The load benchmark (see benchmarks/README.md): builds Release, then drives a bare Kestrel baseline and the add-on,
# on SQLite and on PostgreSQL in a throwaway cluster, with wrk on loopback, the way HipChat loads an add-on, and
# prints one table with the targets of issue 16. About 5 minutes. Installs wrk (and PostgreSQL) with apt-get when
# missing. Extra arguments go to the driver, e.g. --duration 20, or --trace perf to profile each add-on run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  echo "Installing wrk..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

echo "Commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src benchmarks || echo ' with uncommitted changes')"
echo "Machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, .NET $(dotnet --version), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
dotnet build benchmarks/load.slnf -c Release -nologo -v quiet

WORK=$(mktemp -d /tmp/cleanaddon-bench.XXXXXX)
source scripts/postgres.sh
trap 'postgres_stop; rm -rf "$WORK"' EXIT

# The add-on as operators deploy it: `dotnet publish` (ReadyToRun, docs/deploy.md), started from its publish folder.
dotnet publish src/Api -c Release -o "$WORK/addon" -nologo -v quiet
postgres_start

out=bin/Release/net10.0
dotnet "benchmarks/LoadDriver/$out/CleanAddon.LoadDriver.dll" \
  --addon "$WORK/addon/CleanAddon.Api.dll" \
  --baseline "benchmarks/Baseline/$out/CleanAddon.Baseline.dll" \
  --work "$WORK" \
  --postgres "$POSTGRES_CONNECTION" \
  "$@"
