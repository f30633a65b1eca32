#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# report.sh: base vs patched, guarantee by guarantee, from the latest runs
# (results/latest-base and results/latest-patched, written by base-check and
# check).  Guarantees marked new must fail on the base and pass patched.
set -eu
. "$(dirname "$0")/lib.sh"
b=$RESULTS/latest-base/results.tap p=$RESULTS/latest-patched/results.tap
[ -f "$p" ] || die "no patched results: run 'make check' first"
[ -f "$b" ] || die "no base results: run 'make base-check' first"
printf '%-5s %-4s %-18s %-18s %s\n' guar new base patched verdict
grep -v '^#' "$TOP/tests/guarantees" | while read -r g new re; do
	[ -n "$g" ] || continue
	count() { # count FILE -> "pass/total"
		awk -v re="$re" '{ s = $0; ok = (s !~ /^not ok/); sub(/^(not )?ok \[[^]]*\] /, "", s) }
			s ~ re { t++; if (ok) n++ } END { printf "%d/%d", n, t }' "$1"
	}
	cb=$(count "$b") cp=$(count "$p")
	case $new:$cb:$cp in
	*:*:0/0) v="NO PATCHED RESULTS" ;;
	new:*/0:*) v="no base results" ;;
	new:*) [ "${cb%/*}" != "${cb#*/}" ] && [ "${cp%/*}" = "${cp#*/}" ] && v="fixed by the series" || v="CHECK: must fail on base, pass patched" ;;
	old:*) [ "${cb%/*}" = "${cb#*/}" ] && [ "${cp%/*}" = "${cp#*/}" ] && v="kept (passes on both)" || v="CHECK: must pass on both" ;;
	esac
	printf '%-5s %-4s %-18s %-18s %s\n' "$g" "$new" "$cb pass" "$cp pass" "$v"
done
echo
echo "base:    $(sed -n 's/^kernel: //p' "$RESULTS/latest-base/info.txt") ($(cat "$RESULTS/latest-base/summary" 2>/dev/null))"
echo "patched: $(sed -n 's/^kernel: //p' "$RESULTS/latest-patched/info.txt") ($(cat "$RESULTS/latest-patched/summary" 2>/dev/null))"
