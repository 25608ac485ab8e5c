#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds the example consumer against it twice:
# with find_package(promtool) and with pkg-config; both must print the expected conversion.
# Then builds it against the core component alone (find_package COMPONENTS core, and
# pkg-config promtool-core) and proves that neither link line nor the executable's shared
# libraries name libcurl, yaml-cpp or RE2.
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

# No libcurl, yaml-cpp or RE2 in a link line (file of commands) or in an executable's libraries.
forbidden='curl|yaml|re2'
check_core_only() {  # what, link-line-file, executable
  if grep -Eio "[^ ]*($forbidden)[^ ]*" "$2"; then
    echo "$1: the link line names the above"; exit 1
  fi
  if ldd "$3" | grep -Ei "$forbidden"; then
    echo "$1: the executable loads the above"; exit 1
  fi
}

cmake -S "$src/tests/package/core_consumer" -B "$work/core-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="$flags" >/dev/null
cmake --build "$work/core-build" >/dev/null
got=$("$work/core-build/core_consumer")
[[ $got == "$expected" ]] || { echo "core consumer printed:"; echo "$got"; exit 1; }
ninja -C "$work/core-build" -t commands core_consumer | tail -n 1 >"$work/core-link"
grep -q 'libpromtool_core.a' "$work/core-link" || { echo "core link line:"; cat "$work/core-link"; exit 1; }
check_core_only "find_package(promtool COMPONENTS core)" "$work/core-link" "$work/core-build/core_consumer"
echo "find_package(promtool COMPONENTS core): consumer built and ran, links no libcurl, yaml-cpp, RE2"

pkg-config --libs promtool-core >"$work/pc-core-link"
check_core_only "pkg-config promtool-core" "$work/pc-core-link" /bin/true
# shellcheck disable=SC2046
# shellcheck disable=SC2086
c++ -O1 $flags -o "$work/pc-core-consumer" "$src/tests/package/consumer/main.cc" \
  $(pkg-config --cflags --libs promtool-core)
got=$("$work/pc-core-consumer")
[[ $got == "$expected" ]] || { echo "pkg-config core consumer printed:"; echo "$got"; exit 1; }
check_core_only "pkg-config promtool-core" "$work/pc-core-link" "$work/pc-core-consumer"
echo "pkg-config promtool-core: consumer built and ran, links no libcurl, yaml-cpp, RE2"
echo "package: 4 passed, 0 failed"
