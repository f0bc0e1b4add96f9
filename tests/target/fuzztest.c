/*
 * fuzztest.c - random system calls against the kernel: processes issue
 * long runs of calls with every call number (and numbers past the last),
 * random and boundary arguments, pointers into every kind of memory (their
 * own stack, data, heap and text, null, unmapped, the kernel's), open and
 * closed descriptors, and signals to themselves and each other. The kernel
 * must never panic (the machine would stop: the run fails), every process
 * must end and be reaped, and afterwards every frame and charge must be
 * back.
 *
 * fuzztest [ROUNDS [PROCS [CALLS [SEED]]]]: ROUNDS rounds of PROCS
 * processes at once, each making up to CALLS calls (the ctest's defaults
 * below; README.md gives a long run's command). The suite runs as init,
 * so every orphan comes back to it to be reaped, and at priority 0, ahead
 * of every fuzzing process, so its deadline holds whatever they do.
 *
 * What a fuzzing process may not do, because it would end the run rather
 * than test the kernel: power the machine off; signal init or its group,
 * or move into init's group (its group kills would reach init); run at
 * priority 0 or install a handler that jumps into code; share its address
 * space with a new thread on a random stack (the thread would run this
 * loop's code from garbage return addresses).
 */
#define _GNU_SOURCE /* pipe2 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include <calf/abi.h>
#include "suite.h"

#define ROUNDS 6
#define PROCS 6
#define CALLS 1500
#define ROUND_NS 3000000000ull /* a round's processes are killed after 3 s */
#define INIT_PID 1

static uint32_t rng_state;

/* xorshift32: deterministic for a seed, so a failing run can be replayed. */
static uint32_t rng(void)
{
	uint32_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return rng_state = x;
}

static char data_buf[8192] __attribute__((aligned(4096)));
static char *heap_buf;
static uint32_t *calls_made; /* a shared page: every process counts its calls there... */
#define LAST_CALL(pid) (calls_made[1 + (uint32_t)(pid) % 1000]) /* ...and its last call's number */

/* An address of some kind: valid (stack, data, heap, text), edge, null, unmapped, kernel. */
static uint32_t random_pointer(char *stack_buf)
{
	switch (rng() % 12) {
	case 0: return 0;
	case 1: return (uint32_t)(uintptr_t)stack_buf + rng() % 256;
	case 2: return (uint32_t)(uintptr_t)data_buf + rng() % sizeof(data_buf);
	case 3: return (uint32_t)(uintptr_t)data_buf + sizeof(data_buf) - rng() % 8; /* a page's end */
	case 4: return (uint32_t)(uintptr_t)heap_buf + rng() % 4096;
	case 5: return (uint32_t)(uintptr_t)rng + rng() % 64; /* text: read-only */
	case 6: return 0x80000000u + (rng() & 0x0FFFFFFCu); /* the kernel's direct map */
	case 7: return 0xF0000000u + (rng() & 0xFFFFu);     /* device windows */
	case 8: return 0x3FFFFFF0u + rng() % 32;           /* user space's end */
	case 9: return 0x20000000u + (rng() & 0xFFFFFu);    /* most likely unmapped */
	case 10: return 0xFFFFFFFFu - rng() % 16;          /* wraps */
	default: return rng();
	}
}

/* A number of some kind: small, boundary, negative, huge. */
static uint32_t random_number(void)
{
	static const uint32_t edges[] = { 0, 1, 2, 3, 4, 15, 16, 31, 32, 63, 64, 255, 256, 4095, 4096,
					  4097, 65536, 0x7FFFFFFFu, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFFEu };
	switch (rng() % 4) {
	case 0: return edges[rng() % (sizeof(edges) / sizeof(edges[0]))];
	case 1: return rng() % 64;
	case 2: return (uint32_t)-(int32_t)(rng() % 64);
	default: return rng();
	}
}

/* Paths inside the fuzz's own directory, and a few fixed ones: never the console. */
static const char *const paths[] = {
	"/tmp/fz", "/tmp/fz/a", "/tmp/fz/b", "/tmp/fz/d", "/tmp/fz/d/e", "/tmp/fz/../fz/a", "/",
	"/tmp", "/bin/true", "/bin/echo", "/bin/nosuch", "/dev/null", "/dev/zero", "", "a", "d/e",
	"/tmp/fz/nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
};

static uint32_t random_path(char *stack_buf)
{
	if (rng() % 4 == 0)
		return random_pointer(stack_buf);
	return (uint32_t)(uintptr_t)paths[rng() % (sizeof(paths) / sizeof(paths[0]))];
}

/* A descriptor: one likely open, a closed or impossible one, or any number. */
static uint32_t random_fd(void)
{
	switch (rng() % 3) {
	case 0: return rng() % 8;
	case 1: return rng() % CALF_OPEN_MAX;
	default: return random_number();
	}
}

static void handler_benign(int sig)
{
	(void)sig;
}

/* A signal action that cannot run code by chance: default, ignore, a real handler, a fault. */
static uint32_t random_sigaction(struct calf_sigaction *sa, char *stack_buf)
{
	static const uint32_t handlers[] = { 0, 1, 0x20000000u, 0x80000000u };
	sa->handler = rng() % 2 ? (uint32_t)(uintptr_t)handler_benign : handlers[rng() % 4];
	sa->mask = rng();
	sa->flags = rng();
	sa->restorer = 0;
	return rng() % 8 == 0 ? random_pointer(stack_buf) & 0xF : (uint32_t)(uintptr_t)sa;
}

/* One call: a number (past the last too), arguments made for it where that keeps init safe. */
static void fuzz_call(char *stack_buf)
{
	uint32_t nr = rng() % 16 == 0 ? random_number() : rng() % CALF_SYS_COUNT;
	uint32_t a[4] = { random_number(), random_number(), random_number(), random_number() };
	static struct calf_sigaction sa;
	static struct calf_mmap_args mm;
	switch (nr) {
	case CALF_SYS_poweroff:
		return;
	case CALF_SYS_sigreturn: /* with no handler's frame it ends the process: now and then */
		if (rng() % 16)
			return;
		break;
	case CALF_SYS_sigsuspend: /* a signal must come: SIGALRM in 50 ms, not masked */
		calf_syscall(CALF_SYS_alarm, 50000, 0, 0);
		a[0] &= ~(1u << SIGALRM);
		break;
	case CALF_SYS_exit:
	case CALF_SYS_exit_group:
		if (rng() % 64)
			return; /* now and then: ends this process early */
		break;
	case CALF_SYS_kill: /* never init or its group; any signal to anyone else */
		if ((int32_t)a[0] == INIT_PID || (int32_t)a[0] == -INIT_PID || (int32_t)a[0] < -1)
			a[0] = 0;
		a[1] %= 40; /* mostly real signals, a few past the last */
		if ((a[1] == SIGKILL || a[1] == SIGSTOP) && rng() % 8)
			a[1] = SIGUSR1; /* the two nobody can catch: now and then */
		break;
	case CALF_SYS_setpgid: /* never into init's group */
		a[1] = rng() % 2 ? 0 : (uint32_t)getpid();
		break;
	case CALF_SYS_setprio: /* never ahead of (or beside) the suite, never the suite's */
		a[0] = rng() % 2 ? 0 : a[0];
		if ((int32_t)a[0] == INIT_PID)
			a[0] = 0;
		a[1] = 1 + rng() % 31;
		break;
	case CALF_SYS_clone:
		/* Processes on this stack only: a thread, or a new stack, would run this loop blindly. */
		a[0] &= ~(uint32_t)(CALF_CLONE_VM | CALF_CLONE_THREAD);
		a[1] = 0;
		break;
	case CALF_SYS_sigaction:
		a[1] = random_sigaction(&sa, stack_buf);
		a[2] = random_pointer(stack_buf);
		break;
	case CALF_SYS_mmap:
		mm = (struct calf_mmap_args){ random_pointer(stack_buf), random_number(), rng() % 16,
					      rng(), (int32_t)random_number(), random_number() };
		a[0] = rng() % 8 ? (uint32_t)(uintptr_t)&mm : random_pointer(stack_buf);
		break;
	case CALF_SYS_execve: /* a program that runs ends the fuzzing: now and then */
		if (rng() % 8)
			return;
		/* fall through */
	case CALF_SYS_open: case CALF_SYS_stat: case CALF_SYS_mkdir: case CALF_SYS_rmdir:
	case CALF_SYS_unlink: case CALF_SYS_chdir:
		a[0] = random_path(stack_buf);
		a[1] = nr == CALF_SYS_execve ? random_pointer(stack_buf) : a[1];
		break;
	case CALF_SYS_rename:
		a[0] = random_path(stack_buf);
		a[1] = random_path(stack_buf);
		break;
	case CALF_SYS_usleep:
		a[0] %= 20000; /* sleeps are real: keep them short */
		break;
	default:
		/* Descriptors first for the calls that take one; any pointer for the rest. */
		if (rng() % 2)
			a[0] = random_fd();
		if (rng() % 2)
			a[1] = random_pointer(stack_buf);
		if (rng() % 3 == 0)
			a[2] = random_pointer(stack_buf);
	}
	LAST_CALL(getpid()) = nr;
	calf_syscall4(nr, a[0], a[1], a[2], a[3]);
}

/* A fuzzing process: its own group, no console, some descriptors of each kind, then calls. */
static _Noreturn void fuzz_process(uint32_t seed, int calls)
{
	char stack_buf[256];
	rng_state = seed ? seed : 1;
	calf_setprio(0, 16); /* behind the suite */
	setpgid(0, 0);
	/* Signals run a handler (a delivery to test) rather than end the process at once. */
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, handler_benign);
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	int p[2];
	pipe2(p, O_NONBLOCK); /* a read of the empty pipe must not end the fuzzing */
	open("/tmp/fz/a", O_CREAT | O_RDWR, 0644);
	open("/tmp/fz", O_RDONLY | O_DIRECTORY);
	heap_buf = malloc(8192);
	pid_t me = getpid();
	for (int left = calls; left > 0; left--) {
		memcpy(stack_buf, data_buf + (left % 64), sizeof(stack_buf) / 2);
		fuzz_call(stack_buf);
		__atomic_fetch_add(calls_made, 1, __ATOMIC_RELAXED);
		pid_t now = (pid_t)calf_syscall(CALF_SYS_getpid, 0, 0, 0);
		if (now != me) { /* a clone's child: half the calls left each, so the total stays bounded */
			me = now;
			left /= 2;
		}
	}
	calf_syscall(CALF_SYS_exit, 0, 0, 0);
	for (;;)
		;
}

/* How the fuzzing processes ended: exits, and deaths by each signal. */
static int ends_exit, ends_signal[NSIG];

/* Count how one ended. */
static void end_count(int status)
{
	if (WIFEXITED(status))
		ends_exit++;
	else if (WIFSIGNALED(status) && WTERMSIG(status) < NSIG)
		ends_signal[WTERMSIG(status)]++;
}

/* SIGKILL every task but init; returns how many there were. say: name the call each was in. */
static int kill_all_but_init(bool say)
{
	struct calf_taskinfo ti;
	int n = 0;
	for (int cursor = 0; (cursor = calf_taskinfo(cursor, &ti)) > 0;) {
		if (ti.pid == INIT_PID)
			continue;
		if (say)
			printf("fuzztest: pid %d still there at the deadline, in call %lu\n", (int)ti.pid,
			       (unsigned long)LAST_CALL(ti.pid));
		n += kill(ti.pid, SIGKILL) == 0;
	}
	return n;
}

/* Reap everything (init adopts every orphan): true when no child is left. */
static bool reap_all(void)
{
	uint64_t start = calf_clock_ns();
	while (calf_clock_ns() - start < 10000000000ull) {
		int status;
		pid_t pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0)
			end_count(status);
		if (pid < 0 && errno == ECHILD)
			return true;
		if (pid == 0) {
			kill_all_but_init(false);
			usleep(10000);
		}
	}
	return false;
}

/* Remove path and everything under it that is not in /bin or /dev. */
static void remove_tree(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) /* no symbolic links on Calf */
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		char sub[256];
		while (d && (e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			remove_tree(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Remove whatever the fuzz made: anything in / or /tmp not in keep (names, NUL-separated). */
static void remove_new_entries(const char *dir, const char *keep, size_t keep_len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[256];
	while (d && (e = readdir(d))) {
		bool kept = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
		for (size_t off = 0; !kept && off < keep_len; off += strlen(keep + off) + 1)
			kept = !strcmp(keep + off, e->d_name);
		if (kept)
			continue;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		remove_tree(path);
		rewinddir(d); /* the directory changed under the reader */
	}
	if (d)
		closedir(d);
}

/* The names in dir, NUL-separated, into buf; returns their bytes. */
static size_t entries_list(const char *dir, char *buf, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t len = 0;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name) + 1;
		if (len + n <= size) {
			memcpy(buf + len, e->d_name, n);
			len += n;
		}
	}
	if (d)
		closedir(d);
	return len;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : ROUNDS, procs = argc > 2 ? atoi(argv[2]) : PROCS;
	int calls = argc > 3 ? atoi(argv[3]) : CALLS;
	uint32_t seed = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 0) : 0xC0FFEEu;
	bool verbose = argc > 5;
	printf("fuzztest: 3 cases\n");
	printf("fuzztest: %d rounds of %d processes, up to %d calls each, seed %#lx\n", rounds, procs,
	       calls, (unsigned long)seed);
	fflush(stdout);
	calf_setprio(0, 0);
	static char keep_root[1024], keep_tmp[1024];
	size_t root_len = entries_list("/", keep_root, sizeof(keep_root));
	size_t tmp_len = entries_list("/tmp", keep_tmp, sizeof(keep_tmp));
	pid_t warm = fork(); /* the pages a fork and wait write become the suite's own first */
	if (warm == 0)
		_exit(0);
	waitpid(warm, NULL, 0);
	calls_made = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (calls_made == MAP_FAILED)
		return 1;
	*calls_made = 0; /* its frame taken before the snapshot, given back after the last */
	char *heap_before = sbrk(0);
	struct calf_meminfo before = suite_meminfo();
	struct suite_tally t = { 0 };

	int started = 0, lost = 0, leftover = 0;
	uint32_t uncharged = before.uncharged;
	for (int r = 0; r < rounds; r++) {
		mkdir("/tmp/fz", 0755);
		mkdir("/tmp/fz/d", 0755);
		for (int i = 0; i < procs; i++) {
			fflush(stdout);
			pid_t pid = fork();
			if (pid == 0)
				fuzz_process(seed + (uint32_t)(r * procs + i) * 2654435761u, calls);
			started += pid > 0;
		}
		/* The round's deadline, then whatever still runs is killed. */
		uint64_t start = calf_clock_ns();
		for (;;) {
			int status;
			pid_t pid = waitpid(-1, &status, WNOHANG);
			if (pid > 0)
				end_count(status);
			else if (pid < 0 || calf_clock_ns() - start >= ROUND_NS)
				break;
			else
				usleep(20000);
		}
		leftover += kill_all_but_init(verbose);
		lost += !reap_all();
		remove_tree("/tmp/fz");
		struct calf_meminfo now = suite_meminfo();
		if (now.uncharged != uncharged) /* what the file system and kernel objects hold */
			printf("fuzztest: round %d: uncharged frames %lu -> %lu\n", r,
			       (unsigned long)uncharged, (unsigned long)now.uncharged);
		uncharged = now.uncharged;
	}
	printf("fuzztest: %d processes started, %lu calls made, %d killed at a round's deadline\n",
	       started, (unsigned long)*calls_made, leftover);
	printf("fuzztest: ended by exit %d", ends_exit);
	for (int sig = 1; sig < NSIG; sig++)
		if (ends_signal[sig])
			printf(", signal %d: %d", sig, ends_signal[sig]);
	printf("\n");
	suite_verdict(&t, started == rounds * procs, "random_calls_keep_the_kernel_up");
	suite_verdict(&t, lost == 0, "every_process_ends_and_is_reaped");
	chdir("/");
	remove_new_entries("/tmp", keep_tmp, tmp_len);
	remove_new_entries("/", keep_root, root_len);
	struct calf_meminfo after = suite_meminfo();
	/* The suite's own heap may have grown (the cleanup reads directories): its pages are its own. */
	uint32_t grown = (uint32_t)((char *)sbrk(0) - heap_before) / 4096u;
	before.free -= grown;
	before.used += grown;
	before.committed += grown;
	bool same = suite_meminfo_same(&before, &after);
	if (!same) { /* what is left: the suite's own heap, or names the cleanup missed */
		static char left[1024];
		size_t n = entries_list("/", left, sizeof(left));
		n += entries_list("/tmp", left + n, sizeof(left) - n);
		printf("    entries of / and /tmp:");
		for (size_t off = 0; off < n; off += strlen(left + off) + 1)
			printf(" '%s'", left + off);
		printf("\n");
	}
	suite_verdict(&t, same, "every_frame_and_charge_back");
	munmap(calls_made, 4096);
	return suite_end(&t);
}
