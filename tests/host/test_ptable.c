/*
 * test_ptable.c - the shipped table walks and range operations of
 * arch/generic/ptable.c (the code both ports run), on the host with ASan
 * and UBSan, over a minimal pmap (tpmap.c) whose page tables are frames of
 * the frame table (its pmap_md.h and ptable_md.h: tests/host/ptable/).
 * Every case checks the counts of the data frames and of the table frames,
 * and that every frame is free at the end.
 */
#include <errno.h>
#include <string.h>

#include <mm/frame.h>
#include "harness.h"
#include "tpmap.h"

#define RAM 64u
#define TABLE_A 0x00400000u /* the table slot the cases use: slot 1 */
#define CHUNK_BYTES (PTABLE_CHUNK_ENTRIES * PAGE_SIZE)

static uint32_t free_frames(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st.free;
}

/* A data frame, mapped at va in pm (writable), its one reference held by the table. */
static paddr_t map_new(struct pmap *pm, vaddr_t va)
{
	paddr_t pa = 0;
	CHECK_EQ(frame_alloc(&pa), 0);
	CHECK_EQ(tp_enter(pm, va, pa, true), 0);
	return pa;
}

static paddr_t table_of(const struct pmap *pm, vaddr_t va)
{
	return pm->slot[ptable_slot_of(va)] & ~0xFFFu;
}

/* Pages in chunks 0, 5 and 15 of the table at TABLE_A. */
static const vaddr_t spots[] = { TABLE_A, TABLE_A + PAGE_SIZE, TABLE_A + 5 * CHUNK_BYTES,
				 TABLE_A + 15 * CHUNK_BYTES + 3 * PAGE_SIZE };
#define NSPOTS (sizeof(spots) / sizeof(spots[0]))

static void map_spots(struct pmap *pm, paddr_t *pa)
{
	for (unsigned i = 0; i < NSPOTS; i++)
		pa[i] = map_new(pm, spots[i]);
}

/* Fresh RAM; a maps the spots (their frames in pa), b shares a's table at TABLE_A. */
static void shared_pair(struct pmap *a, struct pmap *b, paddr_t *pa)
{
	tp_ram_init(RAM);
	tp_create(a);
	tp_create(b);
	map_spots(a, pa);
	CHECK_EQ(pmap_share(b, a, TABLE_A, TABLE_A + PAGE_SIZE), 0);
}

TEST(used_chunks_are_recorded_in_the_table_frame)
{
	tp_ram_init(RAM);
	struct pmap a;
	tp_create(&a);
	paddr_t pa[NSPOTS];
	map_spots(&a, pa);
	CHECK_EQ(frame_aux_get(table_of(&a, TABLE_A)), (1u << 0) | (1u << 5) | (1u << 15));
	CHECK_EQ(ptable_slot_next(a.slots_used, 0), 1);
	CHECK_EQ(ptable_slot_next(a.slots_used, 2), PMAP_TABLE_SLOTS);
	tp_destroy(&a);
	CHECK_EQ(free_frames(), RAM);
	tp_ram_fini();
}

TEST(copy_write_protects_both_and_references_each_frame_once_more)
{
	struct pmap a, b;
	paddr_t pa[NSPOTS];
	shared_pair(&a, &b, pa);
	paddr_t t = table_of(&a, TABLE_A);
	CHECK_EQ(frame_refcount(t), 2);   /* one table, two users */
	CHECK_EQ(frame_refcount(pa[0]), 1); /* no data frame's count moved */
	CHECK(pmap_table_shared(&a, TABLE_A) && pmap_table_shared(&b, TABLE_A));
	CHECK_EQ(a.flushes, 1);           /* a's stale entries, once */
	uint32_t before = free_frames();
	bool copied = false;
	CHECK_EQ(pmap_unshare(&b, TABLE_A, &copied), 0);
	CHECK(copied);
	CHECK_EQ(free_frames(), before - 1); /* the copy's frame */
	paddr_t c = table_of(&b, TABLE_A);
	CHECK(c != t);
	CHECK_EQ(frame_refcount(t), 1);
	CHECK_EQ(frame_aux_get(c), frame_aux_get(t));
	for (unsigned i = 0; i < NSPOTS; i++) {
		CHECK_EQ(frame_refcount(pa[i]), 2);
		CHECK_EQ(tp_entry(&b, spots[i]), tp_entry(&a, spots[i]));
		CHECK(!(tp_entry(&a, spots[i]) & TP_PTE_WRITE));
		CHECK_EQ(pt_frame(tp_entry(&b, spots[i])), pa[i]);
	}
	CHECK(!pmap_table_shared(&b, TABLE_A));
	/* a is t's last user: it takes t back, no copy. */
	CHECK_EQ(pmap_unshare(&a, TABLE_A, &copied), 0);
	CHECK(!copied);
	CHECK_EQ(table_of(&a, TABLE_A), t);
	tp_destroy(&b);
	for (unsigned i = 0; i < NSPOTS; i++)
		CHECK_EQ(frame_refcount(pa[i]), 1);
	tp_destroy(&a);
	CHECK_EQ(free_frames(), RAM);
	tp_ram_fini();
}

TEST(copy_failing_half_way_changes_no_count)
{
	struct pmap a, b;
	paddr_t pa[NSPOTS];
	shared_pair(&a, &b, pa);
	/* Saturate the frame in chunk 5: the copy fails after chunk 0 was referenced. */
	for (uint32_t i = 1; i < FRAME_REF_MAX; i++)
		frame_ref(pa[2]);
	uint32_t before = free_frames();
	bool copied;
	CHECK_EQ(pmap_unshare(&b, TABLE_A, &copied), -EOVERFLOW);
	CHECK_EQ(free_frames(), before);
	CHECK(pmap_table_shared(&b, TABLE_A));
	CHECK_EQ(frame_refcount(table_of(&a, TABLE_A)), 2);
	CHECK_EQ(frame_refcount(pa[0]), 1);
	CHECK_EQ(frame_refcount(pa[1]), 1);
	CHECK_EQ(frame_refcount(pa[3]), 1);
	for (uint32_t i = 1; i < FRAME_REF_MAX; i++)
		frame_unref(pa[2]);
	tp_destroy(&b);
	tp_destroy(&a);
	CHECK_EQ(free_frames(), RAM);
	tp_ram_fini();
}

TEST(copy_without_a_frame_fails_cleanly)
{
	struct pmap a, b;
	paddr_t pa[NSPOTS], hog[RAM];
	shared_pair(&a, &b, pa);
	unsigned n = 0;
	while (frame_alloc(&hog[n]) == 0)
		n++;
	bool copied;
	CHECK_EQ(pmap_unshare(&b, TABLE_A, &copied), -ENOMEM);
	CHECK(pmap_table_shared(&b, TABLE_A));
	CHECK_EQ(frame_refcount(pa[0]), 1);
	while (n > 0)
		frame_unref(hog[--n]);
	tp_destroy(&a); /* the parent leaves first: b keeps the table and its frames */
	CHECK_EQ(frame_refcount(pa[3]), 1);
	CHECK_EQ(pt_frame(tp_entry(&b, spots[3])), pa[3]);
	tp_destroy(&b);
	CHECK_EQ(free_frames(), RAM);
	tp_ram_fini();
}

TEST(remove_clears_its_range_and_lets_whole_tables_go)
{
	tp_ram_init(RAM);
	struct pmap a;
	tp_create(&a);
	paddr_t pa[NSPOTS];
	map_spots(&a, pa);
	paddr_t far = map_new(&a, 0x00C00000u); /* a table of its own, slot 3 */
	uint32_t before = free_frames();
	/* Part of table A: the two pages of chunk 0 go, chunks 5 and 15 stay. */
	pmap_remove(&a, TABLE_A, TABLE_A + 2 * PAGE_SIZE);
	CHECK_EQ(free_frames(), before + 2);
	CHECK_EQ(tp_entry(&a, spots[0]), 0);
	CHECK_EQ(pt_frame(tp_entry(&a, spots[2])), pa[2]);
	CHECK_EQ(a.flushes, 1);
	/* Slot 3 whole: its table and its page go, the slot record with them. */
	pmap_remove(&a, 0x00C00000u, 0x01000000u);
	CHECK_EQ(free_frames(), before + 4);
	CHECK_EQ(ptable_slot_next(a.slots_used, 2), PMAP_TABLE_SLOTS);
	(void)far;
	tp_destroy(&a);
	CHECK_EQ(free_frames(), RAM);
	tp_ram_fini();
}

static void remove_part_of_a_shared_table(void)
{
	tp_ram_init(RAM);
	static struct pmap a, b;
	tp_create(&a);
	tp_create(&b);
	map_new(&a, TABLE_A);
	pmap_share(&b, &a, TABLE_A, TABLE_A + PAGE_SIZE);
	pmap_remove(&b, TABLE_A, TABLE_A + PAGE_SIZE);
}

TEST(remove_refuses_part_of_a_shared_table)
{
	/* mm/ must unshare the end tables first (vm_unmap_locked): a pmap never decides to. */
	CHECK(harness_panics(remove_part_of_a_shared_table));
}

TEST(share_and_teardown_visit_only_used_slots)
{
	tp_ram_init(RAM);
	struct pmap a, b;
	tp_create(&a);
	tp_create(&b);
	map_new(&a, TABLE_A);
	map_new(&a, 0x3FC00000u); /* the last slot: a stack, far away */
	a.slot_reads = 0;
	/* The whole 1 GiB: two used slots, so a handful of slot reads, not 256. */
	CHECK_EQ(pmap_share(&b, &a, PMAP_USER_START, PMAP_USER_END), 0);
	CHECK(a.slot_reads <= 4);
	CHECK_EQ(frame_refcount(table_of(&a, TABLE_A)), 2);
	CHECK_EQ(frame_refcount(table_of(&a, 0x3FC00000u)), 2);
	tp_destroy(&a); /* shared tables only lose a's reference */
	CHECK_EQ(frame_refcount(table_of(&b, TABLE_A)), 1);
	CHECK(pt_valid(tp_entry(&b, 0x3FC00000u)));
	tp_destroy(&b);
	CHECK_EQ(free_frames(), RAM);
	tp_ram_fini();
}

/* Map the first n pages of the table at TABLE_A, writable. */
static void map_first(struct pmap *pm, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		map_new(pm, TABLE_A + i * PAGE_SIZE);
}

TEST(remove_in_runs_keeps_the_entries_outside_its_range)
{
	tp_ram_init(4 * RAM);
	struct pmap a;
	tp_create(&a);
	map_first(&a, 40);
	uint32_t before = free_frames();
	/* Entries [2, 38): more than one run of the frame lock, inside chunk 0. */
	pmap_remove(&a, TABLE_A + 2 * PAGE_SIZE, TABLE_A + 38 * PAGE_SIZE);
	CHECK_EQ(free_frames(), before + 36);
	CHECK(pt_valid(tp_entry(&a, TABLE_A + 1 * PAGE_SIZE)));
	CHECK_EQ(tp_entry(&a, TABLE_A + 2 * PAGE_SIZE), 0);
	CHECK_EQ(tp_entry(&a, TABLE_A + 37 * PAGE_SIZE), 0);
	CHECK(pt_valid(tp_entry(&a, TABLE_A + 38 * PAGE_SIZE)));
	CHECK_EQ(a.flushes, 1);
	tp_destroy(&a);
	CHECK_EQ(free_frames(), 4 * RAM);
	tp_ram_fini();
}

TEST(protect_lowers_only_its_range_and_reads_only_used_slots)
{
	tp_ram_init(4 * RAM);
	struct pmap a;
	tp_create(&a);
	map_first(&a, 40);
	map_new(&a, 0x00C00000u); /* slot 3; slot 2 stays empty */
	map_new(&a, 0x00C01000u);
	map_new(&a, 0x3FC00000u); /* the last slot, past the range */
	a.slot_reads = 0;
	pmap_protect(&a, TABLE_A + 3 * PAGE_SIZE, 0x00C01000u, VM_PROT_READ);
	CHECK(a.slot_reads <= 2); /* slots 1 and 3; the empty one between is not read */
	CHECK(tp_entry(&a, TABLE_A + 2 * PAGE_SIZE) & TP_PTE_WRITE);
	for (unsigned i = 3; i < 40; i++)
		CHECK(pt_valid(tp_entry(&a, TABLE_A + i * PAGE_SIZE)) &&
		      !(tp_entry(&a, TABLE_A + i * PAGE_SIZE) & TP_PTE_WRITE));
	CHECK(!(tp_entry(&a, 0x00C00000u) & TP_PTE_WRITE));
	CHECK(tp_entry(&a, 0x00C01000u) & TP_PTE_WRITE);
	CHECK(tp_entry(&a, 0x3FC00000u) & TP_PTE_WRITE);
	CHECK_EQ(a.flushes, 1);
	tp_destroy(&a);
	CHECK_EQ(free_frames(), 4 * RAM);
	tp_ram_fini();
}

int main(int argc, char **argv)
{
	static const struct harness_case cases[] = {
		CASE(used_chunks_are_recorded_in_the_table_frame),
		CASE(copy_write_protects_both_and_references_each_frame_once_more),
		CASE(copy_failing_half_way_changes_no_count),
		CASE(copy_without_a_frame_fails_cleanly),
		CASE(remove_clears_its_range_and_lets_whole_tables_go),
		CASE(remove_refuses_part_of_a_shared_table),
		CASE(share_and_teardown_visit_only_used_slots),
		CASE(remove_in_runs_keeps_the_entries_outside_its_range),
		CASE(protect_lowers_only_its_range_and_reads_only_used_slots),
	};
	return harness_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
