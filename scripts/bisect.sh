#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build every prefix of the series (kernel, modules and the md selftests) in
# the scratch worktree, incrementally, with ccache.  S2: bisectable.
set -eu
. "$(dirname "$0")/lib.sh"
load_base_version
base=$(git -C "$REPO" rev-parse mdlc-base 2>/dev/null || echo "$BASE_COMMIT")
commits=$(git -C "$WORK_TREE" rev-list --reverse "$base..HEAD")
[ -n "$commits" ] || die "the work tree has no commits on the base"
out=$SCRATCH_TREE/.mdlc-out-bisect
mkdir -p "$out"
export CCACHE_DIR="${CCACHE_DIR:-$MDLC_CACHE/ccache}" CCACHE_NOHASHDIR=1
n=0
for c in $commits; do
	n=$((n + 1))
	git -C "$SCRATCH_TREE" checkout -q --detach "$c"
	subj=$(git -C "$SCRATCH_TREE" log -1 --format=%s)
	frags="$TOP/configs/base.config"
	f=$SCRATCH_TREE/tools/testing/selftests/md/config
	[ -f "$f" ] && frags="$frags $f"
	# shellcheck disable=SC2086
	ALLOW_UNKNOWN=1 "$TOP/scripts/config.sh" "$SCRATCH_TREE" "$out" $frags
	log=$out/build-$n.log
	if ! { make -C "$SCRATCH_TREE" O="$out" CC="ccache gcc" -j"$JOBS" bzImage modules &&
		make -C "$SCRATCH_TREE" O="$out" headers_install INSTALL_HDR_PATH="$out/usr-hdr" &&
		if [ -d "$SCRATCH_TREE/tools/testing/selftests/md" ]; then
			make -C "$SCRATCH_TREE/tools/testing/selftests" TARGETS=md \
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
