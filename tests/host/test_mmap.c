/*
 * test_mmap.c - memory maps over the software pmap (mm/mmap.c): the region
 * index, placement, splits and merges, mprotect round trips across a clone,
 * shared against private maps across a clone, locking, DONTNEED, limits and
 * bad input, commit charges, and every frame back at the end.
 */
#include <errno.h>
#include <string.h>

#include <mm/frame.h>
#include <mm/vm.h>
#include "harness.h"
#include "hostram.h"
#include "swpmap.h"

#define TEXT 0x00010000u
#define DATA 0x00020000u
#define HEAP 0x00400000u
#define STACK_END PMAP_USER_END
#define STACK (STACK_END - 8 * PAGE_SIZE)
#define RW (VM_PROT_READ | VM_PROT_WRITE)

static struct frame_stats frames(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st;
}

/* A space shaped like a loaded app: text, data, empty heap, stack. */
static struct vmspace *space_new(void)
{
	struct vmspace *vs = NULL;
	if (vm_space_create(&vs))
		return NULL;
	CHECK_EQ(vm_region_add(vs, TEXT, 2 * PAGE_SIZE, VM_PROT_READ | VM_PROT_EXEC, 0), 0);
	CHECK_EQ(vm_region_add(vs, DATA, 4 * PAGE_SIZE, RW, 0), 0);
	CHECK_EQ(vm_region_add(vs, HEAP, 0, RW, VM_REGION_HEAP), 0);
	CHECK_EQ(vm_region_add(vs, STACK, STACK_END - STACK, RW, 0), 0);
	return vs;
}

static uint8_t peek(struct vmspace *vs, vaddr_t va)
{
	uint8_t v = 0xEE;
	CHECK_EQ(swpmap_user_read(vs, va, &v), 0);
	return v;
}

static paddr_t frame_of(struct vmspace *vs, vaddr_t va)
{
	paddr_t pa = 0xFFFFFFFF;
	CHECK(pmap_extract(&vs->pmap, va, &pa, NULL));
	return pa;
}

/* Map len bytes (not FIXED) and return where, or 0. */
static vaddr_t map_at(struct vmspace *vs, vaddr_t len, vm_prot_t prot, unsigned flags)
{
	vaddr_t at = 0;
	return vm_map(vs, &at, len, prot, flags) == 0 ? at : 0;
}

/* True when no mapping of vs is writable while its frame has another holder. */
static bool no_writable_shared_frame(struct vmspace *vs, vaddr_t start, vaddr_t end)
{
	for (vaddr_t va = start; va < end; va += PAGE_SIZE) {
		paddr_t pa;
		vm_prot_t prot;
		if (pmap_extract(&vs->pmap, va, &pa, &prot) && (prot & VM_PROT_WRITE) &&
		    frame_refcount(pa) > 1)
			return false;
	}
	return true;
}

TEST(region_index_finds_every_region_among_many)
{
	swpmap_ram_init(256);
	struct vmspace *vs = space_new();
	uint32_t base = vs->nregions;
	for (uint32_t i = base; i < VM_REGION_MAX; i++)
		CHECK_EQ(vm_region_add(vs, 0x1000000 + i * 0x10000, (i % 3 + 1) * PAGE_SIZE, RW, 0), 0);
	CHECK_EQ(vs->nregions, VM_REGION_MAX);
	mm_mutex_lock(&vs->lock);
	for (uint32_t i = base; i < VM_REGION_MAX; i++) {
		vaddr_t s = 0x1000000 + i * 0x10000, e = s + (i % 3 + 1) * PAGE_SIZE;
		const struct vm_region *r = vm_region_find_locked(vs, s);
		CHECK(r && r->start == s && r->end == e);
		CHECK(vm_region_find_locked(vs, e - 1) == r);
		CHECK(vm_region_find_locked(vs, e) == NULL); /* the gap after it */
		CHECK(vm_region_find_locked(vs, s - 1) == NULL);
	}
	CHECK(vm_region_find_locked(vs, HEAP) == NULL); /* an empty heap holds nothing */
	CHECK(vm_region_find_locked(vs, STACK)->end == STACK_END);
	mm_mutex_unlock(&vs->lock);
	/* Past the limit: POSIX's ENOMEM, from mmap too. */
	CHECK_EQ(map_at(vs, PAGE_SIZE, RW, 0), 0);
	vm_space_release(vs);
	CHECK_EQ(frames().free, 256);
	swpmap_ram_fini();
}

TEST(placement_is_below_the_top_with_a_guard_page_and_honours_a_free_hint)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t a = map_at(vs, 2 * PAGE_SIZE, RW, 0), b = map_at(vs, PAGE_SIZE, RW, 0);
	CHECK_EQ(a, STACK - 3 * PAGE_SIZE); /* one free page above: the stack's guard */
	CHECK_EQ(b, a - 2 * PAGE_SIZE);     /* and one above b */
	vaddr_t hint = 0x2000000;
	CHECK_EQ(vm_map(vs, &hint, PAGE_SIZE, RW, 0), 0);
	CHECK_EQ(hint, 0x2000000);
	vaddr_t taken = a;
	CHECK_EQ(vm_map(vs, &taken, PAGE_SIZE, RW, 0), 0); /* a hint in use is no hint */
	CHECK(taken != a && taken > HEAP);
	vm_space_release(vs);
	CHECK_EQ(frames().free, 64);
	swpmap_ram_fini();
}

TEST(munmap_of_the_middle_splits_and_frees_its_frames)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t m = map_at(vs, 4 * PAGE_SIZE, RW, 0);
	uint32_t n = vs->nregions;
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(swpmap_user_write(vs, m + i * PAGE_SIZE, (uint8_t)(i + 1)), 0);
	uint32_t free0 = frames().free;
	CHECK_EQ(vm_unmap(vs, m + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	CHECK_EQ(vs->nregions, n + 1);
	CHECK_EQ(frames().free, free0 + 2);
	CHECK_EQ(peek(vs, m), 1);
	CHECK_EQ(peek(vs, m + 3 * PAGE_SIZE), 4);
	uint8_t v;
	CHECK_EQ(swpmap_user_read(vs, m + PAGE_SIZE, &v), -EFAULT);
	CHECK_EQ(vm_unmap(vs, m, 4 * PAGE_SIZE), 0); /* across the hole: both ends go */
	CHECK_EQ(vs->nregions, n - 1);
	vm_space_release(vs);
	CHECK_EQ(frames().free, 64);
	swpmap_ram_fini();
}

/* One protect round trip in the parent after a clone, with or without shared tables trapping reads. */
static void protect_round_trip(bool traps)
{
	swpmap_ram_init(128);
	swpmap_shared_traps_reads(traps);
	struct vmspace *p = space_new(), *c;
	vaddr_t m = map_at(p, 8 * PAGE_SIZE, RW, 0);
	for (uint32_t i = 0; i < 8; i++)
		CHECK_EQ(swpmap_user_write(p, m + i * PAGE_SIZE, 0xA1), 0);
	uint32_t n = p->nregions;
	CHECK_EQ(vm_space_clone(p, &c), 0);
	CHECK_EQ(vm_protect(p, m + 2 * PAGE_SIZE, 4 * PAGE_SIZE, VM_PROT_READ), 0);
	CHECK_EQ(p->nregions, n + 2);
	CHECK_EQ(swpmap_user_write(p, m + 3 * PAGE_SIZE, 1), -EACCES);
	CHECK_EQ(vm_protect(p, m, 8 * PAGE_SIZE, RW), 0);
	CHECK_EQ(p->nregions, n); /* merged back into one */
	CHECK(no_writable_shared_frame(p, m, m + 8 * PAGE_SIZE));
	CHECK(no_writable_shared_frame(c, m, m + 8 * PAGE_SIZE));
	/* Through no access and back: the reads that give the pages back must not give write. */
	CHECK_EQ(vm_protect(p, m, 8 * PAGE_SIZE, VM_PROT_NONE), 0);
	CHECK_EQ(vm_protect(p, m, 8 * PAGE_SIZE, RW), 0);
	for (uint32_t i = 0; i < 8; i++)
		CHECK_EQ(peek(p, m + i * PAGE_SIZE), 0xA1);
	CHECK(no_writable_shared_frame(p, m, m + 8 * PAGE_SIZE));
	for (uint32_t i = 0; i < 8; i++)
		CHECK_EQ(swpmap_user_write(p, m + i * PAGE_SIZE, 0xB2), 0);
	for (uint32_t i = 0; i < 8; i++) {
		CHECK_EQ(peek(c, m + i * PAGE_SIZE), 0xA1);
		CHECK(frame_of(c, m + i * PAGE_SIZE) != frame_of(p, m + i * PAGE_SIZE));
	}
	vm_space_release(c);
	vm_space_release(p);
	swpmap_shared_traps_reads(false);
	CHECK_EQ(frames().free, 128);
	swpmap_ram_fini();
}

TEST(protect_round_trip_after_clone_never_leaks_writes_into_the_child)
{
	protect_round_trip(false);
	protect_round_trip(true);
}

TEST(protect_none_refuses_every_access_and_back_keeps_the_data)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t m = map_at(vs, PAGE_SIZE, RW, 0);
	CHECK_EQ(swpmap_user_write(vs, m, 0x77), 0);
	CHECK_EQ(vm_protect(vs, m, PAGE_SIZE, VM_PROT_NONE), 0);
	vm_prot_t prot = 0xFF;
	CHECK(pmap_extract(&vs->pmap, m, NULL, &prot) && prot == VM_PROT_NONE); /* the frame stays */
	uint8_t v;
	CHECK_EQ(swpmap_user_read(vs, m, &v), -EACCES);
	CHECK_EQ(vm_protect(vs, m, PAGE_SIZE, RW), 0);
	CHECK_EQ(peek(vs, m), 0x77);
	CHECK_EQ(swpmap_user_write(vs, m, 0x78), 0);
	vm_space_release(vs);
	CHECK_EQ(frames().free, 64);
	swpmap_ram_fini();
}

/* Shared and private maps across one clone; traps: shared tables refuse reads (armv7). */
static void shared_against_private(bool traps)
{
	swpmap_ram_init(128);
	swpmap_shared_traps_reads(traps);
	struct vmspace *p = space_new(), *c;
	vaddr_t s = map_at(p, 4 * PAGE_SIZE, RW, VM_MAP_SHARED);
	vaddr_t q = map_at(p, 4 * PAGE_SIZE, RW, 0);
	CHECK(s && q);
	CHECK_EQ(swpmap_user_write(p, s, 1), 0);
	CHECK_EQ(swpmap_user_write(p, q, 1), 0);
	CHECK_EQ(vm_space_clone(p, &c), 0);
	CHECK_EQ(swpmap_user_write(c, s, 2), 0);
	CHECK_EQ(swpmap_user_write(c, q, 2), 0);
	CHECK_EQ(swpmap_user_write(p, s + PAGE_SIZE, 3), 0);
	CHECK_EQ(peek(p, s), 2); /* the child's write, seen by the parent */
	CHECK_EQ(peek(c, s + PAGE_SIZE), 3);
	CHECK_EQ(peek(p, q), 1);
	CHECK_EQ(frame_of(p, s), frame_of(c, s));
	/* A shared page made read-only and back is still the one frame. */
	CHECK_EQ(vm_protect(c, s, PAGE_SIZE, VM_PROT_READ), 0);
	CHECK_EQ(vm_protect(c, s, PAGE_SIZE, RW), 0);
	CHECK_EQ(swpmap_user_write(c, s, 4), 0);
	CHECK_EQ(peek(p, s), 4);
	/* DONTNEED keeps a shared page's content, drops a private one's. */
	CHECK_EQ(vm_dontneed(c, s, PAGE_SIZE), 0);
	CHECK_EQ(vm_dontneed(c, q, PAGE_SIZE), 0);
	CHECK_EQ(peek(c, s), 4);
	CHECK_EQ(peek(c, q), 0);
	CHECK_EQ(peek(p, q), 1);
	vm_space_release(p);
	CHECK_EQ(peek(c, s + PAGE_SIZE), 3); /* the frames outlive the parent */
	vm_space_release(c);
	swpmap_shared_traps_reads(false);
	CHECK_EQ(frames().free, 128);
	CHECK_EQ(frames().committed, 0);
	swpmap_ram_fini();
}

TEST(shared_maps_stay_shared_across_clone_private_ones_copy)
{
	shared_against_private(false);
	shared_against_private(true);
}

TEST(map_fixed_replaces_what_was_there)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t m = map_at(vs, 3 * PAGE_SIZE, RW, 0);
	CHECK_EQ(swpmap_user_write(vs, m, 1), 0);
	CHECK_EQ(swpmap_user_write(vs, m + 2 * PAGE_SIZE, 3), 0);
	vaddr_t at = m + PAGE_SIZE - PAGE_SIZE;
	CHECK_EQ(vm_map(vs, &at, PAGE_SIZE, VM_PROT_READ, VM_MAP_FIXED), 0);
	CHECK_EQ(at, m);
	CHECK_EQ(peek(vs, m), 0);
	CHECK_EQ(swpmap_user_write(vs, m, 1), -EACCES);
	CHECK_EQ(peek(vs, m + 2 * PAGE_SIZE), 3);
	vm_space_release(vs);
	CHECK_EQ(frames().free, 64);
	swpmap_ram_fini();
}

TEST(bad_input_is_refused_and_changes_nothing)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	uint32_t n = vs->nregions, free0 = frames().free, c0 = frames().committed;
	vaddr_t at = 0;
	CHECK_EQ(vm_map(vs, &at, 0, RW, 0), -EINVAL);
	at = PAGE_SIZE + 1;
	CHECK_EQ(vm_map(vs, &at, PAGE_SIZE, RW, VM_MAP_FIXED), -EINVAL);
	at = PMAP_USER_END;
	CHECK_EQ(vm_map(vs, &at, PAGE_SIZE, RW, VM_MAP_FIXED), -ENOMEM);
	at = PMAP_USER_END - PAGE_SIZE;
	CHECK_EQ(vm_map(vs, &at, 2 * PAGE_SIZE, RW, VM_MAP_FIXED), -ENOMEM);
	at = 0;
	CHECK_EQ(vm_map(vs, &at, 0, RW, VM_MAP_FIXED), -EINVAL);
	at = HEAP;
	CHECK_EQ(vm_map(vs, &at, PAGE_SIZE, RW, VM_MAP_FIXED), -EINVAL); /* brk's */
	at = 0;
	CHECK_EQ(vm_map(vs, &at, 0xFFFFF000u, RW, 0), -ENOMEM);
	CHECK_EQ(vm_unmap(vs, HEAP - PAGE_SIZE, 2 * PAGE_SIZE), -EINVAL);
	CHECK_EQ(vm_unmap(vs, PMAP_USER_END, PAGE_SIZE), -EINVAL);
	CHECK_EQ(vm_protect(vs, 0x2000000, PAGE_SIZE, VM_PROT_READ), -ENOMEM); /* a hole */
	CHECK_EQ(vm_protect(vs, DATA, 8 * PAGE_SIZE, VM_PROT_READ), -ENOMEM);  /* part a hole */
	CHECK_EQ(vm_lock(vs, 0x2000000, PAGE_SIZE, true), -ENOMEM);
	CHECK_EQ(vm_dontneed(vs, 0x2000000, PAGE_SIZE), -ENOMEM);
	CHECK_EQ(vm_range_mapped(vs, DATA, PAGE_SIZE), 0);
	CHECK_EQ(vm_range_mapped(vs, PMAP_USER_END, PAGE_SIZE), -ENOMEM);
	CHECK_EQ(vs->nregions, n);
	CHECK_EQ(frames().free, free0);
	CHECK_EQ(frames().committed, c0);
	/* A limit reached halfway through a split leaves the mappings as they were. */
	vaddr_t m = map_at(vs, 3 * PAGE_SIZE, RW, 0);
	while (map_at(vs, PAGE_SIZE, RW, 0))
		;
	CHECK_EQ(vs->nregions, VM_REGION_MAX);
	CHECK_EQ(vm_unmap(vs, m + PAGE_SIZE, PAGE_SIZE), -ENOMEM);
	CHECK_EQ(vm_protect(vs, m + PAGE_SIZE, PAGE_SIZE, VM_PROT_READ), -ENOMEM);
	CHECK_EQ(vs->nregions, VM_REGION_MAX);
	CHECK_EQ(swpmap_user_write(vs, m + PAGE_SIZE, 1), 0);
	CHECK_EQ(vm_unmap(vs, m, 3 * PAGE_SIZE), 0); /* whole regions need no slot */
	vm_space_release(vs);
	CHECK_EQ(frames().free, 64);
	CHECK_EQ(frames().committed, 0);
	swpmap_ram_fini();
}

TEST(commit_private_charged_noreserve_not_shared_once)
{
	swpmap_ram_init(256);
	struct vmspace *vs = space_new(), *c;
	uint32_t c0 = frames().committed;
	vaddr_t m = map_at(vs, 16 * PAGE_SIZE, VM_PROT_READ, 0); /* charged though read-only */
	CHECK_EQ(frames().committed, c0 + 16);
	CHECK_EQ(vm_protect(vs, m, 16 * PAGE_SIZE, RW), 0);
	CHECK_EQ(frames().committed, c0 + 16);
	CHECK_EQ(vm_unmap(vs, m, 8 * PAGE_SIZE), 0);
	CHECK_EQ(frames().committed, c0 + 8);
	CHECK_EQ(vm_unmap(vs, m + 8 * PAGE_SIZE, 8 * PAGE_SIZE), 0);
	CHECK_EQ(frames().committed, c0);
	vaddr_t nr = map_at(vs, 16 * PAGE_SIZE, RW, VM_MAP_NORESERVE);
	CHECK_EQ(frames().committed, c0);
	CHECK_EQ(swpmap_user_write(vs, nr, 1), 0);
	CHECK_EQ(frames().uncharged, 3); /* text's two and this page */
	CHECK_EQ(vm_unmap(vs, nr, 16 * PAGE_SIZE), 0);
	vaddr_t s = map_at(vs, 16 * PAGE_SIZE, RW, VM_MAP_SHARED);
	CHECK_EQ(frames().committed, c0 + 16);
	uint32_t space = vs->charge;
	CHECK_EQ(vm_space_clone(vs, &c), 0);
	CHECK_EQ(frames().committed, c0 + 16 + space); /* the child: its space, not the map again */
	CHECK_EQ(vm_unmap(vs, s, 16 * PAGE_SIZE), 0);
	CHECK_EQ(frames().committed, c0 + 16 + space); /* the child still holds the frames */
	vm_space_release(c);
	CHECK_EQ(frames().committed, c0);
	/* Strict mode charges MAP_NORESERVE anyway: no fault may fail. */
	frame_commit_mode_set(FRAME_COMMIT_STRICT);
	nr = map_at(vs, 16 * PAGE_SIZE, RW, VM_MAP_NORESERVE);
	CHECK_EQ(frames().committed, c0 + 16);
	CHECK_EQ(vm_unmap(vs, nr, 16 * PAGE_SIZE), 0);
	CHECK_EQ(map_at(vs, 1024 * PAGE_SIZE, RW, 0), 0); /* more than there is */
	CHECK_EQ(frames().committed, c0);
	vm_space_release(vs);
	frame_commit_mode_set(FRAME_COMMIT_OVERCOMMIT);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(frames().free, 256);
	swpmap_ram_fini();
}

TEST(lock_all_after_clone_then_no_fault_and_brk_growth_populated)
{
	swpmap_ram_init(128);
	struct vmspace *p = space_new(), *c;
	vaddr_t m = map_at(p, 4 * PAGE_SIZE, RW, 0);
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(swpmap_user_write(p, m + i * PAGE_SIZE, 5), 0);
	CHECK_EQ(vm_space_clone(p, &c), 0);
	CHECK_EQ(vm_lock_all(p, VM_LOCK_CURRENT | VM_LOCK_FUTURE), 0);
	uint32_t f0 = vm_space_faults(p);
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(swpmap_user_write(p, m + i * PAGE_SIZE, 6), 0);
	for (vaddr_t va = DATA; va < DATA + 4 * PAGE_SIZE; va += PAGE_SIZE)
		CHECK_EQ(swpmap_user_write(p, va, 6), 0);
	CHECK_EQ(swpmap_user_write(p, STACK_END - 1, 6), 0);
	CHECK_EQ(peek(p, TEXT), 0);
	vaddr_t end;
	CHECK_EQ(vm_brk(p, HEAP + 3 * PAGE_SIZE, &end), 0);
	CHECK_EQ(swpmap_user_write(p, HEAP + 2 * PAGE_SIZE, 6), 0);
	vaddr_t later = map_at(p, 2 * PAGE_SIZE, RW, 0);
	CHECK_EQ(swpmap_user_write(p, later + PAGE_SIZE, 6), 0);
	CHECK_EQ(vm_space_faults(p), f0);
	CHECK_EQ(peek(c, m), 5);
	CHECK_EQ(vm_dontneed(p, m, PAGE_SIZE), -EINVAL); /* locked */
	/* The child inherits no lock (POSIX fork). */
	vaddr_t cm = map_at(c, PAGE_SIZE, RW, 0);
	uint32_t cf = vm_space_faults(c);
	CHECK_EQ(swpmap_user_write(c, cm, 1), 0);
	CHECK_EQ(vm_space_faults(c), cf + 1);
	vm_unlock_all(p);
	CHECK_EQ(vm_dontneed(p, m, PAGE_SIZE), 0);
	CHECK_EQ(peek(p, m), 0);
	vm_space_release(c);
	vm_space_release(p);
	CHECK_EQ(frames().free, 128);
	swpmap_ram_fini();
}

TEST(lock_of_a_range_splits_populates_and_unlock_merges)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t m = map_at(vs, 8 * PAGE_SIZE, RW, 0);
	uint32_t n = vs->nregions, free0 = frames().free;
	CHECK_EQ(vm_lock(vs, m + 2 * PAGE_SIZE, 4 * PAGE_SIZE, true), 0);
	CHECK_EQ(vs->nregions, n + 2);
	CHECK_EQ(frames().free, free0 - 4);
	CHECK_EQ(vm_lock(vs, m + 2 * PAGE_SIZE, 4 * PAGE_SIZE, false), 0);
	CHECK_EQ(vs->nregions, n);
	vm_space_release(vs);
	CHECK_EQ(frames().free, 64);
	swpmap_ram_fini();
}

/*
 * brk growth under mlockall(MCL_FUTURE) that runs out of memory while its
 * first page's table is still shared with a clone: brk fails with ENOMEM
 * and nothing changes. (The rollback took back the whole growth, which
 * meant owning the shared table first: with no frame left the kernel
 * panicked. fuzztest found it.)
 */
TEST(locked_brk_growth_out_of_memory_over_a_shared_table_changes_nothing)
{
	swpmap_ram_init(64);
	struct vmspace *p = space_new(), *c;
	vaddr_t end;
	CHECK_EQ(vm_brk(p, HEAP + PAGE_SIZE, &end), 0);
	CHECK_EQ(swpmap_user_write(p, HEAP, 7), 0);
	CHECK_EQ(vm_space_clone(p, &c), 0);
	CHECK_EQ(vm_lock_all(p, VM_LOCK_FUTURE), 0);
	uint32_t tables = swpmap_tables_live();
	struct frame_stats before = frames();
	swpmap_table_budget(0); /* no table to give p a copy of the shared heap table */
	CHECK_EQ(vm_brk(p, HEAP + 3 * PAGE_SIZE, &end), -ENOMEM);
	swpmap_table_budget(-1);
	CHECK_EQ(end, HEAP + PAGE_SIZE);
	CHECK_EQ(swpmap_tables_live(), tables);
	struct frame_stats after = frames();
	CHECK_EQ(after.free, before.free);
	CHECK_EQ(after.committed, before.committed);
	CHECK_EQ(peek(p, HEAP), 7);
	CHECK_EQ(peek(c, HEAP), 7);
	/* With tables again, the same growth works and is populated. */
	CHECK_EQ(vm_brk(p, HEAP + 3 * PAGE_SIZE, &end), 0);
	uint32_t f0 = vm_space_faults(p);
	CHECK_EQ(swpmap_user_write(p, HEAP + 2 * PAGE_SIZE, 8), 0);
	CHECK_EQ(vm_space_faults(p), f0);
	vm_unlock_all(p);
	vm_space_release(c);
	vm_space_release(p);
	CHECK_EQ(frames().free, 64);
	swpmap_ram_fini();
}

int main(int argc, char **argv)
{
	static const struct harness_case cases[] = {
		CASE(region_index_finds_every_region_among_many),
		CASE(placement_is_below_the_top_with_a_guard_page_and_honours_a_free_hint),
		CASE(munmap_of_the_middle_splits_and_frees_its_frames),
		CASE(protect_round_trip_after_clone_never_leaks_writes_into_the_child),
		CASE(protect_none_refuses_every_access_and_back_keeps_the_data),
		CASE(shared_maps_stay_shared_across_clone_private_ones_copy),
		CASE(map_fixed_replaces_what_was_there),
		CASE(bad_input_is_refused_and_changes_nothing),
		CASE(commit_private_charged_noreserve_not_shared_once),
		CASE(lock_all_after_clone_then_no_fault_and_brk_growth_populated),
		CASE(lock_of_a_range_splits_populates_and_unlock_merges),
		CASE(locked_brk_growth_out_of_memory_over_a_shared_table_changes_nothing),
	};
	return harness_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
