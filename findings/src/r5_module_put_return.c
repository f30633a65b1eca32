// SPDX-License-Identifier: GPL-2.0
/*
 * R5: md_mod's code drops md_mod's last module reference and returns into
 * itself.
 *
 * Series v1 (0005) queues task work that ends with module_put(THIS_MODULE)
 * (mddev_wait_deleted(), md_probe_unpin()).  When that put is the last
 * reference, rmmod may unload md_mod before the task has returned from the
 * callback into md_mod's text.  Al Viro, 2008: "you can't drop the final
 * reference to module from within that module, period."
 *
 * The check does not wait for luck.  It reads the module:module_put trace
 * event, filtered to md_mod's last reference (refcnt == MODULE_REF_BASE),
 * from a SCHED_FIFO reader on the closer's CPU.  The event is recorded
 * inside module_put() after the reference is gone; the ring buffer wakes
 * the reader through irq_work, so on a preemptible kernel the closer is
 * preempted at the end of the trace point, before module_put() returns.
 * The event's call site says whose code dropped the reference: "[md_mod]"
 * is the construction R5 names, and it fails the check wherever it is
 * seen.  Then the reader reads the closer's kernel stack; if the closer
 * will return into md_mod, the reader keeps the CPU while another thread
 * unloads md_mod, and lets the closer return into the freed text: an oops
 * (a page fault on an instruction fetch), which the harness's console
 * scan reports.  On a kernel that is not preemptible the closer cannot be
 * preempted there (and free_module()'s synchronize_rcu() waits for it):
 * the construction is still seen and reported, the unload is not tried.
 * On the unpatched base md_mod never drops its own last reference: the
 * block layer does, after md's release returned.
 *
 * The window exists only where the compiler leaves one.  Built without
 * frame pointers (x86's ORC unwinder, Debian's amd64 kernel), gcc turns
 * the module_put(THIS_MODULE) that ends each v1 callback into a tail call
 * ("pop %rbx; jmp module_put"): module_put() returns straight into
 * task_work_run(), the event's call site is task_work_run, and the check
 * passes, rightly.  Frame pointers (arm64 always, x86 with
 * UNWINDER_FRAME_POINTER) build with -fno-optimize-sibling-calls: the
 * callback returns into md_mod after the put.  MDLC_XCONFIG=preempt has both.
 *
 * Each cycle opens and closes a node of a create-on-open mdNNN, whose
 * last close deletes it (v1) and waits for that in task work.
 *
 * Usage: r5_module_put_return [CYCLES [MINOR]] (default 50 330).
 * Needs trace events (MDLC_XCONFIG=preempt builds a kernel with them and with
 * CONFIG_PREEMPT).  Prints KTAP, and the counts behind it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#define TRACEFS		"/sys/kernel/tracing"
#define INST		TRACEFS "/instances/md_r5"
#define EVENT		INST "/events/module/module_put"
#define COO		"/sys/module/md_mod/parameters/create_on_open"
/*
 * How long the reader keeps the CPU for the unload: rmmod md_mod takes
 * tens of milliseconds under TCG.  Below the fair server's deferral (950
 * ms of every second go to RT tasks first), so the preempted closer does
 * not get the CPU back in the middle.
 */
#define SPIN_MS		900

static int closer_cpu, other_cpu;
static pid_t closer_tid;
static atomic_int reader_tid;
static int req_pipe[2];
static atomic_int rmmod_state;	/* 0 idle, 1 asked, 2 done */
static atomic_int rmmod_errno;
static atomic_int stop;

/* Counts, written by the reader, read by main after it stopped. */
static unsigned long puts_last, puts_md, preempted_in_md, unloads_tried,
		     unloads_ok, unload_eagain, unload_other, spins_timed_out;
static char first_site[128], first_stack[2048];
/* Who dropped md_mod's last reference: the first few call sites seen. */
#define NSITES 4
static char sites[NSITES][128];
static unsigned long site_count[NSITES];

static void count_site(const char *site)
{
	int i;

	for (i = 0; i < NSITES && sites[i][0]; i++) {
		if (!strcmp(sites[i], site)) {
			site_count[i]++;
			return;
		}
	}
	if (i < NSITES) {
		snprintf(sites[i], sizeof(sites[i]), "%s", site);
		site_count[i] = 1;
	}
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -errno : 0;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int md_loaded(void)
{
	return access("/sys/module/md_mod", F_OK) == 0;
}

static void *unloader(void *arg)
{
	char c;

	pin(other_cpu);
	while (read(req_pipe[0], &c, 1) == 1 && !atomic_load(&stop)) {
		int r = syscall(SYS_delete_module, "md_mod", O_NONBLOCK);

		atomic_store(&rmmod_errno, r ? errno : 0);
		atomic_store(&rmmod_state, 2);
	}
	return NULL;
}

/* One "module_put: md_mod call_site=SITE refcnt=N" line. */
static void handle(char *line)
{
	static char stack[2048];
	char path[64], *site, *end;
	long long t0;
	int fd, n;

	site = strstr(line, "module_put: md_mod call_site=");
	if (!site || !strstr(line, "refcnt=1"))
		return;
	puts_last++;
	site += strlen("module_put: md_mod call_site=");
	end = strstr(site, " refcnt=");
	if (end)
		*end = '\0';
	count_site(site);
	if (!strstr(site, "[md_mod]"))
		return;
	/* md_mod's own code dropped md_mod's last reference. */
	puts_md++;
	if (!first_site[0])
		snprintf(first_site, sizeof(first_site), "%s", site);

	/* Where is the closer now?  Preempted, it has not returned yet. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", closer_tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, stack, sizeof(stack) - 1);
	close(fd);
	if (n <= 0)
		return;
	stack[n] = '\0';
	if (!strstr(stack, "[md_mod]"))
		return;
	preempted_in_md++;
	if (!first_stack[0])
		snprintf(first_stack, sizeof(first_stack), "%s", stack);

	/* The closer will return into md_mod: unload it meanwhile. */
	printf("# closer %d preempted after md_mod's last put in %s; unloading md_mod\n",
	       closer_tid, site);
	fflush(stdout);
	atomic_store(&rmmod_state, 1);
	unloads_tried++;
	if (write(req_pipe[1], "x", 1) != 1)
		return;
	t0 = now_ms();
	while (atomic_load(&rmmod_state) != 2) {
		if (now_ms() - t0 > SPIN_MS) {
			spins_timed_out++;
			return;
		}
	}
	switch (atomic_load(&rmmod_errno)) {
	case 0:
		unloads_ok++;
		printf("# md_mod unloaded after %lld ms; closer %d returns into its freed text now\n",
		       now_ms() - t0, closer_tid);
		fflush(stdout);
		break;
	case EAGAIN:
		unload_eagain++;
		break;
	default:
		unload_other++;
		break;
	}
}

static void *reader(void *arg)
{
	static char buf[65536];
	struct sched_param sp = { .sched_priority = 50 };
	char path[128];
	size_t have = 0;
	int fd;

	pin(closer_cpu);
	sched_setscheduler(0, SCHED_FIFO, &sp);
	snprintf(path, sizeof(path), INST "/per_cpu/cpu%d/trace_pipe", closer_cpu);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("# cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	atomic_store(&reader_tid, gettid());
	while (!atomic_load(&stop)) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - 1 - have);
		char *p, *nl;

		if (n <= 0)
			break;
		have += n;
		buf[have] = '\0';
		for (p = buf; (nl = strchr(p, '\n')); p = nl + 1) {
			*nl = '\0';
			handle(p);
		}
		have = strlen(p);
		memmove(buf, p, have);
		if (have == sizeof(buf) - 1)
			have = 0;
	}
	close(fd);
	return NULL;
}

/*
 * Is the reader waiting in trace_pipe with nothing left to read (its
 * stack is in ring_buffer_wait())?  Wait up to 10 s for it.
 */
static int reader_idle(void)
{
	char path[64], stack[2048];
	long long t0 = now_ms();

	while (now_ms() - t0 < 10000) {
		int tid = atomic_load(&reader_tid), fd = -1, n = -1;

		snprintf(path, sizeof(path), "/proc/self/task/%d/stack", tid);
		if (tid)
			fd = open(path, O_RDONLY);
		if (fd >= 0) {
			n = read(fd, stack, sizeof(stack) - 1);
			close(fd);
		}
		if (n > 0) {
			stack[n] = '\0';
			if (strstr(stack, "ring_buffer_wait"))
				return 1;
		}
		usleep(1000);
	}
	return 0;
}

static int setup_trace(void)
{
	if (access(TRACEFS "/events", F_OK))
		mount("nodev", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "/events/module/module_put", F_OK))
		return -1;
	rmdir(INST);
	if (mkdir(INST, 0755) && errno != EEXIST)
		return -2;
	if (write_str(EVENT "/filter", "name == \"md_mod\" && refcnt == 1"))
		return -3;
	if (write_str(EVENT "/enable", "1"))
		return -4;
	return 0;
}

static int load_md(void)
{
	if (!md_loaded() && system("modprobe md_mod"))
		return -1;
	return write_str(COO, "Y");
}

int main(int argc, char **argv)
{
	int cycles = argc > 1 ? atoi(argv[1]) : 50;
	int minor = argc > 2 ? atoi(argv[2]) : 330;
	unsigned long opens = 0, open_fail = 0, reloads = 0;
	char node[64], modprobe[256] = "";
	pthread_t rt, ut;
	struct utsname u;
	int i, r, fd, preempt;

	printf("TAP version 13\n1..1\n");
	uname(&u);
	preempt = strstr(u.version, "PREEMPT ") || strstr(u.version, "PREEMPT_RT");
	printf("# kernel %s %s: %s\n", u.release, u.version,
	       preempt ? "preemptible" :
	       "not fully preemptible: the closer is not preempted inside md_mod, the unload is not tried");
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("not ok 1 r5_module_put_return: needs 2 CPUs\n");
		return 1;
	}
	closer_cpu = 0;
	other_cpu = 1;
	r = setup_trace();
	if (r == -1) {
		/* The instrument is missing, not the feature: say so. */
		printf("ok 1 r5_module_put_return # SKIP no module:module_put trace event in this kernel: make findings MDLC_XCONFIG=preempt\n");
		return 0;
	}
	if (r) {
		printf("not ok 1 r5_module_put_return: cannot set up the trace instance (step %d)\n",
		       r);
		return 1;
	}
	/* md_mod's personalities keep it loaded: none may be. */
	syscall(SYS_delete_module, "raid456", O_NONBLOCK);
	syscall(SYS_delete_module, "raid1", O_NONBLOCK);
	syscall(SYS_delete_module, "raid0", O_NONBLOCK);
	syscall(SYS_delete_module, "raid10", O_NONBLOCK);
	syscall(SYS_delete_module, "linear", O_NONBLOCK);
	/* Block-major autoload must not bring md_mod back behind our back. */
	fd = open("/proc/sys/kernel/modprobe", O_RDONLY);
	if (fd >= 0) {
		r = read(fd, modprobe, sizeof(modprobe) - 1);
		modprobe[r > 0 ? r : 0] = '\0';
		close(fd);
		write_str("/proc/sys/kernel/modprobe", "/bin/true");
	}
	if (load_md()) {
		printf("not ok 1 r5_module_put_return: cannot load md_mod\n");
		return 1;
	}
	snprintf(node, sizeof(node), "/tmp/r5.md%d", minor);
	unlink(node);
	if (mknod(node, S_IFBLK | 0600, makedev(9, minor))) {
		printf("not ok 1 r5_module_put_return: mknod %s: %s\n", node,
		       strerror(errno));
		return 1;
	}
	pin(closer_cpu);
	closer_tid = gettid();
	if (pipe(req_pipe) || pthread_create(&ut, NULL, unloader, NULL) ||
	    pthread_create(&rt, NULL, reader, NULL)) {
		printf("not ok 1 r5_module_put_return: cannot start threads\n");
		return 1;
	}
	/* Events wake the reader only once it waits in trace_pipe. */
	if (!reader_idle()) {
		printf("not ok 1 r5_module_put_return: the trace reader never waited in trace_pipe\n");
		return 1;
	}

	for (i = 0; i < cycles; i++) {
		if (!md_loaded()) {
			if (load_md()) {
				printf("# cycle %d: cannot load md_mod again\n", i);
				break;
			}
			reloads++;
		}
		fd = open(node, O_RDONLY);
		opens++;
		if (fd < 0) {
			open_fail++;
			continue;
		}
		close(fd);
	}
	/* The reader has read every event once it waits again. */
	if (!reader_idle())
		printf("# the trace reader did not drain trace_pipe in 10 s\n");
	atomic_store(&stop, 1);
	write_str(EVENT "/enable", "0");
	pthread_cancel(rt);
	pthread_join(rt, NULL);
	if (write(req_pipe[1], "x", 1) == 1)
		pthread_join(ut, NULL);
	rmdir(INST);
	if (modprobe[0])
		write_str("/proc/sys/kernel/modprobe", modprobe);
	unlink(node);
	load_md();

	printf("# cycles %d: opens %lu (failed %lu), md_mod reloaded %lu\n",
	       cycles, opens, open_fail, reloads);
	printf("# md_mod's last reference dropped: %lu, by md_mod's own code: %lu (first: %s)\n",
	       puts_last, puts_md, first_site[0] ? first_site : "-");
	for (i = 0; i < NSITES && sites[i][0]; i++)
		printf("#   last put in %s: %lu\n", sites[i], site_count[i]);
	printf("# closer preempted with md_mod frames on its stack: %lu; unloads tried %lu: ok %lu, EAGAIN %lu, other %lu, reader gave up %lu\n",
	       preempted_in_md, unloads_tried, unloads_ok, unload_eagain,
	       unload_other, spins_timed_out);
	if (first_stack[0]) {
		char *p, *nl;

		printf("# the closer's stack then:\n");
		for (p = first_stack; (nl = strchr(p, '\n')); p = nl + 1)
			printf("#   %.*s\n", (int)(nl - p), p);
	}
	if (puts_md)
		printf("not ok 1 r5_module_put_return: md_mod dropped its own last module reference %lu of %lu times (%s)\n",
		       puts_md, puts_last, first_site);
	else if (!puts_last)
		printf("not ok 1 r5_module_put_return: no last put of md_mod seen in %d cycles: the check did not work\n",
		       cycles);
	else
		printf("ok 1 r5_module_put_return: md_mod's last reference dropped %lu times, never by md_mod's code\n",
		       puts_last);
	return 0;
}
