/*
 * suite.h - what every on-target test app shares: each case runs in a task
 * of its own (a crash fails that case, not the run), a PASS, FAIL or SKIP
 * line per case, and the closing "N passed, N failed[, N skipped]" whose
 * failures are the app's exit status.
 */
#ifndef CALF_TESTS_SUITE_H
#define CALF_TESTS_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <calf.h>

/* Inside a case: on a false cond, say where and what, and fail the case. */
#define EXPECT(cond)                                                                  \
	do {                                                                          \
		if (!(cond)) {                                                        \
			printf("    %s:%d: expected %s\n", __func__, __LINE__, #cond);    \
			fflush(stdout);                                               \
			return 1;                                                     \
		}                                                                     \
	} while (0)

struct suite_case {
	const char *name;
	int (*fn)(void);           /* 0 when the case passed */
	const char *(*skip)(void); /* why this machine cannot run the case, or NULL */
};

/* A case named after its function, runnable everywhere. */
#define SUITE_CASE(fn) { #fn, fn, NULL }

struct suite_tally {
	int passed, failed, skipped;
};

/* Run first in every case's task, before the case (NULL: nothing). */
extern void (*suite_child_prologue)(void);

/* Fork; the child runs fn and exits with its result. Returns the child's wait status, or -1. */
int suite_run_child(int (*fn)(void));

/* True when status says the task exited with 0. */
bool suite_exited_ok(int status);

/* True when status says the task was killed by sig. */
bool suite_killed_by(int status, int sig);

/* Fork a child that runs fn and exits with its result. Returns its pid, or -1. */
pid_t suite_child_start(int (*fn)(void));

/* Wait for pid (a child, or a thread suite_thread_start began); true when it exited with 0. */
bool suite_reaped_ok(pid_t pid);

/* True when pid has not ended yet (it is blocked, as the case expects); reaps it if it has. */
bool suite_still_running(pid_t pid);

/* Wait up to a second for pid to end; its status, or -1 (then it is killed and reaped). */
int suite_wait_bounded(pid_t pid);

/*
 * Fork a child that blocks reading p[0] (p[1] closed in it), so that only a
 * signal ends it; in group pgid unless pgid < 0 (set on both sides, as
 * shells do: no race). Returns its pid, or -1.
 */
pid_t suite_blocked_child(const int p[2], pid_t pgid);

/* The kernel's frame counts now; every field all ones when the call fails, so no comparison holds. */
struct calf_meminfo suite_meminfo(void);

/* True when free, used, shared, committed and uncharged in b are as in a; else prints the moves. */
bool suite_meminfo_same(const struct calf_meminfo *a, const struct calf_meminfo *b);

/*
 * suite_run with a frame check: run warmup in a child first (the runner's
 * own stack and stdio pages get touched once), snapshot the counts, run the
 * cases, and tally the verdict name: every count back where it was.
 */
void suite_run_counted(const struct suite_case *cases, size_t n, struct suite_tally *t,
		       int (*warmup)(void), const char *name);

/*
 * Start fn(arg) as a thread (a task sharing this space) at priority prio, on
 * the size-byte stack at stack, which is written through first so the
 * thread does not fault on it. Returns its id, or -1.
 */
int suite_thread_start(char *stack, size_t size, int (*fn)(void *), void *arg, int prio);

/* Sleep to the next multiple of period_ns on the monotonic clock (the tick's grid for 10 ms). */
void suite_sleep_to_next(uint64_t period_ns);

/* Run cases[0..n) each in its own task, reaping orphans after each; tally the verdicts. */
void suite_run(const struct suite_case *cases, size_t n, struct suite_tally *t);

/* Tally one verdict of the app's own and print its PASS or FAIL line. */
void suite_verdict(struct suite_tally *t, bool ok, const char *name);

/* Print the closing line; returns the failures, the app's exit status. */
int suite_end(const struct suite_tally *t);

#endif
