#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mdadm-tests.sh [-t SECONDS] [-l LOGDIR] [-f SUBSET] [TEST...]
# Run mdadm's own tests/ (Debian's source package, unpacked by userspace.sh
# into /mdlc/mdadm-tests with its "test" driver) against the guest's mdadm,
# one driver invocation per test, and print KTAP: one result per test, its
# time and exit status in a diagnostic before it, the tail of its logs when
# it failed.  Tests named but missing from this mdadm version's tests/ are
# listed as absent in a diagnostic (not in the plan, not skipped silently).
#   TEST...   default: the names in SUBSET (/mdlc/userspace/mdadm-tests.subset)
#   -t        per-test timeout in seconds (MDADM_TESTS_TIMEOUT, default 900:
#             generous by design, 6x the slowest test of the subset, 4.6's
#             00readonly at 117-146 s on the normal kernel under TCG); a
#             test that runs longer is killed (TERM, KILL 30 s later) and
#             fails; the arrays and loop devices it left are torn down
#             (mdadm -Ss, bounded to 120 s: it stops arrays of 20-64 MiB
#             members, a second each)
#   -l        where the driver's logs go (default /tmp/mdadm-tests)
# Exit status: 0 when no test failed.
#
# What is adapted to the guest, and why (nothing in tests/ is changed):
#  - the driver runs with its own defaults, one test at a time:
#    ./test --tests=NAME --save-logs --logdir=LOGDIR/NAME;
#  - 4.2's driver runs "$PWD/mdadm" (an mdadm built in the source tree):
#    /mdlc/mdadm-tests/mdadm is a symlink to the guest's /sbin/mdadm;
#    4.6's driver runs `which mdadm`, the same binary;
#  - the 14 backing files /var/tmp/mdtest0..13 (20000 KiB, 65536 KiB for
#    8..13) are created sparse with truncate before each test: the driver
#    keeps existing files ("[ -f file ] || dd ..."), and 544 MiB of zeros
#    written by dd would sit in the guest's RAM (the root is a tmpfs);
#    the contents (zeros) are the same;
#  - /dev/loop0..13 nodes are made with mknod when devtmpfs does not have
#    them yet (the loop module pre-creates 8; 4.2's driver does the same
#    mknod itself, 4.6's expects the nodes to exist), the kernel creates
#    the device on the first open;
#  - udevd's queue is settled after each test (udev.sh), a test after which
#    it does not settle fails.
set -u

dir=/mdlc/mdadm-tests
subset=/mdlc/userspace/mdadm-tests.subset
logroot=/tmp/mdadm-tests
tmo=${MDADM_TESTS_TIMEOUT:-900}
while getopts t:l:f: o; do
	case $o in
	t) tmo=$OPTARG ;;
	l) logroot=$OPTARG ;;
	f) subset=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-l LOGDIR] [-f SUBSET] [TEST...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ -x "$dir/test" ] || { echo "Bail out! no mdadm test driver in $dir"; exit 1; }
ver=$(cat "$dir/VERSION" 2>/dev/null || echo unknown)
[ -f /mdlc/userspace/udev.sh ] && . /mdlc/userspace/udev.sh

if [ $# -eq 0 ]; then
	# shellcheck disable=SC2046
	set -- $(sed -e 's/#.*//' "$subset")
fi
present= absent= n=0
for t; do
	if [ -f "$dir/tests/$t" ]; then
		present="$present $t"
		n=$((n + 1))
	else
		absent="$absent $t"
	fi
done

uptime_cs() { # hundredths of a second since boot
	read -r _up _ </proc/uptime
	echo "${_up%.*}${_up#*.}"
}
secs() { # hundredths -> seconds with two decimals
	printf '%d.%02d' $(($1 / 100)) $(($1 % 100))
}

# Tear down what a test (or a killed driver) left: arrays, loop devices,
# backing files.
teardown() {
	timeout 120 mdadm -Ss >/dev/null 2>&1
	for d in 0 1 2 3 4 5 6 7 8 9 10 11 12 13; do
		[ -b /dev/loop$d ] && losetup -d /dev/loop$d 2>/dev/null
	done
	rm -f /var/tmp/mdtest[0-9]*
}

prepare() {
	mkdir -p /var/tmp
	modprobe loop 2>/dev/null
	for d in 0 1 2 3 4 5 6 7 8 9 10 11 12 13; do
		sz=20000
		[ $d -gt 7 ] && sz=65536
		rm -f /var/tmp/mdtest$d
		truncate -s ${sz}K /var/tmp/mdtest$d
		[ -b /dev/loop$d ] || mknod /dev/loop$d b 7 $d
	done
}

# tail_diag FILE N: the last N lines of FILE as KTAP diagnostics.
tail_diag() {
	[ -s "$1" ] || return 0
	echo "# ---- last $2 lines of ${1#"$logroot"/} ----"
	tail -n "$2" "$1" | sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^/# /'
}

echo "KTAP version 1"
echo "# mdadm tests/ from Debian's mdadm $ver source package, driver $dir/test, mdadm: $(mdadm --version 2>&1)"
echo "# kernel $(uname -r), udevd $(udevadm --version 2>/dev/null || echo none), per-test timeout ${tmo} s"
for t in $absent; do
	echo "# absent: $t (not in mdadm $ver's tests/)"
done
echo "1..$n"

i=0 pass=0 fail=0 skip=0
start_all=$(uptime_cs)
for t in $present; do
	i=$((i + 1))
	log=$logroot/$t
	rm -rf "$log"
	mkdir -p "$log"
	teardown
	prepare
	t0=$(uptime_cs)
	(cd "$dir" && exec timeout -k 30 "$tmo" ./test --tests="$t" --save-logs --logdir="$log") \
		>"$log/driver.out" 2>&1 </dev/null
	rc=$?
	t1=$(uptime_cs)
	why=
	case $rc in
	124|137) why="timed out after $tmo s (killed)" ;;
	0) ;;
	*) why="driver exit status $rc" ;;
	esac
	teardown
	udev=
	if command -v mdlc_udev_settle >/dev/null 2>&1; then
		udev=$(mdlc_udev_settle 2>&1) || { [ -n "$why" ] || why="$udev"; }
	fi
	tr -d '\r' <"$log/driver.out" | sed 's/\x1b\[[0-9;]*m//g' >"$log/driver.txt"
	echo "# $t: $(secs $((t1 - t0))) s, exit $rc"
	# The driver's verdict is on the line that names the test:
	# "tests/NAME... succeeded", "... skipping" (4.6: the test exited 3),
	# "... FAILED"; a test that skips a part itself prints "skipping... "
	# before "succeeded".
	verdict=$(grep "tests/$t\.\.\. " "$log/driver.txt" | tail -n 1)
	if [ -z "$why" ] && printf '%s' "$verdict" | grep -q 'succeeded'; then
		case $verdict in
		*skipping*) echo "# $t: succeeded, but skipped a part of itself ('skipping... ')" ;;
		esac
		echo "ok $i $t"
		pass=$((pass + 1))
	elif [ -z "$why" ] && printf '%s' "$verdict" | grep -q 'skipping'; then
		reason=$(grep -o 'SKIPPING, REASON: .*' "$log/$t.log" "$log/driver.txt" 2>/dev/null | head -n 1)
		echo "ok $i $t # SKIP ${reason#*REASON: }"
		skip=$((skip + 1))
	else
		[ -n "$why" ] || why="the driver did not report success"
		echo "# $t: $why"
		# The evidence, on the results channel (the guest's files are
		# gone with it): the driver's output, the test's "set -x" trace
		# with mdadm's messages, and what save_log gathered (dmesg,
		# /proc/mdstat, mdadm -D).
		tail_diag "$log/driver.txt" 20
		tail_diag "$log/$t.log" "${MDADM_TESTS_LOG_LINES:-250}"
		tail_diag "$log/fail$t.log" 120
		echo "not ok $i $t"
		fail=$((fail + 1))
	fi
done
end_all=$(uptime_cs)
set -- $absent
echo "# mdadm $ver tests: $pass passed, $fail failed, $skip skipped, $# absent in $(secs $((end_all - start_all))) s"
[ $fail = 0 ]
