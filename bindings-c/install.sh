#!/usr/bin/env bash
# Installs the C binding into a prefix: include/capbridge.h, lib/libcapbridge.so (with its
# SONAME link libcapbridge.so.0), lib/libcapbridge.a, lib/pkgconfig/capbridge.pc and
# share/capbridge/valgrind.supp (for programs checked under valgrind).
#
#   cargo build --release -p capbridge-c && bindings-c/install.sh /usr/local
#   bindings-c/install.sh PREFIX [PROFILE]     PROFILE: release (default) or debug
#
# Reads the libraries from $CAPBRIDGE_LIB_DIR if set, else from $CARGO_TARGET_DIR/PROFILE
# (CARGO_TARGET_DIR defaults to the repository's target/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
prefix=${1:?usage: install.sh PREFIX [PROFILE]}
profile=${2:-release}
libs=${CAPBRIDGE_LIB_DIR:-${CARGO_TARGET_DIR:-$repo/target}/$profile}
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$repo/Cargo.toml")

for f in libcapbridge.so libcapbridge.a; do
  [ -f "$libs/$f" ] || { echo "install.sh: $libs/$f is missing: cargo build ${profile/debug/} -p capbridge-c" >&2; exit 1; }
done
mkdir -p "$prefix/include" "$prefix/lib/pkgconfig" "$prefix/share/capbridge"
prefix=$(cd "$prefix" && pwd)
install -m 644 "$here/include/capbridge.h" "$prefix/include/capbridge.h"
install -m 755 "$libs/libcapbridge.so" "$prefix/lib/libcapbridge.so.$version"
ln -sf "libcapbridge.so.$version" "$prefix/lib/libcapbridge.so.0"
ln -sf "libcapbridge.so.0" "$prefix/lib/libcapbridge.so"
install -m 644 "$libs/libcapbridge.a" "$prefix/lib/libcapbridge.a"
install -m 644 "$here/valgrind.supp" "$prefix/share/capbridge/valgrind.supp"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" "$here/capbridge.pc.in" \
  > "$prefix/lib/pkgconfig/capbridge.pc"
# The loader finds a system prefix's libraries through its cache: refresh it, or a program
# linked with -lcapbridge would not start (libcapbridge.so.0: cannot open shared object file).
case "$prefix" in
  /usr | /usr/local)
    if [ "$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi ;;
  *)
    echo "install.sh: $prefix/lib is not where the loader looks: link with -Wl,-rpath,$prefix/lib (or add it to /etc/ld.so.conf.d and run ldconfig)" ;;
esac
echo "installed capbridge $version ($profile) into $prefix"
