# SPDX-License-Identifier: GPL-2.0
# md device lifecycle: the patch series of each kernel line (patches/<line>/)
# and their harness.  "make help" lists the targets.

SHELL := /bin/sh
S := scripts
KIND = $(if $(filter 1,$(BASE)),base,patched)
# The line of single-line targets: LINE, or the first checked line.
THE_LINE = $(or $(LINE),$(shell awk '!/^\#/ && NF >= 9 && $$2 == "yes" { print $$1; exit }' lines))
export LINE KSRC KSRC_BASE BASE_VERSION MDLC_CACHE DEBUG FORCE KSELFTEST_ARGS \
	TESTS TIMEOUT SILENCE MEM JOBS CHECK_DEBUG CHECK_LANES GUEST_ENV DEBUG_GUEST_ENV \
	MDADM MDADM_TESTS MDADM_TESTS_TIMEOUT XCONFIG MDADM_OTHER DEBUG_SIZES \
	LONG_SIZES LONG_DEBUG_SIZES LONG_KSELFTEST_TIMEOUT BOOT_BOUND

# The knobs, for "make help": the variables above and make torture's.
KNOBS := LINE BASE DEBUG XCONFIG KSRC KSRC_BASE BASE_VERSION MDLC_CACHE \
	TESTS KSELFTEST_ARGS GUEST_ENV DEBUG_GUEST_ENV CHECK_DEBUG CHECK_LANES MDADM \
	MDADM_OTHER MDADM_TESTS MDADM_TESTS_TIMEOUT DEBUG_SIZES LONG_SIZES \
	LONG_DEBUG_SIZES LONG_KSELFTEST_TIMEOUT TIMEOUT SILENCE BOOT_BOUND MEM \
	JOBS FORCE DURATION THREADS SEED ROUNDS TORTURE FAULTS FUZZ FINDINGS RUNS

.PHONY: help deps base tree export check-tree build check base-check demo \
	check-long quick \
	vm-run shell report harness-test dry-run checkpatch bisect clean findings \
	mdadm-tests torture

help:
	@echo 'md lifecycle series and harness'
	@echo
	@echo '  make demo         main job: the unpatched base and the patched kernel of the'
	@echo '                    line (LINE=, mainline by default) side by side: mdadm by name,'
	@echo '                    stop and assemble, an open, a stop while udev probes, 1,000 clears'
	@echo '  make check        all tests: the harness'"'"'s own tests, then the md selftests'
	@echo '                    and KUnit on the patched kernel of every checked line (see'
	@echo '                    the file "lines"), normal and debug build (CHECK_DEBUG=0: normal'
	@echo '                    only; CHECK_LANES=2: a line'"'"'s short boots beside its selftests boot)'
	@echo '  make base-check   the same tests on the unpatched base of each line'
	@echo '  make check-long   make check at the guarantees'"'"' full sizes (G4'"'"'s 300,000 opens,'
	@echo '                    100 mdadm cycles, ...) and mdadm'"'"'s long tests (README: Budget)'
	@echo '  make quick        the inner loop: one line'"'"'s normal kernel, its selftests,'
	@echo '                    KUnit, findings checks and md_torture, without mdadm'"'"'s tests'
	@echo '                    and the debug kernel (after touching a patch; README: Budget)'
	@echo '  make report       base vs patched, guarantee by guarantee, every line'
	@echo '                    (the newest complete runs, or RUNS="results/<run> ...")'
	@echo '  make vm-run SCRIPT=file [FILES=dir] [BASE=1] [DEBUG=1]'
	@echo '                    boot, run SCRIPT with /bin/sh (FILES at /extra), exit with its status'
	@echo '  make shell        interactive guest shell ([BASE=1] [DEBUG=1])'
	@echo '  make dry-run      the stages a run would go through, with their inputs'
	@echo '  make mdadm-tests  mdadm'"'"'s own tests/ (all of guest/mdadm-tests.subset; make check'
	@echo '                    runs those marked there) ([BASE=1] [MDADM=4.2|4.6] [MDADM_TESTS=a,b])'
	@echo '  make findings     the checks of FINDINGS.md (they fail on the current series;'
	@echo '                    TESTS="r3_*" picks some, BASE=1 runs them on the base)'
	@echo '  make torture      md_torture ([BASE=1] [DEBUG=1] [XCONFIG=kobj] [DURATION=60]'
	@echo '                    [THREADS=4] [SEED=n] [ROUNDS=1] [TORTURE=torture,fuzz,faults]'
	@echo '                    [FAULTS=n] [FUZZ=n] [FINDINGS="r1_* n1_*"]): not in make check'
	@echo
	@echo '  make deps         install missing tools (apt-get, as root or with sudo)'
	@echo '  make base         fetch the line'"'"'s base kernel and make its git tree'
	@echo '  make tree         work tree = base + patches/<line>/ (FORCE=1 discards unexported work)'
	@echo '  make export       patches/<line>/ = the work tree'"'"'s commits (format-patch --cover-letter)'
	@echo '  make check-tree   fail if the work tree and patches/<line>/ differ'
	@echo '  make build        build the kernel and the selftests only ([BASE=1] [DEBUG=1])'
	@echo '  make checkpatch   checkpatch.pl --strict on every patch of the line'
	@echo '  make bisect       build every prefix of the line'"'"'s series'
	@echo '  make harness-test the harness'"'"'s own tests only (seconds)'
	@echo '  make clean        remove results/ (caches stay in $$MDLC_CACHE)'
	@echo
	@echo 'Every target takes LINE=<line> (6.12, mainline: the file "lines"); without it'
	@echo 'check and base-check run every checked line, the others the first checked one.'
	@echo 'Variables: BASE=1 (the unpatched base), DEBUG=1, KSRC=/path/to/linux.git (your'
	@echo '  tree instead of Debian'"'"'s), KSRC_BASE=<commit>, BASE_VERSION, MDLC_CACHE'
	@echo '  (default ~/.cache/md-lifecycle), TESTS="md_names_test kunit:*" (only these),'
	@echo '  GUEST_ENV="MD_CYCLES=10 ...", DEBUG_GUEST_ENV (the debug run'"'"'s test sizes),'
	@echo '  MDADM=4.2|4.6 (the guest'"'"'s mdadm; default: the line'"'"'s), MDADM_TESTS,'
	@echo '  DEBUG_SIZES, LONG_SIZES (the test sizes: scripts/check.sh), TIMEOUT,'
	@echo '  SILENCE, BOOT_BOUND (the guest watchdog: scripts/run-qemu.sh), MEM, JOBS.'
	@echo
	@echo 'The knobs now (unset: the script'"'"'s default applies):'
	@$(foreach v,$(KNOBS),printf '  %-24s %s\n' '$(v)' '$(if $(value $(v)),$(subst ','"'"',$($(v))),(unset))';)

deps:
	@$(S)/deps.sh

base: deps
	@$(S)/base.sh $(THE_LINE)

tree: base
	@$(S)/tree.sh $(THE_LINE)

export:
	@$(S)/export.sh $(THE_LINE)

check-tree: base
	@$(S)/tree.sh $(THE_LINE) --check

build: deps
	@$(S)/driver.sh -u selftests $(THE_LINE) $(KIND) none

dry-run:
	@$(S)/driver.sh -n $(THE_LINE) $(KIND) kselftest

check: deps
	@$(S)/check.sh patched

base-check: deps
	@$(S)/check.sh base

check-long: deps
	@$(S)/check.sh patched long

quick: deps
	@CHECK_DEBUG=0 CHECK_LANES=$(or $(CHECK_LANES),2) MDADM_OTHER=none MDADM_TESTS=none LINE=$(THE_LINE) $(S)/check.sh patched

demo: deps
	@$(S)/demo.sh $(THE_LINE)

vm-run: deps
	@test -n "$(SCRIPT)" || { echo 'usage: make vm-run SCRIPT=file [FILES=dir] [BASE=1] [DEBUG=1]' >&2; exit 2; }
	@LINE=$(THE_LINE) BASE=$(BASE) $(S)/vm-run.sh "$(SCRIPT)" $(FILES)

shell: deps
	@$(S)/driver.sh $(THE_LINE) $(KIND) shell

mdadm-tests: deps
	@TESTS='mdadm:*' MDADM_TESTS=$(or $(MDADM_TESTS),all) $(S)/driver.sh $(THE_LINE) $(KIND) kselftest

findings: deps
	@$(S)/findings.sh $(THE_LINE) $(KIND)

torture: deps
	@DURATION=$(DURATION) THREADS=$(THREADS) SEED=$(SEED) ROUNDS=$(ROUNDS) \
	TORTURE=$(TORTURE) FAULTS=$(FAULTS) FUZZ=$(FUZZ) FINDINGS='$(FINDINGS)' \
	$(S)/torture.sh $(THE_LINE) $(KIND)

report:
	@$(S)/report.sh $(RUNS)

harness-test:
	@tests/run.sh

checkpatch: tree
	@$(S)/checkpatch.sh $(THE_LINE)

bisect: tree
	@$(S)/bisect.sh $(THE_LINE)

clean:
	rm -rf results
