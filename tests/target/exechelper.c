/*
 * exechelper.c - the program exectest (and forkbench) exec: it checks what
 * arrived against what its caller says it sent and reports through its
 * exit status, printing a line on a mismatch. The first argument chooses
 * what to do:
 *
 *   check COST ENVC [S4 S5 ...]  every argv[i] (i >= 4) is one letter,
 *                       'a' + i % 26, repeated (any length, 0 too); the
 *                       environment has ENVC strings, the j-th "K<j>="
 *                       followed by 'A' + j % 26 repeated, and getenv sees
 *                       the first; the strings of argv and envp cost COST
 *                       bytes as CALF_ARG_MAX counts them; envp (main's
 *                       third argument) is environ; both vectors end in NULL
 *   env NAME VALUE      getenv(NAME) is VALUE ("-": NAME is not set)
 *   ids PID PPID PRIO   getpid, getppid and the priority are these
 *   fenv                the floating-point rounding mode is the default one
 *   fds SPEC...         each SPEC is oN (descriptor N is open, without
 *                       FD_CLOEXEC) or cN (descriptor N is closed)
 *   state SPEC...       each SPEC is iN (signal N ignored), dN (signal N
 *                       at its default), bN (signal N blocked), uN (not
 *                       blocked) or "pgself" (the process group is this
 *                       task's own)
 *   exit N              exit with status N at once
 *   solo N PID PPID PGID SID TID...
 *                       exit with status N when getpid() and gettid() are
 *                       PID, the parent, group and session are PPID, PGID
 *                       and SID, and ps lists PID once and none of the TIDs
 *                       (the threads of the process that exec'd this)
 *   sleep MS            sleep MS milliseconds, then exit 0
 *   exec PATH ARG...    exec PATH with argv = { ARG... } and this environment
 *
 * With no argument at all (argc 0) it exits with HELPER_ARGC0.
 */
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <calf.h>

#define HELPER_ARGC0 42

/* What went wrong, as exit statuses (0 is success). */
enum {
	BAD_USAGE = 2,
	BAD_ARGV,
	BAD_ENVC,
	BAD_ENV,
	BAD_GETENV,
	BAD_ENVP,
	BAD_COST,
	BAD_IDS,
	BAD_EXEC,
	BAD_FENV,
	BAD_FDS,
	BAD_STATE,
	BAD_SOLO,
};

/* Exit with why after saying what: exectest prints the line with its failure. */
static int fail(int why, const char *what, int index)
{
	printf("exechelper: %s (index %d)\n", what, index);
	return why;
}

/* True when s is c repeated (or empty). */
static bool uniform(const char *s, char c)
{
	for (; *s; s++)
		if (*s != c)
			return false;
	return true;
}

/* The cost CALF_ARG_MAX counts for one string: its bytes, its NUL and a pointer. */
static unsigned long cost_of(const char *s)
{
	return strlen(s) + 1 + 4;
}

static int check_env(char **envp, long envc, unsigned long *cost)
{
	long j = 0;
	if (envp != environ)
		return fail(BAD_ENVP, "main's envp is not environ", 0);
	for (; environ[j]; j++) {
		char key[16];
		int n = snprintf(key, sizeof(key), "K%ld=", j);
		if (j >= envc || strncmp(environ[j], key, (size_t)n) != 0 ||
		    !uniform(environ[j] + n, (char)('A' + j % 26)))
			return fail(BAD_ENV, "an environment string differs", (int)j);
		*cost += cost_of(environ[j]);
	}
	if (j != envc)
		return fail(BAD_ENVC, "environment count", (int)j);
	if (envc > 0) {
		const char *v = getenv("K0");
		if (!v || v != environ[0] + 3)
			return fail(BAD_GETENV, "getenv(K0)", 0);
	}
	return 0;
}

static int check(int argc, char **argv, char **envp)
{
	if (argc < 4)
		return BAD_USAGE;
	unsigned long want = strtoul(argv[2], NULL, 10), cost = 0;
	long envc = strtol(argv[3], NULL, 10);
	if (argv[argc] != NULL)
		return fail(BAD_ARGV, "argv is not NULL-terminated", argc);
	for (int i = 0; i < argc; i++) {
		if (i >= 4 && !uniform(argv[i], (char)('a' + i % 26)))
			return fail(BAD_ARGV, "an argument differs", i);
		cost += cost_of(argv[i]);
	}
	int err = check_env(envp, envc, &cost);
	if (err)
		return err;
	if (cost != want) {
		printf("exechelper: cost %lu, expected %lu\n", cost, want);
		return BAD_COST;
	}
	return 0;
}

static int env(int argc, char **argv)
{
	if (argc != 4)
		return BAD_USAGE;
	const char *v = getenv(argv[2]);
	bool ok = strcmp(argv[3], "-") == 0 ? v == NULL : v && strcmp(v, argv[3]) == 0;
	return ok ? 0 : fail(BAD_GETENV, v ? v : "(unset)", 0);
}

static int ids(int argc, char **argv)
{
	if (argc != 5)
		return BAD_USAGE;
	int prio = atoi(argv[4]);
	if (getpid() != atoi(argv[2]))
		return fail(BAD_IDS, "pid", getpid());
	if (getppid() != atoi(argv[3]))
		return fail(BAD_IDS, "parent", getppid());
	int old = calf_setprio(0, prio); /* sets the same one: only reads it */
	if (old != prio)
		return fail(BAD_IDS, "priority", old);
	return 0;
}

static int fds(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i] + 1), flags = fcntl(fd, F_GETFD);
		bool ok = argv[i][0] == 'o' ? flags == 0 : flags == -1 && errno == EBADF;
		if (!ok)
			return fail(BAD_FDS, argv[i], flags);
	}
	return 0;
}

/* Check one "state" SPEC through the raw calls (whatever the library wraps them in). */
static bool state_holds(const char *spec)
{
	if (strcmp(spec, "pgself") == 0)
		return calf_syscall(CALF_SYS_getpgid, 0, 0, 0) == getpid();
	if (spec[0] == 'b' || spec[0] == 'u') {
		uint32_t mask;
		if (calf_syscall(CALF_SYS_sigprocmask, 0, 0, (uint32_t)&mask) != 0)
			return false;
		return ((mask >> atoi(spec + 1)) & 1) == (spec[0] == 'b');
	}
	struct calf_sigaction old;
	memset(&old, 0xFF, sizeof(old));
	if (calf_syscall(CALF_SYS_sigaction, (uint32_t)atoi(spec + 1), 0, (uint32_t)&old) != 0)
		return false;
	return old.handler == (spec[0] == 'i' ? CALF_SIG_IGN : CALF_SIG_DFL);
}

static int state(int argc, char **argv)
{
	for (int i = 2; i < argc; i++)
		if (!state_holds(argv[i]))
			return fail(BAD_STATE, argv[i], i);
	return 0;
}

/* How many times ps lists pid. */
static int ps_count(int pid)
{
	struct calf_taskinfo ti;
	int n = 0;
	for (int cur = 0; (cur = calf_taskinfo(cur, &ti)) > 0;)
		n += ti.pid == pid;
	return n;
}

static int solo(int argc, char **argv)
{
	if (argc < 7)
		return BAD_USAGE;
	int pid = atoi(argv[3]);
	if (getpid() != pid || calf_syscall(CALF_SYS_gettid, 0, 0, 0) != pid)
		return fail(BAD_SOLO, "getpid/gettid", calf_syscall(CALF_SYS_gettid, 0, 0, 0));
	if (getppid() != atoi(argv[4]))
		return fail(BAD_SOLO, "parent", getppid());
	if (calf_syscall(CALF_SYS_getpgid, 0, 0, 0) != atoi(argv[5]) ||
	    calf_syscall(CALF_SYS_getsid, 0, 0, 0) != atoi(argv[6]))
		return fail(BAD_SOLO, "group or session", calf_syscall(CALF_SYS_getpgid, 0, 0, 0));
	if (ps_count(pid) != 1)
		return fail(BAD_SOLO, "ps lists the pid", ps_count(pid));
	for (int i = 7; i < argc; i++)
		if (atoi(argv[i]) != pid && ps_count(atoi(argv[i])) != 0)
			return fail(BAD_SOLO, "a thread of the old program is left", atoi(argv[i]));
	return atoi(argv[2]);
}

/* True when the rounding mode is round-to-nearest (soft-float targets have no other). */
static bool fenv_default(void)
{
#ifdef FE_TONEAREST
	return fegetround() == FE_TONEAREST;
#else
	return true;
#endif
}

int main(int argc, char **argv, char **envp)
{
	if (argc == 0)
		return HELPER_ARGC0;
	if (argc < 2)
		return BAD_USAGE;
	const char *mode = argv[1];
	if (strcmp(mode, "check") == 0)
		return check(argc, argv, envp);
	if (strcmp(mode, "env") == 0)
		return env(argc, argv);
	if (strcmp(mode, "ids") == 0)
		return ids(argc, argv);
	if (strcmp(mode, "state") == 0)
		return state(argc, argv);
	if (strcmp(mode, "fds") == 0)
		return fds(argc, argv);
	if (strcmp(mode, "fenv") == 0)
		return fenv_default() ? 0 : fail(BAD_FENV, "rounding mode", fegetround());
	if (strcmp(mode, "solo") == 0)
		return solo(argc, argv);
	if (strcmp(mode, "exit") == 0 && argc == 3)
		return atoi(argv[2]);
	if (strcmp(mode, "sleep") == 0 && argc == 3) {
		usleep((useconds_t)atoi(argv[2]) * 1000u);
		return 0;
	}
	if (strcmp(mode, "exec") == 0 && argc >= 4) {
		execv(argv[2], argv + 3);
		return fail(BAD_EXEC, strerror(errno), errno);
	}
	return BAD_USAGE;
}
