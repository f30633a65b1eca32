#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# torture.sh [-b] LINE KIND [BOOTDIR]: "make torture", and make check's
# short run (-b and BOOTDIR: the boot stages only, into BOOTDIR, for
# check.sh, which built the kernel).  Boots the line's kernel (KIND base
# or patched; DEBUG=1 and XCONFIG=NAME as for every run) and runs the
# series' md_torture (torture/md_torture in the guest), then the findings
# checks FINDINGS names (globs of findings/, e.g. "r1_* n1_*"), through the
# driver's "tests" mode: per-test kernel report attribution, results.ktap.
# Afterwards SUMMARY (the run directory's torture-summary.txt) gathers the
# seeds, the progress and violation lines and the per-operation counts.
#   DURATION  seconds of the torture test (default 60)
#   THREADS   threads (default 4)
#   SEED      a seed to replay (default: md_torture picks one and prints it)
#   ROUNDS    runs of each test (default 1): with SEED, the k-of-N counts
#   TORTURE   md_torture's tests (default torture,fuzz; DEBUG=1 adds faults)
#   FAULTS, FUZZ  operations of the faults and fuzz tests
set -eu
. "$(dirname "$0")/lib.sh"

bflag=
[ "${1:-}" = -b ] && bflag=-b && shift
[ $# = 2 ] || [ $# = 3 ] || die "usage: torture.sh [-b] LINE KIND [BOOTDIR]"
line=$1 kind=$2
: "${DURATION:=60}" "${THREADS:=4}" "${ROUNDS:=1}"
case $DURATION$THREADS$ROUNDS in *[!0-9]*) die "DURATION, THREADS and ROUNDS are numbers" ;; esac
if [ -z "${TORTURE:-}" ]; then
	TORTURE=torture,fuzz
	[ "${DEBUG:-0}" = 1 ] && TORTURE=torture,fuzz,faults
fi
genv="MD_TORTURE_TESTS=$TORTURE MD_TORTURE_ROUNDS=$ROUNDS"
genv="$genv MD_TORTURE_SECONDS=$DURATION MD_TORTURE_THREADS=$THREADS"
[ -n "${SEED:-}" ] && genv="$genv MD_TORTURE_SEED=$SEED"
[ -n "${FAULTS:-}" ] && genv="$genv MD_TORTURE_FAULTS=$FAULTS"
[ -n "${FUZZ:-}" ] && genv="$genv MD_TORTURE_FUZZ=$FUZZ"

files=$MDLC_CACHE/files/torture.$$
trap 'rm -rf "$files" "$files.f"' EXIT INT TERM
"$TOP/scripts/files.sh" "$files" "$TOP/torture"
if [ -n "${FINDINGS:-}" ]; then
	"$TOP/scripts/files.sh" "$files.f" "$TOP/findings"
	for pat in $FINDINGS; do
		found=0
		for f in "$files.f"/$pat; do
			[ -f "$f" ] && cp "$f" "$files/" && found=1
		done
		[ "$found" = 1 ] || die "FINDINGS: no check of findings/ matches '$pat' (there are: $(ls "$files.f" | tr '\n' ' '))"
	done
fi

# The guest's time: each test of each round runs DURATION seconds at most
# for the torture (the others are bounded by their counts); 900 s covers
# the fuzz and faults tests on the debug kernel under TCG (10,000 faults
# took about 700 s), and the findings checks; 600 s is the boot and
# md_torture's own quiescing.  The guest's runner bounds each of its tests
# (torture/md_torture runs every test and round) by MDLC_TEST_TIMEOUT.
ntests=$(echo "$TORTURE" | tr ',' '\n' | grep -c .)
: "${TIMEOUT:=$((ntests * ROUNDS * (DURATION + 900) + 600))}"
export TIMEOUT
genv="$genv MDLC_TEST_TIMEOUT=$((ntests * ROUNDS * (DURATION + 900)))"
boot=${3:-$RESULTS/$(date +%Y%m%d-%H%M%S)-torture-$line-$kind${DEBUG:+$([ "$DEBUG" = 1 ] && echo -debug)}${XCONFIG:+-$XCONFIG}}
msg "md_torture: $genv${GUEST_ENV:+ $GUEST_ENV}${FINDINGS:+; findings checks: $FINDINGS}; guest timeout $TIMEOUT s; results in $boot"
rc=0
GUEST_ENV="$genv ${GUEST_ENV:-}" FILES=$files "$TOP/scripts/driver.sh" $bflag "$line" "$kind" tests "$boot" || rc=$?

# The summary: what a reader of a torture run wants first.
sum=$boot/torture-summary.txt
if [ -f "$boot/results.log" ]; then
	{
		echo "md_torture on $line $kind${DEBUG:+ DEBUG=$DEBUG}${XCONFIG:+ XCONFIG=$XCONFIG}: $genv${GUEST_ENV:+ $GUEST_ENV}"
		sed 's/\r$//' "$boot/results.log" | grep -E \
			'md_torture: seed|# replay:|VIOLATION|MISMATCH|violations|injected|inputs|grammar|quiesced|rmmod|operation +total|^ *(ok|not ok) [0-9]+ |^ *# +[A-Za-z_]+ +[0-9]+ +[0-9]+ ' |
			grep -v '^MDLC-' || true
		echo "results (results.flat):"
		cat "$boot/results.flat" 2>/dev/null || true
		echo "exit status: $rc"
	} >"$sum"
	msg "summary: $sum"
	grep -E 'seed|violations|^ *(ok|not ok)' "$sum" | tail -n 20 >&2 || true
fi
exit "$rc"
