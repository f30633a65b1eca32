# SPDX-License-Identifier: GPL-2.0
# md device lifecycle: the patch series of each kernel line (patches/<line>/)
# and their harness.  "make help" lists the targets.

SHELL := /bin/sh
S := scripts
KIND = $(if $(filter 1,$(MDLC_BASE)),base,patched)
# The line of single-line targets: MDLC_LINE, or the first checked line.
THE_LINE = $(or $(MDLC_LINE),$(shell awk '!/^\#/ && NF >= 9 && $$2 == "yes" { print $$1; exit }' lines))
# The harness's knobs all start with MDLC_: a knob given to this make is in
# MAKEFLAGS and the environment of every make below it, the kernel's
# included, where short names mean something else (MDLC_DEBUG=1 builds objtool's
# libsubcmd with -O0, JOBS is pahole's -j in scripts/Makefile.btf).
KNOBS := MDLC_LINE MDLC_BASE MDLC_DEBUG MDLC_XCONFIG MDLC_KSRC MDLC_KSRC_BASE \
	MDLC_BASE_VERSION MDLC_CACHE MDLC_TESTS MDLC_KSELFTEST_ARGS MDLC_GUEST_ENV \
	MDLC_DEBUG_GUEST_ENV MDLC_CHECK_DEBUG MDLC_CHECK_LANES MDLC_MDADM \
	MDLC_MDADM_OTHER MDLC_MDADM_TESTS MDLC_MDADM_TESTS_TIMEOUT \
	MDLC_DEBUG_SIZES MDLC_LONG_SIZES MDLC_LONG_DEBUG_SIZES \
	MDLC_LONG_KSELFTEST_TIMEOUT MDLC_TORTURE_SIZES MDLC_TORTURE_DEBUG_SIZES \
	MDLC_LONG_TORTURE_SIZES MDLC_LONG_TORTURE_DEBUG_SIZES MDLC_TIMEOUT \
	MDLC_SILENCE MDLC_BOOT_BOUND MDLC_MEM MDLC_SMP MDLC_ACCEL MDLC_APPEND \
	MDLC_JOBS MDLC_FORCE MDLC_DURATION MDLC_THREADS MDLC_SEED MDLC_ROUNDS \
	MDLC_TORTURE MDLC_FAULTS MDLC_FUZZ MDLC_FINDINGS MDLC_RUNS MDLC_SCRIPT \
	MDLC_FILES
export $(KNOBS)

# The names before the prefix are refused, not ignored.
OLD_KNOBS := $(patsubst MDLC_%,%,$(filter-out MDLC_CACHE,$(KNOBS)))
$(foreach v,$(OLD_KNOBS),$(if $(filter command line,$(origin $(v))),\
	$(error $(v)= is MDLC_$(v)= now: the harness's knobs start with MDLC_ (make help))))

.PHONY: help deps base tree export check-tree build check base-check demo \
	check-long quick \
	vm-run shell report harness-test dry-run checkpatch bisect clean findings \
	mdadm-tests torture

help:
	@echo 'md lifecycle series and harness'
	@echo
	@echo '  make demo         main job: the unpatched base and the patched kernel of'
	@echo '                    the line (MDLC_LINE=, mainline by default) side by side:'
	@echo '                    mdadm by name, stop and assemble, an open, a stop while'
	@echo '                    udev probes, 1,000 clears'
	@echo '  make check        all tests: the harness'"'"'s own tests, then the md selftests'
	@echo '                    and KUnit on the patched kernel of every checked line'
	@echo '                    (the file "lines"), normal and debug build'
	@echo '                    (MDLC_CHECK_DEBUG=0: normal only; MDLC_CHECK_LANES=2: a'
	@echo '                    line'"'"'s short boots beside its selftests boot)'
	@echo '  make base-check   the same tests on the unpatched base of each line'
	@echo '  make check-long   make check at the guarantees'"'"' full sizes (300,000 opens,'
	@echo '                    100 mdadm cycles, ...), mdadm'"'"'s long tests (README: Budget)'
	@echo '  make quick        the inner loop: one line'"'"'s normal kernel, its selftests,'
	@echo '                    KUnit, findings checks and md_torture, without mdadm'"'"'s'
	@echo '                    tests and the debug kernel (README: Budget)'
	@echo '  make report       base vs patched, guarantee by guarantee, every line'
	@echo '                    (the newest complete runs, or MDLC_RUNS="results/<run> ...")'
	@echo '  make vm-run MDLC_SCRIPT=file [MDLC_FILES=dir] [MDLC_BASE=1] [MDLC_DEBUG=1]'
	@echo '                    boot, run the script with /bin/sh (MDLC_FILES at /extra),'
	@echo '                    exit with its status'
	@echo '  make shell        interactive guest shell ([MDLC_BASE=1] [MDLC_DEBUG=1])'
	@echo '  make dry-run      the stages a run would go through, with their inputs'
	@echo '  make mdadm-tests  mdadm'"'"'s own tests/ (all of guest/mdadm-tests.subset; make'
	@echo '                    check runs those marked there) ([MDLC_BASE=1]'
	@echo '                    [MDLC_MDADM=4.2|4.6] [MDLC_MDADM_TESTS=a,b])'
	@echo '  make findings     the checks of FINDINGS.md (they fail on the current'
	@echo '                    series; MDLC_TESTS="r3_*" picks some, MDLC_BASE=1 runs them'
	@echo '                    on the base)'
	@echo '  make torture      md_torture ([MDLC_BASE=1] [MDLC_DEBUG=1] [MDLC_XCONFIG=kobj]'
	@echo '                    [MDLC_DURATION=60] [MDLC_THREADS=4] [MDLC_SEED=n]'
	@echo '                    [MDLC_ROUNDS=1] [MDLC_TORTURE=torture,fuzz,faults]'
	@echo '                    [MDLC_FAULTS=n] [MDLC_FUZZ=n] [MDLC_FINDINGS="r1_* n1_*"])'
	@echo
	@echo '  make deps         install missing tools (apt-get, as root or with sudo)'
	@echo '  make base         fetch the line'"'"'s base kernel and make its git tree'
	@echo '  make tree         work tree = base + patches/<line>/ (MDLC_FORCE=1 discards'
	@echo '                    unexported work)'
	@echo '  make export       patches/<line>/ = the work tree'"'"'s commits'
	@echo '  make check-tree   fail if the work tree and patches/<line>/ differ'
	@echo '  make build        build the kernel and the selftests only ([MDLC_BASE=1]'
	@echo '                    [MDLC_DEBUG=1])'
	@echo '  make checkpatch   checkpatch.pl --strict on every patch of the line'
	@echo '  make bisect       build every prefix of the line'"'"'s series'
	@echo '  make harness-test the harness'"'"'s own tests only (seconds)'
	@echo '  make clean        remove results/ (caches stay in $$MDLC_CACHE)'
	@echo
	@echo 'Every target takes MDLC_LINE=<line> (6.12, mainline: the file "lines");'
	@echo 'without it check and base-check run every checked line, the others the'
	@echo 'first checked one.  Every knob starts with MDLC_, so that none reaches the'
	@echo 'kernel'"'"'s own make under a name it uses (README: Knobs); the old names are'
	@echo 'refused.  MDLC_KSRC=/path/to/linux.git builds your tree instead of Debian'"'"'s'
	@echo '(MDLC_KSRC_BASE=<commit>); MDLC_TESTS="md_names_test kunit:*" runs only'
	@echo 'these; MDLC_GUEST_ENV="MD_CYCLES=10 ..." sets the guest'"'"'s test sizes'
	@echo '(MDLC_DEBUG_GUEST_ENV: the debug run'"'"'s); MDLC_MDADM=4.2|4.6 picks the'
	@echo 'guest'"'"'s mdadm; the test sizes: scripts/check.sh; the guest watchdog'
	@echo '(MDLC_TIMEOUT, MDLC_SILENCE, MDLC_BOOT_BOUND): scripts/run-qemu.sh.'
	@echo
	@echo 'The knobs now (unset: the script'"'"'s default applies):'
	@$(foreach v,$(KNOBS),printf '  %-30s %s\n' '$(v)' '$(if $(value $(v)),$(subst ','"'"',$($(v))),(unset))';)

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
	@MDLC_CHECK_DEBUG=0 MDLC_CHECK_LANES=$(or $(MDLC_CHECK_LANES),2) MDLC_MDADM_OTHER=none MDLC_MDADM_TESTS=none MDLC_LINE=$(THE_LINE) $(S)/check.sh patched

demo: deps
	@$(S)/demo.sh $(THE_LINE)

vm-run: deps
	@test -n "$(MDLC_SCRIPT)" || { echo 'usage: make vm-run MDLC_SCRIPT=file [MDLC_FILES=dir] [MDLC_BASE=1] [MDLC_DEBUG=1]' >&2; exit 2; }
	@MDLC_LINE=$(THE_LINE) MDLC_BASE=$(MDLC_BASE) $(S)/vm-run.sh "$(MDLC_SCRIPT)" $(MDLC_FILES)

shell: deps
	@$(S)/driver.sh $(THE_LINE) $(KIND) shell

mdadm-tests: deps
	@MDLC_TESTS='mdadm:*' MDLC_MDADM_TESTS=$(or $(MDLC_MDADM_TESTS),all) $(S)/driver.sh $(THE_LINE) $(KIND) kselftest

findings: deps
	@$(S)/findings.sh $(THE_LINE) $(KIND)

torture: deps
	@MDLC_DURATION=$(MDLC_DURATION) MDLC_THREADS=$(MDLC_THREADS) MDLC_SEED=$(MDLC_SEED) MDLC_ROUNDS=$(MDLC_ROUNDS) \
	MDLC_TORTURE=$(MDLC_TORTURE) MDLC_FAULTS=$(MDLC_FAULTS) MDLC_FUZZ=$(MDLC_FUZZ) MDLC_FINDINGS='$(MDLC_FINDINGS)' \
	$(S)/torture.sh $(THE_LINE) $(KIND)

report:
	@$(S)/report.sh $(MDLC_RUNS)

harness-test:
	@tests/run.sh

checkpatch: tree
	@$(S)/checkpatch.sh $(THE_LINE)

bisect: tree
	@$(S)/bisect.sh $(THE_LINE)

clean:
	rm -rf results
