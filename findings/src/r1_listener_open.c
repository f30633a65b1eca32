// SPDX-License-Identifier: GPL-2.0
/*
 * R1: an open during add_disk() sleeps until the disk is deleted.
 *
 * A listener (like udev reacting to a new /dev node) spins until
 * /dev/mdN appears and opens it at once, while the creator opens a node of
 * mdN (create-on-open, which makes mdN) and keeps it for HOLD ms.  On a
 * correct kernel the listener's open returns within milliseconds.  With
 * series v1 (0003) a listener whose lookup misses while the disk is
 * registered but not yet hashed waits in bdev_wait_dying_devt() until the
 * disk is deleted, i.e. until after the creator's close.
 *
 * Usage: r1_listener_open [ATTEMPTS [HOLD_MS [MINOR [RMMOD]]]]
 * (default 20 2000 320 0).  Prints each attempt, and KTAP: not ok if any
 * listener open outlasted the hold.
 *
 * With RMMOD=1 (N2), md_mod is unloaded right after the creator's close,
 * while a listener may still sleep in bdev_wait_dying_devt() holding a
 * reference to the gendisk but none to md_mod: when it drops that
 * reference after md_mod is gone, disk_release() reads md_fops in freed
 * module memory (oops in device_release()).  md_mod is loaded again after
 * each attempt.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	int attempts = argc > 1 ? atoi(argv[1]) : 20;
	int hold_ms = argc > 2 ? atoi(argv[2]) : 2000;
	int minor = argc > 3 ? atoi(argv[3]) : 320;
	int rmmod = argc > 4 ? atoi(argv[4]) : 0;
	long long *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char node[64], dev[64], sys[64];
	int i, stalled = 0, seen = 0;

	printf("TAP version 13\n1..1\n");
	snprintf(node, sizeof(node), "/tmp/r1.md%d", minor);
	snprintf(dev, sizeof(dev), "/dev/md%d", minor);
	snprintf(sys, sizeof(sys), "/sys/block/md%d", minor);
	unlink(node);
	if (mknod(node, S_IFBLK | 0600, makedev(9, minor)))
		return printf("# mknod: %s\nnot ok 1 %s\n", strerror(errno), "r1_listener_open"), 1;
	system("echo Y > /sys/module/md_mod/parameters/create_on_open");
	for (i = 0; i < attempts; i++) {
		long long t_close, deadline;
		int fd, status, n;
		pid_t pid;

		/* The previous one must be gone (the base keeps it: clear it). */
		for (n = 0; !access(sys, F_OK); n++) {
			if (n == 2000) {
				char st[96];
				int sfd;

				snprintf(st, sizeof(st), "%s/md/array_state", sys);
				sfd = open(st, O_WRONLY);
				if (sfd >= 0) {
					write(sfd, "clear", 5);
					close(sfd);
				}
			}
			usleep(1000);
		}
		memset(sh, 0, 4096);
		pid = fork();
		if (!pid) {
			long long end = now_us() + hold_ms * 1000LL + 5000000;
			int lfd;

			sh[3] = 1;
			while (access(dev, F_OK) && now_us() < end)
				sched_yield();
			sh[0] = now_us();
			lfd = open(dev, O_RDONLY);
			sh[1] = now_us();
			sh[2] = lfd < 0 ? errno : 0;
			if (lfd >= 0)
				close(lfd);
			_exit(0);
		}
		while (!sh[3])
			usleep(100);
		usleep(2000);
		fd = open(node, O_RDONLY);	/* creates mdN */
		if (fd < 0) {
			printf("# creator open: %s\n", strerror(errno));
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			continue;
		}
		usleep(hold_ms * 1000);
		t_close = now_us();
		close(fd);
		if (rmmod) {
			long long until = now_us() + 2000000;
			int r;

			while ((r = syscall(SYS_delete_module, "md_mod", O_NONBLOCK)) &&
			       now_us() < until)
				usleep(200);
			printf("# attempt %d: rmmod md_mod right after the close: %s\n", i,
			       r ? strerror(errno) : "ok");
		}
		deadline = now_us() + 30000000;
		while (!waitpid(pid, &status, WNOHANG) && now_us() < deadline)
			usleep(1000);
		if (!sh[1]) {
			printf("# attempt %d: the listener did not open\n", i);
			continue;
		}
		seen++;
		printf("# attempt %d: listener open took %lld ms (%s)%s\n", i,
		       (sh[1] - sh[0]) / 1000, sh[2] ? strerror(sh[2]) : "ok",
		       sh[1] > t_close ? ", returned only after the creator's close: R1" : "");
		if (sh[1] > t_close)
			stalled++;
		fflush(stdout);
		if (rmmod && system("modprobe md_mod")) {
			printf("not ok 1 r1_listener_open: modprobe md_mod failed\n");
			return 1;
		}
	}
	unlink(node);
	printf("# R1: %d of %d listener opens outlasted the creator's %d ms hold\n",
	       stalled, seen, hold_ms);
	printf("%s 1 r1_listener_open: %d of %d listener opens outlasted the creator's hold\n",
	       stalled ? "not ok" : "ok", stalled, seen);
	return stalled ? 1 : 0;
}
