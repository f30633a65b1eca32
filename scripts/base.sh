#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fetch the base kernel and make it a git tree with one base commit.
#
# Debian: apt-get download linux-source-6.12 at the pinned version (or,
# when the archive no longer has it, the newest one, with a note), extract
# it once into $MDLC_CACHE, commit it with a fixed identity and date so that
# the base commit id is the same on every machine.
# KSRC: check the user's tree; nothing is fetched.
set -eu
. "$(dirname "$0")/lib.sh"

need git

if [ -n "${KSRC:-}" ]; then
	tree_layout
	if [ -n "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ]; then
		die "KSRC=$KSRC has uncommitted changes; the base is a commit (${KSRC_BASE:-HEAD}), so commit or stash them first"
	fi
	mkdir -p "$TREES"
	if [ ! -d "$BASE_TREE" ]; then
		git -C "$REPO" worktree add --detach "$BASE_TREE" "$BASE_COMMIT" >/dev/null ||
			die "cannot add a worktree of $REPO at $BASE_TREE"
	fi
	msg "base: $BASE_LABEL"
	exit 0
fi

need apt-get dpkg-deb xz tar
mkdir -p "$MDLC_CACHE/dl" "$MDLC_CACHE/debian"
dl=$MDLC_CACHE/dl

deb_for() { ls "$dl/${BASE_PKG}_$(printf '%s' "$1" | sed 's/:/%3a/')_all.deb" 2>/dev/null || true; }

version=$BASE_VERSION
deb=$(deb_for "$version")
if [ -z "$deb" ]; then
	msg "downloading $BASE_PKG=$version"
	if ! (cd "$dl" && apt-get download "$BASE_PKG=$version") >"$dl/download.log" 2>&1; then
		# Stale or missing package lists are the common cause: refresh once.
		msg "download failed; refreshing the package lists (apt-get update)"
		sudo=
		[ "$(id -u)" = 0 ] || sudo=sudo
		$sudo apt-get update >>"$dl/download.log" 2>&1 || {
			tail_log "$dl/download.log" 10
			die "apt-get update failed: no access to the package archive (check the network and /etc/apt/sources.list*)"
		}
	fi
	if ! (cd "$dl" && apt-get download "$BASE_PKG=$version") >"$dl/download.log" 2>&1; then
		if grep -qi "can't find a source\|version .* not found\|unable to locate" "$dl/download.log"; then
			newest=$(apt-cache madison "$BASE_PKG" 2>/dev/null | awk -F'|' 'NR==1 { gsub(/ /, "", $2); print $2 }')
			[ -n "$newest" ] ||
				die "$BASE_PKG is not known to apt: run 'apt-get update' (and check that bookworm-security is in the sources)"
			note "the pinned base $BASE_PKG=$version is no longer in the archive;"
			note "FALLING BACK to the newest available version, $newest (results are against it)"
			version=$newest
			(cd "$dl" && apt-get download "$BASE_PKG=$version") >"$dl/download.log" 2>&1 || {
				tail_log "$dl/download.log" 10
				die "cannot download $BASE_PKG=$version"
			}
		else
			tail_log "$dl/download.log" 10
			die "cannot download $BASE_PKG=$version: no access to the package archive? (run 'apt-get update' and check the network)"
		fi
	fi
	deb=$(deb_for "$version")
	[ -n "$deb" ] || die "apt-get download succeeded but no .deb for $version in $dl"
fi

BASE_VERSION=$version
tree_layout
printf '%s\n' "$version" >"$MDLC_CACHE/debian/base-version.tmp"
mv "$MDLC_CACHE/debian/base-version.tmp" "$MDLC_CACHE/debian/base-version"

if [ -f "$REPO/.mdlc-base-ok" ] && git -C "$REPO" rev-parse -q --verify refs/tags/mdlc-base >/dev/null; then
	msg "base: $BASE_LABEL ($(git -C "$REPO" rev-parse --short=12 mdlc-base), cached)"
	exit 0
fi

# Extract into a temporary directory and move it into place only when the
# commit is made, so an interrupted run never leaves a half-made tree.
rm -rf "$TREES"
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

msg "making the base commit (Linux $kver, Debian $version)"
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
		git commit -q -m "Linux $kver (Debian $BASE_PKG $version)" \
		-m "Imported from the Debian package ${BASE_PKG}_$version by the md lifecycle harness." \
		-m "The only change to the package's tree is in .gitignore: Debian's packaging rule that ignores every top-level path is dropped, and upstream's exceptions for tracked dot-files (!.gitignore, !.kunitconfig, ...) are restored, so that new files can be added."
	git tag mdlc-base
	touch .git/info/exclude
	echo '/.mdlc-base-ok' >>.git/info/exclude
)
mkdir -p "$TREES"
mv "$src" "$REPO"
touch "$REPO/.mdlc-base-ok"
msg "base: $BASE_LABEL ($(git -C "$REPO" rev-parse --short=12 mdlc-base))"
