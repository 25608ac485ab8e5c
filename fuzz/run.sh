#!/usr/bin/env bash
# Runs libFuzzer targets in BUILD_DIR for FUZZ_SECONDS each (all of them, or the ones named),
# each with its dictionary and its seed corpus: corpus/<format>, the OpenMetrics conformance
# suite (../shared/conformance/openmetrics/cases) when present, and fuzz/regressions/.
#   fuzz/run.sh build/fuzz                      # every target
#   fuzz/run.sh build/fuzz fuzz_roundtrip       # one target
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [TARGET...]}
shift
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
suite="$root/../shared/conformance/openmetrics/cases"

# The dictionary of a target (kept in step with fuzz/CMakeLists.txt).
dict_for() {
  case "$1" in
    fuzz_openmetrics_parser) echo "$root/fuzz/openmetrics.dict" ;;
    fuzz_openmetrics2_parser) echo "$root/fuzz/openmetrics2.dict" ;;
    fuzz_protobuf_reader) echo "$root/fuzz/protobuf.dict" ;;
    *) echo "$root/fuzz/text.dict" ;;
  esac
}

# The seed folders of a target: the formats it reads.
seeds_for() {
  local dirs=()
  case "$1" in
    fuzz_openmetrics_parser) dirs=("$root/corpus/openmetrics" "$suite") ;;
    fuzz_openmetrics2_parser) dirs=("$root/corpus/openmetrics2") ;;
    fuzz_protobuf_reader) dirs=("$root/corpus/protobuf") ;;
    fuzz_roundtrip) dirs=("$root/corpus/text" "$root/corpus/openmetrics" "$suite") ;;
    fuzz_fmt) dirs=("$root/corpus") ;;
    *) dirs=("$root/corpus/text") ;;
  esac
  dirs+=("$root/fuzz/regressions")
  for d in "${dirs[@]}"; do [ -d "$d" ] && echo "$d"; done
}

targets=()
if [ $# -gt 0 ]; then
  for name in "$@"; do targets+=("$build/fuzz/$name"); done
else
  for target in "$build"/fuzz/fuzz_*; do
    [ -x "$target" ] || continue
    case "$target" in *_replay) continue ;; esac
    targets+=("$target")
  done
fi

status=0
for target in "${targets[@]}"; do
  name=$(basename "$target")
  work="$build/fuzz-work/$name"
  mkdir -p "$work/corpus" "$work/artifacts"
  mapfile -t seeds < <(seeds_for "$name")
  echo "== $name for ${seconds}s (dict $(basename "$(dict_for "$name")"))"
  "$target" "$work/corpus" "${seeds[@]}" -dict="$(dict_for "$name")" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 || status=1
done
exit $status
