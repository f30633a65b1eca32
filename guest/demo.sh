#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job, narrated, on whichever kernel boots it (make demo boots the
# line's unpatched base, then its patched kernel, and prints the two side
# by side: scripts/demo.sh).  Each step prints what it ran and what the
# kernel did, then one line
#   DEMO-RESULT<TAB>step<TAB>what the kernel did<TAB>milliseconds
# which the host puts into its table.  A difference between kernels is a
# result, not a failure; the demo fails (DEMO FAILED, exit 1) only when
# its own setup does (modules, loop devices, an mdadm --create).
set -u
say() { printf '\n=== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
fail() { printf 'DEMO FAILED: %s\n' "$*"; exit 1; }
now() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
result() { printf 'DEMO-RESULT\t%s\t%s\t%s\n' "$1" "$2" "$3"; }
# kdev NODE: the kernel's name of the device a node or link points to.
kdev() { basename "$(readlink -f "$1")"; }
there() { [ -e "/sys/block/$1" ]; }
P=/sys/module/md_mod/parameters

modprobe md_mod && modprobe raid1 && modprobe loop || fail "cannot load md_mod, raid1 and loop"
printf 'kernel %s, %s\n' "$(uname -r)" "$(mdadm --version 2>&1)"
mkdir -p /tmp/demo /etc/mdadm
for i in 0 1; do
	dd if=/dev/zero of=/tmp/demo/disk$i bs=1M count=0 seek=64 2>/dev/null
	losetup /dev/loop$i /tmp/demo/disk$i || fail "losetup"
done
# Debian's mdadm.conf as mdadm's mkconf writes it (comments left out).
printf 'HOMEHOST <system>\nMAILADDR root\n' >/etc/mdadm/mdadm.conf
create() {
	mdadm --create "/dev/md/$1" --name="$1" --run --level=1 --raid-devices=2 \
		--metadata=1.2 --assume-clean --quiet /dev/loop0 /dev/loop1
}

# create_home STEP: mdadm --create /dev/md/home, timed; sets dev to the
# kernel's name of the array and reports it as STEP.
create_home() {
	t0=$(now)
	run create home || fail "mdadm --create ($1)"
	t1=$(now)
	udevadm settle
	run ls -l /dev/md/home
	dev=$(kdev /dev/md/home)
	result "$1" "/dev/md/home is $dev" $((t1 - t0))
}

say "1. mdadm creates a RAID1 by name, with Debian's default mdadm.conf"
create_home create

say "1b. the same with CREATE names=yes in mdadm.conf: mdadm asks for the name"
run mdadm --stop /dev/md/home || fail "mdadm --stop"
udevadm settle
printf 'CREATE names=yes\n' >>/etc/mdadm/mdadm.conf
create_home names

# Debian's default again: what an administrator's mdadm --assemble reads.
printf 'HOMEHOST <system>\nMAILADDR root\n' >/etc/mdadm/mdadm.conf

say "2. mdadm stops it and assembles it again (mdadm --assemble --scan, Debian's default mdadm.conf)"
t0=$(now)
run mdadm --stop /dev/md/home || fail "mdadm --stop"
t1=$(now)
if there "$dev"; then left="$dev left behind"; else left="$dev gone"; fi
echo "after the stop: $left"
t2=$(now)
run mdadm --assemble --scan || fail "mdadm --assemble --scan"
t3=$(now)
udevadm settle
run cat /proc/mdstat
result stop "stop: $left at its return" $((t1 - t0))
result assemble "assembled as $(kdev /dev/md/home)" $((t3 - t2))
run mdadm --stop /dev/md/home || fail "mdadm --stop"
udevadm settle
mdadm --zero-superblock /dev/loop0 /dev/loop1 || fail "mdadm --zero-superblock"

say "3. a program opens a node of a device nobody configured"
run mknod /tmp/demo/md5 b 9 5
t0=$(now)
run dd if=/tmp/demo/md5 of=/dev/null count=1
t1=$(now)
if there md5; then
	out="md5 left behind after the close"
	run sh -c 'echo clear > /sys/block/md5/md/array_state'
else
	out="md5 gone at the close"
fi
echo "$out"
result open "$out" $((t1 - t0))

say "4. mdadm --stop right after --create, while udev probes the new array (10 times)"
stopped=0 busy=0 gone=0 t=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	create probe || fail "mdadm --create"
	dev=$(kdev /dev/md/probe)
	t0=$(now)
	if mdadm --stop /dev/md/probe 2>/tmp/demo/stop.err; then
		stopped=$((stopped + 1))
	else
		busy=$((busy + 1))
		sed 's/^/  /' /tmp/demo/stop.err
	fi
	t=$((t + $(now) - t0))
	there "$dev" || gone=$((gone + 1))
	udevadm settle
	mdadm --stop /dev/md/probe >/dev/null 2>&1
	mdadm --zero-superblock /dev/loop0 /dev/loop1 2>/dev/null
done
echo "$stopped of 10 stopped ($busy refused), the device gone at the stop's return in $gone"
result probe "$stopped/10 stopped, $gone/10 gone at the return" "$t"

say "5. 1,000 arrays created through new_array, then cleared one by one"
i=0 fail=0
while [ $i -lt 1000 ]; do
	echo "md_c$i" >$P/new_array 2>/dev/null || fail=$((fail + 1))
	i=$((i + 1))
done
[ $fail = 0 ] || fail "$fail of 1000 writes to new_array failed"
echo "1000 created"
i=0 fail=0 t0=$(now)
while [ $i -lt 1000 ]; do
	echo clear >/sys/block/md_c$i/md/array_state 2>/dev/null || fail=$((fail + 1))
	i=$((i + 1))
done
t1=$(now)
left=$(ls /sys/block | grep -c '^md_c' || true)
echo "1000 cleared in $((t1 - t0)) ms ($fail refused), $left still in /sys/block"
udevadm settle
for f in /sys/block/md_c*; do
	[ -e "$f" ] && echo clear >"$f/md/array_state" 2>/dev/null
done
result clear "$((1000 - fail)) cleared, $left left at the last return" $((t1 - t0))
say "demo done"
