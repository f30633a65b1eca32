// SPDX-License-Identifier: GPL-2.0
/*
 * V31 (FINDINGS.md): a creation of an md device that fails after its
 * mddev is on all_mddevs (a failed allocation in blk_alloc_disk(),
 * add_disk(), ...) frees the mddev with mddev_free() whatever its
 * reference count, while a reader of /proc/mdstat (md_seq_show()) may hold
 * a reference taken with mddev_get() on that list.  The reader then uses
 * freed memory: on a KASAN kernel, a "slab-use-after-free" report, which
 * fails this check through the harness's console scan.
 *
 * Needs a kernel with failslab and fault-injection debugfs (the debug
 * build).  READERS threads read /proc/mdstat over and over; the main
 * thread writes "md_v31" to new_array with its Nth slab allocation
 * through md_mod failing (fail-nth, stack-filtered to md_mod's text), for
 * N = 1, 2, ... ALLOCS, or until a write runs without a failure.  A failed
 * write must leave no md_v31; a write that succeeds (md tolerates some
 * failures) is stopped ("clear").  The errnos of the failed writes are
 * printed, not checked (md_torture's sweep checks them on the series).
 * One write takes about 0.8 s on the debug kernel under TCG, and a whole
 * write about 480 allocations (7.3): ALLOCS defaults to 150, about two
 * minutes, which covers the failures before and in blk_alloc_disk(); the
 * unfixed kernels crashed in the first 20 s.
 * A reader holds its reference for a few lock operations only, unless it
 * is preempted there (mutex_lock() is a preemption point): with PIN 1 the
 * readers and the writer share CPU 0, so the writer's failed creation can
 * run while a reader waits for the CPU holding a reference; with PIN 0
 * they run where the scheduler puts them.
 * Usage: v31_failed_create_mdstat [ALLOCS [READERS [PIN]]] (default 150,
 * 2, 1).  Prints KTAP with the counts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "findings.h"

#define NEW_ARRAY "/sys/module/md_mod/parameters/new_array"
#define FI_SLAB "/sys/kernel/debug/failslab"
#define FI_PAGE "/sys/kernel/debug/fail_page_alloc"
#define MAX_READERS 8
/* One write makes a few hundred slab allocations (md_torture's sweep). */
#define MAX_NTH 10000
#define ERR_MAX 134
/* How long a stopped array may stay (udevd's rules hold it briefly). */
#define GONE_MS 20000

static volatile int stop;
static unsigned long reads[MAX_READERS];

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static void fi_attr(const char *dir, const char *attr, const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	write_str(path, val);
}

/* md_mod's text, [lo, hi), for the stack-trace filter. */
static int md_text_range(unsigned long *lo, unsigned long *hi)
{
	char line[512], type, name[256], mod[128];
	unsigned long a;
	FILE *f = fopen("/proc/kallsyms", "r");

	*lo = ULONG_MAX;
	*hi = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %255s [%127[^]]]", &a, &type, name, mod) != 4 ||
		    strcmp(mod, "md_mod") || (type != 't' && type != 'T'))
			continue;
		if (a < *lo)
			*lo = a;
		if (a > *hi)
			*hi = a;
	}
	fclose(f);
	if (!*lo || *lo == ULONG_MAX || !*hi)
		return -1;
	*hi += 4096;	/* past the start of md_mod's last function */
	return 0;
}

static void *reader(void *arg)
{
	unsigned long *n = arg;
	char buf[4096];
	int fd = open("/proc/mdstat", O_RDONLY);

	if (fd < 0)
		return NULL;
	while (!stop) {
		/* From the start each time: every md device is shown again. */
		if (pread(fd, buf, sizeof(buf), 0) >= 0)
			(*n)++;
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int allocs = argc > 1 ? atoi(argv[1]) : 150;
	int nr = argc > 2 ? atoi(argv[2]) : 2;
	int pin = argc > 3 ? atoi(argv[3]) : 1;
	cpu_set_t cpu0;
	unsigned long writes = 0, left = 0, total = 0, errs[ERR_MAX + 1] = { 0 };
	unsigned long lo, hi;
	pthread_t th[MAX_READERS];
	char buf[64], name[16], path[64], spath[96];
	int nth, r, t, ret, hit, ok = 1;

	if (allocs < 1 || allocs > MAX_NTH || nr < 1 || nr > MAX_READERS) {
		fprintf(stderr, "usage: %s [ALLOCS (1..%d) [READERS (1..%d) [PIN]]]\n",
			argv[0], MAX_NTH, MAX_READERS);
		return 2;
	}
	printf("TAP version 13\n1..1\n");
	if (system("modprobe md_mod") || md_text_range(&lo, &hi)) {
		printf("Bail out! cannot load md_mod or read its text range\n");
		return 1;
	}
	/* Only the debug build has fault injection (configs/debug.config). */
	if (access(FI_SLAB "/probability", W_OK) || access("/proc/thread-self/fail-nth", W_OK)) {
		printf("ok 1 v31_failed_create_mdstat # SKIP no failslab or fail-nth in this kernel: make findings MDLC_DEBUG=1\n");
		return 0;
	}
	/*
	 * As mdadm 4.5 and later do: on the 7.3 base, whose default
	 * deletion mode keeps a stopped named array, a stopped array goes.
	 */
	write_str("/sys/module/md_mod/parameters/legacy_async_del_gendisk", "N");
	/* fail-nth alone, slab allocations from md_mod's call chains only. */
	fi_attr(FI_SLAB, "probability", "0");
	fi_attr(FI_SLAB, "times", "-1");
	fi_attr(FI_SLAB, "verbose", "0");
	fi_attr(FI_SLAB, "task-filter", "Y");
	fi_attr(FI_SLAB, "ignore-gfp-wait", "N");
	fi_attr(FI_SLAB, "stacktrace-depth", "32");
	snprintf(buf, sizeof(buf), "%lu", lo);
	fi_attr(FI_SLAB, "require-start", buf);
	snprintf(buf, sizeof(buf), "%lu", hi);
	fi_attr(FI_SLAB, "require-end", buf);
	/* An empty stack filter: no page allocation fails. */
	fi_attr(FI_PAGE, "probability", "0");
	fi_attr(FI_PAGE, "require-start", "1");
	fi_attr(FI_PAGE, "require-end", "2");

	/* The readers inherit the writer's CPU. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (pin && sched_setaffinity(0, sizeof(cpu0), &cpu0)) {
		printf("Bail out! cannot pin to CPU 0\n");
		return 1;
	}
	for (r = 0; r < nr; r++)
		pthread_create(&th[r], NULL, reader, &reads[r]);
	snprintf(name, sizeof(name), "md_v31");
	snprintf(path, sizeof(path), "/sys/block/%s", name);
	for (nth = 1, hit = 1; hit && nth <= allocs; nth++) {
		snprintf(buf, sizeof(buf), "%d", nth);
		write_str("/proc/thread-self/fail-nth", buf);
		ret = write_str(NEW_ARRAY, name);
		strcpy(buf, "0");
		read_str("/proc/thread-self/fail-nth", buf, sizeof(buf));
		write_str("/proc/thread-self/fail-nth", "0");
		hit = atoi(buf) == 0;
		writes++;
		errs[-ret > ERR_MAX ? ERR_MAX : -ret]++;
		if (ret && !access(path, F_OK))
			left++;
		/*
		 * A creation that succeeded (no failure, or one md
		 * tolerates): stop it; udevd's rules may hold it open a
		 * while, so wait until it is gone.
		 */
		if (!ret || !access(path, F_OK)) {
			snprintf(spath, sizeof(spath), "%s/md/array_state", path);
			write_str(spath, "clear");
			for (t = 0; !access(path, F_OK) && t < GONE_MS; t++)
				usleep(1000);
			if (t >= GONE_MS) {
				printf("# %s still there %d s after it was stopped\n",
				       name, GONE_MS / 1000);
				ok = 0;
				break;
			}
		}
	}
	printf("# allocations 1 to %d of new_array %s failed in turn%s\n", nth - 1, name,
	       hit ? "" : " (the last write made fewer)");
	stop = 1;
	for (r = 0; r < nr; r++) {
		pthread_join(th[r], NULL);
		total += reads[r];
	}
	if (left)
		ok = 0;
	printf("# %d readers%s: %lu new_array writes (%lu left a device behind), %lu reads of /proc/mdstat\n",
	       nr, pin ? " on the writer's CPU" : "", writes, left, total);
	printf("# errnos of the writes:");
	for (r = 0; r <= ERR_MAX; r++)
		if (errs[r])
			printf(" %s %lu", r ? (r == ERR_MAX ? "other" : strerrorname_np(r)) : "none", errs[r]);
	printf("\n");
	printf("%s 1 failed creations racing /proc/mdstat readers: nothing left behind\n",
	       ok ? "ok" : "not ok");
	return !ok;
}
