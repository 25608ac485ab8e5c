#!/usr/bin/env bash
# Installs every Debian 12 package the build, tests and benchmarks need; does nothing when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev clang-format
  protobuf-compiler libprotobuf-dev libabsl-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcurl4-openssl-dev zlib1g-dev libssl-dev libre2-dev libyaml-cpp-dev
  prometheus prometheus-pushgateway prometheus-node-exporter openssl curl
  python3 python3-prometheus-client
  python3-jsonschema libxml2-utils
  time hyperfine
  # Distribution (issue 19): completions checked in real shells, pre-commit hooks, the .deb,
  # the HTML report rendered in headless Chromium.
  bash-completion zsh fish pre-commit python3-yaml dpkg-dev fakeroot chromium
  # `make dist` links libcurl statically: the static archives of its closure.
  libnghttp2-dev libpsl-dev libssh2-1-dev libzstd-dev libunistring-dev libidn2-dev libbrotli-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The prometheus package would start a server through systemd; keep the machine quiet.
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
