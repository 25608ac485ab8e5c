#!/usr/bin/env bash
# The Debian package (`make deb`): builds it with CPack, inspects it with dpkg-deb (contents, and
# a Depends that covers every shared library the binary needs), installs it with dpkg into a
# scratch root with its own database (the machine's dpkg database is never touched), runs the
# installed binary, man page and completion, then purges it and checks nothing is left behind.
# usage: deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

start=$(date +%s%N)
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
debs=("$work"/out/promtool-cpp_*_amd64.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one promtool-cpp_*_amd64.deb, got: ${debs[*]}"
deb=${debs[0]}
echo "built $(basename "$deb"): $(stat -c %s "$deb") bytes in $((($(date +%s%N) - start) / 1000000)) ms"

# --- contents -------------------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{print $NF}' | sed 's|^\./|/|' >"$work/contents"
for want in /usr/bin/promtool-cpp \
  /usr/share/man/man1/promtool-cpp.1 /usr/share/man/man1/promtool-cpp-check-metrics.1 \
  /usr/share/bash-completion/completions/promtool-cpp \
  /usr/share/zsh/vendor-completions/_promtool-cpp \
  /usr/share/fish/vendor_completions.d/promtool-cpp.fish \
  /usr/share/doc/promtool-cpp/cli.md /usr/share/doc/promtool-cpp/lint-rules.md; do
  grep -qxF "$want" "$work/contents" || fail "$want is not in the package"
done
# One man page per command of the binary's --help.
for cmd in $("$build/promtool-cpp" --help | awk '/^Subcommands:/{s=1;next} s&&/^  [a-z]/{print $1}'); do
  grep -qxF "/usr/share/man/man1/promtool-cpp-$cmd.1" "$work/contents" ||
    fail "no man page for $cmd in the package"
done
# The CLI package only: no headers, static libraries or CMake/pkg-config files.
if grep -E '/include/|\.a$|/cmake/|/pkgconfig/' "$work/contents"; then
  fail "the package holds the above development files"
fi
echo "contents: $(grep -vc '/$' "$work/contents") files, the binary, man pages, completions, docs"

# --- Depends: every NEEDED shared library is provided by a package the control file names -----
dpkg-deb -x "$deb" "$work/x"
depends=$(dpkg-deb -f "$deb" Depends)
[[ -n $depends ]] || fail "the package has no Depends"
echo "Depends: $depends"
for soname in $(objdump -p "$work/x/usr/bin/promtool-cpp" | awk '/NEEDED/{print $2}'); do
  # awk reads to the end (an early exit would end ldconfig with SIGPIPE, a failed pipeline
  # under pipefail whenever ldconfig had not finished writing).
  path=$(ldconfig -p | awk -v so="$soname" '$1 == so && /x86-64/ && !found {print $NF; found = 1}')
  [[ -n $path ]] || fail "$soname is not found by ldconfig"
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | sed -n 1p | cut -d: -f1) ||
    pkg=$(dpkg -S "$path" | sed -n 1p | cut -d: -f1)
  sed 's/([^)]*)//g; s/[,|]/\n/g; s/ //g' <<<"$depends" | grep -qxF "$pkg" ||
    fail "$soname ($pkg) is not in Depends"
done

# libcurl is loaded with dlopen() (no NEEDED entry), so Depends must name it by hand.
sed 's/([^)]*)//g; s/[,|]/\n/g; s/ //g' <<<"$depends" | grep -qxF libcurl4 ||
  fail "Depends does not name libcurl4, which the binary loads for URLs"

# --- install into a scratch root --------------------------------------------------------------
root=$work/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
# The scratch database knows the packages the .deb depends on (as installed on this machine),
# so dpkg checks the dependencies for real instead of being forced past them.
dep_pkgs=$(sed 's/([^)]*)//g; s/,/ /g; s/|/ /g' <<<"$depends")
# shellcheck disable=SC2086
dpkg-query -s $dep_pkgs >"$root/var/lib/dpkg/status"
touch "$root/var/lib/dpkg/available"
dpkg --root="$root" --log=/dev/null -i "$deb" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "dpkg -i failed"; }
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status} ${Version}' promtool-cpp)
[[ $status == "install ok installed "* ]] || fail "dpkg says: $status"
echo "installed: $status"

bin=$root/usr/bin/promtool-cpp
"$bin" --version | grep -q '^promtool-cpp ' || fail "the installed binary does not run"
printf '# HELP up Up.\n# TYPE up gauge\nup 1\n' | "$bin" validate - >/dev/null ||
  fail "the installed binary does not validate a payload"
rc=0
printf 'fooBar 1\n' | "$bin" check metrics >/dev/null 2>&1 || rc=$?
[[ $rc -eq 3 ]] || fail "check metrics on a lint problem exited $rc, not 3"
MANWIDTH=80 man -l "$root/usr/share/man/man1/promtool-cpp-validate.1" 2>&1 | grep -q -- '--format' ||
  fail "the installed man page does not render"
bash --norc -c "source '$root/usr/share/bash-completion/completions/promtool-cpp' &&
  complete -p promtool-cpp" | grep -q _promtool_cpp || fail "the bash completion does not load"
echo "the installed binary, man page and completion work"

# --- remove cleanly ---------------------------------------------------------------------------
dpkg --root="$root" --log=/dev/null -P promtool-cpp >"$work/remove.log" 2>&1 ||
  { cat "$work/remove.log"; fail "dpkg -P failed"; }
status=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Abbrev}' promtool-cpp 2>&1 || true)
[[ $status != ii* ]] || fail "still installed after purge: $status"
left=$(find "$root" -mindepth 1 -not -path "$root/var" -not -path "$root/var/lib" \
  -not -path "$root/var/lib/dpkg" -not -path "$root/var/lib/dpkg/*")
[[ -z $left ]] || { echo "$left"; fail "files left after purge (above)"; }
leftinfo=$(ls "$root/var/lib/dpkg/info" | grep -v "^format$" || true)
[[ -z $leftinfo ]] || fail "dpkg info files left: $leftinfo"
echo "purged: nothing left outside the scratch dpkg database"
