#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# build.sh SRC OUT LOCK FRAGMENT...
# Configure (scripts/config.sh) and build a kernel (bzImage and modules) from
# the source tree SRC out of tree in OUT with ccache, and install the modules
# into OUT/stage.  LOCK is the lock file of SRC: the build holds it, so that
# nothing rewrites the tree while it is compiled.  Nothing else is read:
# the unpatched base's build depends on the base commit alone.  Full logs
# on disk; their tail is printed on failure.
#   ALLOW_UNKNOWN=1  tolerate options the tree's Kconfig does not define
#   NEEDS=FILE       options the tests need (config.sh checks them)
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 4 ] || die "usage: build.sh SRC OUT LOCK FRAGMENT..."
src=$1 out=$2 lock=$3
shift 3
need make gcc ccache flex bison bc depmod
[ -d "$src" ] || die "no source tree at $src"
hold_lock 9 "$lock" "the tree $src"
mkdir -p "$out"

"$TOP/scripts/config.sh" "$src" "$out" "$@"

export CCACHE_DIR="${CCACHE_DIR:-$MDLC_CACHE/ccache}"
mkdir -p "$CCACHE_DIR"
ccache -M "${CCACHE_SIZE:-10G}" >/dev/null 2>&1 || true
export CCACHE_NOHASHDIR=1

log=$out/build.log
msg "building $src in $out, log: $log"
start=$(date +%s)
if ! make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$MDLC_JOBS" \
	bzImage modules >"$log" 2>&1; then
	tail_log "$log" 60
	die "the kernel build in $out failed (full log: $log)"
fi
stage=$out/stage
rm -rf "$stage"
mkdir -p "$stage"
if ! make -C "$src" O="$out" INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 \
	modules_install >>"$log" 2>&1; then
	tail_log "$log" 30
	die "modules_install failed (full log: $log)"
fi
kernelrelease=$(make -s -C "$src" O="$out" kernelrelease)
printf '%s\n' "$kernelrelease" >"$out/kernelrelease"
printf '%s\n' "$(( $(date +%s) - start ))" >"$out/build-seconds"
msg "kernel $kernelrelease built in $(cat "$out/build-seconds") s"
