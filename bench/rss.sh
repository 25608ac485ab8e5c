#!/usr/bin/env bash
# Peak memory of the streaming commands on one large payload, from a file and from a pipe
# (issue #15: at most 64 MiB whatever the family size, protobuf output at most 1.2x the largest
# family's text): one run of each, whole process, wall time and GNU time's peak RSS.
#
# usage: bench/rss.sh BUILD_DIR
# environment:
#   SIZE=1G          payload size (promtool-gen --bytes)
#   SHAPE=large      payload shape (promtool-gen --shape; large: kube_pod_labels holds 19%)
#   SEED=1           generator seed
#   PAYLOAD_DIR=...  where the payload is generated and reused (default ~/.cache/promtool-cpp-bench)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/payload.sh
. "$HERE/payload.sh"
CPP="$BUILD/promtool-cpp"
GEN="$BUILD/promtool-gen"
SIZE=${SIZE:-1G}
SHAPE=${SHAPE:-large}
SEED=${SEED:-1}
PAYLOAD_DIR=${PAYLOAD_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/promtool-cpp-bench}
GNU_TIME=/usr/bin/time
for tool in "$CPP" "$GEN" "$GNU_TIME"; do
  [[ -x $tool ]] || { echo "$0: $tool not found (build promtool-cpp and promtool-gen)" >&2; exit 1; }
done

mkdir -p "$PAYLOAD_DIR"
file="$PAYLOAD_DIR/$SHAPE-$SIZE-seed$SEED.prom"
ensure_payload "$GEN" "$file" "$SHAPE" "$SIZE" "$SEED"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat "$file" >/dev/null  # page cache warm

echo "payload: $file ($(stat -c %s "$file") bytes; $(cat "$file.stats" 2>/dev/null))"
printf '%-24s %10s %12s %10s %12s\n' command "file s" "file MiB" "pipe s" "pipe MiB"
# row NAME OK_CODES ARGS...: the command on the file (as its last argument) and from a pipe.
row() {
  local name=$1 ok=$2
  shift 2
  local out=() rc
  for how in file pipe; do
    if [[ $how == file ]]; then
      "$GNU_TIME" -f '%e %M' -o "$WORK/time" "$CPP" "$@" "$file" >/dev/null 2>"$WORK/err" && rc=0 || rc=$?
    else
      "$GNU_TIME" -f '%e %M' -o "$WORK/time" bash -c 'cat "$1" | "${@:2}"' sh "$file" "$CPP" "$@" - \
        >/dev/null 2>"$WORK/err" && rc=0 || rc=$?
    fi
    if [[ " $ok " != *" $rc "* ]]; then
      echo "$name ($how): exit code $rc" >&2
      cat "$WORK/err" >&2
      out+=(FAIL FAIL)
      continue
    fi
    read -r secs kib <"$WORK/time"
    out+=("$secs" "$(awk -v k="$kib" 'BEGIN { printf "%.1f", k / 1024 }')")
  done
  printf '%-24s %10s %12s %10s %12s\n' "$name" "${out[@]}"
}
row "validate" 0 validate --format=text
# check metrics exits 3 when it only found lint problems, like promtool.
row "check metrics" "0 3" check metrics
row "convert --to=text" 0 convert --from=text --to=text
row "convert --to=openmetrics" 0 convert --from=text --to=openmetrics
row "convert --to=json" 0 convert --from=text --to=json
row "convert --to=protobuf" 0 convert --from=text --to=protobuf
row "relabel (text)" 0 relabel --from=text --rules="$HERE/rules/worked_example.yml"
