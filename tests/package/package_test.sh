#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds the example consumer against it twice:
# with find_package(promtool) and with pkg-config; both must print the expected conversion.
# usage: package_test.sh BUILD_DIR SOURCE_DIR [CXX_FLAGS]
#   CXX_FLAGS: the flags the library was built with (e.g. the asan preset's sanitizers), which
#   the consumer needs too in order to link against it.
set -euo pipefail
build=$1
src=$2
flags=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
expected='[{"name":"jobs_total","help":"Jobs run.","type":"COUNTER","metrics":[{"labels":{"queue":"a"},"value":"3"}]}]
1 samples'

cmake --install "$build" --prefix "$work/prefix" >/dev/null

cmake -S "$src/tests/package/consumer" -B "$work/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
got=$("$work/cmake-build/consumer")
[[ $got == "$expected" ]] || { echo "find_package consumer printed:"; echo "$got"; exit 1; }
echo "find_package(promtool): consumer built and ran"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
# shellcheck disable=SC2046
# shellcheck disable=SC2086
c++ -O1 $flags -o "$work/pc-consumer" "$src/tests/package/consumer/main.cc" \
  $(pkg-config --cflags --libs promtool)
got=$("$work/pc-consumer")
[[ $got == "$expected" ]] || { echo "pkg-config consumer printed:"; echo "$got"; exit 1; }
echo "pkg-config promtool: consumer built and ran"
echo "package: 2 passed, 0 failed"
