#!/usr/bin/env bash
# Copies every service's migration scripts (PostgreSQL and SQLite) as they were at one commit into
# Baseline/<commit>/<Service>/<Dialect>/, the upgrade test's starting point (see README.md).
# Usage, from anywhere in the repository: tests/PopInfo.IntegrationTests/Data/Baseline/make-baseline.sh <commit>
set -euo pipefail
commit="${1:?usage: make-baseline.sh <commit>}"
short="$(git rev-parse --short=7 "$commit")"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel)"
target="$here/$short"
rm -rf "$target"
git -C "$root" ls-tree -r --name-only "$short" -- services \
    | grep -E '^services/PopInfo\.[A-Za-z]+/Migrations/(PostgreSql|Sqlite)/V[0-9]+__[^/]+\.sql$' \
    | while read -r path; do
        service="$(echo "$path" | cut -d/ -f2 | sed 's/^PopInfo\.//')"
        rest="${path#services/PopInfo.$service/Migrations/}"
        mkdir -p "$target/$service/$(dirname "$rest")"
        git -C "$root" show "$short:$path" > "$target/$service/$rest"
    done
echo "$target: $(find "$target" -name '*.sql' | wc -l) scripts"
