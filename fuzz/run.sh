#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for FUZZ_SECONDS each, seeded from corpus/ and
# fuzz/regressions/, with the target's dictionary when there is one.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR}
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for target in "$build"/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  case "$target" in *_replay) continue ;; esac
  name=$(basename "$target")
  work="$build/fuzz-work/$name"
  mkdir -p "$work/corpus" "$work/artifacts"
  dict_opt=()
  dict="$root/fuzz/${name#fuzz_}.dict"
  [ -f "$dict" ] || dict="$root/fuzz/text.dict"
  [ -f "$dict" ] && dict_opt=(-dict="$dict")
  echo "== $name for ${seconds}s"
  "$target" "$work/corpus" "$root/corpus" "$root/fuzz/regressions" "${dict_opt[@]}" \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 || status=1
done
exit $status
