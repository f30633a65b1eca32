#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# userspace.sh CACHE_DIR OUT_DIR [--mdadm 4.2|4.6] [--refresh]
#
# Real user space for the md lifecycle guest (SPEC H8), laid out in OUT_DIR
# as a root overlay for the initramfs:
#   - Debian bookworm's systemd-udevd/udevadm (udev 252) with Debian's block
#     and md rules (50-udev-default, 60-block, 60-persistent-storage and
#     mdadm's 01-md-raid-creating, 63-md-raid-arrays, 64-md-raid-assembly);
#   - mdadm: 4.2 = bookworm's 4.2-5 (default), 4.6 = sid's 4.6-3, which needs
#     a newer glibc than bookworm's: it gets a prefix of its own,
#     /opt/mdadm-<version>, with sid's libc6 and libudev1, and is started
#     through sid's dynamic loader by the wrapper /sbin/mdadm;
#   - the tools mdadm's tests/ need that busybox lacks or gets wrong (bash,
#     util-linux's blockdev/fsck/lsblk/blkid, e2fsprogs' mkfs.ext3/fsck.ext3);
#   - mdadm's test driver and tests/ from the matching Debian source package
#     (apt-get source, dpkg-source -x) in /mdlc/mdadm-tests, and the guest
#     scripts (udev.sh: start/settle/stop udevd; mdadm-tests.sh: KTAP runner)
#     in /mdlc/userspace.
# Every shared library is the one ld.so resolves from the unpacked packages
# (never the host's); a library that resolves outside them is an error.
#
# Everything comes from Debian's archive through the harness's private apt
# configuration (scripts/lib.sh: its own sources, lists and status under
# $MDLC_CACHE/apt; the machine's are never read or changed); .deb files are
# unpacked with dpkg-deb -x, never installed.  Downloads and unpacked trees
# are cached in CACHE_DIR.  Versions are pinned; when the archive no longer
# has a pinned version, lib.sh's fallback rule applies: the newest
# acceptable one, with a loud note, also recorded in
# OUT_DIR/mdlc/userspace/manifest.
#   MDLC_UDEV_VERSION (252.39-1~deb12u2), MDLC_MDADM42_VERSION (4.2-5),
#   MDLC_MDADM46_VERSION (4.6-3)   override the pins
#   --refresh                 apt-get update the private lists first
# OUT_DIR is emptied and rebuilt.  Standard output: one line, the versions
# it holds ("mdadm 4.2-5 (Debian), udev 252.39-1~deb12u2"); the progress
# goes to standard error.
set -eu

. "$(dirname "$0")/lib.sh"
top=$TOP
usage() { echo "usage: ${0##*/} CACHE_DIR OUT_DIR [--mdadm 4.2|4.6] [--refresh]" >&2; exit 2; }

[ $# -ge 2 ] || usage
cache=$1 out=$2
shift 2
mdv=4.2 refresh=0
while [ $# -gt 0 ]; do
	case $1 in
	--mdadm) [ $# -ge 2 ] || usage; mdv=$2; shift 2 ;;
	--mdadm=*) mdv=${1#*=}; shift ;;
	--refresh) refresh=1; shift ;;
	*) usage ;;
	esac
done
case $mdv in
4.2|4.6) ;;
*) die "--mdadm $mdv: only 4.2 (bookworm) and 4.6 (sid) are known" ;;
esac
need apt-get apt-cache dpkg-deb dpkg-source dpkg find
[ "$(dpkg --print-architecture)" = amd64 ] || die "only amd64 hosts are supported"

: "${MDLC_UDEV_VERSION:=252.39-1~deb12u2}" "${MDLC_MDADM42_VERSION:=4.2-5}" "${MDLC_MDADM46_VERSION:=4.6-3}"
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
# Fallback notes are kept for the manifest; pick() runs in $(...), so
# they go through a file.
FALLBACK_NOTES=$cache/.notes.$$
notes_file=$FALLBACK_NOTES
: >"$notes_file"
trap 'rm -f "$notes_file"' EXIT
case $out in /*) ;; *) out=$(pwd)/$out ;; esac

# ---------------------------------------------------------------------------
# The package lists: bookworm and sid are lib.sh's GUEST_SUITES.
apt=$APT_DIR
A=$(apt_opts)
log=$cache/apt.log
: >"$log"
updated=0
refresh_lists() {
	apt_update "$@"
	updated=1
	[ ! -f "${madison:-/nonexistent}" ] || load_madison
}
if [ $refresh = 1 ]; then
	refresh_lists force
else
	apt_update
fi

# All the packages this script may fetch; one apt-cache call for all of
# them (each call parses the whole lists: seconds).
pkgs_b="udev libudev1 mdadm libc6 libacl1 libblkid1 libcap2 libkmod2 libselinux1
 libzstd1 liblzma5 libssl3 libpcre2-8-0 bash libtinfo6 util-linux libmount1
 libsmartcols1 e2fsprogs libext2fs2 libcom-err2 libuuid1"
madison=$cache/madison.txt
load_madison() {
	# shellcheck disable=SC2086
	apt-cache $A madison $pkgs_b >"$madison.tmp" 2>>"$log" || true
	mv "$madison.tmp" "$madison"
}
load_madison

# versions_of SUITE PKG: the binary versions SUITE has, newest first
# (Debian's version order, dpkg --compare-versions).
versions_of() {
	awk -F'|' -v s="$1/main amd64 Packages" -v p="$2" '
			{ for (i = 1; i <= NF; i++) gsub(/^ +| +$/, "", $i) }
			$1 == p && substr($3, length($3) - length(s) + 1) == s { print $2 }' "$madison" |
		sort -u | {
			sorted=
			while read -r v; do
				new= done_=0
				for w in $sorted; do
					if [ $done_ = 0 ] && dpkg --compare-versions "$v" gt "$w"; then
						new="$new $v"
						done_=1
					fi
					new="$new $w"
				done
				[ $done_ = 1 ] || new="$new $v"
				sorted=$new
			done
			for w in $sorted; do printf '%s\n' "$w"; done
		}
}

# pick SUITE PKG PIN ACCEPT: PIN if SUITE has it, else (after one refresh of
# the lists) the newest version accepted by the shell pattern/test ACCEPT,
# with a loud note.  ACCEPT is "ge:V" (>= V) or a glob.
pick() {
	_s=$1 _p=$2 _pin=$3 _acc=$4
	if versions_of "$_s" "$_p" | grep -qxF "$_pin"; then
		echo "$_pin"
		return
	fi
	if [ $updated = 0 ]; then
		refresh_lists force >&2
		if versions_of "$_s" "$_p" | grep -qxF "$_pin"; then
			echo "$_pin"
			return
		fi
	fi
	for v in $(versions_of "$_s" "$_p"); do
		case $_acc in
		ge:*) dpkg --compare-versions "$v" ge "${_acc#ge:}" || continue ;;
		# shellcheck disable=SC2254 # ACCEPT is a glob
		*) case $v in $_acc) ;; *) continue ;; esac ;;
		esac
		fallback_note "$_p=$_pin (pinned) is not in $_s any more: FALLING BACK to $_p=$v, the newest $_s version accepted ($_acc); results are against it" >&2
		echo "$v"
		return
	done
	die "$_s has no $_p version accepted ($_acc; pinned $_pin); versions: $(versions_of "$_s" "$_p" | tr '\n' ' ')"
}

# newest SUITE PKG: the newest version of a library package in SUITE.
newest() {
	_v=$(versions_of "$1" "$2" | head -n 1)
	[ -n "$_v" ] || die "package $2 is not in $1 (lists: $apt/lists)"
	echo "$_v"
}

debs=$cache/debs
mkdir -p "$debs"
# fetch SUITE PKG VERSION: download the .deb (cached) and unpack it into
# $cache/root/SUITE (cached), record it in the manifest.
manifest=
fetch() {
	_s=$1 _p=$2 _v=$3
	_f=$debs/${_p}_$(printf '%s' "$_v" | sed 's/:/%3a/')_amd64.deb
	if [ ! -f "$_f" ]; then
		_f2=$(ls "$debs/${_p}_$(printf '%s' "$_v" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1)
		if [ -n "$_f2" ]; then
			_f=$_f2
		else
			msg "downloading $_p=$_v ($_s)"
			# shellcheck disable=SC2086
			(cd "$debs" && apt-get $A download "$_p=$_v") >>"$log" 2>&1 || {
				tail -n 10 "$log" >&2
				die "apt-get download $_p=$_v failed (log: $log)"
			}
			_f=$(ls "$debs/${_p}_$(printf '%s' "$_v" | sed 's/:/%3a/')"_*.deb 2>/dev/null | head -n 1)
			[ -n "$_f" ] || die "apt-get download $_p=$_v left no .deb in $debs"
		fi
	fi
	_r=$cache/root/$_s
	_m=$_r/.unpacked/$(basename "$_f")
	if [ ! -f "$_m" ]; then
		mkdir -p "$_r/.unpacked"
		dpkg-deb -x "$_f" "$_r" || die "dpkg-deb -x $_f failed"
		: >"$_m"
	fi
	manifest="$manifest
$_s $_p $_v $(basename "$_f")"
}

# ---------------------------------------------------------------------------
# Versions and packages.
udev_v=$(pick bookworm udev "$MDLC_UDEV_VERSION" '252.*')
case $mdv in
4.2) md_suite=bookworm md_v=$(pick bookworm mdadm "$MDLC_MDADM42_VERSION" '4.2*') ;;
4.6) md_suite=sid md_v=$(pick sid mdadm "$MDLC_MDADM46_VERSION" 'ge:4.6') ;;
esac
msg "udev $udev_v (bookworm), mdadm $md_v ($md_suite)"

B=$cache/root/bookworm S=$cache/root/sid
fetch bookworm udev "$udev_v"
# libudev1 and libsystemd-shared come from the same source as udev: same version.
fetch bookworm libudev1 "$udev_v"
# What udevadm, bash, util-linux and e2fsprogs link (checked below with ld.so).
for p in libc6 libacl1 libblkid1 libcap2 libkmod2 libselinux1 libzstd1 liblzma5 \
	libssl3 libpcre2-8-0 bash libtinfo6 util-linux libmount1 libsmartcols1 \
	e2fsprogs libext2fs2 libcom-err2 libuuid1; do
	fetch bookworm $p "$(newest bookworm $p)"
done
if [ "$mdv" = 4.2 ]; then
	fetch bookworm mdadm "$md_v"
else
	fetch sid mdadm "$md_v"
	# mdadm 4.6-3: Depends libc6 (>= 2.38) (bookworm has 2.36), libudev1.
	for p in libc6 libudev1 libcap2; do
		fetch sid $p "$(newest sid $p)"
	done
fi

# ---------------------------------------------------------------------------
# The overlay.
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$out"
mkdir -p bin sbin usr/bin usr/sbin lib/systemd lib/udev/rules.d lib/x86_64-linux-gnu lib64 etc \
	mdlc/userspace mdlc/mdadm-tests

# ldlist LOADER LIBDIRS BINARY: the absolute paths of the libraries BINARY
# loads, as LOADER resolves them from LIBDIRS (":"-separated) only.
ldlist() {
	_o=$("$1" --inhibit-cache --library-path "$2" --list "$3" 2>&1) ||
		die "$1 --list $3 failed: $_o"
	if printf '%s\n' "$_o" | grep -q 'not found'; then
		die "$3 needs libraries that no unpacked package provides:
$(printf '%s\n' "$_o" | grep 'not found')
(add their packages to the lists in $0)"
	fi
	printf '%s\n' "$_o" | sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p'
}

# The bookworm root: merged /lib with /usr/lib for libraries.
blib="$B/lib/x86_64-linux-gnu:$B/usr/lib/x86_64-linux-gnu"
bld=$B/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
[ -x "$bld" ] || die "no dynamic loader in bookworm's libc6 ($bld)"

# put SRC_IN_B DEST: copy a bookworm binary and the bookworm libraries it
# needs (to /lib/x86_64-linux-gnu of the guest).
libs_b=
put() {
	_src=$B$1
	[ -f "$_src" ] || die "$1 is not in the unpacked bookworm packages"
	mkdir -p "$(dirname "$out$2")"
	cp -L "$_src" "$out$2"
	for _l in $(ldlist "$bld" "$blib" "$_src"); do
		case $_l in
		"$B"/*) ;;
		*) die "$1: $_l resolved outside the unpacked packages" ;;
		esac
		_n=${_l##*/}
		if [ ! -e "$out/lib/x86_64-linux-gnu/$_n" ]; then
			cp -L "$_l" "$out/lib/x86_64-linux-gnu/$_n"
			libs_b="$libs_b $_n"
		fi
	done
}

# udev: udevadm is also systemd-udevd (a symlink to it in the package).
put /bin/udevadm /bin/udevadm
ln -s /bin/udevadm lib/systemd/systemd-udevd
for r in 50-udev-default 60-block 60-persistent-storage; do
	cp "$B/lib/udev/rules.d/$r.rules" lib/udev/rules.d/
done
# The loader at its ABI path, as a file (the harness copies the host's there).
cp -L "$bld" lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
cp -L "$bld" lib64/ld-linux-x86-64.so.2

# Tools for mdadm's tests that busybox lacks or gets wrong:
#   bash       the test driver and tests are bash scripts
#   blockdev   testdev() calls "/sbin/blockdev --getsize" (busybox: --getsz only)
#   fsck       "fsck -fn" must find the type itself (libblkid) and run fsck.ext3
#   lsblk      check_env: "lsblk -a" (not in busybox)
#   blkid      md_udev_test's blkid case runs util-linux's blkid on an md
#              node, as udev's rules and users do (busybox's takes no -c)
#   mkfs.ext3, e2fsck   testdev() makes an ext3 file system and checks it
put /bin/bash /bin/bash
put /sbin/blockdev /sbin/blockdev
put /sbin/fsck /sbin/fsck
put /bin/lsblk /usr/bin/lsblk
put /sbin/blkid /sbin/blkid
put /sbin/mke2fs /sbin/mke2fs
ln -s mke2fs sbin/mkfs.ext3
put /sbin/e2fsck /sbin/e2fsck
ln -s e2fsck sbin/fsck.ext3
cp "$B/etc/mke2fs.conf" etc/mke2fs.conf

# mdadm and its udev rules.
if [ "$mdv" = 4.2 ]; then
	put /sbin/mdadm /sbin/mdadm
	mdrules=$B/lib/udev/rules.d
else
	# sid is merged-/usr: /usr/sbin/mdadm, /usr/lib/x86_64-linux-gnu.
	sbin_md=$S/usr/sbin/mdadm
	[ -x "$sbin_md" ] || sbin_md=$S/sbin/mdadm
	[ -x "$sbin_md" ] || die "no mdadm binary in sid's mdadm $md_v"
	sld=$(ls "$S"/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$S"/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 2>/dev/null | head -n 1)
	[ -n "$sld" ] || die "no dynamic loader in sid's libc6"
	slib="$S/usr/lib/x86_64-linux-gnu:$S/lib/x86_64-linux-gnu"
	pre=opt/mdadm-$md_v
	mkdir -p "$pre/sbin" "$pre/lib"
	cp -L "$sbin_md" "$pre/sbin/mdadm"
	cp -L "$sld" "$pre/lib/ld-linux-x86-64.so.2"
	for _l in $(ldlist "$sld" "$slib" "$sbin_md"); do
		case $_l in
		"$S"/*) ;;
		*) die "mdadm $md_v: $_l resolved outside the unpacked sid packages" ;;
		esac
		cp -L "$_l" "$pre/lib/${_l##*/}"
	done
	# The wrapper: sid's loader, sid's libraries only (--library-path is
	# searched before the guest's bookworm /lib), argv[0] kept.
	cat >sbin/mdadm <<EOF
#!/bin/sh
# mdadm $md_v from Debian sid with its own glibc (it needs >= 2.38; the guest's
# is bookworm's $(newest bookworm libc6)): started through sid's dynamic loader.
exec /$pre/lib/ld-linux-x86-64.so.2 --inhibit-cache --library-path /$pre/lib --argv0 "\$0" /$pre/sbin/mdadm "\$@"
EOF
	chmod 755 sbin/mdadm
	mdrules=$S/usr/lib/udev/rules.d
	[ -d "$mdrules" ] || mdrules=$S/lib/udev/rules.d
fi
# mdadm 4.6's rules and test driver use /usr/sbin/mdadm (BINDIR), 4.2's /sbin.
ln -s /sbin/mdadm usr/sbin/mdadm
for r in 01-md-raid-creating 63-md-raid-arrays 64-md-raid-assembly; do
	[ -f "$mdrules/$r.rules" ] || die "mdadm $md_v has no $r.rules"
	cp "$mdrules/$r.rules" lib/udev/rules.d/
done
# Programs the rules name by absolute path and busybox provides elsewhere
# (63-md-raid-arrays: /bin/readlink, /usr/bin/basename for containers).
ln -s /bin/busybox bin/readlink

# Groups the rules name (GROUP="disk", "cdrom", ...): Debian's base-passwd
# numbers; without them udevd warns for each and leaves the group root.
cat >etc/group <<'EOF'
root:x:0:
tty:x:5:
disk:x:6:
lp:x:7:
kmem:x:15:
dialout:x:20:
cdrom:x:24:
floppy:x:25:
tape:x:26:
audio:x:29:
video:x:44:
input:x:105:
sgx:x:106:
kvm:x:107:
render:x:108:
EOF

# ---------------------------------------------------------------------------
# mdadm's tests from the matching source package.
src=$cache/src
mkdir -p "$src"
sdir=$src/mdadm-$md_v
if [ ! -f "$sdir/.mdlc-ok" ]; then
	rm -rf "$sdir"
	msg "fetching the source of mdadm $md_v (apt-get source, $md_suite deb-src)"
	# shellcheck disable=SC2086
	(cd "$src" && apt-get $A source --download-only "mdadm=$md_v") >>"$log" 2>&1 || {
		tail -n 10 "$log" >&2
		die "apt-get source --download-only mdadm=$md_v failed (log: $log)"
	}
	dsc=$src/mdadm_$(printf '%s' "$md_v" | sed 's/^[0-9]*://').dsc
	[ -f "$dsc" ] || die "no $dsc after apt-get source"
	# The .dsc was verified by apt against the signed Sources index.
	dpkg-source --no-check -x "$dsc" "$sdir" >>"$log" 2>&1 || {
		tail -n 10 "$log" >&2
		die "dpkg-source -x $dsc failed"
	}
	: >"$sdir/.mdlc-ok"
fi
t=mdlc/mdadm-tests
cp -a "$sdir/test" "$t/test"
cp -a "$sdir/tests" "$t/tests"
# 4.2's driver runs "$PWD/mdadm" (the one built in the source tree): here
# the guest's own mdadm, run from this directory.  4.6's runs `which mdadm`.
ln -s /sbin/mdadm "$t/mdadm"
printf '%s\n' "$md_v" >"$t/VERSION"

# ---------------------------------------------------------------------------
# Guest scripts and the manifest.
cp "$top/guest/udev.sh" mdlc/userspace/udev.sh
cp "$top/guest/mdadm-tests.sh" mdlc/userspace/mdadm-tests.sh
# The subset's names, for mdadm-tests.sh run without names.
mdadm_subset "$mdv" all >mdlc/userspace/mdadm-tests.subset
chmod 755 mdlc/userspace/mdadm-tests.sh
# The guest's test runner settles udevd's queue between tests through this.
cat >mdlc/between-tests <<'EOS'
#!/bin/sh
. /mdlc/userspace/udev.sh
mdlc_udev_settle
EOS
chmod 755 mdlc/between-tests
{
	echo "# userspace.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "mdadm $md_v ($md_suite)"
	echo "udev $udev_v (bookworm)"
	echo "# suite package version file"
	printf '%s\n' "$manifest" | sed '/^$/d' | sort -u
	echo "# bookworm libraries in /lib/x86_64-linux-gnu:$libs_b"
	[ "$mdv" = 4.6 ] && echo "# sid libraries in /$pre/lib: $(ls "$pre/lib" | tr '\n' ' ')"
	cat "$notes_file"
} >mdlc/userspace/manifest
printf '%s\n' "$md_v" >mdlc/userspace/mdadm-version
msg "overlay ready in $out ($(du -sh . | cut -f1)): mdadm $md_v, udev $udev_v"
[ ! -s "$notes_file" ] || cat "$notes_file" >&2
# The one line of standard output: what the overlay holds, for the run's
# info.txt.
echo "mdadm $md_v (Debian), udev $udev_v"
exit 0
