#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host-side self-tests of the harness: the console scanner and the TAP/KTAP
# collector on canned logs (tests/logs), compared with what they must find
# (tests/expect: for *.scan "category count" lines, for *.collect the flat
# results).  Prints flat results like the guest suite; exits 1 on failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/tests" || exit 1
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

result() { # result STATUS NAME
	if [ "$1" = 0 ]; then
		echo "ok [host] harness: $2"
	else
		echo "not ok [host] harness: $2"
		fail=1
	fi
}

for exp in expect/*.scan; do
	b=$(basename "$exp" .scan)
	awk -f ../scripts/scan-console.awk "logs/$b.log" | cut -d' ' -f1,2 >"$out"
	cmp -s "$out" "$exp"
	r=$?
	want=$(tr '\n' ' ' <"$exp")
	result $r "scan-console: $b.log -> ${want:-clean}"
	[ $r = 0 ] || diff "$exp" "$out" | sed 's/^/# /'
done

for exp in expect/*.collect; do
	b=$(basename "$exp" .collect)
	case $b in
	kunit*) awk -v src=kunit -v strip_ts=1 -f ../scripts/collect.awk "logs/$b.log" ;;
	*) awk -v src=kselftest -f ../scripts/collect.awk "logs/$b.log" ;;
	esac >"$out"
	cmp -s "$out" "$exp"
	r=$?
	result $r "collect: $b.log -> $(grep -c '^ok' "$exp") ok, $(grep -c '^not ok' "$exp") not ok"
	[ $r = 0 ] || diff "$exp" "$out" | sed 's/^/# /'
done

# The closing line and its exit status.
printf 'ok a\nok b # SKIP x\nnot ok c\n' >"$out"
line=$(../scripts/summary.sh "$out")
r=$?
[ "$line" = "1 passed, 1 failed, 1 skipped" ] && [ $r = 1 ]
result $? "summary: counts and fails on a failure ($line)"
: >"$out"
../scripts/summary.sh "$out" >/dev/null
[ $? = 1 ]
result $? "summary: no results at all is a failure"

exit $fail
