#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# files.sh OUT DIR: the guest's /extra for "make findings" and "make
# torture": DIR's executables as they are, and each DIR/src/NAME.c built
# on the host as a static program OUT/NAME (the guest has no compiler).
# Each of them is one test and prints KTAP.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: files.sh OUT DIR"
out=$1 dir=$2
[ -d "$dir" ] || die "$dir is not a directory"
rm -rf "$out"
mkdir -p "$out"
for f in "$dir"/*; do
	[ -f "$f" ] && [ -x "$f" ] && cp "$f" "$out/"
done
for c in "$dir"/src/*.c; do
	[ -f "$c" ] || continue
	need cc
	n=$(basename "$c" .c)
	cc -static -O2 -Wall -Werror -pthread -o "$out/$n" "$c" ||
		die "cannot build $c (a static build needs libc6-dev)"
done
[ -n "$(ls "$out")" ] || die "$dir has no executable and no src/*.c"
