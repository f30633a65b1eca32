# SPDX-License-Identifier: GPL-2.0
# Scan a kernel console log for reports of the kernel's own checkers.
# Prints one line per category found ("<category> <count> <first line>")
# and nothing for a clean log.  Categories, in the order they are checked
# (a line counts once, in the first category that matches):
#   lockdep  lockdep and RCU-lockdep reports
#   kasan    KASAN reports
#   kmemleak unreferenced objects
#   hung     hung tasks and soft/hard lockups, RCU stalls
#   oops     Oops, general protection faults, page faults in the kernel
#   bug      other BUG: lines, kernel BUG at, UBSAN
#   warning  WARNING: lines (WARN_ON and friends)
#   panic    Kernel panic
{
	sub(/\r$/, "")
	line = $0
	sub(/^\[ *[0-9]+\.[0-9]+\]( \[ *[TC][0-9]+\])? /, "", line)
	cat = ""
	if (line ~ /WARNING: (possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning|possible irq lock inversion|nested lock|Nested lock|.*lock.* detected|HARDIRQ-safe|SOFTIRQ-safe)/ ||
	    line ~ /^INFO: (possible|trying to register non-static key)/ ||
	    line ~ /^BUG: (sleeping function called from invalid context|scheduling while atomic|MAX_LOCKDEP|looking up invalid subclass|key .* has not been registered)/ ||
	    line ~ /DEBUG_LOCKS_WARN_ON/)
		cat = "lockdep"
	else if (line ~ /BUG: KASAN:/ || line ~ /^KASAN:/)
		cat = "kasan"
	else if (line ~ /kmemleak: [0-9]+ new suspected memory leaks/) {
		# Counted through the objects when they are printed too.
		n_suspected = line
		sub(/.*kmemleak: /, "", n_suspected)
		suspected += n_suspected + 0
		if (!suspected_line) suspected_line = line
		next
	} else if (line ~ /^unreferenced object 0x/)
		cat = "kmemleak"
	else if (line ~ /blocked for more than [0-9]+ seconds/ || line ~ /BUG: soft lockup/ ||
		 line ~ /Watchdog detected hard LOCKUP/ || line ~ /rcu: INFO: rcu_.* detected stalls/ ||
		 line ~ /self-detected stall on CPU/)
		cat = "hung"
	else if (line ~ /^Oops:/ || line ~ /: [0-9a-f]+ \[#[0-9]+\]/ || line ~ /general protection fault/ ||
		 line ~ /^BUG: (unable to handle|kernel NULL pointer dereference)/ ||
		 line ~ /Unable to handle kernel/)
		cat = "oops"
	else if (line ~ /^BUG:/ || line ~ /kernel BUG at/ || line ~ /UBSAN:/ || line ~ /^list_(add|del) corruption/ ||
		 line ~ /^ODEBUG:/ || line ~ /^refcount_t:/)
		cat = "bug"
	else if (line ~ /^WARNING:/)
		cat = "warning"
	else if (line ~ /^Kernel panic/)
		cat = "panic"
	if (cat == "")
		next
	if (!(cat in count)) {
		first[cat] = line
		order[n++] = cat
	}
	count[cat]++
}
END {
	if (suspected > count["kmemleak"] + 0) {
		if (!("kmemleak" in count)) { order[n++] = "kmemleak"; first["kmemleak"] = suspected_line }
		count["kmemleak"] = suspected
	}
	for (i = 0; i < n; i++)
		printf "%s %d %s\n", order[i], count[order[i]], first[order[i]]
}
