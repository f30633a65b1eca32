#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-run.sh SCRIPT [FILES_DIR]: boot the line's patched kernel (LINE=,
# BASE=1: the unpatched base, DEBUG=1: the debug build), copy FILES_DIR to
# /extra, run SCRIPT with /bin/sh and exit with its exact status ("make
# vm-run" can only exit 2 on failure, as make does).
set -eu
. "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || die "usage: vm-run.sh SCRIPT [FILES_DIR]"
kind=patched
[ "${BASE:-0}" = 1 ] && kind=base
[ -f "$1" ] || die "SCRIPT=$1 does not exist"
SCRIPT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
FILES=
[ -n "${2:-}" ] && FILES=$(cd "$2" && pwd)
export SCRIPT FILES
exec "$TOP/scripts/driver.sh" "${LINE:-$(default_line)}" "$kind" script
