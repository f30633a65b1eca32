#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/mdadm-modes.sh [CYCLES] [ASSEMBLES]: mdadm with each value of
# legacy_async_del_gendisk, on the line's kernels (MDLC_KINDS="base patched" by
# default, in one invocation; MDLC_MDADM= picks the guest's mdadm as for every
# target).  For N, then Y: md_mdadm_cycles.sh with MD_CYCLES=CYCLES
# (default 100: create by name, stop, assemble, stop, create again) and
# md_mdadm_assemble.sh with MD_ASSEMBLE_CYCLES=ASSEMBLES (default 5:
# Debian's default configuration, numbered and names=yes, assemble --scan
# right after each stop), then a foreign array: created with
# --homehost=otherhost --name=home, stopped and assembled with "CREATE
# names=yes" and HOMEHOST <system>; the script prints the md devices and
# /dev/md links it came up as, to be compared between the kernels.
#
# mdadm >= 4.5 writes N to the parameter on every create, assemble and
# incremental (and aborts if the write fails), so on its own it never runs
# with Y.  To run it with Y, the parameter's file is covered, for the run,
# by a bind mount of a regular file that takes mdadm's writes; the kernel's
# value stays the one set before, and the script prints it after the run.
# mdadm 4.2 never writes the parameter and runs without the mount.
set -eu
. "$(dirname "$0")/lib.sh"
cycles=${1:-100} assembles=${2:-5}
case $cycles$assembles in
*[!0-9]*) echo "usage: $0 [CYCLES] [ASSEMBLES]" >&2; exit 2 ;;
esac
out=$(bench_dir mdadm-modes)
bench_md_mod mdadm-modes >"$out/mdadm.sh"
cat >>"$out/mdadm.sh" <<EOS
P=\$P/legacy_async_del_gendisk
if [ ! -e \$P ]; then
	echo "mdadm-modes: no \$P: not a mainline kernel"
	exit 1
fi
echo "mdadm-modes: \$(mdadm --version 2>&1)"
# foreign: the names a foreign array comes up as after --assemble --scan
foreign() {
	d=/tmp/mdadm-modes.foreign
	mkdir -p \$d
	printf 'HOMEHOST <system>\nCREATE names=yes\n' >\$d/mdadm.conf
	truncate -s 64M \$d/m0 \$d/m1
	# busybox's losetup: no --show
	l0=\$(losetup -f) && losetup \$l0 \$d/m0 &&
		l1=\$(losetup -f) && losetup \$l1 \$d/m1 || return 1
	mdadm --create /dev/md/home --config=\$d/mdadm.conf --homehost=otherhost \
		--name=home --level=1 --raid-devices=2 --metadata=1.2 --run \
		--assume-clean \$l0 \$l1 >\$d/log 2>&1
	udevadm settle
	mdadm --stop --scan --config=\$d/mdadm.conf >>\$d/log 2>&1
	udevadm settle
	mdadm --assemble --scan --config=\$d/mdadm.conf >>\$d/log 2>&1
	udevadm settle
	echo "mdadm-modes: mode=\$mode foreign array (otherhost:home) assembled as: /sys/block: \$(ls /sys/block | grep '^md' | tr '\n' ' ')/dev/md: \$(ls /dev/md 2>/dev/null | tr '\n' ' ')"
	sed "s/^/mdadm-modes: mode=\$mode foreign: /" \$d/log
	mdadm --stop --scan --config=\$d/mdadm.conf >/dev/null 2>&1
	udevadm settle
	losetup -d \$l0; losetup -d \$l1
	rm -rf \$d
}
st=0
for mode in N Y; do
	echo \$mode >\$P
	pinned=no
	if mdadm --version 2>&1 | grep -q ' v4\.[5-9]'; then
		echo \$mode >/tmp/mdadm-modes.pin
		mount --bind /tmp/mdadm-modes.pin \$P
		pinned=yes
	fi
	for t in "md_mdadm_cycles.sh MD_CYCLES=$cycles" \
		 "md_mdadm_assemble.sh MD_ASSEMBLE_CYCLES=$assembles"; do
		set -- \$t
		env \$2 /kselftest/md/\$1 >/tmp/mdadm-modes.out 2>&1 || st=1
		sed "s/^/mdadm-modes: mode=\$mode \$1: /" /tmp/mdadm-modes.out
	done
	foreign || st=1
	[ \$pinned = no ] || umount \$P
	echo "mdadm-modes: mode=\$mode (mdadm's writes covered: \$pinned), the parameter reads \$(cat \$P) after the run"
done
exit \$st
EOS
bench_boot "$out" "$out/mdadm.sh" 'mdadm-modes: '
echo "logs: $out"
