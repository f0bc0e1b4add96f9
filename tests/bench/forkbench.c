/*
 * forkbench.c - what fork, copy-on-write and the kernel's basic paths cost.
 *
 * Every figure is a difference of calf_clock_ns(). Run under QEMU with
 * -icount shift=0 (./calf bench does) a virtual nanosecond is one guest
 * instruction, so the figures are instruction counts and repeat exactly.
 * Without -icount they are host-dependent times. Results: docs/benchmarks.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>

#define PAGE 4096
#define KIB 1024
#define MIB (1024 * 1024)

static int failures;

static void report(const char *what, uint64_t total, unsigned count, const char *unit)
{
	printf("  %-44s %10lu  per %s\n", what, (unsigned long)(total / count), unit);
}

/* Reap pid; a benchmark whose child did not exit cleanly does not count. */
static void reap(pid_t pid)
{
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("forkbench: child %d failed\n", pid);
		failures++;
	}
}

static void bench_syscall(void)
{
	const unsigned n = 1000;
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < n; i++)
		getpid();
	report("getpid() round trip", calf_clock_ns() - t0, n, "call");
}

static void bench_fork_exit_wait(void)
{
	const unsigned n = 100;
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		reap(pid);
	}
	report("fork + exit + waitpid, small app", calf_clock_ns() - t0, n, "round");
}

/* The parent's side of fork() with size bytes of touched heap. */
static void bench_fork_resident(size_t size)
{
	char *buf = malloc(size);
	if (!buf) {
		failures++;
		return;
	}
	memset(buf, 1, size);
	uint64_t t0 = calf_clock_ns();
	pid_t pid = fork();
	uint64_t t1 = calf_clock_ns();
	if (pid == 0)
		_exit(0);
	reap(pid);
	char what[64];
	snprintf(what, sizeof(what), "fork() with %4lu KiB resident heap", (unsigned long)(size / KIB));
	report(what, t1 - t0, 1, "fork");
	free(buf);
}

/* Write one byte in each page of buf; returns the time taken. */
static uint64_t touch_pages(volatile char *buf, size_t size, char v)
{
	uint64_t t0 = calf_clock_ns();
	for (size_t i = 0; i < size; i += PAGE)
		buf[i] = v;
	return calf_clock_ns() - t0;
}

static void bench_cow(void)
{
	const size_t size = 1 * MIB;
	const unsigned pages = size / PAGE;
	volatile char *buf = malloc(size);
	if (!buf) {
		failures++;
		return;
	}
	report("first touch of a heap page (zero fill)", touch_pages(buf, size, 1), pages, "page");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* The parent still maps every page: each write copies. */
		report("write to a shared page (COW copy)", touch_pages(buf, size, 2), pages, "page");
		report("second write to the same page (no fault)", touch_pages(buf, size, 3), pages,
		       "page");
		fflush(stdout);
		_exit(0);
	}
	reap(pid);
	/* The child has gone: this space is the last sharer, each write reuses. */
	report("write after the sharer exited (COW reuse)", touch_pages(buf, size, 4), pages, "page");
	free((void *)buf);
}

static void bench_yield(void)
{
	const unsigned n = 1000;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (unsigned i = 0; i < n; i++)
			sched_yield();
		_exit(0);
	}
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < n; i++)
		sched_yield();
	uint64_t t1 = calf_clock_ns();
	reap(pid);
	report("sched_yield() switch between two tasks", t1 - t0, 2 * n, "switch");
}

int main(void)
{
	printf("forkbench: units are virtual ns (guest instructions under -icount shift=0)\n");
	bench_syscall();
	bench_fork_exit_wait();
	bench_fork_resident(64 * KIB);
	bench_fork_resident(1 * MIB);
	bench_fork_resident(4 * MIB);
	bench_fork_resident(16 * MIB);
	bench_cow();
	bench_yield();
	printf("forkbench: %s\n", failures ? "FAILED" : "done");
	printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
	return failures ? 1 : 0;
}
