/*
 * sigtest.c - the on-target signal suite: handlers run for kill from
 * another task, raise, faults and alarms; masks, sigpending, sigsuspend;
 * SA_RESTART, SA_RESETHAND, SA_NODEFER, SA_SIGINFO; fault signals with
 * si_addr and longjmp out; forged or unreadable sigreturn frames kill
 * only their task and leak no frame; stop and continue with WUNTRACED and
 * WCONTINUED; SIGCHLD; exec's reset; registers restored exactly; kill of
 * a process whose main thread has left.
 *
 * Each case runs in its own forked task; the suite prints PASS/FAIL per
 * case and "N passed, N failed", and exits with the number of failures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define SETTLE_US 20000 /* long enough for a woken or blocked task to get there */

static volatile sig_atomic_t hits, depth, max_depth;
static volatile siginfo_t last_info;

/* Count a delivery. */
static void on_signal(int sig)
{
	(void)sig;
	hits++;
}

/* Keep the details of a SA_SIGINFO delivery. */
static void on_siginfo(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	last_info = *si;
	hits++;
}

/* Install fn (a one-argument handler, or with SA_SIGINFO the three-argument one) for sig. */
static int handle(int sig, void *fn, int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = (void (*)(int, siginfo_t *, void *))fn;
	else
		sa.sa_handler = (_sig_func_ptr)fn;
	sa.sa_flags = flags;
	return sigaction(sig, &sa, NULL);
}

/* A mask holding only sig. */
static sigset_t only(int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	return s;
}

/* Fork a task that sleeps us, sends sig to the caller, sleeps us again, then writes a byte to fd (-1: none). */
static pid_t send_later(int sig, useconds_t us, int fd)
{
	pid_t parent = getpid(), pid = fork();
	if (pid == 0) {
		usleep(us);
		kill(parent, sig);
		usleep(us);
		if (fd >= 0)
			write(fd, "x", 1);
		_exit(0);
	}
	return pid;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- delivery ------------------------------------------------------------- */

static int handler_runs_on_kill_from_another_task(void)
{
	EXPECT(handle(SIGUSR1, on_signal, 0) == 0);
	sigset_t block = only(SIGUSR1), none;
	sigemptyset(&none);
	EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0); /* no delivery before the wait */
	pid_t pid = send_later(SIGUSR1, 1000, -1);
	EXPECT(pid > 0);
	while (!hits)
		sigsuspend(&none);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	EXPECT(hits == 1);
	return 0;
}

/* A read blocked on an empty pipe, a handler for SIGUSR1 with flags: what the read returns. */
static int pipe_read_interrupted(int flags, ssize_t *n, int *err, char *byte)
{
	int fds[2];
	if (pipe(fds) != 0 || handle(SIGUSR1, on_signal, flags) != 0)
		return -1;
	pid_t pid = send_later(SIGUSR1, SETTLE_US, fds[1]);
	errno = 0;
	*n = read(fds[0], byte, 1);
	*err = errno;
	int status;
	waitpid(pid, &status, 0);
	return suite_exited_ok(status) ? 0 : -1;
}

static int sa_restart_resumes_a_blocked_pipe_read(void)
{
	ssize_t n;
	int err;
	char byte = 0;
	EXPECT(pipe_read_interrupted(SA_RESTART, &n, &err, &byte) == 0);
	EXPECT(hits == 1 && n == 1 && byte == 'x');
	return 0;
}

static int without_sa_restart_a_pipe_read_fails_with_eintr(void)
{
	ssize_t n;
	int err;
	char byte = 0;
	EXPECT(pipe_read_interrupted(0, &n, &err, &byte) == 0);
	EXPECT(hits == 1 && n == -1 && err == EINTR);
	return 0;
}

static int sa_restart_resumes_waitpid(void)
{
	EXPECT(handle(SIGUSR1, on_signal, SA_RESTART) == 0);
	pid_t sender = send_later(SIGUSR1, SETTLE_US, -1);
	int status;
	/* The sender ends after its signal: waitpid is interrupted, restarts and reaps it. */
	EXPECT(waitpid(sender, &status, 0) == sender && suite_exited_ok(status));
	EXPECT(hits == 1);
	return 0;
}

static int sigprocmask_holds_a_signal_until_unmasked(void)
{
	EXPECT(handle(SIGUSR1, on_signal, 0) == 0);
	sigset_t block = only(SIGUSR1), pending;
	EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	EXPECT(raise(SIGUSR1) == 0);
	EXPECT(hits == 0);
	EXPECT(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1) == 1);
	EXPECT(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0);
	EXPECT(hits == 1); /* delivered on the way out of the unmasking call */
	EXPECT(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR1));
	/* SIGKILL and SIGSTOP cannot be blocked: the kernel drops them from any mask. */
	sigset_t all, now;
	sigfillset(&all);
	EXPECT(sigprocmask(SIG_SETMASK, &all, NULL) == 0 && sigprocmask(SIG_SETMASK, NULL, &now) == 0);
	EXPECT(!sigismember(&now, SIGKILL) && !sigismember(&now, SIGSTOP) && sigismember(&now, SIGUSR1));
	EXPECT(sigprocmask(99, &all, NULL) == -1 && errno == EINVAL);
	return 0;
}

static int sigsuspend_returns_eintr_after_a_handler_and_restores_the_mask(void)
{
	EXPECT(handle(SIGUSR1, on_signal, 0) == 0);
	sigset_t block = only(SIGUSR1), none, now;
	sigemptyset(&none);
	EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	pid_t pid = send_later(SIGUSR1, 1000, -1);
	errno = 0;
	EXPECT(sigsuspend(&none) == -1 && errno == EINTR);
	EXPECT(hits == 1);
	EXPECT(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && sigismember(&now, SIGUSR1) == 1);
	waitpid(pid, NULL, 0);
	return 0;
}

/* ---- a handler interrupting copy-on-write faults ------------------------- */

#define COW_BYTES (512 * 1024)
static unsigned char cow_buf[COW_BYTES];

/* In the child: write its own pattern over the COW buffer while signals arrive; check it. */
static int cow_writer(void)
{
	for (int round = 0; round < 4; round++)
		for (size_t i = 0; i < COW_BYTES; i++)
			cow_buf[i] = (unsigned char)(i * 7 + 1);
	for (size_t i = 0; i < COW_BYTES; i++)
		if (cow_buf[i] != (unsigned char)(i * 7 + 1))
			return 2;
	return hits > 0 ? 0 : 3;
}

static int handler_interrupts_cow_write_faults(void)
{
	for (size_t i = 0; i < COW_BYTES; i++)
		cow_buf[i] = (unsigned char)(i * 3);
	int ready[2];
	EXPECT(pipe(ready) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (handle(SIGUSR1, on_signal, SA_RESTART) != 0)
			_exit(1);
		write(ready[1], "g", 1); /* the signals may come now */
		_exit(cow_writer());
	}
	EXPECT(pid > 0);
	/* More urgent than the writer: each signal goes out as soon as a sleep ends, mid-copy. */
	EXPECT(calf_setprio(0, CALF_PRIO_DEFAULT - 1) >= 0);
	char c;
	EXPECT(read(ready[0], &c, 1) == 1);
	int status, sent = 0;
	/* Signals for as long as the child writes, and at least one after it installed its handler. */
	while (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGUSR1);
		sent++;
		usleep(500);
	}
	EXPECT(sent > 0);
	EXPECT(suite_exited_ok(status));
	for (size_t i = 0; i < COW_BYTES; i++)
		EXPECT(cow_buf[i] == (unsigned char)(i * 3));
	return 0;
}

/* ---- faults ----------------------------------------------------------------- */

static jmp_buf fault_env; /* newlib has no sigsetjmp for bare metal: the mask is put back by hand */

static void on_fault_jump(int sig, siginfo_t *si, void *uc)
{
	on_siginfo(sig, si, uc);
	longjmp(fault_env, 1);
}

/* In the user range, below the program (arch/<arch>/user/user.ld): never mapped. */
#if defined(__arm__)
#define UNMAPPED_ADDR 0x00008ffcu
#else
#define UNMAPPED_ADDR 0x40008ffcu
#endif

static int segv_handler_sees_the_faulting_address(void)
{
	EXPECT(handle(SIGSEGV, on_fault_jump, SA_SIGINFO) == 0);
	sigset_t mask, now;
	EXPECT(sigprocmask(SIG_SETMASK, NULL, &mask) == 0);
	if (setjmp(fault_env) == 0) {
		(void)*(volatile int *)UNMAPPED_ADDR;
		EXPECT(!"the read did not fault");
	}
	EXPECT(hits == 1 && last_info.si_signo == SIGSEGV);
	EXPECT((uintptr_t)last_info.si_addr == UNMAPPED_ADDR && last_info.si_code == SEGV_MAPERR);
	/* The handler left with SIGSEGV blocked (longjmp keeps the mask): unblock it. */
	EXPECT(sigprocmask(SIG_SETMASK, NULL, &now) == 0 && sigismember(&now, SIGSEGV) == 1);
	EXPECT(sigprocmask(SIG_SETMASK, &mask, NULL) == 0);
	/* A write to this program's own (read-only) code: the mapping forbids it. */
	volatile unsigned char *code = (volatile unsigned char *)((uintptr_t)on_signal & ~1u);
	if (setjmp(fault_env) == 0) {
		*code = 0;
		EXPECT(!"the write did not fault");
	}
	EXPECT(hits == 2 && (uintptr_t)last_info.si_addr == (uintptr_t)code);
	EXPECT(last_info.si_code == SEGV_ACCERR);
	return 0;
}

/* A SIGSEGV handler that faults again, SIGSEGV being blocked in it. */
static void on_fault_fault(int sig)
{
	(void)sig;
	hits++;
	(void)*(volatile int *)UNMAPPED_ADDR;
}

static int faulting_twice(void)
{
	if (handle(SIGSEGV, on_fault_fault, 0) != 0)
		return 1;
	(void)*(volatile int *)UNMAPPED_ADDR;
	return 2;
}

static int second_fault_in_the_handler_kills_with_sigsegv(void)
{
	int status = suite_run_child(faulting_twice);
	EXPECT(suite_killed_by(status, SIGSEGV));
	return 0;
}

/* ---- sigreturn frames ------------------------------------------------------ */

#if defined(__arm__)
#define PRIVILEGED_FLAGS 0x13u /* SVC mode */
#else
#define PRIVILEGED_FLAGS 0x3202u /* IOPL 3 */
#endif

static void on_signal_forge(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	struct calf_ucontext *uc = ucv;
	uc->regs[CALF_UC_FLAGS] = PRIVILEGED_FLAGS;
}

static int forged_frame(void)
{
	if (handle(SIGUSR1, on_signal_forge, SA_SIGINFO) != 0)
		return 1;
	raise(SIGUSR1);
	return 2; /* not reached: the forged frame ends the task */
}

/* sigreturn with the stack pointer on an unmapped page: nothing to read there. */
static int unreadable_frame(void)
{
#if defined(__arm__)
	__asm__ volatile("mov sp, %0\n\tmovs r7, %1\n\tsvc #0" ::"r"(UNMAPPED_ADDR), "i"(CALF_SYS_sigreturn)
			 : "r7", "memory");
#else
	__asm__ volatile("movl %0, %%esp\n\tmovl %1, %%eax\n\tint $0x80" ::"r"(UNMAPPED_ADDR),
			 "i"(CALF_SYS_sigreturn)
			 : "eax", "memory");
#endif
	return 2;
}

/* A handler whose frame is on a stack that ends here: no room for it. */
static int no_room_for_a_frame(void)
{
	if (handle(SIGUSR1, on_signal, 0) != 0)
		return 1;
#if defined(__arm__)
	__asm__ volatile("mov sp, %0\n\tmov r0, %1\n\tmovs r1, %2\n\tmovs r7, %3\n\tsvc #0\n\tb ." ::"r"(
				 UNMAPPED_ADDR + 4), "r"(getpid()), "i"(SIGUSR1), "i"(CALF_SYS_kill)
			 : "r0", "r1", "r7", "memory");
#else
	__asm__ volatile("movl %0, %%esp\n\tmovl %3, %%eax\n\tint $0x80\n\tjmp ." ::"r"(UNMAPPED_ADDR + 4),
			 "b"(getpid()), "c"(SIGUSR1), "i"(CALF_SYS_kill)
			 : "eax", "memory");
#endif
	return 2;
}

static int bad_sigreturn_frames_kill_only_their_task(void)
{
	struct calf_meminfo before, after;
	/* Twice, counting frames around the second round: the first settles this task's own COW copies. */
	for (int round = 0; round < 2; round++) {
		EXPECT(calf_meminfo(&before) == 0);
		EXPECT(suite_killed_by(suite_run_child(forged_frame), SIGSEGV));
		EXPECT(suite_killed_by(suite_run_child(unreadable_frame), SIGSEGV));
		EXPECT(suite_killed_by(suite_run_child(no_room_for_a_frame), SIGSEGV));
		EXPECT(calf_meminfo(&after) == 0);
	}
	EXPECT(after.free == before.free);
	return 0;
}

/* ---- flags ------------------------------------------------------------------- */

static int sa_resethand_resets_the_action_on_delivery(void)
{
	EXPECT(handle(SIGUSR1, on_signal, SA_RESETHAND) == 0);
	EXPECT(raise(SIGUSR1) == 0 && hits == 1);
	struct sigaction old;
	EXPECT(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	return 0;
}

/* Raise sig again from inside its own handler, once; record how deep handlers nest. */
static void on_signal_nest(int sig)
{
	hits++;
	if (++depth > max_depth)
		max_depth = depth;
	if (hits == 1)
		raise(sig);
	depth--;
}

static int sa_nodefer_lets_a_handler_interrupt_itself(void)
{
	EXPECT(handle(SIGUSR1, on_signal_nest, SA_NODEFER) == 0);
	EXPECT(raise(SIGUSR1) == 0);
	EXPECT(hits == 2 && max_depth == 2);
	/* Without it the second one waits until the first handler returns. */
	hits = max_depth = 0;
	EXPECT(handle(SIGUSR1, on_signal_nest, 0) == 0);
	EXPECT(raise(SIGUSR1) == 0);
	EXPECT(hits == 2 && max_depth == 1);
	return 0;
}

static int sa_siginfo_gives_the_senders_pid(void)
{
	EXPECT(handle(SIGUSR2, on_siginfo, SA_SIGINFO) == 0);
	sigset_t block = only(SIGUSR2), none;
	sigemptyset(&none);
	EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	pid_t pid = send_later(SIGUSR2, 1000, -1);
	while (!hits)
		sigsuspend(&none);
	EXPECT(last_info.si_signo == SIGUSR2 && last_info.si_pid == pid && last_info.si_code == SI_USER);
	waitpid(pid, NULL, 0);
	return 0;
}

/* ---- alarm ------------------------------------------------------------------- */

static int alarm_fires_within_a_generous_window(void)
{
	EXPECT(handle(SIGALRM, on_signal, 0) == 0);
	uint64_t start = now_us();
	EXPECT(ualarm(50000, 0) == 0);
	while (!hits)
		pause();
	uint64_t took = now_us() - start;
	EXPECT(took >= 50000 && took < 2000000);
	/* A new alarm replaces the old one and says what it had left; 0 cancels. */
	EXPECT(ualarm(1000000, 0) == 0);
	useconds_t left = ualarm(0, 0);
	EXPECT(left > 0 && left <= 1000000);
	usleep(SETTLE_US);
	EXPECT(hits == 1);
	return 0;
}

static int default_sigalrm_ends_the_process(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		alarm(1);
		for (;;)
			pause();
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGALRM));
	return 0;
}

/* ---- stop and continue, SIGCHLD ----------------------------------------------- */

/* A child writing a byte to fd every millisecond until killed. */
static pid_t ticker(int fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;) {
			write(fd, "t", 1);
			usleep(1000);
		}
	}
	return pid;
}

/* Read what fd holds now (O_NONBLOCK); the count. */
static int drain(int fd)
{
	char buf[64];
	int total = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += (int)n;
	return total;
}

static int sigstop_and_sigcont_with_wuntraced_and_wcontinued(void)
{
	int fds[2];
	EXPECT(pipe2(fds, O_NONBLOCK) == 0);
	pid_t pid = ticker(fds[1]);
	EXPECT(pid > 0);
	usleep(SETTLE_US);
	int status;
	EXPECT(kill(pid, SIGSTOP) == 0);
	EXPECT(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	       WSTOPSIG(status) == SIGSTOP);
	drain(fds[0]);
	usleep(SETTLE_US);
	EXPECT(drain(fds[0]) == 0); /* stopped: it writes nothing */
	EXPECT(waitpid(pid, &status, WNOHANG | WUNTRACED) == 0); /* reported once */
	EXPECT(kill(pid, SIGCONT) == 0);
	EXPECT(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	usleep(SETTLE_US);
	EXPECT(drain(fds[0]) > 0); /* running again */
	/* SIGTSTP stops it too; SIGKILL ends it while stopped. */
	EXPECT(kill(pid, SIGTSTP) == 0);
	EXPECT(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	       WSTOPSIG(status) == SIGTSTP);
	EXPECT(kill(pid, SIGKILL) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid && suite_killed_by(status, SIGKILL));
	return 0;
}

static int sigchld_on_child_exit_and_stop(void)
{
	EXPECT(handle(SIGCHLD, on_siginfo, SA_SIGINFO | SA_RESTART) == 0);
	sigset_t block = only(SIGCHLD), none;
	sigemptyset(&none);
	EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	while (!hits)
		sigsuspend(&none);
	EXPECT(last_info.si_signo == SIGCHLD && last_info.si_pid == pid);
	EXPECT(last_info.si_code == CLD_EXITED && last_info.si_status == 7);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7);
	/* A stop reports too, unless SA_NOCLDSTOP. */
	int fds[2];
	EXPECT(pipe2(fds, O_NONBLOCK) == 0);
	pid = ticker(fds[1]);
	hits = 0;
	EXPECT(kill(pid, SIGSTOP) == 0);
	while (!hits)
		sigsuspend(&none);
	EXPECT(last_info.si_code == CLD_STOPPED && last_info.si_status == SIGSTOP);
	EXPECT(handle(SIGCHLD, on_siginfo, SA_SIGINFO | SA_NOCLDSTOP) == 0);
	hits = 0;
	EXPECT(kill(pid, SIGCONT) == 0);
	EXPECT(sigprocmask(SIG_UNBLOCK, &block, NULL) == 0);
	usleep(SETTLE_US);
	EXPECT(hits == 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

/* Fork three children that each end once they read a byte from fd; 0 or -1. */
static int fork_waiting_children(int fd, pid_t kids[3])
{
	for (int i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			char c;
			_exit(read(fd, &c, 1) == 1 ? 0 : 1);
		}
		if (kids[i] < 0)
			return -1;
	}
	return 0;
}

/*
 * POSIX wait(): while SIGCHLD is SIG_IGN, or its action has SA_NOCLDWAIT,
 * ended children leave no zombie; a wait blocks until the last one ended,
 * then fails with ECHILD. Back at SIG_DFL a child waits as a zombie again.
 */
static int ignored_sigchld_or_sa_nocldwait_leave_no_zombie(void)
{
	for (int mode = 0; mode < 2; mode++) {
		if (mode == 0)
			EXPECT(signal(SIGCHLD, SIG_IGN) != SIG_ERR);
		else
			EXPECT(handle(SIGCHLD, on_siginfo, SA_NOCLDWAIT) == 0);
		int p[2];
		pid_t kids[3];
		EXPECT(pipe(p) == 0);
		EXPECT(fork_waiting_children(p[0], kids) == 0);
		EXPECT(waitpid(-1, NULL, WNOHANG) == 0); /* children, none ended */
		EXPECT(write(p[1], "abc", 3) == 3);
		errno = 0;
		EXPECT(waitpid(-1, NULL, 0) == -1 && errno == ECHILD);
		for (int i = 0; i < 3; i++)
			EXPECT(kill(kids[i], 0) == -1 && errno == ESRCH); /* freed, not a zombie */
		close(p[0]);
		close(p[1]);
	}
	EXPECT(signal(SIGCHLD, SIG_DFL) != SIG_ERR);
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	usleep(SETTLE_US);
	int status;
	EXPECT(waitpid(pid, &status, WNOHANG) == pid && WEXITSTATUS(status) == 5);
	return 0;
}

/* ---- exec -------------------------------------------------------------------- */

static int exec_resets_handlers_keeps_the_mask_and_ignored_signals(void)
{
	EXPECT(handle(SIGUSR1, on_signal, 0) == 0);
	EXPECT(signal(SIGUSR2, SIG_IGN) == SIG_DFL);
	sigset_t block = only(SIGTERM);
	EXPECT(sigprocmask(SIG_BLOCK, &block, NULL) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = { "exechelper", "state", "d30", "i31", "b15", "u30", NULL };
		execv("/bin/exechelper", argv);
		_exit(99);
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid && suite_exited_ok(status));
	return 0;
}

/* ---- registers ------------------------------------------------------------------ */

volatile uint32_t sig_regs_flag;
volatile uint32_t sig_regs_out[12];
volatile double sig_fp_out;

#define REG_FLIP 0x0F0F0F0Fu
static volatile bool frame_regs_ok;
static void regs_check_and_flip(uint32_t *regs);

/*
 * Check that the frame holds the loop's registers, then change them there:
 * sigreturn must put back exactly what the frame says (callee-saved ones
 * too, which the handler's own code would otherwise preserve). Clobber the
 * FPU on the way.
 */
static void on_alarm_flip(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	volatile double d = 1.5;
	d = d * 3.25 + (double)hits;
	hits++;
	regs_check_and_flip(((struct calf_ucontext *)ucv)->regs);
	sig_regs_flag = 1;
}

#if defined(__arm__)
#define NREGS 11
static const int reg_index[NREGS] = { 0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11 }; /* in uc->regs */
static const uint32_t reg_expect[NREGS] = { 0xA0A01111, 0xA1A12222, 0xA2A23333, 0xA3A34444,
					    0xA4A45555, 0xA5A56666, 0xA6A67777, 0xA8A89999,
					    0xA9A9AAAA, 0xAAAABBBB, 0xABABCCCC };
/* Hold r0-r6 and r8-r11 at known values in a loop until the handler sets the flag. */
static void regs_loop(void)
{
	__asm__ volatile(
		"push {r0-r12, lr}\n\t"
		"movw r0, #0x1111\n\tmovt r0, #0xA0A0\n\t"
		"movw r1, #0x2222\n\tmovt r1, #0xA1A1\n\t"
		"movw r2, #0x3333\n\tmovt r2, #0xA2A2\n\t"
		"movw r3, #0x4444\n\tmovt r3, #0xA3A3\n\t"
		"movw r4, #0x5555\n\tmovt r4, #0xA4A4\n\t"
		"movw r5, #0x6666\n\tmovt r5, #0xA5A5\n\t"
		"movw r6, #0x7777\n\tmovt r6, #0xA6A6\n\t"
		"movw r8, #0x9999\n\tmovt r8, #0xA8A8\n\t"
		"movw r9, #0xAAAA\n\tmovt r9, #0xA9A9\n\t"
		"movw r10, #0xBBBB\n\tmovt r10, #0xAAAA\n\t"
		"movw r11, #0xCCCC\n\tmovt r11, #0xABAB\n\t"
		"movw r12, #:lower16:sig_regs_flag\n\tmovt r12, #:upper16:sig_regs_flag\n"
		"1:\tldr lr, [r12]\n\t"
		"cmp lr, #0\n\t"
		"beq 1b\n\t"
		"movw r12, #:lower16:sig_regs_out\n\tmovt r12, #:upper16:sig_regs_out\n\t"
		"stmia r12, {r0-r6, r8-r11}\n\t"
		"pop {r0-r12, lr}\n\t" ::: "memory", "cc");
}
#else
#define NREGS 6
static const int reg_index[NREGS] = { 0, 1, 2, 3, 4, 5 }; /* eax, ebx, ecx, edx, esi, edi */
static const uint32_t reg_expect[NREGS] = { 0xA0A01111, 0xA1A12222, 0xA2A23333,
					    0xA3A34444, 0xA4A45555, 0xA5A56666 };
/* Hold eax, ebx, ecx, edx, esi, edi and an x87 value in a loop until the handler sets the flag. */
static void regs_loop(void)
{
	__asm__ volatile(
		"pushal\n\t"
		"fldpi\n\t"
		"movl $0xA0A01111, %%eax\n\tmovl $0xA1A12222, %%ebx\n\t"
		"movl $0xA2A23333, %%ecx\n\tmovl $0xA3A34444, %%edx\n\t"
		"movl $0xA4A45555, %%esi\n\tmovl $0xA5A56666, %%edi\n"
		"1:\tcmpl $0, sig_regs_flag\n\t"
		"je 1b\n\t"
		"movl %%eax, sig_regs_out\n\tmovl %%ebx, sig_regs_out+4\n\t"
		"movl %%ecx, sig_regs_out+8\n\tmovl %%edx, sig_regs_out+12\n\t"
		"movl %%esi, sig_regs_out+16\n\tmovl %%edi, sig_regs_out+20\n\t"
		"fstpl sig_fp_out\n\t"
		"popal\n\t" ::: "memory", "cc");
}
#endif

static void regs_check_and_flip(uint32_t *regs)
{
	bool ok = true;
	for (int i = 0; i < NREGS; i++) {
		ok = ok && regs[reg_index[i]] == reg_expect[i];
		regs[reg_index[i]] ^= REG_FLIP;
	}
	frame_regs_ok = ok;
}

static int interrupted_registers_are_restored_exactly(void)
{
	EXPECT(handle(SIGALRM, on_alarm_flip, SA_SIGINFO) == 0);
	for (int round = 0; round < 3; round++) {
		sig_regs_flag = 0;
		memset((void *)sig_regs_out, 0, sizeof(sig_regs_out));
		EXPECT(ualarm(20000, 0) == 0);
		frame_regs_ok = false;
		regs_loop();
		EXPECT(frame_regs_ok);
		for (int i = 0; i < NREGS; i++)
			EXPECT(sig_regs_out[i] == (reg_expect[i] ^ REG_FLIP));
#if !defined(__arm__)
		EXPECT(sig_fp_out > 3.14159 && sig_fp_out < 3.1416);
#endif
	}
	EXPECT(hits == 3);
	return 0;
}

/* ---- a process whose main thread has left -------------------------------------- */

static bool leaderless_handles; /* set before the fork: the child installs a handler */
static volatile sig_atomic_t leaderless_caught;

static void leaderless_on_usr1(int sig)
{
	(void)sig;
	leaderless_caught = 1;
}

/* The thread left running: exit 0 once the handler ran, 3 if no signal came (bounded wait). */
static void *leaderless_waiter(void *arg)
{
	(void)arg;
	for (int i = 0; i < 500 && !leaderless_caught; i++)
		usleep(10000); /* a delivered signal ends the sleep early */
	exit(leaderless_caught ? 0 : 3);
}

/* In a child: maybe a handler, then a thread, then main leaves by pthread_exit. */
static int leaderless_child(void)
{
	if (leaderless_handles)
		signal(SIGUSR1, leaderless_on_usr1);
	pthread_t t;
	if (pthread_create(&t, NULL, leaderless_waiter, NULL) != 0)
		return 1;
	pthread_exit(NULL);
}

/* True once ps shows pid's main thread ended (a zombie while its thread runs on); bounded. */
static bool leader_gone(pid_t pid)
{
	for (int i = 0; i < 500; i++) {
		struct calf_taskinfo ti;
		for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
			if (ti.pid == pid && ti.state == 'Z')
				return true;
		usleep(10000);
	}
	return false;
}

/* Start a leaderless child, send it sig once its main thread has left; its wait status. */
static int kill_leaderless(bool handles, int sig)
{
	leaderless_handles = handles;
	pid_t pid = suite_child_start(leaderless_child);
	if (pid < 0)
		return -1;
	int status = -1;
	if (!leader_gone(pid) || kill(pid, sig) != 0)
		kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return status;
}

/* POSIX kill(): a pid names the process, so any of its threads may take the signal. */
static int kill_reaches_a_process_whose_main_thread_left(void)
{
	EXPECT(suite_exited_ok(kill_leaderless(true, SIGUSR1)));
	EXPECT(suite_killed_by(kill_leaderless(false, SIGTERM), SIGTERM));
	return 0;
}

/* ---- errors ---------------------------------------------------------------------- */

static int sigkill_and_sigstop_cannot_be_caught_or_ignored(void)
{
	EXPECT(handle(SIGKILL, on_signal, 0) == -1 && errno == EINVAL);
	EXPECT(signal(SIGSTOP, SIG_IGN) == SIG_ERR && errno == EINVAL);
	EXPECT(handle(NSIG, on_signal, 0) == -1 && errno == EINVAL);
	EXPECT(calf_syscall(CALF_SYS_sigpending, 8, 0, 0) == -EFAULT);
	EXPECT(calf_syscall(CALF_SYS_sigprocmask, SIG_BLOCK, 8, 0) == -EFAULT);
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(handler_runs_on_kill_from_another_task),
	SUITE_CASE(sa_restart_resumes_a_blocked_pipe_read),
	SUITE_CASE(without_sa_restart_a_pipe_read_fails_with_eintr),
	SUITE_CASE(sa_restart_resumes_waitpid),
	SUITE_CASE(sigprocmask_holds_a_signal_until_unmasked),
	SUITE_CASE(sigsuspend_returns_eintr_after_a_handler_and_restores_the_mask),
	SUITE_CASE(handler_interrupts_cow_write_faults),
	SUITE_CASE(segv_handler_sees_the_faulting_address),
	SUITE_CASE(second_fault_in_the_handler_kills_with_sigsegv),
	SUITE_CASE(bad_sigreturn_frames_kill_only_their_task),
	SUITE_CASE(sa_resethand_resets_the_action_on_delivery),
	SUITE_CASE(sa_nodefer_lets_a_handler_interrupt_itself),
	SUITE_CASE(sa_siginfo_gives_the_senders_pid),
	SUITE_CASE(alarm_fires_within_a_generous_window),
	SUITE_CASE(default_sigalrm_ends_the_process),
	SUITE_CASE(sigstop_and_sigcont_with_wuntraced_and_wcontinued),
	SUITE_CASE(sigchld_on_child_exit_and_stop),
	SUITE_CASE(ignored_sigchld_or_sa_nocldwait_leave_no_zombie),
	SUITE_CASE(exec_resets_handlers_keeps_the_mask_and_ignored_signals),
	SUITE_CASE(interrupted_registers_are_restored_exactly),
	SUITE_CASE(sigkill_and_sigstop_cannot_be_caught_or_ignored),
	SUITE_CASE(kill_reaches_a_process_whose_main_thread_left),
};

/* Each case starts with no signal handled, none pending, nothing blocked. */
static void reset(void)
{
	hits = depth = max_depth = 0;
	memset((void *)&last_info, 0, sizeof(last_info));
}

int main(void)
{
	struct suite_tally t = { 0 };
	suite_child_prologue = reset;
	suite_run(cases, sizeof(cases) / sizeof(cases[0]), &t);
	return suite_end(&t);
}
