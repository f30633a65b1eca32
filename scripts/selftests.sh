#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# selftests.sh TREE OUT LOCK
# Build and install the md selftests (tools/testing/selftests/md) of the
# source tree TREE against its own uapi headers, into OUT/install.  LOCK is
# TREE's lock file.  The same binaries run on the base and on the patched
# kernel of a line.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 3 ] || die "usage: selftests.sh TREE OUT LOCK"
tree=$1 out=$2 lock=$3
need make gcc
[ -d "$tree/tools/testing/selftests/md" ] ||
	die "$tree has no tools/testing/selftests/md: the line's series brings the md selftests"
hold_lock 9 "$lock" "the tree $tree"
mkdir -p "$out"
inst=$out/install hdr=$out/headers log=$out/build.log
if ! { make -C "$tree" O="$hdr" headers_install INSTALL_HDR_PATH="$hdr/usr" &&
	rm -rf "$inst" &&
	make -C "$tree/tools/testing/selftests" TARGETS=md \
		KHDR_INCLUDES="-isystem $hdr/usr/include" \
		O="$out/build" INSTALL_PATH="$inst" install; } >"$log" 2>&1; then
	tail_log "$log" 40
	die "building the md selftests of $tree failed (full log: $log)"
fi
if grep -E '^[^ ]*\.(c|h):[0-9]+:[0-9]+: warning:' "$log" >&2; then
	die "the md selftests build with compiler warnings (above; $log)"
fi
msg "md selftests installed in $inst"
