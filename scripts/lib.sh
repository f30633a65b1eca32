# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers for the md lifecycle harness (POSIX sh).
# Sourced by every script in scripts/.

TOP=$(cd "$(dirname "$0")/.." && pwd)
: "${MDLC_CACHE:=${XDG_CACHE_HOME:-$HOME/.cache}/md-lifecycle}"
: "${RESULTS:=$TOP/results}"
: "${MDLC_JOBS:=$(nproc)}"
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
	dpkg-deb|dpkg-source) echo dpkg-dev ;;
	flock|setpriv) echo util-linux ;;
	*) echo "$1" ;;
	esac
}

# ---------------------------------------------------------------------
# Kernel lines (the table in $TOP/lines).

LINES_FILE=$TOP/lines

# All lines, or only the checked ones (line_names checked).
line_names() {
	awk -v only="${1:-}" '!/^#/ && NF >= 9 && (only == "" || $2 == "yes" || $2 == "normal") { print $1 }' "$LINES_FILE"
}

# The line to use when none is given: the first checked one.
default_line() {
	line_names checked | head -n 1
}

# line_load LINE: set LINE_* from the table, or fail listing the known ones.
line_load() {
	_row=$(awk -v l="$1" '!/^#/ && NF >= 9 && $1 == l' "$LINES_FILE")
	[ -n "$_row" ] ||
		die "unknown line '$1': the known lines are $(line_names | tr '\n' ' ')(see $LINES_FILE)"
	# shellcheck disable=SC2086
	set -- $_row
	MDLC_LINE=$1 LINE_CHECKED=$2 LINE_PKG=$3 LINE_VERSION=$4 LINE_SUITE=$5
	LINE_FALLBACK=$6 LINE_SERIES=$TOP/$7 LINE_MDADM=$9
	LINE_CONFIGS=
	for _f in $(printf '%s\n' "$8" | tr ',' ' '); do
		LINE_CONFIGS="$LINE_CONFIGS $TOP/configs/$_f"
	done
	LINE_CONFIGS=${LINE_CONFIGS# }
}

# The series of the current line: its patch files, in order.
series_patches() {
	ls "$LINE_SERIES"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null |
		grep -v '/0000-cover-letter.patch$' || true
}

need_series() {
	[ -d "$LINE_SERIES" ] ||
		die "line $MDLC_LINE has no series directory ${LINE_SERIES#"$TOP"/} (make one with 'make export MDLC_LINE=$MDLC_LINE', or add it)"
}

# ---------------------------------------------------------------------
# Where the trees of a line live.  With MDLC_KSRC the user's repository is used
# through worktrees of ours; otherwise a git repository made from the
# Debian source package.  Needs line_load first.
tree_layout() {
	if [ -n "${MDLC_KSRC:-}" ]; then
		[ -d "$MDLC_KSRC" ] || die "MDLC_KSRC=$MDLC_KSRC: no such directory"
		git -C "$MDLC_KSRC" rev-parse --git-dir >/dev/null 2>&1 ||
			die "MDLC_KSRC=$MDLC_KSRC is not a git tree (the harness needs git to apply the series)"
		[ -f "$MDLC_KSRC/Makefile" ] && [ -d "$MDLC_KSRC/drivers/md" ] ||
			die "MDLC_KSRC=$MDLC_KSRC does not look like a Linux source tree (no Makefile or drivers/md)"
		BASE_COMMIT=$(git -C "$MDLC_KSRC" rev-parse --verify "${MDLC_KSRC_BASE:-HEAD}^{commit}" 2>/dev/null) ||
			die "MDLC_KSRC=$MDLC_KSRC: cannot resolve ${MDLC_KSRC_BASE:-HEAD} to a commit"
		REPO=$(cd "$MDLC_KSRC" && pwd)
		TREES=$MDLC_CACHE/ksrc/$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)-$(printf '%.12s' "$BASE_COMMIT")-$MDLC_LINE
		BASE_TREE=$TREES/base
		BASE_LABEL="MDLC_KSRC=$REPO at $(printf '%.12s' "$BASE_COMMIT")"
	else
		TREES=$MDLC_CACHE/debian/$MDLC_BASE_VERSION
		REPO=$TREES/linux
		BASE_TREE=$REPO
		BASE_LABEL="Debian $LINE_PKG $MDLC_BASE_VERSION"
		BASE_COMMIT=$(git -C "$REPO" rev-parse -q --verify 'refs/tags/mdlc-base^{commit}' 2>/dev/null || true)
	fi
	WORK_TREE=${WORK_TREE:-$TREES/work}
	# One branch per work tree: a second one (WORK_TREE=...) gets its own.
	WORK_BRANCH=mdlc-series
	[ "$WORK_TREE" = "$TREES/work" ] || WORK_BRANCH=mdlc-series-$(basename "$WORK_TREE")
	SCRATCH_TREE=$TREES/scratch
	OUT_ROOT=$TREES/out
	# The selftests are built from the work tree, into that work tree.
	KST_OUT=$WORK_TREE/.mdlc-out-kselftest
	# Outside TREES: a lock must outlive a tree that is made anew.
	LOCKS=$MDLC_CACHE/locks/${TREES#"$MDLC_CACHE"/}
	# One lock per work tree (WORK_TREE= may name a second one).
	WORK_LOCK=$LOCKS/$(basename "$WORK_TREE")
}

# kernel_out base|patched: the build directory of that kernel.  It is a
# direct subdirectory of its source tree, so kbuild uses a relative srctree
# ("..") and the base and patched builds share their ccache entries.
kernel_out() {
	_flavour=$1
	[ "${MDLC_DEBUG:-0}" = 1 ] && _flavour=$1-debug
	# MDLC_XCONFIG=NAME: configs/x-NAME.config on top, a build of its own.
	[ -n "${MDLC_XCONFIG:-}" ] && _flavour=$_flavour-$MDLC_XCONFIG
	case $1 in
	base) echo "$BASE_TREE/.mdlc-out-$_flavour" ;;
	*) echo "$WORK_TREE/.mdlc-out-$_flavour" ;;
	esac
}

# The file where base.sh records the version actually used (it may differ
# from the pinned one after a fallback).
base_version_file() {
	echo "$MDLC_CACHE/debian/base-version.$MDLC_LINE"
}

# load_line LINE: line_load, the version in use, tree_layout.  With
# need_base, fail when the base has not been fetched yet.
load_line() {
	line_load "$1"
	if [ -z "${MDLC_KSRC:-}" ]; then
		if [ -n "${MDLC_BASE_VERSION:-}" ]; then
			:
		elif [ -f "$(base_version_file)" ]; then
			MDLC_BASE_VERSION=$(cat "$(base_version_file)")
		else
			MDLC_BASE_VERSION=$LINE_VERSION
		fi
	fi
	tree_layout
	if [ "${2:-}" = need_base ] && [ -z "$BASE_COMMIT" ]; then
		die "no base for line $MDLC_LINE yet: run 'make base MDLC_LINE=$MDLC_LINE' first"
	fi
}

# The line of this invocation: LINE, or the default one.
: "${MDLC_LINE:=}"

# ---------------------------------------------------------------------
# mdadm's own tests: guest/mdadm-tests.subset is the one list, with a
# column per mdadm version (check, long or -).
#   mdadm_subset VERSION WANT: the names WANT selects for mdadm VERSION:
#   all, check (marked check), long (check or long), none, or names
#   separated by commas.
mdadm_subset() {
	_sub=$TOP/guest/mdadm-tests.subset
	_col=$(awk -v v="$1" '/^# test / { for (i = 1; i <= NF; i++) if ($i == v) print i - 1 }' "$_sub")
	[ -n "$_col" ] || die "guest/mdadm-tests.subset has no column for mdadm $1"
	sed 's/#.*//' "$_sub" |
		awk -v c="$_col" -v want="$2" '
			BEGIN { gsub(/,/, " ", want) }
			NF == 0 { next }
			want == "all" || (want == "check" && $c == "check") { print $1; next }
			want == "long" && ($c == "check" || $c == "long") { print $1; next }
			want != "check" && want != "long" && want != "none" && index(" " want " ", " " $1 " ") { print $1 }'
}

# ---------------------------------------------------------------------
# Locks.  Two runs of the harness at once (a base-check in one terminal,
# a check in another) share the cache: each stage takes an exclusive lock
# on what it writes (a repository, a work tree, a build directory) for as
# long as it runs, and says what it waits for.
#   hold_lock FD FILE WHAT...
hold_lock() {
	_fd=$1 _lf=$2
	shift 2
	need flock
	mkdir -p "$(dirname "$_lf")"
	eval "exec $_fd>>\"\$_lf\""
	if ! flock -n "$_fd"; then
		msg "waiting for $* (held by $(cat "$_lf.who" 2>/dev/null || echo 'another run'))"
		flock "$_fd"
		msg "got $*"
	fi
	printf 'pid %s (%s), %s since %s\n' "$$" "${MDLC_RUN_WHAT:-${0##*/}}" "${0##*/}" \
		"$(date +%H:%M:%S)" >"$_lf.who"
}

# ---------------------------------------------------------------------
# The harness's one private apt configuration, for the kernel bases
# (scripts/base.sh) and the guest's user space (scripts/userspace.sh): its
# own sources list, package lists, dpkg status and archive cache under
# $MDLC_CACHE/apt.  The machine's apt sources, preferences and dpkg status
# are never read or changed.  The sources are every line's suite and the
# user space's (GUEST_SUITES), binaries and sources; "apt-get update" runs
# when the lists are missing, older than a day, or on request (apt_update
# force), one run at a time.
APT_DIR=$MDLC_CACHE/apt
APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
: "${MDLC_MIRROR:=http://deb.debian.org}"
# bookworm: udev 252, mdadm 4.2 and the tools; sid: mdadm 4.6 and the
# glibc it needs.
GUEST_SUITES="bookworm sid"
apt_opts() {
	echo "-o Dir::Etc::SourceList=$APT_DIR/sources.list -o Dir::Etc::SourceParts=/dev/null" \
		"-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null" \
		"-o Dir::State::Lists=$APT_DIR/lists -o Dir::State::status=$APT_DIR/status" \
		"-o Dir::Cache=$APT_DIR/cache -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=" \
		"-o Debug::NoLocking=1 -o APT::Architectures::=amd64" \
		"-o APT::Sandbox::User=root -o Acquire::Languages=none"
}

# The archive of a suite: "-security" suites are on debian-security.
suite_archive() {
	case $1 in
	*-security) echo "$MDLC_MIRROR/debian-security" ;;
	*) echo "$MDLC_MIRROR/debian" ;;
	esac
}

apt_sources() {
	{
		awk '!/^#/ && NF >= 9 { print $5 }' "$LINES_FILE"
		# shellcheck disable=SC2086
		printf '%s\n' $GUEST_SUITES
	} | sort -u | while read -r _s; do
		printf 'deb [signed-by=%s] %s %s main\n' "$APT_KEYRING" "$(suite_archive "$_s")" "$_s"
		printf 'deb-src [signed-by=%s] %s %s main\n' "$APT_KEYRING" "$(suite_archive "$_s")" "$_s"
	done
}

apt_update() (
	need apt-get
	[ -f "$APT_KEYRING" ] || die "$APT_KEYRING is missing: run 'make deps' (or: apt-get install debian-archive-keyring)"
	hold_lock 6 "$MDLC_CACHE/locks/apt" "the package lists in $APT_DIR"
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	[ -f "$APT_DIR/status" ] || : >"$APT_DIR/status"
	apt_sources >"$APT_DIR/sources.list.new"
	_stale=
	if ! cmp -s "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"; then
		_stale="its sources changed"
	elif [ "${1:-}" = force ]; then
		_stale="asked for"
	elif [ ! -f "$APT_DIR/updated" ]; then
		_stale="no package lists yet"
	elif [ -n "$(find "$APT_DIR/updated" -mmin +1440)" ]; then
		_stale="package lists older than a day"
	fi
	mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
	[ -n "$_stale" ] || exit 0
	msg "updating the harness's private package lists ($_stale): $(grep -c . "$APT_DIR/sources.list") sources"
	rm -f "$APT_DIR/updated"
	# shellcheck disable=SC2046
	if ! apt-get $(apt_opts) update >"$APT_DIR/update.log" 2>&1; then
		tail_log "$APT_DIR/update.log" 15
		die "apt-get update of the harness's sources ($APT_DIR/sources.list) failed: no access to $MDLC_MIRROR? (or use MDLC_KSRC=/path/to/linux for the kernel)"
	fi
	if grep -E '^(Err|W: Failed)' "$APT_DIR/update.log" >&2; then
		die "apt-get update could not reach every suite (above; $APT_DIR/update.log); for the kernel base, MDLC_KSRC=/path/to/linux avoids the archive"
	fi
	touch "$APT_DIR/updated"
)

# The pin-and-fallback rule of everything fetched from the archive: the
# pinned version when the archive has it (after one refresh of the lists),
# else the newest acceptable one, with this loud note on stderr and in the
# file $FALLBACK_NOTES (if set; userspace.sh's manifest).
fallback_note() {
	printf '%s: ************************************************************\n' "${0##*/}" >&2
	printf '%s: NOTE: %s\n' "${0##*/}" "$*" >&2
	printf '%s: ************************************************************\n' "${0##*/}" >&2
	[ -z "${FALLBACK_NOTES:-}" ] || printf 'NOTE: %s\n' "$*" >>"$FALLBACK_NOTES"
}

# apt_versions PACKAGE: every version the private lists know, newest first.
apt_versions() {
	# shellcheck disable=SC2046
	apt-cache $(apt_opts) madison "$1" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -u |
		while read -r _v; do echo "$_v"; done | sort -r -V
}
