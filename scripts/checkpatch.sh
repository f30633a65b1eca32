#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict on every patch of the series, with the work tree's
# checkpatch.  Fails on any ERROR or WARNING; CHECKs are printed and fail too.
set -eu
. "$(dirname "$0")/lib.sh"
load_base_version
need perl
set -- $(ls "$TOP"/patches/[0-9][0-9][0-9][0-9]-*.patch | grep -v '/0000-cover-letter.patch$')
[ $# -gt 0 ] || die "patches/ has no patches"
bad=0
for p; do
	# Debian's python3 (spdxcheck.py needs python3-ply and python3-git),
	# not whatever python3 comes first in PATH.
	out=$(cd "$WORK_TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --terse --show-types "$p" 2>&1) || bad=1
	printf '%s: %s\n' "$(basename "$p")" "$(printf '%s\n' "$out" | grep 'total:' | tail -n 1)"
	if printf '%s\n' "$out" | grep -q 'Error\|ModuleNotFoundError'; then
		printf '%s\n' "$out" | grep 'Error' >&2
		bad=1
	fi
	printf '%s\n' "$out" | grep -E ': (ERROR|WARNING|CHECK):' || true
	printf '%s\n' "$out" | grep -qE ': (ERROR|WARNING|CHECK):' && bad=1
done
[ $bad = 0 ] || die "checkpatch.pl --strict found problems"
msg "checkpatch.pl --strict: clean ($# patches)"
