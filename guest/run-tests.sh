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
#   mdadm:NAME     one of mdadm's own tests/ (mdadm-tests.sh), or, when the
#                  guest's mdadm does not have it, a skip saying so
# Around each test a marker goes to the kernel log (/dev/kmsg), which the
# host uses to attribute every kernel report on the console to the test
# that was running ("mdlc: begin ID jiffies=N" / "mdlc: end ID
# jiffies=N"), and to RESULTS ("MDLC-TEST-BEGIN ID" / "MDLC-TEST-END ID
# STATUS SECONDS").  kmemleak scans once, at shutdown (guest/init): each
# object it reports carries the jiffies of its allocation, which the
# markers' jiffies attribute to a test.
res=$1

jiffies() {
	awk '/^jiffies:/ { print $2; exit }' /proc/timer_list
}

mark() {
	echo "mdlc: $* jiffies=$(jiffies)" >/dev/kmsg
}

# Between tests: the hook of the guest's user space (udevd settles its
# event queue there), if there is one.
between() {
	[ -x /mdlc/between-tests ] && /mdlc/between-tests
}

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
	mdadm:*)
		t=${id#mdadm:}
		if [ -f "/mdlc/mdadm-tests/tests/$t" ]; then
			sh /mdlc/userspace/mdadm-tests.sh "$t" >"$res" 2>&1
			rc=$?
		else
			printf 'KTAP version 1\n1..1\nok 1 %s # SKIP absent from mdadm %s tests/\n' \
				"$t" "$(cat /mdlc/mdadm-tests/VERSION)" >"$res"
			rc=0
		fi
		;;
	*)
		(cd /kselftest && ./run_kselftest.sh -t "$id") >"$res" 2>&1
		rc=$?
		;;
	esac
	mark "end $id"
	echo "MDLC-TEST-END $id $rc $(($(date +%s) - start))" >"$res"
done </mdlc/tests
between
