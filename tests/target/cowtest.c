/*
 * cowtest.c - the on-target suite: fork, copy-on-write, faults, signals,
 * scheduling and frame accounting, checked from user space.
 *
 * Each case runs in its own forked task, so a crash fails that case and
 * not the run. The suite prints PASS/FAIL per case (SKIP with the reason
 * where the arch cannot have the property) and a closing
 * "N passed, N failed[, N skipped]"; its exit status is the number of failures.
 * Run it with the console input in cowtest.input (ctest does).
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arch_test.h>
#include <calf.h>
#include <calf/config.h>
#include "suite.h"

#define PAGE 4096
/* ---- copy-on-write ---------------------------------------------------- */

static char page_a[PAGE] __attribute__((aligned(PAGE))) = { 'A' };

static int child_sees_a(void)
{
	return page_a[0] == 'A' && page_a[PAGE - 1] == 0 ? 0 : 1;
}

static int parent_write_after_fork(void)
{
	page_a[0] = 'A';
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		sched_yield(); /* let the parent write first */
		_exit(child_sees_a());
	}
	EXPECT(pid > 0);
	page_a[0] = 'B';
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status));
	EXPECT(page_a[0] == 'B');
	return 0;
}

#define MIB (1024 * 1024)
static unsigned char *big;

static int child_rewrites_mib(void)
{
	struct calf_meminfo before = suite_meminfo();
	for (int i = 0; i < MIB; i++)
		big[i] = (unsigned char)(i * 7 + 1);
	for (int i = 0; i < MIB; i++)
		if (big[i] != (unsigned char)(i * 7 + 1))
			return 2;
	struct calf_meminfo after = suite_meminfo();
	/* Every page of the buffer was copied once, no more than a few others. */
	uint32_t copies = after.cow_copies - before.cow_copies;
	return copies >= MIB / PAGE && copies <= MIB / PAGE + 8 ? 0 : 3;
}

static int child_write_1mib_parent_unchanged(void)
{
	big = malloc(MIB);
	EXPECT(big != NULL);
	for (int i = 0; i < MIB; i++)
		big[i] = (unsigned char)(i * 3);
	int status = suite_run_child(child_rewrites_mib);
	EXPECT(suite_exited_ok(status));
	for (int i = 0; i < MIB; i++)
		EXPECT(big[i] == (unsigned char)(i * 3));
	free(big);
	return 0;
}

static volatile int gen_value;

/* Fork down to depth generations; each writes its pid, then checks it after its child ran. */
static int generation(int depth)
{
	gen_value = getpid();
	if (depth > 0) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(generation(depth - 1));
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !suite_exited_ok(status))
			return 1;
	}
	sched_yield();
	return gen_value == getpid() ? 0 : 1;
}

static int three_generations_own_pid(void)
{
	return generation(2);
}

static int refork_before_writing(void)
{
	page_a[100] = 'r';
	fflush(stdout);
	pid_t a = fork();
	if (a == 0) {
		page_a[100] = '1';
		_exit(page_a[100] == '1' ? 0 : 1);
	}
	pid_t b = fork();
	if (b == 0) {
		sched_yield();
		_exit(page_a[100] == 'r' ? 0 : 1); /* a's write never reached us */
	}
	EXPECT(a > 0 && b > 0);
	int sa, sb;
	EXPECT(waitpid(a, &sa, 0) == a && waitpid(b, &sb, 0) == b);
	EXPECT(suite_exited_ok(sa) && suite_exited_ok(sb));
	EXPECT(page_a[100] == 'r');
	return 0;
}

static int exit_at_once(void)
{
	return 0;
}

static char page_b[PAGE] __attribute__((aligned(PAGE))) = { 'B' };

/* A write that gives this child its own copy of the page table holding page_a too. */
static int write_page_b(void)
{
	/* volatile: page_b is never read, so GCC would drop a plain store (and the fault). */
	*(volatile char *)&page_b[0] = 'b';
	return 0;
}

static int last_sharer_reuses_frame(void)
{
	page_a[200] = 'x'; /* our own private frame */
	EXPECT(suite_exited_ok(suite_run_child(write_page_b)));
	/*
	 * One of us copied the page table we shared (on armv7 we did, at our
	 * first instruction after fork; on i386 the child, at its write), which
	 * left both copies read-only. The child has gone: as the last sharer of
	 * a read-only page we reuse its frame without copying.
	 */
	struct calf_meminfo before = suite_meminfo();
	page_a[200] = 'y';
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.cow_reuses == before.cow_reuses + 1);
	EXPECT(after.cow_copies == before.cow_copies);
	EXPECT(after.free == before.free);
	return 0;
}

static int untouched_table_is_taken_back_without_any_copy(void)
{
	/* A heap page (the heap has page tables of its own), written before the fork. */
	volatile char *heap = malloc(64);
	EXPECT(heap != NULL);
	heap[0] = 'x';
	EXPECT(suite_exited_ok(suite_run_child(exit_at_once))); /* the child never touches the heap */
	struct calf_meminfo before = suite_meminfo();
	heap[0] = 'y';
	struct calf_meminfo after = suite_meminfo();
	/* The last user takes the heap's table back; the page was never made read-only. */
	EXPECT(after.table_reuses == before.table_reuses + 1);
	EXPECT(after.table_copies == before.table_copies);
	EXPECT(after.cow_copies == before.cow_copies && after.cow_reuses == before.cow_reuses);
	EXPECT(after.free == before.free);
	EXPECT(heap[0] == 'y');
	return 0;
}

#define BRK_SPAN (8u * 1024 * 1024)
#define BRK_TAIL (4u * PAGE) /* the heap ends inside a third table */

/* The child: shrink the shared heap to its first page, check what stays, exit. */
static int shrink_shared_heap(volatile char *p)
{
	sbrk(0); /* newlib's break is data: copy its table before counting (i386 splits on writes) */
	struct calf_meminfo m0 = suite_meminfo();
	if (sbrk(-(int)(BRK_SPAN + BRK_TAIL - PAGE)) == (void *)-1)
		return 3;
	struct calf_meminfo m1 = suite_meminfo();
	/*
	 * The first table keeps a page: it is copied for us. The middle one is let
	 * go whole; so is the last, partly inside the range, as nothing else can
	 * be mapped in the rest of its span.
	 */
	if (m1.table_copies != m0.table_copies + 1)
		return 4;
	return p[0] == 1 ? 0 : 5;
}

static int brk_shrink_over_a_shared_table_keeps_the_other_side(void)
{
	/* Fresh heap from a table boundary, 8 MiB and 4 pages: three tables, a page written in each. */
	char *top = sbrk(0);
	volatile char *p = (char *)(((uintptr_t)top + (4u << 20) - 1) & ~(uintptr_t)((4u << 20) - 1));
	EXPECT(sbrk((p - top) + BRK_SPAN + BRK_TAIL) != (void *)-1);
	p[0] = 1;
	p[4u << 20] = 2;
	p[BRK_SPAN] = 3;
	fflush(stdout); /* (its first write here may copy a page from init: before counting) */
	struct calf_meminfo before = suite_meminfo();
	pid_t pid = fork();
	if (pid == 0)
		_exit(shrink_shared_heap(p));
	int status;
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status)); /* 3: sbrk failed, 4: not exactly one table copied, 5: data lost */
	/* The parent's heap is whole, and every frame the child took is back. */
	EXPECT(p[0] == 1 && p[4u << 20] == 2 && p[BRK_SPAN] == 3);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free);
	return 0;
}

static int stack_and_bss_copied(void)
{
	static int bss_array[2048]; /* two pages of .bss */
	volatile int stack_array[1024];
	for (int i = 0; i < 1024; i++)
		stack_array[i] = i;
	for (int i = 0; i < 2048; i++)
		bss_array[i] = -i;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 1024; i++)
			if (stack_array[i] != i)
				_exit(2);
		for (int i = 0; i < 2048; i++)
			if (bss_array[i] != -i)
				_exit(3);
		for (int i = 0; i < 1024; i++)
			stack_array[i] = 5000 + i;
		for (int i = 0; i < 2048; i++)
			bss_array[i] = 7;
		_exit(stack_array[1023] == 6023 && bss_array[2047] == 7 ? 0 : 4);
	}
	int status;
	EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status));
	for (int i = 0; i < 1024; i++)
		EXPECT(stack_array[i] == i);
	for (int i = 0; i < 2048; i++)
		EXPECT(bss_array[i] == -i);
	return 0;
}

static char io_buf[2 * PAGE] __attribute__((aligned(PAGE)));

static int child_reads_into_cow(void)
{
	/* The buffer straddles two shared pages: the kernel must break COW on both. */
	char *dst = io_buf + PAGE - 6;
	/* A read into a bad buffer fails and takes nothing: the full line is still there. */
	if (read(0, (void *)(uintptr_t)child_reads_into_cow, 64) != -1 || errno != EFAULT)
		return 4;
	/* Said for whoever runs the suite by hand; the ctest feeds cowtest.input. */
	printf("cowtest: type calf-input-line and Enter (read into a copy-on-write buffer)\n");
	fflush(stdout);
	ssize_t n = read(0, dst, 64);
	if (n != 16 || memcmp(dst, "calf-input-line\n", 16) != 0)
		return 2;
	struct calf_meminfo *mi = (struct calf_meminfo *)(io_buf + 64);
	if (calf_meminfo(mi) != 0 || mi->page_size != PAGE)
		return 3;
	return 0;
}

static int copyout_leaves_parent_unchanged(void)
{
	memset(io_buf, 'x', sizeof(io_buf));
	EXPECT(suite_exited_ok(suite_run_child(child_reads_into_cow)));
	for (size_t i = 0; i < sizeof(io_buf); i++)
		EXPECT(io_buf[i] == 'x');
	return 0;
}

#define TLB_PAGES 16
static char tlb_pages[TLB_PAGES][PAGE] __attribute__((aligned(PAGE)));

static int write_right_after_fork_no_yield(void)
{
	/* 300 rounds: more address spaces than the 255 ASIDs, so a rollover happens mid-test. */
	for (int round = 0; round < 300; round++) {
		for (int p = 0; p < TLB_PAGES; p++)
			tlb_pages[p][0] = 'o'; /* leave writable entries in the TLB */
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			for (int p = 0; p < TLB_PAGES; p++)
				if (tlb_pages[p][0] != 'o')
					_exit(1);
			_exit(0);
		}
		/* No syscall, no yield: a stale writable entry would hit the shared frame. */
		for (int p = 0; p < TLB_PAGES; p++)
			tlb_pages[p][0] = 'n';
		int status;
		EXPECT(pid > 0 && waitpid(pid, &status, 0) == pid);
		EXPECT(suite_exited_ok(status));
	}
	return 0;
}

/* ---- faults become signals -------------------------------------------- */

static int write_own_text(void)
{
	volatile uint8_t *code = (volatile uint8_t *)(uintptr_t)write_own_text;
	code[0] = 0;
	return 0; /* reaching here is the failure */
}

static int text_stays_read_only(void)
{
	EXPECT(suite_killed_by(suite_run_child(write_own_text), SIGSEGV));
	return 0;
}

static int deref_null(void)
{
	volatile int *p = NULL;
	return *p;
}

static int null_dereference_killed(void)
{
	EXPECT(suite_killed_by(suite_run_child(deref_null), SIGSEGV));
	return 0;
}

static uint32_t data_code[4] __attribute__((aligned(16)));

static int exec_data(void)
{
	arch_test_return_stub(data_code)(); /* a plain return: harmless if data were executable */
	return 0;
}

static int data_is_not_executable(void)
{
	EXPECT(suite_killed_by(suite_run_child(exec_data), SIGSEGV));
	return 0;
}

static int jump_to_kernel(void)
{
	((void (*)(void))(uintptr_t)ARCH_TEST_KERNEL_ADDRESS)();
	return 0;
}

static int jump_into_kernel_space_killed(void)
{
	EXPECT(suite_killed_by(suite_run_child(jump_to_kernel), SIGSEGV));
	return 0;
}

static int illegal_instruction(void)
{
	arch_test_undefined_instruction();
	return 0;
}

static int undefined_instruction_sigill(void)
{
	EXPECT(suite_killed_by(suite_run_child(illegal_instruction), SIGILL));
	return 0;
}

static int privileged_instruction(void)
{
	arch_test_privileged_instruction();
	return 0;
}

static int privileged_instruction_killed(void)
{
	EXPECT(suite_killed_by(suite_run_child(privileged_instruction), ARCH_TEST_PRIVILEGED_SIGNAL));
	return 0;
}

static int divide_by_zero(void)
{
	arch_test_divide_by_zero();
	return 0;
}

static int divide_error_sigfpe(void)
{
	EXPECT(suite_killed_by(suite_run_child(divide_by_zero), SIGFPE));
	return 0;
}

static int misaligned_access(void)
{
	arch_test_misaligned_access(page_a);
	return 0;
}

static int alignment_fault_sigbus(void)
{
	EXPECT(suite_killed_by(suite_run_child(misaligned_access), SIGBUS));
	return 0;
}

static int eat_all_memory(void)
{
	const size_t chunk = 8 * MIB;
	for (;;) {
		/* volatile: the stores are the point, the compiler must not drop them. */
		volatile char *p = malloc(chunk);
		if (!p)
			return 2; /* the heap hit the stack first: RAM must run out before that */
		for (size_t i = 0; i < chunk; i += PAGE)
			p[i] = 1;
	}
}

static int out_of_memory_kills_only_the_hog(void)
{
	EXPECT(suite_exited_ok(suite_run_child(exit_at_once))); /* warm up, as above */
	struct calf_meminfo before = suite_meminfo();
	EXPECT(suite_killed_by(suite_run_child(eat_all_memory), SIGKILL));
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free);
	EXPECT(after.shared == before.shared);
	page_a[300] = 'z'; /* and we still run, and can fault in pages */
	EXPECT(page_a[300] == 'z');
	return 0;
}

/* Touch a stack page below the caller's frame, so it is this task's own before memory runs out. */
static __attribute__((noinline)) void stack_probe(void)
{
	volatile char deep[2048];
	deep[0] = deep[sizeof(deep) - 1] = 0;
}

/*
 * Take heap pages until exactly `left` frames are free. First every page the
 * caller will write afterwards (errno, newlib's break, the stack) is written
 * once, so that no copy-on-write needs a frame later. 0, or 1 if it cannot.
 */
static int eat_frames_until(uint32_t left)
{
	errno = 0;
	stack_probe();
	if (sbrk(PAGE) == (void *)-1 || sbrk(-PAGE) == (void *)-1)
		return 1;
	for (uint32_t free; (free = suite_meminfo().free) > left;) {
		if (free - left == 1) {
			/*
			 * One frame to go: a heap page could need a page table
			 * too and find none (an out-of-memory kill), so take it
			 * with a pipe, whose ring is exactly one frame.
			 */
			int fds[2];
			if (pipe(fds) != 0)
				return 1;
			continue;
		}
		volatile char *p = sbrk(PAGE);
		if (p == (void *)-1)
			return 1;
		*p = 1; /* the store is the point: it takes the frame (and maybe a table) */
	}
	/* The last page may have needed a page table too: give pages back until it fits. */
	while (suite_meminfo().free < left)
		if (sbrk(-PAGE) == (void *)-1)
			return 1;
	return suite_meminfo().free == left ? 0 : 1;
}

static int fork_without_memory_fails_cleanly(void)
{
	/* With no frame left, not even the child's first-level table can be had. */
	EXPECT(eat_frames_until(0) == 0);
	struct calf_meminfo before = suite_meminfo();
	EXPECT(fork() == -1 && errno == ENOMEM);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == 0 && after.used == before.used && after.shared == before.shared);
	/* Nothing was shared: writing the parent's pages needs neither a copy nor a table. */
	volatile char *top = (char *)sbrk(0) - PAGE;
	*top = 2;
	struct calf_meminfo later = suite_meminfo();
	EXPECT(later.cow_copies == after.cow_copies && later.table_copies == after.table_copies);
	return 0;
}

#define C2_WAS_KILLED 5

/*
 * Runs as C1: forks C2 with the very last frame. Whichever of the two runs
 * first after the fork (C1, unless a tick just ended its turn) needs a copy
 * of a shared table and finds no frame: it is killed, and the other then
 * takes the tables back, which needs no frame, and runs to its end.
 */
static int fork_with_the_last_frame(void)
{
	if (eat_frames_until(1) != 0)
		return 3;
	pid_t pid = fork(); /* the last frame becomes C2's first-level table */
	if (pid == 0)
		_exit(0);
	int status = 0;
	if (waitpid(pid, &status, 0) != pid)
		return 4;
	return suite_killed_by(status, SIGKILL) ? C2_WAS_KILLED : 6;
}

static int table_split_out_of_memory_kills_only_the_faulting_task(void)
{
	EXPECT(suite_exited_ok(suite_run_child(exit_at_once))); /* warm up, as above */
	struct calf_meminfo before = suite_meminfo();
	fflush(stdout);
	pid_t c1 = fork();
	if (c1 == 0)
		_exit(fork_with_the_last_frame());
	int status = 0;
	EXPECT(c1 > 0 && waitpid(c1, &status, 0) == c1);
	if (WIFEXITED(status)) {
		/* C1 ran on: C2 must be the one killed. */
		EXPECT(WEXITSTATUS(status) == C2_WAS_KILLED);
	} else {
		/* C1 died after its fork: C2 (the next pid, adopted by init) exists. */
		EXPECT(suite_killed_by(status, SIGKILL));
		EXPECT(kill(c1 + 1, 0) == 0);
	}
	/* C2 must run to its end: only then is every frame back. */
	struct calf_meminfo after = suite_meminfo();
	for (int i = 0; i < 100 && after.free != before.free; i++) {
		usleep(1000);
		after = suite_meminfo();
	}
	EXPECT(after.free == before.free);
	EXPECT(after.shared == before.shared);
	return 0;
}

static int fork_until_task_table_full(void)
{
	pid_t kids[CALF_CONFIG_TASK_MAX];
	int n = 0;
	/* Warm up: the pages this loop writes (stack, errno, stdio) become ours first. */
	fflush(stdout); /* stdout's lock lives in the heap */
	kids[0] = fork();
	if (kids[0] == 0)
		_exit(0);
	EXPECT(kids[0] > 0 && waitpid(kids[0], NULL, 0) == kids[0]);
	errno = 0;
	struct calf_meminfo before = suite_meminfo();
	int in_use = 0; /* slots taken now: this suite's tasks, zombies included */
	struct calf_taskinfo ti;
	for (int cursor = 0; (cursor = calf_taskinfo(cursor, &ti)) > 0;)
		in_use++;
	for (;;) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			while (usleep(100000) == 0)
				;
			_exit(1);
		}
		if (pid < 0)
			break;
		EXPECT(n < CALF_CONFIG_TASK_MAX);
		kids[n++] = pid;
	}
	EXPECT(errno == EAGAIN);
	/* The table holds exactly the configured number of tasks (calf/config.h, sysconf). */
	EXPECT(in_use + n == CALF_CONFIG_TASK_MAX && sysconf(_SC_CHILD_MAX) == CALF_CONFIG_TASK_MAX);
	for (int i = 0; i < n; i++)
		EXPECT(kill(kids[i], SIGKILL) == 0);
	for (int i = 0; i < n; i++) {
		int status;
		EXPECT(waitpid(kids[i], &status, 0) == kids[i] && suite_killed_by(status, SIGKILL));
	}
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free);
	EXPECT(after.shared == before.shared);
	return 0;
}

/* ---- tasks, signals, system calls -------------------------------------- */

static int child_exit_7(void)
{
	return 7;
}

static int fork_exit_wait_1000_no_leak(void)
{
	/* One round first: our own stack and stdio pages get touched once, not leaked. */
	EXPECT(WEXITSTATUS(suite_run_child(child_exit_7)) == 7);
	struct calf_meminfo before = suite_meminfo();
	for (int i = 0; i < 1000; i++) {
		int status = suite_run_child(child_exit_7);
		EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	}
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free);
	EXPECT(after.shared == before.shared);
	return 0;
}

static int sleep_forever(void)
{
	while (usleep(100000) == 0)
		;
	return 1;
}

static int kill_sets_signal_status(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(sleep_forever());
	EXPECT(pid > 0);
	int status;
	EXPECT(waitpid(pid, &status, WNOHANG) == 0); /* still running */
	EXPECT(kill(pid, SIGTERM) == 0);
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(suite_killed_by(status, SIGTERM));
	EXPECT(kill(pid, SIGTERM) == -1 && errno == ESRCH);
	return 0;
}

static int bad_arguments_return_errno(void)
{
	errno = 0;
	EXPECT(write(1, (void *)0x10, 5) == -1 && errno == EFAULT);
	EXPECT(write(1, (void *)ARCH_TEST_KERNEL_ADDRESS, 16) == -1 && errno == EFAULT);
	EXPECT(write(9, "x", 1) == -1 && errno == EBADF);
	EXPECT(read(0, (void *)(uintptr_t)bad_arguments_return_errno, 0) == 0);
	EXPECT(waitpid(-1, NULL, 0) == -1 && errno == ECHILD);
	EXPECT(waitpid(-1, NULL, 0x40) == -1 && errno == EINVAL);
	EXPECT(kill(30000, SIGTERM) == -1 && errno == ESRCH);
	EXPECT(kill(getpid(), 99) == -1 && errno == EINVAL);
	EXPECT(calf_meminfo((void *)0x3) == -1 && errno == EFAULT);
	EXPECT(calf_meminfo((void *)(uintptr_t)bad_arguments_return_errno) == -1 && errno == EFAULT);
	EXPECT(calf_setprio(0, 99) == -1 && errno == EINVAL);
	EXPECT(calf_syscall(999, 0, 0, 0) == -ENOSYS);
	EXPECT(calf_syscall(CALF_SYS_clone, 0x80000000u, 0, 0) == -EINVAL);
	return 0;
}

static int reaped_status_survives_bad_pointer(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(5);
	EXPECT(pid > 0);
	EXPECT(waitpid(pid, (int *)0x8, 0) == -1 && errno == EFAULT);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid); /* the child was not lost */
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	return 0;
}

static int getppid_matches_parent(void)
{
	pid_t me = getpid();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(getppid() == me ? 0 : 1);
	int status;
	EXPECT(pid > 0 && pid != me && waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status));
	return 0;
}

static volatile int thread_flag;

static int thread_body(void *arg)
{
	thread_flag = *(int *)arg;
	return 3;
}

static int thread_shares_address_space(void)
{
	static int arg = 42;
	char *stack = malloc(16 * 1024);
	EXPECT(stack != NULL);
	thread_flag = 0;
	pid_t tid = calf_thread_spawn(thread_body, &arg, stack + 16 * 1024);
	EXPECT(tid > 0);
	int status;
	EXPECT(waitpid(tid, &status, 0) == tid);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 3);
	EXPECT(thread_flag == 42); /* the write landed in our memory, no copy */
	free(stack);
	return 0;
}

static int urgent_thread(void *arg)
{
	(void)arg;
	thread_flag = 1;
	return 0;
}

static int higher_priority_preempts_at_once(void)
{
	char *stack = malloc(8 * 1024);
	EXPECT(stack != NULL);
	EXPECT(calf_setprio(0, 20) == CALF_PRIO_DEFAULT);
	thread_flag = 0;
	pid_t tid = calf_thread_spawn(urgent_thread, NULL, stack + 8 * 1024);
	EXPECT(tid > 0);
	EXPECT(thread_flag == 0); /* same priority: it waits its turn */
	EXPECT(calf_setprio(tid, 10) == 20);
	EXPECT(thread_flag == 1); /* now more urgent: it ran before setprio returned to us */
	int status;
	EXPECT(waitpid(tid, &status, 0) == tid && suite_exited_ok(status));
	free(stack);
	return 0;
}

static volatile uint32_t spin_count[2];

static int spinner(void *arg)
{
	int id = *(int *)arg;
	while (spin_count[id] != UINT32_MAX)
		spin_count[id]++;
	return 0;
}

static int equal_priorities_share_the_cpu(void)
{
	static int ids[2] = { 0, 1 };
	char *stacks = malloc(16 * 1024);
	EXPECT(stacks != NULL);
	pid_t t[2];
	for (int i = 0; i < 2; i++)
		t[i] = calf_thread_spawn(spinner, &ids[i], stacks + (i + 1) * 8 * 1024);
	EXPECT(t[0] > 0 && t[1] > 0);
	usleep(200000); /* 20 ticks: several round-robin turns of 5 */
	uint32_t a = spin_count[0], b = spin_count[1];
	for (int i = 0; i < 2; i++) {
		int status;
		EXPECT(kill(t[i], SIGKILL) == 0);
		EXPECT(waitpid(t[i], &status, 0) == t[i] && suite_killed_by(status, SIGKILL));
	}
	EXPECT(a > 0 && b > 0);
	free(stacks);
	return 0;
}

static int heap_grows_on_demand(void)
{
	struct calf_meminfo before = suite_meminfo();
	volatile char *p = malloc(2 * MIB);
	EXPECT(p != NULL);
	struct calf_meminfo mid = suite_meminfo();
	EXPECT(before.free - mid.free < 8); /* growing the break maps nothing yet */
	for (int i = 0; i < 2 * MIB; i += PAGE)
		p[i] = 1;
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.zero_fills - before.zero_fills >= 2 * MIB / PAGE);
	free((void *)p);
	return 0;
}

/*
 * The default mode (this suite's image overcommits) counts what each space
 * could come to need, and refuses none of it: a heap twice the size of RAM
 * is charged in full, and the space still forks.
 */
static int commit_counted_not_enforced(void)
{
	const uintptr_t span = 4 * MIB; /* what one page table maps, on both ports */
	struct calf_meminfo m0 = suite_meminfo();
	EXPECT(m0.commit_strict == 0);
	EXPECT(m0.used <= m0.committed + m0.uncharged);
	/* Straight through the system call: this task exits before newlib's sbrk runs again. */
	uintptr_t e0 = (uintptr_t)calf_syscall(CALF_SYS_brk, 0, 0, 0);
	uintptr_t e = e0 + 2 * (uintptr_t)m0.total * PAGE;
	EXPECT(calf_syscall(CALF_SYS_brk, (uint32_t)e, 0, 0) == (int32_t)e);
	struct calf_meminfo m1 = suite_meminfo();
	uint32_t tables = (uint32_t)((e + span - 1) / span - (e0 + span - 1) / span);
	EXPECT(m1.committed - m0.committed == 2 * m0.total + tables);
	EXPECT(m1.committed > m1.total && m1.free == m0.free);
	EXPECT(suite_exited_ok(suite_run_child(exit_at_once)));
	EXPECT(calf_syscall(CALF_SYS_brk, (uint32_t)e0, 0, 0) == (int32_t)e0);
	struct calf_meminfo m2 = suite_meminfo();
	EXPECT(m2.committed == m0.committed && m2.uncharged == m0.uncharged);
	return 0;
}

/* ---- the kernel's page-routine benchmark call ------------------------- */

static int kbench_rejects_bad_op_and_count(void)
{
	uint64_t ns = 0;
	errno = 0;
	EXPECT(calf_kbench(0, 1, &ns) == -1 && errno == EINVAL);
	EXPECT(calf_kbench(99, 1, &ns) == -1 && errno == EINVAL);
	EXPECT(calf_kbench(CALF_KBENCH_COPY_PAGE, 0, &ns) == -1 && errno == EINVAL);
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, CALF_KBENCH_MAX_ITERATIONS + 1, &ns) == -1 &&
	       errno == EINVAL);
	EXPECT(calf_kbench(CALF_KBENCH_COPY_PAGE, 0xFFFFFFFFu, &ns) == -1 && errno == EINVAL);
	return 0;
}

static int kbench_bad_pointer_efault(void)
{
	/* Our stack and errno's page are copied (we are a fork) before counting. */
	errno = 0;
	suite_meminfo();
	struct calf_meminfo before = suite_meminfo();
	EXPECT(calf_kbench(CALF_KBENCH_COPY_PAGE, 1, (uint64_t *)0x8) == -1 && errno == EFAULT);
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1, (uint64_t *)ARCH_TEST_KERNEL_ADDRESS) == -1 &&
	       errno == EFAULT);
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1,
			   (uint64_t *)(uintptr_t)kbench_bad_pointer_efault) == -1 && errno == EFAULT);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free); /* both frames given back on the error path */
	return 0;
}

static int kbench_leaves_free_frames_unchanged(void)
{
	uint64_t ns = 0;
	/* The first call writes ns: its stack page is copied (we are a fork) before counting. */
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1, &ns) == 0);
	struct calf_meminfo before = suite_meminfo();
	ns = 0;
	EXPECT(calf_kbench(CALF_KBENCH_COPY_PAGE, CALF_KBENCH_MAX_ITERATIONS, &ns) == 0);
	EXPECT(ns > 0);
	ns = 0;
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1, &ns) == 0);
	EXPECT(ns > 0);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.free == before.free && after.used == before.used);
	EXPECT(after.uncharged == before.uncharged); /* its frames are no space's: uncharged, then freed */
	return 0;
}

/* ---- user registers across page faults -------------------------------- */

/*
 * The kernel's page zero and copy routines run inside the fault with the
 * task's registers live (on i386 they borrow XMM registers): every register
 * arch_test.h can load must come back unchanged.
 */
#define REG_PAGES 4
static char reg_pages[REG_PAGES][PAGE] __attribute__((aligned(PAGE)));

/* Fault on n pages from base with the registers loaded; how many changed, or a write lost. */
static int fault_pages_with_registers(volatile char *base, int n, uint32_t seed)
{
	int changed = 0;
	for (int i = 0; i < n; i++) {
		volatile char *p = base + i * PAGE;
		changed += arch_test_fault_keeps_registers(p, seed + (uint32_t)i);
		changed += *p != ARCH_TEST_FAULT_BYTE;
	}
	return changed;
}

/* COW copies of reg_pages, then zero fills of heap pages no one has touched. */
static int faults_with_registers(uint32_t seed)
{
	char *heap = malloc((REG_PAGES + 1) * PAGE);
	if (!heap)
		return -1;
	volatile char *fresh = (char *)(((uintptr_t)heap + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
	int changed = fault_pages_with_registers(&reg_pages[0][0], REG_PAGES, seed);
	changed += fault_pages_with_registers(fresh, REG_PAGES, seed + 100);
	free(heap);
	if (changed)
		printf("    pid %d: %d registers or stores lost across page faults\n", getpid(), changed);
	fflush(stdout);
	return changed;
}

static int registers_survive_page_faults(void)
{
	for (int p = 0; p < REG_PAGES; p++)
		reg_pages[p][0] = 1; /* our own frames, shared at the fork */
	struct calf_meminfo before = suite_meminfo();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(faults_with_registers(1000) == 0 ? 0 : 1);
	EXPECT(pid > 0);
	/* Both fault with values of their own (on i386 yielding inside, so they take turns). */
	int changed = faults_with_registers(2001);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status));
	EXPECT(changed == 0);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(after.cow_copies - before.cow_copies >= REG_PAGES);
	EXPECT(after.zero_fills - before.zero_fills >= 2 * REG_PAGES);
	return 0;
}

/* ---- faults in a space threads share, preempted, while a sibling forks ---- */

#define RACE_PAGES 32
#define RACE_ROUNDS 300
static volatile unsigned char *race_buf; /* RACE_PAGES pages, then the urgent thread's page */
static volatile int race_stop;
static volatile uint32_t race_passes, race_urgent_writes;

/* Pass p writes (uint8_t)p to each page in order, and yields: every pass after a fork copies. */
static int race_writer(void *arg)
{
	(void)arg;
	for (uint32_t p = 1; !race_stop; p++) {
		for (int i = 0; i < RACE_PAGES; i++)
			race_buf[i * PAGE] = (unsigned char)p;
		race_passes = p;
		sched_yield();
	}
	return 0;
}

/* More urgent, every millisecond: preempts the others anywhere, then faults on its own page. */
static int race_urgent(void *arg)
{
	(void)arg;
	while (!race_stop) {
		usleep(1000);
		race_buf[RACE_PAGES * PAGE] = (unsigned char)++race_urgent_writes;
	}
	return 0;
}

/*
 * A child of the racing space: its copy is one moment of the writer's
 * passes (pages up to some k hold pass p, the rest p - 1), it stays so
 * while the writer goes on in the parent, and the child's own writes (its
 * faults, as a lone user) land in its copy only.
 */
static int race_child(void)
{
	unsigned char snap[RACE_PAGES];
	for (int i = 0; i < RACE_PAGES; i++)
		snap[i] = race_buf[i * PAGE];
	int k = 0;
	while (k < RACE_PAGES && snap[k] == snap[0])
		k++;
	for (int i = k; i < RACE_PAGES; i++)
		if (snap[i] != (unsigned char)(snap[0] - 1))
			return 2;
	sched_yield(); /* the writer runs a pass in the parent */
	for (int i = 0; i < RACE_PAGES; i++) {
		if (race_buf[i * PAGE] != snap[i])
			return 3;
		race_buf[i * PAGE] = (unsigned char)~snap[i];
	}
	for (int i = 0; i < RACE_PAGES; i++)
		if (race_buf[i * PAGE] != (unsigned char)~snap[i])
			return 4;
	return 0;
}

static int threads_fault_preempted_while_a_sibling_forks(void)
{
	char *mem = malloc((RACE_PAGES + 2) * PAGE);
	char *stacks = malloc(2 * 8 * 1024);
	EXPECT(mem != NULL && stacks != NULL);
	race_buf = (unsigned char *)(((uintptr_t)mem + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
	race_stop = 0;
	race_passes = race_urgent_writes = 0;
	struct calf_meminfo before = suite_meminfo();
	pid_t writer = suite_thread_start(stacks, 8 * 1024, race_writer, NULL, CALF_PRIO_DEFAULT);
	pid_t urgent = suite_thread_start(stacks + 8 * 1024, 8 * 1024, race_urgent, NULL, 10);
	EXPECT(writer > 0 && urgent > 0);
	int bad = 0;
	for (int r = 0; r < RACE_ROUNDS; r++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(race_child());
		int status;
		if (pid < 0 || waitpid(pid, &status, 0) != pid || !suite_exited_ok(status))
			bad++;
	}
	race_stop = 1;
	int status;
	EXPECT(waitpid(writer, &status, 0) == writer && suite_exited_ok(status));
	EXPECT(waitpid(urgent, &status, 0) == urgent && suite_exited_ok(status));
	EXPECT(bad == 0);
	/* The writer stops between passes: every page holds its last. */
	for (int i = 0; i < RACE_PAGES; i++)
		EXPECT(race_buf[i * PAGE] == (unsigned char)race_passes);
	EXPECT(race_buf[RACE_PAGES * PAGE] == (unsigned char)race_urgent_writes);
	struct calf_meminfo after = suite_meminfo();
	/* The writer's pages were copied after most forks, the urgent one's now and then. */
	EXPECT(race_passes >= RACE_ROUNDS && race_urgent_writes > 10);
	EXPECT(after.cow_copies - before.cow_copies >= RACE_ROUNDS * RACE_PAGES / 2);
	printf("    %lu passes, %lu urgent writes, %lu copies\n", (unsigned long)race_passes,
	       (unsigned long)race_urgent_writes,
	       (unsigned long)(after.cow_copies - before.cow_copies));
	free(stacks);
	free(mem);
	return 0;
}

#define CASE(fn) { #fn, fn, NULL }
#define CASE_UNLESS(fn, why_not) { #fn, fn, why_not }

static const struct suite_case cases[] = {
	CASE(parent_write_after_fork),
	CASE(child_write_1mib_parent_unchanged),
	CASE(three_generations_own_pid),
	CASE(refork_before_writing),
	CASE(last_sharer_reuses_frame),
	CASE(untouched_table_is_taken_back_without_any_copy),
	CASE(brk_shrink_over_a_shared_table_keeps_the_other_side),
	CASE(stack_and_bss_copied),
	CASE(copyout_leaves_parent_unchanged),
	CASE(write_right_after_fork_no_yield),
	CASE(text_stays_read_only),
	CASE(null_dereference_killed),
	CASE_UNLESS(data_is_not_executable, arch_test_no_nx),
	CASE(jump_into_kernel_space_killed),
	CASE(undefined_instruction_sigill),
	CASE(privileged_instruction_killed),
	CASE_UNLESS(divide_error_sigfpe, arch_test_no_divide_trap),
	CASE_UNLESS(alignment_fault_sigbus, arch_test_no_align_fault),
	CASE(out_of_memory_kills_only_the_hog),
	CASE(fork_without_memory_fails_cleanly),
	CASE(table_split_out_of_memory_kills_only_the_faulting_task),
	CASE(fork_until_task_table_full),
	CASE(fork_exit_wait_1000_no_leak),
	CASE(kill_sets_signal_status),
	CASE(bad_arguments_return_errno),
	CASE(reaped_status_survives_bad_pointer),
	CASE(getppid_matches_parent),
	CASE(thread_shares_address_space),
	CASE(higher_priority_preempts_at_once),
	CASE(equal_priorities_share_the_cpu),
	CASE(heap_grows_on_demand),
	CASE(commit_counted_not_enforced),
	CASE(kbench_rejects_bad_op_and_count),
	CASE(kbench_bad_pointer_efault),
	CASE(kbench_leaves_free_frames_unchanged),
	CASE(registers_survive_page_faults),
	CASE(threads_fault_preempted_while_a_sibling_forks),
};

int main(void)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("cowtest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	printf("cowtest: %lu frames free\n", (unsigned long)suite_meminfo().free);
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, exit_at_once,
			  "no_frame_leaked_by_the_suite");
	return suite_end(&t);
}
