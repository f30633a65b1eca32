#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT.cpio KERNEL_OUT MODE [SCRIPT [FILES_DIR]]
# Make the guest's initramfs: busybox (static), Debian's mdadm and the
# libraries it needs, coreutils' timeout (the kselftest runner needs its
# --foreground), the md selftests, the kernel's modules, guest/init.
# MODE is kselftest, demo, script (runs SCRIPT, FILES_DIR at /extra) or shell.
#   KSELFTEST_ARGS  passed to run_kselftest.sh (e.g. "-t md:md_lifecycle_test")
#   GUEST_ENV       VAR=VALUE words exported in the guest (e.g. MD_CYCLES=10)
set -eu
. "$(dirname "$0")/lib.sh"

cpio_out=$1 kout=$2 mode=$3 script=${4:-} files=${5:-}
load_base_version
need busybox mdadm cpio gcc
for f in /bin/busybox /sbin/mdadm /usr/bin/timeout; do
	[ -x "$f" ] || die "$f is missing: run 'make deps'"
done
[ -d "$kout/stage/lib/modules" ] || die "no modules in $kout/stage: build the kernel first"
[ -x "$KST_OUT/install/run_kselftest.sh" ] || die "no selftests in $KST_OUT/install: build first"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT INT TERM
cd "$root"
mkdir -p bin sbin usr/bin usr/sbin lib lib64 etc dev proc sys tmp run root mdlc extra

# copy_bin SRC DEST: a program and the shared libraries it loads.
copy_bin() {
	cp -L "$1" "$root/$2"
	ldd "$1" 2>/dev/null | sed -n -e 's/.*=> \(\/[^ ]*\) .*/\1/p' -e 's/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
		while read -r lib; do
			mkdir -p "$root$(dirname "$lib")"
			[ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
		done
}
copy_bin /bin/busybox bin/busybox
copy_bin /sbin/mdadm sbin/mdadm
copy_bin /usr/bin/timeout usr/bin/timeout

mkdir -p "$OUT_ROOT"
drain=$OUT_ROOT/ttydrain
if [ ! -x "$drain" ] || [ "$TOP/guest/ttydrain.c" -nt "$drain" ]; then
	gcc -O2 -Wall -static -o "$drain" "$TOP/guest/ttydrain.c" ||
		die "cannot build guest/ttydrain.c statically (is libc6-dev installed?)"
fi
cp "$drain" mdlc/ttydrain
cp "$TOP/guest/init" init
cp "$TOP/guest/demo.sh" mdlc/demo.sh
chmod 755 init
cp -a "$kout/stage/lib/modules" lib/
cp -a "$KST_OUT/install" kselftest
printf '%s\n' "$mode" >mdlc/mode
printf '%s\n' "${KSELFTEST_ARGS:-}" >mdlc/kselftest-args
# GUEST_ENV="VAR=VALUE ...": exported to everything the guest runs.
: >mdlc/env
for kv in ${GUEST_ENV:-}; do
	case $kv in
	[A-Za-z_]*=*) printf '%s\n' "$kv" >>mdlc/env ;;
	*) die "GUEST_ENV: '$kv' is not VAR=VALUE" ;;
	esac
done
if [ -n "$script" ]; then
	[ -f "$script" ] || die "SCRIPT=$script does not exist"
	cp "$script" mdlc/script.sh
fi
if [ -n "$files" ]; then
	[ -d "$files" ] || die "FILES=$files is not a directory"
	cp -a "$files"/. extra/
fi
printf 'root:x:0:0:root:/root:/bin/sh\n' >etc/passwd
printf 'root:x:0:\ndisk:x:6:\n' >etc/group
mknod dev/console c 5 1 2>/dev/null ||
	die "cannot create /dev/console in the initramfs (mknod needs root: run as root or with sudo)"

find . | sort | cpio -o -H newc -R 0:0 --quiet >"$cpio_out.tmp"
mv "$cpio_out.tmp" "$cpio_out"
