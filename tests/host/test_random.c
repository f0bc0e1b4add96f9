/*
 * test_random.c - long random sequences of clone, write, read and exit
 * against a model of every task's memory.
 *
 * Clones share page tables, so after every step: every byte the model knows
 * reads back through the pmap, every frame's count equals the number of
 * distinct page tables that map it across all live spaces, every table's
 * count equals the number of spaces using it, and the free and shared
 * counters agree with that census. RAM is kept small and the page-table
 * supply is cut now and then, so COW faults and table splits run out of
 * memory and their error paths are walked too. Odd seeds make shared tables
 * refuse reads as well (armv7's domains), even seeds only writes (i386).
 *
 * Usage: test_random [--seed=N] [--steps=N]   (CI uses the fixed defaults)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm/frame.h>
#include <mm/vm.h>
#include "harness.h"
#include "swpmap.h"

#define RAM_FRAMES 96u
#define TASKS_MAX 8
#define PAGES 24u           /* pages per task region */
#define SLOTS 4u            /* model bytes per page */
#define BASE 0x00400000u    /* region start: crosses a table boundary below */
#define SLOT_VA(p, s) (BASE - 8 * PAGE_SIZE + (p) * PAGE_SIZE + (s) * (PAGE_SIZE / SLOTS))

struct model_task {
	struct vmspace *vs;
	uint8_t mem[PAGES][SLOTS];
};

static struct model_task tasks[TASKS_MAX];
static int ntasks;
static unsigned long seed = 1, steps = 20000;
static uint64_t rng;
static struct {
	unsigned long clones, clone_fail, writes, write_oom, reads, read_oom, exits, splits;
} tally;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
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
	struct vmspace *child;
	int err = vm_space_clone(tasks[i].vs, &child);
	if (err) {
		CHECK_EQ(err, -ENOMEM);
		tally.clone_fail++;
		return;
	}
	tasks[ntasks] = tasks[i];
	tasks[ntasks++].vs = child;
	tally.clones++;
}

static void step_write(int i)
{
	uint32_t p = rnd(PAGES), s = rnd(SLOTS);
	uint8_t v = (uint8_t)(1 + rnd(255));
	if (rnd(16) == 0)
		swpmap_table_budget(0); /* no table for a split or a first mapping this time */
	int err = swpmap_user_write(tasks[i].vs, SLOT_VA(p, s), v);
	swpmap_table_budget(-1);
	if (err == -ENOMEM) {
		tally.write_oom++;
		task_drop(i); /* the documented policy: the faulting task dies */
		return;
	}
	CHECK_EQ(err, 0);
	tasks[i].mem[p][s] = v;
	tally.writes++;
}

static void step_read(int i)
{
	uint32_t p = rnd(PAGES), s = rnd(SLOTS);
	uint8_t v;
	if (rnd(16) == 0)
		swpmap_table_budget(0);
	int err = swpmap_user_read(tasks[i].vs, SLOT_VA(p, s), &v);
	swpmap_table_budget(-1);
	if (err == -ENOMEM) {
		tally.read_oom++;
		task_drop(i); /* a read that needed a table split or a zero page */
		return;
	}
	CHECK_EQ(err, 0);
	if (err == 0)
		CHECK_EQ(v, tasks[i].mem[p][s]);
	tally.reads++;
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

/* Every table the spaces use must be counted once per space that uses it. */
static void check_table_counts(void)
{
	for (int t = 0; t < ntasks; t++) {
		/* Every table span the region touches, from the base of the first one. */
		for (vaddr_t va = SLOT_VA(0, 0) & ~(vaddr_t)(PMAP_TABLE_SPAN - 1);
		     va < SLOT_VA(PAGES, 0); va += PMAP_TABLE_SPAN) {
			const void *table = swpmap_table_of(&tasks[t].vs->pmap, va);
			if (!table)
				continue;
			uint32_t users = 0;
			for (int u = 0; u < ntasks; u++)
				users += swpmap_table_of(&tasks[u].vs->pmap, va) == table;
			CHECK_EQ(swpmap_table_refs(table), users);
			if (users > 1)
				CHECK(pmap_table_shared(&tasks[t].vs->pmap, va));
		}
	}
}

/* Compare the model with the pmaps and the frame counts with a census. */
static void check_world(void)
{
	static uint32_t census[RAM_FRAMES];
	static const void *seen[RAM_FRAMES][TASKS_MAX];
	memset(census, 0, sizeof(census));
	for (int t = 0; t < ntasks; t++) {
		for (uint32_t p = 0; p < PAGES; p++) {
			paddr_t pa;
			bool mapped = pmap_extract(&tasks[t].vs->pmap, SLOT_VA(p, 0), &pa, NULL);
			for (uint32_t s = 0; s < SLOTS; s++) {
				uint8_t v = mapped ? *(uint8_t *)pmap_kva(pa + s * (PAGE_SIZE / SLOTS)) : 0;
				CHECK_EQ(v, tasks[t].mem[p][s]);
			}
			if (mapped)
				census_add(census, seen, pa >> PAGE_SHIFT,
					   swpmap_table_of(&tasks[t].vs->pmap, SLOT_VA(p, 0)));
		}
	}
	check_table_counts();
	uint32_t used = 0, shared = 0;
	for (uint32_t f = 0; f < RAM_FRAMES; f++) {
		CHECK_EQ(frame_refcount(f << PAGE_SHIFT), census[f]);
		used += census[f] > 0;
		shared += census[f] > 1;
	}
	struct frame_stats st;
	frame_stats_get(&st);
	CHECK_EQ(st.used, used);
	CHECK_EQ(st.shared, shared);
}

TEST(random_clone_write_read_exit_matches_model)
{
	swpmap_ram_init(RAM_FRAMES);
	swpmap_shared_traps_reads(seed & 1);
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	for (unsigned long n = 0; n < steps && harness_case_failures == 0; n++) {
		if (ntasks == 0) {
			memset(&tasks[0], 0, sizeof(tasks[0]));
			CHECK_EQ(vm_space_create(&tasks[0].vs), 0);
			CHECK_EQ(vm_region_add(tasks[0].vs, SLOT_VA(0, 0), PAGES * PAGE_SIZE,
					       VM_PROT_READ | VM_PROT_WRITE, 0), 0);
			ntasks = 1;
		}
		int i = (int)rnd((uint32_t)ntasks);
		uint32_t op = rnd(100);
		if (op < 15)
			step_clone(i);
		else if (op < 60)
			step_write(i);
		else if (op < 90)
			step_read(i);
		else {
			task_drop(i);
			tally.exits++;
		}
		check_world();
		if (harness_case_failures)
			fprintf(stderr, "  first failure at step %lu (seed %lu)\n", n, seed);
	}
	while (ntasks > 0)
		task_drop(0);
	struct frame_stats st;
	frame_stats_get(&st);
	CHECK_EQ(st.free, RAM_FRAMES);
	CHECK_EQ(swpmap_tables_live(), 0);
	/* A run that never hit the error paths would prove less than it claims. */
	struct vm_fault_stats fs;
	vm_fault_stats_get(&fs);
	tally.splits = fs.table_copy;
	CHECK(tally.clones > 100 && tally.writes > 100 && tally.exits > 100);
	CHECK((tally.write_oom > 0 && tally.splits > 100) || steps < 5000);
	printf("seed %lu, %lu steps: %lu clones (%lu failed), %lu writes (%lu out of memory), "
	       "%lu reads (%lu out of memory), %lu exits, %lu table splits, %u taken back\n", seed,
	       steps, tally.clones, tally.clone_fail, tally.writes, tally.write_oom, tally.reads,
	       tally.read_oom, tally.exits, tally.splits, fs.table_reuse);
	swpmap_ram_fini();
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
		CASE(random_clone_write_read_exit_matches_model),
	};
	return harness_main(cases, 1, argc, argv);
}
