#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# selftests.sh TREE OUT LOCK
# Build and install the md selftests (tools/testing/selftests/md) of the
# source tree TREE against its own uapi headers, into OUT/install.  LOCK is
# TREE's lock file.  The same binaries run on the base and on the patched
# kernel of a line.  Fails unless "make LLVM=1" builds them too and every
# program, run without root, skips (KSFT_SKIP) instead of failing.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 3 ] || die "usage: selftests.sh TREE OUT LOCK"
tree=$1 out=$2 lock=$3
need make gcc clang
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
# kselftest's other compiler: "make LLVM=1" must build them too, without
# a warning.
llog=$out/build-llvm.log
if ! make -C "$tree/tools/testing/selftests" TARGETS=md LLVM=1 \
	KHDR_INCLUDES="-isystem $hdr/usr/include" O="$out/build-llvm" >"$llog" 2>&1; then
	tail_log "$llog" 40
	die "make LLVM=1 of the md selftests of $tree failed (full log: $llog)"
fi
if grep -E '^[^ ]*\.(c|h):[0-9]+:[0-9]+: warning:' "$llog" >&2; then
	die "the md selftests build with warnings under LLVM=1 (above; $llog)"
fi
# Without root every program must skip (exit 4, KSFT_SKIP, "# SKIP"), not
# fail: run each, as nobody, from a copy that nobody can read.
nr=$(mktemp -d)
trap 'rm -rf "$nr"' EXIT
cp -R "$inst/." "$nr/"
chmod -R a+rX "$nr"
as_nobody=
[ "$(id -u)" = 0 ] && need setpriv && as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
n=0
for f in "$nr"/md/*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	prog=${f##*/}
	grc=0
	got=$(cd "$nr/md" && $as_nobody "./$prog" 2>&1 </dev/null) || grc=$?
	if [ "$grc" != 4 ] || ! printf '%s\n' "$got" | grep -q '# SKIP'; then
		printf '%s\n' "$got" | tail -n 5 >&2
		die "md selftest $prog, run without root, exited $grc instead of skipping (4, \"# SKIP\")"
	fi
	n=$((n + 1))
done
[ "$n" -gt 0 ] || die "no md selftest program in $inst/md"
msg "md selftests installed in $inst (LLVM=1 builds them too; $n programs skip without root)"
