#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-qemu.sh BZIMAGE INITRAMFS RUNDIR
# Boot the guest under QEMU with three serial ports: the console to
# RUNDIR/console.log, the results channel to RUNDIR/results.log, whose
# lines are shown live, and udevd's log to RUNDIR/udevd.log.
#
# The watchdog catches a hung guest, not a slow one.  The guest is always in
# one phase: "boot" from the start, then the one its last "MDLC-PHASE BOUND
# NAME..." line on the results channel announced (guest/init: udev-start,
# kmemleak-scan, shutdown; guest/run-tests.sh: each test and each settle
# between tests).  BOUND is the longest the phase may take, in seconds,
# derived where the phase is announced from the step's own timeout; a
# phase that lasts longer is a hang, however quiet or busy the console is
# (a deadlocked guest may keep printing hung-task reports).  "-" means the
# phase has no bound of its own (the script and demo modes): then the
# guest is killed after printing nothing for MDLC_SILENCE seconds.  The phases
# and how long each took are written to RUNDIR/phases.  On a kill the
# console's tail is printed.  Exit status: 0 when the guest powered off
# after printing "MDLC-EXIT", 124 on a watchdog kill, 1 otherwise.
# Before a kill, QEMU's monitor (on the FIFOs RUNDIR/monitor.in and .out)
# is asked twice, a second apart, what each vCPU runs: its answers in
# RUNDIR/monitor.log, each vCPU's instruction pointer and the kernel text
# on its stack as symbols (scripts/hang-symbols.awk, with the System.map
# beside BZIMAGE's build) in RUNDIR/hang-cpus, printed with the kill.
#   MDLC_MEM (MiB), MDLC_SMP, MDLC_APPEND (extra kernel arguments),
#   MDLC_ACCEL (default tcg,thread=multi; kvm on request), MDLC_INTERACTIVE=1
#   MDLC_BOOT_BOUND  the boot phase's bound, until the guest's init announces
#               its first phase (default 600 s: generous by design; the
#               normal kernel gets there in 2 s under TCG, the debug one
#               in 8 s)
#   MDLC_SILENCE     seconds of silence that count as a hang in a phase without
#               a bound (default 300)
#   MDLC_TIMEOUT     a limit on the whole run, in seconds (default: none; every
#               phase is bounded)
#   MDLC_WATCHDOG_POLL  seconds between the watchdog's looks (default 2)
set -eu
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 run=$3
need qemu-system-x86_64
: "${MDLC_MEM:=2048}" "${MDLC_SMP:=2}" "${MDLC_BOOT_BOUND:=600}" "${MDLC_SILENCE:=300}" "${MDLC_TIMEOUT:=}"
: "${MDLC_WATCHDOG_POLL:=2}"
# TCG by default: the machines this runs on have no usable KVM (a
# /dev/kvm may exist and still fail).  MDLC_ACCEL=kvm opts in.
: "${MDLC_ACCEL:=tcg,thread=multi}"
mkdir -p "$run"
con=$run/console.log res=$run/results.log udevlog=$run/udevd.log
: >"$con"
: >"$res"
: >"$udevlog"
append="console=ttyS0 panic=-1 oops=panic loglevel=7 hung_task_panic=0 ${MDLC_APPEND:-}"
set -- qemu-system-x86_64 -nodefaults -no-user-config -machine pc -accel "$MDLC_ACCEL" \
	-m "$MDLC_MEM" -smp "$MDLC_SMP" -display none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" -append "$append"
printf '%s\n' "$*" >"$run/qemu.cmd"

if [ "${MDLC_INTERACTIVE:-0}" = 1 ]; then
	exec "$@" -serial mon:stdio
fi

# ttyS0: the console; ttyS1: the results; ttyS2: udevd's log.  The
# monitor: QEMU opens both FIFOs read-write, and so does hang_report, so
# that no open waits for the other side.
rm -f "$run/monitor.in" "$run/monitor.out"
mkfifo "$run/monitor.in" "$run/monitor.out"
"$@" -serial "file:$con" -serial "file:$res" -serial "file:$udevlog" \
	-monitor "pipe:$run/monitor" >"$run/qemu.log" 2>&1 &
qpid=$!
tail -n +1 -f --pid=$qpid "$res" 2>/dev/null | sed -u -e 's/\r$//' -e '/^MDLC-/d' &
tpid=$!

# hang_report: what each vCPU runs, asked of QEMU's monitor twice, a
# second apart (a vCPU that spins moves, one that waits does not), then
# put into symbols.  A QEMU that does not answer costs 2 s.
hang_report() {
	exec 7<>"$run/monitor.in" 8<>"$run/monitor.out"
	cat <&8 >"$run/monitor.log" &
	cpid=$!
	for sample in 1 2; do
		c=0
		while [ $c -lt "$MDLC_SMP" ]; do
			printf 'cpu %d\ninfo registers\nx/64gx $esp\n' $c >&7
			c=$((c + 1))
		done
		sleep 1
	done
	kill $cpid 2>/dev/null || true
	wait $cpid 2>/dev/null || true
	exec 7>&- 8<&-
	map=${kernel%/arch/x86/boot/bzImage}/System.map
	[ "$map" != "$kernel" ] && [ -f "$map" ] || map=/dev/null
	awk -f "$TOP/scripts/hang-symbols.awk" "$map" "$run/monitor.log" >"$run/hang-cpus"
}

# The watchdog.  phases: one line per phase, "SECONDS BOUND NAME...", the
# current one completed when the guest ends.
phases=$run/phases
: >"$phases"
start=$(date +%s) last=$start lastsize=0 why=
phase=boot bound=$MDLC_BOOT_BOUND pstart=$start nphase=0
while kill -0 $qpid 2>/dev/null; do
	sleep "$MDLC_WATCHDOG_POLL"
	now=$(date +%s)
	size=$(( $(wc -c <"$con") + $(wc -c <"$res") + $(wc -c <"$udevlog") ))
	if [ "$size" != "$lastsize" ]; then
		lastsize=$size last=$now
	fi
	n=$(grep -c '^MDLC-PHASE ' "$res" || true)
	if [ "$n" -gt "$nphase" ]; then
		# Every phase announced since the last look: the ones before
		# the last took no measurable time.
		grep '^MDLC-PHASE ' "$res" | sed -e 's/\r$//' -e 's/^MDLC-PHASE //' |
			sed -n "$((nphase + 1)),\$p" >"$run/phases.new"
		while read -r b p; do
			printf '%s %s %s\n' "$((now - pstart))" "$bound" "$phase" >>"$phases"
			bound=$b phase=$p pstart=$now
		done <"$run/phases.new"
		rm -f "$run/phases.new"
		nphase=$n
	fi
	case $bound in
	[0-9]*)
		if [ $((now - pstart)) -gt "$bound" ]; then
			why="phase '$phase' lasted longer than its bound of $bound s"
		fi
		;;
	*)
		if [ $((now - last)) -ge "$MDLC_SILENCE" ]; then
			why="the guest printed nothing for $MDLC_SILENCE s in phase '$phase', which has no bound of its own"
		fi
		;;
	esac
	if [ -z "$why" ] && [ -n "$MDLC_TIMEOUT" ] && [ $((now - start)) -ge "$MDLC_TIMEOUT" ]; then
		why="the guest ran longer than MDLC_TIMEOUT=$MDLC_TIMEOUT s"
	fi
	if [ -n "$why" ]; then
		hang_report
		kill $qpid 2>/dev/null || true
		break
	fi
done
printf '%s %s %s%s\n' "$(( $(date +%s) - pstart ))" "$bound" "$phase" "${why:+ (killed)}" >>"$phases"
wait $qpid 2>/dev/null && qrc=0 || qrc=$?
wait $tpid 2>/dev/null || true
# No FIFO stays in the boot directory for a reader of results/ to block on.
rm -f "$run/monitor.in" "$run/monitor.out"
printf '%s\n' "$(( $(date +%s) - start ))" >"$run/guest-seconds"

if [ -n "$why" ]; then
	printf '%s: watchdog: %s; killed it\n' "${0##*/}" "$why" >&2
	tail_log "$con" 50
	printf '%s: what the vCPUs ran before the kill (QEMU monitor: %s):\n' "${0##*/}" "$run/monitor.log" >&2
	sed 's/^/  /' "$run/hang-cpus" >&2
	echo "watchdog: $why" >"$run/watchdog"
	exit 124
fi
if [ "$qrc" != 0 ]; then
	tail_log "$run/qemu.log" 20
	tail_log "$con" 30
	die "QEMU exited with status $qrc"
fi
if ! grep -q '^MDLC-EXIT' "$res"; then
	tail_log "$con" 50
	printf '%s: error: the guest stopped without reporting its status (panic, oops or crash?)\n' "${0##*/}" >&2
	exit 1
fi
exit 0
