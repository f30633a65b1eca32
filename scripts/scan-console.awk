# SPDX-License-Identifier: GPL-2.0
# Scan a kernel console log for reports of the kernel's own checkers, and
# attribute each to the test that was running: the guest's test runner
# writes "mdlc: begin ID" and "mdlc: end ID" to the kernel log around each
# test; a report outside them belongs to "-" (boot, between tests, after).
# Prints one line per test and category found
#   <category> <count> <test id> <first line>
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
	if (line ~ /^mdlc: begin [^ ]+$/) {
		cur = substr(line, 13)
		next
	}
	if (line ~ /^mdlc: end [^ ]+$/) {
		cur = "-"
		next
	}
	if (cur == "")
		cur = "-"
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
		suspected[cur] += n_suspected + 0
		if (!(cur in suspected_line)) suspected_line[cur] = line
		if (!(cur in seen_test)) { seen_test[cur] = 1; tests[nt++] = cur }
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
	k = cur SUBSEP cat
	if (!(cur in seen_test)) { seen_test[cur] = 1; tests[nt++] = cur }
	if (!(k in count)) {
		first[k] = line
		order[cur, ncat[cur]++] = cat
	}
	count[k]++
}
END {
	for (t = 0; t < nt; t++) {
		id = tests[t]
		k = id SUBSEP "kmemleak"
		# "N new suspected memory leaks" counts objects not printed.
		if (suspected[id] > count[k] + 0) {
			if (!(k in count)) { order[id, ncat[id]++] = "kmemleak"; first[k] = suspected_line[id] }
			count[k] = suspected[id]
		}
		for (i = 0; i < ncat[id]; i++) {
			k = id SUBSEP order[id, i]
			printf "%s %d %s %s\n", order[id, i], count[k], id, first[k]
		}
	}
}
