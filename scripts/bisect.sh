#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bisect.sh LINE: build every prefix of the line's series (kernel, modules
# and the md selftests) in a worktree of its own, incrementally, with
# ccache.  S2: bisectable.
set -eu
. "$(dirname "$0")/lib.sh"
[ $# = 1 ] || die "usage: bisect.sh LINE"
load_line "$1" need_base
base=$BASE_COMMIT
commits=$(git -C "$WORK_TREE" rev-list --reverse "$base..HEAD")
[ -n "$commits" ] || die "the work tree has no commits on the base"
# A worktree of its own, so that it can run beside tree.sh (scratch).
tree=$TREES/bisect
hold_lock 9 "$LOCKS/bisect" "the bisect worktree $tree"
if [ ! -d "$tree" ]; then
	git -C "$REPO" worktree prune
	git -C "$REPO" worktree add -q --detach "$tree" "$base" ||
		die "cannot create the worktree $tree"
fi
out=$tree/.mdlc-out-bisect
mkdir -p "$out"
export CCACHE_DIR="${CCACHE_DIR:-$MDLC_CACHE/ccache}" CCACHE_NOHASHDIR=1
n=0
for c in $commits; do
	n=$((n + 1))
	git -C "$tree" checkout -q --detach "$c"
	subj=$(git -C "$tree" log -1 --format=%s)
	frags=$LINE_CONFIGS
	# shellcheck disable=SC2086
	ALLOW_UNKNOWN=1 "$TOP/scripts/config.sh" "$tree" "$out" $frags
	log=$out/build-$n.log
	if ! { make -C "$tree" O="$out" CC="ccache gcc" -j"$MDLC_JOBS" bzImage modules &&
		make -C "$tree" O="$out" headers_install INSTALL_HDR_PATH="$out/usr-hdr" &&
		if [ -d "$tree/tools/testing/selftests/md" ]; then
			make -C "$tree/tools/testing/selftests" TARGETS=md \
				KHDR_INCLUDES="-isystem $out/usr-hdr/include" O="$out/kselftest"
		fi; } >"$log" 2>&1; then
		tail_log "$log" 40
		die "prefix $n ($subj) does not build (log: $log)"
	fi
	if grep -q 'drivers/md/.*warning:' "$log"; then
		grep 'drivers/md/.*warning:' "$log" >&2
		die "prefix $n ($subj) builds with compiler warnings in drivers/md"
	fi
	msg "prefix $n builds: $subj"
done
msg "all $n prefixes of the series build"
