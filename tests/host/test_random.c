/*
 * test_random.c - long random sequences of clone, write, read, brk and exit
 * against a model of every task's memory, in both commit modes.
 *
 * Clones share page tables, so after every step: every byte the model knows
 * reads back through the pmap, every frame's count equals the number of
 * distinct page tables that map it across all live spaces (plus one for each
 * page-table and directory frame), every table's count equals the number of
 * spaces using it, and the free and shared counters agree with that census.
 * Commit accounting is checked against it too: each space is charged what
 * its regions call for, the committed total is the sum of the live charges,
 * the uncharged count is the number of distinct text frames, and every frame
 * in use is covered (used <= committed + uncharged).
 *
 * Overcommit: RAM is kept small and the page-table supply is cut now and
 * then, so COW faults and table splits run out of memory and their error
 * paths are walked too. Strict: no fault may ever fail for want of memory;
 * clone and brk are refused instead, leaving every count as it was, and
 * committed + uncharged never exceeds the frames there are. Odd seeds make
 * shared tables refuse reads as well (armv7's domains), even seeds only
 * writes (i386).
 *
 * Usage: test_random [--seed=N] [--steps=N] [case]   (CI uses the fixed defaults)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm/frame.h>
#include <mm/vm.h>
#include "harness.h"
#include "swpmap.h"

#define RAM_FRAMES 96u         /* overcommit: small, so faults run out */
#define RAM_FRAMES_STRICT 72u /* strict: the promises bind, and fills use every frame */
#define RAM_FRAMES_MAX RAM_FRAMES
#define TASKS_MAX 8
#define PAGES 24u           /* pages of the data region */
#define HEAP_PAGES 12u      /* most pages the heap grows to */
#define SLOTS 4u            /* model bytes per page */
#define BASE 0x00400000u    /* the data region crosses a table boundary here */
#define HEAP_BASE (0x00C00000u - 4 * PAGE_SIZE) /* and the heap one, 4 pages up */
#define TEXT 0x00010000u    /* read-only, loaded at creation, shares span 0 with data */
#define TEXT_PAGES 2u
#define SPANS 4u            /* table spans the regions touch: 0-1 data, 2-3 heap */
#define PAGE_VA(p) ((p) < PAGES ? BASE - 8 * PAGE_SIZE + (p) * PAGE_SIZE \
				: HEAP_BASE + ((p) - PAGES) * PAGE_SIZE)
#define SLOT_VA(p, s) (PAGE_VA(p) + (s) * (PAGE_SIZE / SLOTS))

_Static_assert(PAGE_VA(0) / PMAP_TABLE_SPAN == 0 && PAGE_VA(PAGES - 1) / PMAP_TABLE_SPAN == 1,
	       "the data region spans tables 0 and 1");
_Static_assert(HEAP_BASE / PMAP_TABLE_SPAN == 2, "the heap starts in table 2");

struct model_task {
	struct vmspace *vs;
	uint32_t heap_pages; /* the heap's end, in pages above HEAP_BASE */
	uint8_t mem[PAGES + HEAP_PAGES][SLOTS];
};

static struct model_task tasks[TASKS_MAX];
static int ntasks;
static unsigned long seed = 1, steps = 20000;
static uint64_t rng;
static bool strict;
static uint32_t ram_frames;
static struct {
	unsigned long clones, clone_fail, writes, write_oom, reads, read_oom, exits, splits;
	unsigned long brks, brk_fail, text_reads, fills;
	uint32_t least_free; /* the fewest free frames seen after a step */
} tally;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* The byte the loader put at offset i of text page p. */
static uint8_t text_byte(uint32_t p, uint32_t i)
{
	return (uint8_t)(0x7E ^ p ^ i);
}

/* Every count a refused call must leave as it was. */
struct counts {
	struct frame_stats fs;
	uint32_t tables;
};

static struct counts counts_take(void)
{
	struct counts c;
	frame_stats_get(&c.fs);
	c.tables = swpmap_tables_live();
	return c;
}

static void counts_check_same(const struct counts *a)
{
	struct counts b = counts_take();
	CHECK_EQ(b.fs.free, a->fs.free);
	CHECK_EQ(b.fs.used, a->fs.used);
	CHECK_EQ(b.fs.shared, a->fs.shared);
	CHECK_EQ(b.fs.committed, a->fs.committed);
	CHECK_EQ(b.fs.uncharged, a->fs.uncharged);
	CHECK_EQ(b.tables, a->tables);
}

/* Make task 0 as the loader would: text loaded, data region, empty heap. */
static void task_first(void)
{
	memset(&tasks[0], 0, sizeof(tasks[0]));
	struct vmspace *vs;
	CHECK_EQ(vm_space_create(&vs), 0);
	tasks[0].vs = vs;
	CHECK_EQ(vm_region_add(vs, TEXT, TEXT_PAGES * PAGE_SIZE, VM_PROT_READ | VM_PROT_EXEC, 0), 0);
	CHECK_EQ(vm_region_add(vs, PAGE_VA(0), PAGES * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, 0), 0);
	CHECK_EQ(vm_region_add(vs, HEAP_BASE, 0, VM_PROT_READ | VM_PROT_WRITE, VM_REGION_HEAP), 0);
	static uint8_t text[TEXT_PAGES * PAGE_SIZE];
	for (uint32_t i = 0; i < sizeof(text); i++)
		text[i] = text_byte(i / PAGE_SIZE, i % PAGE_SIZE);
	CHECK_EQ(vm_load(vs, TEXT, text, sizeof(text)), 0);
	ntasks = 1;
}

static void task_drop(int i)
{
	vm_space_release(tasks[i].vs);
	tasks[i] = tasks[--ntasks];
}

static void step_clone(int i)
{
	if (ntasks == TASKS_MAX)
		return;
	struct counts before = counts_take();
	struct vmspace *child;
	int err = vm_space_clone(tasks[i].vs, &child);
	if (err) {
		CHECK_EQ(err, -ENOMEM);
		counts_check_same(&before);
		tally.clone_fail++;
		return;
	}
	tasks[ntasks] = tasks[i];
	tasks[ntasks++].vs = child;
	tally.clones++;
}

/* Overcommit only: now and then, no table for a split or a first mapping. */
static void budget_maybe_cut(void)
{
	if (!strict && rnd(16) == 0)
		swpmap_table_budget(0);
}

/* A fault's error: out of memory kills the task (overcommit), never happens (strict). */
static bool fault_failed(int i, int err, unsigned long *oom)
{
	if (err == -ENOMEM && !strict) {
		(*oom)++;
		task_drop(i); /* the documented policy: the faulting task dies */
		return true;
	}
	CHECK(err == 0 || err == -EFAULT);
	return err != 0;
}

/* True when page p of task i lies inside its regions. */
static bool page_inside(int i, uint32_t p)
{
	return p < PAGES || p - PAGES < tasks[i].heap_pages;
}

static void step_write(int i)
{
	uint32_t p = rnd(PAGES + HEAP_PAGES), s = rnd(SLOTS);
	uint8_t v = (uint8_t)(1 + rnd(255));
	budget_maybe_cut();
	int err = swpmap_user_write(tasks[i].vs, SLOT_VA(p, s), v);
	swpmap_table_budget(-1);
	CHECK_EQ(err == -EFAULT, !page_inside(i, p));
	if (fault_failed(i, err, &tally.write_oom))
		return;
	tasks[i].mem[p][s] = v;
	tally.writes++;
}

/* Write one slot of every page inside task i's regions: the whole promise, if strict. */
static void step_fill(int i)
{
	uint8_t v = (uint8_t)(1 + rnd(255));
	uint32_t s = rnd(SLOTS);
	for (uint32_t p = 0; p < PAGES + tasks[i].heap_pages; p++) {
		budget_maybe_cut();
		int err = swpmap_user_write(tasks[i].vs, SLOT_VA(p, s), v);
		swpmap_table_budget(-1);
		if (fault_failed(i, err, &tally.write_oom))
			return;
		tasks[i].mem[p][s] = v;
	}
	tally.fills++;
}

static void step_read(int i)
{
	uint32_t p = rnd(PAGES + HEAP_PAGES), s = rnd(SLOTS);
	uint8_t v;
	budget_maybe_cut();
	int err = swpmap_user_read(tasks[i].vs, SLOT_VA(p, s), &v);
	swpmap_table_budget(-1);
	CHECK_EQ(err == -EFAULT, !page_inside(i, p));
	if (fault_failed(i, err, &tally.read_oom)) /* a read that needed a table split or a zero page */
		return;
	CHECK_EQ(v, tasks[i].mem[p][s]);
	tally.reads++;
}

static void step_read_text(int i)
{
	uint32_t p = rnd(TEXT_PAGES), off = rnd(PAGE_SIZE);
	uint8_t v;
	budget_maybe_cut();
	int err = swpmap_user_read(tasks[i].vs, TEXT + p * PAGE_SIZE + off, &v);
	swpmap_table_budget(-1);
	if (fault_failed(i, err, &tally.read_oom)) /* on armv7, text's shared table splits too */
		return;
	CHECK_EQ(v, text_byte(p, off));
	tally.text_reads++;
}

static void step_brk(int i)
{
	uint32_t n = rnd(HEAP_PAGES + 1);
	struct counts before = counts_take();
	budget_maybe_cut(); /* a shrink may need a split of a shared table */
	vaddr_t end;
	int err = vm_brk(tasks[i].vs, HEAP_BASE + n * PAGE_SIZE, &end);
	swpmap_table_budget(-1);
	if (err) {
		CHECK_EQ(err, -ENOMEM);
		/* Strict: a shrink's split is promised, only growth can be refused. */
		CHECK(!strict || n > tasks[i].heap_pages);
		counts_check_same(&before);
		CHECK_EQ(end, HEAP_BASE + tasks[i].heap_pages * PAGE_SIZE);
		tally.brk_fail++;
		return;
	}
	CHECK_EQ(end, HEAP_BASE + n * PAGE_SIZE);
	for (uint32_t p = PAGES + n; p < PAGES + tasks[i].heap_pages; p++)
		memset(tasks[i].mem[p], 0, SLOTS); /* given back: zero when it grows again */
	tasks[i].heap_pages = n;
	tally.brks++;
}

/* Add one to count[f] unless (f, table) was already counted. */
static void census_add(uint32_t *count, const void *seen[][TASKS_MAX], uint32_t f,
		       const void *table)
{
	for (uint32_t k = 0; k < count[f]; k++)
		if (seen[f][k] == table)
			return;
	seen[f][count[f]++] = table;
}

/*
 * Every table the spaces use must be counted once per space that uses it;
 * each distinct table's own frame adds one to census.
 */
static void check_table_counts(uint32_t *census)
{
	const void *tables[TASKS_MAX * SPANS];
	uint32_t ntables = 0;
	for (int t = 0; t < ntasks; t++) {
		for (vaddr_t va = 0; va < SPANS * PMAP_TABLE_SPAN; va += PMAP_TABLE_SPAN) {
			const void *table = swpmap_table_of(&tasks[t].vs->pmap, va);
			if (!table)
				continue;
			uint32_t users = 0;
			for (int u = 0; u < ntasks; u++)
				users += swpmap_table_of(&tasks[u].vs->pmap, va) == table;
			CHECK_EQ(swpmap_table_refs(table), users);
			if (users > 1)
				CHECK(pmap_table_shared(&tasks[t].vs->pmap, va));
			bool seen = false;
			for (uint32_t k = 0; k < ntables; k++)
				seen |= tables[k] == table;
			paddr_t pa;
			if (!seen && swpmap_table_frame(table, &pa)) {
				tables[ntables++] = table;
				census[pa >> PAGE_SHIFT]++;
			}
		}
		paddr_t pa;
		if (swpmap_dir_frame(&tasks[t].vs->pmap, &pa))
			census[pa >> PAGE_SHIFT]++;
	}
}

/* Compare the model with the pmaps; census the data and text frames. Returns distinct text frames. */
static uint32_t check_pages(uint32_t *census, const void *seen[][TASKS_MAX])
{
	static bool text_frame[RAM_FRAMES_MAX];
	memset(text_frame, 0, sizeof(text_frame));
	uint32_t ntext = 0;
	for (int t = 0; t < ntasks; t++) {
		const struct pmap *pm = &tasks[t].vs->pmap;
		for (uint32_t p = 0; p < PAGES + HEAP_PAGES; p++) {
			paddr_t pa;
			bool mapped = pmap_extract(pm, PAGE_VA(p), &pa, NULL);
			CHECK(page_inside(t, p) || !mapped);
			for (uint32_t s = 0; s < SLOTS; s++) {
				uint8_t v = mapped ? *(uint8_t *)pmap_kva(pa + s * (PAGE_SIZE / SLOTS)) : 0;
				CHECK_EQ(v, tasks[t].mem[p][s]);
			}
			if (mapped)
				census_add(census, seen, pa >> PAGE_SHIFT, swpmap_table_of(pm, PAGE_VA(p)));
		}
		for (uint32_t p = 0; p < TEXT_PAGES; p++) {
			paddr_t pa;
			vaddr_t va = TEXT + p * PAGE_SIZE;
			CHECK(pmap_extract(pm, va, &pa, NULL)); /* loaded at creation, never unmapped */
			census_add(census, seen, pa >> PAGE_SHIFT, swpmap_table_of(pm, va));
			ntext += !text_frame[pa >> PAGE_SHIFT];
			text_frame[pa >> PAGE_SHIFT] = true;
		}
	}
	return ntext;
}

/* What task i's space must be charged: directory, data and heap pages, one table per span touched. */
static uint32_t charge_expected(int i)
{
	uint32_t hp = tasks[i].heap_pages;
	return 1 + PAGES + 2 + hp + (hp > 0) + (hp > 4);
}

/* The commit counts against the census and the live spaces. */
static void check_commit(const struct frame_stats *st, uint32_t ntext)
{
	uint32_t sum = 0;
	for (int t = 0; t < ntasks; t++) {
		CHECK_EQ(tasks[t].vs->charge, charge_expected(t));
		sum += tasks[t].vs->charge;
	}
	CHECK_EQ(st->committed, sum);
	CHECK_EQ(st->uncharged, ntext);
	CHECK(st->used <= st->committed + st->uncharged);
	CHECK_EQ(st->strict, strict);
	if (strict)
		CHECK(st->committed + st->uncharged <= st->total);
}

/* Compare the model with the pmaps and the frame and commit counts with a census. */
static void check_world(void)
{
	static uint32_t census[RAM_FRAMES_MAX];
	static const void *seen[RAM_FRAMES_MAX][TASKS_MAX];
	memset(census, 0, sizeof(census));
	uint32_t ntext = check_pages(census, seen);
	check_table_counts(census);
	uint32_t used = 0, shared = 0;
	for (uint32_t f = 0; f < ram_frames; f++) {
		CHECK_EQ(frame_refcount(f << PAGE_SHIFT), census[f]);
		used += census[f] > 0;
		shared += census[f] > 1;
	}
	struct frame_stats st;
	frame_stats_get(&st);
	CHECK_EQ(st.used, used);
	CHECK_EQ(st.shared, shared);
	check_commit(&st, ntext);
	if (st.free < tally.least_free)
		tally.least_free = st.free;
}

/* One random step on a random task. */
static void step(void)
{
	int i = (int)rnd((uint32_t)ntasks);
	uint32_t op = rnd(100);
	if (op < 15)
		step_clone(i);
	else if (op < 52)
		step_write(i);
	else if (op < 55)
		step_fill(i);
	else if (op < 75)
		step_read(i);
	else if (op < 80)
		step_read_text(i);
	else if (op < 90)
		step_brk(i);
	else {
		task_drop(i);
		tally.exits++;
	}
}

/* Run the steps in one commit mode over nframes of RAM; checks after each. */
static void run(bool strict_mode, uint32_t nframes)
{
	strict = strict_mode;
	ram_frames = nframes;
	memset(&tally, 0, sizeof(tally));
	tally.least_free = nframes;
	swpmap_ram_init(nframes);
	swpmap_tables_take_frames(true); /* as on target: tables and directories are frames */
	frame_commit_mode_set(strict ? FRAME_COMMIT_STRICT : FRAME_COMMIT_OVERCOMMIT);
	swpmap_shared_traps_reads(seed & 1);
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	struct vm_fault_stats f0;
	vm_fault_stats_get(&f0);
	for (unsigned long n = 0; n < steps && harness_case_failures == 0; n++) {
		if (ntasks == 0)
			task_first();
		step();
		check_world();
		if (harness_case_failures)
			fprintf(stderr, "  first failure at step %lu (seed %lu)\n", n, seed);
	}
	while (ntasks > 0)
		task_drop(0);
	struct frame_stats st;
	frame_stats_get(&st);
	CHECK_EQ(st.free, nframes);
	CHECK_EQ(st.committed, 0);
	CHECK_EQ(st.uncharged, 0);
	CHECK_EQ(swpmap_tables_live(), 0);
	struct vm_fault_stats fs;
	vm_fault_stats_get(&fs);
	tally.splits = fs.table_copy - f0.table_copy;
	printf("%s, seed %lu, %lu steps: %lu clones (%lu refused), %lu writes (%lu out of memory), "
	       "%lu reads (%lu out of memory), %lu text reads, %lu fills, %lu brks (%lu refused), "
	       "%lu exits, %lu table splits; %u frames free at the least\n", strict ? "strict" : "overcommit", seed, steps, tally.clones,
	       tally.clone_fail, tally.writes, tally.write_oom, tally.reads, tally.read_oom,
	       tally.text_reads, tally.fills, tally.brks, tally.brk_fail, tally.exits, tally.splits, tally.least_free);
	swpmap_ram_fini();
}

TEST(random_overcommit_matches_model)
{
	run(false, RAM_FRAMES);
	/* A run that never hit the error paths would prove less than it claims. */
	CHECK(tally.clones > 100 && tally.writes > 100 && tally.exits > 100 && tally.brks > 100);
	CHECK((tally.write_oom > 0 && tally.splits > 100) || steps < 5000);
}

TEST(random_strict_never_fails_a_fault)
{
	run(true, RAM_FRAMES_STRICT);
	CHECK_EQ(tally.write_oom + tally.read_oom, 0);
	/* The reserve must have been short often, or the refusals went untested. */
	CHECK(tally.clones > 100 && tally.writes > 100 && tally.exits > 100 && tally.brks > 100);
	CHECK((tally.clone_fail > 100 && tally.brk_fail > 10 && tally.splits > 100) || steps < 5000);
	CHECK(tally.least_free == 0 || steps < 5000); /* faults ran with every frame promised and used */
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--seed=", 7) == 0)
			seed = strtoul(argv[i] + 7, NULL, 0);
		else if (strncmp(argv[i], "--steps=", 8) == 0)
			steps = strtoul(argv[i] + 8, NULL, 0);
	}
	static const struct harness_case cases[] = {
		CASE(random_overcommit_matches_model),
		CASE(random_strict_never_fails_a_fault),
	};
	return harness_main(cases, 2, argc, argv);
}
