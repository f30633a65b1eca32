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
# Warnings in what the series touches: md, the block layer, the bdi code,
# their headers and the md selftests.
warn='(drivers/md|block|mm|include/linux|tools/testing/selftests/md)/[^ :]*:[0-9]+:[0-9]+: warning:'
n=0
built=
for c in $commits; do
	n=$((n + 1))
	git -C "$tree" checkout -q --detach "$c"
	subj=$(git -C "$tree" log -1 --format=%s)
	log=$out/build-$n.log
	# A prefix that changes nothing but the selftests, Documentation or
	# MAINTAINERS since the last prefix whose kernel was built leaves that
	# kernel as it was: only the selftests are built again.
	kernel=1
	if [ -n "$built" ] && git -C "$tree" diff --quiet "$built" "$c" -- . \
		':(exclude)tools/testing/selftests' ':(exclude)Documentation' \
		':(exclude)MAINTAINERS'; then
		kernel=0
	fi
	if [ $kernel = 1 ]; then
		frags=$LINE_CONFIGS
		# shellcheck disable=SC2086
		ALLOW_UNKNOWN=1 "$TOP/scripts/config.sh" "$tree" "$out" $frags
	fi
	if ! { if [ $kernel = 1 ]; then
			make -C "$tree" O="$out" CC="ccache gcc" -j"$MDLC_JOBS" bzImage modules &&
			make -C "$tree" O="$out" headers_install INSTALL_HDR_PATH="$out/usr-hdr"
		fi &&
		if [ -d "$tree/tools/testing/selftests/md" ]; then
			make -C "$tree/tools/testing/selftests" TARGETS=md \
				KHDR_INCLUDES="-isystem $out/usr-hdr/include" O="$out/kselftest"
		fi; } >"$log" 2>&1; then
		tail_log "$log" 40
		die "prefix $n ($subj) does not build (log: $log)"
	fi
	[ $kernel = 1 ] && built=$c
	if grep -Eq "$warn" "$log"; then
		grep -E "$warn" "$log" >&2
		die "prefix $n ($subj) builds with compiler warnings"
	fi
	if [ $kernel = 1 ]; then
		msg "prefix $n builds: $subj"
	else
		msg "prefix $n builds (selftests; kernel as at prefix $(git -C "$tree" rev-list --count "$base..$built")): $subj"
	fi
done
msg "all $n prefixes of the series build"
