#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# export.sh LINE
# Regenerate the line's series directory (patches/<line>/) from the work
# tree's commits on top of the base: git format-patch --cover-letter
# --base=<base>.  The cover letter's subject and text are carried over from
# the current 0000-cover-letter.patch (through the branch description), so
# editing that file is how the cover letter is written.  Afterwards the
# round trip is checked: the series applied to the base must give exactly
# the work tree.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: export.sh LINE"
load_line "$1" need_base
need git
[ -d "$WORK_TREE" ] || die "no work tree: run 'make tree MDLC_LINE=$MDLC_LINE' first"
hold_lock 9 "$WORK_LOCK" "the work tree $WORK_TREE"
cd "$WORK_TREE"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "the work tree $WORK_TREE has uncommitted edits: commit them (git commit -s) first"
git merge-base --is-ancestor "$BASE_COMMIT" HEAD ||
	die "the work tree's HEAD is not on top of the base $BASE_COMMIT"
n=$(git rev-list --count "$BASE_COMMIT..HEAD")
[ "$n" -gt 0 ] || die "the work tree has no commits on top of the base"

mkdir -p "$LINE_SERIES"
cover=$LINE_SERIES/0000-cover-letter.patch
desc=$(mktemp)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$desc"' EXIT INT TERM
if [ -f "$cover" ]; then
	awk '
	hdr && /^Subject:/ { sub(/^Subject: *(\[[^]]*\] *)?/, ""); subj = $0; insubj = 1; next }
	hdr && insubj && /^[ \t]/ { sub(/^[ \t]+/, " "); subj = subj $0; next }
	hdr { insubj = 0 }
	hdr && /^$/ { hdr = 0; print subj; print ""; next }
	!hdr && /^[^ ].* \([0-9]+\):$/ { exit }
	!hdr { body[nb++] = $0 }
	END { while (nb > 0 && body[nb - 1] == "") nb--; for (i = 0; i < nb; i++) print body[i] }
	' hdr=1 "$cover" >"$desc"
else
	printf 'md: devices that appear and disappear with their users\n\n*** BLURB HERE ***\n' >"$desc"
fi
branch=$(git symbolic-ref --short HEAD 2>/dev/null) ||
	die "the work tree is on a detached HEAD: check out its branch first"
git config "branch.$branch.description" "$(cat "$desc")"
# The subject prefix ("PATCH v2", "PATCH 6.12 v2"): the series directory's
# subject-prefix file, the same for every patch and the cover letter.
prefix=PATCH
[ -f "$LINE_SERIES/subject-prefix" ] && prefix=$(sed -n '1p' "$LINE_SERIES/subject-prefix")
git format-patch -q --cover-letter --cover-from-description=subject \
	--subject-prefix="$prefix" \
	--base="$BASE_COMMIT" --zero-commit --no-signature -o "$tmp" \
	"$BASE_COMMIT..HEAD"
# The cover letter's date would be "now" on every export: use the newest
# commit's, so that an export of the same commits gives the same files.
sed -i "s/^Date: .*/Date: $(git log -1 --format=%aD)/" "$tmp/0000-cover-letter.patch"
rm -f "$LINE_SERIES"/[0-9][0-9][0-9][0-9]-*.patch
cp "$tmp"/*.patch "$LINE_SERIES/"
git update-ref refs/worktree/mdlc-synced HEAD
msg "exported $n patches and the cover letter to ${LINE_SERIES#"$TOP"/}"
# The round trip, without waiting for our own lock.
exec 9>&-
"$TOP/scripts/tree.sh" "$MDLC_LINE" --check
