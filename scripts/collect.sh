#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# collect.sh BOOTDIR LABEL
# Make BOOTDIR/results.ktap, the KTAP document of one guest boot, from what
# the guest left in BOOTDIR: results.log (the results serial port, with the
# runner's MDLC-TEST-BEGIN/END markers), console.log (the kernel console,
# with the "mdlc: begin/end" markers, KUnit's KTAP and any kernel report),
# tests (the test ids the guest was asked to run), watchdog (if the host
# killed the guest), udevd.log (udevd's log).  One subtest per test
# (scripts/ktap-test.awk), then "console outside tests" (reports at boot,
# between tests, at shutdown), "udevd" (it started, what it did:
# BOOTDIR/udevd.summary) and "guest" (it powered off after reporting its
# status).  Also writes
# BOOTDIR/reports (scripts/scan-console.awk) and BOOTDIR/results.flat (one
# line per leaf result, scripts/flatten.awk).  Exits 1 if anything failed.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: collect.sh BOOTDIR LABEL"
dir=$1 label=$2
[ -f "$dir/results.log" ] && [ -f "$dir/console.log" ] || die "$dir has no results.log and console.log"
sed 's/\r$//' "$dir/results.log" >"$dir/results.txt"
awk -f "$TOP/scripts/scan-console.awk" "$dir/console.log" >"$dir/reports"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Split the results channel into one file per test that started.
awk -v d="$tmp" '
	/^MDLC-TEST-BEGIN / { f = d "/out." $2; printf "" >f; next }
	/^MDLC-TEST-END / { print $3, $4 >(d "/end." $2); f = ""; next }
	/^MDLC-(BEGIN|EXIT) / { f = ""; next }
	f != "" { print >>f }' "$dir/results.txt"

ntests=0
[ -f "$dir/tests" ] && ntests=$(grep -c . "$dir/tests" || true)
n=0
: >"$tmp/doc"
if [ -f "$dir/tests" ]; then
	while read -r id; do
		[ -n "$id" ] || continue
		n=$((n + 1))
		case $id in
		kunit:*|mdadm:*) name=$id kind=direct ;;
		extra:*) name=${id#extra:} kind=direct ;;
		*:*) name=${id#*:} kind=wrapped ;;
		*) name=$id kind=wrapped ;;
		esac
		awk -v id="$id" '$3 == id { $3 = ""; sub(/  /, " "); print }' "$dir/reports" >"$tmp/rep"
		if [ ! -f "$tmp/out.$id" ]; then
			{
				echo "    KTAP version 1"
				echo "    # Subtest: $name"
				echo "    1..1"
				echo "    not ok 1 started: no (the guest stopped before it)"
				echo "not ok $n $name"
			} >>"$tmp/doc"
			continue
		fi
		rc= secs=
		[ -f "$tmp/end.$id" ] && read -r rc secs <"$tmp/end.$id"
		if [ "${id%%:*}" = kunit ]; then
			# KUnit prints its KTAP on the console, between the markers.
			awk -v id="$id" '
				{ l = $0; sub(/\r$/, "", l); sub(/^\[ *[0-9]+\.[0-9]+\]( \[ *[TC][0-9]+\])? ?/, "", l) }
				# The markers: "mdlc: begin ID" and "mdlc: end ID", each
				# perhaps followed by " jiffies=N".
				l == "mdlc: begin " id || index(l, "mdlc: begin " id " ") == 1 { on = 1; next }
				l == "mdlc: end " id || index(l, "mdlc: end " id " ") == 1 { on = 0; next }
				on && l ~ /^( *)(KTAP version|TAP version|1\.\.[0-9]|ok |not ok |# )/ { print l }' \
				"$dir/console.log" >"$tmp/in"
			# A suite that printed nothing did not run (kunit.autorun
			# off, or the module did not load): that is a failure.
			grep -qE '^ *(not )?ok ' "$tmp/in" ||
				echo "not ok 1 KUnit printed no results between the markers (module not loaded, or kunit.autorun off)" >>"$tmp/in"
			# What modprobe said, as diagnostics.
			sed '/^$/d; s/^/# modprobe: /' "$tmp/out.$id" >>"$tmp/in"
		else
			cp "$tmp/out.$id" "$tmp/in"
		fi
		awk -v kind="$kind" -v num="$n" -v name="$name" -v rc="$rc" -v secs="$secs" \
			-v reports="$tmp/rep" -f "$TOP/scripts/ktap.awk" -f "$TOP/scripts/ktap-test.awk" "$tmp/in" >>"$tmp/doc"
	done <"$dir/tests"
fi

# Reports outside every test.
awk '$3 == "-" || $3 == "boot" || $3 == "shutdown" { print $1 " " $2 " (" ($3 == "-" ? "outside tests" : "at " $3) ")" }' \
	"$dir/reports" >"$tmp/outside"
n=$((n + 1))
if [ -s "$tmp/outside" ]; then
	first=$(awk '$3 == "-" || $3 == "boot" || $3 == "shutdown" { $1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' "$dir/reports")
	echo "not ok $n console outside tests: $(tr '\n' ',' <"$tmp/outside" | sed 's/,$//; s/,/, /g'); first: $first" >>"$tmp/doc"
else
	echo "ok $n console outside tests: no kernel report at boot, between tests or at shutdown" >>"$tmp/doc"
fi
# udevd: it started and settled (guest/init), and what it did (its log).
n=$((n + 1))
udev=$(sed -n 's/^MDLC-UDEVD //p' "$dir/results.txt" | tail -n 1)
# Per-event counts need udevd's debug log (guest/udev.sh says why that is
# not the default).
what="log at level info, no per-event counts (MDLC_GUEST_ENV=MDLC_UDEV_LOG_LEVEL=debug for them)"
if [ -s "$dir/udevd.log" ] && grep -q 'Processing device' "$dir/udevd.log"; then
	"$TOP/scripts/udev-summary.sh" "$dir/udevd.log" >"$dir/udevd.summary" 2>/dev/null || true
	ev=$(sed -n 's/^events processed (all devices): \([0-9]*\).*/\1/p' "$dir/udevd.summary")
	mdblkid=$(awk 'NR > 1 && $1 ~ /^md/ { n += $5 } END { print n + 0 }' "$dir/udevd.summary")
	what="${ev:-0} events processed, blkid run ${mdblkid:-0} times on md devices"
fi
case $udev in
ok*) echo "ok $n udevd: ${udev#ok }, $what" >>"$tmp/doc" ;;
failed*) echo "not ok $n udevd: ${udev}" >>"$tmp/doc" ;;
*) echo "not ok $n udevd: the guest did not report it (no user space overlay, or it stopped before)" >>"$tmp/doc" ;;
esac
n=$((n + 1))
status=$(sed -n 's/^MDLC-EXIT \([0-9]*\).*/\1/p' "$dir/results.txt" | tail -n 1)
if [ -f "$dir/watchdog" ]; then
	echo "not ok $n guest: $(cat "$dir/watchdog")" >>"$tmp/doc"
	# What the vCPUs ran before the kill (run-qemu.sh's hang_report).
	if [ -f "$dir/hang-cpus" ]; then
		sed 's/^/# /' "$dir/hang-cpus" >>"$tmp/doc"
	fi
elif [ -z "$status" ]; then
	echo "not ok $n guest: stopped without reporting its status (panic, oops or crash?)" >>"$tmp/doc"
elif [ "$ntests" = 0 ]; then
	echo "not ok $n guest: no test to run" >>"$tmp/doc"
else
	echo "ok $n guest: ran $ntests tests and powered off" >>"$tmp/doc"
fi

{
	echo "KTAP version 1"
	echo "# $label: $(sed -n 's/^kernel: //p' "$dir/info.txt" 2>/dev/null)"
	echo "1..$n"
	cat "$tmp/doc"
} >"$dir/results.ktap"
awk -v src="$label" -v strict=1 -f "$TOP/scripts/ktap.awk" -f "$TOP/scripts/flatten.awk" "$dir/results.ktap" >"$dir/results.flat"
"$TOP/scripts/summary.sh" "$dir/results.flat" >"$dir/summary" || {
	cat "$dir/summary" >/dev/null
	exit 1
}
