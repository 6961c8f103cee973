#!/usr/bin/env bash
# Adds a migration to one migration set, for both providers (docs/adr/0001-data-access.md):
#   bash scripts/add-migration.sh <set> <MigrationName> [<project> [<startup project>]]
# <set> is "framework" or a module's name (IAddonModule.Name); <project> is where the set's migrations are compiled
# (default src/Infrastructure), <startup project> the host that registers the module (default src/Api).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then
  sed -n '2,5p' "$0" >&2
  exit 2
fi
set_name=$1
name=$2
project=${3:-src/Infrastructure}
startup=${4:-src/Api}

# The folder names the namespace (the project's root namespace + the folder), which names the set's migrations.
if [ "$set_name" = framework ]; then
  folder=Persistence/Migrations
else
  folder=$(echo "$set_name" | awk -F- '{ for (i = 1; i <= NF; i++) printf "%s", toupper(substr($i, 1, 1)) substr($i, 2) }')/Migrations
fi

dotnet tool restore >/dev/null
for provider in Sqlite Postgres; do
  # The tools build the host without connecting: PostgreSQL only needs a connection string it can parse.
  connection="Data Source=design-time.db"
  [ "$provider" = Postgres ] && connection="Host=localhost"
  dotnet ef migrations add "$name" --project "$project" --startup-project "$startup" \
    --context "${provider}AddonDbContext" --output-dir "$folder/$provider" \
    -- "--Database:Provider=$provider" "--Database:MigrationSet=$set_name" "--ConnectionStrings:Addon=$connection"
done
