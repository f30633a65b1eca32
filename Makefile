# SPDX-License-Identifier: GPL-2.0
# md device lifecycle: the patch series in patches/ and its harness.
# "make help" lists the targets.

SHELL := /bin/sh
S := scripts
KIND = $(if $(filter 1,$(BASE)),base,patched)
export KSRC KSRC_BASE BASE_VERSION MDLC_CACHE DEBUG FORCE KSELFTEST_ARGS \
	TIMEOUT SILENCE MEM JOBS CHECK_DEBUG GUEST_ENV DEBUG_GUEST_ENV

.PHONY: help deps base tree export check-tree build check base-check demo \
	vm-run shell report selftest checkpatch bisect clean

help:
	@echo 'md lifecycle series and harness'
	@echo
	@echo '  make demo         main job: build the patched kernel, boot it, show named'
	@echo '                    arrays made by mdadm and devices appearing/disappearing'
	@echo '  make check        all tests: harness self-tests, then the md selftests and'
	@echo '                    KUnit on the patched kernel, normal and debug build (CHECK_DEBUG=0: normal only)'
	@echo '  make base-check   the same tests on the unpatched base'
	@echo '  make report       base vs patched, guarantee by guarantee (latest runs)'
	@echo '  make vm-run SCRIPT=file [FILES=dir] [BASE=1] [DEBUG=1]'
	@echo '                    boot, run SCRIPT with /bin/sh (FILES at /extra), exit with its status'
	@echo '  make shell        interactive guest shell ([BASE=1] [DEBUG=1])'
	@echo
	@echo '  make deps         install missing tools (apt-get, as root or with sudo)'
	@echo '  make base         fetch the base kernel and make its git tree'
	@echo '  make tree         work tree = base + patches/ (FORCE=1 discards unexported work)'
	@echo '  make export       patches/ = the work tree'"'"'s commits (format-patch --cover-letter)'
	@echo '  make check-tree   fail if the work tree and patches/ differ'
	@echo '  make build        build the kernel only ([BASE=1] [DEBUG=1])'
	@echo '  make checkpatch   checkpatch.pl --strict on every patch'
	@echo '  make bisect       build every prefix of the series'
	@echo '  make selftest     the harness self-tests only (seconds)'
	@echo '  make clean        remove results/ (caches stay in $$MDLC_CACHE)'
	@echo
	@echo 'Variables: KSRC=/path/to/linux.git (your tree instead of Debian'"'"'s),'
	@echo '  KSRC_BASE=<commit>, BASE_VERSION, MDLC_CACHE (default ~/.cache/md-lifecycle),'
	@echo '  KSELFTEST_ARGS="-t md:md_lifecycle_test", GUEST_ENV="MD_CYCLES=10 ...",'
	@echo '  DEBUG_GUEST_ENV (the debug run'"'"'s test sizes), TIMEOUT, SILENCE, MEM, JOBS.'

deps:
	@$(S)/deps.sh

base: deps
	@$(S)/base.sh

tree: base
	@$(S)/tree.sh

export:
	@$(S)/export.sh

check-tree: base
	@$(S)/tree.sh --check

build: tree
	@$(S)/build.sh $(KIND)

check: deps
	@$(S)/check.sh patched

base-check: deps
	@$(S)/check.sh base

demo: deps
	@$(S)/suite.sh patched demo

vm-run: deps
	@test -n "$(SCRIPT)" || { echo 'usage: make vm-run SCRIPT=file [FILES=dir] [BASE=1] [DEBUG=1]' >&2; exit 2; }
	@BASE=$(BASE) $(S)/vm-run.sh "$(SCRIPT)" $(FILES)

shell: deps
	@$(S)/suite.sh $(KIND) shell

report:
	@$(S)/report.sh

selftest:
	@tests/run.sh

checkpatch: tree
	@$(S)/checkpatch.sh

bisect: tree
	@$(S)/bisect.sh

clean:
	rm -rf results
