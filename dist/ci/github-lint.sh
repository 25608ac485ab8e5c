#!/usr/bin/env bash
# Step of action.yml: runs check metrics with annotations (--report=github) and a SARIF file,
# and records the exit code in $GITHUB_OUTPUT instead of failing, so the SARIF is uploaded first.
set -uo pipefail
read -ra paths <<<"${INPUT_PATHS:?}"
read -ra args <<<"${INPUT_ARGS:-}"
sarif=${INPUT_SARIF_FILE:-promtool-cpp.sarif}
mkdir -p "$(dirname "$sarif")"
rc=0
"${PROMTOOL_CPP:?}" check metrics --report=github --report="sarif:$sarif" "${args[@]}" \
  "${paths[@]}" || rc=$?
echo "exit-code=$rc" >>"${GITHUB_OUTPUT:?}"
if [[ -s $sarif ]]; then echo "sarif-written=true" >>"$GITHUB_OUTPUT"; fi
exit 0
