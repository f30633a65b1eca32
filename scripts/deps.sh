#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what the harness needs from Debian's archive, if missing.
# Runs apt-get as root, or through sudo.
set -eu
. "$(dirname "$0")/lib.sh"

# command:package pairs, plus packages checked by file.
pairs="qemu-system-x86_64:qemu-system-x86 busybox:busybox-static mdadm:mdadm
ccache:ccache flex:flex bison:bison bc:bc cpio:cpio depmod:kmod make:make
gcc:gcc git:git xz:xz-utils rsync:rsync perl:perl
dpkg-source:dpkg-dev flock:util-linux setpriv:util-linux clang:clang"
missing=
for p in $pairs; do
	command -v "${p%%:*}" >/dev/null 2>&1 || missing="$missing ${p#*:}"
done
# busybox must be the static one: the guest has no libraries for it.
if command -v busybox >/dev/null 2>&1 && ldd "$(command -v busybox)" >/dev/null 2>&1; then
	missing="$missing busybox-static"
fi
for f in /usr/include/libelf.h:libelf-dev /usr/include/openssl/ssl.h:libssl-dev \
	/usr/lib/x86_64-linux-gnu/libc.a:libc6-dev; do
	[ -e "${f%%:*}" ] || missing="$missing ${f#*:}"
done
[ -x /sbin/mdadm ] || missing="$missing mdadm"
# checkpatch.pl runs scripts/spdxcheck.py, which needs these.
/usr/bin/python3 -c 'import ply' 2>/dev/null || missing="$missing python3-ply"
/usr/bin/python3 -c 'import git' 2>/dev/null || missing="$missing python3-git"
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
[ -n "${missing% }" ] || exit 0

sudo=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 ||
		die "missing packages: $missing; run as root or install them: apt-get install $missing"
	sudo=sudo
fi
msg "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
log=${TMPDIR:-/tmp}/mdlc-apt.log
if ! $sudo apt-get install -y --no-install-recommends $missing >"$log" 2>&1; then
	msg "apt-get install failed; updating the package lists and trying again"
	if ! $sudo apt-get update >>"$log" 2>&1; then
		tail_log "$log" 15
		die "apt-get update failed: no access to the package archive? Install by hand: apt-get install $missing"
	fi
	if ! $sudo apt-get install -y --no-install-recommends $missing >>"$log" 2>&1; then
		tail_log "$log" 15
		die "cannot install:$missing (full log: $log)"
	fi
fi
msg "installed:$missing"
