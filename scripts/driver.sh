#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# driver.sh [-n] [-u STAGE] LINE KIND MODE [BOOTDIR]
# The one place that knows the order of the stages, as rcutorture's kvm.sh
# does:
#
#   base -> tree -> build -> selftests -> initramfs -> boot -> collect
#
#   base       scripts/base.sh LINE: the line's base kernel as a git tree
#   tree       scripts/tree.sh LINE: the work tree, base + the line's series
#   build      scripts/build.sh SRC OUT LOCK FRAGMENTS: the kernel of KIND,
#              from the base tree (base) or the work tree (patched); the
#              base's build reads nothing but the base commit
#   selftests  scripts/selftests.sh WORK_TREE OUT LOCK: the series' md
#              selftests, run on both kernels of the line
#   initramfs  scripts/initramfs.sh CPIO KERNEL_OUT KSELFTESTS MODE ...
#   boot       scripts/run-qemu.sh BZIMAGE CPIO BOOTDIR
#   collect    scripts/collect.sh BOOTDIR LABEL: BOOTDIR/results.ktap
#
# KIND: base (the line's unpatched base) or patched; MDLC_DEBUG=1 builds the
# debug flavour, MDLC_XCONFIG=NAME adds configs/x-NAME.config (a flavour of its
# own, e.g. kobj: delayed kobject release).  MODE: kselftest, tests (MDLC_FILES' executables), demo, script
# (SCRIPT, MDLC_FILES), shell, or none (stop after the selftests stage).
# -n prints the stages and their concrete inputs without running them;
# -u STAGE stops after STAGE; -b starts at the initramfs stage, for a
# caller that has run the stages before it for this kernel (check.sh,
# which boots while it builds the next kernel: the build stages hold the
# work tree's lock, a boot only reads their outputs).  BOOTDIR defaults to
# a new directory under results/.  MDLC_STAGE_LOG, if set, is a file that
# gets one line per stage run: "LABEL STAGE SECONDS".  Exit status: the
# guest's (script mode), 1 when a collected result failed, the failing
# stage's otherwise.
set -eu
. "$(dirname "$0")/lib.sh"

dry=0 until= from=
while [ $# -gt 0 ]; do
	case $1 in
	-n) dry=1; shift ;;
	-u) until=$2; shift 2 ;;
	-b) from=initramfs; shift ;;
	*) break ;;
	esac
done
[ $# -ge 3 ] || die "usage: driver.sh [-n] [-u STAGE] [-b] LINE KIND MODE [BOOTDIR]"
line=$1 kind=$2 mode=$3 boot=${4:-}
case $kind in base|patched) ;; *) die "KIND must be base or patched, not '$kind'" ;; esac
case $mode in kselftest|tests|demo|script|shell|none) ;; *) die "unknown MODE '$mode'" ;; esac
case $until in ""|base|tree|build|selftests|initramfs|boot|collect) ;; *) die "unknown stage '$until'" ;; esac
[ "$mode" = none ] && [ -z "$until" ] && until=selftests
load_line "$line"
label=$MDLC_LINE-$kind
[ "${MDLC_DEBUG:-0}" = 1 ] && label=$label-debug
[ -n "${MDLC_XCONFIG:-}" ] && label=$label-$MDLC_XCONFIG
# Another mdadm than the line's: its results must not pass for the line's.
[ -n "${MDLC_MDADM:-}" ] && [ "$MDLC_MDADM" != "$LINE_MDADM" ] && label=$label-mdadm$MDLC_MDADM
given_boot=${boot:+$(basename "$boot")}
[ -n "$boot" ] || boot=$RESULTS/$(date +%Y%m%d-%H%M%S)-$mode-$label
S=$TOP/scripts

# The inputs of each stage, as far as they are known before it runs.
frags=$LINE_CONFIGS
[ "${MDLC_DEBUG:-0}" = 1 ] && frags="$frags $TOP/configs/debug.config"
if [ -n "${MDLC_XCONFIG:-}" ]; then
	[ -f "$TOP/configs/x-$MDLC_XCONFIG.config" ] ||
		die "MDLC_XCONFIG=$MDLC_XCONFIG: no configs/x-$MDLC_XCONFIG.config (there are: $(cd "$TOP/configs" && ls x-*.config 2>/dev/null | sed 's/^x-//; s/\.config$//' | tr '\n' ' '))"
	frags="$frags $TOP/configs/x-$MDLC_XCONFIG.config"
fi
case $kind in
base) src=$BASE_TREE lockf=$LOCKS/base-tree ;;
patched) src=$WORK_TREE lockf=$WORK_LOCK ;;
esac
kout=$(kernel_out "$kind")

stage_no=0 stage_name= skipping=0
[ -n "$from" ] && skipping=1
# stage NAME DESCRIPTION: announce (or, dry, print) a stage; false when the
# previous stage was the last one asked for, or when -b skips it.
stage() {
	stage_no=$((stage_no + 1))
	stage_name=$1
	[ "${done_until:-0}" = 0 ] || return 1
	[ "$from" = "$1" ] && skipping=0
	if [ "$skipping" = 1 ]; then
		[ "$dry" = 1 ] && printf '%d %-9s %s\n' "$stage_no" "$1" "(skipped: -b, made by the caller)"
		return 1
	fi
	if [ "$dry" = 1 ]; then
		printf '%d %-9s %s\n' "$stage_no" "$1" "$2"
	else
		msg "stage $stage_no/7 $1: $2"
	fi
	[ "$until" = "$1" ] && done_until=1
	return 0
}
# stage_time SECONDS: record the current stage's time, under the name of
# the boot directory the caller gave (check.sh's labels), or the label.
stage_time() {
	[ -n "${MDLC_STAGE_LOG:-}" ] || return 0
	echo "${given_boot:-$label} $stage_name $1" >>"$MDLC_STAGE_LOG"
}
run() {
	[ "$dry" = 1 ] && return 0
	_t0=$(date +%s)
	_rc=0
	"$@" || _rc=$?
	stage_time $(($(date +%s) - _t0))
	return $_rc
}

if [ "$dry" = 1 ]; then
	printf 'line %s (%s), kernel %s%s, mode %s%s\n' "$MDLC_LINE" \
		"${MDLC_KSRC:+MDLC_KSRC }$BASE_LABEL" "$kind" "$([ "${MDLC_DEBUG:-0}" = 1 ] && echo ' debug')" "$mode" \
		"${MDLC_TESTS:+, MDLC_TESTS=$MDLC_TESTS}"
fi
commit=${BASE_COMMIT:-"(made by the base stage: not fetched yet)"}
stage base "scripts/base.sh $MDLC_LINE: $LINE_PKG ${MDLC_BASE_VERSION:-} from $LINE_SUITE (fallback $LINE_FALLBACK) -> $REPO, base commit $commit" &&
	run "$S/base.sh" "$MDLC_LINE"
[ "$dry" = 1 ] || load_line "$MDLC_LINE" need_base
npatch=$(series_patches | wc -l)
series_state="$npatch patches"
[ -d "$LINE_SERIES" ] || series_state="MISSING: no such directory"
stage tree "scripts/tree.sh $MDLC_LINE: ${LINE_SERIES#"$TOP"/} ($series_state) on ${BASE_COMMIT:-the base commit} -> $WORK_TREE" &&
	run "$S/tree.sh" "$MDLC_LINE"
allow=0
[ "$kind" = base ] && allow=1
# shellcheck disable=SC2086
stage build "scripts/build.sh $src $kout $lockf $(echo $frags | sed "s|$TOP/||g")" && {
	# What the selftests need must be in the kernel (config.sh checks it).
	needs=$WORK_TREE/tools/testing/selftests/md/config
	[ -f "$needs" ] || needs=
	run env ALLOW_UNKNOWN=$allow NEEDS="$needs" "$S/build.sh" "$src" "$kout" "$lockf" $frags
}
stage selftests "scripts/selftests.sh $WORK_TREE $KST_OUT $WORK_LOCK" &&
	run "$S/selftests.sh" "$WORK_TREE" "$KST_OUT" "$WORK_LOCK"
[ "${done_until:-0}" = 1 ] && exit 0

cpio=$boot/initramfs.cpio
# The guest's user space: Debian's udevd and rules, the line's mdadm (MDLC_MDADM=
# overrides it) and that mdadm's tests/, as a root overlay.
mdadm=${MDLC_MDADM:-$LINE_MDADM}
overlay=$MDLC_CACHE/userspace/overlay-$mdadm
stage initramfs "scripts/userspace.sh $MDLC_CACHE/userspace $overlay --mdadm $mdadm; scripts/initramfs.sh $cpio $kout $KST_OUT/install $mode${MDLC_SCRIPT:+ $MDLC_SCRIPT}${MDLC_FILES:+ $MDLC_FILES} (USERSPACE=$overlay)" && {
	if [ "$dry" = 0 ]; then
		[ -f "$kout/arch/x86/boot/bzImage" ] ||
			die "no kernel in $kout: build it first (-b boots what an earlier stage built)"
		t0=$(date +%s)
		mkdir -p "$boot"
		cp "$kout/build.log" "$boot/build.log"
		{
			echo "label: $label"
			echo "line: $MDLC_LINE"
			echo "kind: $kind"
			echo "debug: ${MDLC_DEBUG:-0}"
			echo "mode: $mode"
			echo "tests filter: ${MDLC_TESTS:-}${MDLC_KSELFTEST_ARGS:+ MDLC_KSELFTEST_ARGS=$MDLC_KSELFTEST_ARGS}"
			echo "base: $BASE_LABEL"
			echo "base commit: $BASE_COMMIT"
			echo "kernel: $(cat "$kout/kernelrelease") ($label)"
			echo "series: ${LINE_SERIES#"$TOP"/}, $npatch patches$([ "$kind" = base ] && echo ' (not applied: the base)')"
			echo "work tree: $(git -C "$WORK_TREE" rev-parse --short=12 HEAD)"
			echo "harness commit: $(git -C "$TOP" rev-parse --short=12 HEAD 2>/dev/null || echo none)$(git -C "$TOP" diff --quiet HEAD 2>/dev/null || echo ' (modified)')"
			echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		} >"$boot/info.txt"
		# The overlay is rebuilt in place: hold it until it is copied.
		(
			hold_lock 7 "$MDLC_CACHE/locks/userspace" "the user space cache $MDLC_CACHE/userspace"
			"$S/userspace.sh" "$MDLC_CACHE/userspace" "$overlay" --mdadm "$mdadm" >"$boot/userspace"
			USERSPACE=$overlay "$S/initramfs.sh" "$cpio" "$kout" "$KST_OUT/install" \
				"$mode" "${MDLC_SCRIPT:-}" "${MDLC_FILES:-}"
		)
		echo "user space: $(cat "$boot/userspace")" >>"$boot/info.txt"
		rm -f "$boot/userspace"
		[ -f "$cpio.tests" ] && mv "$cpio.tests" "$boot/tests"
		stage_time $(($(date +%s) - t0))
	fi
}
[ "${MDLC_DEBUG:-0}" = 1 ] && : "${MDLC_MEM:=4096}"
export MDLC_MEM
stage boot "scripts/run-qemu.sh $kout/arch/x86/boot/bzImage $cpio $boot" || exit 0
if [ "$dry" = 1 ]; then
	stage collect "scripts/collect.sh $boot $label"
	exit 0
fi
if [ "$mode" = shell ]; then
	MDLC_INTERACTIVE=1 exec "$S/run-qemu.sh" "$kout/arch/x86/boot/bzImage" "$cpio" "$boot"
fi
grc=0
t0=$(date +%s)
"$S/run-qemu.sh" "$kout/arch/x86/boot/bzImage" "$cpio" "$boot" || grc=$?
stage_time $(($(date +%s) - t0))
rm -f "$cpio" "$cpio.list"
echo "guest seconds: $(cat "$boot/guest-seconds" 2>/dev/null)" >>"$boot/info.txt"
stage collect "scripts/collect.sh $boot $label" || exit 0

case $mode in
kselftest|tests)
	rc=0
	"$S/collect.sh" "$boot" "$label" || rc=1
	[ "${MDLC_QUIET:-0}" = 1 ] || {
		cat "$boot/results.flat"
		echo "$label: $(cat "$boot/summary") ($boot/results.ktap)"
	}
	exit $rc
	;;
esac
# demo and script: their output was shown live; report their status, and
# fail on any kernel report in the console.
sed 's/\r$//' "$boot/results.log" >"$boot/results.txt"
awk -f "$S/scan-console.awk" "$boot/console.log" >"$boot/reports"
[ "$grc" = 0 ] || exit "$grc"
status=$(sed -n 's/^MDLC-EXIT \([0-9]*\).*/\1/p' "$boot/results.txt" | tail -n 1)
[ -n "$status" ] || exit 1
msg "the guest's $mode exited with status $status"
if [ -s "$boot/reports" ]; then
	while read -r cat n id first; do
		msg "kernel report in the console: $cat: $n, first: $first"
	done <"$boot/reports"
	[ "$status" = 0 ] && status=1
fi
exit "$status"
