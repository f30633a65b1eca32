#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/open-race.sh [OPENS] [ROUNDS] [THREADS]
# The G4 measurement: md_open_race_test's open_race on the base and on the
# patched kernel, one after the other in one invocation, ROUNDS runs of
# OPENS opens each (over all threads; default 20000) per kernel, THREADS
# threads.  A run takes as long as its opens take; it prints a progress
# line every 30 s, so the guest watchdog (MDLC_SILENCE) only stops a run that
# hangs.  Prints every run's summary line and the totals per kernel.
set -eu
. "$(dirname "$0")/lib.sh"
opens=${1:-20000} rounds=${2:-1} threads=${3:-2}
case $opens$rounds$threads in
*[!0-9]*) echo "usage: $0 [OPENS] [ROUNDS] [THREADS]" >&2; exit 2 ;;
esac
out=$(bench_dir open-race)
cat >"$out/race.sh" <<EOS
i=0
while [ \$i -lt $rounds ]; do
	/kselftest/md/md_open_race_test -t $threads -n $opens -- -t open_race
	i=\$((i + 1))
done
exit 0
EOS
bench_boot "$out" "$out/race.sh" 'open race: [0-9]* threads,'
# "open race: 2 threads, 20000 opens in 61234 ms, 0 failed (...)"
awk '
	{ k = $1; sub(/:$/, "", k) }
	match($0, / [0-9]+ opens in [0-9]+ ms, [0-9]+ failed/) {
		split(substr($0, RSTART + 1, RLENGTH - 1), a, " ")
		opens[k] += a[1]; ms[k] += a[4]; failed[k] += a[6]
	}
	END {
		for (k in opens)
			printf "%s total: %d opens in %d ms (%.1f opens/s), %d failed (%.2f%%)\n",
				k, opens[k], ms[k], ms[k] ? 1000 * opens[k] / ms[k] : 0,
				failed[k], opens[k] ? 100 * failed[k] / opens[k] : 0
	}' "$out/summary" | sort | tee -a "$out/summary"
echo "logs: $out"
