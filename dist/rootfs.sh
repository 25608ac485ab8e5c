#!/usr/bin/env bash
# Assembles a minimal root file system for promtool-cpp: the binary, exactly the shared libraries
# it loads (and the loader), a CA bundle at Debian's path, /tmp and a nonroot user. Used by the
# Dockerfile (FROM scratch) and by the empty-root test.
# usage: rootfs.sh BINARY DEST [CA_BUNDLE]   |   rootfs.sh --list BINARY (the libraries, one a line)
set -euo pipefail
libs() {  # the resolved paths of every shared library the binary loads, and the loader
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u
}
if [[ $1 == --list ]]; then libs "$2"; exit 0; fi
bin=$1
dest=$2
ca=${3:-/etc/ssl/certs/ca-certificates.crt}
mkdir -p "$dest/usr/bin" "$dest/etc/ssl/certs" "$dest/tmp" "$dest/work"
chmod 1777 "$dest/tmp"
cp "$bin" "$dest/usr/bin/promtool-cpp"
while read -r path; do
  mkdir -p "$dest$(dirname "$path")"
  cp -L "$path" "$dest$path"
done < <(libs "$bin")
# /lib64 -> the loader, as the binary's PT_INTERP names it.
cp "$ca" "$dest/etc/ssl/certs/ca-certificates.crt"
printf 'root:x:0:0:root:/:/nonexistent\nnonroot:x:65532:65532:nonroot:/work:/nonexistent\n' >"$dest/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$dest/etc/group"
