#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# demo.sh LINE: the main job on the line's unpatched base and on its
# patched kernel, one after the other (make demo): each boot runs
# guest/demo.sh (driver.sh's demo mode), whose narration is shown as it
# runs, then the steps side by side: what each kernel did and how long it
# took.  The boots' directories: results/<date>-demo-LINE/{base,patched}.
# Exits non-zero when a boot fails or a kernel report is in its console;
# what a kernel did differently is the demo's subject, not a failure.
set -u
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: demo.sh LINE"
load_line "$1"
out=$RESULTS/$(date +%Y%m%d-%H%M%S)-demo-$MDLC_LINE
mkdir -p "$out"
rc=0
for kind in base patched; do
	msg "$MDLC_LINE-$kind: the demo (boot directory $out/$kind)"
	"$TOP/scripts/driver.sh" "$MDLC_LINE" "$kind" demo "$out/$kind" || rc=1
done

{
	echo
	echo "make demo MDLC_LINE=$MDLC_LINE: the same steps on each kernel (guest/demo.sh; TCG, so the times compare only side by side)"
	for kind in base patched; do
		printf '%-8s %s\n' "$kind:" "$(sed -n 's/^kernel //p' "$out/$kind/results.txt" 2>/dev/null | head -n 1)"
	done
	awk -F '\t' '
		$1 == "DEMO-RESULT" {
			k = FILENAME ~ /\/base\/results.txt$/ ? 1 : 2
			if (!($2 in seen)) { seen[$2] = 1; order[n++] = $2 }
			r[$2, k] = sprintf("%s (%d ms)", $3, $4)
		}
		END {
			for (i = 0; i < n; i++) {
				s = order[i]
				printf "%-9s base:    %s\n", s, ((s, 1) in r) ? r[s, 1] : "no result"
				printf "%-9s patched: %s\n", "", ((s, 2) in r) ? r[s, 2] : "no result"
			}
			if (n == 0)
				print "no step ran: see the boots above"
		}' "$out/base/results.txt" "$out/patched/results.txt" 2>/dev/null
} | tee "$out/summary"
exit $rc
