#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check.sh patched|base [check|long]: the test command.
# The harness's own tests, then, for each line (LINE, or every line the
# table marks as checked), the guest suite on the line's patched kernel
# (or, with "base", on its unpatched base), then on the debug build
# (lockdep, KASAN, kmemleak, ...; MDLC_CHECK_DEBUG=0 skips it; for the base it
# runs only with MDLC_CHECK_DEBUG=1).  Every guest runs Debian's udevd; the
# normal one also runs the mdadm tests/ marked for make check in
# guest/mdadm-tests.subset, and a third boot runs the mdadm selftests
# with the other of Debian's mdadm versions (4.2, 4.6; MDLC_MDADM_OTHER).
#
# The sizes: "check" (make check) runs the selftests at their default
# sizes on the normal kernel and at the smaller MDLC_DEBUG_SIZES on the debug
# kernel; "long" (make check-long) at MDLC_LONG_SIZES and MDLC_LONG_DEBUG_SIZES,
# with mdadm's tests marked "long" too (below, and README "Budget").
#
# The order: the lines one after the other, mainline first (the table's
# order).  A guest under TCG uses less than one core on the normal kernel
# (the host stays 84-86% idle beside one), so after a line's normal kernel
# is built its selftests boot runs in the foreground and its debug
# kernel, built then booted, in the background; then its shorter boots
# one after the other: the mdadm selftests with the other mdadm, the
# findings checks, md_torture.  MDLC_CHECK_LANES=2 runs those shorter boots in
# a second background lane beside the selftests boot instead: a cold run
# took 46 minutes that way, but with three guests at once (the debug
# one among them) udevd fell behind mdadm in the normal guest (FINDINGS.md
# V20, B7), so it is not the default.  The next line's build starts when the
# foreground ends (driver.sh -b: the boot stages only, the build stages
# hold the work tree's lock).  The debug kernel runs on the lines the
# table marks "yes" (SPEC H6: at least mainline's); "normal" lines run it
# in make check-long and with MDLC_CHECK_DEBUG=1.  Each background's output
# goes to its log in the run directory; its results are printed after the
# foreground's.
#
# Each boot goes through scripts/driver.sh into a directory of the run;
# the run's KTAP document nests them (results/<date>-<check|base-check>/
# results.ktap).  Prints every result, the time of every stage, then the
# closing line "N passed, N failed, N skipped"; exits non-zero on any
# failure.
set -u
. "$(dirname "$0")/lib.sh"

kind=${1:-patched}
sizes=${2:-check}
case $kind in
patched) what=check ;;
base) what=base-check ;;
*) die "usage: check.sh patched|base [check|long]" ;;
esac
case $sizes in
check) ;;
long) what=$what-long ;;
*) die "usage: check.sh patched|base [check|long]" ;;
esac

# Test sizes (MDLC_GUEST_ENV words; the selftests read them, see each test's
# header).  Every size with the guarantee it serves and why it proves it
# is listed in README.md, "Budget".
#  - check, normal kernel: the selftests' own defaults (MD_GONE_CYCLES=100,
#    MD_RACE_OPENS=20000, MD_RACE_CYCLES=300, MD_CYCLES=30,
#    MD_ASSEMBLE_CYCLES=3, MD_MODULE_CYCLES=50, MD_UDEV_CYCLES=50);
#  - check, debug kernel (KASAN, lockdep: 10-25x slower per operation
#    under TCG): every path at least 10 times, the races a few hundred
#    times;
#  - long: the guarantees' full sizes (G4's 300,000 opens, G8's 100 mdadm
#    cycles, 1,000 gone cycles per case), and the debug kernel at the
#    sizes make check's debug run had before the budget.
: "${MDLC_DEBUG_SIZES:=${MDLC_DEBUG_GUEST_ENV:-MD_GONE_CYCLES=20 MD_RACE_OPENS=300 MD_RACE_CYCLES=50 MD_CYCLES=10 MD_ASSEMBLE_CYCLES=1 MD_MODULE_CYCLES=10}}"
: "${MDLC_LONG_SIZES:=MD_GONE_CYCLES=1000 MD_RACE_OPENS=300000 MD_RACE_CYCLES=3000 MD_CYCLES=100 MD_ASSEMBLE_CYCLES=10 MD_MODULE_CYCLES=200 MD_UDEV_CYCLES=200}"
: "${MDLC_LONG_DEBUG_SIZES:=MD_GONE_CYCLES=100 MD_RACE_OPENS=1000 MD_RACE_CYCLES=300 MD_CYCLES=20 MD_ASSEMBLE_CYCLES=3 MD_MODULE_CYCLES=10}"
# The long sizes need more than the kselftest runner's timeout of the md
# collection (settings: 1,200 s for the default sizes): md_gone_test at 7
# x 1,000 cycles takes about 2,100 s on the normal kernel under TCG on 2
# cores (166-210 s at 100 cycles); 7,200 s is 3.4 times that.  The guest's
# runner passes it to run_kselftest.sh -o.
: "${MDLC_LONG_KSELFTEST_TIMEOUT:=7200}"
# md_torture (scripts/torture.sh's knobs), on the lines whose series
# passes it (torture/checked): one more boot of each kernel.  The normal
# kernel: a minute of 4 threads (about 1,500 operations under TCG) and
# md_torture's default 2,000 fuzzed new_array inputs; the debug kernel
# (its operations 10-25x dearer): the same minute and 300 inputs.  The
# long run: 10 minutes each, 10,000 and 2,000 inputs.  The debug kernel
# also runs the faults test (fault injection): the fail-nth sweep of one
# new_array write (about 390 allocations, about 60 s while a child writes
# the array's array_state) and 100 operations under
# random injection (1-2 per second), 1,000 in the long run.
: "${MDLC_TORTURE_SIZES:=MDLC_TORTURE=torture,fuzz MDLC_DURATION=60 MDLC_FUZZ=2000}"
: "${MDLC_TORTURE_DEBUG_SIZES:=MDLC_TORTURE=torture,fuzz,faults MDLC_DURATION=60 MDLC_FUZZ=300 MDLC_FAULTS=100}"
: "${MDLC_LONG_TORTURE_SIZES:=MDLC_TORTURE=torture,fuzz MDLC_DURATION=600 MDLC_FUZZ=10000}"
: "${MDLC_LONG_TORTURE_DEBUG_SIZES:=MDLC_TORTURE=torture,fuzz,faults MDLC_DURATION=600 MDLC_FUZZ=2000 MDLC_FAULTS=1000}"
if [ "$sizes" = long ]; then
	normal_env="$MDLC_LONG_SIZES MDLC_KSELFTEST_TIMEOUT=$MDLC_LONG_KSELFTEST_TIMEOUT"
	debug_env="$MDLC_LONG_DEBUG_SIZES MDLC_KSELFTEST_TIMEOUT=$MDLC_LONG_KSELFTEST_TIMEOUT"
	torture_sizes=$MDLC_LONG_TORTURE_SIZES
	torture_debug_sizes=$MDLC_LONG_TORTURE_DEBUG_SIZES
	mdadm_tests=${MDLC_MDADM_TESTS:-long}
else
	normal_env=
	debug_env=$MDLC_DEBUG_SIZES
	torture_sizes=$MDLC_TORTURE_SIZES
	torture_debug_sizes=$MDLC_TORTURE_DEBUG_SIZES
	mdadm_tests=${MDLC_MDADM_TESTS:-check}
fi
# torture LINE: does make check run md_torture on LINE's series?
torture() {
	[ "$kind" = patched ] && [ -z "${MDLC_TESTS:-}${MDLC_KSELFTEST_ARGS:-}" ] &&
		[ -f "$TOP/torture/checked" ] &&
		awk -v l="$1" '!/^#/ && $1 == l { f = 1 } END { exit !f }' "$TOP/torture/checked"
}

lines=${MDLC_LINE:-$(line_names checked | tr '\n' ' ')}
for l in $lines; do
	line_load "$l"
done
run=$RESULTS/$(date +%Y%m%d-%H%M%S)-$what
mkdir -p "$run"
export MDLC_RUN_WHAT="make $what${MDLC_LINE:+ MDLC_LINE=$MDLC_LINE}"
export MDLC_STAGE_LOG=$run/stages
: >"$MDLC_STAGE_LOG"
debug_default=1
[ "$kind" = base ] && debug_default=0
debug=${MDLC_CHECK_DEBUG:-$debug_default}
{
	echo "what: $what"
	echo "kind: $kind"
	echo "sizes: $sizes"
	echo "lines: $lines"
	echo "debug: $debug"
	echo "tests filter: ${MDLC_TESTS:-}${MDLC_KSELFTEST_ARGS:+ MDLC_KSELFTEST_ARGS=$MDLC_KSELFTEST_ARGS}"
	echo "harness commit: $(git -C "$TOP" rev-parse --short=12 HEAD 2>/dev/null || echo none)$(git -C "$TOP" diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
	echo "started: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$run/run.info"
msg "run directory: $run"
t_run=$(date +%s)
rc=0
subs=

# The guest's user space (Debian's packages, fetched and unpacked once)
# while the first kernel builds: the initramfs stages find it in the
# cache.  Its failure is reported by the initramfs stage that needs it.
mdadms=
for l in $lines; do
	line_load "$l"
	case $LINE_MDADM in 4.2) o=4.6 ;; *) o=4.2 ;; esac
	mdadms="$mdadms ${MDLC_MDADM:-$LINE_MDADM} ${MDLC_MDADM_OTHER:-$o}"
done
(
	hold_lock 7 "$MDLC_CACHE/locks/userspace" "the user space cache $MDLC_CACHE/userspace"
	for v in $(printf '%s\n' $mdadms | grep -vx none | sort -u); do
		"$TOP/scripts/userspace.sh" "$MDLC_CACHE/userspace" \
			"$MDLC_CACHE/userspace/overlay-$v" --mdadm "$v"
	done
) >"$run/userspace.log" 2>&1 &
prefetch=$!

# The harness's own tests (host side, seconds).
"$TOP/tests/run.sh" >"$run/harness.ktap" || rc=1
awk -v src=harness -v strict=1 -f "$TOP/scripts/ktap.awk" -f "$TOP/scripts/flatten.awk" "$run/harness.ktap"
subs="$subs harness"

# show LABEL [LOG]: print a boot's results, or a failure when it has none.
show() {
	if [ -f "$run/$1/results.ktap" ]; then
		cat "$run/$1/results.flat"
		return
	fi
	mkdir -p "$run/$1"
	if [ -n "${2:-}" ] && [ -s "$2" ]; then
		tail_log "$2" 40
		_see="see $2"
	else
		_see="see the messages above"
	fi
	printf 'KTAP version 1\n1..1\nnot ok 1 suite: did not run (%s)\n' "$_see" \
		>"$run/$1/results.ktap"
	echo "not ok [$1] suite: did not run ($_see)"
}

# boot LINE LABEL [env...]: boot the kernel built before (driver.sh -b);
# BOOT_MODE=tests in the environment runs MDLC_FILES' executables instead of
# the selftests.
boot() {
	_line=$1 _label=$2
	shift 2
	_t0=$(date +%s)
	if env MDLC_QUIET=1 "$@" "$TOP/scripts/driver.sh" -b "$_line" "$kind" "${BOOT_MODE:-kselftest}" "$run/$_label"; then :; else rc=1; fi
	echo "$_label: $(($(date +%s) - _t0)) s (boot)" >>"$run/timings"
	show "$_label"
	subs="$subs $_label"
}

lanes=${MDLC_CHECK_LANES:-1}
case $lanes in 1|2) ;; *) die "MDLC_CHECK_LANES=$lanes: 1 or 2" ;; esac

# findings_checked LINE: the checks of FINDINGS.md that the line's series
# answers (findings/checked), as tests of the driver's "tests" mode.
findings_checked() {
	[ -f "$TOP/findings/checked" ] || return 0
	awk -v l="$1" '!/^#/ && $1 == l { printf "extra:%s ", $2 }' "$TOP/findings/checked"
}

# side_labels LINE: the labels of the line's shorter boots of its normal
# kernel, which side() runs, in its order.
side_labels() {
	_s=
	if [ -z "${MDLC_TESTS:-}${MDLC_KSELFTEST_ARGS:-}" ]; then
		# mdadm by name with both of Debian's mdadm versions on every
		# line: the line's own ran in the selftests boot, the other one
		# runs the mdadm selftests here (MDLC_MDADM_OTHER=none skips it).
		[ "$other" != none ] && _s="$1-$kind-mdadm$other"
		[ "$kind" = patched ] && [ -n "$(findings_checked "$1")" ] &&
			_s="$_s $1-$kind-findings"
	fi
	torture "$1" && _s="$_s $1-$kind-torture"
	echo $_s
}

# side LINE: the line's shorter boots, one after the other.
side() {
	for _b in $(side_labels "$1"); do
		case $_b in
		*-mdadm*)
			# In the long run also the mdadm tests marked "long".
			ot="md:md_mdadm_names.sh md:md_mdadm_cycles.sh md:md_mdadm_assemble.sh"
			[ "$sizes" = long ] && ot="$ot mdadm:*"
			boot "$1" "$_b" MDLC_DEBUG=0 MDLC_MDADM="$other" MDLC_MDADM_TESTS="$mdadm_tests" \
				MDLC_GUEST_ENV="$normal_env ${MDLC_GUEST_ENV:-}" MDLC_TESTS="$ot"
			;;
		*-findings)
			# One boot of the normal kernel that runs them (make
			# findings' staging, the driver's "tests" mode).
			ff=$run/$1-findings-files
			if "$TOP/scripts/files.sh" "$ff" "$TOP/findings" >"$ff.log" 2>&1; then
				BOOT_MODE=tests boot "$1" "$_b" MDLC_DEBUG=0 MDLC_FILES="$ff" \
					MDLC_TESTS="$(findings_checked "$1")"
			else
				rc=1
				show "$_b" "$ff.log"
				subs="$subs $_b"
			fi
			;;
		*-torture)
			# md_torture's short run (torture/checked, MDLC_TORTURE_SIZES).
			_t0=$(date +%s)
			env MDLC_QUIET=1 MDLC_DEBUG=0 $torture_sizes \
				"$TOP/scripts/torture.sh" -b "$1" "$kind" "$run/$_b" \
				>"$run/$_b.log" 2>&1 || rc=1
			echo "$_b: $(($(date +%s) - _t0)) s (boot)" >>"$run/timings"
			show "$_b" "$run/$_b.log"
			subs="$subs $_b"
			;;
		esac
	done
	return $rc
}

bg_jobs=
first=1
for l in $lines; do
	line_load "$l"
	case $LINE_MDADM in 4.2) other=4.6 ;; *) other=4.2 ;; esac
	other=${MDLC_MDADM_OTHER:-$other}
	ldebug=$debug
	[ -z "${MDLC_CHECK_DEBUG:-}" ] && [ "$sizes" = check ] && [ "$LINE_CHECKED" = normal ] && ldebug=0
	side_labels=$(side_labels "$l")
	labels="$l-$kind $side_labels"
	[ "$kind" = patched ] && [ "$first" = 1 ] && labels="$labels attribution"
	[ "$ldebug" = 1 ] && labels="$labels $l-$kind-debug"
	torture "$l" && [ "$ldebug" = 1 ] && labels="$labels $l-$kind-debug-torture"

	# The normal kernel and the selftests: base, tree, build, selftests.
	t0=$(date +%s)
	if ! MDLC_DEBUG=0 "$TOP/scripts/driver.sh" "$l" "$kind" none; then
		rc=1
		for b in $labels; do
			[ "$b" = attribution ] && continue
			show "$b"
			subs="$subs $b"
		done
		first=0
		continue
	fi
	echo "$l-$kind: $(($(date +%s) - t0)) s (base, tree, build, selftests)" >>"$run/timings"

	# The debug kernel, built and booted in the background.
	if [ "$ldebug" = 1 ]; then
		dl=$l-$kind-debug
		dt=
		torture "$l" && dt=$dl-torture
		msg "$dl: building and booting in the background (log: $run/$dl.log)"
		(
			t0=$(date +%s)
			MDLC_DEBUG=1 "$TOP/scripts/driver.sh" -u build "$l" "$kind" none || exit 1
			echo "$dl: $(($(date +%s) - t0)) s (build)" >>"$run/timings"
			t0=$(date +%s)
			# The stress tests run at smaller sizes on the debug kernel
			# (MDLC_DEBUG_SIZES); MDLC_GUEST_ENV adds to them.
			MDLC_QUIET=1 MDLC_DEBUG=1 MDLC_MDADM_TESTS=none MDLC_GUEST_ENV="$debug_env ${MDLC_GUEST_ENV:-}" \
				"$TOP/scripts/driver.sh" -b "$l" "$kind" kselftest "$run/$dl"
			_rc=$?
			echo "$dl: $(($(date +%s) - t0)) s (boot)" >>"$run/timings"
			if [ -n "$dt" ]; then
				t0=$(date +%s)
				env MDLC_QUIET=1 MDLC_DEBUG=1 $torture_debug_sizes \
					"$TOP/scripts/torture.sh" -b "$l" "$kind" "$run/$dt" || _rc=1
				echo "$dt: $(($(date +%s) - t0)) s (boot)" >>"$run/timings"
			fi
			exit $_rc
		) >"$run/$dl.log" 2>&1 &
		bg_jobs="$bg_jobs $!:$dl.log:$dl${dt:+,$dt}"
	fi

	# The shorter boots in the second lane.
	if [ "$lanes" = 2 ] && [ -n "$side_labels" ]; then
		msg "$l: $side_labels in the background (log: $run/$l-side.log)"
		side "$l" >"$run/$l-side.log" 2>&1 &
		bg_jobs="$bg_jobs $!:$l-side.log:$(echo "$side_labels" | tr ' ' ',')"
	fi

	boot "$l" "$l-$kind" MDLC_DEBUG=0 MDLC_MDADM_TESTS="$mdadm_tests" MDLC_GUEST_ENV="$normal_env ${MDLC_GUEST_ENV:-}"
	if [ "$kind" = patched ] && [ "$first" = 1 ]; then
		# A real guest run of the console attribution: once, on the
		# first line's kernel.
		t0=$(date +%s)
		"$TOP/tests/attribution.sh" -b "$l" "$run/attribution" >"$run/attribution.ktap" || rc=1
		echo "attribution: $(($(date +%s) - t0)) s (boot)" >>"$run/timings"
		awk -v src=attribution -v strict=1 -f "$TOP/scripts/ktap.awk" -f "$TOP/scripts/flatten.awk" "$run/attribution.ktap"
		subs="$subs attribution"
	fi
	first=0
	[ "$lanes" = 1 ] && { side "$l" || rc=1; }
done

# The backgrounds: each line's debug kernel (and its torture boot), each
# line's second lane; each job is PID:LOG:LABEL,LABEL...
for j in $bg_jobs; do
	pid=${j%%:*} labs=${j#*:}
	log=$run/${labs%%:*} labs=${labs#*:}
	wait "$pid" || rc=1
	for label in $(echo "$labs" | tr ',' ' '); do
		show "$label" "$log"
		subs="$subs $label"
	done
done
wait "$prefetch" 2>/dev/null

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
		if awk -v strict=1 -v src=x -f "$TOP/scripts/ktap.awk" -f "$TOP/scripts/flatten.awk" "$f" 2>/dev/null | grep -q '^not ok'; then
			echo "not ok $n $s"
		else
			echo "ok $n $s"
		fi
	done
} >"$run/results.ktap"
awk -v strict=1 -f "$TOP/scripts/ktap.awk" -f "$TOP/scripts/flatten.awk" "$run/results.ktap" |
	sed 's/^\(\(not \)\?ok \)\([^:]*\): /\1[\3] /' >"$run/results.flat"
echo "complete: yes" >>"$run/run.info"
echo "finished: $(date -u +%Y-%m-%dT%H:%M:%SZ)" >>"$run/run.info"
echo "total: $(($(date +%s) - t_run)) s (wall clock, $(nproc) cpus)" >>"$run/timings"

echo
echo "results: $run/results.ktap (KTAP), results.flat (one line per result), boots: $subs"
[ -f "$run/timings" ] && sed 's/^/time: /' "$run/timings"
# Every stage of every kernel (driver.sh), and the guest's phases of
# every boot that took 10 s or more (run-qemu.sh).
awk '{ t[$1] = t[$1] sprintf(" %s %s s,", $2, $3) } END { for (k in t) { sub(/,$/, "", t[k]); print "stages: " k ":" t[k] } }' \
	"$MDLC_STAGE_LOG" | sort
for s in $subs; do
	[ -f "$run/$s/phases" ] || continue
	awk -v b="$s" '$1 >= 10 { t = $1; $1 = $2 = ""; sub(/^ +/, ""); p = p sprintf(" %s %d s,", $0, t) }
		END { sub(/,$/, "", p); if (p != "") print "phases: " b ":" p }' "$run/$s/phases"
done
echo
echo "guarantees (scripts/report.sh $run):"
"$TOP/scripts/report.sh" "$run" 2>&1 | sed '/^$/,$d'
echo
"$TOP/scripts/summary.sh" "$run/results.flat" | tee "$run/summary" || rc=1
exit $rc
