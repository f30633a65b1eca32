#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# findings.sh LINE KIND: "make findings".  Stages findings/ for the guest
# (scripts/files.sh: the shell checks, src/*.c built statically) and runs
# them through the driver's "tests" mode; MDLC_TESTS picks some.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 2 ] || die "usage: findings.sh LINE KIND"
files=$MDLC_CACHE/files/findings.$$
trap 'rm -rf "$files"' EXIT INT TERM
"$TOP/scripts/files.sh" "$files" "$TOP/findings"
rc=0
MDLC_FILES=$files "$TOP/scripts/driver.sh" "$1" "$2" tests || rc=$?
exit "$rc"
