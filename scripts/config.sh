#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# config.sh SRC OUT FRAGMENT...
# Make OUT/.config with the kernel's own scripts/kconfig/merge_config.sh
# (allnoconfig plus the fragments), then check that every option the
# fragments ask for survived: Kconfig silently drops options whose
# dependencies are missing, and merge_config.sh only warns.
# With ALLOW_UNKNOWN=1, options the tree's Kconfig does not define at all are
# reported and tolerated (the unpatched base lacks the series' options).
# With NEEDS=FILE (a kselftest "config" file: the md selftests'), every
# CONFIG_X=v line of FILE must hold in the final .config too (m is met by
# y): the fragments are the build's only input, so what the tests need
# must be in them.
set -eu
. "$(dirname "$0")/lib.sh"

src=$1 out=$2
shift 2
mkdir -p "$out"
merged=$out/mdlc-fragments.config
: >"$merged.tmp"
for f; do
	[ -f "$f" ] || die "config fragment $f does not exist"
	printf '# from %s\n' "$f" >>"$merged.tmp"
	cat "$f" >>"$merged.tmp"
done
check_needs() {
	[ -n "${NEEDS:-}" ] || return 0
	[ -f "$NEEDS" ] || die "NEEDS=$NEEDS does not exist"
	while IFS='=' read -r _opt _want; do
		case $_opt in CONFIG_*) ;; *) continue ;; esac
		_got=$("$src/scripts/config" --file "$out/.config" --state "$_opt")
		[ "$_got" = "$_want" ] || [ "$_want:$_got" = "m:y" ] ||
			die "the tests need $_opt=$_want ($NEEDS), the kernel in $out has $_opt=$_got: add it to configs/"
	done <"$NEEDS"
}

# Regenerate only when the fragments changed: keeps warm builds warm.
if [ -f "$out/.config" ] && cmp -s "$merged.tmp" "$merged"; then
	rm -f "$merged.tmp"
	check_needs
	exit 0
fi
mv "$merged.tmp" "$merged"
rm -f "$out/.config"
[ -x "$src/scripts/kconfig/merge_config.sh" ] || die "$src has no scripts/kconfig/merge_config.sh"
(cd "$src" && ./scripts/kconfig/merge_config.sh -n -O "$out" "$@") >"$out/config.log" 2>&1 || {
	tail_log "$out/config.log"
	die "merge_config.sh -n with $* failed"
}

bad=0
# Expected values: the last assignment of each option wins, as in Kconfig.
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*\)=\(.*\)$/\1 \2/p' \
	-e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 n/p' "$merged" |
	awk '{ v[$1] = $2; if (!($1 in o)) { o[$1] = n++; k[n - 1] = $1 } }
	     END { for (i = 0; i < n; i++) print k[i], v[k[i]] }' >"$out/mdlc-expected"
while read -r opt want; do
	# scripts/config reads the final value: y, m, n ("undef" if absent).
	got=$("$src/scripts/config" --file "$out/.config" --state "$opt")
	case $got in undef) got=n ;; esac
	case $want in \"*) got="\"$got\"" ;; esac
	[ "$got" = "$want" ] && continue
	if [ "${ALLOW_UNKNOWN:-0}" = 1 ] &&
		! grep -rqsE --include='Kconfig*' "^[[:space:]]*(menu)?config ${opt#CONFIG_}\$" "$src"; then
		note "$opt is not defined by this tree's Kconfig (expected on the unpatched base)"
		continue
	fi
	printf '%s: error: %s=%s requested, but the final .config has %s=%s (Kconfig dropped it: check its dependencies)\n' \
		"${0##*/}" "$opt" "$want" "$opt" "$got" >&2
	bad=1
done <"$out/mdlc-expected"
if [ $bad = 1 ]; then
	mv "$merged" "$merged.rejected"
	exit 1
fi
check_needs
