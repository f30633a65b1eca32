#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# attribution.sh [-b] LINE RUNDIR: the console attribution in a real guest
# (-b: the kernel is built already, driver.sh -b).
# Boots the line's patched kernel with three tests (tests/guest-attribution):
# a quiet one, one that makes the kernel print a WARNING through lkdtm but
# itself reports success, and another quiet one.  The harness must fail the
# second one, for its kernel report, and pass the two others and the
# console outside the tests.  Prints a KTAP document; exits 1 on failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
b=
[ "${1:-}" = -b ] && { b=-b; shift; }
[ $# = 2 ] || { echo "usage: attribution.sh [-b] LINE RUNDIR" >&2; exit 2; }
line=$1 dir=$2
MDLC_QUIET=1 MDLC_FILES=$top/tests/guest-attribution MDLC_SCRIPT= MDLC_TESTS= MDLC_KSELFTEST_ARGS= MDLC_GUEST_ENV= \
	"$top/scripts/driver.sh" $b "$line" patched tests "$dir" >"$dir.log" 2>&1
f=$dir/results.flat
n=0 fail=0
check() { # check NAME PATTERN: one result, ok if f has a line matching PATTERN
	n=$((n + 1))
	if grep -q "$2" "$f" 2>/dev/null; then
		echo "ok $n $1"
	else
		echo "not ok $n $1"
		fail=1
	fi
}
echo "KTAP version 1"
echo "1..5"
check "a test that made the kernel WARN fails for it" \
	'^not ok \[[^]]*\] b_warn: kernel reports: warning 1; first: WARNING: .*lkdtm'
check "its own result still passes" '^ok \[[^]]*\] b_warn: provoked a WARNING'
check "the quiet test before it passes" '^ok \[[^]]*\] a_quiet_before: kernel reports: none'
check "the quiet test after it passes" '^ok \[[^]]*\] c_quiet_after: kernel reports: none'
check "no report is left outside the tests" '^ok \[[^]]*\] console outside tests: no kernel report'
[ $fail = 0 ] || sed 's/^/# /' "$f" 2>/dev/null || sed 's/^/# /' "$dir.log"
exit $fail
