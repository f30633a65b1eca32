#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/scale.sh [ARRAYS] [BLOCK]: the cost of creation and removal at
# scale (SPEC G5).  In one invocation, boots the 6.12 base (whose
# asynchronous deletion is the fastest today), the 6.12 series, the
# unpatched mainline base, the mainline reference and the mainline series
# (MDLC_KERNELS="line:kind ..." overrides the list), and in each guest,
# for each value of legacy_async_del_gendisk the kernel has (none on
# 6.12): creates ARRAYS named arrays through new_array one after another
# (default 3000), then clears them one after another ("clear" to
# md/array_state), printing the time of every BLOCK
# (default 500), and counts what is left in /sys/block and /dev once udev
# has settled.  udev settles between the creations and the clears, so that
# each phase is timed without the other's udev work.  A clear that returns
# before its array is gone (the asynchronous deletions) has not removed it
# yet, so the time until none of the arrays is left in /sys/block, from
# the first clear, is printed too ("gone"; it stops looking once nothing
# went for 5 s, as with legacy_async_del_gendisk=Y on the mainline base,
# which keeps them).  The summary's ratios are made from the totals of
# this one run.  The mainline reference ("mainline:ref") is the mainline
# base with bench/ref/mainline-async-del.patch (bench/ref-tree.sh): 6.12's
# asynchronous deletion on 7.3's generic code, whose =Y run tells the 7.3
# kernel's own cost of removal from the series' (each series' totals are
# also printed against its line's reference, "x ref").
set -eu
. "$(dirname "$0")/lib.sh"
arrays=${1:-3000} block=${2:-500}
case $arrays$block in
*[!0-9]*) echo "usage: $0 [ARRAYS] [BLOCK]" >&2; exit 2 ;;
esac
out=$(bench_dir scale)
bench_md_mod scale >"$out/scale.sh"
cat >>"$out/scale.sh" <<EOS
# run OP PREFIX MODE: create or clear ARRAYS arrays, a line per block
run() {
	i=0 t0=\$(now) tb=\$(now) fail=0
	while [ \$i -lt $arrays ]; do
		if [ \$1 = create ]; then
			echo \$2\$i >\$P/new_array 2>/dev/null || fail=\$((fail + 1))
		else
			echo clear >/sys/block/\$2\$i/md/array_state 2>/dev/null || fail=\$((fail + 1))
		fi
		i=\$((i + 1))
		if [ \$((i % $block)) = 0 ]; then
			t=\$(now)
			echo "scale: mode=\$3 \$1 block \$((i / $block)) (\$((i - $block))..\$((i - 1))): \$((t - tb)) ms"
			tb=\$t
		fi
	done
	echo "scale: mode=\$3 \$1 total $arrays in \$((\$(now) - t0)) ms, \$fail failed"
}
# gone PREFIX T0 MODE: poll until no PREFIX device is left in /sys/block
# (a measurement, not a test: polling is what a user's script would do)
gone() {
	# The last array's deletion is queued last: wait for it cheaply first
	# (for at most 5 s: the counting below sees whether any still go).
	tl=\$(now)
	while [ -e /sys/block/\$1\$(($arrays - 1)) ] &&
	      [ \$((\$(now) - tl)) -lt 5000 ]; do
		sleep 0.01
	done
	last=-1 tl=\$(now)
	while :; do
		n=\$(ls /sys/block | grep -c "^\$1" || true) t=\$(now)
		[ \$n = 0 ] && break
		if [ \$n != \$last ]; then
			last=\$n tl=\$t
		elif [ \$((t - tl)) -ge 5000 ]; then
			t=\$tl
			break
		fi
		sleep 0.01
	done
	echo "scale: mode=\$3 gone total $arrays in \$((t - \$2)) ms, \$n left"
}
modes=none
[ -e \$P/legacy_async_del_gendisk ] && modes="Y N"
for mode in \$modes; do
	[ \$mode = none ] || echo \$mode >\$P/legacy_async_del_gendisk
	p=md_s\${mode}_
	run create \$p \$mode
	# udevd handles the events of every new array: let it finish (timed),
	# so that the clears do not share the CPUs with that work.
	ts=\$(now)
	udevadm settle --timeout=900 2>/dev/null || true
	echo "scale: mode=\$mode settle after create: \$((\$(now) - ts)) ms"
	tc=\$(now)
	run clear \$p \$mode
	gone \$p \$tc \$mode
	udevadm settle 2>/dev/null || true
	echo "scale: mode=\$mode left: \$(ls /sys/block | grep -c "^\$p" || true) in /sys/block, \$(ls /dev | grep -c "^\$p" || true) in /dev"
done
exit 0
EOS
: "${MDLC_KERNELS:=6.12:base 6.12:patched mainline:base mainline:ref mainline:patched}"
for k in $MDLC_KERNELS; do
	l=${k%%:*} kind=${k#*:}
	b=0 ks=${MDLC_KSRC:-} kb=${MDLC_KSRC_BASE:-}
	[ "$kind" = base ] && b=1
	if [ "$kind" = ref ]; then
		b=1 kb=HEAD
		ks=$(MDLC_KSRC= "$top/bench/ref-tree.sh" "$l") || {
			echo "$l-ref: scale: no reference tree (bench/ref-tree.sh $l failed)"
			continue
		}
	fi
	MDLC_KSRC=$ks MDLC_KSRC_BASE=$kb MDLC_LINE=$l MDLC_BASE=$b \
		"$top/scripts/vm-run.sh" "$out/scale.sh" >"$out/$l-$kind.log" 2>&1 || true
	grep 'scale: ' "$out/$l-$kind.log" | sed "s/^[# ]*/$l-$kind: /"
done | tee "$out/summary"
# Totals side by side, and each against the 6.12 base's.
awk '
	/ total / {
		k = $1; sub(/:$/, "", k); m = $3; sub(/^mode=/, "", m); op = $4
		key = k " mode=" m
		if (!(key in seen)) { seen[key] = 1; order[n++] = key }
		t[key, op] = $8
		if (op == "gone") left[key] = $10
		if (k == "6.12-base") ref[op] = $8
		# the reference of line L: L-ref, asynchronous (=Y)
		if (k ~ /-ref$/ && m == "Y") {
			l = k; sub(/-ref$/, "", l); lref[l, op] = $8
		}
	}
	END {
		for (i = 0; i < n; i++) {
			key = order[i]
			printf "scale: %-28s create %7d ms", key, t[key, "create"]
			if (ref["create"]) printf " (%.2fx)", t[key, "create"] / ref["create"]
			printf ", clear %7d ms", t[key, "clear"]
			if (ref["clear"]) printf " (%.2fx)", t[key, "clear"] / ref["clear"]
			if (left[key])
				printf ", all gone   never (%d left)", left[key]
			else {
				printf ", all gone %7d ms", t[key, "gone"]
				if (ref["gone"]) printf " (%.2fx)", t[key, "gone"] / ref["gone"]
			}
			l = key; sub(/-patched mode=.*/, "", l)
			if (key ~ /-patched / && lref[l, "clear"] && lref[l, "gone"])
				printf "; %.2fx ref clear, %.2fx ref gone", t[key, "clear"] / lref[l, "clear"], t[key, "gone"] / lref[l, "gone"]
			printf "\n"
		}
	}' "$out/summary" | tee -a "$out/summary"
echo "logs: $out"
