#!/usr/bin/env bash
# `make dist`: links promtool-cpp as statically as Debian 12's .a files allow, from the objects of
# an existing build (nothing is recompiled), and packs it with the shared libraries it still loads
# into a tarball that runs on any x86-64 Linux through its own loader.
#
# Static: libstdc++, libgcc, protobuf, Abseil, RE2, yaml-cpp, zlib and the promtool libraries.
# Dynamic: the C library (libc, libm, the loader) and libcurl with what it links (OpenSSL, and
# nghttp2, libssh2, librtmp, libpsl, GSSAPI/Kerberos, OpenLDAP, ...): Debian 12 ships no static
# archive for libgssapi_krb5, libldap, libnghttp2, libpsl, librtmp or libssh2, so libcurl.a cannot
# be linked whole; libcrypto stays shared so that the process holds one OpenSSL (libcurl's).
# usage: make-dist.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
lib=/usr/lib/x86_64-linux-gnu
objects=("$build"/CMakeFiles/promtool-cpp.dir/tools/promtool-cpp/*.o)
[[ -f ${objects[0]} && -f $build/libpromtool.a ]] ||
  { echo "make-dist: build promtool-cpp in $build first" >&2; exit 1; }
absl=("$lib"/libabsl_*.a)
c++ -O2 -o "$out/promtool-cpp" "${objects[@]}" \
  "$build/libpromtool.a" "$build/libpromtool_net.a" "$build/libpromtool_lint.a" \
  "$build/libpromtool_diff.a" "$build/libpromtool_core.a" "$build/libpromtool_proto.a" \
  -static-libstdc++ -static-libgcc \
  "$lib/libprotobuf.a" "$lib/libre2.a" "$lib/libyaml-cpp.a" \
  -Wl,--start-group "${absl[@]}" -Wl,--end-group "$lib/libz.a" \
  -lcurl -lcrypto -lpthread
strip "$out/promtool-cpp"
version=$("$out/promtool-cpp" --version | awk '{print $2}')
# The tarball: bin/promtool-cpp runs lib/ld-linux-x86-64.so.2 with lib/ as the library path.
name=promtool-cpp-$version-x86_64-linux
stage=$out/$name
rm -rf "$stage"
mkdir -p "$stage/lib" "$stage/bin"
cp "$out/promtool-cpp" "$stage/lib/promtool-cpp"
while read -r path; do cp -L "$path" "$stage/lib/"; done < <(bash "$here/rootfs.sh" --list "$out/promtool-cpp")
cat >"$stage/bin/promtool-cpp" <<'SH'
#!/bin/sh
# Runs promtool-cpp with the C library and libcurl shipped beside it (see lib/).
here=$(cd "$(dirname "$0")/../lib" && pwd)
exec "$here/ld-linux-x86-64.so.2" --library-path "$here" "$here/promtool-cpp" "$@"
SH
chmod +x "$stage/bin/promtool-cpp"
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
echo "make-dist: $out/promtool-cpp ($(stat -c %s "$out/promtool-cpp") bytes), $out/$name.tar.gz ($(stat -c %s "$out/$name.tar.gz") bytes)"
echo "make-dist: still dynamic: $(bash "$here/rootfs.sh" --list "$out/promtool-cpp" | xargs -n1 basename | tr '\n' ' ')"
