#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# suite.sh patched|base [kselftest|demo|script|shell]
# Fetch the base, sync the work tree to patches/, build the kernel, boot it
# and run the guest suite.  The run's files go to a new directory under
# results/ (console.log, results.log, results.tap, build.log, info.txt);
# results/latest-<flavour> (kselftest) or latest-<flavour>-<mode> points to it.  For the kselftest mode every result
# is printed as a flat TAP line and saved in results.tap; the console is
# scanned for kernel reports, each category a failed result.
#   DEBUG=1, KSELFTEST_ARGS, SCRIPT, FILES, TIMEOUT, SILENCE, MEM
set -eu
. "$(dirname "$0")/lib.sh"

kind=${1:-patched} mode=${2:-kselftest}
"$TOP/scripts/base.sh"
"$TOP/scripts/tree.sh"
"$TOP/scripts/build.sh" "$kind"
load_base_version
flavour=$kind
[ "${DEBUG:-0}" = 1 ] && flavour=$kind-debug
kout=$(kernel_out "$kind")
[ "${DEBUG:-0}" = 1 ] && : "${MEM:=4096}"
export MEM

run=$RESULTS/$(date +%Y%m%d-%H%M%S)-$flavour-$mode
mkdir -p "$run"
# latest-<flavour> is the newest test run (check.sh and report.sh read it);
# demo, script and shell runs get latest-<flavour>-<mode>.
link=latest-$flavour
[ "$mode" = kselftest ] || link=latest-$flavour-$mode
ln -sfn "$(basename "$run")" "$RESULTS/$link"
cp "$kout/build.log" "$run/build.log"
{
	echo "base: $BASE_LABEL"
	echo "base commit: $(git -C "$REPO" rev-parse "${BASE_COMMIT:-mdlc-base}" 2>/dev/null || echo "$BASE_COMMIT")"
	echo "kernel: $flavour $(cat "$kout/kernelrelease")"
	echo "series: $(ls "$TOP"/patches/[0-9]*.patch 2>/dev/null | grep -vc 0000-cover || true) patches, harness commit $(git -C "$TOP" rev-parse --short=12 HEAD 2>/dev/null || echo none)$(git -C "$TOP" diff --quiet HEAD -- patches 2>/dev/null || echo ' (patches/ modified)')"
	echo "work tree: $(git -C "$WORK_TREE" rev-parse --short=12 HEAD)"
	echo "mode: $mode ${KSELFTEST_ARGS:-}"
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$run/info.txt"

"$TOP/scripts/initramfs.sh" "$run/initramfs.cpio" "$kout" "$mode" "${SCRIPT:-}" "${FILES:-}"
msg "booting $flavour ($mode), logs in $run"
if [ "$mode" = shell ]; then
	INTERACTIVE=1 exec "$TOP/scripts/run-qemu.sh" "$kout/arch/x86/boot/bzImage" "$run/initramfs.cpio" "$run"
fi
grc=0
"$TOP/scripts/run-qemu.sh" "$kout/arch/x86/boot/bzImage" "$run/initramfs.cpio" "$run" || grc=$?
rm -f "$run/initramfs.cpio"
echo "guest seconds: $(cat "$run/guest-seconds" 2>/dev/null)" >>"$run/info.txt"

sed 's/\r$//' "$run/results.log" >"$run/results.txt"
status=$(sed -n 's/^MDLC-EXIT \([0-9]*\).*/\1/p' "$run/results.txt" | tail -n 1)
[ -n "$status" ] || status=none

awk -f "$TOP/scripts/scan-console.awk" "$run/console.log" >"$run/reports"

if [ "$mode" != kselftest ]; then
	# demo and script: their output was shown live; report their status,
	# and fail on any kernel report in the console.
	[ "$grc" = 0 ] || exit "$grc"
	[ "$status" = none ] && exit 1
	msg "the guest's $mode exited with status $status"
	if [ -s "$run/reports" ]; then
		while read -r cat n first; do
			msg "kernel report in the console: $cat: $n, first: $first"
		done <"$run/reports"
		[ "$status" = 0 ] && status=1
	fi
	exit "$status"
fi

tap=$run/results.tap
{
	awk -v src=kselftest -f "$TOP/scripts/collect.awk" "$run/results.txt"
	grep -E '^\[ *[0-9]+\.[0-9]+\] +(#|ok|not ok|KTAP|TAP|1\.\.|Bail)' "$run/console.log" |
		awk -v src=kunit -v strip_ts=1 -f "$TOP/scripts/collect.awk"
	if [ -s "$run/reports" ]; then
		while read -r cat n first; do
			echo "not ok console: $cat: $n report(s) in $flavour console.log, first: $first"
		done <"$run/reports"
	else
		echo "ok console: no kernel warnings, oopses, lockdep, KASAN or kmemleak reports ($flavour)"
	fi
	if [ "$grc" = 124 ]; then
		echo "not ok guest: $(cat "$run/watchdog") ($flavour)"
	elif [ "$status" = none ]; then
		echo "not ok guest: stopped without reporting its status ($flavour)"
	fi
} | sed "s/^\\(\\(not \\)\\?ok \\)/\\1[$flavour] /" >"$tap"
grep -q '^\(not \)\?ok \[[^]]*\] kselftest' "$tap" ||
	echo "not ok [$flavour] kselftest: no results at all" >>"$tap"
msg "results of $flavour:"
cat "$tap"
"$TOP/scripts/summary.sh" "$tap" >"$run/summary"
