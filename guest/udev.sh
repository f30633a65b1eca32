# SPDX-License-Identifier: GPL-2.0
# /mdlc/userspace/udev.sh: Debian's systemd-udevd in the guest (busybox sh).
# Sourced by guest/init:
#   mdlc_udev_start   start systemd-udevd, replay the block devices' "add"
#                     events (udevadm trigger), settle; non-zero (and a
#                     message on stderr) when udevd did not start or the
#                     queue did not settle
#   mdlc_udev_settle [SECONDS]
#                     wait for an empty event queue (between tests); non-zero
#                     when it timed out or udevd is gone
#   mdlc_udev_stop    ask udevd to exit, wait for it, drain its log port
# udevd's log (stderr, SYSTEMD_LOG_TARGET=console) goes to MDLC_UDEV_LOG:
# default /dev/ttyS2, the third serial port, which the host writes to
# RESULTS/udevd.log as it comes (nothing buffered in the guest: the log
# survives a crash of the guest); /tmp/udevd.log when there is no ttyS2.
#   MDLC_UDEV_LOG_LEVEL  info (default: udevd's warnings, errors and
#                        worker failures), or debug (every rule line that
#                        runs, every builtin and program, every event:
#                        what scripts/udev-summary.sh counts), notice...
#                        Not debug by default: udevd 252 logs one "SEQNUM=A
#                        blocked by SEQNUM=B" line per queued event each
#                        time it looks at its queue, so the log grows with
#                        the square of the queue.  A test that cycles one
#                        array queues thousands of events for that device
#                        (2,276 for md7 in one 6.12 boot: 1,139,777 such
#                        lines), the UART takes about 6,300 lines/s under
#                        TCG, and udevd's manager, blocked in write(),
#                        read the kernel's events up to 45 s late: mdadm's
#                        wait for its /dev/md link timed out (FINDINGS V20).
#                        Debug for one run: MDLC_GUEST_ENV=MDLC_UDEV_LOG_LEVEL=debug
#   MDLC_UDEV_TIMEOUT    settle timeout in seconds (default 180: generous
#                        by design; udevd's first queue settles in 2-4 s
#                        and the queue between tests in 0-2 s on the debug
#                        kernel under TCG, and udevd itself times a worker
#                        out after 180 s)

MDLC_UDEVD_PID=
: "${MDLC_UDEV_LOG_LEVEL:=info}" "${MDLC_UDEV_TIMEOUT:=180}"

mdlc_udev_start() {
	if [ -z "${MDLC_UDEV_LOG:-}" ]; then
		MDLC_UDEV_LOG=/tmp/udevd.log
		# A port without a UART behind it fails stty (EIO).
		if [ -c /dev/ttyS2 ] && stty -F /dev/ttyS2 raw -echo 2>/dev/null; then
			MDLC_UDEV_LOG=/dev/ttyS2
		fi
	fi
	if [ ! -x /lib/systemd/systemd-udevd ] || ! _v=$(/bin/udevadm --version 2>&1); then
		echo "udevd: /lib/systemd/systemd-udevd or /bin/udevadm is missing or cannot run: ${_v:-}" >&2
		return 1
	fi
	mkdir -p /run/udev
	echo "udevd: starting systemd-udevd $(/bin/udevadm --version), log level $MDLC_UDEV_LOG_LEVEL, log on $MDLC_UDEV_LOG" >&2
	# Not --daemon: a daemonized udevd reopens its stdio on /dev/null.
	SYSTEMD_LOG_TARGET=console SYSTEMD_LOG_LEVEL=$MDLC_UDEV_LOG_LEVEL \
		SYSTEMD_LOG_COLOR=0 SYSTEMD_LOG_TIME=1 SYSTEMD_LOG_LOCATION=0 \
		/lib/systemd/systemd-udevd </dev/null >>"$MDLC_UDEV_LOG" 2>&1 &
	MDLC_UDEVD_PID=$!
	_i=0
	while ! /bin/udevadm control --ping >/dev/null 2>&1; do
		if ! kill -0 "$MDLC_UDEVD_PID" 2>/dev/null; then
			wait "$MDLC_UDEVD_PID"
			echo "udevd: systemd-udevd exited with status $? at start (its log: $MDLC_UDEV_LOG)" >&2
			MDLC_UDEVD_PID=
			return 1
		fi
		_i=$((_i + 1))
		if [ $_i -ge 120 ]; then
			echo "udevd: systemd-udevd did not answer a ping within 60 s" >&2
			return 1
		fi
		sleep 0.5
	done
	# Replay what the kernel announced before udevd ran: block devices
	# (loop0..7, ...) get their rules (blkid, watch, symlinks), and the
	# subsystems that md and loop hang off.
	if ! /bin/udevadm trigger --type=subsystems --action=add ||
		! /bin/udevadm trigger --type=devices --action=add --subsystem-match=block; then
		echo "udevd: udevadm trigger failed" >&2
		return 1
	fi
	mdlc_udev_settle "$MDLC_UDEV_TIMEOUT" || return 1
	echo "udevd: running (pid $MDLC_UDEVD_PID), queue settled" >&2
	return 0
}

mdlc_udev_settle() {
	if [ -n "$MDLC_UDEVD_PID" ] && ! kill -0 "$MDLC_UDEVD_PID" 2>/dev/null; then
		echo "udevd: systemd-udevd (pid $MDLC_UDEVD_PID) is gone" >&2
		return 1
	fi
	# Another process than the one that started it (the mdadm test runner):
	# ask udevd itself.
	if [ -z "$MDLC_UDEVD_PID" ] && ! /bin/udevadm control --ping >/dev/null 2>&1; then
		echo "udevd: systemd-udevd does not answer (not running?)" >&2
		return 1
	fi
	# A test may hold udevd's event execution while it measures
	# (md_gone_test); one that died holding it must not stall the rest.
	/bin/udevadm control --start-exec-queue >/dev/null 2>&1
	if ! /bin/udevadm settle --timeout="${1:-$MDLC_UDEV_TIMEOUT}"; then
		echo "udevd: the event queue did not settle within ${1:-$MDLC_UDEV_TIMEOUT} s" >&2
		return 1
	fi
}

mdlc_udev_stop() {
	[ -n "$MDLC_UDEVD_PID" ] || return 0
	# udevd exits once its workers are done; the queue is settled after
	# every test, so that is at once.  A udevd still there after 60 s
	# (generous by design) is killed, so that shutdown stays bounded.
	/bin/udevadm control --exit >/dev/null 2>&1 || kill "$MDLC_UDEVD_PID" 2>/dev/null
	(sleep 60 && kill -9 "$MDLC_UDEVD_PID" 2>/dev/null) &
	_killer=$!
	wait "$MDLC_UDEVD_PID" 2>/dev/null
	kill "$_killer" 2>/dev/null
	MDLC_UDEVD_PID=
	case $MDLC_UDEV_LOG in
	/dev/tty*) [ -x /mdlc/ttydrain ] && /mdlc/ttydrain "$MDLC_UDEV_LOG" ;;
	esac
	return 0
}
