/* suite.c - the on-target test apps' shared runner (see suite.h). */
#include "suite.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>

void (*suite_child_prologue)(void);

int suite_run_child(int (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (suite_child_prologue)
			suite_child_prologue();
		_exit(fn());
	}
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

bool suite_exited_ok(int status)
{
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool suite_killed_by(int status, int sig)
{
	return status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == sig;
}

pid_t suite_child_start(int (*fn)(void))
{
	fflush(stdout); /* or the child would print what the parent had buffered */
	pid_t pid = fork();
	if (pid == 0)
		_exit(fn());
	return pid;
}

bool suite_reaped_ok(pid_t pid)
{
	int status;
	return waitpid(pid, &status, 0) == pid && suite_exited_ok(status);
}

bool suite_still_running(pid_t pid)
{
	int status;
	return waitpid(pid, &status, WNOHANG) == 0;
}

int suite_wait_bounded(pid_t pid)
{
	int status;
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

pid_t suite_blocked_child(const int p[2], pid_t pgid)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (pgid >= 0)
			setpgid(0, pgid);
		char c;
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	if (pid > 0 && pgid >= 0)
		setpgid(pid, pgid);
	return pid;
}

struct calf_meminfo suite_meminfo(void)
{
	struct calf_meminfo mi;
	if (calf_meminfo(&mi) != 0)
		memset(&mi, 0xFF, sizeof(mi));
	return mi;
}

bool suite_meminfo_same(const struct calf_meminfo *a, const struct calf_meminfo *b)
{
	bool same = a->free == b->free && a->used == b->used && a->shared == b->shared &&
		    a->committed == b->committed && a->uncharged == b->uncharged;
	if (!same)
		printf("    free %lu -> %lu, shared %lu -> %lu, committed %lu -> %lu, uncharged %lu -> %lu\n",
		       (unsigned long)a->free, (unsigned long)b->free, (unsigned long)a->shared,
		       (unsigned long)b->shared, (unsigned long)a->committed,
		       (unsigned long)b->committed, (unsigned long)a->uncharged,
		       (unsigned long)b->uncharged);
	return same;
}

int suite_thread_start(char *stack, size_t size, int (*fn)(void *), void *arg, int prio)
{
	memset(stack, 0, size);
	pid_t tid = calf_thread_spawn(fn, arg, stack + size);
	if (tid > 0 && calf_setprio(tid, prio) < 0)
		return -1;
	return tid;
}

void suite_sleep_to_next(uint64_t period_ns)
{
	uint64_t next = (calf_clock_ns() / period_ns + 1) * period_ns;
	struct timespec ts = { (time_t)(next / 1000000000u), (long)(next % 1000000000u) };
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

void suite_verdict(struct suite_tally *t, bool ok, const char *name)
{
	if (ok)
		t->passed++;
	else
		t->failed++;
	printf("%s %s\n", ok ? "PASS" : "FAIL", name);
}

void suite_run(const struct suite_case *cases, size_t n, struct suite_tally *t)
{
	for (size_t i = 0; i < n; i++) {
		const char *why_not = cases[i].skip ? cases[i].skip() : NULL;
		if (why_not) {
			t->skipped++;
			printf("SKIP %s (%s)\n", cases[i].name, why_not);
			continue;
		}
		int status = suite_run_child(cases[i].fn);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			; /* as init, reap the orphans a case left behind */
		if (suite_exited_ok(status)) {
			suite_verdict(t, true, cases[i].name);
		} else {
			t->failed++;
			if (status >= 0 && WIFSIGNALED(status))
				printf("FAIL %s (killed by signal %d)\n", cases[i].name, WTERMSIG(status));
			else
				printf("FAIL %s (status %d)\n", cases[i].name, status);
		}
	}
}

void suite_run_counted(const struct suite_case *cases, size_t n, struct suite_tally *t,
		       int (*warmup)(void), const char *name)
{
	suite_run_child(warmup);
	struct calf_meminfo start = suite_meminfo();
	suite_run(cases, n, t);
	/* Every case's task is gone: every frame it used and every charge must be back. */
	struct calf_meminfo end = suite_meminfo();
	suite_verdict(t, suite_meminfo_same(&start, &end), name);
}

int suite_end(const struct suite_tally *t)
{
	if (t->skipped)
		printf("%d passed, %d failed, %d skipped\n", t->passed, t->failed, t->skipped);
	else
		printf("%d passed, %d failed\n", t->passed, t->failed);
	fflush(stdout);
	return t->failed;
}
