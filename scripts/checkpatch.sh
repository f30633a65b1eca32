#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh LINE: checkpatch.pl --strict on every patch of the line's
# series, with the work tree's checkpatch.  Fails on any ERROR or WARNING;
# CHECKs are printed and fail too, unless the series directory's
# checkpatch-explained file explains them.
set -eu
. "$(dirname "$0")/lib.sh"
[ $# = 1 ] || die "usage: checkpatch.sh LINE"
load_line "$1" need_base
need_series
need perl
set -- $(series_patches)
[ $# -gt 0 ] || die "${LINE_SERIES#"$TOP"/} has no patches"
bad=0
for p; do
	# Debian's python3 (spdxcheck.py needs python3-ply and python3-git),
	# not whatever python3 comes first in PATH.
	out=$(cd "$WORK_TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse --show-types "$p" 2>&1) && rc=0 || rc=$?
	printf '%s: %s\n' "$(basename "$p")" \
		"$(printf '%s\n' "$out" | grep 'total:' | tail -n 1 | sed 's/^.*total:/total:/')"
	if [ $rc != 0 ] && ! printf '%s\n' "$out" | grep -qE ': (ERROR|WARNING|CHECK):'; then
		# Failed without a finding: it did not run properly.
		printf '%s\n' "$out" >&2
		bad=1
	fi
	if printf '%s\n' "$out" | grep -q 'Error\|ModuleNotFoundError'; then
		printf '%s\n' "$out" | grep 'Error' >&2
		bad=1
	fi
	findings=$(printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' || true)
	[ -n "$findings" ] || continue
	# Findings listed in the series' checkpatch-explained are printed,
	# with the reason, but do not fail.
	while IFS= read -r f; do
		type=$(printf '%s\n' "$f" | sed -n 's/.*: \(ERROR\|WARNING\|CHECK\):\([A-Z_]*\):.*/\2/p')
		why=$(awk -v p="$(basename "$p")" -v t="$type" '
			!/^#/ && NF >= 3 { g = $1; gsub(/\*/, ".*", g)
				if (p ~ "^" g "$" && $2 == t) { $1 = $2 = ""; sub(/^ +/, ""); print; exit } }' \
			"$LINE_SERIES/checkpatch-explained" 2>/dev/null)
		if [ -n "$why" ]; then
			printf '%s (explained: %s)\n' "$f" "$why"
		else
			printf '%s\n' "$f"
			bad=1
		fi
	done <<EOT
$findings
EOT
done
[ $bad = 0 ] || die "checkpatch.pl --strict found problems"
msg "checkpatch.pl --strict: clean ($# patches)"
