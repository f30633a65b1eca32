# SPDX-License-Identifier: GPL-2.0
# Turn the output of one test into one KTAP subtest (its result line at
# column 0, its content indented by four spaces), for the run's document.
#
# Input: the test's output.  Variables:
#   kind     wrapped: run_kselftest.sh output, whose top level is the
#            runner's own wrapper (one "ok 1 selftests: COLL: NAME" line)
#            and whose "# "-prefixed lines are the program's KTAP;
#            direct: the program's KTAP itself (KUnit on the console, the
#            harness's own checks)
#   num      the subtest's number; name: its name
#   rc       the test's exit status, empty if it never finished
#   secs     its run time in seconds
#   reports  a file of "<category> <count> <first line>" lines: the kernel
#            reports the console showed while the test ran
#   strip_ts 1: drop printk timestamps (console input)
# The test's own results keep their order, renumbered; three results of the
# harness follow them: the kernel reports during the test, and, only when
# they failed, the plan (fewer results than planned) and the exit status
# (a failure no result shows, or a test that never finished).  The test
# fails if any of its results does.

# level_of() is in ktap.awk (strict unset: the "# " prefix nests too).

function indent(l,    s) {
	s = ""
	while (l-- > 0)
		s = s "    "
	return s
}

function store(s) {
	out[nout++] = s
}

function result(st, text) {
	nres++
	if (st == "not ok")
		nfail++
	store("    " st " " nres " " text)
}

BEGIN {
	nout = 0; nres = 0; nfail = 0; plan = ""; wst = ""; wdir = ""
}

{
	sub(/\r$/, "")
	line = $0
	if (strip_ts)
		sub(/^\[ *[0-9]+\.[0-9]+\]( \[ *[TC][0-9]+\])? ?/, "", line)
	if (line ~ /^[ \t]*$/)
		next
	l = level_of(line)
	if (kind == "wrapped") {
		if (l == 0) {
			if (rest ~ /^(not )?ok [0-9]+ /) {
				wst = (rest ~ /^not ok/) ? "not ok" : "ok"
				wdir = ""
				if (match(rest, / # /))
					wdir = substr(rest, RSTART + 3)
				next
			}
			if (rest ~ /^(TAP version|KTAP version|1\.\.[0-9]|# timeout set to|# selftests: )/)
				next
			# The program's other output, prefixed by the runner.
			if (rest !~ /^# /)
				rest = "# " rest
			store("    " rest)
			next
		}
		l--
	}
	if (l > 0) {
		store("    " indent(l) rest)
		next
	}
	if (rest ~ /^(TAP version|KTAP version)/)
		next
	if (rest ~ /^1\.\.[0-9]+/) {
		if (plan == "") {
			plan = rest
			sub(/^1\.\./, "", plan)
			sub(/[^0-9].*/, "", plan)
			plan += 0
		}
		next
	}
	if (rest ~ /^(not )?ok [0-9]+/) {
		st = (rest ~ /^not ok/) ? "not ok" : "ok"
		sub(/^(not )?ok [0-9]+ *(- )?/, "", rest)
		if (rest == "")
			rest = "(unnamed)"
		result(st, rest)
		next
	}
	if (rest ~ /^Bail out!/) {
		result("not ok", "bail out: " substr(rest, 10))
		next
	}
	if (rest !~ /^#/)
		rest = "# " rest
	store("    " rest)
}

END {
	own = nres
	ownfail = nfail
	# The kernel reports during the test.
	rep = ""
	firstrep = ""
	while (reports != "" && (getline r < reports) > 0) {
		split(r, f, " ")
		rep = rep (rep == "" ? "" : ", ") f[1] " " f[2]
		if (firstrep == "") {
			firstrep = r
			sub(/^[^ ]+ [^ ]+ /, "", firstrep)
		}
	}
	if (rep == "")
		result("ok", "kernel reports: none while the test ran")
	else
		result("not ok", "kernel reports: " rep "; first: " firstrep)
	if (plan != "" && own < plan)
		result("not ok", "plan: only " own " of " plan " planned results (crash or timeout?)")
	skipped = (kind == "wrapped" && wst == "ok" && toupper(wdir) ~ /^SKIP/)
	if (rc == "")
		result("not ok", "exit status: the test never finished (the guest stopped or hung while it ran)")
	else if (kind == "wrapped" && wst == "")
		result("not ok", "exit status: the kselftest runner reported no result (status " rc ")")
	else if (!ownfail && ((kind == "wrapped" && wst == "not ok") || (kind != "wrapped" && rc != 0)))
		result("not ok", "exit status: failed (" (wdir != "" ? wdir : "status " rc) ") although no result of its own failed" (own ? "" : ": it printed none"))
	print "    KTAP version 1"
	print "    # Subtest: " name
	print "    1.." nres
	for (i = 0; i < nout; i++)
		print out[i]
	if (secs != "")
		print "    # time: " secs " s"
	if (nfail)
		print "not ok " num " " name
	else if (skipped && own == 0)
		print "ok " num " " name " # " wdir
	else
		print "ok " num " " name
}
