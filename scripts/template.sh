#!/usr/bin/env bash
# Proves the repository is a working `dotnet new` template: installs it into a throwaway template hive (never the
# user's template list), makes Acme.Standup with and without the sample add-on in a temporary folder, and builds
# each solution and runs its unit tests. Everything it made is deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d /tmp/cleanaddon-template.XXXXXX)
trap 'rm -rf "$work"' EXIT
hive=(--debug:custom-hive "$work/hive")

dotnet new install . "${hive[@]}" >/dev/null

# Makes the solution in $work/<folder> with the given `dotnet new` options, builds it (with analysers or not) and
# runs its unit tests.
check_variant() {
  local folder=$1 analysers=$2 started=$SECONDS
  shift 2
  echo "Template: dotnet new cleanaddon -n Acme.Standup $*"
  dotnet new cleanaddon -n Acme.Standup -o "$work/$folder" "$@" "${hive[@]}" --no-update-check >/dev/null
  dotnet build "$work/$folder/Acme.Standup.sln" --nologo --verbosity quiet -p:RunAnalyzers="$analysers"
  dotnet test "$work/$folder/tests/UnitTests" --no-build --nologo
  echo "Template: $folder built and unit-tested in $((SECONDS - started)) s"
}

# With the sample, the solution is the repository renamed, whose code the repository's own build analyses: compiling
# it is enough, and spares the analysers' share of its build. Without the sample, the analysers run as they will for
# the team (an unused using left behind would fail its build).
check_variant sample false
check_variant no-sample true --no-sample
