#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/ref-tree.sh [LINE]: make (once) and print a git tree of the line's
# base (default mainline) with bench/ref/LINE-async-del.patch committed on
# top: a measurement kernel, never a series, that bench/scale.sh boots as
# "LINE:ref" through MDLC_KSRC.  The tree is a shared clone of the cached
# base repository, under the cache, named after the base and the patch.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
line=${1:-mainline}
patch=$top/bench/ref/$line-async-del.patch
[ -f "$patch" ] || die "no measurement patch for line $line: ${patch#"$top"/}"
load_line "$line" need_base
[ -z "${MDLC_KSRC:-}" ] || die "bench/ref-tree.sh makes its tree from the cached base: unset MDLC_KSRC"
sum=$(cksum <"$patch" | cut -d' ' -f1)
dir=$MDLC_CACHE/ref/$line-$(printf '%.12s' "$BASE_COMMIT")-$sum
if [ ! -d "$dir" ]; then
	rm -rf "$dir.tmp"
	mkdir -p "$(dirname "$dir")"
	git clone -q --shared --no-checkout "$REPO" "$dir.tmp"
	git -C "$dir.tmp" checkout -q -b ref "$BASE_COMMIT"
	git -C "$dir.tmp" apply "$patch" ||
		die "bench/ref/$line-async-del.patch does not apply to $BASE_LABEL"
	git -C "$dir.tmp" -c user.name="md lifecycle project" \
		-c user.email=md-lifecycle@users.noreply.invalid \
		commit -q -a -m "measurement only: bench/ref/$line-async-del.patch"
	mv "$dir.tmp" "$dir"
fi
echo "$dir"
