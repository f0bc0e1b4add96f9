/*
 * forkbench.c - what fork, exit, copy-on-write and the kernel's basic paths
 * cost, in guest instructions, with proof that the memory it claims to use
 * was really there.
 *
 * Every figure is a difference of calf_clock_ns() (a system call: each
 * interval includes one clock read, about a getpid round trip, which is not
 * subtracted). Run under QEMU with -icount shift=0,align=off,sleep=off
 * (./calf bench does) a virtual nanosecond is one guest instruction, so the
 * figures are instruction counts and repeat exactly. Results and what each
 * metric covers: docs/benchmarks.md.
 *
 * Output: a human-readable line per figure, followed by a machine-readable
 * "csv: METRIC,INSTRUCTIONS" line (integer, per unit, rounded to nearest);
 * "PASS what: ..." / "FAIL what: ..." for every check; last
 * "forkbench: done, every check passed" or "forkbench: FAILED ...", and the
 * exit status is 0 only in the first case.
 *
 * Each group of figures runs in its own task forked from main (a "stage"),
 * so it starts from the same small address space, the heap it builds is
 * fresh memory (never mapped before in that space), and everything it
 * maps is freed when it exits: main checks that the free frame count comes
 * back exactly.
 *
 * Residency. Buffers are written through a volatile pointer (one byte per
 * page, which is what makes a page resident), so the compiler must emit
 * every store; calf_meminfo() then shows that the writes did what the
 * figure claims: as many zero fills as pages and as many frames taken
 * (resident_heap), every page readable with its byte in a child after
 * fork with no zero fill (check_shared_at_fork), as many COW copies or
 * reuses as pages written
 * (bench_cow, bench_first_fault_shared_table). Any shortfall prints FAIL and
 * makes the exit status non-zero.
 *
 * Checked in the disassembly (arm-none-eabi-objdump -d
 * build/vexpress-a9/apps-bin/forkbench.elf; objdump -d
 * build/pc/apps-bin/forkbench.elf), GCC 12 -O2: touch() is inlined into
 * resident_heap, bench_cow and bench_thread_clone as a loop of one store per
 * page (Thumb-2 "strb r2, [r0, r3]; add.w r3, r3, #4096; cmp; bhi", i386
 * "movb $0x1, (%ecx); add $0x1000, %eax; cmp; jb"), and the single store of
 * bench_first_fault_shared_table sits between its two calf_clock_ns calls
 * ("strb r3, [r5]", "movb $0x2, (%esi)"). The old version's memset of a
 * buffer that was freed without being read had been dropped by GCC, so its
 * "resident heap" was never touched.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <calf.h>

#define PAGE 4096u
#define KIB 1024u
#define MIB (1024u * 1024u)
/* The span of one second-level table on either arch (PMAP_TABLE_SPAN: 4 MiB on both). */
#define TABLE_SPAN (4u * MIB)
/* Stack pages a timed loop may touch besides the buffer (a deeper call). */
#define STACK_SLACK 2u

static int failures; /* checks failed in this task */

static bool __attribute__((format(printf, 4, 5)))
verdict(bool quiet, bool ok, const char *what, const char *fmt, ...)
{
	if (!ok || !quiet) {
		va_list ap;
		va_start(ap, fmt);
		printf("%s %s: ", ok ? "PASS" : "FAIL", what);
		vprintf(fmt, ap);
		printf("\n");
		va_end(ap);
	}
	if (!ok)
		failures++;
	return ok;
}

/* check(ok, what, fmt, ...): a check the figures rest on, PASS or FAIL always printed. */
#define check(...) verdict(false, __VA_ARGS__)
/* require(ok, what, fmt, ...): a precondition (a call succeeded...), printed only as FAIL. */
#define require(...) verdict(true, __VA_ARGS__)

/* One figure: total over count units, rounded to the nearest instruction. */
static void metric(const char *name, const char *what, uint64_t total, unsigned count,
		   const char *unit)
{
	unsigned long v = (unsigned long)((total + count / 2) / count);
	printf("  %-52s %10lu  per %s\n", what, v, unit);
	printf("csv: %s,%lu\n", name, v);
}

static struct calf_meminfo snap(void)
{
	struct calf_meminfo mi = { 0 };
	if (calf_meminfo(&mi) != 0)
		require(false, "calf_meminfo", "the call failed");
	return mi;
}

/* Reap pid; true when it exited with status 0. */
static bool reap(pid_t pid)
{
	int status;
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* Write v to one byte of every page of [buf, buf + size): stores the compiler must keep. */
static void touch(volatile unsigned char *buf, size_t size, unsigned char v)
{
	for (size_t i = 0; i < size; i += PAGE)
		buf[i] = v;
}

static uint64_t timed_touch(volatile unsigned char *buf, size_t size, unsigned char v)
{
	uint64_t t0 = calf_clock_ns();
	touch(buf, size, v);
	return calf_clock_ns() - t0;
}

/*
 * Make this task's stack pages and the calls' own pages private before a
 * counted interval (a forked task copies them at its first write), so the
 * counters that follow count the buffer only.
 */
static void settle(void)
{
	snap();
	calf_clock_ns();
	snap();
}

/* size bytes of fresh heap, page aligned; NULL (after a FAIL) when there is no room. */
static volatile unsigned char *fresh_heap(const char *what, size_t size)
{
	unsigned pages = size / PAGE;
	/* The frames, the page tables of this space and a child's, and some slack. */
	unsigned need = pages + pages / 64 + 64;
	struct calf_meminfo mi = snap();
	if (!require(mi.free >= need, what, "%u KiB of heap needs about %u free frames; %lu of %lu are free",
		   (unsigned)(size / KIB), need, (unsigned long)mi.free, (unsigned long)mi.total))
		return NULL;
	/* One page more, so the buffer starts on a page no one has touched. */
	unsigned char *raw = malloc(size + PAGE);
	if (!require(raw != NULL, what, "malloc(%u KiB)", (unsigned)(size / KIB)))
		return NULL;
	return (volatile unsigned char *)(((uintptr_t)raw + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
}

/*
 * Fork once, untimed: the child reads one byte of every page, which must
 * hold what the parent wrote, with no zero fill: the heap is mapped in both
 * spaces (through the page tables fork shares, so no frame count moves).
 * It is also the warm-up round for what follows.
 */
static void check_shared_at_fork(const char *what, volatile unsigned char *buf, unsigned pages)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct calf_meminfo m0 = { 0 }, m1 = { 0 };
		calf_meminfo(&m0);
		unsigned bad = 0;
		for (unsigned i = 0; i < pages; i++)
			bad += buf[i * PAGE] != 1;
		calf_meminfo(&m1);
		_exit(bad == 0 && m1.zero_fills == m0.zero_fills ? 0 : 3);
	}
	verdict(pages == 0, reap(pid), what,
		"a child reads all %u pages as the parent wrote them, with no zero fill", pages);
}

/*
 * Give this task size bytes of fresh heap (none for 0) in *buf with every
 * page written, checked resident (one zero fill and one frame per page) and
 * shared at fork. False after a FAIL.
 */
static bool resident_heap(const char *what, size_t size, volatile unsigned char **buf)
{
	unsigned pages = size / PAGE;
	*buf = NULL;
	if (size > 0) {
		settle();
		struct calf_meminfo m0 = snap();
		*buf = fresh_heap(what, size);
		if (!*buf)
			return false;
		touch(*buf, size, 1);
		struct calf_meminfo m1 = snap();
		uint32_t fills = m1.zero_fills - m0.zero_fills, taken = m0.free - m1.free;
		if (!check(fills >= pages && taken >= pages, what,
			   "%u pages written: %lu zero fills, %lu frames taken", pages,
			   (unsigned long)fills, (unsigned long)taken))
			return false;
	}
	check_shared_at_fork(what, *buf, pages);
	return true;
}

/* ---- the stages --------------------------------------------------------- */

struct stage {
	const char *name;   /* the metric, or the group of metrics */
	void (*run)(const struct stage *st);
	size_t heap;        /* bytes of resident heap the stage's task builds */
	unsigned rounds;
};

static void bench_getpid(const struct stage *st)
{
	getpid();
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < st->rounds; i++)
		getpid();
	metric(st->name, "getpid() round trip", calf_clock_ns() - t0, st->rounds, "call");
}

/* fork + the child's _exit(0) at once + waitpid, with st->heap resident in the parent. */
/* Time st->rounds of fork + the child's _exit(0) + waitpid and report them as what. */
static void fork_exit_rounds(const struct stage *st, const char *what)
{
	unsigned bad = 0;
	struct calf_meminfo m0 = snap();
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < st->rounds; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		bad += !reap(pid);
	}
	uint64_t t = calf_clock_ns() - t0;
	struct calf_meminfo m1 = snap();
	require(bad == 0, st->name, "%u of %u children exited with 0", st->rounds - bad, st->rounds);
	check(m1.free == m0.free, st->name, "no frame lost over the rounds (%lu free before, %lu after)",
	      (unsigned long)m0.free, (unsigned long)m1.free);
	metric(st->name, what, t, st->rounds, "round");
}

static void bench_fork_exit_wait(const struct stage *st)
{
	volatile unsigned char *buf;
	if (!resident_heap(st->name, st->heap, &buf))
		return;
	char what[64];
	snprintf(what, sizeof(what), "fork + exit + waitpid, %lu KiB resident heap",
		 (unsigned long)(st->heap / KIB));
	fork_exit_rounds(st, what);
}

/*
 * The same rounds with a 512 MiB heap region of which only st->heap bytes
 * were ever written: fork must cost what the written part costs, not the
 * region (the host case clone_cost_does_not_grow_with_untouched_memory
 * checks the same on the mm core).
 */
static void bench_fork_exit_wait_sparse(const struct stage *st)
{
	const size_t region = 512 * MIB;
	unsigned pages = st->heap / PAGE;
	settle();
	struct calf_meminfo m0 = snap();
	volatile unsigned char *buf = sbrk(region);
	if (!require(buf != (void *)-1, st->name, "sbrk(512 MiB)"))
		return;
	touch(buf, st->heap, 1);
	struct calf_meminfo m1 = snap();
	uint32_t fills = m1.zero_fills - m0.zero_fills, taken = m0.free - m1.free;
	if (!check(fills >= pages && fills <= pages + STACK_SLACK && taken >= pages &&
		   taken <= pages + STACK_SLACK + 2, st->name,
		   "512 MiB heap region, %u pages written: %lu zero fills, %lu frames taken", pages,
		   (unsigned long)fills, (unsigned long)taken))
		return;
	check_shared_at_fork(st->name, buf, pages);
	fork_exit_rounds(st, "fork + exit + waitpid, 64 KiB written of a 512 MiB heap");
}

/* What a child execs: this program again, told to exit at once (main). */
#define EXEC_SELF "/bin/forkbench"
#define EXEC_EXIT_ARG "--exit"
#define EXEC_EXIT_STATUS 7 /* the new program's status: a child whose exec failed exits 99 */

/*
 * fork + execve of a small program (this one, 70 KiB of ELF: its text is
 * loaded, its data, bss and stack set up, argv and envp copied) + its exit
 * + waitpid, from a parent with nothing resident beyond its own image.
 */
static void bench_fork_exec_exit_wait(const struct stage *st)
{
	char *argv[] = { "forkbench", EXEC_EXIT_ARG, NULL };
	unsigned bad = 0;
	struct calf_meminfo m0 = { 0 };
	uint64_t t0 = 0;
	/* Round 0 is not counted: it makes the pages and tables this loop touches private (settle). */
	for (unsigned i = 0; i <= st->rounds; i++) {
		if (i == 1) {
			m0 = snap();
			t0 = calf_clock_ns();
		}
		pid_t pid = fork();
		if (pid == 0) {
			execve(EXEC_SELF, argv, environ);
			_exit(99);
		}
		int status;
		bad += !(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			 WEXITSTATUS(status) == EXEC_EXIT_STATUS);
	}
	uint64_t t = calf_clock_ns() - t0;
	struct calf_meminfo m1 = snap();
	check(bad == 0, st->name, "%u of %u children ran the new program to its end",
	      st->rounds - bad, st->rounds);
	check(m1.free == m0.free && m1.committed == m0.committed && m1.uncharged == m0.uncharged,
	      st->name, "no frame or charge lost over the rounds (%lu free before, %lu after)",
	      (unsigned long)m0.free, (unsigned long)m1.free);
	metric(st->name, "fork + execve + exit + waitpid of a small program", t, st->rounds, "round");
}

/* The same round cut in two: the parent's fork(), then its waitpid() while the child exits. */
static void bench_fork_exit_split(const struct stage *st)
{
	volatile unsigned char *buf;
	if (!resident_heap(st->name, st->heap, &buf))
		return;
	uint64_t fork_ns = 0, wait_ns = 0;
	unsigned bad = 0;
	for (unsigned i = 0; i < st->rounds; i++) {
		uint64_t t0 = calf_clock_ns();
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		uint64_t t1 = calf_clock_ns();
		bad += !reap(pid);
		uint64_t t2 = calf_clock_ns();
		fork_ns += t1 - t0;
		wait_ns += t2 - t1;
	}
	require(bad == 0, st->name, "%u of %u children exited with 0", st->rounds - bad, st->rounds);
	metric("fork_16m", "fork() in the parent, 16 MiB resident", fork_ns, st->rounds, "fork");
	metric("exit_16m", "waitpid() while the child exits (2 switches)", wait_ns, st->rounds,
	       "exit");
}

/* Zero fill, then COW copy in a child, then COW reuse once the child is gone. */
static void bench_cow(const struct stage *st)
{
	unsigned pages = st->heap / PAGE;
	settle();
	struct calf_meminfo m0 = snap();
	volatile unsigned char *buf = fresh_heap("zero_fill_fault", st->heap);
	if (!buf)
		return;
	uint64_t t = timed_touch(buf, st->heap, 1);
	struct calf_meminfo m1 = snap();
	uint32_t n = m1.zero_fills - m0.zero_fills, taken = m0.free - m1.free;
	check(n >= pages && n <= pages + STACK_SLACK && taken >= pages, "zero_fill_fault",
	      "%u pages written: %lu zero fills, %lu frames taken", pages, (unsigned long)n,
	      (unsigned long)taken);
	metric("zero_fill_fault", "first write to a fresh heap page (zero fill)", t, pages, "page");

	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* The parent still maps every page: each write copies. */
		settle();
		struct calf_meminfo c0 = snap();
		uint64_t tc = timed_touch(buf, st->heap, 2);
		struct calf_meminfo c1 = snap();
		uint32_t copies = c1.cow_copies - c0.cow_copies;
		check(copies >= pages && copies <= pages + STACK_SLACK, "cow_fault_copy",
		      "%u shared pages written: %lu copies", pages, (unsigned long)copies);
		metric("cow_fault_copy", "write to a page shared after fork (COW copy)", tc, pages,
		       "page");
		fflush(stdout);
		_exit(failures);
	}
	require(reap(pid), "cow_fault_copy", "the child's checks passed");
	unsigned changed = 0;
	for (size_t i = 0; i < st->heap; i += PAGE)
		changed += buf[i] != 1;
	check(changed == 0, "cow_fault_copy", "%u of the parent's pages changed by the child", changed);

	/* The child has gone: this space is the last sharer, each write reuses. */
	settle();
	struct calf_meminfo r0 = snap();
	t = timed_touch(buf, st->heap, 3);
	struct calf_meminfo r1 = snap();
	uint32_t reuses = r1.cow_reuses - r0.cow_reuses, copies = r1.cow_copies - r0.cow_copies;
	check(reuses >= pages && reuses <= pages + STACK_SLACK && copies == 0, "cow_fault_reuse",
	      "%u pages written: %lu reuses, %lu copies", pages, (unsigned long)reuses,
	      (unsigned long)copies);
	metric("cow_fault_reuse", "write after the sharer exited (COW reuse, no copy)", t, pages,
	       "page");
}

/* The kernel's bare page routines, timed inside the kernel (CALF_SYS_kbench). */
static void bench_kernel_routines(const struct stage *st)
{
	static const struct {
		int op;
		const char *name, *what;
	} ops[] = {
		{ CALF_KBENCH_COPY_PAGE, "copy_page", "pmap_copy_page() alone, in the kernel" },
		{ CALF_KBENCH_ZERO_PAGE, "zero_page", "pmap_zero_page() alone, in the kernel" },
	};
	const unsigned per_call = CALF_KBENCH_MAX_ITERATIONS;
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		uint64_t ns = 0, total = 0;
		unsigned bad = calf_kbench(ops[k].op, 1, &ns) != 0; /* warm-up */
		for (unsigned i = 0; i < st->rounds; i++) {
			bad += calf_kbench(ops[k].op, per_call, &ns) != 0;
			total += ns;
		}
		if (require(bad == 0, ops[k].name, "calf_kbench succeeded %u times", st->rounds + 1))
			metric(ops[k].name, ops[k].what, total, st->rounds * per_call, "page");
	}
}

/* sched_yield() ping-pong between two tasks of the same priority. */
static void bench_task_switch(const struct stage *st)
{
	const unsigned warm = 10;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		/* Outlive the parent's timed loop: it always has someone to switch to. */
		for (unsigned i = 0; i < st->rounds + 2 * warm; i++)
			sched_yield();
		_exit(0);
	}
	for (unsigned i = 0; i < warm; i++)
		sched_yield();
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < st->rounds; i++)
		sched_yield(); /* to the child and back: two switches */
	uint64_t t = calf_clock_ns() - t0;
	require(reap(pid), st->name, "the yielding child exited with 0");
	metric(st->name, "sched_yield() between two tasks", t, 2 * st->rounds, "switch");
}

static int thread_returns(void *arg)
{
	(void)arg;
	return 0;
}

/* calf_thread_spawn of a thread that returns at once, and waitpid for it. */
static void bench_thread_clone(const struct stage *st)
{
	const size_t stack_size = 16 * KIB;
	volatile unsigned char *stack = malloc(stack_size);
	if (!require(stack != NULL, st->name, "malloc(%u) for the thread's stack", (unsigned)stack_size))
		return;
	touch(stack, stack_size, 0); /* resident: no zero fill inside the timed rounds */
	void *top = (void *)(uintptr_t)(stack + stack_size);
	unsigned bad = !reap(calf_thread_spawn(thread_returns, NULL, top)); /* warm-up */
	uint64_t t0 = calf_clock_ns();
	for (unsigned i = 0; i < st->rounds; i++)
		bad += !reap(calf_thread_spawn(thread_returns, NULL, top));
	uint64_t t = calf_clock_ns() - t0;
	require(bad == 0, st->name, "%u threads spawned and reaped with status 0", st->rounds + 1);
	metric(st->name, "thread spawn + return + waitpid", t, st->rounds, "round");
}

/*
 * The first write fault in a child on a page of a big shared heap, in a
 * TABLE_SPAN-aligned stretch (one whole second-level table on both arches,
 * every entry valid) the child has not touched; the interval is reported
 * raw (minus nothing). It copies the shared table (1024 entries, each
 * frame referenced once more), then copies the page.
 */
static void bench_first_fault_shared_table(const struct stage *st)
{
	volatile unsigned char *buf;
	if (!resident_heap(st->name, st->heap, &buf))
		return;
	uintptr_t start = ((uintptr_t)buf + TABLE_SPAN - 1) & ~(uintptr_t)(TABLE_SPAN - 1);
	if (!require(start + TABLE_SPAN <= (uintptr_t)buf + st->heap, st->name,
		   "a %u MiB-aligned table inside the heap", TABLE_SPAN / MIB))
		return;
	volatile unsigned char *target = (volatile unsigned char *)start;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		settle();
		struct calf_meminfo c0 = snap();
		uint64_t t0 = calf_clock_ns();
		*target = 2;
		uint64_t t = calf_clock_ns() - t0;
		struct calf_meminfo c1 = snap();
		uint32_t copies = c1.cow_copies - c0.cow_copies;
		uint32_t tables = c1.table_copies - c0.table_copies;
		check(copies >= 1 && copies <= 1 + STACK_SLACK, st->name,
		      "one shared page written: %lu copies", (unsigned long)copies);
		check(tables == 1, st->name, "its shared page table copied once: %lu table copies",
		      (unsigned long)tables);
		metric(st->name, "first write fault in an untouched shared table", t, 1, "fault");
		fflush(stdout);
		_exit(failures);
	}
	require(reap(pid), st->name, "the child's checks passed");
	check(*target == 1, st->name, "the parent's page kept its byte");
}

static const struct stage stages[] = {
	{ "syscall_getpid", bench_getpid, 0, 1000 },
	{ "fork_exit_wait_0k", bench_fork_exit_wait, 0, 20 },
	{ "fork_exit_wait_64k", bench_fork_exit_wait, 64 * KIB, 20 },
	{ "fork_exit_wait_1m", bench_fork_exit_wait, 1 * MIB, 20 },
	{ "fork_exit_wait_16m", bench_fork_exit_wait, 16 * MIB, 10 },
	{ "fork_exit_wait_64m", bench_fork_exit_wait, 64 * MIB, 5 },
	{ "fork_exit_wait_64k_of_512m", bench_fork_exit_wait_sparse, 64 * KIB, 20 },
	{ "fork_16m+exit_16m", bench_fork_exit_split, 16 * MIB, 10 },
	{ "fork_exec_exit_wait", bench_fork_exec_exit_wait, 0, 20 },
	{ "cow", bench_cow, 1 * MIB, 1 },
	{ "copy_page+zero_page", bench_kernel_routines, 0, 4 },
	{ "task_switch", bench_task_switch, 0, 1000 },
	{ "thread_clone", bench_thread_clone, 0, 100 },
	{ "first_fault_shared_table", bench_first_fault_shared_table, 16 * MIB, 1 },
};

/* Run st in a task of its own; returns its failed checks (and main's about it). */
static int run_stage(const struct stage *st)
{
	int before_failures = failures;
	struct calf_meminfo before = snap();
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		st->run(st);
		fflush(stdout);
		_exit(failures < 100 ? failures : 100);
	}
	int status = -1, stage_failures = 0;
	if (!require(pid > 0 && waitpid(pid, &status, 0) == pid, st->name, "the stage's task ran"))
		return failures - before_failures;
	if (WIFSIGNALED(status))
		require(false, st->name, "the stage's task was killed by signal %d", WTERMSIG(status));
	else
		stage_failures = WEXITSTATUS(status);
	struct calf_meminfo after = snap();
	check(after.free == before.free, st->name, "every frame back when the stage ended (%lu free, then %lu)",
	      (unsigned long)before.free, (unsigned long)after.free);
	return stage_failures + failures - before_failures;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], EXEC_EXIT_ARG) == 0)
		return EXEC_EXIT_STATUS; /* exec'd by bench_fork_exec_exit_wait */
	struct calf_meminfo mi = snap();
	printf("forkbench: units are guest instructions (virtual ns under QEMU -icount shift=0); "
	       "%lu of %lu frames free\n",
	       (unsigned long)mi.free, (unsigned long)mi.total);
	int failed = 0;
	for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
		failed += run_stage(&stages[i]);
	if (failed) {
		printf("forkbench: FAILED, %d checks failed\n", failed);
		return 1;
	}
	printf("forkbench: done, every check passed\n");
	return 0;
}
