#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# check.sh [patched|base]: the test command.
# Host-side harness self-tests, then the guest suite on the patched kernel
# (or, with "base", on the unpatched base), then on the debug build
# (lockdep, KASAN, kmemleak, ...; CHECK_DEBUG=0 skips it; for the base it
# runs only with CHECK_DEBUG=1).  Prints every result, then the closing line
# "N passed, N failed, N skipped"; exits non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

kind=${1:-patched}
mkdir -p "$RESULTS"
all=$RESULTS/check-$kind.tap
: >"$all"
rc=0

"$TOP/tests/run.sh" >"$RESULTS/host.tap"
cat "$RESULTS/host.tap"
cat "$RESULTS/host.tap" >>"$all"

run_suite() { # run_suite LABEL [env...]
	label=$1
	shift
	if env "$@" "$TOP/scripts/suite.sh" "$kind" kselftest; then :; else rc=1; fi
	f=$RESULTS/latest-$label/results.tap
	if [ -f "$f" ] && [ "$(readlink "$RESULTS/latest-$label")" != "${prev:-}" ]; then
		cat "$f" >>"$all"
	else
		echo "not ok [$label] suite: did not run (see the messages above)" | tee -a "$all"
	fi
}

prev=$(readlink "$RESULTS/latest-$kind" 2>/dev/null || true)
run_suite "$kind" DEBUG=0
# The debug run is for the series; on the base it is asked for explicitly.
debug_default=1
[ "$kind" = base ] && debug_default=0
if [ "${CHECK_DEBUG:-$debug_default}" = 1 ]; then
	prev=$(readlink "$RESULTS/latest-$kind-debug" 2>/dev/null || true)
	# The debug kernel is several times slower under emulation: the
	# stress tests run fewer cycles there (DEBUG_GUEST_ENV overrides).
	run_suite "$kind-debug" DEBUG=1 \
		GUEST_ENV="${DEBUG_GUEST_ENV:-MD_GONE_CYCLES=300 MD_CYCLES=20 MD_MODULE_CYCLES=10} ${GUEST_ENV:-}"
fi

echo
echo "results: $all (per-run logs under $RESULTS/latest-$kind*)"
"$TOP/scripts/summary.sh" "$all" || rc=1
exit $rc
