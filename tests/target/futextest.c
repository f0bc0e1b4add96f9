/*
 * futextest.c - the on-target suite of the kernel's side of threads, in raw
 * system calls (the pthread library has its own suite): futex waits and
 * wakes with their errors and deadlines, thread groups (CLONE_THREAD,
 * gettid, exit_group, CHILD_CLEARTID), the thread pointer per thread,
 * priority-inheriting futexes, fork from a thread.
 *
 * Ordering without timing: a thread that must be blocked before the case
 * goes on is started at a more urgent priority than the case's task, so it
 * runs (and blocks) before suite_thread_start() returns.
 *
 * Each case runs in its own forked task; the suite prints PASS/FAIL per
 * case and "N passed, N failed", and exits with the number of failures.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>
#include <calf/abi.h>
#include "suite.h"

#define MS 1000000ull
#define S 1000000000ull
#define STACK_SIZE (16 * 1024)
#define URGENT 8  /* more urgent than a case's task (CALF_PRIO_DEFAULT) */

static char stacks[4][STACK_SIZE] __attribute__((aligned(16)));

/* The futex call, raw: the result or a negated errno. */
static int futex(volatile uint32_t *word, int op, uint32_t val, const struct calf_timespec *abs)
{
	return calf_syscall4(CALF_SYS_futex, (uint32_t)(uintptr_t)word, (uint32_t)op, val,
			     (uint32_t)(uintptr_t)abs);
}

static struct calf_meminfo meminfo(void)
{
	struct calf_meminfo mi;
	memset(&mi, 0, sizeof(mi));
	calf_meminfo(&mi);
	return mi;
}

/* The absolute CLOCK_MONOTONIC time ns from now. */
static struct calf_timespec deadline_in(uint64_t ns)
{
	uint64_t t = calf_clock_ns() + ns;
	return (struct calf_timespec){ (int64_t)(t / S), (int32_t)(t % S) };
}

/* Reap the task pid; true when it exited with 0. */
static bool reaped_ok(int pid)
{
	int status;
	return waitpid(pid, &status, 0) == pid && suite_exited_ok(status);
}

/* ---- futex wait and wake --------------------------------------------------- */

static volatile uint32_t word;
static volatile int woken, order[4], order_n;

static int futex_wait_returns_eagain_when_the_word_differs(void)
{
	word = 5;
	EXPECT(futex(&word, CALF_FUTEX_WAIT, 4, NULL) == -EAGAIN);
	struct calf_timespec abs = deadline_in(10 * S); /* differs: no wait, not even a timed one */
	EXPECT(futex(&word, CALF_FUTEX_WAIT, 6, &abs) == -EAGAIN);
	EXPECT(futex(&word, CALF_FUTEX_WAKE, 1, NULL) == 0); /* nobody waits */
	return 0;
}

/* A waiter thread: wait on word for 0, then count itself and note its arg. */
static int waiter(void *arg)
{
	int r = futex(&word, CALF_FUTEX_WAIT, 0, NULL);
	order[order_n++] = (int)(intptr_t)arg;
	woken++;
	return r;
}

static int futex_wake_wakes_exactly_n(void)
{
	word = 0;
	woken = order_n = 0;
	int tid[3];
	for (int i = 0; i < 3; i++) {
		tid[i] = suite_thread_start(stacks[i], STACK_SIZE, waiter, (void *)(intptr_t)i, URGENT);
		EXPECT(tid[i] > 0);
	}
	EXPECT(woken == 0); /* all three are blocked */
	EXPECT(futex(&word, CALF_FUTEX_WAKE, 2, NULL) == 2);
	EXPECT(woken == 2); /* more urgent than us: they ran at once */
	EXPECT(futex(&word, CALF_FUTEX_WAKE, 0, NULL) == 0);
	EXPECT(woken == 2);
	EXPECT(futex(&word, CALF_FUTEX_WAKE, INT_MAX, NULL) == 1);
	EXPECT(woken == 3);
	for (int i = 0; i < 3; i++)
		EXPECT(reaped_ok(tid[i]));
	return 0;
}

static int futex_wake_takes_the_most_urgent_waiter_first(void)
{
	word = 0;
	woken = order_n = 0;
	/* Started least urgent first: arrival order alone would wake them 12, 10, 8. */
	static const int prios[3] = { 12, 10, 8 };
	int tid[3];
	for (int i = 0; i < 3; i++) {
		tid[i] = suite_thread_start(stacks[i], STACK_SIZE, waiter, (void *)(intptr_t)prios[i],
					    prios[i]);
		EXPECT(tid[i] > 0);
	}
	/* One at a time: each woken one outranks us and notes its turn before the next wake. */
	for (int i = 0; i < 3; i++)
		EXPECT(futex(&word, CALF_FUTEX_WAKE, 1, NULL) == 1);
	EXPECT(order_n == 3);
	EXPECT(order[0] == 8 && order[1] == 10 && order[2] == 12);
	for (int i = 0; i < 3; i++)
		EXPECT(reaped_ok(tid[i]));
	return 0;
}

static int futex_timed_wait_times_out(void)
{
	word = 1;
	uint64_t t0 = calf_clock_ns();
	struct calf_timespec abs = deadline_in(20 * MS);
	EXPECT(futex(&word, CALF_FUTEX_WAIT, 1, &abs) == -ETIMEDOUT);
	uint64_t took = calf_clock_ns() - t0;
	EXPECT(took >= 20 * MS && took < 2 * S); /* never early; late only by a generous margin */
	abs = deadline_in(0); /* already past: at once */
	EXPECT(futex(&word, CALF_FUTEX_WAIT, 1, &abs) == -ETIMEDOUT);
	abs.tv_nsec = 1000000000; /* not a time */
	EXPECT(futex(&word, CALF_FUTEX_WAIT, 1, &abs) == -EINVAL);
	return 0;
}

/* A thread that waits on word forever: only a signal ends it. */
static int waiter_forever(void *arg)
{
	(void)arg;
	while (futex(&word, CALF_FUTEX_WAIT, 0, NULL) != -EINTR)
		;
	return 1; /* a signal's default action ends the task before the -EINTR reaches here */
}

static int futex_wait_interrupted_by_kill(void)
{
	word = 0;
	int tid = suite_thread_start(stacks[0], STACK_SIZE, waiter_forever, NULL, URGENT);
	EXPECT(tid > 0);
	EXPECT(kill(tid, SIGUSR1) == 0);
	int status = 0;
	/* The wait is interruptible: it ends at once, and the default action kills it. */
	EXPECT(waitpid(tid, &status, WNOHANG) == tid);
	EXPECT(suite_killed_by(status, SIGUSR1));
	return 0;
}

static int futex_bad_address_gives_efault(void)
{
	EXPECT(futex(NULL, CALF_FUTEX_WAIT, 0, NULL) == -EFAULT);
	EXPECT(futex((volatile uint32_t *)((uintptr_t)&word + 1), CALF_FUTEX_WAIT, 0, NULL) == -EFAULT);
	EXPECT(futex((volatile uint32_t *)0xC0000000u, CALF_FUTEX_WAIT, 0, NULL) == -EFAULT);
	EXPECT(futex((volatile uint32_t *)((uintptr_t)&word + 2), CALF_FUTEX_WAKE, 1, NULL) == -EFAULT);
	EXPECT(futex((volatile uint32_t *)0xFFFFFFFCu, CALF_FUTEX_WAKE, 1, NULL) == -EFAULT);
	word = 0;
	EXPECT(futex(&word, CALF_FUTEX_WAIT, 0, (const struct calf_timespec *)8) == -EFAULT);
	EXPECT(futex(&word, 99, 0, NULL) == -ENOSYS);
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(futex_wait_returns_eagain_when_the_word_differs),
	SUITE_CASE(futex_wake_wakes_exactly_n),
	SUITE_CASE(futex_wake_takes_the_most_urgent_waiter_first),
	SUITE_CASE(futex_timed_wait_times_out),
	SUITE_CASE(futex_wait_interrupted_by_kill),
	SUITE_CASE(futex_bad_address_gives_efault),
};

int main(void)
{
	struct suite_tally t = { 0 };
	printf("futextest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0])));
	/* Warm up: the runner's own stack and stdio pages are touched once before counting. */
	suite_run_child(futex_wait_returns_eagain_when_the_word_differs);
	struct calf_meminfo start = meminfo();
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	struct calf_meminfo end = meminfo();
	bool same = end.free == start.free && end.uncharged == start.uncharged;
	suite_verdict(&t, same, "no_frame_leaked_by_the_suite");
	if (!same)
		printf("    free %lu -> %lu, uncharged %lu -> %lu\n", (unsigned long)start.free,
		       (unsigned long)end.free, (unsigned long)start.uncharged,
		       (unsigned long)end.uncharged);
	return suite_end(&t);
}
