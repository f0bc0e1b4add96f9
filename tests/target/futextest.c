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
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <calf.h>
#include <calf/config.h>
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

/* The absolute CLOCK_MONOTONIC time ns from now. */
static struct calf_timespec deadline_in(uint64_t ns)
{
	uint64_t t = calf_clock_ns() + ns;
	return (struct calf_timespec){ (int64_t)(t / S), (int32_t)(t % S) };
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
		EXPECT(suite_reaped_ok(tid[i]));
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
		EXPECT(suite_reaped_ok(tid[i]));
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


/* ---- thread groups ----------------------------------------------------------- */

#define XSTR(x) STR(x)
#define STR(x) #x

/*
 * clone(flags, stack, tls, ctid) raw; the child runs fn(arg) on stack and
 * ends its thread (CALF_SYS_exit) with fn's result. Returns the child's id
 * or a negated errno.
 */
int clone_raw(unsigned flags, void *stack, void *tls, volatile uint32_t *ctid,
	      int (*fn)(void *), void *arg);
#if defined(__arm__)
__asm__(".text\n.thumb_func\n.global clone_raw\n.type clone_raw, %function\nclone_raw:\n"
	"	push {r4, r5, r7, lr}\n"
	"	ldr r4, [sp, #16]\n"
	"	ldr r5, [sp, #20]\n"
	"	mov r7, #" XSTR(CALF_SYS_clone) "\n"
	"	svc #0\n"
	"	cmp r0, #0\n"
	"	bne 1f\n"
	"	mov r0, r5\n"
	"	blx r4\n"
	"	mov r7, #" XSTR(CALF_SYS_exit) "\n"
	"	svc #0\n"
	"1:	pop {r4, r5, r7, pc}\n");

/* The thread pointer, as the user library reads it (abi.h). */
static uintptr_t tp_read(void)
{
	uintptr_t tp;
	__asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(tp));
	return tp;
}
#elif defined(__i386__)
__asm__(".text\n.global clone_raw\n.type clone_raw, @function\nclone_raw:\n"
	"	pushl %ebx\n	pushl %esi\n	pushl %edi\n	pushl %ebp\n"
	"	movl 20(%esp), %ebx\n	movl 24(%esp), %ecx\n	movl 28(%esp), %edx\n"
	"	movl 32(%esp), %esi\n	movl 36(%esp), %edi\n	movl 40(%esp), %ebp\n"
	"	movl $" XSTR(CALF_SYS_clone) ", %eax\n"
	"	int $" XSTR(CALF_I386_SYSCALL_VECTOR) "\n"
	"	testl %eax, %eax\n	jnz 1f\n"
	"	andl $-16, %esp\n	subl $12, %esp\n	pushl %ebp\n	call *%edi\n"
	"	movl %eax, %ebx\n	movl $" XSTR(CALF_SYS_exit) ", %eax\n"
	"	int $" XSTR(CALF_I386_SYSCALL_VECTOR) "\n"
	"1:	popl %ebp\n	popl %edi\n	popl %esi\n	popl %ebx\n	ret\n");

/* The thread pointer: the self-pointer at offset 0 of the thread block %gs addresses (abi.h). */
static uintptr_t tp_read(void)
{
	uintptr_t tp;
	__asm__ volatile("movl %%gs:0, %0" : "=r"(tp));
	return tp;
}
#endif

#define THREAD_FLAGS (CALF_CLONE_VM | CALF_CLONE_THREAD)

/* A thread block as the user library lays it out: a self-pointer first (abi.h). */
struct tblock {
	struct tblock *self;
	int spins;
};

static int gettid_raw(void)
{
	return calf_syscall(CALF_SYS_gettid, 0, 0, 0);
}

static int set_tls(void *tp)
{
	return calf_syscall(CALF_SYS_set_tls, (uint32_t)(uintptr_t)tp, 0, 0);
}

/* Start fn(arg) as a thread of this process on stacks[i], with a CLEARTID word. */
static int thread_start(int i, int (*fn)(void *), void *arg, volatile uint32_t *ctid)
{
	memset(stacks[i], 0, STACK_SIZE);
	*ctid = 1;
	return clone_raw(THREAD_FLAGS | CALF_CLONE_CHILD_CLEARTID, stacks[i] + STACK_SIZE, NULL, ctid,
			 fn, arg);
}

/* pthread_join's kernel half: wait until the thread's CLEARTID word is 0. */
static bool thread_join(volatile uint32_t *ctid)
{
	struct calf_timespec abs = deadline_in(10 * S);
	while (*ctid != 0) {
		int r = futex(ctid, CALF_FUTEX_WAIT, *ctid, &abs);
		if (r == -ETIMEDOUT)
			return false;
	}
	return true;
}

static volatile int t_pid, t_tid;
static volatile uint32_t ctid[4];

static int note_ids(void *arg)
{
	(void)arg;
	t_pid = getpid();
	t_tid = gettid_raw();
	return 0;
}

static int clone_thread_shares_the_pid_with_its_own_tid(void)
{
	EXPECT(gettid_raw() == getpid()); /* the first thread's id is the process's */
	int tid = thread_start(0, note_ids, NULL, &ctid[0]);
	EXPECT(tid > 0);
	EXPECT(thread_join(&ctid[0]));
	EXPECT(t_pid == getpid());
	EXPECT(t_tid == tid && tid != getpid());
	return 0;
}

static int clone_thread_needs_clone_vm(void)
{
	EXPECT(clone_raw(CALF_CLONE_THREAD, stacks[0] + STACK_SIZE, NULL, NULL, note_ids, NULL) == -EINVAL);
	EXPECT(clone_raw(THREAD_FLAGS | 0x1000000u, stacks[0] + STACK_SIZE, NULL, NULL, note_ids, NULL) == -EINVAL);
	EXPECT(clone_raw(THREAD_FLAGS | CALF_CLONE_CHILD_CLEARTID, stacks[0] + STACK_SIZE, NULL,
			 (volatile uint32_t *)((uintptr_t)&ctid[0] + 1), note_ids, NULL) == -EINVAL);
	return 0;
}

/* A thread that waits on word until it is 1. */
static int wait_for_word(void *arg)
{
	(void)arg;
	while (word == 0)
		futex(&word, CALF_FUTEX_WAIT, 0, NULL);
	return 0;
}

static int waitpid_on_a_thread_gives_echild(void)
{
	word = 0;
	int tid = thread_start(0, wait_for_word, NULL, &ctid[0]);
	EXPECT(tid > 0);
	int status;
	EXPECT(waitpid(tid, &status, WNOHANG) == -1 && errno == ECHILD); /* alive */
	EXPECT(waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD); /* not a child at all */
	word = 1;
	futex(&word, CALF_FUTEX_WAKE, 1, NULL); /* it may not have blocked yet: then it sees the 1 */
	EXPECT(thread_join(&ctid[0]));
	EXPECT(waitpid(tid, &status, WNOHANG) == -1 && errno == ECHILD); /* ended: nothing to reap */
	return 0;
}

/* The state letter ps shows for pid, or 0 when no such task. */
static char task_state(int pid)
{
	struct calf_taskinfo ti;
	for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
		if (ti.pid == pid)
			return (char)ti.state;
	return 0;
}

static int pipe_a[2], pipe_b[2];

/* In the child process: once the leader is a zombie, say so on pipe_b, then wait for pipe_a. */
static int outlive_the_leader(void *arg)
{
	int leader = (int)(intptr_t)arg;
	while (task_state(leader) != 'Z')
		usleep(1000);
	char c = 'z';
	if (write(pipe_b[1], &c, 1) != 1 || read(pipe_a[0], &c, 1) != 1)
		return 9;
	calf_syscall(CALF_SYS_exit, 7, 0, 0); /* the last thread's own status does not count */
	return 8;
}

static int process_reaped_once_all_its_threads_end(void)
{
	EXPECT(pipe(pipe_a) == 0 && pipe(pipe_b) == 0);
	int pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		if (clone_raw(THREAD_FLAGS, stacks[0] + STACK_SIZE, NULL, NULL, outlive_the_leader,
			      (void *)(intptr_t)getpid()) < 0)
			calf_syscall(CALF_SYS_exit, 99, 0, 0);
		calf_syscall(CALF_SYS_exit, 3, 0, 0); /* the leader alone ends */
	}
	char c;
	EXPECT(read(pipe_b[0], &c, 1) == 1); /* the leader is a zombie, its thread lives */
	int status;
	EXPECT(waitpid(pid, &status, WNOHANG) == 0);
	EXPECT(write(pipe_a[1], "g", 1) == 1);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 3); /* Linux: the leader's status */
	return 0;
}

/* Block forever in a futex wait (only the end of the process ends it). */
static int block_forever(void *arg)
{
	(void)arg;
	static volatile uint32_t never;
	for (;;)
		if (futex(&never, CALF_FUTEX_WAIT, 0, NULL) == -EFAULT)
			return 1;
}

static int exit_group_now(void *arg)
{
	calf_syscall(CALF_SYS_exit_group, (uint32_t)(intptr_t)arg, 0, 0);
	return 1;
}

static int exit_group_from_a_thread_ends_them_all(void)
{
	int pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		clone_raw(THREAD_FLAGS, stacks[0] + STACK_SIZE, NULL, NULL, block_forever, NULL);
		clone_raw(THREAD_FLAGS, stacks[1] + STACK_SIZE, NULL, NULL, block_forever, NULL);
		clone_raw(THREAD_FLAGS, stacks[2] + STACK_SIZE, NULL, NULL, exit_group_now, (void *)42);
		block_forever(NULL); /* the leader too */
		calf_syscall(CALF_SYS_exit, 99, 0, 0);
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	return 0;
}

static int exit_group_reports_its_status_after_the_leader_left(void)
{
	int pid = fork();
	EXPECT(pid >= 0);
	if (pid == 0) {
		word = 0;
		clone_raw(THREAD_FLAGS, stacks[0] + STACK_SIZE, NULL, NULL, wait_for_word, NULL);
		clone_raw(THREAD_FLAGS, stacks[1] + STACK_SIZE, NULL, NULL, exit_group_now, (void *)5);
		calf_syscall(CALF_SYS_exit, 3, 0, 0); /* before the exit_group: 5 still wins */
	}
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	return 0;
}

static int sleep_then_end(void *arg)
{
	(void)arg;
	usleep(20000);
	return 0;
}

static int child_cleartid_zeroes_and_wakes(void)
{
	int tid = thread_start(0, sleep_then_end, NULL, &ctid[0]);
	EXPECT(tid > 0);
	struct calf_timespec abs = deadline_in(10 * S);
	/* Blocked before the thread ends (it sleeps first): only its exit's wake ends this. */
	EXPECT(futex(&ctid[0], CALF_FUTEX_WAIT, 1, &abs) == 0);
	EXPECT(ctid[0] == 0);
	return 0;
}

static struct tblock blocks[3];
static volatile int tls_bad;

/* Check the thread pointer many times across yields and sleeps (switches to the others). */
static int spin_on_tp(void *arg)
{
	struct tblock *b = arg;
	if (b != &blocks[1] && set_tls(b) != 0) /* blocks[1]'s came with CLONE_SETTLS */
		tls_bad++;
	for (int i = 0; i < 200; i++) {
		if (tp_read() != (uintptr_t)b)
			tls_bad++;
		b->spins++;
		if (i % 50 == 49)
			usleep(100);
		else
			sched_yield();
	}
	return 0;
}

static int tls_register_is_per_thread_across_switches(void)
{
	tls_bad = 0;
	for (int i = 0; i < 3; i++)
		blocks[i] = (struct tblock){ &blocks[i], 0 };
	memset(stacks[0], 0, STACK_SIZE);
	memset(stacks[1], 0, STACK_SIZE);
	ctid[0] = ctid[1] = 1;
	EXPECT(clone_raw(THREAD_FLAGS | CALF_CLONE_CHILD_CLEARTID, stacks[0] + STACK_SIZE, NULL,
			 &ctid[0], spin_on_tp, &blocks[0]) > 0);
	EXPECT(clone_raw(THREAD_FLAGS | CALF_CLONE_CHILD_CLEARTID | CALF_CLONE_SETTLS,
			 stacks[1] + STACK_SIZE, &blocks[1], &ctid[1], spin_on_tp, &blocks[1]) > 0);
	spin_on_tp(&blocks[2]); /* this thread too, set by set_tls */
	EXPECT(thread_join(&ctid[0]) && thread_join(&ctid[1]));
	EXPECT(tls_bad == 0);
	EXPECT(blocks[0].spins == 200 && blocks[1].spins == 200 && blocks[2].spins == 200);
	return 0;
}

static volatile int fork_child;

/* Fork from this thread; the child checks it is a process of its own, then ends alone. */
static int fork_here(void *arg)
{
	(void)arg;
	int pid = fork();
	if (pid == 0) {
		bool alone = getpid() == gettid_raw() && tp_read() == (uintptr_t)&blocks[1];
		calf_syscall(CALF_SYS_exit, alone ? 5 : 6, 0, 0);
	}
	fork_child = pid;
	return 0;
}

static int fork_from_a_thread_copies_only_that_thread(void)
{
	blocks[1] = (struct tblock){ &blocks[1], 0 };
	memset(stacks[1], 0, STACK_SIZE);
	ctid[1] = 1;
	/* The other thread blocks: had fork copied it, the child could not end by its one exit. */
	word = 0;
	EXPECT(thread_start(0, wait_for_word, NULL, &ctid[0]) > 0);
	EXPECT(clone_raw(THREAD_FLAGS | CALF_CLONE_CHILD_CLEARTID | CALF_CLONE_SETTLS,
			 stacks[1] + STACK_SIZE, &blocks[1], &ctid[1], fork_here, NULL) > 0);
	EXPECT(thread_join(&ctid[1]));
	EXPECT(fork_child > 0);
	int status;
	/* This thread reaps the child another thread forked: children are the process's. */
	EXPECT(waitpid(fork_child, &status, 0) == fork_child);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	word = 1;
	futex(&word, CALF_FUTEX_WAKE, 1, NULL);
	EXPECT(thread_join(&ctid[0]));
	return 0;
}

/* ---- priority-inheriting futexes ---------------------------------------------- */

#define TID_MASK 0x3fffffffu
#define PI_STATES CALF_CONFIG_TASK_MAX /* the kernel's pool: TASK_MAX (kernel/futex.h FUTEX_PI_MAX) */

static volatile uint32_t pi_word, pi_word2;
static volatile int pi_order[4], pi_order_n, pi_handled;
static volatile uint32_t pi_seen[4];

static int pi_lock(volatile uint32_t *w, const struct calf_timespec *abs)
{
	return futex(w, CALF_FUTEX_LOCK_PI, 0, abs);
}

static int pi_unlock(volatile uint32_t *w)
{
	return futex(w, CALF_FUTEX_UNLOCK_PI, 0, NULL);
}

/* The user library's fast paths: compare-and-swap 0 -> id to lock, id -> 0 to unlock. */
static bool pi_try_user(volatile uint32_t *w)
{
	uint32_t zero = 0;
	return __atomic_compare_exchange_n(w, &zero, (uint32_t)gettid_raw(), false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static bool pi_release_user(volatile uint32_t *w)
{
	uint32_t mine = (uint32_t)gettid_raw();
	return __atomic_compare_exchange_n(w, &mine, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}

/* Unlock as the library does: in user space unless a flag sends it to the kernel. */
static int pi_give(volatile uint32_t *w)
{
	return pi_release_user(w) ? 0 : pi_unlock(w);
}

/* pid's effective priority (with what waiters lend), or -1 when no such task. */
static int prio_of(int pid)
{
	struct calf_taskinfo ti;
	for (int c = 0; (c = calf_taskinfo(c, &ti)) > 0;)
		if (ti.pid == pid)
			return ti.prio;
	return -1;
}

static int pi_uncontended_lock_and_unlock_stay_in_user_space(void)
{
	uint32_t me = (uint32_t)gettid_raw();
	pi_word = 0;
	EXPECT(pi_try_user(&pi_word));
	EXPECT(pi_word == me); /* no flag: the kernel never saw it */
	EXPECT(pi_lock(&pi_word, NULL) == -EDEADLK); /* yet it honours the user-space lock */
	EXPECT(pi_word == me);
	EXPECT(pi_release_user(&pi_word)); /* and left nothing that sends the unlock to it */
	EXPECT(pi_word == 0);
	EXPECT(pi_unlock(&pi_word) == -EPERM); /* free: not ours to unlock */
	return 0;
}

static int pi_kernel_store_breaks_cow_and_fills_demand_zero(void)
{
	pi_word = 0;
	int pid = fork();
	if (pid == 0) {
		/* The word's page is COW-shared with the parent: the kernel's store must copy it. */
		bool ok = pi_lock(&pi_word, NULL) == 0 && pi_word == (uint32_t)gettid_raw();
		_exit(ok ? 0 : 1);
	}
	EXPECT(pid > 0 && suite_reaped_ok(pid));
	EXPECT(pi_word == 0); /* the parent's copy is untouched */
	volatile uint32_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0);
	EXPECT(p != MAP_FAILED);
	EXPECT(pi_lock(p, NULL) == 0); /* never touched: the page is filled with zero first */
	EXPECT(*p == (uint32_t)gettid_raw());
	EXPECT(pi_unlock(p) == 0 && *p == 0);
	EXPECT(mprotect((void *)p, 4096, PROT_READ) == 0);
	EXPECT(pi_lock(p, NULL) == -EFAULT); /* readable is not enough */
	EXPECT(*p == 0);
	EXPECT(munmap((void *)p, 4096) == 0);
	return 0;
}

/* Wait for pi_word, note the order and the word as it was handed over, give it on. */
static int pi_waiter(void *arg)
{
	int r = pi_lock(&pi_word, NULL);
	uint32_t w = pi_word;
	pi_seen[pi_order_n] = w;
	pi_order[pi_order_n++] = (int)(intptr_t)arg;
	if (r != 0 || (w & TID_MASK) != (uint32_t)gettid_raw())
		return 1;
	return pi_give(&pi_word) == 0 ? 0 : 2;
}

static int pi_contended_lock_handed_over_in_priority_order(void)
{
	uint32_t me = (uint32_t)gettid_raw();
	pi_word = 0;
	pi_order_n = 0;
	EXPECT(pi_try_user(&pi_word));
	/* Started least urgent first: arrival order alone would hand it to 12, 10, 8. */
	static const int prios[3] = { 12, 10, 8 };
	int tid[3];
	for (int i = 0; i < 3; i++) {
		tid[i] = suite_thread_start(stacks[i], STACK_SIZE, pi_waiter, (void *)(intptr_t)prios[i],
					    prios[i]);
		EXPECT(tid[i] > 0);
	}
	EXPECT(pi_order_n == 0); /* all three wait */
	EXPECT(pi_word == (me | CALF_FUTEX_WAITERS));
	EXPECT(!pi_release_user(&pi_word)); /* the flag sends the unlock to the kernel */
	EXPECT(pi_unlock(&pi_word) == 0);
	/* Each ran as soon as it was handed the word, so they are all done. */
	EXPECT(pi_order_n == 3);
	EXPECT(pi_order[0] == 8 && pi_order[1] == 10 && pi_order[2] == 12);
	/* Handed with the flag while another still waited, without it to the last. */
	EXPECT((pi_seen[0] & CALF_FUTEX_WAITERS) && (pi_seen[1] & CALF_FUTEX_WAITERS));
	EXPECT(!(pi_seen[2] & CALF_FUTEX_WAITERS));
	EXPECT(pi_word == 0);
	for (int i = 0; i < 3; i++)
		EXPECT(suite_reaped_ok(tid[i]));
	return 0;
}

/* Hold pi_word2, then wait for pi_word; once handed it, give both on. */
static int pi_chain_middle(void *arg)
{
	(void)arg;
	if (!pi_try_user(&pi_word2))
		return 1;
	if (pi_lock(&pi_word, NULL) != 0)
		return 2;
	pi_order[pi_order_n++] = 1; /* before the owner that handed it over runs again */
	if (pi_give(&pi_word2) != 0)
		return 3;
	return pi_give(&pi_word) == 0 ? 0 : 4;
}

/* Wait for pi_word2. */
static int pi_chain_top(void *arg)
{
	(void)arg;
	int r = pi_lock(&pi_word2, NULL);
	pi_order[pi_order_n++] = 2;
	return r == 0 && pi_give(&pi_word2) == 0 ? 0 : 1;
}

static int pi_waiter_boosts_the_owner_down_the_chain(void)
{
	int me = gettid_raw();
	pi_word = pi_word2 = 0;
	pi_order_n = 0;
	EXPECT(prio_of(me) == CALF_PRIO_DEFAULT);
	EXPECT(pi_try_user(&pi_word));
	int mid = suite_thread_start(stacks[0], STACK_SIZE, pi_chain_middle, NULL, 6);
	EXPECT(mid > 0);
	EXPECT(prio_of(me) == 6); /* mid waits for us: we run at its priority */
	EXPECT(calf_setprio(mid, 20) == 6);
	EXPECT(prio_of(mid) == 20 && prio_of(me) == CALF_PRIO_DEFAULT); /* a lower lend is no lend */
	int top = suite_thread_start(stacks[1], STACK_SIZE, pi_chain_top, NULL, 4);
	EXPECT(top > 0);
	/* top waits for mid, which waits for us: the boost passes down the chain. */
	EXPECT(prio_of(mid) == 4 && prio_of(me) == 4);
	EXPECT(pi_unlock(&pi_word) == 0);
	EXPECT(prio_of(me) == CALF_PRIO_DEFAULT); /* handed on: the lent priority went with it */
	/* mid ran at top's lent priority, and handed word2 to top, before we ran again. */
	EXPECT(pi_order_n == 2 && pi_order[0] == 1 && pi_order[1] == 2);
	EXPECT(suite_reaped_ok(mid) && suite_reaped_ok(top));
	EXPECT(pi_word == 0 && pi_word2 == 0);
	return 0;
}

static int pi_unlock_foreign(void *arg)
{
	(void)arg;
	return pi_unlock(&pi_word) == -EPERM ? 0 : 1;
}

/* Hold pi_word2 and wait for pi_word: a cycle for whoever holds pi_word to close. */
static int pi_hold_then_wait(void *arg)
{
	(void)arg;
	if (!pi_try_user(&pi_word2))
		return 1;
	if (pi_lock(&pi_word, NULL) != 0)
		return 2;
	return pi_give(&pi_word2) == 0 && pi_give(&pi_word) == 0 ? 0 : 3;
}

static int pi_edeadlk_eperm_and_esrch(void)
{
	uint32_t me = (uint32_t)gettid_raw();
	pi_word = pi_word2 = 0;
	EXPECT(pi_lock(&pi_word, NULL) == 0); /* free: the kernel takes it for us */
	EXPECT(pi_word == me);
	EXPECT(pi_lock(&pi_word, NULL) == -EDEADLK);
	int t = suite_thread_start(stacks[0], STACK_SIZE, pi_unlock_foreign, NULL, URGENT);
	EXPECT(t > 0 && suite_reaped_ok(t));
	EXPECT(pi_word == me); /* still ours */
	/* t2 holds word2 and waits for word, ours: waiting for word2 would close a cycle. */
	int t2 = suite_thread_start(stacks[1], STACK_SIZE, pi_hold_then_wait, NULL, URGENT);
	EXPECT(t2 > 0);
	EXPECT(pi_lock(&pi_word2, NULL) == -EDEADLK);
	EXPECT(pi_unlock(&pi_word) == 0);
	EXPECT(suite_reaped_ok(t2));
	EXPECT(pi_word == 0 && pi_word2 == 0);
	EXPECT(pi_unlock(&pi_word) == -EPERM); /* free */
	pi_word = (uint32_t)t; /* a thread that has ended */
	EXPECT(pi_lock(&pi_word, NULL) == -ESRCH);
	pi_word = (uint32_t)getppid(); /* a live task, but not of this process */
	EXPECT(pi_lock(&pi_word, NULL) == -ESRCH);
	return 0;
}

/* Take pi_word, wait until word is nonzero, give pi_word back. */
static int pi_hold_until_woken(void *arg)
{
	(void)arg;
	if (!pi_try_user(&pi_word))
		return 1;
	while (word == 0)
		futex(&word, CALF_FUTEX_WAIT, 0, NULL);
	return pi_give(&pi_word) == 0 ? 0 : 2;
}

static int pi_lock_times_out_and_leaves_no_state(void)
{
	pi_word = 0;
	word = 0;
	int h = suite_thread_start(stacks[0], STACK_SIZE, pi_hold_until_woken, NULL, URGENT);
	EXPECT(h > 0);
	EXPECT(pi_word == (uint32_t)h);
	struct calf_timespec abs = deadline_in(20 * MS);
	EXPECT(pi_lock(&pi_word, &abs) == -ETIMEDOUT);
	EXPECT(pi_word == ((uint32_t)h | CALF_FUTEX_WAITERS)); /* the flag stays: harmless */
	/* Each timed-out wait gives its state back: more rounds than there are states. */
	for (int i = 0; i < PI_STATES + 8; i++) {
		abs = deadline_in(0);
		EXPECT(pi_lock(&pi_word, &abs) == -ETIMEDOUT);
	}
	abs.tv_nsec = 1000000000; /* not a time */
	EXPECT(pi_lock(&pi_word, &abs) == -EINVAL);
	word = 1;
	EXPECT(futex(&word, CALF_FUTEX_WAKE, 1, NULL) == 1);
	EXPECT(suite_reaped_ok(h)); /* its unlock found no state and cleared the word */
	EXPECT(pi_word == 0);
	return 0;
}

static void pi_on_usr1(int sig)
{
	(void)sig;
	pi_handled++;
}

/* Wait for pi_word with a SIGUSR1 handler installed with flags arg. */
static int pi_wait_with_handler(void *arg)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pi_on_usr1;
	sa.sa_flags = (int)(intptr_t)arg;
	if (sigaction(SIGUSR1, &sa, NULL) != 0)
		return 1;
	int r = pi_lock(&pi_word, NULL);
	if (!(sa.sa_flags & SA_RESTART))
		return r == -EINTR && pi_handled == 1 ? 0 : 2;
	/* Restarted after the handler: it waited on until the word was handed over. */
	bool ours = (pi_word & TID_MASK) == (uint32_t)gettid_raw();
	return r == 0 && ours && pi_handled == 1 && pi_give(&pi_word) == 0 ? 0 : 3;
}

static int pi_lock_interrupted_by_a_handled_signal(void)
{
	int me = gettid_raw();
	pi_word = 0;
	pi_handled = 0;
	EXPECT(pi_try_user(&pi_word));
	int t = suite_thread_start(stacks[0], STACK_SIZE, pi_wait_with_handler, NULL, URGENT);
	EXPECT(t > 0);
	EXPECT(prio_of(me) == URGENT);
	EXPECT(kill(t, SIGUSR1) == 0);
	EXPECT(suite_reaped_ok(t)); /* -EINTR once its handler ran */
	EXPECT(prio_of(me) == CALF_PRIO_DEFAULT); /* the lend ended with the wait */
	EXPECT(pi_unlock(&pi_word) == 0 && pi_word == 0); /* WAITERS stayed: through the kernel */
	return 0;
}

static int pi_lock_restarts_after_an_sa_restart_handler(void)
{
	int me = gettid_raw();
	pi_word = 0;
	pi_handled = 0;
	EXPECT(pi_try_user(&pi_word));
	int t = suite_thread_start(stacks[0], STACK_SIZE, pi_wait_with_handler,
				   (void *)(intptr_t)SA_RESTART, URGENT);
	EXPECT(t > 0);
	EXPECT(kill(t, SIGUSR1) == 0);
	/* t lends us its priority, so it does not preempt us: block a moment so it runs. */
	EXPECT(usleep(1000) == 0);
	EXPECT(pi_handled == 1 && task_state(t) == 'S'); /* handled, and waiting again */
	EXPECT(prio_of(me) == URGENT);
	EXPECT(pi_unlock(&pi_word) == 0);
	EXPECT(suite_reaped_ok(t));
	EXPECT(pi_word == 0);
	return 0;
}

/* Take pi_word, wait until word is nonzero: 1 ends the thread, 2 execs /bin/true. */
static int pi_hold_and_end(void *arg)
{
	(void)arg;
	if (!pi_try_user(&pi_word))
		return 1;
	while (word == 0)
		futex(&word, CALF_FUTEX_WAIT, 0, NULL);
	if (word == 2) {
		char *argv[] = { "true", NULL };
		execv("/bin/true", argv);
		return 3;
	}
	return 0; /* ends holding it */
}

/* Wait for pi_word: it comes from a dead owner, flagged; the kernel's unlock clears the flag. */
static int pi_wait_owner_died(void *arg)
{
	(void)arg;
	int r = pi_lock(&pi_word, NULL);
	uint32_t w = pi_word;
	if (r != 0 || (w & TID_MASK) != (uint32_t)gettid_raw() || !(w & CALF_FUTEX_OWNER_DIED))
		return 1;
	EXPECT(!pi_release_user(&pi_word)); /* the flag sends the unlock to the kernel */
	return pi_unlock(&pi_word) == 0 && pi_word == 0 ? 0 : 2;
}

/* One owner that ends as how says (0: killed, else the word pi_hold_and_end reads) with a waiter. */
static int pi_owner_end_round(int how)
{
	pi_word = 0;
	word = 0;
	int o = suite_thread_start(stacks[0], STACK_SIZE, pi_hold_and_end, NULL, URGENT);
	int w = suite_thread_start(stacks[1], STACK_SIZE, pi_wait_owner_died, NULL, URGENT - 2);
	EXPECT(o > 0 && w > 0);
	EXPECT(pi_word == ((uint32_t)o | CALF_FUTEX_WAITERS));
	EXPECT(prio_of(o) == URGENT - 2);
	if (how == 0) {
		EXPECT(kill(o, SIGKILL) == 0);
	} else {
		word = (uint32_t)how;
		EXPECT(futex(&word, CALF_FUTEX_WAKE, 1, NULL) == 1);
	}
	int status;
	EXPECT(waitpid(o, &status, 0) == o);
	EXPECT(how == 0 ? suite_killed_by(status, SIGKILL) : suite_exited_ok(status));
	EXPECT(suite_reaped_ok(w));
	EXPECT(pi_word == 0);
	return 0;
}

static int pi_owner_ending_hands_the_lock_on_with_owner_died(void)
{
	EXPECT(pi_owner_end_round(0) == 0); /* killed */
	EXPECT(pi_owner_end_round(1) == 0); /* exits */
	EXPECT(pi_owner_end_round(2) == 0); /* execs */
	return 0;
}

static int pi_bad_address_gives_efault(void)
{
	EXPECT(pi_lock(NULL, NULL) == -EFAULT);
	EXPECT(pi_lock((volatile uint32_t *)((uintptr_t)&pi_word + 2), NULL) == -EFAULT);
	EXPECT(pi_lock((volatile uint32_t *)0xC0000000u, NULL) == -EFAULT);
	EXPECT(pi_unlock(NULL) == -EFAULT);
	EXPECT(pi_unlock((volatile uint32_t *)0xFFFFFFFCu) == -EFAULT);
	/* Text is readable but not writable: no place for a lock word. */
	uintptr_t text = (uintptr_t)&pi_bad_address_gives_efault & ~(uintptr_t)3;
	EXPECT(pi_lock((volatile uint32_t *)text, NULL) == -EFAULT);
	EXPECT(pi_unlock((volatile uint32_t *)text) == -EFAULT);
	pi_word = 0;
	EXPECT(pi_lock(&pi_word, (const struct calf_timespec *)8) == -EFAULT);
	EXPECT(pi_word == 0); /* nothing taken */
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(futex_wait_returns_eagain_when_the_word_differs),
	SUITE_CASE(futex_wake_wakes_exactly_n),
	SUITE_CASE(futex_wake_takes_the_most_urgent_waiter_first),
	SUITE_CASE(futex_timed_wait_times_out),
	SUITE_CASE(futex_wait_interrupted_by_kill),
	SUITE_CASE(futex_bad_address_gives_efault),
	SUITE_CASE(clone_thread_shares_the_pid_with_its_own_tid),
	SUITE_CASE(clone_thread_needs_clone_vm),
	SUITE_CASE(waitpid_on_a_thread_gives_echild),
	SUITE_CASE(process_reaped_once_all_its_threads_end),
	SUITE_CASE(exit_group_from_a_thread_ends_them_all),
	SUITE_CASE(exit_group_reports_its_status_after_the_leader_left),
	SUITE_CASE(child_cleartid_zeroes_and_wakes),
	SUITE_CASE(tls_register_is_per_thread_across_switches),
	SUITE_CASE(fork_from_a_thread_copies_only_that_thread),
	SUITE_CASE(pi_uncontended_lock_and_unlock_stay_in_user_space),
	SUITE_CASE(pi_kernel_store_breaks_cow_and_fills_demand_zero),
	SUITE_CASE(pi_contended_lock_handed_over_in_priority_order),
	SUITE_CASE(pi_waiter_boosts_the_owner_down_the_chain),
	SUITE_CASE(pi_edeadlk_eperm_and_esrch),
	SUITE_CASE(pi_lock_times_out_and_leaves_no_state),
	SUITE_CASE(pi_lock_interrupted_by_a_handled_signal),
	SUITE_CASE(pi_lock_restarts_after_an_sa_restart_handler),
	SUITE_CASE(pi_owner_ending_hands_the_lock_on_with_owner_died),
	SUITE_CASE(pi_bad_address_gives_efault),
};

int main(void)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("futextest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, futex_wait_returns_eagain_when_the_word_differs,
			  "no_frame_leaked_by_the_suite");
	return suite_end(&t);
}
