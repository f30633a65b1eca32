#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main job, narrated: named arrays with mdadm, a device appearing on
# open, what happens to it on close, a named array stopped and its name
# reused.  Runs in the guest (make demo).
set -u
say() { printf '\n=== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
blocks() { printf 'md devices in /sys/block: %s\n' "$(cd /sys/block && ls -d md* 2>/dev/null | tr '\n' ' ')"; }
fail() { printf 'DEMO FAILED: %s\n' "$*"; exit 1; }
gone() { n=0; while [ -e "/sys/block/$1" ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done; [ ! -e "/sys/block/$1" ]; }

modprobe md_mod && modprobe raid1 && modprobe loop || fail "cannot load md_mod, raid1 and loop"
printf 'kernel %s\n' "$(uname -r)"
mkdir -p /tmp/demo /etc/mdadm
for i in 0 1; do
	dd if=/dev/zero of=/tmp/demo/disk$i bs=1M count=0 seek=64 2>/dev/null
	losetup /dev/loop$i /tmp/demo/disk$i || fail "losetup"
done
printf 'CREATE names=yes\nDEVICE /dev/loop0 /dev/loop1\n' >/etc/mdadm/mdadm.conf

say "1. mdadm creates a RAID1 by name (CREATE names=yes in mdadm.conf)"
run mdadm --create /dev/md/home --name=home --run --level=1 --raid-devices=2 \
	--metadata=1.2 --assume-clean /dev/loop0 /dev/loop1 || fail "mdadm --create"
run ls -l /dev/md/home
run cat /sys/block/md_home/dev
run cat /proc/mdstat
blocks

say "2. the kernel's own way: write md_NAME to new_array"
run sh -c 'echo md_scratch > /sys/module/md_mod/parameters/new_array'
run ls -l /dev/md_scratch
run sh -c 'echo clear > /sys/block/md_scratch/md/array_state'
gone md_scratch && echo "md_scratch is gone after clear" || fail "md_scratch still there"

say "3. a device appears when its node is opened (create_on_open)"
blocks
run mknod /tmp/demo/md5 b 9 5
run dd if=/tmp/demo/md5 of=/dev/null count=1
printf '(dd: an unconfigured md device has no data; the open created md5)\n'
blocks
say "   ... and its fate after that last close:"
if gone md5; then
	echo "md5 is gone: an unused device disappears after its last close"
else
	echo "md5 is still in /sys/block: the unpatched kernel keeps it until an ioctl"
	run sh -c 'echo clear > /sys/block/md5/md/array_state'
	gone md5 || fail "md5 did not go away after clear"
fi
blocks

say "4. the named array is stopped, and its name reused"
run mdadm --stop /dev/md/home || fail "mdadm --stop"
gone md_home && echo "md_home is gone" || fail "md_home still there after stop"
run mdadm --assemble /dev/md/home /dev/loop0 /dev/loop1 || fail "mdadm --assemble"
run cat /proc/mdstat
run mdadm --stop /dev/md/home || fail "mdadm --stop"
run mdadm --create /dev/md/home --name=home --run --level=1 --raid-devices=2 \
	--metadata=1.2 --assume-clean /dev/loop0 /dev/loop1 || fail "re-create"
run ls -l /dev/md/home
run mdadm --stop /dev/md/home || fail "mdadm --stop"
gone md_home || fail "md_home still there after the last stop"
blocks
say "demo done"
