#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/clear-profile.sh [ARRAYS] [TRACED]: where a serial "clear" spends
# its time (the G5 cost).  Boots the line's kernel (MDLC_BASE=1: the unpatched
# base; MDLC_XCONFIG=trace is forced: it needs the function graph tracer), and
# in the guest, for each value of legacy_async_del_gendisk the kernel has
# (none on 6.12): creates ARRAYS named arrays through new_array (default
# 500), clears them one after another and prints the time per clear; then
# creates TRACED more (default 100) and clears them under the function
# graph tracer, graphing del_gendisk(), mddev_delayed_delete() and
# array_state_store() two calls deep (GRAPH="f ...", DEPTH=n override
# both), and prints the total and mean time of each callee over the
# traced clears.  MDLC_KINDS="base patched" (default) picks the kernels.
set -eu
. "$(dirname "$0")/lib.sh"
arrays=${1:-500} traced=${2:-100}
graph=${GRAPH:-del_gendisk mddev_delayed_delete array_state_store}
depth=${DEPTH:-2}
case $arrays$traced in
*[!0-9]*) echo "usage: $0 [ARRAYS] [TRACED]" >&2; exit 2 ;;
esac
out=$(bench_dir clear-profile)
bench_md_mod profile >"$out/profile.sh"
cat >>"$out/profile.sh" <<EOS
T=/sys/kernel/tracing
[ -d \$T/options ] || mount -t tracefs nodev \$T
create() { # PREFIX COUNT
	i=0
	while [ \$i -lt \$2 ]; do
		echo \$1\$i >\$P/new_array || return 1
		i=\$((i + 1))
	done
}
clear_all() { # PREFIX COUNT
	i=0
	while [ \$i -lt \$2 ]; do
		echo clear >/sys/block/\$1\$i/md/array_state || return 1
		i=\$((i + 1))
	done
}
left() { ls /sys/block | grep -c "^\$1" || true; }
modes=none
[ -e \$P/legacy_async_del_gendisk ] && modes="Y N"
for mode in \$modes; do
	[ \$mode = none ] || echo \$mode >\$P/legacy_async_del_gendisk
	p=md_c\$mode
	t0=\$(now); create \$p $arrays; t1=\$(now)
	clear_all \$p $arrays; t2=\$(now)
	udevadm settle 2>/dev/null || true
	sleep 1
	echo "profile: mode=\$mode create $arrays in \$((t1 - t0)) ms, clear $arrays in \$((t2 - t1)) ms (\$(( (t2 - t1) * 1000 / $arrays )) us each), \$(left \$p) left"
	p=md_t\$mode
	create \$p $traced
	echo 0 >\$T/tracing_on
	echo function_graph >\$T/current_tracer
	echo funcgraph-tail >\$T/trace_options
	echo $depth >\$T/max_graph_depth
	: >\$T/set_graph_function
	for f in $graph; do
		echo \$f >>\$T/set_graph_function 2>/dev/null || true
	done
	echo 16384 >\$T/buffer_size_kb
	: >\$T/trace
	echo 1 >\$T/tracing_on
	clear_all \$p $traced
	sleep 2
	echo 0 >\$T/tracing_on
	# "  1) ! 123.456 us  |  } /* bdi_unregister */" or a leaf "foo();"
	awk -v mode=\$mode -v n=$traced '
		/ us +\|/ {
			line = \$0; sub(/^.*\| */, "", line)
			d = \$0; sub(/ us +\|.*/, "", d); sub(/^.*[ !#@*+\$]/, "", d)
			if (line ~ /^} \/\* /) { f = line; sub(/^} \/\* /, "", f); sub(/ \*\/.*/, "", f) }
			else if (line ~ /\(\);/) { f = line; sub(/\(\);.*/, "", f) }
			else next
			tot[f] += d; cnt[f]++
		}
		END {
			for (f in tot)
				printf "profile: mode=%s %9.1f us/clear %-34s %6d calls\n", mode, tot[f] / n, f, cnt[f]
		}' \$T/trace | sort -k3 -rn | head -40
	echo nop >\$T/current_tracer
done
exit 0
EOS
export MDLC_XCONFIG=trace
bench_boot "$out" "$out/profile.sh" 'profile: '
echo "logs: $out"
