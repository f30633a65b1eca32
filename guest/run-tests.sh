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
#
# Before each step the runner tells the host's watchdog what it is doing
# and how long that may take at most ("MDLC-PHASE BOUND NAME", see
# scripts/run-qemu.sh): a step that outlasts its bound is a hang, however
# quiet or busy the console is.  The bounds are the steps' own timeouts
# (bound_of below) plus GRACE.
res=$1
# After a test's own timeout has killed it, only the kill and a few lines
# of output remain before the runner moves on: a second on the debug
# kernel.  60 s is generous by design.
GRACE=60

jiffies() {
	awk '/^jiffies:/ { print $2; exit }' /proc/timer_list
}

mark() {
	echo "mdlc: $* jiffies=$(jiffies)" >/dev/kmsg
}

# phase BOUND NAME...: announce a step to the host's watchdog.
phase() {
	echo "MDLC-PHASE $*" >"$res"
}

# kselftest_timeout COLLECTION: the kselftest runner's timeout of the
# collection's programs: MDLC_KSELFTEST_TIMEOUT (passed to it as -o, for
# sizes larger than the collection's defaults), or "timeout=" in its
# settings, or the runner's default, 45 s; run_kselftest.sh kills a
# program at that time.
kselftest_timeout() {
	if [ -n "${MDLC_KSELFTEST_TIMEOUT:-}" ]; then
		echo "$MDLC_KSELFTEST_TIMEOUT"
		return
	fi
	_t=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "/kselftest/$1/settings" 2>/dev/null)
	echo "${_t:-45}"
}

# bound_of ID: the longest a test may take before the runner gets control
# back, in seconds.
bound_of() {
	case $1 in
	kunit:*)
		# KUnit times each case out after 300 s (lib/kunit/try-catch.c);
		# md's cases are pure functions that take milliseconds (0-1 s
		# per module on the debug kernel under TCG): room for one case
		# that times out, and the rest.
		echo $((2 * 300 + GRACE))
		;;
	mdadm:*)
		# mdadm-tests.sh: the test's timeout (MDADM_TESTS_TIMEOUT, its
		# default 900 s) and the kill 30 s later, then its teardown
		# (mdadm -Ss bounded to 120 s, before and after) and a udev
		# settle (MDLC_UDEV_TIMEOUT, 180 s).
		echo $((${MDADM_TESTS_TIMEOUT:-900} + 30 + 2 * 120 + ${MDLC_UDEV_TIMEOUT:-180} + GRACE))
		;;
	extra:*)
		# The harness's own checks take seconds; make findings and make
		# torture set MDLC_TEST_TIMEOUT from their sizes.  900 s is
		# generous by design for the rest.
		echo $((${MDLC_TEST_TIMEOUT:-900} + GRACE))
		;;
	*:*)
		echo $(($(kselftest_timeout "${1%%:*}") + GRACE))
		;;
	*)
		echo $((45 + GRACE))
		;;
	esac
}

# Between tests: the hook of the guest's user space (udevd settles its
# event queue there), if there is one.
between() {
	[ -x /mdlc/between-tests ] || return 0
	# udev.sh's settle timeout (MDLC_UDEV_TIMEOUT, default 180 s).
	phase $((${MDLC_UDEV_TIMEOUT:-180} + GRACE)) settle
	/mdlc/between-tests
}

while read -r id; do
	[ -n "$id" ] || continue
	between
	phase "$(bound_of "$id")" test "$id"
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
		(cd /kselftest && ./run_kselftest.sh ${MDLC_KSELFTEST_TIMEOUT:+-o "$MDLC_KSELFTEST_TIMEOUT"} -t "$id") >"$res" 2>&1
		rc=$?
		;;
	esac
	mark "end $id"
	echo "MDLC-TEST-END $id $rc $(($(date +%s) - start))" >"$res"
done </mdlc/tests
between
