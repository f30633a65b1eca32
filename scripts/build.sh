#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# build.sh patched|base
# Configure and build the kernel (bzImage and modules) out of tree with
# ccache, install the modules into a staging directory, and build the md
# selftests (always from the work tree: the base has no tests to run).
# Full logs on disk; their tail is printed on failure.
#   DEBUG=1  add configs/debug.config (lockdep, KASAN, kmemleak, ...)
set -eu
. "$(dirname "$0")/lib.sh"

kind=${1:-patched}
load_base_version
need make gcc ccache flex bison bc depmod

case $kind in
patched) src=$WORK_TREE ;;
base) src=$BASE_TREE ;;
*) die "usage: build.sh patched|base" ;;
esac
[ -d "$src" ] || die "no $kind tree at $src: run 'make tree'"
flavour=$kind
[ "${DEBUG:-0}" = 1 ] && flavour=$kind-debug
out=$(kernel_out "$kind")
mkdir -p "$out"

if [ "$kind" = base ] && [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
	die "the base tree $src has local edits; it must stay the pristine base"
fi

frags="$TOP/configs/base.config"
[ "${DEBUG:-0}" = 1 ] && frags="$frags $TOP/configs/debug.config"
# The selftests' own requirements come from the series (the work tree),
# for both kernels, so that base and patched are configured alike.
# (drivers/md/.kunitconfig is for kunit.py, which builds md in; the guest
# needs md as a module, so configs/base.config asks for the KUnit suites.)
f=$WORK_TREE/tools/testing/selftests/md/config
[ -f "$f" ] && frags="$frags $f"
allow=0
[ "$kind" = base ] && allow=1
# shellcheck disable=SC2086
ALLOW_UNKNOWN=$allow "$TOP/scripts/config.sh" "$src" "$out" $frags

export CCACHE_DIR="${CCACHE_DIR:-$MDLC_CACHE/ccache}"
mkdir -p "$CCACHE_DIR"
ccache -M "${CCACHE_SIZE:-10G}" >/dev/null 2>&1 || true
export CCACHE_NOHASHDIR=1

log=$out/build.log
msg "building the $flavour kernel ($BASE_LABEL) in $out, log: $log"
start=$(date +%s)
if ! make -C "$src" O="$out" CC="ccache gcc" HOSTCC="ccache gcc" -j"$JOBS" \
	bzImage modules >"$log" 2>&1; then
	tail_log "$log" 60
	die "the $flavour kernel build failed (full log: $log)"
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
msg "kernel $kernelrelease built in $(( $(date +%s) - start )) s"

# The selftests, built against the work tree's uapi headers.
mkdir -p "$KST_OUT"
kst=$KST_OUT/install
hdr=$KST_OUT/headers
klog=$KST_OUT/build.log
if ! { make -C "$WORK_TREE" O="$hdr" headers_install INSTALL_HDR_PATH="$hdr/usr" &&
	rm -rf "$kst" &&
	make -C "$WORK_TREE/tools/testing/selftests" TARGETS=md \
		KHDR_INCLUDES="-isystem $hdr/usr/include" \
		O="$KST_OUT/build" INSTALL_PATH="$kst" install; } >"$klog" 2>&1; then
	tail_log "$klog" 40
	die "building the md selftests failed (full log: $klog)"
fi
msg "selftests installed in $kst"
