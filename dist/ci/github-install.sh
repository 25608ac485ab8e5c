#!/usr/bin/env bash
# Step of action.yml: finds promtool-cpp (the `binary` input, else PATH, else builds it from the
# action's source on a Debian/Ubuntu runner) and writes its path to $GITHUB_OUTPUT as `path`.
set -euo pipefail
if [[ -n ${INPUT_BINARY:-} ]]; then
  [[ -x $INPUT_BINARY ]] || { echo "::error::binary: $INPUT_BINARY is not an executable file"; exit 1; }
  bin=$INPUT_BINARY
elif bin=$(command -v promtool-cpp); then
  :
else
  src=${ACTION_PATH:?}
  sudo=; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    build-essential cmake ninja-build pkg-config ca-certificates protobuf-compiler \
    libprotobuf-dev libabsl-dev libcli11-dev libcurl4-openssl-dev zlib1g-dev libssl-dev \
    libre2-dev libyaml-cpp-dev python3
  cmake -S "$src" -B "$src/build/action" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPROMTOOL_BUILD_TESTS=OFF -DPROMTOOL_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build "$src/build/action" --target promtool-cpp
  bin=$src/build/action/promtool-cpp
fi
"$bin" --version
echo "path=$bin" >>"${GITHUB_OUTPUT:?}"
