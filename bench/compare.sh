#!/usr/bin/env bash
# Times promtool-cpp against promtool and the Python client parser on generated payloads.
#
# usage: bench/compare.sh BUILD_DIR
#   BUILD_DIR holds promtool-cpp and promtool-gen (e.g. build/release or build/bench).
# environment:
#   RUNS=5           runs per tool and payload; the table shows the median
#   SLOW_RUNS=3      runs for promtool and Python on payloads of 100 MiB and more (each run
#                    takes seconds to tens of seconds); SLOW_RUNS=$RUNS for full repetitions
#   COMPARE_1G=1     also a 1 GiB payload: promtool-cpp only (file and stdin), unless
#                    COMPARE_1G_REFERENCE=1 also runs promtool and Python once on it
#   PAYLOAD_DIR=...  where payloads are generated and reused (default ~/.cache/promtool-cpp-bench)
#   SEED=1           generator seed
# Wall time comes from bash's $EPOCHREALTIME around each run (it includes starting
# /usr/bin/time, about a millisecond); peak RSS is GNU time's %M. MiB/s = payload MiB / median.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
CPP="$BUILD/promtool-cpp"
GEN="$BUILD/promtool-gen"
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-3}
SEED=${SEED:-1}
PAYLOAD_DIR=${PAYLOAD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/promtool-cpp-bench}
PYTHON=/usr/bin/python3  # Debian's python3-prometheus-client is not visible to a pyenv python3
GNU_TIME=/usr/bin/time

for tool in "$CPP" "$GEN" "$GNU_TIME" "$PYTHON"; do
  [[ -x $tool ]] || { echo "$0: $tool not found (build promtool-cpp and promtool-gen)" >&2; exit 1; }
done
command -v promtool >/dev/null || { echo "$0: promtool not found (apt-get install prometheus)" >&2; exit 1; }
"$PYTHON" -c 'import prometheus_client.parser' 2>/dev/null ||
  { echo "$0: $PYTHON cannot import prometheus_client (apt-get install python3-prometheus-client)" >&2; exit 1; }

SIZES=(10M 100M)
[[ ${COMPARE_1G:-0} == 1 ]] && SIZES+=(1G)

mkdir -p "$PAYLOAD_DIR"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

PY_PARSE='import sys
from prometheus_client.parser import text_string_to_metric_families
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
print(sum(len(fam.samples) for fam in text_string_to_metric_families(text)))'

# run_tool LABEL RUNS OK_CODES STDIN_FILE CMD...: appends "label median_s rss_kib runs" to
# $WORK/results.<payload>; STDIN_FILE is "-" to leave stdin alone.
run_tool() {
  local label=$1 runs=$2 ok_codes=$3 stdin=$4
  shift 4
  local times=() rss=0 i rc start end
  for ((i = 0; i < runs; i++)); do
    start=$EPOCHREALTIME
    set +e
    if [[ $stdin == - ]]; then
      "$GNU_TIME" -f '%M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    else
      "$GNU_TIME" -f '%M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" <"$stdin"
    fi
    rc=$?
    set -e
    end=$EPOCHREALTIME
    if [[ " $ok_codes " != *" $rc "* ]]; then
      echo "  $label: exit code $rc; stderr:" >&2
      head -5 "$WORK/err" >&2
      printf '%s\tFAIL\tFAIL\t%s\n' "$label" "$runs" >>"$RESULTS"
      return
    fi
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }')")
    local m
    m=$(tail -1 "$WORK/time")
    ((m > rss)) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '%s\t%s\t%s\t%s\n' "$label" "$median" "$rss" "$runs" >>"$RESULTS"
  echo "  $label: median ${median}s over $runs runs (all: ${times[*]}), peak RSS ${rss} KiB" >&2
}

echo "promtool-cpp: $CPP"
echo "promtool:     $(promtool --version 2>&1 | head -1)"
echo "python:       $PYTHON $("$PYTHON" -c 'import sys; print(sys.version.split()[0])') with prometheus_client $("$PYTHON" -c 'import prometheus_client, importlib.metadata as m; print(m.version("prometheus_client"))' 2>/dev/null || echo '?')"
echo "cpu:          $(nproc) x $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "runs:         $RUNS (promtool and python on >= 100M payloads: $SLOW_RUNS)"
echo

for size in "${SIZES[@]}"; do
  file="$PAYLOAD_DIR/kube-$size-seed$SEED.prom"
  if [[ ! -s $file ]]; then
    echo "generating $file" >&2
    "$GEN" --bytes "$size" --seed "$SEED" >"$file.tmp"
    mv "$file.tmp" "$file"
  fi
  cat "$file" >/dev/null  # page cache warm for everyone
  bytes=$(stat -c %s "$file")
  RESULTS="$WORK/results.$size"
  : >"$RESULTS"
  echo "== $size payload: $file ($bytes bytes)" >&2
  slow=$RUNS
  [[ $size != 10M ]] && slow=$SLOW_RUNS
  reference=1
  [[ $size == 1G && ${COMPARE_1G_REFERENCE:-0} != 1 ]] && reference=0
  [[ $size == 1G ]] && slow=1

  run_tool "promtool-cpp validate FILE" "$RUNS" "0" - "$CPP" validate --format=text "$file"
  run_tool "promtool-cpp validate - < FILE" "$RUNS" "0" "$file" "$CPP" validate --format=text -
  # The drop-in: exit 3 when it found lint problems, like promtool.
  run_tool "promtool-cpp check metrics < FILE" "$RUNS" "0 3" "$file" "$CPP" check metrics
  if ((reference)); then
    # promtool exits 3 when it only found lint problems.
    run_tool "promtool check metrics < FILE" "$slow" "0 3" "$file" promtool check metrics
    run_tool "python prometheus_client parser" "$slow" "0" - "$PYTHON" -c "$PY_PARSE" "$file"
  fi
done

# The table: per payload, each tool against promtool.
echo
printf '%-6s %-34s %5s %10s %10s %10s %12s %12s\n' payload tool runs median_s MiB/s peak_MiB \
  "speed_vs_pt" "rss_vs_pt"
for size in "${SIZES[@]}"; do
  file="$PAYLOAD_DIR/kube-$size-seed$SEED.prom"
  bytes=$(stat -c %s "$file")
  awk -F'\t' -v size="$size" -v bytes="$bytes" '
    { label[NR] = $1; med[NR] = $2; rss[NR] = $3; runs[NR] = $4
      if ($1 ~ /^promtool check/ && $2 != "FAIL") { pt_t = $2; pt_r = $3 } }
    END {
      for (i = 1; i <= NR; i++) {
        if (med[i] == "FAIL") {
          printf "%-6s %-34s %5s %10s %10s %10s %12s %12s\n", size, label[i], runs[i], "FAIL", "-", "-", "-", "-"
          continue
        }
        mibs = bytes / 1048576 / med[i]
        speed = pt_t ? sprintf("%.2fx", pt_t / med[i]) : "-"
        mem = pt_r ? sprintf("%.3fx", rss[i] / pt_r) : "-"
        printf "%-6s %-34s %5d %10.3f %10.1f %10.1f %12s %12s\n", size, label[i], runs[i], med[i], mibs, rss[i] / 1024, speed, mem
      }
    }' "$WORK/results.$size"
done
echo
echo "speed_vs_pt: promtool median / tool median (higher is faster); rss_vs_pt: tool peak RSS / promtool peak RSS"
echo "peak RSS of 'validate FILE' includes the memory-mapped payload pages; the stdin path streams."
if [[ -s $WORK/results.1G ]]; then
  awk -F'\t' '$1 == "promtool-cpp validate - < FILE" && $3 != "FAIL" {
    mib = $3 / 1024
    printf "1G stdin peak RSS of promtool-cpp validate: %.1f MiB (target: under 32 MiB): %s\n", mib, mib < 32 ? "met" : "NOT MET" }
    $1 == "promtool-cpp check metrics < FILE" && $3 != "FAIL" {
    mib = $3 / 1024
    printf "1G stdin peak RSS of promtool-cpp check metrics: %.1f MiB (target: under 64 MiB): %s\n", mib, mib < 64 ? "met" : "NOT MET" }' \
    "$WORK/results.1G"
fi
