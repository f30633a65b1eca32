#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check.sh patched|base: the test command.
# The harness's own tests, then, for each line (LINE, or every line the
# table marks as checked), the guest suite on the line's patched kernel
# (or, with "base", on its unpatched base), then on the debug build
# (lockdep, KASAN, kmemleak, ...; CHECK_DEBUG=0 skips it; for the base it
# runs only with CHECK_DEBUG=1).  Every guest runs Debian's udevd; the
# normal one also runs the mdadm tests/ marked for make check in
# guest/mdadm-tests.subset, and a third boot runs the mdadm selftests
# with the other of Debian's mdadm versions (4.2, 4.6; MDADM_OTHER).
# Each boot goes through scripts/driver.sh into a directory of the run; the run's KTAP document nests them
# (results/<date>-<check|base-check>/results.ktap).  Prints every result,
# then the closing line "N passed, N failed, N skipped"; exits non-zero on
# any failure.
set -u
. "$(dirname "$0")/lib.sh"

kind=${1:-patched}
case $kind in
patched) what=check ;;
base) what=base-check ;;
*) die "usage: check.sh patched|base" ;;
esac
lines=${LINE:-$(line_names checked | tr '\n' ' ')}
for l in $lines; do
	line_load "$l"
done
run=$RESULTS/$(date +%Y%m%d-%H%M%S)-$what
mkdir -p "$run"
export MDLC_RUN_WHAT="make $what${LINE:+ LINE=$LINE}"
debug_default=1
[ "$kind" = base ] && debug_default=0
debug=${CHECK_DEBUG:-$debug_default}
{
	echo "what: $what"
	echo "kind: $kind"
	echo "lines: $lines"
	echo "debug: $debug"
	echo "tests filter: ${TESTS:-}${KSELFTEST_ARGS:+ KSELFTEST_ARGS=$KSELFTEST_ARGS}"
	echo "harness commit: $(git -C "$TOP" rev-parse --short=12 HEAD 2>/dev/null || echo none)$(git -C "$TOP" diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
	echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$run/run.info"
msg "run directory: $run"
rc=0
subs=

# The harness's own tests (host side, seconds).
"$TOP/tests/run.sh" >"$run/harness.ktap" || rc=1
awk -v src=harness -v strict=1 -f "$TOP/scripts/flatten.awk" "$run/harness.ktap"
subs="$subs harness"

boot() { # boot LINE LABEL [env...]
	_line=$1 _label=$2
	shift 2
	start=$(date +%s)
	if env MDLC_QUIET=1 "$@" "$TOP/scripts/driver.sh" "$_line" "$kind" kselftest "$run/$_label"; then :; else rc=1; fi
	echo "$_label: $(($(date +%s) - start)) s" >>"$run/timings"
	if [ -f "$run/$_label/results.ktap" ]; then
		cat "$run/$_label/results.flat"
	else
		mkdir -p "$run/$_label"
		printf 'KTAP version 1\n1..1\nnot ok 1 suite: did not run (see the messages above)\n' \
			>"$run/$_label/results.ktap"
		echo "not ok [$_label] suite: did not run (see the messages above)"
	fi
	subs="$subs $_label"
}

for l in $lines; do
	boot "$l" "$l-$kind" DEBUG=0
	if [ "$kind" = patched ] && [ "$subs" = " harness $l-$kind" ]; then
		# A real guest run of the console attribution: once, on the
		# first line's kernel, which is built by now.
		"$TOP/tests/attribution.sh" "$l" "$run/attribution" >"$run/attribution.ktap" || rc=1
		awk -v src=attribution -v strict=1 -f "$TOP/scripts/flatten.awk" "$run/attribution.ktap"
		subs="$subs attribution"
	fi
	# SPEC G8: mdadm by name with both of Debian's mdadm versions on
	# every line: the line's own ran above, the other one runs the mdadm
	# selftests here (MDADM_OTHER=none skips it).
	line_load "$l"
	case $LINE_MDADM in 4.2) other=4.6 ;; *) other=4.2 ;; esac
	other=${MDADM_OTHER:-$other}
	if [ "$other" != none ] && [ -z "${TESTS:-}${KSELFTEST_ARGS:-}" ]; then
		boot "$l" "$l-$kind-mdadm$other" DEBUG=0 MDADM="$other" MDADM_TESTS=none \
			TESTS="md:md_mdadm_names.sh md:md_mdadm_cycles.sh md:md_mdadm_assemble.sh"
	fi
	if [ "$debug" = 1 ]; then
		# The debug kernel is several times slower under emulation: the
		# stress tests run fewer cycles there (DEBUG_GUEST_ENV overrides).
		boot "$l" "$l-$kind-debug" DEBUG=1 MDADM_TESTS=none \
			GUEST_ENV="${DEBUG_GUEST_ENV:-MD_GONE_CYCLES=300 MD_CYCLES=20 MD_MODULE_CYCLES=10} ${GUEST_ENV:-}"
	fi
done

# The run's document: one subtest per part.
n=0
{
	echo "KTAP version 1"
	echo "# md lifecycle $what: lines $lines, harness $(sed -n 's/^harness commit: //p' "$run/run.info")"
	echo "1..$(echo $subs | wc -w)"
	for s in $subs; do
		n=$((n + 1))
		case $s in
		harness|attribution) f=$run/$s.ktap ;;
		*) f=$run/$s/results.ktap ;;
		esac
		echo "    KTAP version 1"
		echo "    # Subtest: $s"
		sed -e '1{/^KTAP version/d}' -e 's/^/    /' "$f"
		if awk -v strict=1 -v src=x -f "$TOP/scripts/flatten.awk" "$f" 2>/dev/null | grep -q '^not ok'; then
			echo "not ok $n $s"
		else
			echo "ok $n $s"
		fi
	done
} >"$run/results.ktap"
awk -v strict=1 -f "$TOP/scripts/flatten.awk" "$run/results.ktap" |
	sed 's/^\(\(not \)\?ok \)\([^:]*\): /\1[\3] /' >"$run/results.flat"
echo "complete: yes" >>"$run/run.info"
echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$run/run.info"

echo
echo "results: $run/results.ktap (KTAP), results.flat (one line per result), boots: $subs"
[ -f "$run/timings" ] && sed 's/^/time: /' "$run/timings"
echo
echo "guarantees (scripts/report.sh $run):"
"$TOP/scripts/report.sh" "$run" 2>&1 | sed '/^$/,$d'
echo
"$TOP/scripts/summary.sh" "$run/results.flat" | tee "$run/summary" || rc=1
exit $rc
