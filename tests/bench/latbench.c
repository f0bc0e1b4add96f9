/*
 * latbench.c - how late the most urgent task wakes while others load the
 * machine, in guest instructions.
 *
 * A priority-0 sampler process sleeps to absolute deadlines a period apart
 * (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME), as cyclictest does) and
 * notes how long after each deadline it ran (clock_gettime). Meanwhile its
 * parent, at priority 20, runs one load after another: fork + exit + wait
 * of a 16 MiB and a 64 MiB parent, a child writing every page of 16 MiB, a
 * fork storm, a console flood, two threads hammering their space's mutex.
 * Each load gets its own sampler, which prints the worst lateness as
 * "csv: wake_latency_max_LOAD,N" and exits; the load runs until then.
 *
 * Under QEMU with -icount shift=0,align=off,sleep=off (./calf bench) a
 * virtual nanosecond is one guest instruction, so the figures are
 * instruction counts and repeat exactly. docs/benchmarks.md has them and
 * what the worst case is made of. Every load checks that it did its work
 * (frames written, children reaped, bytes written); a shortfall prints
 * FAIL and makes the exit status non-zero.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>

#define PAGE 4096u
#define MIB (1024u * 1024u)
#define PERIOD_NS 1000000ull /* the sampler's period: 1 ms */
#define SAMPLES 100          /* deadlines per load */
#define SAMPLES_CONSOLE 10   /* QEMU's UART is instant: 10 ms of flood is already 0.5 MiB of dots */
#define LOAD_PRIO 20

static int failures;

/* Print FAIL what when !ok and count it (what passed is summed up per load). */
static bool check(bool ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s\n", what);
		failures++;
	}
	return ok;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Sleep until the monotonic clock reads deadline (ns). */
static void sleep_until(uint64_t deadline)
{
	struct timespec ts = { (time_t)(deadline / 1000000000ull), (long)(deadline % 1000000000ull) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) != 0)
		;
}

/* The sampler's body: wake at samples deadlines, print the worst lateness as metric. */
static int sampler_run(const char *metric, int samples)
{
	if (calf_setprio(0, 0) < 0)
		return 1;
	uint64_t worst = 0, next = now_ns() + PERIOD_NS;
	for (int i = 0; i < samples; i++) {
		sleep_until(next);
		uint64_t late = now_ns() - next;
		if (late > worst)
			worst = late;
		next += PERIOD_NS;
	}
	printf("  %-40s %10lu  worst wake, over %d deadlines\n", metric, (unsigned long)worst,
	       samples);
	printf("csv: %s,%lu\n", metric, (unsigned long)worst);
	fflush(stdout);
	return 0;
}

/* Fork a sampler for metric; the caller loads the machine until sampler_done(). */
static pid_t sampler_start(const char *metric, int samples)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(sampler_run(metric, samples));
	return pid;
}

/* True once the sampler has exited (checked to have exited with 0). */
static bool sampler_done(pid_t pid)
{
	int status;
	if (waitpid(pid, &status, WNOHANG) != pid)
		return false;
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the sampler ran to its end");
	return true;
}

/* ---- loads: each does one round and returns false on a failed check --------- */

struct load {
	const char *metric;
	bool (*round)(const struct load *ld, volatile unsigned char *buf);
	size_t heap; /* bytes of resident heap the load's task holds */
	int samples; /* deadlines its sampler measures */
};

/* Reap pid; true when it exited with status 0. */
static bool reap(pid_t pid)
{
	int status;
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* fork + the child exits at once + waitpid, with ld->heap resident in the parent. */
static bool round_fork_exit(const struct load *ld, volatile unsigned char *buf)
{
	(void)ld;
	(void)buf;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	return check(reap(pid), "fork + exit + wait");
}

/* fork; the child writes every page of the heap (each a COW copy) and exits. */
static bool round_cow(const struct load *ld, volatile unsigned char *buf)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct calf_meminfo a, b;
		calf_meminfo(&a);
		for (size_t i = 0; i < ld->heap; i += PAGE)
			buf[i] = 2;
		calf_meminfo(&b);
		_exit(b.cow_copies - a.cow_copies >= ld->heap / PAGE ? 0 : 1);
	}
	return check(reap(pid), "a child copied every page of the heap");
}

/* 16 children at once, each forking a grandchild, all reaped. */
static bool round_fork_storm(const struct load *ld, volatile unsigned char *buf)
{
	(void)ld;
	(void)buf;
	pid_t kids[16];
	fflush(stdout);
	for (int i = 0; i < 16; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			pid_t g = fork();
			if (g == 0)
				_exit(0);
			_exit(reap(g) ? 0 : 1);
		}
	}
	bool ok = true;
	for (int i = 0; i < 16; i++)
		ok &= reap(kids[i]);
	return check(ok, "16 children and their grandchildren reaped");
}

/* 4 KiB to the console in one write(). */
static bool round_console(const struct load *ld, volatile unsigned char *buf)
{
	(void)ld;
	(void)buf;
	static char line[4096];
	if (line[0] == 0) {
		memset(line, '.', sizeof(line));
		for (size_t i = 63; i < sizeof(line); i += 64)
			line[i] = '\n';
	}
	return check(write(1, line, sizeof(line)) == (ssize_t)sizeof(line), "4 KiB written");
}

static char hammer_stack[16 * 1024] __attribute__((aligned(8)));
static volatile bool hammer_stop;

/* A thread taking and giving back the space's mutex as fast as it can (brk up and down). */
static int hammer(void *arg)
{
	(void)arg;
	while (!hammer_stop) {
		volatile char *p = sbrk(PAGE);
		if (p == (void *)-1)
			return 1;
		*p = 1; /* a zero fill under the mutex */
		sbrk(-(intptr_t)PAGE);
	}
	return 0;
}

/* While the hammering thread runs, hold the mutex 1 ms at a time in the kernel. */
static bool round_lock(const struct load *ld, volatile unsigned char *buf)
{
	(void)ld;
	(void)buf;
	uint64_t held;
	return check(calf_kbench(CALF_KBENCH_HOLD_SPACE, 1000, &held) == 0, "the mutex held 1 ms");
}

/* ---- stages ------------------------------------------------------------------ */

/* Run ld's rounds in a task of its own at LOAD_PRIO until its sampler is done. */
static void run_load(const struct load *ld)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		calf_setprio(0, LOAD_PRIO);
		volatile unsigned char *buf = NULL;
		if (ld->heap) {
			buf = malloc(ld->heap);
			if (!check(buf != NULL, "the load's heap"))
				_exit(1);
			for (size_t i = 0; i < ld->heap; i += PAGE)
				buf[i] = 1;
		}
		pid_t tid = 0;
		if (ld->round == round_lock) {
			memset(hammer_stack, 0, sizeof(hammer_stack));
			tid = calf_thread_spawn(hammer, NULL, hammer_stack + sizeof(hammer_stack));
			check(tid > 0, "the hammering thread started");
		}
		pid_t s = sampler_start(ld->metric, ld->samples);
		unsigned rounds = 0;
		while (!sampler_done(s) && ld->round(ld, buf))
			rounds++;
		if (tid > 0) {
			hammer_stop = true;
			check(reap(tid), "the hammering thread ended cleanly");
		}
		if (check(rounds > 0, "the load ran while the sampler measured"))
			printf("PASS %s: %u rounds of the load while the sampler measured\n", ld->metric,
			       rounds);
		fflush(stdout);
		_exit(failures);
	}
	int status;
	if (!check(pid > 0 && waitpid(pid, &status, 0) == pid, "the load's task ran"))
		return;
	failures += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Nothing but the sampler: what a wake costs on a quiet machine. */
static void run_idle(void)
{
	pid_t s = sampler_start("wake_latency_idle", SAMPLES);
	while (!sampler_done(s))
		usleep(10000);
}

static const struct load loads[] = {
	{ "wake_latency_max_fork16m", round_fork_exit, 16 * MIB, SAMPLES },
	{ "wake_latency_max_fork64m", round_fork_exit, 64 * MIB, SAMPLES },
	{ "wake_latency_max_cow16m", round_cow, 16 * MIB, SAMPLES },
	{ "wake_latency_max_forkstorm", round_fork_storm, 0, SAMPLES },
	{ "wake_latency_max_console", round_console, 0, SAMPLES_CONSOLE },
	{ "wake_latency_max_lock", round_lock, 0, SAMPLES },
};

int main(void)
{
	printf("latbench: the worst lateness of a priority-0 task sleeping to a deadline every "
	       "%lu ns, in guest instructions (virtual ns under QEMU -icount shift=0)\n",
	       (unsigned long)PERIOD_NS);
	run_idle();
	for (size_t i = 0; i < sizeof(loads) / sizeof(loads[0]); i++)
		run_load(&loads[i]);
	if (failures) {
		printf("latbench: FAILED, %d checks failed\n", failures);
		return 1;
	}
	printf("latbench: done, every check passed\n");
	return 0;
}
