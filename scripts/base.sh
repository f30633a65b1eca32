#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# base.sh LINE: fetch the base kernel of a line and make it a git tree with
# one base commit.
#
# Debian: apt-get download the line's package at its pinned version through
# the harness's private apt configuration (or, when the archive no longer
# has it, the newest version the line's fallback rule allows, with a loud
# note), extract it once into $MDLC_CACHE, commit it with a fixed identity
# and date so that the base commit id is the same on every machine.
# MDLC_KSRC: check the user's tree; nothing is fetched.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: base.sh LINE"
line_load "$1"
need git

if [ -n "${MDLC_KSRC:-}" ]; then
	MDLC_BASE_VERSION=ksrc
	tree_layout
	if [ -n "$(git -C "$MDLC_KSRC" status --porcelain --untracked-files=no)" ]; then
		die "MDLC_KSRC=$MDLC_KSRC has uncommitted changes; the base is a commit (${MDLC_KSRC_BASE:-HEAD}), so commit or stash them first"
	fi
	hold_lock 9 "$LOCKS/repo" "the repository $REPO"
	if [ ! -d "$BASE_TREE" ]; then
		git -C "$REPO" worktree add --detach "$BASE_TREE" "$BASE_COMMIT" >/dev/null ||
			die "cannot add a worktree of $REPO at $BASE_TREE"
	fi
	msg "base of line $MDLC_LINE: $BASE_LABEL"
	exit 0
fi

need apt-get apt-cache dpkg-deb xz tar
mkdir -p "$MDLC_CACHE/dl" "$MDLC_CACHE/debian"
dl=$MDLC_CACHE/dl
hold_lock 8 "$MDLC_CACHE/locks/fetch-$MDLC_LINE" "the download of line $MDLC_LINE's base"

deb_for() { ls "$dl/${LINE_PKG}_$(printf '%s' "$1" | sed 's/:/%3a/')_all.deb" 2>/dev/null || true; }
deb_of() { ls "$dl/$1_$(printf '%s' "$2" | sed 's/:/%3a/')_all.deb" 2>/dev/null || true; }

pkg=$LINE_PKG
version=${MDLC_BASE_VERSION:-$LINE_VERSION}
deb=$(deb_for "$version")
if [ -z "$deb" ]; then
	apt_update
	msg "downloading $pkg=$version (suite $LINE_SUITE)"
	# shellcheck disable=SC2046
	if ! (cd "$dl" && apt-get $(apt_opts) download "$pkg=$version") >"$dl/download.log" 2>&1; then
		# The lists may be a day old: refresh once before giving up.
		apt_update force
		# shellcheck disable=SC2046
		(cd "$dl" && apt-get $(apt_opts) download "$pkg=$version") >"$dl/download.log" 2>&1 || true
	fi
	deb=$(deb_for "$version")
	if [ -z "$deb" ]; then
		if ! grep -qi "can't find a source\|version .* not found\|unable to locate\|has no installation candidate" "$dl/download.log"; then
			tail_log "$dl/download.log" 10
			die "cannot download $pkg=$version from $LINE_SUITE: is the archive reachable? (or use MDLC_KSRC=/path/to/linux)"
		fi
		# The fallback rule: the newest version of the packages the
		# line's glob matches.
		# shellcheck disable=SC2046
		newest=$(apt-cache $(apt_opts) pkgnames "${LINE_FALLBACK%%\**}" 2>/dev/null |
			while read -r p; do
				# shellcheck disable=SC2254
				case $p in $LINE_FALLBACK) ;; *) continue ;; esac
				for v in $(apt_versions "$p"); do echo "$v $p"; done
			done | sort -V -r | head -n 1)
		[ -n "$newest" ] ||
			die "line $MDLC_LINE: neither $pkg=$version nor any $LINE_FALLBACK is in $LINE_SUITE (see $APT_DIR/sources.list); use MDLC_KSRC=/path/to/linux"
		fallback_note "line $MDLC_LINE: the pinned base $pkg=$version is no longer in the archive: FALLING BACK to the newest $LINE_FALLBACK there, ${newest#* }=${newest%% *}; results are against it"
		version=${newest%% *} pkg=${newest#* }
		# shellcheck disable=SC2046
		(cd "$dl" && apt-get $(apt_opts) download "$pkg=$version") >"$dl/download.log" 2>&1 || {
			tail_log "$dl/download.log" 10
			die "cannot download $pkg=$version"
		}
	fi
	deb=$(deb_of "$pkg" "$version")
	[ -n "$deb" ] || die "apt-get download succeeded but no .deb for $pkg $version in $dl"
fi

MDLC_BASE_VERSION=$version LINE_PKG=$pkg
tree_layout
vf=$(base_version_file)
printf '%s\n' "$version" >"$vf.tmp"
mv "$vf.tmp" "$vf"

hold_lock 9 "$LOCKS/repo" "the repository $REPO"
if [ -f "$REPO/.mdlc-base-ok" ] && git -C "$REPO" rev-parse -q --verify refs/tags/mdlc-base >/dev/null; then
	msg "base of line $MDLC_LINE: $BASE_LABEL ($(git -C "$REPO" rev-parse --short=12 mdlc-base), cached)"
	exit 0
fi

# Extract into a temporary directory and move it into place only when the
# commit is made, so an interrupted run never leaves a half-made tree.
rm -rf "$REPO" "$SCRATCH_TREE"
tmp=$MDLC_CACHE/debian/.extract.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
msg "extracting $(basename "$deb")"
dpkg-deb --fsys-tarfile "$deb" | tar -xf - -C "$tmp" ./usr/src/
tarball=$(ls "$tmp"/usr/src/linux-source-*.tar.xz)
tar -xJf "$tarball" -C "$tmp"
rm -f "$tarball"
src=$(ls -d "$tmp"/linux-source-*/ | head -n 1)
[ -f "$src/Makefile" ] || die "no kernel tree in $deb"
kver=$(make -s -C "$src" kernelversion 2>/dev/null || echo unknown)

msg "making the base commit (Linux $kver, Debian $pkg $version)"
(
	cd "$src"
	git init -q -b mdlc-base-branch
	git config user.name "md lifecycle project"
	git config user.email "md-lifecycle@users.noreply.invalid"
	git config gc.auto 0
	# Debian's .gitignore ends with a packaging rule that ignores every
	# top-level path ("/*", "!/debian/"): new files could not be added
	# to the work tree.  Drop that rule; nothing built depends on it.
	sed -i '/^# Debian packaging: ignore everything at the top level/,/^!\/debian\/$/d' .gitignore
	if grep -q '^/\*$' .gitignore; then
		die "could not drop Debian's top-level ignore rule from .gitignore"
	fi
	# Debian's .gitignore also lacks upstream's exceptions for tracked
	# dot-files, so a new .gitignore or .kunitconfig would be ignored.
	if ! grep -q '^!\.gitignore$' .gitignore; then
		printf '%s\n' '#' "# Upstream's exceptions for dot-files (restored by the md lifecycle harness)" '#' \
			'!.clang-format' '!.clippy.toml' '!.cocciconfig' '!.editorconfig' \
			'!.get_maintainer.ignore' '!.gitattributes' '!.gitignore' \
			'!.kunitconfig' '!.mailmap' '!.rustfmt.toml' >>.gitignore
	fi
	git add -f -A .
	GIT_AUTHOR_DATE='1970-01-01T00:00:00Z' GIT_COMMITTER_DATE='1970-01-01T00:00:00Z' \
		git commit -q -m "Linux $kver (Debian $pkg $version)" \
		-m "Imported from the Debian package ${pkg}_$version by the md lifecycle harness." \
		-m "The only change to the package's tree is in .gitignore: Debian's packaging rule that ignores every top-level path is dropped, and upstream's exceptions for tracked dot-files (!.gitignore, !.kunitconfig, ...) are restored, so that new files can be added."
	git tag mdlc-base
	touch .git/info/exclude
	echo '/.mdlc-base-ok' >>.git/info/exclude
)
mkdir -p "$TREES"
mv "$src" "$REPO"
touch "$REPO/.mdlc-base-ok"
msg "base of line $MDLC_LINE: $BASE_LABEL ($(git -C "$REPO" rev-parse --short=12 mdlc-base))"
