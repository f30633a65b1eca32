# SPDX-License-Identifier: GPL-2.0
# Flatten a KTAP document (nested by indentation, or by the "# " prefix
# the kselftest runner puts on a program's output) into one line per leaf
# result, named by the path of its parents:
#
#   ok [<src>] <parent>: <test>
#   not ok [<src>] <parent>: <test>
#   ok [<src>] <parent>: <test> # SKIP <reason>
#
# Nesting is read from KTAP indentation (four spaces) and from the "# "
# prefix the kselftest runner puts on a program's output.  A parent result
# is not counted itself, but a parent that failed while all its subtests
# passed, a plan that was not completed, a "Bail out!" or results that end
# without their parent (a crash) are each reported as a failure.
# Variables: src (label), strip_ts=1 to drop printk timestamps, strict=1 to
# read nesting from indentation only (a document made by the harness, where
# "# " always starts a diagnostic).  level_of() is in ktap.awk.

function emit(l, line) {
	if (l == 0 && src != "") {
		if (line ~ /^not ok /)
			print "not ok [" src "] " substr(line, 8)
		else
			print "ok [" src "] " substr(line, 4)
	} else if (l == 0)
		print line
	else
		buf[l, nbuf[l]++] = line
	if (line ~ /^not ok /)
		fails[l]++
}

# Move level l+1's buffered results under parent name p into level l.
function adopt(l, p, st,    i, line, c, bad) {
	c = l + 1
	bad = fails[c]
	for (i = 0; i < nbuf[c]; i++) {
		line = buf[c, i]
		if (line ~ /^not ok /)
			emit(l, "not ok " p ": " substr(line, 8))
		else
			emit(l, "ok " p ": " substr(line, 4))
	}
	if (plan[c] != "" && nres[c] < plan[c]) {
		emit(l, "not ok " p ": only " nres[c] " of " plan[c] " planned results")
		bad++
	}
	if (st == "not ok" && !bad)
		emit(l, "not ok " p ": reported failure although no subtest failed")
	nbuf[c] = 0; nres[c] = 0; fails[c] = 0; plan[c] = ""
}

{
	sub(/\r$/, "")
	line = $0
	if (strip_ts)
		sub(/^\[ *[0-9]+\.[0-9]+\]( \[ *[TC][0-9]+\])? ?/, "", line)
	l = level_of(line)
	# Names for results that never come (a crash): the kselftest runner
	# announces each program, KUnit each suite.
	if (l == 0 && rest ~ /^# selftests: /) {
		announced = substr(rest, 3)
		next
	}
	if (rest ~ /^# Subtest: /) {
		subtest[l] = substr(rest, 12)
		next
	}
	if (rest ~ /^1\.\.[0-9]+/) {
		p = rest; sub(/^1\.\./, "", p); sub(/[^0-9].*/, "", p)
		plan[l] = p + 0
		next
	}
	if (rest ~ /^Bail out!/) {
		emit(0, "not ok " rest)
		next
	}
	if (rest !~ /^(not )?ok [0-9]+/)
		next
	st = "ok"
	if (rest ~ /^not ok/) { st = "not ok"; sub(/^not ok [0-9]+ */, "", rest) }
	else sub(/^ok [0-9]+ */, "", rest)
	sub(/^- /, "", rest)
	dir = ""
	if (match(rest, / # /)) { dir = substr(rest, RSTART + 3); rest = substr(rest, 1, RSTART - 1) }
	else if (match(rest, /^# /)) { dir = substr(rest, 3); rest = "" }
	name = rest
	sub(/[ \t]+$/, "", name)
	if (name == "") name = "(unnamed)"
	if (nres[l + 1] > 0 || nbuf[l + 1] > 0) {
		adopt(l, name, st)
	} else if (st == "ok" && toupper(dir) ~ /^SKIP/) {
		emit(l, "ok " name " # " dir)
	} else {
		emit(l, st " " name)
	}
	nres[l]++
}

END {
	for (l = 9; l >= 1; l--) {
		if (nbuf[l] > 0 || nres[l] > 0 || plan[l] != "") {
			p = subtest[l]
			if (p == "" && l == 1) p = announced
			if (p == "") p = "(unnamed)"
			adopt(l - 1, p " (incomplete, no final result)", "")
		}
	}
	if (plan[0] != "" && nres[0] < plan[0])
		print "not ok [" src "] only " nres[0] " of " plan[0] " planned results (crash or timeout?)"
}
