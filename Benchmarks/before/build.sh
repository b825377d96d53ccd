#!/usr/bin/env bash
# Builds matchkeys-before: the match keys of the commit before the matching rules (issue 14), for make bench's
# "before" columns. A git worktree of that commit gets Benchmarks/before/main.swift as an extra executable target;
# the binary is kept in .build-bench-before/ and reused. Prints the binary's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rev="${BEFORE_REV:-f170c17}"
tree="$root/.build-bench-before/tree-$rev"
bin="$root/.build-bench-before/matchkeys-before-$rev"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$root/.build-bench-before"
if [ ! -d "$tree" ]; then git -C "$root" worktree add --detach -f "$tree" "$rev" >&2; fi
mkdir -p "$tree/Sources/matchkeys-before"
cp "$here/main.swift" "$tree/Sources/matchkeys-before/main.swift"
grep -q '"matchkeys-before"' "$tree/Package.swift" || cat >> "$tree/Package.swift" <<'SWIFT'
package.targets.append(.executableTarget(name: "matchkeys-before", dependencies: ["Enrichment"]))
SWIFT
(cd "$tree" && swift build --product matchkeys-before --scratch-path "$root/.build-bench-before/scratch" >&2)
cp "$root/.build-bench-before/scratch/debug/matchkeys-before" "$bin"
echo "$bin"
