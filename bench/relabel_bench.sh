#!/usr/bin/env bash
# Times `promtool-cpp relabel` end to end with the rules of docs/relabeling.md (the worked
# example, and the four rules that relabel every series), optionally against a second binary
# in the same run: median wall time of whole processes, MB/s, peak RSS from a file and from a
# pipe, whether the outputs are byte-identical, and (CALLGRIND=1) instruction counts.
#
# usage: bench/relabel_bench.sh PAYLOAD NEW_BINARY [OLD_BINARY]
# environment:
#   RUNS=5        runs per row (interleaved new/old); the median is reported
#   SLICE=FILE    a smaller payload for callgrind (default: PAYLOAD)
#   CALLGRIND=0   1 also counts instructions with valgrind --tool=callgrind (deterministic;
#                 wall times on a shared machine are noisy)
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 PAYLOAD NEW_BINARY [OLD_BINARY]" >&2
  exit 2
fi
PAYLOAD=$1
NEW=$2
OLD=${3:-}
RUNS=${RUNS:-5}
SLICE=${SLICE:-$PAYLOAD}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cp "$(dirname "$0")/rules/worked_example.yml" "$TMP/worked.yml"
cat >"$TMP/every.yml" <<'EOF'
- {source_labels: [__name__], regex: go_.*, action: drop}
- {source_labels: [pod], target_label: pod_name}
- {regex: token, action: labeldrop}
- {source_labels: [pod], modulus: 4, target_label: shard, action: hashmod}
EOF

BYTES=$(stat -c %s "$PAYLOAD")

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# One timed run: prints "seconds kilobytes". $1 binary, $2 rules, $3 file|pipe, $4 output.
run() {
  local t
  if [[ $3 == pipe ]]; then
    t=$({ /usr/bin/time -f '%e %M' sh -c "cat '$PAYLOAD' | '$1' relabel --rules '$2' - >'$4'"; } 2>&1)
  else
    t=$({ /usr/bin/time -f '%e %M' "$1" relabel --rules "$2" "$PAYLOAD" >"$4"; } 2>&1)
  fi
  echo "$t" | tail -n 1
}

printf '%-8s %-5s %-4s %8s %8s %10s\n' rules input bin "wall s" "MB/s" "peak KB"
for rules in worked every; do
  for mode in file pipe; do
    : >"$TMP/new.times"
    : >"$TMP/old.times"
    for ((i = 0; i < RUNS; i++)); do
      run "$NEW" "$TMP/$rules.yml" "$mode" "$TMP/new.out" >>"$TMP/new.times"
      [[ -n $OLD ]] && run "$OLD" "$TMP/$rules.yml" "$mode" "$TMP/old.out" >>"$TMP/old.times"
    done
    for bin in new old; do
      [[ $bin == old && -z $OLD ]] && continue
      s=$(cut -d' ' -f1 "$TMP/$bin.times" | median)
      kb=$(cut -d' ' -f2 "$TMP/$bin.times" | sort -n | tail -n 1)
      printf '%-8s %-5s %-4s %8s %8.0f %10s\n' "$rules" "$mode" "$bin" "$s" \
        "$(echo "$BYTES / 1000000 / $s" | bc -l)" "$kb"
    done
    if [[ -n $OLD ]]; then
      if cmp -s "$TMP/new.out" "$TMP/old.out"; then
        echo "  outputs identical ($(stat -c %s "$TMP/new.out") bytes)"
      else
        echo "  OUTPUTS DIFFER"
      fi
    fi
  done
  if [[ ${CALLGRIND:-0} == 1 ]]; then
    for bin in NEW OLD; do
      b=${!bin}
      [[ -z $b ]] && continue
      n=$(valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$TMP/cg" \
        "$b" relabel --rules "$TMP/$rules.yml" "$SLICE" 2>&1 >/dev/null |
        sed -n 's/.*Collected : //p')
      echo "  callgrind $rules $bin on $(basename "$SLICE"): $n instructions"
    done
  fi
done
