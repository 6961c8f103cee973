#!/usr/bin/env bash
# Sourced, not run: a throwaway PostgreSQL cluster on a free loopback port, for the tests and the benchmarks.
#   source scripts/postgres.sh; postgres_start; ...; postgres_stop
# postgres_start installs PostgreSQL when missing and sets PGPORT and POSTGRES_CONNECTION (database "postgres");
# postgres_stop (idempotent, safe in an EXIT trap) stops the cluster and deletes its files. postgres_install only
# installs it when missing. tests/IntegrationTests/Infrastructure/PostgresServer.cs starts a cluster the same way.

_pg_as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

postgres_install() {
  if [ -z "$(_pg_bin)" ] || [ ! -x "$(_pg_bin)/initdb" ]; then
    echo "Installing PostgreSQL..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
}

postgres_start() {
  postgres_install
  PGBIN=$(_pg_bin)

  PGROOT=$(mktemp -d /tmp/cleanaddon-pg.XXXXXX)
  mkdir -p "$PGROOT/data" "$PGROOT/sock"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$PGROOT"; fi
  _pg_as_postgres "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null

  # A port that looked free can be taken before the server binds it (another run on this machine): try the next.
  PGPORT=""
  local port
  for port in $(seq 55432 55532); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    # fsync off: a throwaway cluster, nothing to keep.
    if _pg_as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 30 \
        -o "-p $port -k $PGROOT/sock -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null; then
      PGPORT=$port
      break
    fi
  done
  [ -n "$PGPORT" ] || { tail -5 "$PGROOT/server.log" >&2; echo "PostgreSQL did not start" >&2; return 1; }
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
  POSTGRES_CONNECTION="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
}

postgres_stop() {
  if [ -n "${PGROOT:-}" ] && [ -d "$PGROOT" ]; then
    _pg_as_postgres "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$PGROOT"
  fi
  PGROOT=""
}
