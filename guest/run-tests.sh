#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# run-tests.sh RESULTS: run the tests listed in /mdlc/tests, one at a time,
# writing their output to the file RESULTS (the results serial port).
#
# Each line of /mdlc/tests is a test id:
#   kunit:MODULE   load a KUnit module (its KTAP goes to the console)
#   COLL:NAME      a kselftest, run by run_kselftest.sh -t COLL:NAME
#   extra:FILE     an executable in /extra printing KTAP (the harness's own
#                  checks)
# Around each test a marker goes to the kernel log (/dev/kmsg), which the
# host uses to attribute every kernel report on the console to the test
# that was running ("mdlc: begin ID" / "mdlc: end ID"), and to RESULTS
# ("MDLC-TEST-BEGIN ID" / "MDLC-TEST-END ID STATUS SECONDS").
# With kmemleak, every test ends with a scan, so that a leak is reported
# with the test that made it: an object is only reported once it is older
# than kmemleak's minimum age (5 s), hence the wait before the scan; the
# objects reported are then cleared, so each is reported once.
res=$1
kmemleak=/sys/kernel/debug/kmemleak
[ -w "$kmemleak" ] || kmemleak=

mark() {
	echo "mdlc: $*" >/dev/kmsg
}

# Between tests: the hook of the guest's user space (udevd settles its
# event queue there), if there is one.
between() {
	[ -x /mdlc/between-tests ] && /mdlc/between-tests
}

# What the boot leaked is the boot's, not the first test's.
if [ -n "$kmemleak" ]; then
	mark "begin boot"
	sleep 6
	echo scan >"$kmemleak"
	cat "$kmemleak" >/dev/console
	echo clear >"$kmemleak"
	mark "end boot"
fi

while read -r id; do
	[ -n "$id" ] || continue
	between
	echo "MDLC-TEST-BEGIN $id" >"$res"
	mark "begin $id"
	start=$(date +%s)
	case $id in
	kunit:*)
		modprobe "${id#kunit:}" >"$res" 2>&1
		rc=$?
		;;
	extra:*)
		(cd /extra && "./${id#extra:}") >"$res" 2>&1
		rc=$?
		;;
	*)
		(cd /kselftest && ./run_kselftest.sh -t "$id") >"$res" 2>&1
		rc=$?
		;;
	esac
	if [ -n "$kmemleak" ]; then
		sleep 6
		echo scan >"$kmemleak"
		cat "$kmemleak" >/dev/console
		echo clear >"$kmemleak"
	fi
	mark "end $id"
	echo "MDLC-TEST-END $id $rc $(($(date +%s) - start))" >"$res"
done </mdlc/tests
between
