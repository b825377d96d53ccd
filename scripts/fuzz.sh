#!/usr/bin/env bash
# make fuzz: libFuzzer (-sanitize=fuzzer with address sanitizer) on the descriptor/config parser, the CSV and JSON Lines reader
# (normal and tiny buffers must agree), the Leadspace response decoder and the answer JSON of ledger and cache,
# each for FUZZ_SECONDS, starting from the committed seed corpus in Fuzz/Corpus.
# A crash stops with the crashing input saved under .build/fuzz/; add it to Fuzz/Regressions/<target>/ and to a test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
OUT=.build/fuzz
mkdir -p "$OUT"
# The parsers and what they read into, compiled as one module (so internals are reachable): Formats and the parts of
# Jobs that need nothing else (not the plan, the cache or the commands), with their `import Formats` dropped.
src=$OUT/src
rm -rf "$src" && mkdir -p "$src"
# (A descriptor may name the saved enrichment it is a run of, and the report draws its history: EnrichmentName and RefreshHistory come along.)
for file in $(find Sources/Formats Sources/Jobs/Descriptor Sources/Jobs/Input Sources/Jobs/Matching Sources/Jobs/Output \
    Sources/Jobs/Configuration -name '*.swift' | sort) Sources/Jobs/Enrichments/EnrichmentName.swift Sources/Jobs/Enrichments/RefreshHistory.swift; do
  sed '/^import Formats$/d' "$file" >"$src/$(echo "$file" | tr / _)"
done
enrichment=$(find "$src" -name '*.swift' | sort)
build() { # name, sources...
  local name=$1; shift
  echo "building fuzz target $name"
  # (ld.gold warns about every ASan helper symbol; the log keeps that noise out of sight)
  swiftc -sanitize=fuzzer,address -parse-as-library -g -Onone -module-name "Fuzz$name" "$@" -o "$OUT/$name" \
      >"$OUT/$name.build.log" 2>&1 || { cat "$OUT/$name.build.log" >&2; exit 1; }
}
build descriptor $enrichment Fuzz/DescriptorFuzzer.swift
build csv $enrichment Fuzz/CSVFuzzer.swift
build response Sources/LeadspaceAPI/EnrichmentResult.swift Fuzz/ResponseFuzzer.swift
build answer $enrichment Fuzz/AnswerFuzzer.swift
status=0
for name in descriptor csv response answer; do
  mkdir -p "$OUT/corpus-$name" "$OUT/artifacts-$name/"
  regressions=()
  [ -d "Fuzz/Regressions/$name" ] && regressions=("Fuzz/Regressions/$name")
  echo "fuzzing $name for ${SECONDS_EACH}s"
  if ! "$OUT/$name" -max_total_time="$SECONDS_EACH" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/artifacts-$name/" "$OUT/corpus-$name" "Fuzz/Corpus/$name" "${regressions[@]}" \
        >"$OUT/$name.log" 2>&1; then
    echo "FAIL: fuzz target $name found a crash; see $OUT/$name.log and $OUT/artifacts-$name/" >&2
    tail -n 30 "$OUT/$name.log" >&2
    status=1
  else
    echo "ok: $name $(grep -E 'stat::number_of_executed_units' "$OUT/$name.log" | awk '{print $2}') executions, no crash"
  fi
done
exit $status
