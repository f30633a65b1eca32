// SPDX-License-Identifier: GPL-2.0
/*
 * R2: an open of a missing md_d partition while md_dN is being deleted
 * busy-loops in md_probe() -> __md_alloc() (series v1: the wait compares
 * the unmasked partition dev_t, so it never sleeps), under major_names_lock.
 * Visible when the release of the old mddev's kobject is deferred, as with
 * CONFIG_DEBUG_KOBJECT_RELEASE (1-4 s).  A thread creates and deletes
 * md_dN (open+close of its whole-disk node) while another opens md_dNp1;
 * the CPU time each partition open burns is measured.
 *
 * Usage: r2_partition_spin [SECONDS [UNIT]] (default 30 22)
 * Prints KTAP: not ok if one partition open used more than SPIN_MS of CPU.
 *
 * SPIN_MS: v1's loop ends only when the deferred release does, and with
 * CONFIG_DEBUG_KOBJECT_RELEASE it ran into soft lockups of 48 s (FINDINGS
 * T5), so any bound of a few seconds catches it.  The bound must stay above
 * what the guest charges to a thread that does not spin: under QEMU TCG the
 * time the host takes a vCPU away counts as the running thread's CPU time,
 * and opens of v2, which never loop, were charged up to 1,040 ms while a
 * second guest ran on the same 2 host CPUs (FINDINGS B2; 78 ms in a quiet
 * guest).  5 s is about five times that, a tenth of v1's lockup.
 */
#define SPIN_MS 5000
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

static char whole[64], part[64];
static volatile int stop;

static long long clk(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void *cycler(void *arg)
{
	while (!stop) {
		int fd = open(whole, O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 30, unit = argc > 2 ? atoi(argv[2]) : 22;
	long long end, max_cpu = 0, max_wall = 0, n = 0, spins = 0;
	char line[128], name[64];
	int major = -1, m;
	pthread_t th;
	FILE *f;

	printf("TAP version 13\n1..1\n");
	system("modprobe md_mod");
	f = fopen("/proc/devices", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %63s", &m, name) == 2 && !strcmp(name, "mdp"))
			major = m;
	if (f)
		fclose(f);
	if (major < 0)
		return printf("not ok 1 r2_partition_spin: no mdp major\n"), 1;
	snprintf(whole, sizeof(whole), "/tmp/r2.md_d%d", unit);
	snprintf(part, sizeof(part), "/tmp/r2.md_d%dp1", unit);
	unlink(whole);
	unlink(part);
	mknod(whole, S_IFBLK | 0600, makedev(major, unit << 6));
	mknod(part, S_IFBLK | 0600, makedev(major, (unit << 6) + 1));
	pthread_create(&th, NULL, cycler, NULL);
	end = clk(CLOCK_MONOTONIC) + secs * 1000000LL;
	while (clk(CLOCK_MONOTONIC) < end) {
		long long c0 = clk(CLOCK_THREAD_CPUTIME_ID), w0 = clk(CLOCK_MONOTONIC);
		int fd = open(part, O_RDONLY), err = errno;
		long long c = clk(CLOCK_THREAD_CPUTIME_ID) - c0, w = clk(CLOCK_MONOTONIC) - w0;

		if (fd >= 0)
			close(fd);
		n++;
		if (c > max_cpu)
			max_cpu = c;
		if (w > max_wall)
			max_wall = w;
		if (c > SPIN_MS * 1000LL) {
			spins++;
			printf("# partition open: %lld ms CPU in %lld ms (%s)\n", c / 1000,
			       w / 1000, fd < 0 ? strerror(err) : "ok");
			fflush(stdout);
		}
	}
	stop = 1;
	pthread_join(th, NULL);
	unlink(whole);
	unlink(part);
	printf("# R2: %lld partition opens, %lld used > %d ms CPU; max %lld ms CPU, max %lld ms wall\n",
	       n, spins, SPIN_MS, max_cpu / 1000, max_wall / 1000);
	printf("%s 1 r2_partition_spin: %lld of %lld partition opens used > %d ms CPU\n",
	       spins ? "not ok" : "ok", spins, n, SPIN_MS);
	return spins ? 1 : 0;
}
