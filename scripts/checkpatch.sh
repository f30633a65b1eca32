#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh LINE: checkpatch.pl --strict on every patch of the line's
# series, with the work tree's checkpatch.  Fails on any ERROR or WARNING;
# CHECKs are printed and fail too, unless the series directory's
# checkpatch-explained file explains them.  Then kernel-doc -Wall on every
# kernel source file the series touches (tools/ left out): a warning that
# the base's version of the file does not have fails.
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

# kernel-doc -Wall FILE...: its warnings, without line numbers, each once.
kdoc() {
	(cd "$WORK_TREE" && PATH=/usr/bin:$PATH ./scripts/kernel-doc -Wall -none "$@" 2>&1) |
		sed -E 's/^(Warning: )?([^ :]*):[0-9]+:? /\1\2: /' | sort -u
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$(git -C "$WORK_TREE" diff --name-only "$BASE_COMMIT" HEAD -- '*.c' '*.h' ':!tools/')
n=0 new=0
for f in $files; do
	n=$((n + 1))
	kdoc "$f" >"$tmp/head"
	: >"$tmp/base"
	if git -C "$WORK_TREE" cat-file -e "$BASE_COMMIT:$f" 2>/dev/null; then
		mkdir -p "$tmp/b/$(dirname "$f")"
		git -C "$WORK_TREE" show "$BASE_COMMIT:$f" >"$tmp/b/$f"
		kdoc "$tmp/b/$f" | sed "s|$tmp/b/||g" >"$tmp/base"
	fi
	comm -13 "$tmp/base" "$tmp/head" >"$tmp/new"
	if [ -s "$tmp/new" ]; then
		sed 's/^/kernel-doc: /' "$tmp/new"
		new=$((new + $(wc -l <"$tmp/new")))
	fi
done
[ $new = 0 ] || die "kernel-doc -Wall: $new warnings that the base does not have"
msg "kernel-doc -Wall: no new warning in the $n files the series touches"
