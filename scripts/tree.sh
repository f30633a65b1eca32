#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tree.sh LINE [--check]
# Make the line's work tree: a git worktree of the base repository whose
# branch is the base commit plus the line's series (patches/<line>/),
# applied with git am.
#
# The series is first applied in a scratch worktree; the work tree is then
# moved to the result with a checkout, which rewrites only the files whose
# content changed, so a warm build recompiles only what the series touched.
#
# The work tree belongs to the developer.  If it holds commits or edits
# that patches/ does not (not exported), nothing is overwritten: the script
# fails and says what to do.  refs/worktree/mdlc-synced (a ref of each work
# tree of its own) records the last commit that
# was in sync with the series.
# --check only reports whether the work tree and the series agree.
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: tree.sh LINE [--check]"
mode=${2:-sync}
load_line "$1" need_base
need_series
need git
series() { series_patches; }
SERIES_NAME=${LINE_SERIES#"$TOP"/}
hold_lock 9 "$WORK_LOCK" "the work tree $WORK_TREE"

# Apply the series in the scratch worktree; print the resulting commit.
apply_series() {
	if [ ! -d "$SCRATCH_TREE" ]; then
		hold_lock 8 "$LOCKS/repo" "the repository $REPO"
		git -C "$REPO" worktree prune
		git -C "$REPO" worktree add -q --detach "$SCRATCH_TREE" "$BASE_COMMIT" >&2 ||
			die "cannot create the scratch worktree $SCRATCH_TREE"
	fi
	cd "$SCRATCH_TREE"
	git am --abort >/dev/null 2>&1 || true
	git reset -q --hard "$BASE_COMMIT"
	git clean -q -fd
	set -- $(series)
	if [ $# -gt 0 ]; then
		if ! git -c user.name="md lifecycle project" \
			-c user.email=md-lifecycle@users.noreply.invalid \
			am -q --committer-date-is-author-date "$@" >"$SCRATCH_TREE/../am.log" 2>&1; then
			failed=$(sed -n 's/^Patch failed at \(.*\)$/\1/p' "$SCRATCH_TREE/../am.log")
			msg "the series does not apply to $BASE_LABEL"
			[ -n "$failed" ] && msg "failing patch: $failed"
			sed -n -e 's/^error: patch failed: \(.*\)$/failing hunk at \1/p' \
				-e 's/^error: \(.*\): does not exist in index$/file missing in the base: \1/p' \
				-e 's/^error: \(.*\): patch does not apply$/patch does not apply to \1/p' \
				"$SCRATCH_TREE/../am.log" | sed "s/^/${0##*/}: /" >&2
			git am --abort >/dev/null 2>&1 || true
			git reset -q --hard "$BASE_COMMIT"
			die "git am failed (full output: $SCRATCH_TREE/../am.log)"
		fi
	fi
	git rev-parse HEAD
}

want=$(apply_series)
want_tree=$(git -C "$REPO" rev-parse "$want^{tree}")

if [ ! -d "$WORK_TREE" ]; then
	[ "$mode" = --check ] && die "no work tree yet: run 'make tree MDLC_LINE=$MDLC_LINE'"
	hold_lock 8 "$LOCKS/repo" "the repository $REPO"
	git -C "$REPO" worktree prune
	git -C "$REPO" worktree add -q -B "$WORK_BRANCH" "$WORK_TREE" "$want" ||
		die "cannot create the work tree $WORK_TREE"
	git -C "$WORK_TREE" update-ref refs/worktree/mdlc-synced "$want"
	git -C "$WORK_TREE" config user.name "md lifecycle project"
	git -C "$WORK_TREE" config user.email "md-lifecycle@users.noreply.invalid"
	msg "work tree: $WORK_TREE (branch $WORK_BRANCH, $SERIES_NAME: $(series | wc -l) patches on $BASE_LABEL)"
	exit 0
fi

cd "$WORK_TREE"
dirty=$(git status --porcelain --untracked-files=no)
head_tree=$(git rev-parse 'HEAD^{tree}')
synced=$(git rev-parse -q --verify refs/worktree/mdlc-synced || true)
synced_tree=
[ -n "$synced" ] && synced_tree=$(git rev-parse "$synced^{tree}")

if [ -z "$dirty" ] && [ "$head_tree" = "$want_tree" ]; then
	git update-ref refs/worktree/mdlc-synced HEAD
	[ "$mode" = --check ] && msg "work tree and $SERIES_NAME agree"
	exit 0
fi

unexported=
[ -n "$dirty" ] && unexported="uncommitted edits:
$dirty"
if [ "$head_tree" != "$synced_tree" ]; then
	unexported="${unexported:+$unexported
}commits not in $SERIES_NAME:
$(git log --oneline "${synced:-$BASE_COMMIT}..HEAD" 2>/dev/null | head -20)"
fi

if [ -n "$unexported" ] && [ "${MDLC_FORCE:-0}" = 1 ] && [ "$mode" != --check ]; then
	# Nothing is lost: keep the discarded state under a ref.
	keep=$(git stash create 2>/dev/null || true)
	keep=${keep:-$(git rev-parse HEAD)}
	git update-ref "refs/mdlc/discarded/$(date +%Y%m%d-%H%M%S)" "$keep"
	note "MDLC_FORCE=1: discarding the work tree's unexported work (kept as $keep, see 'git -C $WORK_TREE for-each-ref refs/mdlc/discarded')"
	git reset -q --hard
	unexported=
fi
if [ -n "$unexported" ]; then
	printf '%s: error: the work tree %s has work that %s does not:\n%s\n' \
		"${0##*/}" "$WORK_TREE" "$SERIES_NAME" "$unexported" >&2
	die "run 'make export MDLC_LINE=$MDLC_LINE' to save it into $SERIES_NAME, or 'make tree MDLC_LINE=$MDLC_LINE MDLC_FORCE=1' to discard it"
fi
if [ "$mode" = --check ]; then
	die "$SERIES_NAME changed since the work tree was made: run 'make tree MDLC_LINE=$MDLC_LINE' to update it"
fi
git checkout -q -B "$WORK_BRANCH" "$want"
git update-ref refs/worktree/mdlc-synced "$want"
msg "work tree updated to $SERIES_NAME ($(series | wc -l) patches on $BASE_LABEL)"
