#!/usr/bin/env bash
# Times `promtool-cpp diff` on a generated payload against a copy with 1% of its sample values
# changed: median wall time and peak RSS of RUNS runs, checked against 2 s and 256 MiB.
#
# usage: bench/diff_bench.sh BUILD_DIR
#   BUILD_DIR holds promtool-cpp and promtool-gen (e.g. build/release).
# environment:
#   SIZE=100M        payload size (promtool-gen --bytes)
#   SEED=1           generator seed
#   RUNS=3           timed runs; the median is reported
#   PAYLOAD_DIR=...  where the payload and its mutated copy are written and reused
#                    (default ~/.cache/promtool-cpp-bench)
# The copy changes every 100th sample line's value v to 2v+1 (42 for NaN and infinities), keeping
# labels and timestamps, so the diff must report exactly that many value differences.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
CPP="$BUILD/promtool-cpp"
GEN="$BUILD/promtool-gen"
SIZE=${SIZE:-100M}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
PAYLOAD_DIR=${PAYLOAD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/promtool-cpp-bench}
GNU_TIME=/usr/bin/time

for tool in "$CPP" "$GEN" "$GNU_TIME"; do
  [[ -x $tool ]] || { echo "$0: $tool not found (build promtool-cpp and promtool-gen)" >&2; exit 1; }
done
mkdir -p "$PAYLOAD_DIR"
OLD="$PAYLOAD_DIR/diff-$SIZE-seed$SEED.prom"
NEW="$PAYLOAD_DIR/diff-$SIZE-seed$SEED-mutated.prom"
COUNT="$NEW.count"

if [[ ! -s $OLD ]]; then
  echo "generating $OLD" >&2
  "$GEN" --bytes "$SIZE" --seed "$SEED" > "$OLD.tmp" && mv "$OLD.tmp" "$OLD"
fi
if [[ ! -s $NEW || ! -s $COUNT || $NEW -ot $OLD ]]; then
  echo "mutating 1% of the sample values into $NEW" >&2
  LC_ALL=C awk -v count_file="$COUNT.tmp" '
    !/^#/ && NF > 0 {
      n++
      if (n % 100 == 0) {
        # The value follows the label set (or the name when there are no labels).
        i = index($0, "}")
        if (i == 0) i = index($0, " ")
        head = substr($0, 1, i)
        rest = substr($0, i + 1)
        sub(/^ +/, "", rest)
        sp = index(rest, " ")
        if (sp == 0) { value = rest; tail = "" } else { value = substr(rest, 1, sp - 1); tail = substr(rest, sp) }
        if (value ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/) {
          value = sprintf("%.17g", value * 2 + 1)
        } else {
          value = "42"
        }
        $0 = head " " value tail
        changed++
      }
    }
    { print }
    END { print changed > count_file }
  ' "$OLD" > "$NEW.tmp"
  mv "$NEW.tmp" "$NEW"
  mv "$COUNT.tmp" "$COUNT"
fi
EXPECTED=$(cat "$COUNT")

# Correctness first: exactly the mutated values differ (as value changes or counter resets).
set +e
STAT=$("$CPP" diff --stat "$OLD" "$NEW")
rc=$?
set -e
if [[ $rc -ne 1 ]]; then
  echo "$0: diff exited $rc, expected 1" >&2
  exit 1
fi
FOUND=$(awk '/^values changed/ {v = $3} /^counter resets/ {r = $3} /^differences/ {d = $2}
             END { if (v + r == d) print d; else print "mismatch" }' <<< "$STAT")
if [[ $FOUND != "$EXPECTED" ]]; then
  echo "$0: expected $EXPECTED value differences, diff reports:" >&2
  echo "$STAT" >&2
  exit 1
fi

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

times=()
rss=()
for ((i = 0; i < RUNS; i++)); do
  out=$({ "$GNU_TIME" -f '%e %M' "$CPP" diff "$OLD" "$NEW" > /dev/null; } 2>&1 || true)
  read -r t m <<< "$(tail -n 1 <<< "$out")"
  times+=("$t")
  rss+=("$m")
done
T=$(printf '%s\n' "${times[@]}" | median)
M=$(printf '%s\n' "${rss[@]}" | median)
MIB=$(awk -v k="$M" 'BEGIN { printf "%.1f", k / 1024 }')
BYTES=$(($(stat -c %s "$OLD") + $(stat -c %s "$NEW")))

echo "promtool-cpp diff, $SIZE payload (seed $SEED) vs a copy with $EXPECTED values changed"
echo "runs: $RUNS; wall seconds: ${times[*]}; peak RSS KiB: ${rss[*]}"
printf 'median: %s s, %s MiB peak RSS, %s MiB/s of input (both files)\n' "$T" "$MIB" \
  "$(awk -v b="$BYTES" -v t="$T" 'BEGIN { printf "%.0f", (t > 0 ? b / 1048576 / t : 0) }')"
status=0
awk -v t="$T" 'BEGIN { exit !(t < 2) }' || { echo "over budget: wall time >= 2 s"; status=1; }
awk -v m="$M" 'BEGIN { exit !(m < 256 * 1024) }' || { echo "over budget: peak RSS >= 256 MiB"; status=1; }
[[ $status -eq 0 ]] && echo "within budget (< 2 s, < 256 MiB)"
exit $status
