// SPDX-License-Identifier: GPL-2.0
/*
 * T19 (FINDINGS.md; make check's md_module.sh hit it once through udevd):
 * "rmmod md_mod" while other processes read md sysfs attributes, as
 * udevd's rules and "mdadm --detail" do for every md device that appears.
 *
 * On 6.12 v1 an attribute read (md_attr_show) holds an mddev reference
 * but no module reference; when md_exit() has run meanwhile, the reader's
 * mddev_put() queues the deletion on the destroyed md_misc_wq (WARNING in
 * __queue_work) and a later open oopses on freed md_mod data.  make
 * check's md_module.sh holds udevd's events while it unloads md_mod, so
 * this race is checked here, on purpose, with readers of its own.
 *
 * Each cycle loads md_mod, creates md_t19 (new_array) and md119 (an open
 * of its node), starts READERS threads that open, read and close every
 * attribute of both devices' md/ directories over and over, waits until
 * each has read, unloads the personalities and md_mod (retried while it
 * is busy), then stops the readers.  Usage: t19_sysfs_read_rmmod [CYCLES
 * [READERS]] (default 100, 4).  Prints KTAP with the counts: ok if md_mod
 * unloaded every cycle; a kernel report fails it through the harness's
 * console scan.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "findings.h"

#define NEW_ARRAY "/sys/module/md_mod/parameters/new_array"
#define MAX_READERS 16

static volatile int stop;
static unsigned long reads[MAX_READERS];

static void read_dir(const char *dir, unsigned long *n)
{
	char path[512], buf[4096];
	struct dirent *de;
	DIR *d = opendir(dir);
	int fd;

	if (!d)
		return;
	while (!stop && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (read(fd, buf, sizeof(buf)) >= 0)
			(*n)++;
		close(fd);
	}
	closedir(d);
}

static void *reader(void *arg)
{
	unsigned long *n = arg;

	while (!stop) {
		read_dir("/sys/block/md_t19/md", n);
		read_dir("/sys/block/md119/md", n);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 100;
	int nr = argc > 2 ? atoi(argv[2]) : 4;
	unsigned long busy = 0, total = 0, unloaded = 0, stuck = 0;
	pthread_t th[MAX_READERS];
	int i, r, t, fd;

	if (nr < 1 || nr > MAX_READERS || cycles < 1) {
		fprintf(stderr, "usage: %s [CYCLES [READERS (1..%d)]]\n", argv[0], MAX_READERS);
		return 2;
	}
	printf("TAP version 13\n1..1\n");
	mknod("/tmp/md119", S_IFBLK | 0600, makedev(9, 119));
	for (i = 0; i < cycles; i++) {
		if (system("modprobe md_mod")) {
			printf("Bail out! cannot load md_mod\n");
			return 1;
		}
		write_str(NEW_ARRAY, "md_t19");
		fd = open("/tmp/md119", O_RDONLY);
		if (fd >= 0)
			close(fd);
		stop = 0;
		for (r = 0; r < nr; r++) {
			reads[r] = 0;
			pthread_create(&th[r], NULL, reader, &reads[r]);
		}
		/* Every reader is in its loop before the unload starts. */
		for (r = 0; r < nr; r++)
			while (!reads[r])
				usleep(1000);
		if (system("for m in raid0 raid1 raid456 raid10 linear /sys/module/md_mod/holders/*; do "
			   "m=${m##*/}; [ -d /sys/module/$m ] && rmmod $m; done 2>/dev/null; true"))
			;
		for (t = 0; syscall(SYS_delete_module, "md_mod", O_NONBLOCK); t++) {
			busy++;
			if (t >= 1000) {
				stuck++;
				break;
			}
			usleep(1000);
		}
		if (access("/sys/module/md_mod", F_OK))
			unloaded++;
		stop = 1;
		for (r = 0; r < nr; r++) {
			pthread_join(th[r], NULL);
			total += reads[r];
		}
	}
	unlink("/tmp/md119");
	if (system("modprobe md_mod"))
		;
	printf("# %d cycles, %d readers: md_mod unloaded %lu times (%lu busy rmmods, %lu cycles where it stayed), %lu attribute reads\n",
	       cycles, nr, unloaded, busy, stuck, total);
	printf("%s 1 rmmod md_mod racing md sysfs readers: unloaded every cycle\n",
	       unloaded == (unsigned long)cycles ? "ok" : "not ok");
	return unloaded == (unsigned long)cycles ? 0 : 1;
}
