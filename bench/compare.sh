#!/usr/bin/env bash
# Times every command of the performance issue end to end (whole process: median wall time,
# MB/s, peak RSS) on both payload shapes, promtool-cpp beside promtool, Go's expfmt (when `go` is
# installed) and the Python client, with same-run ratios.
#
# usage: bench/compare.sh BUILD_DIR
#   BUILD_DIR holds promtool-cpp and promtool-gen (e.g. build/release).
# environment:
#   SIZE=100M        payload size per shape (promtool-gen --bytes; K/M/G are binary units)
#   SHAPES="cycles large"  payload shapes (promtool-gen --shape): many small families, and
#                    kube-state-metrics' ~115 families with the largest holding 19% of the bytes
#   RUNS=5           runs of promtool-cpp per row; the median is reported
#   SLOW_RUNS=3      runs of promtool, Python and Go per row
#   REFERENCES=1     0 skips promtool, Python and Go (promtool-cpp rows only)
#   PAYLOAD_DIR=...  where payloads are generated and reused (default ~/.cache/promtool-cpp-bench)
#   SEED=1           generator seed
# Wall time comes from bash's $EPOCHREALTIME around each run (it includes starting
# /usr/bin/time, about a millisecond); peak RSS is GNU time's %M (the largest process of a
# pipeline). MB/s = input bytes / 1e6 / median. "x cpp" = the tool's median / promtool-cpp's median
# in the same row (how many times longer it takes); "rss x cpp" likewise for peak RSS.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
CPP="$BUILD/promtool-cpp"
GEN="$BUILD/promtool-gen"
SIZE=${SIZE:-100M}
SHAPES=${SHAPES:-cycles large}
RUNS=${RUNS:-5}
SLOW_RUNS=${SLOW_RUNS:-3}
REFERENCES=${REFERENCES:-1}
SEED=${SEED:-1}
PAYLOAD_DIR=${PAYLOAD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/promtool-cpp-bench}
PYTHON=/usr/bin/python3  # Debian's python3-prometheus-client is not visible to a pyenv python3
GNU_TIME=/usr/bin/time

for tool in "$CPP" "$GEN" "$GNU_TIME"; do
  [[ -x $tool ]] || { echo "$0: $tool not found (build promtool-cpp and promtool-gen)" >&2; exit 1; }
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
RESULTS="$WORK/results"
: >"$RESULTS"
# relabel's rules: the worked example of docs/relabeling.md.
RULES="$HERE/rules/worked_example.yml"
# shellcheck source=bench/payload.sh
. "$HERE/payload.sh"
# The references that are installed.
HAVE_PROMTOOL=0 HAVE_PYTHON=0 HAVE_GO=0
if [[ $REFERENCES == 1 ]]; then
  if command -v promtool >/dev/null; then HAVE_PROMTOOL=1; else
    echo "note: promtool not found (apt-get install prometheus): its rows are skipped" >&2
  fi
  if [[ -x $PYTHON ]] && "$PYTHON" -c 'import prometheus_client.parser, prometheus_client.openmetrics.parser' 2>/dev/null; then
    HAVE_PYTHON=1
  else
    echo "note: $PYTHON cannot import prometheus_client (apt-get install python3-prometheus-client): its rows are skipped" >&2
  fi
  if command -v go >/dev/null; then
    # bench/expfmt_ref: prometheus/common's expfmt, built in a scratch copy (go fetches the module).
    cp -r "$HERE/expfmt_ref" "$WORK/expfmt_ref"
    if (cd "$WORK/expfmt_ref" && GOFLAGS=-mod=mod go build -o "$WORK/expfmt-ref" . >"$WORK/go-build.log" 2>&1); then
      HAVE_GO=1
    else
      echo "note: building bench/expfmt_ref failed (see below): Go expfmt rows are skipped" >&2
      head -5 "$WORK/go-build.log" >&2
    fi
  else
    echo "note: go not found: Go expfmt rows are skipped" >&2
  fi
fi
GO_REF="$WORK/expfmt-ref"

PY_TEXT='import sys
from prometheus_client.parser import text_string_to_metric_families
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
print(sum(len(fam.samples) for fam in text_string_to_metric_families(text)))'
PY_OM='import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
print(sum(len(fam.samples) for fam in text_string_to_metric_families(text)))'

# run_tool SHAPE ROW TOOL RUNS BYTES OK_CODES CMD...: times CMD (stdin /dev/null, stdout to a
# scratch file) and appends "shape row tool median rss_kib runs bytes" to $RESULTS.
run_tool() {
  local shape=$1 row=$2 tool=$3 runs=$4 bytes=$5 ok_codes=$6
  shift 6
  local times=() rss=0 i rc start end m median
  for ((i = 0; i < runs; i++)); do
    start=$EPOCHREALTIME
    set +e
    "$GNU_TIME" -f '%M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    set -e
    end=$EPOCHREALTIME
    if [[ " $ok_codes " != *" $rc "* ]]; then
      echo "  $shape / $row / $tool: exit code $rc; stderr:" >&2
      head -5 "$WORK/err" >&2
      printf '%s\t%s\t%s\tFAIL\tFAIL\t%s\t%s\n' "$shape" "$row" "$tool" "$runs" "$bytes" >>"$RESULTS"
      return 0
    fi
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }')")
    m=$(tail -1 "$WORK/time")
    ((m > rss)) && rss=$m
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$shape" "$row" "$tool" "$median" "$rss" "$runs" "$bytes" >>"$RESULTS"
  echo "  $shape / $row / $tool: median ${median}s (runs: ${times[*]}), peak RSS ${rss} KiB" >&2
}

# bash -c "$PIPE" pipe FILE CMD...: CMD reading FILE from a pipe (cat FILE | CMD).
PIPE='f=$1; shift; cat "$f" | "$@"'

# mutate OLD NEW: NEW is OLD with every 100th sample value v changed to 2v+1 (42 for NaN and
# infinities), so a diff has 1% of the series to report.
mutate() {
  LC_ALL=C awk '
    !/^#/ && NF > 0 {
      n++
      if (n % 100 == 0) {
        i = index($0, "}")
        if (i == 0) i = index($0, " ")
        head = substr($0, 1, i)
        rest = substr($0, i + 1)
        sub(/^ +/, "", rest)
        sp = index(rest, " ")
        if (sp == 0) { value = rest; tail = "" } else { value = substr(rest, 1, sp - 1); tail = substr(rest, sp) }
        if (value ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/) value = sprintf("%.17g", value * 2 + 1)
        else value = "42"
        if (substr(head, length(head)) == "}") head = head " "
        print head value tail
        next
      }
    }
    { print }' "$1" >"$2.tmp"
  mv "$2.tmp" "$2"
}

echo "promtool-cpp: $CPP"
((HAVE_PROMTOOL)) && echo "promtool:     $(promtool --version 2>&1 | head -1)"
((HAVE_PYTHON)) && echo "python:       $PYTHON $("$PYTHON" -c 'import sys; print(sys.version.split()[0])') with prometheus_client $("$PYTHON" -c 'import importlib.metadata as m; print(m.version("prometheus_client"))' 2>/dev/null || echo '?')"
((HAVE_GO)) && echo "go:           $(go version) with prometheus/common $(sed -n 's/.*prometheus\/common \(v[^ ]*\).*/\1/p' "$HERE/expfmt_ref/go.mod")"
echo "cpu:          $(nproc) x $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "runs:         $RUNS (promtool, Python, Go: $SLOW_RUNS); payload $SIZE per shape, seed $SEED"
echo

mkdir -p "$PAYLOAD_DIR"
for shape in $SHAPES; do
  base="$PAYLOAD_DIR/$shape-$SIZE-seed$SEED"
  file="$base.prom"
  ensure_payload "$GEN" "$file" "$shape" "$SIZE" "$SEED"
  [[ -s $base.om && $base.om -nt $file ]] || "$CPP" convert --to=openmetrics -o "$base.om" "$file"
  [[ -s $base.pb && $base.pb -nt $file ]] || "$CPP" convert --to=protobuf -o "$base.pb" "$file"
  [[ -s $base.changed.prom && $base.changed.prom -nt $file ]] || mutate "$file" "$base.changed.prom"
  cat "$file" "$base.om" "$base.pb" "$base.changed.prom" >/dev/null  # page cache warm
  text=$(stat -c %s "$file")
  om=$(stat -c %s "$base.om")
  pb=$(stat -c %s "$base.pb")
  echo "== $shape: $file ($text bytes; $(cat "$file.stats" 2>/dev/null))" >&2

  run_tool "$shape" "validate FILE" promtool-cpp "$RUNS" "$text" 0 "$CPP" validate --format=text "$file"
  ((HAVE_GO)) && run_tool "$shape" "validate FILE" "go expfmt" "$SLOW_RUNS" "$text" 0 "$GO_REF" validate "$file"
  ((HAVE_PYTHON)) && run_tool "$shape" "validate FILE" python "$SLOW_RUNS" "$text" 0 "$PYTHON" -c "$PY_TEXT" "$file"
  # check metrics exits 3 when it only found lint problems, like promtool.
  run_tool "$shape" "check metrics FILE" promtool-cpp "$RUNS" "$text" "0 3" "$CPP" check metrics "$file"
  ((HAVE_PROMTOOL)) && run_tool "$shape" "check metrics FILE" "promtool (stdin)" "$SLOW_RUNS" "$text" "0 3" bash -c 'exec promtool check metrics <"$1"' sh "$file"
  run_tool "$shape" "check metrics | pipe" promtool-cpp "$RUNS" "$text" "0 3" bash -c "$PIPE" pipe "$file" "$CPP" check metrics
  ((HAVE_PROMTOOL)) && run_tool "$shape" "check metrics | pipe" promtool "$SLOW_RUNS" "$text" "0 3" bash -c "$PIPE" pipe "$file" promtool check metrics
  run_tool "$shape" "validate OpenMetrics" promtool-cpp "$RUNS" "$om" 0 "$CPP" validate --format=openmetrics "$base.om"
  ((HAVE_PYTHON)) && run_tool "$shape" "validate OpenMetrics" python "$SLOW_RUNS" "$om" 0 "$PYTHON" -c "$PY_OM" "$base.om"
  run_tool "$shape" "text -> protobuf" promtool-cpp "$RUNS" "$text" 0 "$CPP" convert --to=protobuf "$file"
  ((HAVE_GO)) && run_tool "$shape" "text -> protobuf" "go expfmt" "$SLOW_RUNS" "$text" 0 "$GO_REF" text-to-protobuf "$file"
  # The large shape's largest record (kube_pod_labels) passes the default 16 MiB record limit.
  run_tool "$shape" "protobuf -> text" promtool-cpp "$RUNS" "$pb" 0 "$CPP" convert --to=text \
    --max-message-bytes=1073741824 "$base.pb"
  ((HAVE_GO)) && run_tool "$shape" "protobuf -> text" "go expfmt" "$SLOW_RUNS" "$pb" 0 "$GO_REF" protobuf-to-text "$base.pb"
  run_tool "$shape" "text -> json" promtool-cpp "$RUNS" "$text" 0 "$CPP" convert --to=json "$file"
  run_tool "$shape" "text -> text" promtool-cpp "$RUNS" "$text" 0 "$CPP" convert --to=text "$file"
  ((HAVE_GO)) && run_tool "$shape" "text -> text" "go expfmt" "$SLOW_RUNS" "$text" 0 "$GO_REF" text-to-text "$file"
  run_tool "$shape" "relabel (text)" promtool-cpp "$RUNS" "$text" 0 "$CPP" relabel --rules="$RULES" "$file"
  run_tool "$shape" "text -> openmetrics" promtool-cpp "$RUNS" "$text" 0 "$CPP" convert --to=openmetrics "$file"
  ((HAVE_GO)) && run_tool "$shape" "text -> openmetrics" "go expfmt" "$SLOW_RUNS" "$text" 0 "$GO_REF" text-to-openmetrics "$file"
  run_tool "$shape" "fmt" promtool-cpp "$RUNS" "$text" 0 "$CPP" fmt "$file"
  ((HAVE_GO)) && run_tool "$shape" "fmt" "go expfmt (text -> text)" "$SLOW_RUNS" "$text" 0 "$GO_REF" text-to-text "$file"
  # diff exits 1 when the payloads differ (they do: 1% of the values).
  run_tool "$shape" "diff of two payloads" promtool-cpp "$RUNS" "$text" 1 "$CPP" diff "$file" "$base.changed.prom"
done

# Start-up: the first lines (about 2 KB) of the first shape's payload.
first=${SHAPES%% *}
small="$WORK/small.prom"
head -c 2048 "$PAYLOAD_DIR/$first-$SIZE-seed$SEED.prom" | sed '$d' >"$small"
sbytes=$(stat -c %s "$small")
STARTUP_RUNS=$((RUNS < 20 ? 20 : RUNS))
run_tool start-up "validate 2 KB" promtool-cpp "$STARTUP_RUNS" "$sbytes" 0 "$CPP" validate "$small"
run_tool start-up "check metrics 2 KB" promtool-cpp "$STARTUP_RUNS" "$sbytes" "0 3" "$CPP" check metrics "$small"
((HAVE_PROMTOOL)) && run_tool start-up "check metrics 2 KB" "promtool (stdin)" "$STARTUP_RUNS" "$sbytes" "0 3" bash -c 'exec promtool check metrics <"$1"' sh "$small"
((HAVE_GO)) && run_tool start-up "validate 2 KB" "go expfmt" "$STARTUP_RUNS" "$sbytes" 0 "$GO_REF" validate "$small"
((HAVE_PYTHON)) && run_tool start-up "validate 2 KB" python "$STARTUP_RUNS" "$sbytes" 0 "$PYTHON" -c "$PY_TEXT" "$small"

# Table 1: every row and tool, with same-run ratios against promtool-cpp.
echo
printf '%-10s %-22s %-26s %4s %9s %9s %9s %8s %10s\n' shape command tool runs median_s MB/s peak_MiB "x cpp" "rss x cpp"
awk -F'\t' '
  { key = $1 "\t" $2
    if ($3 == "promtool-cpp" && $4 != "FAIL") { cpp_t[key] = $4; cpp_r[key] = $5 }
    line[NR] = $0 }
  END {
    for (i = 1; i <= NR; i++) {
      split(line[i], f, "\t"); key = f[1] "\t" f[2]
      if (f[4] == "FAIL") {
        printf "%-10s %-22s %-26s %4s %9s %9s %9s %8s %10s\n", f[1], f[2], f[3], f[6], "FAIL", "-", "-", "-", "-"
        continue
      }
      mbs = f[7] / 1e6 / f[4]
      ratio = (key in cpp_t) && cpp_t[key] > 0 ? sprintf("%.2f", f[4] / cpp_t[key]) : "-"
      rss = (key in cpp_r) && cpp_r[key] > 0 ? sprintf("%.2f", f[5] / cpp_r[key]) : "-"
      printf "%-10s %-22s %-26s %4d %9.3f %9.1f %9.1f %8s %10s\n", f[1], f[2], f[3], f[6], f[4], mbs, f[5] / 1024, ratio, rss
    }
  }' "$RESULTS"

# Table 2: promtool-cpp's rows side by side for the shapes (the cost per byte should not depend
# on the family size).
echo
printf '%-22s' command
for shape in $SHAPES; do printf ' %14s %12s' "$shape MB/s" "$shape MiB"; done
[[ $SHAPES == *" "* ]] && printf ' %12s' "last/first"
echo
awk -F'\t' -v shapes="$SHAPES" '
  BEGIN { n = split(shapes, s, " ") }
  $3 == "promtool-cpp" && $1 != "start-up" {
    if (!($2 in seen)) { seen[$2] = 1; order[++rows] = $2 }
    t[$1 "\t" $2] = $4; r[$1 "\t" $2] = $5; b[$1 "\t" $2] = $7 }
  END {
    for (i = 1; i <= rows; i++) {
      printf "%-22s", order[i]
      for (j = 1; j <= n; j++) {
        k = s[j] "\t" order[i]
        if (!(k in t) || t[k] == "FAIL") { printf " %14s %12s", "-", "-"; continue }
        printf " %14.1f %12.1f", b[k] / 1e6 / t[k], r[k] / 1024
      }
      if (n > 1) {
        a = s[1] "\t" order[i]; z = s[n] "\t" order[i]
        if ((a in t) && (z in t) && t[a] != "FAIL" && t[z] != "FAIL")
          printf " %11.2fx", (b[z] / t[z]) / (b[a] / t[a])
        else printf " %12s", "-"
      }
      printf "\n"
    }
  }' "$RESULTS"
echo
echo "MB/s: input bytes (text, OpenMetrics or protobuf as the row reads) / 1e6 / median."
echo "last/first: MB/s of the last shape over the first (1.00x: the same cost per byte)."
echo "FILE rows map the file; the pages behind the reader are handed back, so peak RSS follows the largest family, as from a pipe."
