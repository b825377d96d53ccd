#!/usr/bin/env bash
# Builds what make bench compares with the commit before issues 14 and 15 (BEFORE_REV, default f170c17), in a git
# worktree of it, kept with the binaries in .build-bench-before/ and reused. Prints the binary's path.
#   build.sh           matchkeys-before: that commit's match keys (Benchmarks/before/main.swift as an extra target)
#   build.sh daemon    that commit's enrichd, release (the warm-pipeline row runs it beside today's)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rev="${BEFORE_REV:-f170c17}"
tree="$root/.build-bench-before/tree-$rev"
mkdir -p "$root/.build-bench-before"
if [ ! -d "$tree" ]; then git -C "$root" worktree add --detach -f "$tree" "$rev" >&2; fi
if [ "${1:-}" = daemon ]; then
  bin="$root/.build-bench-before/enrichd-$rev"
  if [ ! -x "$bin" ]; then
    (cd "$tree" && swift build -c release --product enrichd --scratch-path "$root/.build-bench-before/scratch-release" >&2)
    cp "$root/.build-bench-before/scratch-release/release/enrichd" "$bin"
  fi
  echo "$bin"
  exit 0
fi
bin="$root/.build-bench-before/matchkeys-before-$rev"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$tree/Sources/matchkeys-before"
cp "$here/main.swift" "$tree/Sources/matchkeys-before/main.swift"
grep -q '"matchkeys-before"' "$tree/Package.swift" || cat >> "$tree/Package.swift" <<'SWIFT'
package.targets.append(.executableTarget(name: "matchkeys-before", dependencies: ["Enrichment"]))
SWIFT
(cd "$tree" && swift build --product matchkeys-before --scratch-path "$root/.build-bench-before/scratch" >&2)
cp "$root/.build-bench-before/scratch/debug/matchkeys-before" "$bin"
echo "$bin"
