/*
 * timetest.c - the on-target time suite: the monotonic clock, sleeps that
 * end at their deadline rather than at the next 10 ms tick, absolute
 * deadlines, a periodic task, argument checks and interruption by a signal.
 *
 * It runs under QEMU -icount shift=0 (tests/target/CMakeLists.txt), as
 * rttest does: guest time is one nanosecond per instruction, so a wake's
 * lateness is the kernel's own work, the same on every run, whatever else
 * the host is doing. (In real time, on a loaded host, QEMU alone made a
 * periodic wake up to 5 ms late.) The upper bounds are generous for that
 * (a wake comes about 1 us after its deadline), yet far below what a sleep
 * rounded to the 10 ms tick would take; the lower bounds (never before the
 * deadline) are exact.
 *
 * Each case runs in its own forked task; the suite prints PASS/FAIL per
 * case and "N passed, N failed", and exits with the number of failures.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define US 1000ull
#define MS 1000000ull
#define S 1000000000ull
#define TICK (10 * MS)        /* the scheduler's round-robin tick */
#define SLACK MS              /* how late a sleep may end: about 1 us is usual */
#define LATENCY_LIMIT (10 * US) /* the wake-latency limit: 10,000 instructions */
#define STACK_SIZE (16 * 1024)

/* CLOCK_MONOTONIC in nanoseconds (0 if the call fails, which every case would notice). */
static uint64_t now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * S + (uint64_t)ts.tv_nsec;
}

static struct timespec ts_of(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / S), (long)(ns % S) };
}

/* Sleep on CLOCK_MONOTONIC until it reads deadline. Returns clock_nanosleep's result. */
static int sleep_until(uint64_t deadline)
{
	struct timespec ts = ts_of(deadline);
	return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

/* ---- the clocks ----------------------------------------------------------- */

/* Reads of CLOCK_MONOTONIC never go back, across yields and another task's turns. */
static int monotonic_clock_never_goes_back(void)
{
	fflush(stdout);
	pid_t spinner = fork();
	if (spinner == 0)
		for (;;)
			sched_yield(); /* hands the CPU straight back */
	EXPECT(spinner > 0);
	uint64_t prev = now_ns(), start = prev;
	int bad = 0;
	for (int i = 0; i < 20000 && !bad; i++) {
		struct timespec ts;
		if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)S)
			bad = 1;
		uint64_t t = (uint64_t)ts.tv_sec * S + (uint64_t)ts.tv_nsec;
		if (t < prev)
			bad = 2;
		prev = t;
		if (i % 500 == 0)
			sched_yield(); /* the spinner runs in between */
	}
	EXPECT(kill(spinner, SIGKILL) == 0 && waitpid(spinner, NULL, 0) == spinner);
	EXPECT(bad == 0);
	EXPECT(prev > start);
	/* calf_clock_ns() is the same clock. */
	uint64_t a = now_ns(), b = calf_clock_ns(), c = now_ns();
	EXPECT(a <= b && b <= c);
	return 0;
}

/* CLOCK_REALTIME, time() and gettimeofday() count from boot, as CLOCK_MONOTONIC does. */
static int realtime_counts_from_boot(void)
{
	struct timespec mono, real;
	EXPECT(clock_gettime(CLOCK_MONOTONIC, &mono) == 0);
	EXPECT(clock_gettime(CLOCK_REALTIME, &real) == 0);
	uint64_t m = (uint64_t)mono.tv_sec * S + (uint64_t)mono.tv_nsec;
	uint64_t r = (uint64_t)real.tv_sec * S + (uint64_t)real.tv_nsec;
	EXPECT(r >= m && r - m < MS);
	struct timeval tv;
	EXPECT(gettimeofday(&tv, NULL) == 0);
	EXPECT(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	uint64_t g = (uint64_t)tv.tv_sec * S + (uint64_t)tv.tv_usec * US;
	EXPECT(g + US >= r && g < r + MS); /* read after r, in whole microseconds */
	time_t t = time(NULL);
	EXPECT(t == (time_t)(g / S) || t == (time_t)(g / S) + 1);
	return 0;
}

/* clock_getres reports the clock's step: at most a microsecond on both boards. */
static int clock_getres_reports_the_step(void)
{
	struct timespec res = { -1, -1 };
	EXPECT(clock_getres(CLOCK_MONOTONIC, &res) == 0);
	EXPECT(res.tv_sec == 0 && res.tv_nsec >= 1 && res.tv_nsec <= 1000);
	EXPECT(clock_getres(CLOCK_REALTIME, &res) == 0);
	EXPECT(res.tv_sec == 0 && res.tv_nsec >= 1 && res.tv_nsec <= 1000);
	EXPECT(clock_getres(CLOCK_MONOTONIC, NULL) == 0);
	return 0;
}

/* ---- sleeps --------------------------------------------------------------- */

/*
 * Sleeping 1.5 ms takes 1.5 ms, not a tick: five in a row, so a sleep
 * rounded to the tick cannot pass by starting just before one.
 */
static int nanosleep_is_not_rounded_to_the_tick(void)
{
	for (int i = 0; i < 5; i++) {
		struct timespec req = ts_of(1500 * US), rem = { -1, -1 };
		uint64_t t0 = now_ns();
		EXPECT(nanosleep(&req, &rem) == 0);
		uint64_t took = now_ns() - t0;
		EXPECT(took >= 1500 * US);
		EXPECT(took < 1500 * US + SLACK);
		EXPECT(rem.tv_sec == -1 && rem.tv_nsec == -1); /* rem is for EINTR only */
	}
	return 0;
}

/* usleep takes the same path. */
static int usleep_is_not_rounded_to_the_tick(void)
{
	for (int i = 0; i < 5; i++) {
		uint64_t t0 = now_ns();
		EXPECT(usleep(1500) == 0);
		uint64_t took = now_ns() - t0;
		EXPECT(took >= 1500 * US);
		EXPECT(took < 1500 * US + SLACK);
	}
	return 0;
}

/* Several ticks long, and longer than one PIT one-shot on pc (54.9 ms): not cut short. */
static int long_sleep_is_not_cut_short(void)
{
	struct timespec req = ts_of(61 * MS);
	uint64_t t0 = now_ns();
	EXPECT(nanosleep(&req, NULL) == 0);
	uint64_t took = now_ns() - t0;
	EXPECT(took >= 61 * MS);
	EXPECT(took < 61 * MS + SLACK);
	uint64_t t1 = now_ns();
	EXPECT(sleep(1) == 0);
	took = now_ns() - t1;
	EXPECT(took >= S);
	EXPECT(took < S + SLACK);
	return 0;
}

/* TIMER_ABSTIME: the wake comes at the deadline or just after, never before. */
static int abstime_sleep_wakes_at_its_deadline(void)
{
	for (int i = 0; i < 5; i++) {
		uint64_t deadline = now_ns() + 3300 * US;
		EXPECT(sleep_until(deadline) == 0);
		uint64_t woke = now_ns();
		EXPECT(woke >= deadline);
		EXPECT(woke - deadline < SLACK);
	}
	return 0;
}

/* A deadline already past, or a zero sleep, returns at once. */
/*
 * Deadlines 0 to 10 us ahead, 4000 times, each sleep from an otherwise idle
 * machine: the timer's interrupt can arrive while the idle loop is about to
 * wait, and must still end that wait (armv7's idle once took it before its
 * WFI and then slept to the next tick: 60 of these wakes came 10 ms late).
 */
static int deadlines_just_ahead_wake_the_idle_cpu(void)
{
	uint64_t worst = 0;
	for (int i = 0; i < 4000; i++) {
		uint64_t deadline = now_ns() + (uint64_t)(i % 400) * 25;
		EXPECT(sleep_until(deadline) == 0);
		uint64_t late = now_ns() - deadline;
		if (late > worst)
			worst = late;
	}
	printf("    worst of 4000 wakes: %lu ns after the deadline\n", (unsigned long)worst);
	EXPECT(worst < LATENCY_LIMIT);
	return 0;
}

static int past_deadline_returns_at_once(void)
{
	uint64_t t0 = now_ns();
	EXPECT(sleep_until(0) == 0);
	EXPECT(sleep_until(t0 - MS) == 0);
	EXPECT(sleep_until(t0) == 0);
	struct timespec zero = { 0, 0 };
	EXPECT(nanosleep(&zero, NULL) == 0);
	EXPECT(clock_nanosleep(CLOCK_MONOTONIC, 0, &zero, NULL) == 0);
	EXPECT(usleep(0) == 0);
	EXPECT(now_ns() - t0 < SLACK / 2);
	return 0;
}

/*
 * A periodic task as cyclictest writes one, at priority 0, with a task
 * spinning at priority 20 beside it: next += period, sleep to next. Each
 * of 20 wakes comes at its deadline, never before, and within the latency
 * limit: the timer interrupt preempts the spinner at once. 4 ms does not
 * divide the 10 ms tick, so a wake deferred to the tick would be up to 8 ms
 * late.
 */
#define PERIOD (4 * MS)
#define PERIODS 20

static int periodic_task_meets_every_deadline(void)
{
	EXPECT(calf_setprio(0, 0) >= 0);
	fflush(stdout);
	pid_t spinner = fork();
	if (spinner == 0) {
		calf_setprio(0, 20);
		for (;;)
			;
	}
	EXPECT(spinner > 0);
	uint64_t next = now_ns(), worst = 0;
	int failed = 0, early = 0, late = 0;
	for (int i = 0; i < PERIODS; i++) {
		next += PERIOD;
		if (sleep_until(next) != 0)
			failed++;
		uint64_t woke = now_ns();
		if (woke < next)
			early++;
		else if (woke - next > worst)
			worst = woke - next;
		if (woke >= next && woke - next >= LATENCY_LIMIT)
			late++;
	}
	EXPECT(kill(spinner, SIGKILL) == 0 && waitpid(spinner, NULL, 0) == spinner);
	printf("    worst of %d wakes: %lu ns after the deadline\n", PERIODS, (unsigned long)worst);
	EXPECT(failed == 0);
	EXPECT(early == 0);
	EXPECT(late == 0);
	return 0;
}

/* ---- many sleepers ---------------------------------------------------------- */

#define SLEEPERS 6
static uint64_t order_base;
static volatile uint64_t order_woke[SLEEPERS];
static volatile int order_seen[SLEEPERS];
static int order_next;
static const int order_ms[SLEEPERS] = { 9, 3, 12, 6, 15, 4 };

static int order_sleeper(void *arg)
{
	int i = (int)(intptr_t)arg;
	uint64_t deadline = order_base + (uint64_t)order_ms[i] * MS;
	if (sleep_until(deadline) != 0)
		return 1;
	order_woke[i] = now_ns();
	order_seen[__atomic_fetch_add(&order_next, 1, __ATOMIC_SEQ_CST)] = i;
	return 0;
}

/* Six threads queued in mixed order wake in deadline order, each at its own deadline. */
static int sleepers_wake_in_deadline_order(void)
{
	static char stacks[SLEEPERS][STACK_SIZE] __attribute__((aligned(8)));
	order_base = now_ns() + 5 * MS; /* every thread is asleep by then */
	order_next = 0;
	pid_t tid[SLEEPERS];
	for (int i = 0; i < SLEEPERS; i++) {
		order_seen[i] = -1;
		tid[i] = calf_thread_spawn(order_sleeper, (void *)(intptr_t)i, stacks[i] + STACK_SIZE);
		EXPECT(tid[i] > 0);
	}
	for (int i = 0; i < SLEEPERS; i++) {
		int status;
		EXPECT(waitpid(tid[i], &status, 0) == tid[i] && suite_exited_ok(status));
	}
	static const int expect[SLEEPERS] = { 1, 5, 3, 0, 2, 4 }; /* order_ms sorted: 3 4 6 9 12 15 */
	for (int k = 0; k < SLEEPERS; k++) {
		int i = expect[k];
		EXPECT(order_seen[k] == i);
		uint64_t deadline = order_base + (uint64_t)order_ms[i] * MS;
		EXPECT(order_woke[i] >= deadline);
		EXPECT(order_woke[i] - deadline < SLACK);
	}
	return 0;
}

/* ---- errors and signals ----------------------------------------------------- */

static int time_calls_reject_bad_arguments(void)
{
	struct timespec ts, ok = { 0, 1000 };
	struct timespec big_ns = { 0, (long)S }, neg_ns = { 0, -1 }, neg_s = { -1, 0 };
	void *unmapped = (void *)0x10;
	void *text = (void *)(uintptr_t)time_calls_reject_bad_arguments; /* not writable */
	errno = 0;
	EXPECT(clock_gettime((clockid_t)99, &ts) == -1 && errno == EINVAL);
	EXPECT(clock_gettime((clockid_t)2, &ts) == -1 && errno == EINVAL); /* no CPU-time clocks */
	EXPECT(clock_gettime(CLOCK_MONOTONIC, unmapped) == -1 && errno == EFAULT);
	EXPECT(clock_gettime(CLOCK_MONOTONIC, text) == -1 && errno == EFAULT);
	EXPECT(clock_gettime(CLOCK_MONOTONIC, NULL) == -1 && errno == EFAULT);
	EXPECT(clock_getres((clockid_t)99, &ts) == -1 && errno == EINVAL);
	EXPECT(clock_getres(CLOCK_MONOTONIC, unmapped) == -1 && errno == EFAULT);
	EXPECT(gettimeofday(unmapped, NULL) == -1 && errno == EFAULT);
	EXPECT(nanosleep(&big_ns, NULL) == -1 && errno == EINVAL);
	EXPECT(nanosleep(&neg_ns, NULL) == -1 && errno == EINVAL);
	EXPECT(nanosleep(&neg_s, NULL) == -1 && errno == EINVAL);
	EXPECT(nanosleep(NULL, NULL) == -1 && errno == EFAULT);
	EXPECT(nanosleep(unmapped, NULL) == -1 && errno == EFAULT);
	EXPECT(nanosleep(&ok, unmapped) == 0); /* rem is written only on EINTR */
	/* clock_nanosleep returns the error number and leaves errno alone. */
	errno = 0;
	EXPECT(clock_nanosleep((clockid_t)99, 0, &ok, NULL) == EINVAL);
	EXPECT(clock_nanosleep(CLOCK_MONOTONIC, 0x10, &ok, NULL) == EINVAL);
	EXPECT(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &big_ns, NULL) == EINVAL);
	EXPECT(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &neg_s, NULL) == EINVAL);
	EXPECT(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, NULL, NULL) == EFAULT);
	EXPECT(clock_nanosleep(CLOCK_MONOTONIC, 0, unmapped, NULL) == EFAULT);
	EXPECT(errno == 0);
	return 0;
}

/*
 * A signal ends a sleep with EINTR. Calf's signals end the task on its way
 * back to user mode, so the sleeper is a thread and what it leaves behind
 * shows it: the kernel writes the time left into rem only on the EINTR
 * path, and the thread is gone long before its 2 s were up. An absolute
 * sleep is interrupted the same way and leaves rem alone.
 */
static struct timespec eintr_rem[2];

static int eintr_sleeper(void *arg)
{
	int i = (int)(intptr_t)arg;
	struct timespec req = ts_of(2 * S);
	if (i == 0)
		return nanosleep(&req, &eintr_rem[0]);
	req = ts_of(now_ns() + 2 * S);
	return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, &eintr_rem[1]);
}

static int kill_interrupts_nanosleep_with_eintr(void)
{
	static char stacks[2][STACK_SIZE] __attribute__((aligned(8)));
	uint64_t t0 = now_ns();
	pid_t tid[2];
	for (int i = 0; i < 2; i++) {
		eintr_rem[i] = (struct timespec){ -1, -1 };
		tid[i] = calf_thread_spawn(eintr_sleeper, (void *)(intptr_t)i, stacks[i] + STACK_SIZE);
		EXPECT(tid[i] > 0);
	}
	struct timespec settle = ts_of(20 * MS); /* both threads run and fall asleep */
	EXPECT(nanosleep(&settle, NULL) == 0);
	for (int i = 0; i < 2; i++) {
		int status;
		EXPECT(kill(tid[i], SIGTERM) == 0);
		EXPECT(waitpid(tid[i], &status, 0) == tid[i]);
		EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	}
	EXPECT(now_ns() - t0 < S);
	/* About 1.98 s were left of the relative sleep. */
	EXPECT(eintr_rem[0].tv_sec == 1 && eintr_rem[0].tv_nsec >= 0 && eintr_rem[0].tv_nsec < (long)S);
	EXPECT(eintr_rem[1].tv_sec == -1 && eintr_rem[1].tv_nsec == -1);
	return 0;
}

/* ---- the suite -------------------------------------------------------------- */

#define CASE(fn) { #fn, fn }

static const struct suite_case cases[] = {
	SUITE_CASE(monotonic_clock_never_goes_back),
	SUITE_CASE(realtime_counts_from_boot),
	SUITE_CASE(clock_getres_reports_the_step),
	SUITE_CASE(nanosleep_is_not_rounded_to_the_tick),
	SUITE_CASE(usleep_is_not_rounded_to_the_tick),
	SUITE_CASE(long_sleep_is_not_cut_short),
	SUITE_CASE(abstime_sleep_wakes_at_its_deadline),
	SUITE_CASE(past_deadline_returns_at_once),
	SUITE_CASE(deadlines_just_ahead_wake_the_idle_cpu),
	SUITE_CASE(periodic_task_meets_every_deadline),
	SUITE_CASE(sleepers_wake_in_deadline_order),
	SUITE_CASE(time_calls_reject_bad_arguments),
	SUITE_CASE(kill_interrupts_nanosleep_with_eintr),
};

int main(void)
{
	struct suite_tally t = { 0 };
	printf("timetest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0])));
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
