#!/usr/bin/env bash
# The CLI loads libcurl only for a URL: the binary does not link it (no NEEDED entry), commands
# on files and stdin never load it, and a URL loads it (seen in the loader's LD_DEBUG=files log).
# usage: lazy_libcurl_test.sh PROMTOOL_CPP SOURCE_DIR
set -euo pipefail
bin=$1
payload=$2/corpus/text/valid/drone-server.prom
fail() { echo "FAIL: $*" >&2; exit 1; }

if objdump -p "$bin" | awk '/NEEDED/{print $2}' | grep -q curl; then
  fail "the binary links libcurl: $(objdump -p "$bin" | awk '/NEEDED/{print $2}' | grep curl)"
fi
loads_curl() {  # command...: true when running it opens libcurl (whatever the command's status)
  local log
  log=$(LD_DEBUG=files "$@" 2>&1 >/dev/null) || true
  grep -q 'file=libcurl\.so' <<<"$log"
}
loads_curl "$bin" validate "$payload" && fail "validate FILE loaded libcurl"
loads_curl sh -c "exec '$bin' check metrics <'$payload'" && fail "check metrics <FILE loaded libcurl"
loads_curl "$bin" convert --to=json "$payload" && fail "convert FILE loaded libcurl"
# Port 1 on loopback refuses the connection: libcurl is loaded, and the command fails (exit 1).
loads_curl "$bin" validate http://127.0.0.1:1/metrics || fail "validate URL did not load libcurl"
echo "libcurl: not linked, not loaded for files and stdin, loaded for a URL"
