#!/usr/bin/env bash
# Runs every test: installs PostgreSQL and Chromium when missing, starts a throwaway cluster on a free loopback port,
# runs `dotnet test` against it, and always stops the cluster. Extra arguments go to `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/.."

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  echo "Installing PostgreSQL..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(pg_bin)

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

PGROOT=$(mktemp -d /tmp/cleanaddon-pg.XXXXXX)
mkdir -p "$PGROOT/data" "$PGROOT/sock"
[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$PGROOT"

stop_cluster() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap stop_cluster EXIT

as_postgres "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
# A port that looked free can be taken before the server binds it (another run on the same machine): try the next.
PGPORT=""
for port in $(seq 55432 55532); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
  # fsync off: a throwaway cluster for tests, nothing to keep.
  if as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
      -o "-p $port -k $PGROOT/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null; then
    PGPORT=$port
    break
  fi
done
[ -n "$PGPORT" ] || { tail -5 "$PGROOT/server.log" >&2; echo "PostgreSQL did not start" >&2; exit 1; }
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"

export CLEANADDON_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
dotnet test CleanAddon.sln "$@"
