#!/usr/bin/env bash
# Replaces the shipped county list with result.csv of the areacodes data set (services/PopInfo.Domain/Counties/README.md).
# Usage: tools/reference-data/update-counties.sh <clone of github.com/yescallop/areacodes> [commit]   (default: HEAD)
# Prints the commit that last changed result.csv, the SHA-256 and the figures the README and the unit tests state.
set -euo pipefail

source_repo=${1:?usage: $0 <clone of the areacodes repository> [commit]}
commit=${2:-HEAD}
target="$(cd "$(dirname "$0")/../.." && pwd)/services/PopInfo.Domain/Counties/areacodes.csv"

git -C "$source_repo" show "$commit:result.csv" > "$target.new"
mv "$target.new" "$target"

echo "result.csv last changed in: $(git -C "$source_repo" log -1 --format='%H %cs' "$commit" -- result.csv)"
sha256sum "$target"
awk -F, 'NR > 1 {
    lines++
    if ($5 == "省级") { provinces++; next }
    entries++; codes[$1] = 1
    if ($6 == "在用" && $5 == "县级") counties++
    if ($6 == "在用" && $5 == "地级") prefectures++
    if ($6 == "弃用") abolished++
    if ($6 == "变更") changed++
  }
  END {
    n = 0; for (c in codes) n++
    printf "lines %d (province-level %d); entries %d under %d codes; in use: %d county-level, %d prefecture-level; abolished %d; changed %d\n",
      lines, provinces, entries, n, counties, prefectures, abolished, changed
  }' "$target"
