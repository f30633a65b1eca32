#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-run.sh SCRIPT [FILES_DIR]: boot the patched kernel (BASE=1: the base,
# DEBUG=1: the debug build), copy FILES_DIR to /extra, run SCRIPT with
# /bin/sh and exit with its exact status ("make vm-run" can only exit 2 on
# failure, as make does).
set -eu
[ $# -ge 1 ] || { echo "usage: vm-run.sh SCRIPT [FILES_DIR]" >&2; exit 2; }
kind=patched
[ "${BASE:-0}" = 1 ] && kind=base
SCRIPT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
FILES=
[ -n "${2:-}" ] && FILES=$(cd "$2" && pwd)
export SCRIPT FILES
exec "$(dirname "$0")/suite.sh" "$kind" script
