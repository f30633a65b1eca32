# SPDX-License-Identifier: GPL-2.0
# The nesting level of a KTAP line, shared by flatten.awk and
# ktap-test.awk (awk -f ktap.awk -f <program>.awk).
#
# level_of(s) returns the level of line s, read from KTAP indentation (four
# spaces) and, unless strict is set, from the "# " prefix the kselftest
# runner puts on a program's output; it sets rest to the line without
# them.  strict=1 is for a document made by the harness, where "# " always
# starts a diagnostic.

function level_of(s,    l, r) {
	l = 0
	for (;;) {
		if (substr(s, 1, 4) == "    ") {
			s = substr(s, 5); l++
		} else if (!strict && substr(s, 1, 2) == "# ") {
			r = substr(s, 3)
			# KTAP after the prefix; indentation only when KTAP
			# follows it (a diagnostic may start with spaces).
			if (r ~ /^(ok |not ok |# |TAP version|KTAP version|1\.\.|Bail out)/ ||
			    r ~ /^(    )+(ok |not ok |# |TAP version|KTAP version|1\.\.)/) {
				s = r; l++
			} else
				break
		} else
			break
	}
	rest = s
	return l
}
