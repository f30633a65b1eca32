// SPDX-License-Identifier: GPL-2.0
/*
 * T1 (FINDINGS.md; md_torture found it): a write to new_array racing with "rmmod md_mod".
 *
 * md_exit() deletes every md device and destroys md's workqueues, but the
 * module's parameters stay writable until free_module() removes them
 * afterwards, and a new_array store holds no module reference.  A writer
 * that meets an array md_exit() is deleting sleeps in __md_alloc() (series
 * v1, 0004) and, woken by that deletion, calls flush_workqueue() on the
 * destroyed md_misc_wq: an oops in __flush_workqueue()/__mutex_lock().
 * On the base, md_alloc() does not sleep there, so only a write that enters
 * between destroy_workqueue() and the removal of the sysfs files can hit.
 *
 * Usage: t1_new_array_rmmod [CYCLES] (default 200).  Prints KTAP: ok if
 * it survived (an oops fails it through the harness's console scan).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define NEW_ARRAY "/sys/module/md_mod/parameters/new_array"

static volatile int stop;
static unsigned long writes, eexist, enoent, ok;

static void *writer(void *arg)
{
	while (!stop) {
		int fd = open(NEW_ARRAY, O_WRONLY);

		if (fd < 0) {
			enoent++;
			continue;
		}
		if (write(fd, "md_n1", 5) < 0) {
			if (errno == EEXIST)
				eexist++;
		} else {
			ok++;
		}
		writes++;
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 200, i, fails = 0;
	pthread_t th[2];

	printf("TAP version 13\n1..1\n");
	for (i = 0; i < cycles; i++) {
		int fd;

		if (system("modprobe md_mod")) {
			printf("not ok 1 t1_new_array_rmmod: modprobe md_mod failed\n");
			return 1;
		}
		fd = open(NEW_ARRAY, O_WRONLY);
		if (fd >= 0) {
			write(fd, "md_n1", 5);
			close(fd);
		}
		stop = 0;
		pthread_create(&th[0], NULL, writer, NULL);
		pthread_create(&th[1], NULL, writer, NULL);
		usleep(2000);
		if (syscall(SYS_delete_module, "md_mod", O_NONBLOCK))
			fails++;
		usleep(2000);
		stop = 1;
		pthread_join(th[0], NULL);
		pthread_join(th[1], NULL);
		if (i % 20 == 0)
			printf("# cycle %d: %lu writes (%lu ok, %lu EEXIST, %lu ENOENT), %d failed rmmods\n",
			       i, writes, ok, eexist, enoent, fails);
		fflush(stdout);
	}
	printf("ok 1 t1_new_array_rmmod: survived %d cycles: %lu writes, %d failed rmmods\n",
	       cycles, writes, fails);
	return 0;
}
