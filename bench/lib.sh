# SPDX-License-Identifier: GPL-2.0
# Sourced by the bench/ scripts: a measurement runs one guest script on the
# unpatched base and on the patched kernel, one after the other, in one
# invocation, and keeps both logs.

top=$(cd "$(dirname "$0")/.." && pwd)

# bench_dir NAME: make and print results/bench-NAME-<date>.
bench_dir() {
	_d=$top/results/bench-$1-$(date +%Y%m%d-%H%M%S)
	mkdir -p "$_d"
	echo "$_d"
}

# bench_boot OUT SCRIPT PATTERN: boot the base, then the patched kernel of
# the line (KINDS="patched": only that one; the caller's environment:
# LINE=, XCONFIG=, ...), run SCRIPT in
# each (logs OUT/base.log, OUT/patched.log; a failed boot still leaves its
# log), and print the lines of each log that match the grep PATTERN,
# prefixed with the kernel, also into OUT/summary.
bench_boot() {
	for _kind in ${KINDS:-base patched}; do
		_b=0
		[ $_kind = base ] && _b=1
		BASE=$_b "$top/scripts/vm-run.sh" "$2" >"$1/$_kind.log" 2>&1 || true
		grep "$3" "$1/$_kind.log" | sed "s/^[# ]*/$_kind: /"
	done | tee "$1/summary"
}
