#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/open-race.sh [SECONDS] [ROUNDS] [THREADS]
# The G4 measurement: md_open_race_test's open_race on the base and on the
# patched kernel, one after the other in one invocation, ROUNDS runs of
# SECONDS each per kernel (a run is capped at 250 s), THREADS threads.
# Prints every run's summary line and the totals per kernel.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60} rounds=${2:-1} threads=${3:-2}
out=$top/results/bench-open-race-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
cat >"$out/race.sh" <<EOS
i=0
while [ \$i -lt $rounds ]; do
	/kselftest/md/md_open_race_test -t $threads -s $secs -- -t open_race
	i=\$((i + 1))
done
exit 0
EOS
for kind in base patched; do
	b=0
	[ $kind = base ] && b=1
	BASE=$b TIMEOUT=$((secs * rounds + 600)) "$top/scripts/vm-run.sh" "$out/race.sh" \
		>"$out/$kind.log" 2>&1 || true
	grep 'open race:' "$out/$kind.log" | sed "s/^[# ]*/$kind: /"
done | tee "$out/summary"
awk '
	{ k = $1; sub(/:$/, "", k) }
	match($0, /, [0-9]+ opens, [0-9]+ failed/) {
		split(substr($0, RSTART + 2, RLENGTH - 2), a, " ")
		opens[k] += a[1]; failed[k] += a[3]
	}
	END {
		for (k in opens)
			printf "%s total: %d opens, %d failed (%.2f%%)\n", k, opens[k], failed[k],
				opens[k] ? 100 * failed[k] / opens[k] : 0
	}' "$out/summary" | sort | tee -a "$out/summary"
echo "logs: $out"
