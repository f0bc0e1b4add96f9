/*
 * rttest.c - the on-target real-time suite: the most urgent task runs on
 * time whatever the others do in the kernel, and a thread waiting for its
 * address space's mutex lends the holder its priority.
 *
 * It runs under QEMU -icount shift=0 (tests/target/CMakeLists.txt), where
 * one guest instruction is one virtual nanosecond: the latencies checked
 * here are instruction counts, the same on every run and every host, so a
 * bound is a property of the kernel, not of the machine running the test.
 *
 * Each case runs in its own forked task; the suite prints PASS/FAIL per
 * case and "N passed, N failed", and exits with the number of failures.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PAGE 4096
#define MIB (1024 * 1024)
#define TICK_NS 10000000ull /* the scheduler tick, a timer event on multiples of its period */
#define STACK_SIZE (16 * 1024)

/* Wake latency bounds, in instructions past the quietest idle wake (the targets). */
#define LATENCY_TARGET 5000u
#define LATENCY_LIMIT 10000u

/* Thread stacks, written through before a thread starts so it does not fault on its stack. */
static char stacks[2][STACK_SIZE] __attribute__((aligned(8)));

/* ---- wake latency ------------------------------------------------------- */

/*
 * The sampler: a priority-0 process of its own that sleeps to each tick and
 * notes how late past the tick it ran, modulo the tick period. The quietest
 * of its first wakes, on an idle machine, is the zero (the tick handler
 * and the switch cost the same every time). Then it measures `wakes` more
 * while the parent loads the machine, prints the worst, and exits with 0
 * when it stayed under bound.
 */
#define SAMPLER_CALIBRATION 4
#define SAMPLER_CALIBRATION_NS (6 * TICK_NS) /* the parent stays idle this long */

static int sampler_run(int wakes, uint64_t bound)
{
	if (calf_setprio(0, 0) < 0)
		return 2;
	uint64_t quiet = UINT64_MAX, worst = 0;
	for (int i = 0; i < SAMPLER_CALIBRATION + wakes; i++) {
		suite_sleep_to_next(TICK_NS);
		uint64_t late = calf_clock_ns() % TICK_NS;
		if (i < SAMPLER_CALIBRATION && late < quiet)
			quiet = late;
		else if (i >= SAMPLER_CALIBRATION && late > worst)
			worst = late;
	}
	worst = worst > quiet ? worst - quiet : 0;
	printf("    worst wake %lu instructions past the quietest (%d wakes)\n",
	       (unsigned long)worst, wakes);
	fflush(stdout);
	return worst < bound ? 0 : 1;
}

/* Fork the sampler and wait out its calibration; returns its pid. */
static pid_t sampler_start(int wakes, uint64_t bound)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(sampler_run(wakes, bound));
	usleep(SAMPLER_CALIBRATION_NS / 1000);
	return pid;
}

/* True once the sampler has exited; *ok tells whether it met its bound. */
static bool sampler_done(pid_t pid, bool *ok)
{
	int status;
	if (waitpid(pid, &status, WNOHANG) != pid)
		return false;
	*ok = suite_exited_ok(status);
	return true;
}

/* A low-priority task spinning in the kernel, 50 ms at a time, does not delay the urgent one. */
static int kernel_code_is_preempted(void)
{
	EXPECT(calf_setprio(0, 20) >= 0);
	pid_t s = sampler_start(10, LATENCY_TARGET);
	EXPECT(s > 0);
	bool ok = false;
	int rounds = 0;
	while (!sampler_done(s, &ok) && rounds++ < 20) {
		uint64_t held;
		EXPECT(calf_kbench(CALF_KBENCH_HOLD_SPACE, 50000, &held) == 0);
		EXPECT(held >= 50000000ull);
	}
	EXPECT(rounds <= 3); /* 10 wakes, 5 per spin: the sampler ran while the kernel spun */
	EXPECT(ok);
	return 0;
}

/* Fork a child that writes every page of buf (len bytes) and exits; wait for it. */
static int fork_writer(volatile char *buf, size_t len)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (size_t i = 0; i < len; i += PAGE)
			buf[i] = 2;
		_exit(0);
	}
	int status;
	return pid > 0 && waitpid(pid, &status, 0) == pid && suite_exited_ok(status) ? 0 : -1;
}

/* A 16 MiB parent's children copy every page and exit: the urgent task stays on time. */
static int cow_and_exit_of_16m_stay_on_time(void)
{
	size_t len = 16 * MIB;
	volatile char *buf = malloc(len);
	EXPECT(buf != NULL);
	for (size_t i = 0; i < len; i += PAGE)
		buf[i] = 1;
	EXPECT(calf_setprio(0, 20) >= 0);
	pid_t s = sampler_start(8, LATENCY_LIMIT);
	EXPECT(s > 0);
	bool ok = false;
	int rounds = 0;
	while (!sampler_done(s, &ok) && rounds++ < 200)
		EXPECT(fork_writer(buf, len) == 0);
	EXPECT(rounds < 200);
	EXPECT(ok);
	free((void *)buf);
	return 0;
}

/* ---- priority inheritance -------------------------------------------------- */

static struct {
	volatile bool high_done;
	volatile uint32_t hog_spins; /* loops the hog ran before it saw high_done */
} pi;

/* About 200 ms of spinning; the hog makes no system call, which could need the mutex. */
#define HOG_SPIN_LIMIT 40000000u

/* Priority 1: wake on the tick, then need the space's mutex (meminfo copies out under it). */
static int pi_high(void *arg)
{
	(void)arg;
	suite_sleep_to_next(TICK_NS);
	struct calf_meminfo mi;
	if (calf_meminfo(&mi) != 0)
		return 1;
	pi.high_done = true;
	return 0;
}

/* Priority 10: wake on the same tick, then spin in user mode until high is done. */
static int pi_hog(void *arg)
{
	(void)arg;
	suite_sleep_to_next(TICK_NS);
	uint32_t n = 0;
	while (!pi.high_done && n < HOG_SPIN_LIMIT)
		n++;
	pi.hog_spins = n;
	return 0;
}

/*
 * The classic inversion: we (priority 20) hold the space's mutex for 30 ms
 * in the kernel; high (1) wakes and waits for it while hog (10) wants the
 * CPU. With inheritance we run at high's priority until we let go, high
 * gets in, and the hog finds it done at once. Without, the hog spins and
 * high waits for all of it.
 */
static int mutex_holder_inherits_the_waiters_priority(void)
{
	pi.high_done = false;
	pi.hog_spins = UINT32_MAX;
	EXPECT(calf_setprio(0, 20) >= 0);
	pid_t high = suite_thread_start(stacks[0], STACK_SIZE, pi_high, NULL, 1);
	pid_t hog = suite_thread_start(stacks[1], STACK_SIZE, pi_hog, NULL, 10);
	EXPECT(high > 0 && hog > 0);
	uint64_t held;
	EXPECT(calf_kbench(CALF_KBENCH_HOLD_SPACE, 30000, &held) == 0);
	int sh, sg;
	EXPECT(waitpid(high, &sh, 0) == high && suite_exited_ok(sh));
	EXPECT(waitpid(hog, &sg, 0) == hog && suite_exited_ok(sg));
	printf("    the hog spun %lu times before high got the mutex\n", (unsigned long)pi.hog_spins);
	EXPECT(pi.high_done);
	EXPECT(pi.hog_spins == 0); /* high was done before the hog ever ran */
	EXPECT(calf_setprio(0, 20) == 20); /* the lent priority went back */
	return 0;
}

/* ---- policies -------------------------------------------------------------- */

static volatile int other_ran; /* set by the second task of a policy case */

static int note_running(void *arg)
{
	(void)arg;
	other_ran = 1;
	return 0;
}

/* Spin until the other task has run or limit_ns have passed; whether it ran. */
static bool spin_until_other_ran(uint64_t limit_ns)
{
	uint64_t end = calf_clock_ns() + limit_ns;
	while (!other_ran && calf_clock_ns() < end)
		;
	return other_ran;
}

/*
 * POSIX 2.8.4: among tasks of its priority a SCHED_FIFO task keeps the CPU
 * until it yields or blocks; a SCHED_RR one lets a ready equal run when
 * its turn ends (a few ticks). A thread inherits its creator's policy.
 */
static int fifo_takes_no_turns_rr_does(void)
{
	for (int fifo = 1; fifo >= 0; fifo--) {
		other_ran = 0;
		EXPECT(calf_setsched(0, 10, fifo ? CALF_SCHED_FIFO : CALF_SCHED_RR) >= 0);
		int t = suite_thread_start(stacks[0], STACK_SIZE, note_running, NULL, 10);
		EXPECT(t > 0);
		EXPECT(spin_until_other_ran(20 * TICK_NS) == !fifo); /* 20 ticks: several turns */
		EXPECT(sched_yield() == 0); /* a FIFO task's yield is the other's turn */
		EXPECT(other_ran);
		EXPECT(suite_reaped_ok(t));
	}
	EXPECT(calf_setsched(0, 10, 3) == -1 && errno == EINVAL); /* no such policy */
	return 0;
}

/* ---- the suite ----------------------------------------------------------- */

static const struct suite_case cases[] = {
	SUITE_CASE(kernel_code_is_preempted),
	SUITE_CASE(cow_and_exit_of_16m_stay_on_time),
	SUITE_CASE(mutex_holder_inherits_the_waiters_priority),
	SUITE_CASE(fifo_takes_no_turns_rr_does),
};

int main(void)
{
	struct suite_tally t = { 0 };
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
