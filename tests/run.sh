#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The harness's own tests, on the host (seconds): the console scanner and
# its attribution of reports to tests, the KTAP flattener and collector on
# canned logs and boots (tests/logs, tests/boots), compared with what they
# must find (tests/expect), the closing line, the lines table and the
# driver's dry run.  Prints a KTAP document; exits 1 on failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top/tests" || exit 1
fail=0 n=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
body=$tmp/body
: >"$body"

result() { # result STATUS NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2" >>"$body"
	else
		echo "not ok $n $2" >>"$body"
		fail=1
	fi
}
diag() { sed 's/^/# /' >>"$body"; }
expect() { # expect FILE NAME: a result NAME, ok if $out is FILE
	cmp -s "$out" "$1"
	r=$?
	result $r "$2"
	[ $r = 0 ] || diff "$1" "$out" | diag
}

for exp in expect/*.scan; do
	b=$(basename "$exp" .scan)
	awk -f ../scripts/scan-console.awk "logs/$b.log" | cut -d' ' -f1,2 >"$out"
	expect "$exp" "scan-console: $b.log -> $(tr '\n' ' ' <"$exp" | sed 's/ $//')"
done

# Attribution: each report goes to the test between whose markers it was.
for exp in expect/*.scan3; do
	b=$(basename "$exp" .scan3)
	awk -f ../scripts/scan-console.awk "logs/$b.log" | cut -d' ' -f1-3 >"$out"
	expect "$exp" "scan-console: $b.log attributed -> $(tr '\n' ',' <"$exp" | sed 's/,$//')"
done

for exp in expect/*.flat; do
	b=$(basename "$exp" .flat)
	case $b in
	boot-*)
		mkdir -p "$tmp/$b"
		cp "boots/${b#boot-}"/* "$tmp/$b/"
		../scripts/collect.sh "$tmp/$b" 6.12-patched 2>"$tmp/err" >/dev/null
		cp "$tmp/$b/results.flat" "$out" 2>/dev/null || cp "$tmp/err" "$out"
		what="collect: boots/${b#boot-}"
		;;
	kunit*)
		awk -v src=kunit -v strip_ts=1 -f ../scripts/ktap.awk -f ../scripts/flatten.awk "logs/$b.log" >"$out"
		what="flatten: $b.log"
		;;
	*)
		awk -v src=kselftest -f ../scripts/ktap.awk -f ../scripts/flatten.awk "logs/$b.log" >"$out"
		what="flatten: $b.log"
		;;
	esac
	expect "$exp" "$what -> $(grep -c '^ok' "$exp") ok, $(grep -c '^not ok' "$exp") not ok"
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

# The lines table: an unknown line lists the known ones.
../scripts/driver.sh -n nosuchline patched kselftest >"$out" 2>&1
r=$?
[ $r != 0 ] && grep -q "unknown line 'nosuchline': the known lines are mainline 6.12" "$out"
r=$?
result $r "lines: an unknown line is refused with the list of known ones"
[ $r = 0 ] || diag <"$out"

# The driver's dry run: every stage, with its concrete inputs, in order.
for l in 6.12 mainline; do
	for k in base patched; do
		../scripts/driver.sh -n "$l" "$k" kselftest "$tmp/boot" >"$out" 2>&1
		r=$?
		stages=$(awk '$1 ~ /^[0-9]$/ { printf "%s ", $2 }' "$out")
		[ $r = 0 ] && [ "$stages" = "base tree build selftests initramfs boot collect " ] &&
			grep -q "configs/base.config" "$out" &&
			grep -q "patches/$l" "$out" &&
			grep -q "$tmp/boot" "$out"
		r=$?
		if [ "$k" = base ] && [ $r = 0 ]; then
			# The base's kernel is built from the base tree, alone.
			awk '$2 == "build"' "$out" | grep -qE '/work/\.mdlc-out|/work( |$)' && r=1
		fi
		result $r "driver: dry run of $l $k lists the 7 stages with their inputs"
		[ $r = 0 ] || diag <"$out"
	done
done
MDLC_DEBUG=1 ../scripts/driver.sh -n 6.12 patched kselftest "$tmp/boot" >"$out" 2>&1 &&
	grep -q 'configs/debug.config' "$out" && grep -q 'mdlc-out-patched-debug' "$out"
result $? "driver: MDLC_DEBUG=1 adds the debug fragment and its own build directory"
MDLC_XCONFIG=kobj ../scripts/driver.sh -n 6.12 patched tests "$tmp/boot" >"$out" 2>&1 &&
	grep -q 'configs/x-kobj.config' "$out" && grep -q 'mdlc-out-patched-kobj' "$out"
result $? "driver: MDLC_XCONFIG=kobj adds configs/x-kobj.config and its own build directory"
MDLC_XCONFIG=nosuch ../scripts/driver.sh -n 6.12 patched tests "$tmp/boot" >"$out" 2>&1
r=$?
[ $r != 0 ] && grep -q 'no configs/x-nosuch.config (there are: kobj' "$out"
result $? "driver: an unknown MDLC_XCONFIG is refused with the list of known ones"
[ $r != 0 ] || diag <"$out"
# The harness's knobs start with MDLC_; an old short name is refused.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C .. help DEBUG=1 >"$out" 2>&1
r=$?
[ $r != 0 ] && grep -q 'DEBUG= is MDLC_DEBUG= now' "$out"
result $? "make: an unprefixed knob (DEBUG=1) is refused with its new name"
[ $r != 0 ] || diag <"$out"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C .. help MDLC_SEED=7 >"$out" 2>&1 &&
	grep -Eq '^  MDLC_SEED +7$' "$out" && grep -Eq '^  MDLC_FUZZ +' "$out"
result $? "make: help prints each knob with its value"

# files.sh: executables copied, src/*.c built as static KTAP programs.
mkdir -p "$tmp/fd/src"
printf '#!/bin/sh\necho ok\n' >"$tmp/fd/a_check" && chmod +x "$tmp/fd/a_check"
printf 'not a check\n' >"$tmp/fd/notes"
printf '#include <stdio.h>\nint main(void) { printf("ok 1 c\\n"); return 0; }\n' >"$tmp/fd/src/c_check.c"
../scripts/files.sh "$tmp/fo" "$tmp/fd" >"$out" 2>&1 &&
	[ "$(ls "$tmp/fo" | tr '\n' ' ')" = "a_check c_check " ] &&
	"$tmp/fo/c_check" | grep -qx 'ok 1 c' &&
	! readelf -d "$tmp/fo/c_check" | grep -q NEEDED
r=$?
result $r "files: executables copied, src/*.c built as static programs, nothing else"
[ $r = 0 ] || diag <"$out"
printf 'int main(void) { return x; }\n' >"$tmp/fd/src/bad.c"
../scripts/files.sh "$tmp/fo" "$tmp/fd" >"$out" 2>&1
r=$?
[ $r != 0 ] && grep -q 'cannot build .*bad.c' "$out"
result $? "files: a check that does not build fails the staging, naming it"

# The guest watchdog (scripts/run-qemu.sh), with a stand-in for QEMU
# (tests/watchdog/qemu-system-x86_64) that plays the guest scripts of
# tests/watchdog, at a small scale (bounds of seconds): an announced silent
# phase passes; a guest that hangs, silent or printing, in a test or at
# boot, is killed with the console's tail; silence still counts where a
# phase has no bound.  They run at once: seconds in all.
wd() { # wd CASE: run-qemu.sh on the guest script tests/watchdog/CASE
	(
		_s=$(date +%s)
		PATH=$top/tests/watchdog:$PATH MDLC_WATCHDOG_POLL=1 MDLC_SILENCE=2 MDLC_BOOT_BOUND=3 \
			../scripts/run-qemu.sh "watchdog/$1" /dev/null "$tmp/wd-$1" \
			>"$tmp/wd-$1.out" 2>&1
		echo "$? $(($(date +%s) - _s))" >"$tmp/wd-$1.rc"
	) &
}
for c in announced-silence hang-silent hang-busy hang-boot unbounded-silent; do
	wd "$c"
done
wait
wd_result() { # wd_result CASE WANT_RC MAX_SECONDS PATTERN DESCRIPTION
	read -r _rc _secs <"$tmp/wd-$1.rc"
	[ "$_rc" = "$2" ] && [ "$_secs" -le "$3" ] &&
		{ [ -z "$4" ] || grep -q "$4" "$tmp/wd-$1.out"; }
	_r=$?
	result $_r "watchdog: $5 (exit $_rc after $_secs s)"
	[ $_r = 0 ] || { cat "$tmp/wd-$1.out"; cat "$tmp/wd-$1/phases" 2>/dev/null; } | diag
}
wd_result announced-silence 0 15 '' "a phase announced with a bound may be silent longer than MDLC_SILENCE"
grep -q '^[4-9] 20 kmemleak-scan$' "$tmp/wd-announced-silence/phases"
result $? "watchdog: the phases and their durations are recorded ($(tr '\n' ',' <"$tmp/wd-announced-silence/phases"))"
wd_result hang-silent 124 12 "phase 'test md:hangs' lasted longer than its bound of 3 s" \
	"a silent hang in a test is killed at the test's bound"
grep -q 'the last words' "$tmp/wd-hang-silent.out"
result $? "watchdog: a kill prints the console's tail"
wd_result hang-busy 124 12 "phase 'test md:spins' lasted longer than its bound of 3 s" \
	"a hang that keeps printing (hung-task reports) is killed at the test's bound"
wd_result hang-boot 124 12 "phase 'boot' lasted longer than its bound of 3 s" \
	"a kernel that never reaches init is killed at the boot bound"
wd_result unbounded-silent 124 12 "printed nothing for 2 s in phase 'script'" \
	"a phase without a bound is killed after MDLC_SILENCE seconds of silence"
grep -q "^QEMU's monitor did not answer$" "$tmp/wd-hang-boot/hang-cpus" &&
	[ ! -e "$tmp/wd-hang-boot/monitor.in" ] && [ ! -e "$tmp/wd-announced-silence/monitor.out" ]
result $? "watchdog: a kill asks QEMU's monitor what the vCPUs run, and says when it does not answer; no FIFO stays"

# What a hung guest's vCPUs ran (scripts/hang-symbols.awk), from a real
# monitor's answers (tests/hang/monitor.log, trimmed) and the text symbols
# of that kernel's System.map around them (tests/hang/System.map).
awk -f ../scripts/hang-symbols.awk hang/System.map hang/monitor.log >"$out"
want='vCPU 1: default_idle+0x13 (halted); stack: ? default_idle_call+0x27 ? do_idle+0x93 ? cpu_startup_entry+0x20 ? start_secondary+0xe1 ? common_startup_64+0x129
vCPU 0: ffffffffa0001234'
[ "$(cat "$out")" = "$want" ]
r=$?
result $r "hang-symbols: each vCPU's instruction pointer and its stack's kernel text as symbols, other addresses as they are"
[ $r = 0 ] || diag <"$out"

echo "KTAP version 1"
echo "1..$n"
cat "$body"
exit $fail
