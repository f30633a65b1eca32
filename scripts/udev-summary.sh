#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# udev-summary.sh UDEVD_LOG: what udevd did per md device, from its debug
# log (guest/udev.sh, MDLC_UDEV_LOG_LEVEL=debug): events by action, rule
# lines that ran the blkid builtin and mdadm --detail, watches added, and
# the change events udevd synthesised from its inotify watch (a close
# after writing: column "inotify").
set -eu
[ $# = 1 ] || { echo "usage: $0 UDEVD_LOG" >&2; exit 2; }
sed 's/^[A-Z][a-z][a-z] [0-9-]* [0-9:]* [A-Z]* //' "$1" | awk '
	$1 ~ /^md([0-9]|_)/ && $1 != "md_mod:" && /Processing device/ {
		d = $1; sub(/:$/, "", d); devs[d] = 1
		a = $0; sub(/.*ACTION=/, "", a); sub(/\).*/, "", a); ev[d, a]++
	}
	$1 ~ /^md/ && /builtin command .blkid./ { d = $1; sub(/:$/, "", d); blkid[d]++ }
	$1 ~ /^md/ && /mdadm --detail/ && /Importing/ { d = $1; sub(/:$/, "", d); detail[d]++ }
	$1 ~ /^md/ && /Adding watch on/ { d = $1; sub(/:$/, "", d); watch[d]++ }
	/synthesising .change./ { d = $1; sub(/:$/, "", d); synth++; if (d ~ /^md/) syn[d]++ }
	/Processing device/ { d = $1; sub(/:$/, "", d); all++ }
	END {
		printf "%-14s %5s %6s %6s %6s %8s %6s %8s\n", "device", "add", "change", "remove", "blkid", "mdadm-D", "watch", "inotify"
		for (d in devs)
			printf "%-14s %5d %6d %6d %6d %8d %6d %8d\n", d, ev[d, "add"], ev[d, "change"], ev[d, "remove"], blkid[d], detail[d], watch[d], syn[d]
		printf "events processed (all devices): %d; inotify-synthesized change events: %d\n", all, synth
	}' | { read -r h; echo "$h"; sort; }
