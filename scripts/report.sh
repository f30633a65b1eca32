#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# report.sh [RUNDIR...]: guarantee by guarantee, base vs patched, for every
# line, side by side.
#
# The runs are the given run directories (results/<date>-check, ...-base-
# check, any age), or by default, for each line and kernel, the newest run
# under results/ that completed and ran every test: a run filtered with
# MDLC_TESTS= is never taken silently (name it to use it).  Each run directory
# holds one directory per boot (<line>-<kind>[-debug|-mdadmV]) with results.flat.
# Which results prove which guarantee is in the file guarantees.  A
# guarantee marked "new" must fail on the base and pass patched; "old" must
# pass on both; "new:LINE" is new on LINE and applies to no other line.
set -eu
. "$(dirname "$0")/lib.sh"

G=$TOP/guarantees
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

info() { sed -n "s/^$2: //p" "$1/run.info" 2>/dev/null; }

if [ $# -gt 0 ]; then
	for r; do
		[ -f "$r/run.info" ] || die "$r is not a run directory (no run.info)"
		[ -n "$(info "$r" complete)" ] || note "$r did not complete"
		[ -z "$(info "$r" 'tests filter' | tr -d ' ')" ] ||
			note "$r ran only some tests ($(info "$r" 'tests filter'))"
		echo "$(cd "$r" && pwd)"
	done >"$tmp/runs"
else
	# Newest first; the first complete, unfiltered run per line and kind.
	ls -d "$RESULTS"/*/ 2>/dev/null | sort -r | while read -r r; do
		r=${r%/}
		[ -f "$r/run.info" ] && [ "$(info "$r" complete)" = yes ] || continue
		[ -z "$(info "$r" 'tests filter' | tr -d ' ')" ] || continue
		k=$(info "$r" kind)
		for l in $(info "$r" lines); do
			[ -e "$tmp/seen.$l.$k" ] && continue
			touch "$tmp/seen.$l.$k"
			echo "$r"
		done
	done | awk '!seen[$0]++' >"$tmp/runs"
fi
[ -s "$tmp/runs" ] || die "no complete runs under $RESULTS: run 'make check' and 'make base-check' (MDLC_LINE=...)"

# One results file per line and kind: every boot of that line and kind.
cols=
for l in $(line_names); do
	for k in base patched; do
		: >"$tmp/$l.$k"
		while read -r r; do
			for b in "$r/$l-$k" "$r/$l-$k-debug" "$r/$l-$k"-mdadm* "$r/$l-$k-torture" "$r/$l-$k-debug-torture"; do
				[ -f "$b/results.flat" ] || continue
				cat "$b/results.flat" >>"$tmp/$l.$k"
				echo "$l $k: $b ($(sed -n 's/^kernel: //p' "$b/info.txt" 2>/dev/null); $(cat "$b/summary" 2>/dev/null))" >>"$tmp/sources"
			done
		done <"$tmp/runs"
		[ -s "$tmp/$l.$k" ] && cols="$cols $l.$k"
	done
done
[ -n "$cols" ] || die "the runs have no results"

count() { # count FILE REGEX -> pass/total
	awk -v re="$2" '{ s = $0; ok = (s !~ /^not ok/); sub(/^(not )?ok \[[^]]*\] /, "", s) }
		s ~ re { t++; if (ok) n++ } END { printf "%d/%d", n, t }' "$1"
}

printf '%-4s %-13s' guar new
for c in $cols; do printf ' %-16s' "$(echo "$c" | sed 's/\.\([a-z]*\)$/ \1/')"; done
printf ' %s\n' verdict
grep -v '^#' "$G" | while read -r g new re; do
	[ -n "$g" ] || continue
	printf '%-4s %-13s' "$g" "$new"
	for c in $cols; do
		printf ' %-16s' "$(count "$tmp/$c" "$re")"
	done
	verdict=
	for l in $(line_names); do
		b=$(count "$tmp/$l.base" "$re") p=$(count "$tmp/$l.patched" "$re")
		isnew=0
		case $new in
		new) isnew=1 ;;
		new:*) [ "${new#new:}" = "$l" ] || continue
			isnew=1 ;;
		esac
		allb=$([ "${b%/*}" = "${b#*/}" ] && echo 1 || echo 0)
		allp=$([ "${p%/*}" = "${p#*/}" ] && echo 1 || echo 0)
		case $b:$p in
		*/0:*/0)
			# No result at all on a line that ran: a test is missing.
			v="-"
			case " $cols " in
			*" $l.base "*|*" $l.patched "*)
				v="CHECK: no result at all" ;;
			esac ;;
		*/0:*)
			v="patched only"
			[ $allp = 1 ] || v="FAILS patched" ;;
		*:*/0)
			if [ $isnew = 1 ]; then
				[ $allb = 0 ] && v="fails on base (new)" || v="CHECK: new, but passes on base"
			else
				[ $allb = 1 ] && v="passes on base" || v="CHECK: fails on base"
			fi ;;
		*)
			if [ $isnew = 1 ]; then
				[ $allb = 0 ] && [ $allp = 1 ] && v="fixed by the series" ||
					v="CHECK: must fail on base, pass patched"
			else
				[ $allb = 1 ] && [ $allp = 1 ] && v="kept (passes on both)" ||
					v="CHECK: must pass on both"
			fi ;;
		esac
		[ "$v" = "-" ] || verdict="$verdict${verdict:+; }$l: $v"
	done
	printf ' %s\n' "$verdict"
done
echo
sed 's/^/from /' "$tmp/sources"
