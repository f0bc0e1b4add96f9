/*
 * mmaptest.c - the on-target memory-map suite: anonymous mmap, private and
 * shared across fork, munmap splits, mprotect round trips, MAP_FIXED,
 * MAP_POPULATE, mlockall (no page fault counted afterwards), madvise
 * DONTNEED, msync, the POSIX errnos of bad input, the per-space region
 * limit, commit charges, and every frame back at the end.
 *
 * Each case runs in its own forked task (suite.h); a case that needs a
 * task to die of a fault forks once more and checks its wait status.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PAGE 4096u
#define SPIN_MAX 1000000 /* yields a waiting task gives before it gives up */

/* What the helper children of a case work on; set before they are forked. */
static volatile uint8_t *map;
static size_t map_len;

/* Page faults this task's address space has taken (calf_taskinfo's faults), or UINT32_MAX. */
static uint32_t my_faults(void)
{
	struct calf_taskinfo ti;
	int cursor = 0, me = getpid();
	while ((cursor = calf_taskinfo(cursor, &ti)) > 0)
		if (ti.pid == me)
			return ti.faults;
	return UINT32_MAX;
}

static volatile uint8_t *map_anon(size_t len, int prot, int flags)
{
	void *p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : (volatile uint8_t *)p;
}

/* Child helpers: each works on map and returns its exit status. */
static int write_first_byte(void)
{
	map[0] = 0x5A;
	return 0;
}

static int read_first_byte(void)
{
	return map[0] == 0x77 ? 0 : 1; /* reached only when the read did not fault */
}

static int read_middle_page(void)
{
	return map[PAGE] == 0 ? 0 : 1;
}

/* Wait for the parent's 7 in map[1], then answer 9 in map[2]: both sides see one frame. */
static int shared_answer(void)
{
	if (map[0] != 1)
		return 2; /* the value written before fork */
	for (int i = 0; i < SPIN_MAX && map[1] != 7; i++)
		sched_yield();
	if (map[1] != 7)
		return 3;
	map[2] = 9;
	return 0;
}

static int shared_map_writes_are_seen_both_ways_across_fork(void)
{
	EXPECT((map = map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_SHARED)) != NULL);
	map[0] = 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(shared_answer());
	EXPECT(pid > 0);
	map[1] = 7; /* after fork: the child sees it only if the frame is shared */
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status));
	EXPECT(map[2] == 9);
	EXPECT(munmap((void *)map, PAGE) == 0);
	return 0;
}

static int private_writes(void)
{
	if (map[0] != 1)
		return 2;
	map[0] = 2;
	return map[0] == 2 ? 0 : 3;
}

static int private_map_is_copy_on_write_across_fork(void)
{
	EXPECT((map = map_anon(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	map[0] = 1;
	EXPECT(suite_exited_ok(suite_run_child(private_writes)));
	EXPECT(map[0] == 1);
	EXPECT(munmap((void *)map, 4 * PAGE) == 0);
	return 0;
}

static int mprotect_read_only_write_kills_child_and_back_to_writable_works(void)
{
	EXPECT((map = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	map[0] = 0x77;
	EXPECT(mprotect((void *)map, PAGE, PROT_READ) == 0);
	EXPECT(suite_killed_by(suite_run_child(write_first_byte), SIGSEGV));
	EXPECT(map[0] == 0x77);
	map[PAGE] = 3; /* the other half of the split region stays writable */
	EXPECT(mprotect((void *)map, PAGE, PROT_READ | PROT_WRITE) == 0);
	map[0] = 0x78;
	EXPECT(map[0] == 0x78 && map[PAGE] == 3);
	EXPECT(munmap((void *)map, 2 * PAGE) == 0);
	return 0;
}

static int mprotect_none_refuses_reads_and_back_keeps_the_data(void)
{
	EXPECT((map = map_anon(PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	map[0] = 0x77;
	EXPECT(mprotect((void *)map, PAGE, PROT_NONE) == 0);
	EXPECT(suite_killed_by(suite_run_child(read_first_byte), SIGSEGV));
	EXPECT(mprotect((void *)map, PAGE, PROT_READ) == 0);
	EXPECT(suite_exited_ok(suite_run_child(read_first_byte)));
	EXPECT(mprotect((void *)map, PAGE, PROT_READ | PROT_WRITE) == 0);
	EXPECT(map[0] == 0x77);
	EXPECT(munmap((void *)map, PAGE) == 0);
	return 0;
}

/* The child of the round-trip case: wait for the parent's go, then check its pages are the old ones. */
static int child_sees_old_pages(int rd)
{
	char c;
	if (read(rd, &c, 1) != 1)
		return 2;
	for (size_t i = 0; i < map_len; i += PAGE)
		if (map[i] != 0xA1)
			return 3;
	return 0;
}

static int mprotect_round_trip_after_fork_does_not_leak_writes_into_child(void)
{
	map_len = 8 * PAGE;
	EXPECT((map = map_anon(map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	for (size_t i = 0; i < map_len; i += PAGE)
		map[i] = 0xA1;
	int fds[2];
	EXPECT(pipe(fds) == 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_sees_old_pages(fds[0]));
	EXPECT(pid > 0);
	/* Read-only and back while the child shares every frame: the writes must copy. */
	EXPECT(mprotect((void *)map, map_len, PROT_READ) == 0);
	EXPECT(mprotect((void *)map, map_len, PROT_READ | PROT_WRITE) == 0);
	for (size_t i = 0; i < map_len; i += PAGE)
		map[i] = 0xB2;
	EXPECT(write(fds[1], "g", 1) == 1);
	int status;
	EXPECT(waitpid(pid, &status, 0) == pid);
	EXPECT(suite_exited_ok(status));
	EXPECT(map[0] == 0xB2);
	close(fds[0]);
	close(fds[1]);
	EXPECT(munmap((void *)map, map_len) == 0);
	return 0;
}

static int munmap_of_the_middle_splits_ends_usable_middle_faults(void)
{
	EXPECT((map = map_anon(3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	map[0] = 1;
	map[2 * PAGE] = 3;
	EXPECT(munmap((void *)(map + PAGE), PAGE) == 0);
	EXPECT(suite_killed_by(suite_run_child(read_middle_page), SIGSEGV));
	EXPECT(map[0] == 1 && map[2 * PAGE] == 3);
	map[PAGE - 1] = 4;
	map[3 * PAGE - 1] = 5;
	EXPECT(munmap((void *)map, PAGE) == 0);
	EXPECT(munmap((void *)(map + 2 * PAGE), PAGE) == 0);
	EXPECT(munmap((void *)map, 3 * PAGE) == 0); /* nothing left there: still fine (POSIX) */
	return 0;
}

static int map_fixed_replaces_the_old_pages_with_zeroes(void)
{
	EXPECT((map = map_anon(2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	map[0] = 1;
	map[PAGE] = 2;
	void *p = mmap((void *)map, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	EXPECT(p == (void *)map);
	EXPECT(map[0] == 0 && map[PAGE] == 2);
	EXPECT(munmap((void *)map, 2 * PAGE) == 0);
	return 0;
}

static int map_populate_takes_no_fault_on_touch(void)
{
	map = NULL; /* the global's page, copy-on-write since fork, is this task's own first */
	my_faults(); /* and its own stack pages */
	uint32_t before = my_faults();
	EXPECT((map = map_anon(16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE)) != NULL);
	for (size_t i = 0; i < 16 * PAGE; i += PAGE)
		map[i] = (uint8_t)i;
	EXPECT(my_faults() == before);
	/* Without it, each first touch is a fault: the counter does count. */
	volatile uint8_t *lazy = map_anon(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	EXPECT(lazy != NULL);
	for (size_t i = 0; i < 4 * PAGE; i += PAGE)
		lazy[i] = 1;
	EXPECT(my_faults() == before + 4);
	EXPECT(munmap((void *)map, 16 * PAGE) == 0 && munmap((void *)lazy, 4 * PAGE) == 0);
	return 0;
}

/* Touch n bytes of stack a page apart, below this frame. */
static __attribute__((noinline)) void touch_stack(size_t n)
{
	volatile uint8_t buf[64 * 1024];
	for (size_t i = 0; i < n && i < sizeof(buf); i += PAGE)
		buf[i] = (uint8_t)i;
}

static int mlockall_then_no_page_fault_counted(void)
{
	volatile uint8_t *before_map = map_anon(8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	EXPECT(before_map != NULL);
	EXPECT(mlockall(MCL_CURRENT | MCL_FUTURE) == 0);
	uint32_t before = my_faults();
	/* Stack, pages shared with the parent since fork, a map from before, heap and maps after. */
	touch_stack(64 * 1024);
	for (size_t i = 0; i < 8 * PAGE; i += PAGE)
		before_map[i] = 1;
	volatile uint8_t *heap = malloc(64 * 1024);
	EXPECT(heap != NULL);
	for (size_t i = 0; i < 64 * 1024; i += PAGE)
		heap[i] = 2;
	volatile uint8_t *after_map = map_anon(8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	EXPECT(after_map != NULL);
	for (size_t i = 0; i < 8 * PAGE; i += PAGE)
		after_map[i] = 3;
	uint32_t after = my_faults();
	EXPECT(munlockall() == 0);
	if (after != before)
		printf("    %lu faults after mlockall\n", (unsigned long)(after - before));
	EXPECT(after == before);
	return 0;
}

static int mlock_of_a_range_prefaults_it(void)
{
	EXPECT((map = map_anon(8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE)) != NULL);
	EXPECT(mlock((const void *)(map + 2 * PAGE), 4 * PAGE) == 0);
	uint32_t before = my_faults();
	for (size_t i = 2 * PAGE; i < 6 * PAGE; i += PAGE)
		map[i] = 1;
	EXPECT(my_faults() == before);
	EXPECT(madvise((void *)map, 8 * PAGE, MADV_DONTNEED) == -1 && errno == EINVAL); /* locked */
	EXPECT(munlock((const void *)(map + 2 * PAGE), 4 * PAGE) == 0);
	EXPECT(madvise((void *)map, 8 * PAGE, MADV_DONTNEED) == 0);
	EXPECT(munmap((void *)map, 8 * PAGE) == 0);
	return 0;
}

static int madvise_dontneed_zeroes_private_and_keeps_shared(void)
{
	volatile uint8_t *priv = map_anon(4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	volatile uint8_t *shr = map_anon(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
	EXPECT(priv != NULL && shr != NULL);
	uint32_t free0 = suite_meminfo().free;
	for (size_t i = 0; i < 4 * PAGE; i += PAGE) {
		priv[i] = 0x11;
		shr[i] = 0x22;
	}
	EXPECT(suite_meminfo().free == free0 - 4); /* the shared frames were there from the start */
	EXPECT(madvise((void *)priv, 4 * PAGE, MADV_DONTNEED) == 0);
	EXPECT(suite_meminfo().free == free0);
	EXPECT(madvise((void *)shr, 4 * PAGE, MADV_DONTNEED) == 0);
	for (size_t i = 0; i < 4 * PAGE; i += PAGE)
		EXPECT(priv[i] == 0 && shr[i] == 0x22);
	EXPECT(munmap((void *)priv, 4 * PAGE) == 0 && munmap((void *)shr, 4 * PAGE) == 0);
	return 0;
}

/* True when call gave -1 with errno e. */
static bool fails_with(int r, int e)
{
	return r == -1 && errno == e;
}

static bool map_fails_with(void *p, int e)
{
	return p == MAP_FAILED && errno == e;
}

static int bad_input_gets_the_posix_errnos(void)
{
	const int rw = PROT_READ | PROT_WRITE, pa = MAP_PRIVATE | MAP_ANONYMOUS;
	EXPECT(map_fails_with(mmap(NULL, 0, rw, pa, -1, 0), EINVAL));               /* zero length */
	EXPECT(map_fails_with(mmap(NULL, (size_t)-100, rw, pa, -1, 0), ENOMEM));    /* wraps */
	EXPECT(map_fails_with(mmap(NULL, PAGE, 0x10, pa, -1, 0), EINVAL));          /* unknown prot */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, pa | 0x100000, -1, 0), EINVAL)); /* unknown flag */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, MAP_ANONYMOUS, -1, 0), EINVAL)); /* neither */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, pa | MAP_SHARED, -1, 0), EINVAL)); /* both */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, pa, 0, 0), EINVAL));     /* anonymous with an fd */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, pa, -1, PAGE), EINVAL)); /* anonymous with an offset */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, MAP_PRIVATE, 0, 0), ENODEV)); /* a file */
	EXPECT(map_fails_with(mmap(NULL, PAGE, rw, MAP_PRIVATE, -1, 0), EBADF));
	EXPECT(map_fails_with(mmap((void *)(uintptr_t)(PAGE + 1), PAGE, rw, pa | MAP_FIXED, -1, 0), EINVAL));
	/*
	 * The kernel: above user space on armv7 (which ends at 1 GiB), below it
	 * on i386 (which starts there); MAP_FIXED over it, or across the border.
	 */
	bool low_user = (uintptr_t)&map < 0x40000000u;
	uintptr_t kernel = low_user ? 0x40000000u : 0x00100000u;
	uintptr_t border = 0x40000000u - PAGE; /* the last user page on armv7, the last kernel one on i386 */
	EXPECT(map_fails_with(mmap((void *)0xC0000000u, PAGE, rw, pa | MAP_FIXED, -1, 0), ENOMEM));
	EXPECT(map_fails_with(mmap((void *)kernel, PAGE, rw, pa | MAP_FIXED, -1, 0), ENOMEM));
	EXPECT(map_fails_with(mmap((void *)border, 2 * PAGE, rw, pa | MAP_FIXED, -1, 0), ENOMEM));
	EXPECT(fails_with(munmap((void *)kernel, PAGE), EINVAL));
	EXPECT(fails_with(munmap((void *)(uintptr_t)(PAGE + 1), PAGE), EINVAL));
	EXPECT(fails_with(munmap((void *)0x40000000u, 0), EINVAL));
	EXPECT(fails_with(munmap((void *)0xC0000000u, PAGE), EINVAL));
	EXPECT(fails_with(mprotect((void *)0xC0000000u, PAGE, PROT_READ), ENOMEM));
	EXPECT(fails_with(mprotect((void *)(uintptr_t)(PAGE + 1), PAGE, PROT_READ), EINVAL));
	EXPECT((map = map_anon(PAGE, rw, MAP_PRIVATE)) != NULL);
	EXPECT(fails_with(mprotect((void *)map, PAGE, 0x10), EINVAL));
	EXPECT(fails_with(mprotect((void *)map, 2 * PAGE, PROT_READ), ENOMEM)); /* the guard page above */
	EXPECT(fails_with(msync((void *)map, PAGE, MS_SYNC | MS_ASYNC), EINVAL));
	EXPECT(fails_with(msync((void *)map, PAGE, 0x100), EINVAL));
	EXPECT(msync((void *)map, PAGE, MS_SYNC) == 0);
	EXPECT(fails_with(mlockall(0), EINVAL));
	EXPECT(fails_with(mlockall(0x10), EINVAL));
	EXPECT(fails_with(madvise((void *)map, PAGE, 99), EINVAL));
	EXPECT(posix_madvise((void *)map, PAGE, 99) == EINVAL);
	EXPECT(munmap((void *)map, PAGE) == 0);
	EXPECT(fails_with(msync((void *)map, PAGE, MS_SYNC), ENOMEM)); /* not mapped any more */
	EXPECT(fails_with(mlock((const void *)map, PAGE), ENOMEM));
	return 0;
}

static int mappings_up_to_the_limit_then_enomem(void)
{
	static void *maps[128];
	int n = 0;
	void *p;
	while (n < 128 && (p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				    -1, 0)) != MAP_FAILED)
		maps[n++] = p;
	int err = errno;
	printf("    %d maps before ENOMEM\n", n);
	for (int i = 0; i < n; i++)
		EXPECT(munmap(maps[i], PAGE) == 0);
	EXPECT(n < 128 && err == ENOMEM);
	EXPECT(n >= 64 - 8); /* VM_REGION_MAX less the program's own regions */
	return 0;
}

static int private_writable_map_is_charged_noreserve_not(void)
{
	struct calf_meminfo m0 = suite_meminfo();
	volatile uint8_t *p = map_anon(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE);
	EXPECT(p != NULL);
	uint32_t charged = suite_meminfo().committed - m0.committed;
	EXPECT(charged >= 64 && charged <= 65); /* its pages, maybe a table */
	EXPECT(munmap((void *)p, 64 * PAGE) == 0);
	EXPECT(suite_meminfo().committed == m0.committed);
	p = map_anon(64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_NORESERVE);
	EXPECT(p != NULL);
	charged = suite_meminfo().committed - m0.committed;
	EXPECT(m0.commit_strict ? charged >= 64 : charged <= 1); /* strict mode charges it anyway */
	EXPECT(munmap((void *)p, 64 * PAGE) == 0);
	EXPECT(suite_meminfo().committed == m0.committed);
	return 0;
}

/* Fork a child that waits on rd; return the committed count while it lives. */
static uint32_t committed_with_a_child(int fds[2])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		_exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
	}
	uint32_t c = suite_meminfo().committed;
	if (write(fds[1], "x", 1) != 1 || waitpid(pid, NULL, 0) != pid)
		return 0;
	return c;
}

static int shared_map_is_charged_once_not_per_fork(void)
{
	int fds[2];
	EXPECT(pipe(fds) == 0);
	uint32_t c0 = suite_meminfo().committed;
	uint32_t fork_cost = committed_with_a_child(fds) - c0;
	volatile uint8_t *s = map_anon(64 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED);
	EXPECT(s != NULL);
	uint32_t c1 = suite_meminfo().committed;
	EXPECT(c1 - c0 >= 64 && c1 - c0 <= 65);
	uint32_t fork_cost_shared = committed_with_a_child(fds) - c1;
	/* At most the table the map's span added to both spaces: never its pages again. */
	EXPECT(fork_cost_shared <= fork_cost + 1);
	EXPECT(munmap((void *)s, 64 * PAGE) == 0);
	EXPECT(suite_meminfo().committed == c0);
	close(fds[0]);
	close(fds[1]);
	return 0;
}

static int exit_at_once(void)
{
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(shared_map_writes_are_seen_both_ways_across_fork),
	SUITE_CASE(private_map_is_copy_on_write_across_fork),
	SUITE_CASE(mprotect_read_only_write_kills_child_and_back_to_writable_works),
	SUITE_CASE(mprotect_none_refuses_reads_and_back_keeps_the_data),
	SUITE_CASE(mprotect_round_trip_after_fork_does_not_leak_writes_into_child),
	SUITE_CASE(munmap_of_the_middle_splits_ends_usable_middle_faults),
	SUITE_CASE(map_fixed_replaces_the_old_pages_with_zeroes),
	SUITE_CASE(map_populate_takes_no_fault_on_touch),
	SUITE_CASE(mlockall_then_no_page_fault_counted),
	SUITE_CASE(mlock_of_a_range_prefaults_it),
	SUITE_CASE(madvise_dontneed_zeroes_private_and_keeps_shared),
	SUITE_CASE(bad_input_gets_the_posix_errnos),
	SUITE_CASE(mappings_up_to_the_limit_then_enomem),
	SUITE_CASE(private_writable_map_is_charged_noreserve_not),
	SUITE_CASE(shared_map_is_charged_once_not_per_fork),
};

int main(void)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("mmaptest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, exit_at_once,
			  "frames_and_charges_all_back_after_every_case");
	return suite_end(&t);
}
