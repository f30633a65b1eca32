#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh OUT.cpio KERNEL_OUT KSELFTEST_DIR MODE [SCRIPT [FILES_DIR]]
# Make the guest's initramfs with the kernel's own usr/gen_init_cpio (built
# with the kernel in KERNEL_OUT; no root needed, device nodes are entries of
# its list): busybox (static), mdadm and the libraries it needs, coreutils'
# timeout (the kselftest runner needs its --foreground), the md selftests
# installed in KSELFTEST_DIR, the kernel's modules, guest/init and the test
# runner.
# MODE: kselftest (the tests of KSELFTEST_DIR and the KUnit modules),
# tests (the executables in FILES_DIR, each a test), demo, script (runs
# SCRIPT, FILES_DIR at /extra) or shell.
#   MDLC_TESTS           test ids or globs to run (default: all), e.g.
#                   "md:md_names_test kunit:*"; MDLC_KSELFTEST_ARGS="-t md:x" too
#   MDLC_GUEST_ENV       VAR=VALUE words exported in the guest (e.g. MD_CYCLES=10)
#   USERSPACE       a directory laid over the guest's root (udevd, mdadm,
#                   mdadm's tests/: scripts/userspace.sh)
#   MDLC_MDADM_TESTS     which of mdadm's tests (guest/mdadm-tests.subset) follow
#                   the kselftests: check (default: those marked "check"
#                   for the guest's mdadm), long (those marked "check" or
#                   "long"), all, none, or names
# The list of tests is also written next to OUT.cpio (OUT.cpio.tests).
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 4 ] || die "usage: initramfs.sh OUT.cpio KERNEL_OUT KSELFTEST_DIR MODE [SCRIPT [FILES_DIR]]"
cpio_out=$1 kout=$2 kst=$3 mode=$4 script=${5:-} files=${6:-}
need busybox mdadm
for f in /bin/busybox /sbin/mdadm /usr/bin/timeout; do
	[ -x "$f" ] || die "$f is missing: run 'make deps'"
done
[ -d "$kout/stage/lib/modules" ] || die "no modules in $kout/stage: build the kernel first"
[ -x "$kout/usr/gen_init_cpio" ] || die "no usr/gen_init_cpio in $kout (CONFIG_BLK_DEV_INITRD=y builds it)"
[ -x "$kst/run_kselftest.sh" ] || die "no selftests in $kst: build them first"
case $mode in
kselftest|demo|shell) ;;
tests|script) [ -n "$files$script" ] || die "mode $mode needs MDLC_FILES (and MDLC_SCRIPT for script)" ;;
*) die "unknown mode '$mode'" ;;
esac

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

drain=$MDLC_CACHE/ttydrain
if [ ! -x "$drain" ] || [ "$TOP/guest/ttydrain.c" -nt "$drain" ]; then
	mkdir -p "$MDLC_CACHE"
	gcc -O2 -Wall -static -o "$drain.tmp" "$TOP/guest/ttydrain.c" ||
		die "cannot build guest/ttydrain.c statically (is libc6-dev installed?)"
	mv "$drain.tmp" "$drain"
fi
cp "$drain" mdlc/ttydrain
cp "$TOP/guest/init" init
cp "$TOP/guest/demo.sh" "$TOP/guest/run-tests.sh" mdlc/
chmod 755 init
cp -a "$kout/stage/lib/modules" lib/
cp -a "$kst" kselftest
printf '%s\n' "$mode" >mdlc/mode
# MDLC_GUEST_ENV="VAR=VALUE ...": exported to everything the guest runs.
: >mdlc/env
for kv in ${MDLC_GUEST_ENV:-}; do
	case $kv in
	[A-Za-z_]*=*) printf '%s\n' "$kv" >>mdlc/env ;;
	*) die "MDLC_GUEST_ENV: '$kv' is not VAR=VALUE" ;;
	esac
done
# The host's knob for the guest's mdadm-tests.sh (its per-test timeout).
[ -n "${MDLC_MDADM_TESTS_TIMEOUT:-}" ] &&
	printf 'MDLC_MDADM_TESTS_TIMEOUT=%s\n' "$MDLC_MDADM_TESTS_TIMEOUT" >>mdlc/env
if [ -n "$script" ]; then
	[ -f "$script" ] || die "MDLC_SCRIPT=$script does not exist"
	cp "$script" mdlc/script.sh
fi
if [ -n "$files" ]; then
	[ -d "$files" ] || die "MDLC_FILES=$files is not a directory"
	cp -a "$files"/. extra/
fi
if [ -n "${USERSPACE:-}" ]; then
	[ -d "$USERSPACE" ] || die "USERSPACE=$USERSPACE is not a directory"
	cp -a "$USERSPACE"/. .
fi
[ -f etc/passwd ] || printf 'root:x:0:0:root:/root:/bin/sh\n' >etc/passwd
[ -f etc/group ] || printf 'root:x:0:\ndisk:x:6:\n' >etc/group

# The tests, in order: the KUnit modules, then the kselftests (or, in mode
# tests, the executables of FILES_DIR).  MDLC_TESTS (or MDLC_KSELFTEST_ARGS' -t
# arguments) keeps only the matching ones.
filter=${MDLC_TESTS:-}
if [ -n "${MDLC_KSELFTEST_ARGS:-}" ]; then
	set -- $MDLC_KSELFTEST_ARGS
	while [ $# -gt 0 ]; do
		case $1 in
		-t) filter="$filter $2"; shift 2 ;;
		*) die "MDLC_KSELFTEST_ARGS: only -t COLLECTION:TEST is supported (use MDLC_TESTS=)" ;;
		esac
	done
fi
{
	if [ "$mode" = tests ]; then
		(cd extra && ls) | while read -r f; do
			[ -x "extra/$f" ] && [ -f "extra/$f" ] && echo "extra:$f"
		done
	else
		find lib/modules -name '*_kunit.ko' | sed 's|.*/\(.*\)\.ko$|kunit:\1|' | sort
		cat kselftest/kselftest-list.txt
		if [ -f mdlc/userspace/mdadm-version ]; then
			# mdadm's tests: the column of the guest's mdadm (4.2, 4.6).
			mdadm_subset "$(cut -d- -f1 mdlc/userspace/mdadm-version)" \
				"${MDLC_MDADM_TESTS:-check}" | sed 's/^/mdadm:/'
		fi
	fi
} | while read -r id; do
	[ -n "$filter" ] || { echo "$id"; continue; }
	for pat in $filter; do
		# shellcheck disable=SC2254
		case $id in $pat|*:$pat) echo "$id"; break ;; esac
	done
done >mdlc/tests
cp mdlc/tests "$cpio_out.tests"
if [ "$mode" = kselftest ] || [ "$mode" = tests ]; then
	[ -s mdlc/tests ] || die "no test matches MDLC_TESTS='$filter'"
fi

# The cpio list: every file, directory and symlink of the tree, owned by
# root, plus /dev/console (made by the kernel's gen_init_cpio, not mknod).
list=$cpio_out.list
{
	echo "nod /dev/console 0600 0 0 c 5 1"
	find . -mindepth 1 -printf '%y %m %P %l\n' | LC_ALL=C sort -k3 |
		awk -v root="$root" '
		$1 == "d" { print "dir /" $3, $2, 0, 0 }
		$1 == "f" { print "file /" $3, root "/" $3, $2, 0, 0 }
		$1 == "l" { print "slink /" $3, $4, $2, 0, 0 }'
} >"$list"
"$kout/usr/gen_init_cpio" "$list" >"$cpio_out.tmp" || die "gen_init_cpio failed (list: $list)"
mv "$cpio_out.tmp" "$cpio_out"
