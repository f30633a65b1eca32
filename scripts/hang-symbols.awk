# SPDX-License-Identifier: GPL-2.0
# awk -f hang-symbols.awk System.map monitor.log
# What each vCPU of a hung guest was running, from QEMU's monitor
# (run-qemu.sh asks it, on a watchdog kill, for "cpu N", "info registers"
# and "x/64gx $esp" of every vCPU, twice; the monitor's $esp is the whole
# RSP on x86-64): one line per vCPU and sample,
# its instruction pointer as symbol+offset, then, like the kernel's own
# unreliable trace ("? "), the words on its stack that point into the
# kernel's text.  The kernels are built without KASLR, so System.map's
# addresses are the running ones; addresses outside its text (modules,
# user space) are printed as they are.
function hexval(h,    i, v) {
	# The low 32 bits: the kernel's text lies in one 2 GiB window
	# (0xffffffff80000000 up), where they identify an address.
	h = tolower(substr(h, length(h) - 7))
	v = 0
	for (i = 1; i <= length(h); i++)
		v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	return v
}
function ktext(h) {
	h = tolower(h)
	sub(/^0x/, "", h)
	return length(h) == 16 && substr(h, 1, 8) == "ffffffff" &&
	       hexval(h) >= stext && hexval(h) < etext
}
function sym(h,    v, lo, hi, mid) {
	sub(/^0x/, "", h)
	if (!ktext(h))
		return h
	v = hexval(h)
	lo = 1
	hi = n
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (addr[mid] <= v)
			lo = mid
		else
			hi = mid - 1
	}
	return sprintf("%s+0x%x", name[lo], v - addr[lo])
}
function flush() {
	if (cpu == "")
		return
	printf "vCPU %s: %s%s%s\n", cpu, rip == "" ? "no registers" : sym(rip),
	       halted ? " (halted)" : "", stack == "" ? "" : "; stack:" stack
	cpu = ""
	rip = ""
	stack = ""
	halted = 0
}
FILENAME == ARGV[1] {
	if ($2 ~ /^[tTwW]$/ && length($1) == 16) {
		addr[++n] = hexval($1)
		name[n] = $3
		if ($3 == "_stext")
			stext = addr[n]
		if ($3 == "_etext")
			etext = addr[n]
	}
	next
}
{ sub(/\r$/, "") }
# "info registers" begins with the vCPU's number (the readline echo of the
# commands is full of escape sequences: not parsed).
/^CPU#[0-9]+/ {
	flush()
	cpu = substr($1, 5)
	seen = 1
	next
}
cpu != "" && /RIP=/ {
	for (i = 1; i <= NF; i++) {
		if ($i ~ /^RIP=/)
			rip = substr($i, 5)
		if ($i == "HLT=1")
			halted = 1
	}
}
cpu != "" && /^[0-9a-f]+: 0x/ {
	for (i = 2; i <= NF; i++)
		if (ktext($i))
			stack = stack " ? " sym($i)
}
END {
	flush()
	if (!seen)
		print "QEMU's monitor did not answer"
	else if (!n)
		print "(no System.map beside the kernel: addresses as they are)"
}
