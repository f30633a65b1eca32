#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# torture.sh [-b] LINE KIND [BOOTDIR]: "make torture", and make check's
# short run (-b and BOOTDIR: the boot stages only, into BOOTDIR, for
# check.sh, which built the kernel).  Boots the line's kernel (KIND base
# or patched; MDLC_DEBUG=1 and MDLC_XCONFIG=NAME as for every run) and runs the
# series' md_torture (torture/md_torture in the guest), then the findings
# checks MDLC_FINDINGS names (globs of findings/, e.g. "r1_* n1_*"), through the
# driver's "tests" mode: per-test kernel report attribution, results.ktap.
# Afterwards SUMMARY (the run directory's torture-summary.txt) gathers the
# seeds, the progress and violation lines and the per-operation counts.
#   MDLC_DURATION  seconds of the torture test (default 60)
#   MDLC_THREADS   threads (default 4)
#   MDLC_SEED      a seed to replay (default: md_torture picks one and prints it)
#   MDLC_ROUNDS    runs of each test (default 1): with MDLC_SEED, the k-of-N counts
#   MDLC_TORTURE   md_torture's tests (default torture,fuzz; MDLC_DEBUG=1 adds faults)
#   MDLC_FAULTS, MDLC_FUZZ  operations of the faults and fuzz tests
set -eu
. "$(dirname "$0")/lib.sh"

bflag=
[ "${1:-}" = -b ] && bflag=-b && shift
[ $# = 2 ] || [ $# = 3 ] || die "usage: torture.sh [-b] LINE KIND [BOOTDIR]"
line=$1 kind=$2
: "${MDLC_DURATION:=60}" "${MDLC_THREADS:=4}" "${MDLC_ROUNDS:=1}"
case $MDLC_DURATION$MDLC_THREADS$MDLC_ROUNDS in *[!0-9]*) die "MDLC_DURATION, MDLC_THREADS and MDLC_ROUNDS are numbers" ;; esac
if [ -z "${MDLC_TORTURE:-}" ]; then
	MDLC_TORTURE=torture,fuzz
	[ "${MDLC_DEBUG:-0}" = 1 ] && MDLC_TORTURE=torture,fuzz,faults
fi
genv="MD_TORTURE_TESTS=$MDLC_TORTURE MD_TORTURE_ROUNDS=$MDLC_ROUNDS"
genv="$genv MD_TORTURE_SECONDS=$MDLC_DURATION MD_TORTURE_THREADS=$MDLC_THREADS"
[ -n "${MDLC_SEED:-}" ] && genv="$genv MD_TORTURE_SEED=$MDLC_SEED"
[ -n "${MDLC_FAULTS:-}" ] && genv="$genv MD_TORTURE_FAULTS=$MDLC_FAULTS"
[ -n "${MDLC_FUZZ:-}" ] && genv="$genv MD_TORTURE_FUZZ=$MDLC_FUZZ"

files=$MDLC_CACHE/files/torture.$$
trap 'rm -rf "$files" "$files.f"' EXIT INT TERM
"$TOP/scripts/files.sh" "$files" "$TOP/torture"
if [ -n "${MDLC_FINDINGS:-}" ]; then
	"$TOP/scripts/files.sh" "$files.f" "$TOP/findings"
	for pat in $MDLC_FINDINGS; do
		found=0
		for f in "$files.f"/$pat; do
			[ -f "$f" ] && cp "$f" "$files/" && found=1
		done
		[ "$found" = 1 ] || die "MDLC_FINDINGS: no check of findings/ matches '$pat' (there are: $(ls "$files.f" | tr '\n' ' '))"
	done
fi

# The guest's time: each test of each round runs MDLC_DURATION seconds at most
# for the torture (the others are bounded by their counts); 900 s covers
# the fuzz and faults tests on the debug kernel under TCG (10,000 faults
# took about 700 s), and the findings checks; 600 s is the boot and
# md_torture's own quiescing.  The guest's runner bounds each of its tests
# (torture/md_torture runs every test and round) by MDLC_TEST_TIMEOUT.
ntests=$(echo "$MDLC_TORTURE" | tr ',' '\n' | grep -c .)
: "${MDLC_TIMEOUT:=$((ntests * MDLC_ROUNDS * (MDLC_DURATION + 900) + 600))}"
export MDLC_TIMEOUT
genv="$genv MDLC_TEST_TIMEOUT=$((ntests * MDLC_ROUNDS * (MDLC_DURATION + 900)))"
boot=${3:-$RESULTS/$(date +%Y%m%d-%H%M%S)-torture-$line-$kind${MDLC_DEBUG:+$([ "$MDLC_DEBUG" = 1 ] && echo -debug)}${MDLC_XCONFIG:+-$MDLC_XCONFIG}}
msg "md_torture: $genv${MDLC_GUEST_ENV:+ $MDLC_GUEST_ENV}${MDLC_FINDINGS:+; findings checks: $MDLC_FINDINGS}; guest timeout $MDLC_TIMEOUT s; results in $boot"
rc=0
MDLC_GUEST_ENV="$genv ${MDLC_GUEST_ENV:-}" MDLC_FILES=$files "$TOP/scripts/driver.sh" $bflag "$line" "$kind" tests "$boot" || rc=$?

# The summary: what a reader of a torture run wants first.
sum=$boot/torture-summary.txt
if [ -f "$boot/results.log" ]; then
	{
		echo "md_torture on $line $kind${MDLC_DEBUG:+ MDLC_DEBUG=$MDLC_DEBUG}${MDLC_XCONFIG:+ MDLC_XCONFIG=$MDLC_XCONFIG}: $genv${MDLC_GUEST_ENV:+ $MDLC_GUEST_ENV}"
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
