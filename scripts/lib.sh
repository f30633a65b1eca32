# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers for the md lifecycle harness (POSIX sh).
# Sourced by every script in scripts/.

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${MDLC_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/md-lifecycle}"
: "${BASE_PKG:=linux-source-6.12}"
: "${BASE_VERSION:=6.12.117-1~deb12u1}"
: "${RESULTS:=$TOP/results}"
: "${JOBS:=$(nproc)}"
export MDLC_CACHE

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { printf '%s: error: %s\n' "${0##*/}" "$*" >&2; exit 1; }
note() { printf '%s: note: %s\n' "${0##*/}" "$*" >&2; }

# Print the last lines of a log file after a failure.
tail_log() {
	printf '%s: ---- last %s lines of %s ----\n' "${0##*/}" "${2:-40}" "$1" >&2
	tail -n "${2:-40}" "$1" >&2
	printf '%s: ---- end of %s ----\n' "${0##*/}" "$1" >&2
}

need() {
	for _t; do
		command -v "$_t" >/dev/null 2>&1 ||
			die "'$_t' is missing: run 'make deps' (or: apt-get install $(pkg_of "$_t"))"
	done
}

pkg_of() {
	case $1 in
	qemu-system-x86_64) echo qemu-system-x86 ;;
	busybox) echo busybox-static ;;
	depmod|modprobe) echo kmod ;;
	dpkg-deb) echo dpkg ;;
	*) echo "$1" ;;
	esac
}

# Where the kernel trees live.  With KSRC the user's repository is used
# through worktrees of ours; otherwise a git repository made from the
# Debian source package.
tree_layout() {
	if [ -n "${KSRC:-}" ]; then
		[ -d "$KSRC" ] || die "KSRC=$KSRC: no such directory"
		git -C "$KSRC" rev-parse --git-dir >/dev/null 2>&1 ||
			die "KSRC=$KSRC is not a git tree (the harness needs git to apply the series)"
		[ -f "$KSRC/Makefile" ] && [ -d "$KSRC/drivers/md" ] ||
			die "KSRC=$KSRC does not look like a Linux source tree (no Makefile or drivers/md)"
		BASE_COMMIT=$(git -C "$KSRC" rev-parse --verify "${KSRC_BASE:-HEAD}^{commit}" 2>/dev/null) ||
			die "KSRC=$KSRC: cannot resolve ${KSRC_BASE:-HEAD} to a commit"
		REPO=$(cd "$KSRC" && pwd)
		TREES=$MDLC_CACHE/ksrc/$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)-$(printf '%.12s' "$BASE_COMMIT")
		BASE_TREE=$TREES/base
		BASE_LABEL="KSRC=$REPO at $(printf '%.12s' "$BASE_COMMIT")"
	else
		TREES=$MDLC_CACHE/debian/$BASE_VERSION
		REPO=$TREES/linux
		BASE_TREE=$REPO
		BASE_LABEL="Debian $BASE_PKG $BASE_VERSION"
	fi
	WORK_TREE=${WORK_TREE:-$TREES/work}
	# One branch per work tree: a second one (WORK_TREE=...) gets its own.
	WORK_BRANCH=mdlc-series
	[ "$WORK_TREE" = "$TREES/work" ] || WORK_BRANCH=mdlc-series-$(basename "$WORK_TREE")
	SCRATCH_TREE=$TREES/scratch
	OUT_ROOT=$TREES/out
	# The selftests are built from a work tree, into that work tree: two
	# work trees can build at the same time.
	KST_OUT=$WORK_TREE/.mdlc-out-kselftest
}

# kernel_out patched|base: the build directory of that kernel.  It is a
# direct subdirectory of its source tree, so kbuild uses a relative srctree
# ("..") and the base and patched builds share their ccache entries.
kernel_out() {
	_flavour=$1
	[ "${DEBUG:-0}" = 1 ] && _flavour=$1-debug
	case $1 in
	base) echo "$BASE_TREE/.mdlc-out-$_flavour" ;;
	*) echo "$WORK_TREE/.mdlc-out-$_flavour" ;;
	esac
}

# The version actually used may differ from the pinned one (fallback);
# base.sh records it here.
load_base_version() {
	_f=$MDLC_CACHE/debian/base-version
	if [ -z "${KSRC:-}" ]; then
		[ -f "$_f" ] || die "no base yet: run 'make base' first"
		BASE_VERSION=$(cat "$_f")
	fi
	tree_layout
}
