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

# bench_md_mod NAME: print the start of a guest script: load md_mod, stop
# with NAME's message if it has no new_array, and now() (milliseconds of
# uptime).  P is md_mod's parameter directory.
bench_md_mod() {
	cat <<EOS
P=/sys/module/md_mod/parameters
modprobe md_mod 2>/dev/null || true
if [ ! -w \$P/new_array ]; then
	echo "$1: no \$P/new_array: md_mod is not loaded"
	exit 1
fi
now() { awk '{ printf "%d\\n", \$1 * 1000 }' /proc/uptime; }
EOS
}

# bench_boot OUT SCRIPT PATTERN: boot the base, then the patched kernel of
# the line (MDLC_KINDS="patched": only that one; the caller's environment:
# MDLC_LINE=, MDLC_XCONFIG=, ...), run SCRIPT in
# each (logs OUT/base.log, OUT/patched.log; a failed boot still leaves its
# log), and print the lines of each log that match the grep PATTERN,
# prefixed with the kernel, also into OUT/summary.
bench_boot() {
	for _kind in ${MDLC_KINDS:-base patched}; do
		_b=0
		[ $_kind = base ] && _b=1
		MDLC_BASE=$_b "$top/scripts/vm-run.sh" "$2" >"$1/$_kind.log" 2>&1 || true
		grep "$3" "$1/$_kind.log" | sed "s/^[# ]*/$_kind: /"
	done | tee "$1/summary"
}
