#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# run-qemu.sh BZIMAGE INITRAMFS RUNDIR
# Boot the guest under QEMU with three serial ports: the console to
# RUNDIR/console.log, the results channel to RUNDIR/results.log, whose
# lines are shown live, and udevd's log to RUNDIR/udevd.log.  A watchdog kills a guest that prints nothing for
# SILENCE seconds or runs longer than TIMEOUT seconds, and prints the
# console's tail.  Exit status: 0 when the guest powered off after printing
# "MDLC-EXIT", 124 on a watchdog kill, 1 otherwise.
#   MEM (MiB), SMP, TIMEOUT, SILENCE, APPEND (extra kernel arguments),
#   ACCEL (default tcg,thread=multi; kvm on request), INTERACTIVE=1
set -eu
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 run=$3
need qemu-system-x86_64
: "${MEM:=2048}" "${SMP:=2}" "${TIMEOUT:=2400}" "${SILENCE:=300}"
# TCG by default: the machines this runs on have no usable KVM (a
# /dev/kvm may exist and still fail).  ACCEL=kvm opts in.
: "${ACCEL:=tcg,thread=multi}"
mkdir -p "$run"
con=$run/console.log res=$run/results.log udevlog=$run/udevd.log
: >"$con"
: >"$res"
: >"$udevlog"
append="console=ttyS0 panic=-1 oops=panic loglevel=7 hung_task_panic=0 ${APPEND:-}"
set -- qemu-system-x86_64 -nodefaults -no-user-config -machine pc -accel "$ACCEL" \
	-m "$MEM" -smp "$SMP" -display none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" -append "$append"
printf '%s\n' "$*" >"$run/qemu.cmd"

if [ "${INTERACTIVE:-0}" = 1 ]; then
	exec "$@" -serial mon:stdio
fi

# ttyS0: the console; ttyS1: the results; ttyS2: udevd's log.
"$@" -serial "file:$con" -serial "file:$res" -serial "file:$udevlog" \
	-monitor none >"$run/qemu.log" 2>&1 &
qpid=$!
tail -n +1 -f --pid=$qpid "$res" 2>/dev/null | sed -u -e 's/\r$//' -e '/^MDLC-/d' &
tpid=$!

start=$(date +%s) last=$start lastsize=0 why=
while kill -0 $qpid 2>/dev/null; do
	sleep 2
	now=$(date +%s)
	size=$(( $(wc -c <"$con") + $(wc -c <"$res") + $(wc -c <"$udevlog") ))
	if [ "$size" != "$lastsize" ]; then
		lastsize=$size last=$now
	fi
	if [ $((now - last)) -ge "$SILENCE" ]; then
		why="the guest printed nothing for $SILENCE s"
	elif [ $((now - start)) -ge "$TIMEOUT" ]; then
		why="the guest ran longer than $TIMEOUT s"
	fi
	if [ -n "$why" ]; then
		kill $qpid 2>/dev/null || true
		break
	fi
done
wait $qpid 2>/dev/null && qrc=0 || qrc=$?
wait $tpid 2>/dev/null || true
printf '%s\n' "$(( $(date +%s) - start ))" >"$run/guest-seconds"

if [ -n "$why" ]; then
	printf '%s: watchdog: %s; killed it\n' "${0##*/}" "$why" >&2
	tail_log "$con" 50
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
