/*
 * exectest.c - the on-target exec suite: execve and its family,
 * posix_spawn and system(), checked from user space. Programs are the
 * apps in /bin; the one it runs is /bin/exechelper, which checks what it
 * received against what the case says it sent and answers through its
 * exit status (tests/target/exechelper.c). /bin/exec-notelf,
 * exec-badmachine and exec-badentry are packed files that are no program
 * for this CPU (tests/target/CMakeLists.txt makes them).
 *
 * Built twice: exectest in an image with the build's commit mode, and
 * exectest_strict in a strict-commit image, where exec must also refuse
 * with ENOMEM a space whose charge does not fit, leaving the caller as it
 * was. Each case runs in its own forked task; PASS/FAIL per case, then
 * "N passed, N failed", exit status the failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PAGE 4096u
#define HELPER "/bin/exechelper"
#define HELPER_ARGC0 42 /* exechelper's status when it gets no argument */
#define ROUNDS 1000
#define VEC_MAX 96

/* Touch 32 KiB of stack, so that later calls below this depth fill no stack page. */
static __attribute__((noinline)) void stack_probe(void)
{
	volatile char deep[32 * 1024];
	for (size_t i = 0; i < sizeof(deep); i += PAGE)
		deep[i] = 0;
}

static void case_prologue(void)
{
	stack_probe();
}

/* Run path with argv and envp in a child; its wait status, or -1. */
static int run(const char *path, char *const argv[], char *const envp[])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execve(path, argv, envp);
		printf("    execve %s: %s\n", path, strerror(errno));
		_exit(99);
	}
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/* True when status says the program exited with code. */
static bool exited(int status, int code)
{
	if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == code)
		return true;
	printf("    status %#x, expected exit %d\n", status, code);
	return false;
}

/* A string of len copies of c, on the heap (cases are forked tasks: it goes with them). */
static char *repeat(size_t len, char c)
{
	char *s = malloc(len + 1);
	if (s) {
		memset(s, c, len);
		s[len] = '\0';
	}
	return s;
}

/* What CALF_ARG_MAX counts for a string: its bytes, its NUL and a pointer. */
static long cost_of(const char *s)
{
	return (long)strlen(s) + 1 + 4;
}

/* An exechelper "check" call: its vectors and the numbers it states. */
struct call {
	char *argv[VEC_MAX + 1];
	char *envp[VEC_MAX + 1];
	char cost[16], envc[16];
	int argc;
};

/*
 * Build "exechelper check COST ENVC" with arguments of the lengths in
 * alen[0..na) and environment values of the lengths in elen[0..ne); with
 * total > 0 one more argument pads the cost to exactly total (COST then
 * has 5 digits). Returns the cost, or -1.
 */
static long call_build(struct call *c, const size_t *alen, int na, const size_t *elen, int ne,
		       long total)
{
	if (4 + na + 1 > VEC_MAX || ne > VEC_MAX)
		return -1;
	memset(c, 0, sizeof(*c));
	c->argv[0] = "exechelper";
	c->argv[1] = "check";
	c->argv[2] = c->cost;
	c->argv[3] = c->envc;
	snprintf(c->envc, sizeof(c->envc), "%d", ne);
	c->argc = 4;
	for (int i = 0; i < na; i++, c->argc++)
		c->argv[c->argc] = repeat(alen[i], (char)('a' + c->argc % 26));
	for (int j = 0; j < ne; j++) {
		char key[16];
		int n = snprintf(key, sizeof(key), "K%d=", j);
		c->envp[j] = repeat((size_t)n + elen[j], (char)('A' + j % 26));
		if (c->envp[j])
			memcpy(c->envp[j], key, (size_t)n);
	}
	long cost = 0;
	for (int i = 0; i < c->argc; i++)
		cost += i == 2 ? 0 : c->argv[i] ? cost_of(c->argv[i]) : 0;
	for (int j = 0; j < ne; j++)
		cost += c->envp[j] ? cost_of(c->envp[j]) : 0;
	if (total > 0) {
		long pad = total - cost - (5 + 1 + 4) - (1 + 4);
		if (pad < 0)
			return -1;
		c->argv[c->argc] = repeat((size_t)pad, (char)('a' + c->argc % 26));
		c->argc++;
		snprintf(c->cost, sizeof(c->cost), "%ld", total);
		return strlen(c->cost) == 5 ? total : -1;
	}
	/* COST counts its own digits: the smallest fixed point. */
	for (long digits = 1; digits < 8; digits++) {
		long t = cost + digits + 1 + 4;
		snprintf(c->cost, sizeof(c->cost), "%ld", t);
		if ((long)strlen(c->cost) == digits)
			return t;
	}
	return -1;
}

static int arguments_and_environment_arrive(void)
{
	/* Empty strings, short ones, and enough to spread over two staging frames. */
	size_t alen[40], elen[12];
	for (int i = 0; i < 40; i++)
		alen[i] = (size_t)(i * 37) % 211;
	for (int j = 0; j < 12; j++)
		elen[j] = (size_t)(j * 53) % 97;
	struct call c;
	long cost = call_build(&c, alen, 40, elen, 12, 0);
	EXPECT(cost > 4096);
	EXPECT(exited(run(HELPER, c.argv, c.envp), 0));
	/* No environment at all: an empty list reaches the program. */
	cost = call_build(&c, alen, 3, NULL, 0, 0);
	EXPECT(cost > 0);
	EXPECT(exited(run(HELPER, c.argv, NULL), 0));
	char *empty[] = { NULL };
	EXPECT(exited(run(HELPER, c.argv, empty), 0));
	return 0;
}

static int arg_max_exactly_fits(void)
{
	size_t alen[3] = { 4000, 4000, 4000 }, elen[2] = { 1000, 5 };
	struct call c;
	EXPECT(call_build(&c, alen, 3, elen, 2, CALF_ARG_MAX) == CALF_ARG_MAX);
	EXPECT(exited(run(HELPER, c.argv, c.envp), 0));
	return 0;
}

static int argc_zero(void)
{
	char *none[] = { NULL };
	EXPECT(exited(run(HELPER, NULL, NULL), HELPER_ARGC0));
	EXPECT(exited(run(HELPER, none, none), HELPER_ARGC0));
	return 0;
}

/* The parent's environment goes on through execv (environ), with what setenv changed. */
static int environ_is_inherited(void)
{
	char *path[] = { "exechelper", "env", "PATH", "/bin", NULL };
	char *home[] = { "exechelper", "env", "HOME", "/", NULL };
	EXPECT(exited(run(HELPER, path, environ), 0));
	EXPECT(exited(run(HELPER, home, environ), 0));
	EXPECT(setenv("CALF_T", "hello world", 1) == 0);
	char *set[] = { "exechelper", "env", "CALF_T", "hello world", NULL };
	EXPECT(exited(run(HELPER, set, environ), 0));
	EXPECT(unsetenv("HOME") == 0);
	char *unset[] = { "exechelper", "env", "HOME", "-", NULL };
	EXPECT(exited(run(HELPER, unset, environ), 0));
	return 0;
}

/* execve(path, argv, envp) fails with err, and nothing it took stays taken. */
static int expect_fails(const char *path, char *const argv[], char *const envp[], int err,
			const char *what)
{
	errno = 0;
	(void)execve(path, argv, envp); /* once, for any page the call itself touches first */
	struct calf_meminfo before = suite_meminfo();
	errno = 0;
	int r = execve(path, argv, envp);
	int got = errno;
	struct calf_meminfo after = suite_meminfo();
	if (r != -1 || got != err) {
		printf("    %s: execve returned %d, errno %d (%s), expected %d (%s)\n", what, r, got,
		       strerror(got), err, strerror(err));
		return 1;
	}
	return suite_meminfo_same(&before, &after) ? 0 : 1;
}

/* Copy the file from to a new file to with mode. 0 or -1. */
static int copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	char buf[512];
	ssize_t n = 0;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return in >= 0 && out >= 0 && n == 0 ? 0 : -1;
}

/* The kernel's end of the heap: what lies past it is in no region. */
static uintptr_t heap_end(void)
{
	return (uintptr_t)calf_syscall(CALF_SYS_brk, 0, 0, 0);
}

static int failures_leave_the_caller_intact(void)
{
	static const uint8_t fill = 0x5A;
	size_t size = 64 * 1024;
	uint8_t *buf = malloc(size);
	EXPECT(buf);
	memset(buf, fill, size);
	pid_t pid = getpid(), ppid = getppid();
	/* A RAM-filesystem file, even a copy of a program marked executable: only /bin is run. */
	const char *ram_copy = "/tmp/exechelper-copy";
	EXPECT(copy_file(HELPER, ram_copy, 0755) == 0);
	/* Descriptors, close-on-exec or not, stay as they were when exec fails. */
	int keep = open("/dev/null", O_RDONLY), cloexec = open("/dev/zero", O_RDONLY | O_CLOEXEC);
	EXPECT(keep >= 0 && cloexec >= 0);
	struct calf_meminfo start = suite_meminfo();
	char *argv[] = { "exechelper", "exit", "0", NULL };
	int bad = 0;
	bad += expect_fails("/bin/nosuch", argv, NULL, ENOENT, "no such file");
	bad += expect_fails("nosuch", argv, NULL, ENOENT, "relative, no such file");
	bad += expect_fails("/nosuch/exechelper", argv, NULL, ENOENT, "no such directory");
	bad += expect_fails("", argv, NULL, ENOENT, "empty path");
	bad += expect_fails("/bin/exechelper/x", argv, NULL, ENOTDIR, "a file as a directory");
	bad += expect_fails("/bin/exechelper/", argv, NULL, ENOTDIR, "a file with a slash");
	bad += expect_fails("/bin", argv, NULL, EACCES, "a directory");
	bad += expect_fails("/", argv, NULL, EACCES, "the root");
	bad += expect_fails(".", argv, NULL, EACCES, "the working directory");
	bad += expect_fails("/dev/null", argv, NULL, EACCES, "a device");
	bad += expect_fails("/tmp", argv, NULL, EACCES, "a RAM-filesystem directory");
	bad += expect_fails(ram_copy, argv, NULL, EACCES, "a program copied into the RAM filesystem");
	bad += expect_fails("/dev", argv, NULL, EACCES, "another directory");
	bad += expect_fails("/bin/exec-notelf", argv, NULL, ENOEXEC, "a text file");
	bad += expect_fails("/bin/exec-badmachine", argv, NULL, ENOEXEC, "an ELF for no CPU");
	bad += expect_fails("/bin/exec-badentry", argv, NULL, ENOEXEC, "an entry outside the text");
	char *component = repeat(CALF_NAME_MAX + 1, 'n'), *long_path = repeat(CALF_PATH_MAX, '/');
	char name_path[128];
	snprintf(name_path, sizeof(name_path), "/bin/%s", component);
	bad += expect_fails(name_path, argv, NULL, ENAMETOOLONG, "a component too long");
	bad += expect_fails(long_path, argv, NULL, ENAMETOOLONG, "a path too long");
	EXPECT(bad == 0);
	/* Everything intact: memory, identity, and exec still works. */
	for (size_t i = 0; i < size; i++)
		EXPECT(buf[i] == fill);
	EXPECT(getpid() == pid && getppid() == ppid);
	EXPECT(fcntl(keep, F_GETFD) == 0 && fcntl(cloexec, F_GETFD) == FD_CLOEXEC);
	char zero = 1;
	EXPECT(read(cloexec, &zero, 1) == 1 && zero == 0);
	struct calf_meminfo end = suite_meminfo();
	EXPECT(suite_meminfo_same(&start, &end));
	EXPECT(exited(run(HELPER, argv, NULL), 0));
	EXPECT(unlink(ram_copy) == 0);
	return 0;
}

/* A pointer to address a, hidden from the compiler's checks of known-bad constants. */
static char **bad_vector(uintptr_t a)
{
	volatile uintptr_t v = a;
	return (char **)v;
}

static int bad_pointers_fail_with_efault(void)
{
	char *argv[] = { "exechelper", "exit", "0", NULL };
	char *bad_arg[] = { "exechelper", (char *)0x10, NULL };
	char *bad_env[] = { "K0=x", (char *)PAGE, NULL };
	int bad = 0;
	bad += expect_fails(NULL, argv, NULL, EFAULT, "NULL path");
	bad += expect_fails((char *)1, argv, NULL, EFAULT, "path in page 0");
	bad += expect_fails(HELPER, bad_vector(4), NULL, EFAULT, "argv in page 0");
	bad += expect_fails(HELPER, bad_arg, NULL, EFAULT, "an argument in page 0");
	bad += expect_fails(HELPER, argv, bad_vector(8), EFAULT, "envp in page 0");
	bad += expect_fails(HELPER, argv, bad_env, EFAULT, "an environment string in page 0");
	/* Unterminated, running into the end of the heap: the copy stops at the unmapped page. */
	EXPECT(malloc(64)); /* a heap there is */
	uintptr_t e = heap_end();
	EXPECT(e % PAGE == 0);
	char *tail = (char *)(e - 16);
	memset(tail, 'x', 16);
	bad += expect_fails(tail, argv, NULL, EFAULT, "path unterminated at a region's end");
	char *tail_arg[] = { "exechelper", tail, NULL };
	bad += expect_fails(HELPER, tail_arg, NULL, EFAULT, "argument unterminated at a region's end");
	char **tail_vec = (char **)(e - 2 * sizeof(char *));
	tail_vec[0] = "exechelper";
	tail_vec[1] = "exit";
	bad += expect_fails(HELPER, tail_vec, NULL, EFAULT, "argv unterminated at a region's end");
	bad += expect_fails(HELPER, argv, tail_vec, EFAULT, "envp unterminated at a region's end");
	EXPECT(bad == 0);
	return 0;
}

static int too_much_fails_with_e2big(void)
{
	size_t alen[3] = { 4000, 4000, 4000 }, elen[2] = { 1000, 5 };
	struct call c;
	EXPECT(call_build(&c, alen, 3, elen, 2, CALF_ARG_MAX + 1) == CALF_ARG_MAX + 1);
	EXPECT(expect_fails(HELPER, c.argv, c.envp, E2BIG, "CALF_ARG_MAX + 1") == 0);
	/* Many empty strings: the pointers count too. */
	static char *many[CALF_ARG_MAX / 5 + 2];
	for (size_t i = 0; i < sizeof(many) / sizeof(many[0]) - 1; i++)
		many[i] = "";
	EXPECT(expect_fails(HELPER, many, NULL, E2BIG, "empty arguments past the limit") == 0);
	return 0;
}

static int ids_are_kept(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		calf_setprio(0, 9);
		char spid[16], sppid[16];
		snprintf(spid, sizeof(spid), "%d", getpid());
		snprintf(sppid, sizeof(sppid), "%d", getppid());
		execl(HELPER, "exechelper", "ids", spid, sppid, "9", (char *)NULL);
		_exit(99);
	}
	int status = -1;
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid);
	EXPECT(exited(status, 0));
	return 0;
}

/* Descriptors survive exec unless close-on-exec; dup2 onto a descriptor clears the flag. */
static int close_on_exec_is_honoured(void)
{
	int keep = open("/dev/null", O_RDONLY);
	int gone = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int set = open("/dev/zero", O_RDONLY);
	EXPECT(keep >= 3 && gone >= 3 && set >= 3);
	EXPECT(fcntl(set, F_SETFD, FD_CLOEXEC) == 0);
	int dup_fd = dup(gone); /* dup's copy has the flag clear (POSIX) */
	int cloexec_dup = fcntl(keep, F_DUPFD_CLOEXEC, 20);
	EXPECT(dup_fd >= 0 && cloexec_dup == 20);
	char spec[6][16];
	snprintf(spec[0], 16, "o%d", keep);
	snprintf(spec[1], 16, "c%d", gone);
	snprintf(spec[2], 16, "c%d", set);
	snprintf(spec[3], 16, "o%d", dup_fd);
	snprintf(spec[4], 16, "c%d", cloexec_dup);
	snprintf(spec[5], 16, "o%d", 1);
	char *argv[] = { "exechelper", "fds", spec[0], spec[1], spec[2], spec[3], spec[4], spec[5], NULL };
	EXPECT(exited(run(HELPER, argv, NULL), 0));
	return 0;
}

/* ps shows what was exec'd: argv joined, cut to 63 bytes. */
static int command_line_follows_exec(void)
{
	fflush(stdout);
	char *long_arg = repeat(100, 'q');
	EXPECT(long_arg);
	pid_t pid = fork();
	if (pid == 0) {
		execl(HELPER, "exechelper", "sleep", "2000", long_arg, (char *)NULL);
		_exit(99);
	}
	struct calf_taskinfo ti;
	bool found = false;
	/* Until it shows its new command line: it may still be on its way to exec. */
	for (int tries = 0; tries < 100 && !found; tries++) {
		usleep(10000);
		for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
			if (ti.pid == pid && strncmp(ti.cmdline, "exechelper sleep", 16) == 0) {
				found = true;
				break;
			}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT(found);
	char want[64];
	snprintf(want, sizeof(want), "exechelper sleep 2000 %s", long_arg);
	EXPECT(strlen(ti.cmdline) == 63 && strcmp(ti.cmdline, want) == 0);
	return 0;
}

/* Write one byte of every page of [buf, buf + size). */
static void touch(volatile uint8_t *buf, size_t size, uint8_t v)
{
	for (size_t i = 0; i < size; i += PAGE)
		buf[i] = v;
}

/*
 * A forked child that execs lets go of everything it shared with its
 * parent: the parent's tables are unshared again (a child that only
 * sleeps keeps them shared, which shows the count is the one to watch),
 * and the parent's writes then copy nothing.
 */
static int exec_after_fork_shares_nothing(void)
{
	size_t size = 256 * 1024;
	volatile uint8_t *buf = malloc(size);
	EXPECT(buf);
	touch(buf, size, 1);
	struct calf_meminfo m0 = suite_meminfo();
	/* The child runs first (more urgent) until it sleeps: forked only, then after its exec. */
	EXPECT(calf_setprio(0, 10) >= 0);
	pid_t sleeper = fork();
	if (sleeper == 0) {
		usleep(2000000);
		_exit(0);
	}
	EXPECT(calf_setprio(0, CALF_PRIO_DEFAULT) >= 0);
	struct calf_meminfo forked = suite_meminfo();
	kill(sleeper, SIGKILL);
	waitpid(sleeper, NULL, 0);
	EXPECT(forked.shared > m0.shared);

	struct calf_meminfo m1 = suite_meminfo();
	EXPECT(calf_setprio(0, 10) >= 0);
	pid_t pid = fork();
	if (pid == 0) {
		execl(HELPER, "exechelper", "sleep", "2000", (char *)NULL);
		_exit(99);
	}
	EXPECT(calf_setprio(0, CALF_PRIO_DEFAULT) >= 0);
	struct calf_meminfo execed = suite_meminfo();
	EXPECT(execed.shared == m1.shared);
	touch(buf, size, 2);
	struct calf_meminfo written = suite_meminfo();
	EXPECT(written.cow_copies == execed.cow_copies);
	EXPECT(written.table_copies == execed.table_copies);
	/* The helper still runs: its exec let go, not its exit. */
	EXPECT(waitpid(pid, NULL, WNOHANG) == 0);
	kill(pid, SIGKILL);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGKILL));
	return 0;
}

static int no_frame_leaked_over_1000_rounds(void)
{
	char *argv[] = { "exechelper", "exit", "0", NULL };
	EXPECT(exited(run(HELPER, argv, environ), 0)); /* warm up */
	struct calf_meminfo start = suite_meminfo();
	for (int i = 0; i < ROUNDS; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			execve(HELPER, argv, environ);
			_exit(99);
		}
		int status = -1;
		EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid);
		if (!exited(status, 0)) {
			printf("    round %d\n", i);
			return 1;
		}
	}
	struct calf_meminfo end = suite_meminfo();
	EXPECT(suite_meminfo_same(&start, &end));
	return 0;
}

static int exec_from_an_execed_program(void)
{
	char *argv[] = { "exechelper", "exec", HELPER, "exechelper", "exit", "5", NULL };
	EXPECT(exited(run(HELPER, argv, NULL), 5));
	return 0;
}

static int thread_exec_stack[8192] __attribute__((aligned(16)));

static int thread_execs(void *arg)
{
	(void)arg;
	execl(HELPER, "exechelper", "exit", "6", (char *)NULL);
	return 99;
}

/*
 * A CLONE_VM task of its own process (not a CLONE_THREAD thread, which
 * threadtest covers) that execs leaves the space it shared: the other
 * tasks go on in it, see docs/design.md; the
 * caller's memory is untouched and no frame is lost.
 */
static int thread_exec_leaves_the_others(void)
{
	static const uint8_t fill = 0xA5;
	size_t size = 32 * 1024;
	uint8_t *buf = malloc(size);
	EXPECT(buf);
	memset(buf, fill, size);
	memset(thread_exec_stack, 0, sizeof(thread_exec_stack));
	struct calf_meminfo start = suite_meminfo();
	pid_t tid = calf_thread_spawn(thread_execs, NULL,
				      (char *)thread_exec_stack + sizeof(thread_exec_stack));
	EXPECT(tid > 0);
	int status = -1;
	EXPECT(waitpid(tid, &status, 0) == tid);
	EXPECT(exited(status, 6));
	for (size_t i = 0; i < size; i++)
		EXPECT(buf[i] == fill);
	struct calf_meminfo end = suite_meminfo();
	EXPECT(suite_meminfo_same(&start, &end));
	return 0;
}

/* execv* in a child: its wait status. */
static int run_execvp(const char *file, char *const argv[], const char *path)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (path)
			setenv("PATH", path, 1);
		else
			unsetenv("PATH");
		execvp(file, argv);
		_exit(100 + errno);
	}
	int status = -1;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static int execvp_searches_path(void)
{
	char *argv[] = { "exechelper", "exit", "3", NULL };
	EXPECT(exited(run_execvp("exechelper", argv, "/bin"), 3));
	EXPECT(exited(run_execvp("exechelper", argv, "/nowhere:/:/bin"), 3));
	EXPECT(exited(run_execvp("exechelper", argv, NULL), 3)); /* default: /bin */
	EXPECT(exited(run_execvp("/bin/exechelper", argv, "/nowhere"), 3)); /* a '/': no search */
	/* Not found anywhere: ENOENT; found only as a directory: EACCES; not a program: ENOEXEC. */
	EXPECT(exited(run_execvp("nosuch", argv, "/bin:/"), 100 + ENOENT));
	EXPECT(exited(run_execvp("bin", argv, "/"), 100 + EACCES));
	EXPECT(exited(run_execvp("bin", argv, "/:/nowhere"), 100 + EACCES));
	EXPECT(exited(run_execvp("exec-notelf", argv, "/bin"), 100 + ENOEXEC));
	EXPECT(exited(run_execvp("", argv, "/bin"), 100 + ENOENT));
	return 0;
}

static int execl_family(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl(HELPER, "exechelper", "exit", "11", (char *)NULL);
		_exit(99);
	}
	int status = -1;
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 11));
	pid = fork();
	if (pid == 0) {
		char *envp[] = { "WHO=execle", NULL };
		execle(HELPER, "exechelper", "env", "WHO", "execle", (char *)NULL, envp);
		_exit(99);
	}
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 0));
	pid = fork();
	if (pid == 0) {
		execlp("exechelper", "exechelper", "exit", "12", (char *)NULL);
		_exit(99);
	}
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 12));
	return 0;
}

static int posix_spawn_runs_programs(void)
{
	size_t alen[5] = { 1, 0, 300, 7, 5000 }, elen[3] = { 2, 0, 40 };
	struct call c;
	EXPECT(call_build(&c, alen, 5, elen, 3, 0) > 0);
	pid_t pid = 0;
	int status = -1;
	EXPECT(posix_spawn(&pid, HELPER, NULL, NULL, c.argv, c.envp) == 0);
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid && exited(status, 0));
	char *argv[] = { "exechelper", "exit", "4", NULL };
	EXPECT(posix_spawnp(&pid, "exechelper", NULL, NULL, argv, environ) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 4));
	/* A program that cannot be run: the child ends with 127 (POSIX allows this report). */
	EXPECT(posix_spawn(&pid, "/bin/nosuch", NULL, NULL, argv, environ) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 127));
	/* File actions, in order: open as 5, dup2 5 onto 6, close 5; dup2 7 onto itself keeps it. */
	posix_spawn_file_actions_t fa;
	EXPECT(posix_spawn_file_actions_init(&fa) == 0);
	EXPECT(posix_spawn_file_actions_addopen(&fa, 5, "/dev/null", O_RDONLY, 0) == 0);
	EXPECT(posix_spawn_file_actions_adddup2(&fa, 5, 6) == 0);
	EXPECT(posix_spawn_file_actions_addclose(&fa, 5) == 0);
	EXPECT(posix_spawn_file_actions_adddup2(&fa, 7, 7) == 0);
	EXPECT(posix_spawn_file_actions_addclose(&fa, CALF_OPEN_MAX) == EBADF);
	EXPECT(dup2(open("/dev/zero", O_RDONLY | O_CLOEXEC), 7) == 7);
	EXPECT(fcntl(7, F_SETFD, FD_CLOEXEC) == 0);
	char *fds[] = { "exechelper", "fds", "c5", "o6", "o7", "o0", NULL };
	EXPECT(posix_spawn(&pid, HELPER, &fa, NULL, fds, environ) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 0));
	EXPECT(fcntl(5, F_GETFD) == -1 && fcntl(6, F_GETFD) == -1); /* the parent's table is its own */
	/* An action that fails: the child ends with 127 before its exec. */
	posix_spawn_file_actions_t bad;
	EXPECT(posix_spawn_file_actions_init(&bad) == 0);
	EXPECT(posix_spawn_file_actions_addopen(&bad, 5, "/nosuch", O_RDONLY, 0) == 0);
	EXPECT(posix_spawn(&pid, HELPER, &bad, NULL, argv, environ) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 127));
	EXPECT(posix_spawn_file_actions_destroy(&bad) == 0);
	EXPECT(posix_spawn_file_actions_destroy(&fa) == 0);
	posix_spawnattr_t attr;
	EXPECT(posix_spawnattr_init(&attr) == 0);
	EXPECT(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSCHEDULER) == EINVAL);
	short flags = -1;
	EXPECT(posix_spawnattr_getflags(&attr, &flags) == 0 && flags == 0);
	EXPECT(posix_spawnattr_destroy(&attr) == 0);
	return 0;
}

/* Set sig's disposition through the raw call: 0 or the raw error. */
static int32_t raw_sigaction(int sig, uint32_t handler)
{
	struct calf_sigaction sa = { .handler = handler };
	return calf_syscall(CALF_SYS_sigaction, (uint32_t)sig, (uint32_t)&sa, 0);
}

/* POSIX: ignored signals stay ignored across exec, and the process group is kept. */
static int process_group_and_ignored_signals_kept(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (calf_syscall(CALF_SYS_setpgid, 0, 0, 0) != 0 || raw_sigaction(SIGINT, CALF_SIG_IGN) != 0 ||
		    raw_sigaction(SIGTERM, CALF_SIG_DFL) != 0)
			_exit(98);
		execl(HELPER, "exechelper", "state", "pgself", "i2", "d15", (char *)NULL);
		_exit(99);
	}
	int status = -1;
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 0));
	return 0;
}

/* posix_spawn's SETPGROUP and SETSIGDEF, carried out in the child before its exec. */
static int posix_spawn_attributes(void)
{
	EXPECT(raw_sigaction(SIGINT, CALF_SIG_IGN) == 0 && raw_sigaction(SIGQUIT, CALF_SIG_IGN) == 0);
	posix_spawnattr_t attr;
	EXPECT(posix_spawnattr_init(&attr) == 0);
	EXPECT(posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF) == 0);
	EXPECT(posix_spawnattr_setpgroup(&attr, 0) == 0);
	sigset_t dfl;
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	EXPECT(posix_spawnattr_setsigdefault(&attr, &dfl) == 0);
	pid_t pid;
	int status = -1;
	char *argv[] = { "exechelper", "state", "pgself", "d2", "i3", NULL };
	EXPECT(posix_spawn(&pid, HELPER, NULL, &attr, argv, environ) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 0));
	EXPECT(posix_spawnattr_destroy(&attr) == 0);
	return 0;
}

static const char *skip_unless_pgid_and_sigaction(void)
{
	struct calf_sigaction old;
	if (calf_syscall(CALF_SYS_getpgid, 0, 0, 0) == -ENOSYS ||
	    calf_syscall(CALF_SYS_sigaction, SIGUSR1, 0, (uint32_t)&old) == -ENOSYS)
		return "no process groups or sigaction in this kernel yet";
	return NULL;
}

/* system() with no shell in the image: ours answers as POSIX says, newlib's would say -1. */
static int system_without_a_shell(void)
{
	EXPECT(system(NULL) == 0);
	int status = system("exit 3");
	EXPECT(exited(status, 127));
	return 0;
}

static const char *skip_unless_no_shell(void)
{
	return system(NULL) ? "/bin/sh exists: system_runs_the_shell covers it" : NULL;
}

static int system_runs_the_shell(void)
{
	EXPECT(system(NULL) != 0);
	EXPECT(exited(system("exit 3"), 3));
	EXPECT(exited(system("/bin/exechelper exit 9"), 9));
	return 0;
}

static const char *skip_unless_shell(void)
{
	return system(NULL) ? NULL : "no /bin/sh in this image";
}

/* Page tables a heap ending at e0 needs more when it ends at e (a table maps 4 MiB on both ports). */
static uint32_t spans_added(uintptr_t e0, uintptr_t e)
{
	const uintptr_t span = 4u * 1024u * 1024u;
	return (uint32_t)((e + span - 1) / span - (e0 + span - 1) / span);
}

/* POSIX: the new program finds the default floating-point environment, whatever the old one set. */
static int floating_point_environment_is_reset(void)
{
#ifdef FE_UPWARD
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		if (fesetround(FE_UPWARD) != 0 || fegetround() != FE_UPWARD)
			_exit(98);
		execl(HELPER, "exechelper", "fenv", (char *)NULL);
		_exit(99);
	}
	int status = -1;
	EXPECT(waitpid(pid, &status, 0) == pid && exited(status, 0));
#endif
	return 0;
}

static const char *skip_unless_rounding_modes(void)
{
#ifdef FE_UPWARD
	if (fesetround(FE_UPWARD) == 0) {
		fesetround(FE_TONEAREST);
		return NULL;
	}
#endif
	return "soft-float: one rounding mode, no environment to reset";
}

/* Frames that may still be promised. */
static uint32_t reserve_left(void)
{
	struct calf_meminfo mi = suite_meminfo();
	return mi.total - mi.committed - mi.uncharged;
}

/*
 * Strict commit: a new space whose charge does not fit is refused before
 * the switch, and the caller keeps everything, its charge included.
 */
static int strict_commit_refuses_with_enomem(void)
{
	uintptr_t e0 = heap_end();
	uint32_t room = reserve_left();
	EXPECT(room > 16);
	/* Leave 8 frames or so: less than any program's stack charge (64 pages). */
	uint32_t pages = room - 8;
	while (pages > 0 && pages + spans_added(e0, e0 + (uintptr_t)pages * PAGE) > room - 8)
		pages--;
	uintptr_t grow = (uintptr_t)pages * PAGE;
	EXPECT(calf_syscall(CALF_SYS_brk, (uint32_t)(e0 + grow), 0, 0) == (int32_t)(e0 + grow));
	EXPECT(reserve_left() <= 16);
	char *argv[] = { "exechelper", "exit", "0", NULL };
	EXPECT(expect_fails(HELPER, argv, NULL, ENOMEM, "charge over the reserve") == 0);
	EXPECT(calf_syscall(CALF_SYS_brk, (uint32_t)e0, 0, 0) == (int32_t)e0);
	EXPECT(exited(run(HELPER, argv, NULL), 0));
	return 0;
}

static const char *skip_unless_strict(void)
{
	return suite_meminfo().commit_strict ? NULL : "overcommit image: exec is never refused for its charge";
}

static int exit_at_once(void)
{
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(arguments_and_environment_arrive),
	SUITE_CASE(arg_max_exactly_fits),
	SUITE_CASE(argc_zero),
	SUITE_CASE(environ_is_inherited),
	SUITE_CASE(failures_leave_the_caller_intact),
	SUITE_CASE(bad_pointers_fail_with_efault),
	SUITE_CASE(too_much_fails_with_e2big),
	SUITE_CASE(ids_are_kept),
	SUITE_CASE(close_on_exec_is_honoured),
	SUITE_CASE(command_line_follows_exec),
	SUITE_CASE(exec_after_fork_shares_nothing),
	SUITE_CASE(no_frame_leaked_over_1000_rounds),
	SUITE_CASE(exec_from_an_execed_program),
	SUITE_CASE(thread_exec_leaves_the_others),
	SUITE_CASE(execvp_searches_path),
	SUITE_CASE(execl_family),
	SUITE_CASE(posix_spawn_runs_programs),
	{ "process_group_and_ignored_signals_kept", process_group_and_ignored_signals_kept,
	  skip_unless_pgid_and_sigaction },
	{ "posix_spawn_attributes", posix_spawn_attributes, skip_unless_pgid_and_sigaction },
	{ "floating_point_environment_is_reset", floating_point_environment_is_reset,
	  skip_unless_rounding_modes },
	{ "system_without_a_shell", system_without_a_shell, skip_unless_no_shell },
	{ "system_runs_the_shell", system_runs_the_shell, skip_unless_shell },
	{ "strict_commit_refuses_with_enomem", strict_commit_refuses_with_enomem, skip_unless_strict },
};

int main(int argc, char **argv)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("%s: %d cases\n", argc > 0 ? argv[0] : "exectest", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	suite_child_prologue = case_prologue;
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, exit_at_once,
			  "counts_restored_after_all_exit");
	return suite_end(&t);
}
