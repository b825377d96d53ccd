#!/usr/bin/env bash
# make bench: the enrichd benchmark suite (issues 6 and 9) on release binaries, loopback only.
# Writes docs/BENCHMARKS.md. Environment:
#   BENCH_ONLY=rate,cost,pipeline,pickup,idle,bulk,startup,matching   run a subset
#   BENCH_DATA_CACHE=DIR  where the matching row keeps downloaded PyPI packages (default .build-bench-data/)
#   BENCH_SKIP_BUILD=1   use the release binaries as they are (default: `swift build -c release` first)
#   BENCH_KEEP=1         keep the work directory (logs, spools, inputs) for inspection
#   BENCH_OUT=PATH       write the table elsewhere (default docs/BENCHMARKS.md)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  # A source edited during the build fails it; try twice, then go on with the binaries there are (warning).
  swift build -c release 2>&1 | tail -n 1 && [ "${PIPESTATUS[0]}" = 0 ] \
    || swift build -c release 2>&1 | tail -n 1 && [ "${PIPESTATUS[0]}" = 0 ] \
    || echo "WARNING: swift build -c release failed; benchmarking the existing release binaries" >&2
fi
BIN=$(swift build -c release --show-bin-path)
for program in enrichd enrichctl leadspace-sandbox; do
  [ -x "$BIN/$program" ] || { echo "missing $BIN/$program (swift build -c release)" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/enrichd-bench.XXXXXX")
PY_PID=
cleanup() {
  status=$?
  if [ -n "$PY_PID" ] && kill "$PY_PID" 2>/dev/null; then
    # bench.py stops its daemons and sandboxes on SIGTERM; give it the time to (each stop is bounded).
    for _ in $(seq 600); do kill -0 "$PY_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  # Whatever bench.py started and did not stop (it records every pid it spawns).
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do
      kill "$pid" 2>/dev/null || true
    done <"$WORK/pids"
    sleep 0.5
    while read -r pid; do
      kill -9 "$pid" 2>/dev/null || true
    done <"$WORK/pids"
  fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$ROOT/docs"
python3 "$ROOT/Benchmarks/bench.py" --bin "$BIN" --work "$WORK" \
  --out "${BENCH_OUT:-$ROOT/docs/BENCHMARKS.md}" --command "${BENCH_COMMAND:-make bench}" &
PY_PID=$!
wait "$PY_PID"
rc=$?
PY_PID=
exit $rc
