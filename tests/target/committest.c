/*
 * committest.c - the on-target strict-commit suite. It runs as the first
 * task of an image linked in strict mode (calf-committest.elf, whatever
 * CALF_COMMIT says), so fork and brk are refused with ENOMEM when the frames
 * they would promise are not there, and no page fault may then run out of
 * memory.
 *
 * Each case runs in its own forked task; the suite prints PASS/FAIL per
 * case and "N passed, N failed", and exits with the number of failures.
 * The cases read the reserve from calf_meminfo: total - committed -
 * uncharged is what may still be promised.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>
#include "suite.h"

#define PAGE 4096u
#define MIB (1024u * 1024u)
#define TABLE_SPAN (4u * MIB) /* what one page table maps, on both ports */
#define KIDS_MAX 12

/* Frames that may still be promised. */
static uint32_t reserve_left(void)
{
	struct calf_meminfo mi = suite_meminfo();
	return mi.total - mi.committed - mi.uncharged;
}

/* The kernel's end of the heap (page aligned). */
static uintptr_t heap_end(void)
{
	return (uintptr_t)calf_syscall(CALF_SYS_brk, 0, 0, 0);
}

/*
 * Move the heap's end straight through the system call, bypassing newlib's
 * sbrk (each case is a forked child that restores it or exits). 0 or -errno.
 */
static int heap_set(uintptr_t end)
{
	int32_t r = calf_syscall(CALF_SYS_brk, (uint32_t)end, 0, 0);
	return r < 0 && r >= -4095 ? r : 0;
}

/* Page tables a heap ending at e0 needs more when it ends at e (the heap starts on a span). */
static uint32_t spans_added(uintptr_t e0, uintptr_t e)
{
	return (uint32_t)((e + TABLE_SPAN - 1) / TABLE_SPAN - (e0 + TABLE_SPAN - 1) / TABLE_SPAN);
}

/* The most pages the heap can grow from e0 with n frames to promise (pages plus tables). */
static uint32_t pages_fitting(uintptr_t e0, uint32_t n)
{
	uint32_t g = n;
	while (g > 0 && g + spans_added(e0, e0 + (uintptr_t)g * PAGE) > n)
		g--;
	return g;
}

/*
 * Touch 32 KiB of stack now, so that a window between two meminfo snapshots
 * fills or copies no stack page, and a forked child's calls below ours fill
 * none either.
 */
static __attribute__((noinline)) void stack_probe(void)
{
	volatile char deep[32 * 1024];
	for (size_t i = 0; i < sizeof(deep); i += PAGE)
		deep[i] = 0;
}

/* The heap starts on the first table span after the end of bss (the loader's layout). */
extern char end[];

/* Rewrite the heap's last byte as it is: a COW fault makes the table holding it ours. */
static void heap_own_last_table(void)
{
	uintptr_t start = ((uintptr_t)end + TABLE_SPAN - 1) & ~(uintptr_t)(TABLE_SPAN - 1);
	volatile uint8_t *last = (volatile uint8_t *)heap_end() - 1;
	if ((uintptr_t)last >= start)
		*last = *last;
}

/*
 * Every case's task makes its own copies of the stack, errno's page and the
 * heap's last table first (a brk shrink splits a shared one): the counts
 * then move only for what the case does.
 */
static void case_prologue(void)
{
	errno = 0;
	stack_probe();
	heap_own_last_table();
}

static int exit_at_once(void)
{
	return 0;
}

/* Sleep until a signal ends us. */
static _Noreturn void sleep_until_killed(void)
{
	for (;;)
		usleep(100000);
}

/* Write one byte in each page of [p, p + pages), then check them all. 0, or 1 if one differs. */
static int write_pages(volatile uint8_t *p, uint32_t pages, uint8_t v)
{
	for (uint32_t i = 0; i < pages; i++)
		p[(size_t)i * PAGE] = (uint8_t)(v + i);
	for (uint32_t i = 0; i < pages; i++)
		if (p[(size_t)i * PAGE] != (uint8_t)(v + i))
			return 1;
	return 0;
}

/* ---- the cases --------------------------------------------------------- */

static int strict_mode_is_on(void)
{
	struct calf_meminfo mi = suite_meminfo();
	EXPECT(mi.commit_strict == 1);
	EXPECT(mi.committed > 0 && mi.uncharged > 0); /* our spaces, the text of our app */
	EXPECT(mi.committed + mi.uncharged <= mi.total);
	EXPECT(mi.used <= mi.committed + mi.uncharged); /* every frame in use is accounted for */
	return 0;
}

static int brk_charges_growth_and_releases_shrink(void)
{
	uintptr_t e0 = heap_end();
	struct calf_meminfo m0 = suite_meminfo();
	uintptr_t e = e0 + 4 * MIB + 100 * PAGE; /* into at least one more table span */
	EXPECT(heap_set(e) == 0);
	struct calf_meminfo m1 = suite_meminfo();
	EXPECT(m1.committed - m0.committed == (e - e0) / PAGE + spans_added(e0, e));
	EXPECT(m1.free == m0.free); /* promised, not taken */
	EXPECT(heap_set(e0) == 0);
	struct calf_meminfo m2 = suite_meminfo();
	EXPECT(suite_meminfo_same(&m0, &m2));
	return 0;
}

static int brk_refused_past_the_limit(void)
{
	uintptr_t e0 = heap_end();
	uint32_t g = pages_fitting(e0, reserve_left());
	EXPECT(g > 1000);
	struct calf_meminfo before = suite_meminfo();
	EXPECT(heap_set(e0 + (uintptr_t)(g + 1) * PAGE) == -ENOMEM);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(suite_meminfo_same(&before, &after));
	EXPECT(heap_end() == e0);
	/* Exactly what fits: then every page of it can be written, none killed. */
	EXPECT(heap_set(e0 + (uintptr_t)g * PAGE) == 0);
	struct calf_meminfo full = suite_meminfo();
	EXPECT(full.committed + full.uncharged == full.total);
	EXPECT(write_pages((volatile uint8_t *)e0, g, 0x5A) == 0);
	struct calf_meminfo written = suite_meminfo();
	EXPECT(written.zero_fills - full.zero_fills >= g);
	EXPECT(heap_set(e0) == 0);
	struct calf_meminfo back = suite_meminfo();
	EXPECT(suite_meminfo_same(&before, &back));
	return 0;
}

/* Committed while a fork's child lives, minus before: what the child is charged. */
static int child_charge(uint32_t *charge)
{
	struct calf_meminfo m0 = suite_meminfo();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		sleep_until_killed();
	EXPECT(pid > 0);
	struct calf_meminfo m1 = suite_meminfo();
	*charge = m1.committed - m0.committed;
	int status;
	EXPECT(kill(pid, SIGTERM) == 0 && waitpid(pid, &status, 0) == pid);
	EXPECT(suite_killed_by(status, SIGTERM));
	struct calf_meminfo m2 = suite_meminfo();
	EXPECT(m2.committed == m0.committed && m2.uncharged == m0.uncharged);
	return 0;
}

/*
 * The price of strict commit, measured: a parent with a 16 MiB heap (every
 * page written) keeps 16 MiB more in reserve while its child lives.
 */
static int fork_charges_the_child_what_the_parent_is(void)
{
	uint32_t small, big;
	EXPECT(child_charge(&small) == 0);
	uintptr_t e0 = heap_end(), e = e0 + 16 * MIB;
	EXPECT(heap_set(e) == 0);
	EXPECT(write_pages((volatile uint8_t *)e0, 16 * MIB / PAGE, 1) == 0);
	struct calf_meminfo m = suite_meminfo();
	EXPECT(child_charge(&big) == 0);
	EXPECT(big - small == 16 * MIB / PAGE + spans_added(e0, e));
	printf("    16 MiB parent: committed %lu frames, %lu while its child lives (+%lu = %lu KiB); "
	       "free %lu of %lu, uncharged %lu\n",
	       (unsigned long)m.committed, (unsigned long)(m.committed + big), (unsigned long)big,
	       (unsigned long)big * (PAGE / 1024), (unsigned long)m.free, (unsigned long)m.total,
	       (unsigned long)m.uncharged);
	EXPECT(heap_set(e0) == 0);
	return 0;
}

static int fork_refused_when_the_reserve_is_short(void)
{
	uintptr_t e0 = heap_end();
	/* Half the reserve and a page: the child would need more than the other half. */
	uint32_t g = reserve_left() / 2 + 1;
	EXPECT(heap_set(e0 + (uintptr_t)g * PAGE) == 0);
	fflush(stdout); /* before the snapshot: it writes stdout's lock, in the heap */
	struct calf_meminfo before = suite_meminfo();
	errno = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	EXPECT(pid == -1 && errno == ENOMEM);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(suite_meminfo_same(&before, &after));
	/* Given back, the same fork fits. */
	EXPECT(heap_set(e0) == 0);
	EXPECT(suite_exited_ok(suite_run_child(exit_at_once)));
	return 0;
}

/*
 * The lowest page of our 256 KiB stack region, whose top is the end of user
 * space (a 4 MiB boundary on both ports). Nothing else ever reaches it, so
 * a child's first touch there is one zero fill: its "done" signal.
 */
static volatile uint8_t *stack_bottom(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	uintptr_t top = (sp + TABLE_SPAN - 1) & ~(uintptr_t)(TABLE_SPAN - 1);
	return (volatile uint8_t *)(top - 256 * 1024);
}

/* Children of a parent with pages heap pages at p: each writes all of them, then sleeps. */
static int fork_writers(volatile uint8_t *p, uint32_t pages, pid_t *kids, int *n)
{
	*n = 0;
	for (;;) {
		fflush(stdout);
		errno = 0;
		pid_t pid = fork();
		if (pid == 0) {
			if (write_pages(p, pages, (uint8_t)(0x40 + getpid())) != 0)
				_exit(2);
			*stack_bottom() = 1; /* done: the parent counts this zero fill */
			sleep_until_killed();
		}
		if (pid < 0)
			return errno;
		kids[(*n)++] = pid;
		if (*n == KIDS_MAX)
			return 0;
	}
}

/*
 * Wait until n children have each written all their pages and then touched
 * their stack bottom (one zero fill each), or one has died; true when all
 * got there. *dead_status gets a dead child's status.
 */
static bool writers_done(const struct calf_meminfo *m0, int n, uint32_t copies, int *dead_status)
{
	for (int i = 0; i < 2000; i++) {
		if (waitpid(-1, dead_status, WNOHANG) > 0)
			return false;
		struct calf_meminfo m = suite_meminfo();
		if (m.zero_fills - m0->zero_fills >= (uint32_t)n && m.cow_copies - m0->cow_copies >= copies)
			return true;
		usleep(10000);
	}
	return false;
}

static int children_write_every_page_and_none_is_killed(void)
{
	uintptr_t e0 = heap_end();
	/* A quarter of the reserve each: a few children fit, twelve would not. */
	uint32_t g = reserve_left() / 4;
	EXPECT(heap_set(e0 + (uintptr_t)g * PAGE) == 0);
	volatile uint8_t *p = (volatile uint8_t *)e0;
	EXPECT(write_pages(p, g, 7) == 0);
	stack_probe();
	struct calf_meminfo m0 = suite_meminfo();
	pid_t kids[KIDS_MAX];
	int n;
	int why = fork_writers(p, g, kids, &n);
	int dead = 0;
	bool done = writers_done(&m0, n, (uint32_t)n * g, &dead);
	/* The parent writes every page too: copies or reuses, never killed. */
	int mine = write_pages(p, g, 9);
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	int reaped_ok = 0;
	for (int i = 0; i < n; i++) {
		int status;
		if (waitpid(kids[i], &status, 0) == kids[i] && suite_killed_by(status, SIGTERM))
			reaped_ok++;
	}
	printf("    %d children of %lu pages each; the next fork: %s\n", n, (unsigned long)g,
	       why ? strerror(why) : "not tried");
	EXPECT(why == ENOMEM && n >= 2); /* refused before twelve, after a few fitted */
	EXPECT(done && dead == 0);       /* every child wrote every page... */
	EXPECT(reaped_ok == n);          /* ...and lived until we ended it */
	EXPECT(mine == 0);
	EXPECT(heap_set(e0) == 0);
	return 0;
}

static int kernel_buffers_cannot_take_promised_frames(void)
{
	uint64_t ns;
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1, &ns) == 0);
	uintptr_t e0 = heap_end();
	EXPECT(heap_set(e0 + (uintptr_t)pages_fitting(e0, reserve_left()) * PAGE) == 0);
	struct calf_meminfo full = suite_meminfo();
	EXPECT(full.committed + full.uncharged == full.total && full.free > 2);
	/* Its two frames would be uncharged: free ones there are, but every one is promised. */
	errno = 0;
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1, &ns) == -1 && errno == ENOMEM);
	struct calf_meminfo after = suite_meminfo();
	EXPECT(suite_meminfo_same(&full, &after));
	EXPECT(heap_set(e0) == 0);
	EXPECT(calf_kbench(CALF_KBENCH_ZERO_PAGE, 1, &ns) == 0);
	return 0;
}

static const struct suite_case cases[] = {
	SUITE_CASE(strict_mode_is_on),
	SUITE_CASE(brk_charges_growth_and_releases_shrink),
	SUITE_CASE(brk_refused_past_the_limit),
	SUITE_CASE(fork_charges_the_child_what_the_parent_is),
	SUITE_CASE(fork_refused_when_the_reserve_is_short),
	SUITE_CASE(children_write_every_page_and_none_is_killed),
	SUITE_CASE(kernel_buffers_cannot_take_promised_frames),
};

int main(void)
{
	struct suite_tally t = { 0 };
	/* The cases and suite_run_counted's leak check at the end. */
	printf("committest: %d cases\n", (int)(sizeof(cases) / sizeof(cases[0]) + 1));
	suite_child_prologue = case_prologue;
	struct calf_meminfo start = suite_meminfo();
	printf("committest: %lu frames, %lu committed, %lu uncharged, %lu free\n",
	       (unsigned long)start.total, (unsigned long)start.committed,
	       (unsigned long)start.uncharged, (unsigned long)start.free);
	suite_run_counted(cases, sizeof(cases) / sizeof(cases[0]), &t, exit_at_once,
			  "counts_restored_after_all_exit");
	return suite_end(&t);
}
