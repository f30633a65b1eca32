#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# summary.sh FILE...: count the flat results (collect.awk's format) and
# print the closing line "N passed, N failed, N skipped".  Exits 1 when
# anything failed or nothing ran at all.
set -eu
cat "$@" | awk '
	/^not ok / { f++; next }
	/^ok .* # [Ss][Kk][Ii][Pp]/ { s++; next }
	/^ok / { p++ }
	END {
		printf "%d passed, %d failed, %d skipped\n", p, f, s
		exit (f > 0 || p + f + s == 0) ? 1 : 0
	}'
