# SPDX-License-Identifier: GPL-2.0
# Scan a kernel console log for reports of the kernel's own checkers, and
# attribute each to the test that was running: the guest's test runner
# writes "mdlc: begin ID jiffies=N" and "mdlc: end ID jiffies=N" to the
# kernel log around each test; a report outside them belongs to "-" (boot,
# between tests, after).  kmemleak's objects are printed at shutdown, each
# with the jiffies of its allocation: they belong to the test whose markers'
# jiffies enclose that allocation.
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
BEGIN {
	nobj = 0
	nspan = 0
	nt = 0
	pending = ""
}

{
	sub(/\r$/, "")
	line = $0
	sub(/^\[ *[0-9]+\.[0-9]+\]( \[ *[TC][0-9]+\])? /, "", line)
	if (line ~ /^mdlc: begin [^ ]+( jiffies=[0-9]+)?$/) {
		split(line, w, " ")
		cur = w[3]
		if (w[4] ~ /^jiffies=/) {
			tid[nspan] = cur
			tbeg[nspan] = substr(w[4], 9) + 0
			tend[nspan] = -1
			nspan++
		}
		next
	}
	if (line ~ /^mdlc: end [^ ]+( jiffies=[0-9]+)?$/) {
		split(line, w, " ")
		if (w[4] ~ /^jiffies=/ && nspan > 0 && tid[nspan - 1] == w[3])
			tend[nspan - 1] = substr(w[4], 9) + 0
		cur = "-"
		next
	}
	if (cur == "")
		cur = "-"
	# The allocation of the kmemleak object just reported.
	if (pending != "" && line ~ /^ *comm ".*", pid [0-9]+, jiffies [0-9]+/) {
		j = line
		sub(/.*, jiffies /, "", j)
		sub(/[^0-9].*/, "", j)
		obj_j[pending] = j + 0
		pending = ""
		next
	}
	pending = ""
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
	} else if (line ~ /^unreferenced object 0x/) {
		# Attributed at the end, by the jiffies on its next line.
		obj_line[nobj] = line
		obj_pos[nobj] = cur
		pending = nobj++
		next
	}
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
	add(cur, cat, line)
}
function add(id, c, l,    k) {
	k = id SUBSEP c
	if (!(id in seen_test)) { seen_test[id] = 1; tests[nt++] = id }
	if (!(k in count)) {
		first[k] = l
		order[id, ncat[id]++] = c
	}
	count[k]++
}

END {
	for (o = 0; o < nobj; o++) {
		id = obj_pos[o]
		if (o in obj_j) {
			id = "-"
			for (i = 0; i < nspan; i++)
				if (obj_j[o] >= tbeg[i] && (tend[i] < 0 || obj_j[o] <= tend[i]))
					id = tid[i]
		}
		add(id, "kmemleak", obj_line[o])
	}
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
