#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-run.sh SCRIPT [FILES_DIR]: boot the line's patched kernel (MDLC_LINE=,
# MDLC_BASE=1: the unpatched base, MDLC_DEBUG=1: the debug build), copy FILES_DIR to
# /extra, run SCRIPT with /bin/sh and exit with its exact status ("make
# vm-run" can only exit 2 on failure, as make does).
set -eu
. "$(dirname "$0")/lib.sh"
[ $# -ge 1 ] || die "usage: vm-run.sh SCRIPT [FILES_DIR]"
kind=patched
[ "${MDLC_BASE:-0}" = 1 ] && kind=base
[ -f "$1" ] || die "MDLC_SCRIPT=$1 does not exist"
MDLC_SCRIPT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
MDLC_FILES=
[ -n "${2:-}" ] && MDLC_FILES=$(cd "$2" && pwd)
export MDLC_SCRIPT MDLC_FILES
exec "$TOP/scripts/driver.sh" "${MDLC_LINE:-$(default_line)}" "$kind" script
