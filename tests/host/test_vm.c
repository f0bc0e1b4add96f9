/*
 * test_vm.c - address spaces over the software pmap: regions, demand fill,
 * fork-style clone, the COW split, copyout, brk, out-of-memory, teardown,
 * and commit accounting in both modes.
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
#define DATA_PAGES 16u
#define HEAP 0x00100000u
#define STACK_END PMAP_USER_END
#define STACK (STACK_END - 8 * PAGE_SIZE)

static uint32_t free_frames(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st.free;
}

static uint32_t shared_frames(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st.shared;
}

static struct vm_fault_stats fault_stats(void)
{
	struct vm_fault_stats st;
	vm_fault_stats_get(&st);
	return st;
}

/* A space shaped like a loaded app: text, data, empty heap, stack. */
static struct vmspace *space_new(void)
{
	struct vmspace *vs = NULL;
	if (vm_space_create(&vs))
		return NULL;
	vm_region_add(vs, TEXT, 2 * PAGE_SIZE, VM_PROT_READ | VM_PROT_EXEC, 0);
	vm_region_add(vs, DATA, DATA_PAGES * PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, 0);
	vm_region_add(vs, HEAP, 0, VM_PROT_READ | VM_PROT_WRITE, VM_REGION_HEAP);
	vm_region_add(vs, STACK, STACK_END - STACK, VM_PROT_READ | VM_PROT_WRITE, 0);
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

TEST(region_add_rejects_bad_ranges)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	const vm_prot_t rw = VM_PROT_READ | VM_PROT_WRITE;
	CHECK_EQ(vm_region_add(vs, DATA + PAGE_SIZE, PAGE_SIZE, rw, 0), -EINVAL);  /* overlap */
	CHECK_EQ(vm_region_add(vs, 0x50000 + 1, PAGE_SIZE, rw, 0), -EINVAL);       /* unaligned */
	CHECK_EQ(vm_region_add(vs, 0, PAGE_SIZE, rw, 0), -EINVAL);                 /* page 0 */
	CHECK_EQ(vm_region_add(vs, STACK_END, PAGE_SIZE, rw, 0), -EINVAL);         /* kernel */
	CHECK_EQ(vm_region_add(vs, 0x50000, 0, rw, 0), -EINVAL);                   /* empty */
	CHECK_EQ(vm_region_add(vs, 0xFFFFF000u, 2 * PAGE_SIZE, rw, 0), -EINVAL);   /* wraps */
	for (uint32_t i = vs->nregions; i < VM_REGION_MAX; i++)
		CHECK_EQ(vm_region_add(vs, 0x1000000 + i * 0x10000, PAGE_SIZE, rw, 0), 0);
	CHECK_EQ(vm_region_add(vs, 0x2000000, PAGE_SIZE, rw, 0), -ENOMEM);
	for (uint32_t i = 1; i < vs->nregions; i++)
		CHECK(vs->regions[i - 1].end <= vs->regions[i].start);
	vm_space_release(vs);
	swpmap_ram_fini();
}

TEST(demand_fill_gives_zeroed_private_pages)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	uint32_t before = free_frames();
	uint32_t fills = fault_stats().zero_fill;
	CHECK_EQ(peek(vs, STACK_END - 4), 0);
	CHECK_EQ(swpmap_user_write(vs, DATA + 5, 7), 0);
	CHECK_EQ(peek(vs, DATA + 5), 7);
	CHECK_EQ(free_frames(), before - 2);
	CHECK_EQ(fault_stats().zero_fill, fills + 2);
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 64);
	CHECK_EQ(swpmap_tables_live(), 0);
	swpmap_ram_fini();
}

TEST(fault_on_a_page_already_fixed_is_spurious)
{
	swpmap_ram_init(16);
	struct vmspace *vs = space_new();
	CHECK_EQ(swpmap_user_write(vs, DATA, 1), 0);
	uint32_t before = free_frames();
	struct vm_fault_stats st0 = fault_stats();
	/* As if a stale TLB entry faulted after another path made the PTE writable. */
	struct vm_fault_info fi = { .addr = DATA + 8, .access = VM_PROT_WRITE, .kind = VM_FAULT_PROT,
				    .user = true };
	CHECK_EQ(vm_fault(vs, &fi), 0);
	CHECK_EQ(fault_stats().spurious, st0.spurious + 1);
	CHECK_EQ(fault_stats().cow_copy + fault_stats().cow_reuse + fault_stats().zero_fill,
		 st0.cow_copy + st0.cow_reuse + st0.zero_fill);
	CHECK_EQ(free_frames(), before);
	CHECK_EQ(peek(vs, DATA), 1);
	vm_space_release(vs);
	swpmap_ram_fini();
}

TEST(bad_accesses_are_refused)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	uint8_t v;
	CHECK_EQ(swpmap_user_read(vs, 0, &v), -EFAULT);            /* null */
	CHECK_EQ(swpmap_user_read(vs, 0x90000, &v), -EFAULT);      /* between regions */
	CHECK_EQ(swpmap_user_write(vs, TEXT + 8, 1), -EACCES);     /* text is read-only */
	CHECK_EQ(swpmap_user_write(vs, HEAP, 1), -EFAULT);         /* heap still empty */
	struct vm_fault_info exec = { .addr = DATA, .access = VM_PROT_EXEC, .user = true };
	CHECK_EQ(vm_fault(vs, &exec), -EACCES);                    /* data is not executable */
	struct vm_fault_info align = { .addr = DATA + 1, .access = VM_PROT_READ, .kind = VM_FAULT_ALIGN };
	CHECK_EQ(vm_fault(vs, &align), -EINVAL);
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(load_fills_read_only_text)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	const char code[] = "instructions";
	CHECK_EQ(vm_load(vs, TEXT + PAGE_SIZE - 4, code, sizeof(code)), 0); /* crosses a page */
	for (size_t i = 0; i < sizeof(code); i++)
		CHECK_EQ(peek(vs, TEXT + PAGE_SIZE - 4 + i), (uint8_t)code[i]);
	vm_prot_t prot;
	CHECK(pmap_extract(&vs->pmap, TEXT, NULL, &prot));
	CHECK_EQ(prot, VM_PROT_READ | VM_PROT_EXEC);
	CHECK_EQ(swpmap_user_write(vs, TEXT, 1), -EACCES);
	CHECK_EQ(vm_load(vs, 0x90000, code, 1), -EFAULT);
	vm_space_release(vs);
	swpmap_ram_fini();
}

TEST(clone_shares_tables_not_pages)
{
	swpmap_ram_init(64);
	struct vmspace *parent = space_new();
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		swpmap_user_write(parent, DATA + i * PAGE_SIZE, (uint8_t)i);
	uint32_t before = free_frames(), tables = swpmap_tables_live();
	uint32_t inval = parent->pmap.invalidations;
	struct vmspace *child = NULL;
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	CHECK_EQ(free_frames(), before); /* fork copies no page */
	CHECK_EQ(swpmap_tables_live(), tables); /* nor any table: the child uses the parent's */
	CHECK_EQ(shared_frames(), 0);   /* no count moved: one table maps each frame */
	CHECK_EQ(parent->pmap.invalidations, inval + 1); /* one table's entries, not 16 pages */
	CHECK(swpmap_table_of(&parent->pmap, DATA) == swpmap_table_of(&child->pmap, DATA));
	for (uint32_t i = 0; i < DATA_PAGES; i++) {
		vaddr_t va = DATA + i * PAGE_SIZE;
		vm_prot_t pp, cp;
		CHECK(pmap_extract(&parent->pmap, va, NULL, &pp));
		CHECK(pmap_extract(&child->pmap, va, NULL, &cp));
		CHECK(!(pp & VM_PROT_WRITE) && !(cp & VM_PROT_WRITE));
		CHECK_EQ(frame_of(parent, va), frame_of(child, va));
		CHECK_EQ(frame_refcount(frame_of(parent, va)), 1);
		CHECK_EQ(peek(child, va), (uint8_t)i); /* reads need no fault on this pmap */
	}
	vm_space_release(child);
	/* The last user takes its table back: no copy, no COW fault, the page stays. */
	struct vm_fault_stats f0 = fault_stats();
	CHECK_EQ(swpmap_user_write(parent, DATA, 0x42), 0);
	struct vm_fault_stats f1 = fault_stats();
	CHECK_EQ(f1.table_reuse, f0.table_reuse + 1);
	CHECK_EQ(f1.table_copy, f0.table_copy);
	CHECK_EQ(f1.cow_copy + f1.cow_reuse, f0.cow_copy + f0.cow_reuse);
	CHECK(!pmap_table_shared(&parent->pmap, DATA));
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 64);
	CHECK_EQ(swpmap_tables_live(), 0);
	swpmap_ram_fini();
}

TEST(clone_cost_does_not_grow_with_untouched_memory)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t end;
	CHECK_EQ(vm_brk(vs, HEAP + 512u * 1024 * 1024, &end), 0); /* a 512 MiB heap */
	for (uint32_t i = 0; i < 16; i++)
		CHECK_EQ(swpmap_user_write(vs, HEAP + i * PAGE_SIZE, 1), 0); /* 64 KiB touched */
	uint32_t inval = vs->pmap.invalidations, tables = swpmap_tables_live();
	struct vmspace *child;
	CHECK_EQ(vm_space_clone(vs, &child), 0);
	CHECK_EQ(tables, 1);                           /* text, data and the touched heap: table 0 */
	CHECK_EQ(vs->pmap.invalidations, inval + 1);   /* one table shared, whatever the heap's size */
	CHECK_EQ(swpmap_tables_live(), tables);
	vm_space_release(child);
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(teardown_of_a_shared_table_leaves_the_other_side_whole)
{
	swpmap_ram_init(64);
	struct vmspace *parent = space_new(), *child;
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		swpmap_user_write(parent, DATA + i * PAGE_SIZE, (uint8_t)(0x80 + i));
	swpmap_user_write(parent, STACK, 0x33);
	uint32_t used = 64 - free_frames();
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	vm_space_release(parent); /* the parent goes first: its tables lose a user only */
	CHECK_EQ(64 - free_frames(), used);
	CHECK_EQ(swpmap_tables_live(), 2);
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		CHECK_EQ(peek(child, DATA + i * PAGE_SIZE), 0x80 + i);
	CHECK_EQ(peek(child, STACK), 0x33);
	CHECK_EQ(swpmap_user_write(child, STACK, 0x44), 0); /* taken back, then written in place */
	CHECK_EQ(free_frames(), 64 - used);
	vm_space_release(child);
	CHECK_EQ(free_frames(), 64);
	CHECK_EQ(swpmap_tables_live(), 0);
	swpmap_ram_fini();
}

TEST(first_read_splits_when_the_cpu_traps_shared_tables)
{
	swpmap_ram_init(64);
	swpmap_shared_traps_reads(true); /* as armv7's no-access domain */
	struct vmspace *parent = space_new(), *child;
	swpmap_user_write(parent, DATA, 7);
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	struct vm_fault_stats f0 = fault_stats();
	CHECK_EQ(peek(child, DATA), 7);
	CHECK_EQ(fault_stats().table_copy, f0.table_copy + 1);
	CHECK_EQ(frame_refcount(frame_of(parent, DATA)), 2); /* two tables map it now */
	CHECK_EQ(peek(parent, DATA), 7);
	CHECK_EQ(fault_stats().table_reuse, f0.table_reuse + 1); /* the last user takes it back */
	CHECK_EQ(fault_stats().spurious, f0.spurious);
	CHECK_EQ(swpmap_user_write(parent, DATA, 8), 0);       /* shared frame: copied */
	CHECK_EQ(peek(child, DATA), 7);
	swpmap_shared_traps_reads(false);
	vm_space_release(child);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(copyin_reads_a_shared_table_without_splitting_it)
{
	swpmap_ram_init(64);
	struct vmspace *parent = space_new(), *child;
	swpmap_user_write(parent, DATA, 'x');
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	char c = 0;
	struct vm_fault_stats f0 = fault_stats();
	CHECK_EQ(vm_copyin(child, &c, DATA, 1), 0);
	CHECK_EQ(c, 'x');
	CHECK(pmap_table_shared(&child->pmap, DATA));
	CHECK_EQ(fault_stats().spurious, f0.spurious);
	CHECK_EQ(vm_copyout(child, DATA, "y", 1), 0); /* a write does split it */
	CHECK(!pmap_table_shared(&child->pmap, DATA));
	CHECK_EQ(peek(parent, DATA), 'x');
	vm_space_release(child);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(parent_write_after_clone_copies_and_child_keeps_old)
{
	swpmap_ram_init(64);
	struct vmspace *parent = space_new();
	swpmap_user_write(parent, DATA, 'p');
	struct vmspace *child;
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	paddr_t old = frame_of(parent, DATA);
	uint32_t copies = fault_stats().cow_copy;
	CHECK_EQ(swpmap_user_write(parent, DATA, 'P'), 0);
	CHECK_EQ(fault_stats().cow_copy, copies + 1);
	CHECK(frame_of(parent, DATA) != old);
	CHECK_EQ(frame_of(child, DATA), old);
	CHECK_EQ(frame_refcount(old), 1);
	CHECK_EQ(peek(parent, DATA), 'P');
	CHECK_EQ(peek(child, DATA), 'p');
	/* The child is now the last sharer: its write reuses the frame, no copy. */
	uint32_t before = free_frames();
	uint32_t reuses = fault_stats().cow_reuse;
	CHECK_EQ(swpmap_user_write(child, DATA, 'c'), 0);
	CHECK_EQ(frame_of(child, DATA), old);
	CHECK_EQ(free_frames(), before);
	CHECK_EQ(fault_stats().cow_reuse, reuses + 1);
	CHECK_EQ(fault_stats().cow_copy, copies + 1);
	CHECK_EQ(peek(parent, DATA), 'P');
	vm_space_release(child);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(three_generations_each_see_their_own_writes)
{
	swpmap_ram_init(64);
	struct vmspace *g[3];
	g[0] = space_new();
	swpmap_user_write(g[0], STACK + 100, 0);
	CHECK_EQ(vm_space_clone(g[0], &g[1]), 0);
	CHECK_EQ(vm_space_clone(g[1], &g[2]), 0);
	CHECK_EQ(frame_refcount(frame_of(g[0], STACK)), 1); /* one table, three users */
	CHECK(swpmap_table_of(&g[0]->pmap, STACK) == swpmap_table_of(&g[2]->pmap, STACK));
	for (int i = 2; i >= 0; i--)
		CHECK_EQ(swpmap_user_write(g[i], STACK + 100, (uint8_t)(10 + i)), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(peek(g[i], STACK + 100), 10 + i);
	CHECK_EQ(shared_frames(), 0);
	for (int i = 0; i < 3; i++)
		vm_space_release(g[i]);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(refork_before_writing_keeps_counts_right)
{
	swpmap_ram_init(64);
	struct vmspace *p = space_new(), *c1, *c2;
	swpmap_user_write(p, DATA, 1);
	CHECK_EQ(vm_space_clone(p, &c1), 0);
	CHECK_EQ(vm_space_clone(p, &c2), 0);
	paddr_t f = frame_of(p, DATA);
	CHECK_EQ(frame_refcount(f), 1);
	CHECK_EQ(swpmap_user_write(c1, DATA, 2), 0); /* c1: own table (f: 2), then a copy (f: 1) */
	CHECK_EQ(frame_refcount(f), 1);
	CHECK(frame_of(c1, DATA) != f);
	CHECK(swpmap_table_of(&p->pmap, DATA) == swpmap_table_of(&c2->pmap, DATA));
	CHECK_EQ(peek(p, DATA), 1);
	CHECK_EQ(peek(c2, DATA), 1);
	CHECK_EQ(swpmap_user_write(c2, DATA, 3), 0); /* c2 splits too: f is mapped by two tables */
	CHECK_EQ(frame_refcount(f), 1);
	CHECK_EQ(peek(p, DATA), 1);
	vm_space_release(c1);
	vm_space_release(c2);
	CHECK_EQ(frame_refcount(f), 1);
	vm_space_release(p);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(copyout_into_cow_page_leaves_parent_unchanged)
{
	swpmap_ram_init(64);
	struct vmspace *parent = space_new(), *child;
	for (int i = 0; i < 32; i++)
		swpmap_user_write(parent, DATA + PAGE_SIZE - 16 + i, 'a');
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	const char msg[] = "written by the kernel, across a page";
	CHECK_EQ(vm_copyout(child, DATA + PAGE_SIZE - 16, msg, sizeof(msg)), 0);
	for (size_t i = 0; i < sizeof(msg); i++) {
		CHECK_EQ(peek(child, DATA + PAGE_SIZE - 16 + i), (uint8_t)msg[i]);
		CHECK_EQ(peek(parent, DATA + PAGE_SIZE - 16 + i), i < 32 ? 'a' : 0);
	}
	char back[sizeof(msg)];
	CHECK_EQ(vm_copyin(child, back, DATA + PAGE_SIZE - 16, sizeof(msg)), 0);
	CHECK(memcmp(back, msg, sizeof(msg)) == 0);
	CHECK_EQ(vm_copyout(child, TEXT, msg, 4), -EFAULT);          /* read-only region */
	CHECK_EQ(vm_copyout(child, DATA + DATA_PAGES * PAGE_SIZE - 2, msg, 4), -EFAULT); /* runs off */
	CHECK_EQ(vm_copyout(child, 0xFFFFFFF0u, msg, 32), -EFAULT);  /* wraps */
	CHECK_EQ(vm_copyin(child, back, 0, 1), -EFAULT);
	vm_space_release(child);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(cmpxchg_breaks_cow_fills_demand_zero_and_refuses_bad_words)
{
	swpmap_ram_init(64);
	struct vmspace *parent = space_new(), *child;
	for (int i = 0; i < 4; i++)
		swpmap_user_write(parent, DATA + 64 + i, 0);
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	uint32_t seen = 1;
	CHECK_EQ(vm_cmpxchg32(child, DATA + 64, 0, 0x1234, &seen), 0);
	CHECK_EQ(seen, 0u);
	CHECK(frame_of(child, DATA) != frame_of(parent, DATA)); /* the COW page was copied first */
	CHECK_EQ(peek(child, DATA + 64), 0x34);
	CHECK_EQ(peek(parent, DATA + 64), 0);
	CHECK_EQ(vm_cmpxchg32(child, DATA + 64, 0, 0x99, &seen), 0); /* differs: no store */
	CHECK_EQ(seen, 0x1234u);
	CHECK_EQ(peek(child, DATA + 64), 0x34);
	/* A page never touched is filled with zero, then swapped. */
	CHECK_EQ(vm_cmpxchg32(child, STACK, 0, 7, &seen), 0);
	CHECK_EQ(seen, 0u);
	CHECK_EQ(peek(child, STACK), 7);
	CHECK_EQ(vm_cmpxchg32(child, TEXT, 0, 1, &seen), -EFAULT);      /* read-only region */
	CHECK_EQ(vm_cmpxchg32(child, DATA + 66, 0, 1, &seen), -EFAULT); /* unaligned */
	CHECK_EQ(vm_cmpxchg32(child, 0xFFFFFFFCu, 0, 1, &seen), -EFAULT); /* not user */
	CHECK_EQ(vm_cmpxchg32(child, HEAP, 0, 1, &seen), -EFAULT);      /* in no region */
	vm_space_release(child);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(brk_grows_and_shrinking_frees_frames)
{
	swpmap_ram_init(64);
	struct vmspace *vs = space_new();
	vaddr_t end;
	CHECK_EQ(vm_brk(vs, 0, &end), 0);
	CHECK_EQ(end, HEAP);
	CHECK_EQ(vm_brk(vs, HEAP + 3 * PAGE_SIZE + 1, &end), 0);
	CHECK_EQ(end, HEAP + 4 * PAGE_SIZE);
	uint32_t before = free_frames();
	for (int i = 0; i < 4; i++)
		CHECK_EQ(swpmap_user_write(vs, HEAP + i * PAGE_SIZE, 9), 0);
	CHECK_EQ(free_frames(), before - 4);
	CHECK_EQ(vm_brk(vs, HEAP + PAGE_SIZE, &end), 0);
	CHECK_EQ(free_frames(), before - 1);
	uint8_t v;
	CHECK_EQ(swpmap_user_read(vs, HEAP + PAGE_SIZE, &v), -EFAULT);
	CHECK_EQ(vm_brk(vs, STACK + PAGE_SIZE, &end), -ENOMEM); /* would run into the stack */
	CHECK_EQ(vm_brk(vs, HEAP - PAGE_SIZE, &end), -ENOMEM);  /* below its start */
	CHECK_EQ(end, HEAP + PAGE_SIZE);
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

/* vm_space_usage() of vs as one number pair. */
static void usage(struct vmspace *vs, uint32_t *resident, uint32_t *shared)
{
	*resident = *shared = 0xDEAD;
	vm_space_usage(vs, resident, shared);
}

TEST(usage_counts_resident_and_shared_pages)
{
	swpmap_ram_init(1024);
	struct vmspace *parent = space_new();
	uint32_t res, sh;
	usage(parent, &res, &sh);
	CHECK_EQ(res, 2); /* text is mapped whole when its region is added */
	CHECK_EQ(sh, 0);
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		CHECK_EQ(swpmap_user_write(parent, DATA + i * PAGE_SIZE, 1), 0);
	/* A heap of 700 pages, every other one touched: more pages than one batch looks at. */
	vaddr_t end;
	CHECK_EQ(vm_brk(parent, HEAP + 700 * PAGE_SIZE, &end), 0);
	for (uint32_t i = 0; i < 700; i += 2)
		CHECK_EQ(swpmap_user_write(parent, HEAP + i * PAGE_SIZE, 1), 0);
	CHECK_EQ(swpmap_user_write(parent, STACK_END - 1, 1), 0);
	uint32_t own = 2 + DATA_PAGES + 350 + 1;
	usage(parent, &res, &sh);
	CHECK_EQ(res, own);
	CHECK_EQ(sh, 0);
	struct vmspace *child = NULL;
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	usage(child, &res, &sh);
	CHECK_EQ(res, own);
	CHECK_EQ(sh, own); /* every page reached through a shared table */
	/* The parent's write gives it its own data table and a copy of one page. */
	CHECK_EQ(swpmap_user_write(parent, DATA, 2), 0);
	usage(parent, &res, &sh);
	CHECK_EQ(res, own);
	CHECK_EQ(sh, own - 1);
	/* The child's table is its alone now, but it takes it back only at its next fault there. */
	usage(child, &res, &sh);
	CHECK_EQ(sh, own);
	CHECK_EQ(swpmap_user_write(child, DATA + PAGE_SIZE, 3), 0);
	usage(child, &res, &sh);
	CHECK_EQ(sh, own - 2); /* its page 0 has one holder left; page 1 it just copied */
	vm_space_release(child);
	usage(parent, &res, &sh);
	CHECK_EQ(res, own);
	CHECK_EQ(sh, 1); /* the stack's table stays marked until the parent's next fault in it */
	CHECK_EQ(swpmap_user_write(parent, STACK_END - 1, 4), 0);
	usage(parent, &res, &sh);
	CHECK_EQ(sh, 0); /* the last holder: nothing is shared any more */
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 1024);
	swpmap_ram_fini();
}

/* Check that every frame mapped by vs has exactly the count expected. */
static void check_counts(struct vmspace *vs, vaddr_t start, uint32_t pages, uint32_t refs)
{
	for (uint32_t i = 0; i < pages; i++)
		CHECK_EQ(frame_refcount(frame_of(vs, start + i * PAGE_SIZE)), refs);
}

/*
 * Fork takes no data frame and no second-level table. (On target the child's
 * top-level table is a frame: with none left, fork fails with ENOMEM, which
 * cowtest's fork_without_memory_fails_cleanly checks; the software pmap's
 * directory is not a frame.)
 */
TEST(clone_needs_no_data_frame_and_no_page_table)
{
	swpmap_ram_init(40);
	struct vmspace *parent = space_new();
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		swpmap_user_write(parent, DATA + i * PAGE_SIZE, (uint8_t)i);
	swpmap_user_write(parent, STACK, 1);
	paddr_t hog[40];
	uint32_t n = 0;
	while (frame_alloc(&hog[n]) == 0)
		n++;
	swpmap_table_budget(0);
	struct vmspace *child = NULL;
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	swpmap_table_budget(-1);
	CHECK_EQ(peek(child, DATA + 3 * PAGE_SIZE), 3);
	vm_space_release(child);
	while (n > 0)
		frame_unref(hog[--n]);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 40);
	swpmap_ram_fini();
}

TEST(split_out_of_memory_changes_nothing)
{
	swpmap_ram_init(40);
	struct vmspace *parent = space_new(), *child;
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		swpmap_user_write(parent, DATA + i * PAGE_SIZE, (uint8_t)i);
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	uint32_t before = free_frames(), tables = swpmap_tables_live();
	swpmap_table_budget(0); /* no page for the child's copy of the table */
	CHECK_EQ(swpmap_user_write(child, DATA, 0x99), -ENOMEM);
	swpmap_table_budget(-1);
	CHECK_EQ(free_frames(), before);
	CHECK_EQ(swpmap_tables_live(), tables);
	CHECK(pmap_table_shared(&child->pmap, DATA));
	check_counts(parent, DATA, DATA_PAGES, 1);
	CHECK_EQ(peek(parent, DATA), 0);
	CHECK_EQ(peek(child, DATA), 0);
	vm_space_release(child); /* the policy: the faulting task dies */
	CHECK_EQ(swpmap_user_write(parent, DATA, 5), 0); /* taking the table back needs no memory */
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 40);
	CHECK_EQ(swpmap_tables_live(), 0);
	swpmap_ram_fini();
}

TEST(split_with_a_saturated_count_changes_nothing)
{
	swpmap_ram_init(40);
	struct vmspace *parent = space_new(), *child;
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		swpmap_user_write(parent, DATA + i * PAGE_SIZE, (uint8_t)i);
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	/* Saturate one frame's count so the child's table copy fails half way. */
	paddr_t mid = frame_of(parent, DATA + 8 * PAGE_SIZE);
	for (uint32_t i = 1; i < FRAME_REF_MAX; i++)
		frame_ref(mid);
	uint32_t before = free_frames(), shared = shared_frames(), tables = swpmap_tables_live();
	CHECK_EQ(swpmap_user_write(child, DATA, 0x99), -EOVERFLOW);
	CHECK_EQ(free_frames(), before);
	CHECK_EQ(shared_frames(), shared);
	CHECK_EQ(swpmap_tables_live(), tables);
	check_counts(parent, DATA, 8, 1);
	CHECK(pmap_table_shared(&child->pmap, DATA));
	for (uint32_t i = 1; i < FRAME_REF_MAX; i++)
		frame_unref(mid);
	CHECK_EQ(peek(child, DATA + 9 * PAGE_SIZE), 9);
	vm_space_release(child);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 40);
	swpmap_ram_fini();
}

TEST(brk_shrink_splits_a_partly_covered_shared_table)
{
	swpmap_ram_init(64);
	struct vmspace *p = space_new(), *c;
	vaddr_t end, top = HEAP + 2 * PMAP_TABLE_SPAN; /* the heap spans three tables */
	CHECK_EQ(vm_brk(p, top, &end), 0);
	vaddr_t probe[4] = { HEAP, HEAP + PMAP_TABLE_SPAN - PAGE_SIZE, HEAP + PMAP_TABLE_SPAN,
			     top - PAGE_SIZE };
	for (int i = 0; i < 4; i++)
		CHECK_EQ(swpmap_user_write(p, probe[i], (uint8_t)(i + 1)), 0);
	CHECK_EQ(vm_space_clone(p, &c), 0);
	uint32_t tables = swpmap_tables_live();
	/* Out of tables, shrinking into the middle of a shared table fails and changes nothing. */
	swpmap_table_budget(0);
	CHECK_EQ(vm_brk(p, HEAP + PAGE_SIZE, &end), -ENOMEM);
	swpmap_table_budget(-1);
	CHECK_EQ(end, top);
	CHECK_EQ(swpmap_tables_live(), tables);
	/* Now it works: the first table is split (and counted), the later ones let go whole. */
	uint32_t copies = fault_stats().table_copy;
	CHECK_EQ(vm_brk(p, HEAP + PAGE_SIZE, &end), 0);
	CHECK_EQ(fault_stats().table_copy, copies + 1);
	CHECK_EQ(end, HEAP + PAGE_SIZE);
	CHECK_EQ(peek(p, HEAP), 1);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(peek(c, probe[i]), i + 1);
	uint8_t v;
	CHECK_EQ(swpmap_user_read(p, HEAP + PMAP_TABLE_SPAN, &v), -EFAULT);
	vm_space_release(c);
	CHECK_EQ(frame_refcount(frame_of(p, HEAP)), 1);
	vm_space_release(p);
	CHECK_EQ(free_frames(), 64);
	CHECK_EQ(swpmap_tables_live(), 0);
	swpmap_ram_fini();
}

TEST(cow_fault_without_frames_keeps_sharer_intact)
{
	swpmap_ram_init(24);
	struct vmspace *parent = space_new(), *child;
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		swpmap_user_write(parent, DATA + i * PAGE_SIZE, 0x55);
	CHECK_EQ(vm_space_clone(parent, &child), 0);
	paddr_t hog[24];
	uint32_t n = 0;
	while (frame_alloc(&hog[n]) == 0)
		n++;
	/* The child's own table is had (software tables need no frame); the page copy is not. */
	CHECK_EQ(swpmap_user_write(child, DATA, 0x66), -ENOMEM);
	CHECK_EQ(shared_frames(), DATA_PAGES + 2); /* both tables map every page now, text too */
	CHECK_EQ(frame_refcount(frame_of(parent, DATA)), 2);
	CHECK_EQ(peek(parent, DATA), 0x55);
	CHECK_EQ(peek(child, DATA), 0x55);
	/* The policy: the faulting task dies; its teardown returns the shares. */
	vm_space_release(child);
	CHECK_EQ(shared_frames(), 0);
	CHECK_EQ(swpmap_user_write(parent, DATA, 0x77), 0); /* reuse needs no frame */
	while (n > 0)
		frame_unref(hog[--n]);
	vm_space_release(parent);
	CHECK_EQ(free_frames(), 24);
	swpmap_ram_fini();
}

TEST(space_pool_exhaustion_is_enomem)
{
	swpmap_ram_init(8);
	struct vmspace *vs[VM_SPACE_MAX + 1];
	int made = 0;
	while (made <= VM_SPACE_MAX && vm_space_create(&vs[made]) == 0)
		made++;
	CHECK_EQ(made, VM_SPACE_MAX);
	struct vmspace *child;
	CHECK_EQ(vm_space_clone(vs[0], &child), -ENOMEM);
	while (made > 0)
		vm_space_release(vs[--made]);
	swpmap_ram_fini();
}

static void fault_without_lock(void)
{
	swpmap_ram_init(16);
	struct vmspace *vs = space_new();
	vm_fault_resolve_locked(vs, DATA, VM_PROT_WRITE);
}

static void region_find_without_lock(void)
{
	swpmap_ram_init(16);
	vm_region_find_locked(space_new(), DATA);
}

/* The _locked suffix is checked: calling one without the space's lock stops. */
TEST(locked_functions_check_their_lock)
{
	CHECK(harness_panics(fault_without_lock));
	CHECK(harness_panics(region_find_without_lock));
}

/* A fault in a space with a second user whose mutex that user holds: the fault must wait. */
static void fault_while_the_other_user_holds_the_lock(void)
{
	swpmap_ram_init(16);
	struct vmspace *vs = space_new();
	vm_space_hold(vs);
	mm_mutex_lock(&vs->lock); /* host: the fault's own take is a nested one, and stops */
	swpmap_user_write(vs, DATA, 1);
}

/*
 * The mutex keeps a space's users apart: a lone user's faults (fill, table
 * split, copy, reuse) run without it, and once a thread shares the space
 * every fault takes it.
 */
TEST(lone_user_faults_without_the_mutex_shared_space_with_it)
{
	swpmap_ram_init(32);
	struct vmspace *vs = space_new();
	unsigned long takes = host_mutex_takes();
	CHECK_EQ(swpmap_user_write(vs, DATA, 1), 0); /* zero fill */
	CHECK_EQ(host_mutex_takes(), takes);
	struct vmspace *child;
	CHECK_EQ(vm_space_clone(vs, &child), 0);
	struct vm_fault_stats st0 = fault_stats();
	takes = host_mutex_takes();
	CHECK_EQ(swpmap_user_write(vs, DATA, 2), 0);    /* table copy, then COW copy */
	CHECK_EQ(swpmap_user_write(child, DATA, 3), 0); /* table taken back, then reuse */
	CHECK_EQ(host_mutex_takes(), takes);
	CHECK_EQ(fault_stats().table_copy, st0.table_copy + 1);
	CHECK_EQ(fault_stats().cow_copy, st0.cow_copy + 1);
	CHECK_EQ(fault_stats().cow_reuse, st0.cow_reuse + 1);
	CHECK_EQ(peek(vs, DATA), 2);
	CHECK_EQ(peek(child, DATA), 3);
	vm_space_release(child);
	vm_space_hold(vs); /* a thread joins: takes the mutex once itself */
	takes = host_mutex_takes();
	CHECK_EQ(swpmap_user_write(vs, DATA + PAGE_SIZE, 4), 0);
	CHECK_EQ(host_mutex_takes(), takes + 1);
	vm_space_release(vs); /* the thread leaves: alone again */
	takes = host_mutex_takes();
	CHECK_EQ(swpmap_user_write(vs, DATA + 2 * PAGE_SIZE, 5), 0);
	CHECK_EQ(host_mutex_takes(), takes);
	CHECK_EQ(peek(vs, DATA + PAGE_SIZE), 4);
	CHECK(harness_panics(fault_while_the_other_user_holds_the_lock));
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 32);
	swpmap_ram_fini();
}

/*
 * A region vm_region_add() could not complete leaves nothing a fault could
 * find, though the last lookup found it (the fill faults its pages in): its
 * slot, the last one, is emptied.
 */
TEST(failed_region_add_leaves_no_address_behind)
{
	swpmap_ram_init(16);
	struct vmspace *vs = NULL;
	CHECK_EQ(vm_space_create(&vs), 0);
	CHECK_EQ(vm_region_add(vs, DATA, PAGE_SIZE, VM_PROT_READ | VM_PROT_WRITE, 0), 0);
	/* Read-only regions are filled when added: 32 pages do not fit in what is left. */
	const vaddr_t ro = STACK_END - 32 * PAGE_SIZE;
	CHECK_EQ(vm_region_add(vs, ro, 32 * PAGE_SIZE, VM_PROT_READ, 0), -ENOMEM);
	CHECK_EQ(vs->nregions, 1);
	struct vm_fault_info fi = { .addr = ro, .access = VM_PROT_READ, .kind = VM_FAULT_UNMAPPED,
				    .user = true };
	CHECK_EQ(vm_fault(vs, &fi), -EFAULT);
	fi.addr = STACK_END - PAGE_SIZE;
	CHECK_EQ(vm_fault(vs, &fi), -EFAULT);
	CHECK_EQ(swpmap_user_write(vs, DATA, 1), 0);
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 16);
	swpmap_ram_fini();
}

TEST(threads_share_until_last_release)
{
	swpmap_ram_init(16);
	struct vmspace *vs = space_new();
	swpmap_user_write(vs, DATA, 1);
	vm_space_hold(vs);
	vm_space_release(vs);
	CHECK_EQ(peek(vs, DATA), 1); /* still alive: one holder left */
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 16);
	swpmap_ram_fini();
}

/* ---- commit accounting ------------------------------------------------ */

/* space_new()'s charge: 1 directory, 16 data and 8 stack pages, tables for span 0 and the stack's. */
#define SPACE_CHARGE 27u

static struct frame_stats frames(void)
{
	struct frame_stats st;
	frame_stats_get(&st);
	return st;
}

/* Every count a refused call must leave exactly as it was. */
static void check_stats_same(const struct frame_stats *a, const struct frame_stats *b)
{
	CHECK_EQ(a->free, b->free);
	CHECK_EQ(a->used, b->used);
	CHECK_EQ(a->shared, b->shared);
	CHECK_EQ(a->committed, b->committed);
	CHECK_EQ(a->uncharged, b->uncharged);
}

/* Load space_new()'s text as exec would (its uncharged frames were taken when it was added). */
static void load_text(struct vmspace *vs)
{
	static const uint8_t code[2 * PAGE_SIZE] = { 0x0C, [PAGE_SIZE] = 0xDE };
	CHECK_EQ(vm_load(vs, TEXT, code, sizeof(code)), 0);
}

/* Write every page of space_new()'s data and stack, and heap_pages of its heap. */
static void write_every_page(struct vmspace *vs, uint32_t heap_pages, uint8_t v)
{
	for (uint32_t i = 0; i < DATA_PAGES; i++)
		CHECK_EQ(swpmap_user_write(vs, DATA + i * PAGE_SIZE, v), 0);
	for (uint32_t i = 0; i < heap_pages; i++)
		CHECK_EQ(swpmap_user_write(vs, HEAP + i * PAGE_SIZE, v), 0);
	for (vaddr_t va = STACK; va < STACK_END; va += PAGE_SIZE)
		CHECK_EQ(swpmap_user_write(vs, va, v), 0);
}

TEST(commit_charge_follows_regions_fork_brk_and_exit)
{
	swpmap_ram_init(64); /* the default mode: counted, never refused */
	struct vmspace *vs = NULL;
	CHECK_EQ(vm_space_create(&vs), 0);
	CHECK_EQ(vs->charge, 1); /* its directory */
	const vm_prot_t rw = VM_PROT_READ | VM_PROT_WRITE;
	CHECK_EQ(vm_region_add(vs, TEXT, 2 * PAGE_SIZE, VM_PROT_READ | VM_PROT_EXEC, 0), 0);
	CHECK_EQ(vs->charge, 2); /* read-only pages are not charged; span 0's table is */
	CHECK_EQ(vm_region_add(vs, DATA, DATA_PAGES * PAGE_SIZE, rw, 0), 0);
	CHECK_EQ(vs->charge, 2 + DATA_PAGES); /* same span, same table */
	CHECK_EQ(vm_region_add(vs, HEAP, 0, rw, VM_REGION_HEAP), 0);
	CHECK_EQ(vm_region_add(vs, STACK, STACK_END - STACK, rw, 0), 0);
	CHECK_EQ(vs->charge, SPACE_CHARGE);
	CHECK_EQ(frames().committed, SPACE_CHARGE);
	load_text(vs);
	CHECK_EQ(frames().uncharged, 2);
	CHECK_EQ(frames().committed, SPACE_CHARGE);
	struct vmspace *child;
	CHECK_EQ(vm_space_clone(vs, &child), 0);
	CHECK_EQ(child->charge, SPACE_CHARGE);
	CHECK_EQ(frames().committed, 2 * SPACE_CHARGE);
	vaddr_t end;
	CHECK_EQ(vm_brk(vs, HEAP + 5 * PAGE_SIZE, &end), 0);
	CHECK_EQ(vs->charge, SPACE_CHARGE + 5);
	/* Into the next span: 1024 pages and its table, far beyond 64 frames, and not refused. */
	CHECK_EQ(vm_brk(vs, 0x500000, &end), 0);
	CHECK_EQ(vs->charge, SPACE_CHARGE + 1024 + 1);
	CHECK_EQ(frames().committed, 2 * SPACE_CHARGE + 1025);
	CHECK(!frames().strict);
	CHECK_EQ(vm_brk(vs, HEAP + PAGE_SIZE, &end), 0);
	CHECK_EQ(vs->charge, SPACE_CHARGE + 1);
	CHECK_EQ(vm_brk(vs, HEAP, &end), 0);
	CHECK_EQ(vs->charge, SPACE_CHARGE);
	vm_space_release(child);
	CHECK_EQ(frames().committed, SPACE_CHARGE);
	CHECK_EQ(frames().uncharged, 2); /* the parent still maps the text */
	vm_space_release(vs);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(frames().uncharged, 0);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

/* A strict-mode world of nframes frames whose tables and directories are frames too. */
static void strict_ram_init(uint32_t nframes)
{
	swpmap_ram_init(nframes);
	swpmap_tables_take_frames(true);
	frame_commit_mode_set(FRAME_COMMIT_STRICT);
}

TEST(strict_fork_refused_when_the_reserve_is_short)
{
	strict_ram_init(2 + 2 * SPACE_CHARGE - 1); /* the text, the parent, a child less one frame */
	struct vmspace *vs = space_new(), *child = NULL;
	load_text(vs);
	write_every_page(vs, 0, 7);
	struct frame_stats before = frames();
	uint32_t tables = swpmap_tables_live();
	CHECK_EQ(vm_space_clone(vs, &child), -ENOMEM);
	struct frame_stats after = frames();
	check_stats_same(&before, &after);
	CHECK_EQ(swpmap_tables_live(), tables);
	CHECK_EQ(after.free, SPACE_CHARGE - 1); /* frames there are, but not enough to promise */
	CHECK_EQ(peek(vs, DATA), 7);
	vm_space_release(vs);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(free_frames(), 2 + 2 * SPACE_CHARGE - 1);
	swpmap_ram_fini();
}

TEST(strict_every_page_written_after_fork_never_runs_out)
{
	const uint32_t heap_pages = 10, charge = SPACE_CHARGE + heap_pages;
	strict_ram_init(2 + 2 * charge); /* exactly the text, the parent and one child */
	struct vmspace *vs = space_new(), *child, *second;
	load_text(vs);
	vaddr_t end;
	CHECK_EQ(vm_brk(vs, HEAP + heap_pages * PAGE_SIZE, &end), 0);
	CHECK_EQ(swpmap_user_write(vs, DATA, 1), 0); /* some pages shared at the fork, most not */
	CHECK_EQ(swpmap_user_write(vs, STACK_END - 1, 2), 0);
	CHECK_EQ(vm_space_clone(vs, &child), 0);
	CHECK_EQ(frames().committed + frames().uncharged, frames().total);
	CHECK_EQ(vm_space_clone(vs, &second), -ENOMEM); /* the promise that keeps the writes below safe */
	CHECK_EQ(peek(child, TEXT), 0x0C);
	write_every_page(child, heap_pages, 0xC);
	write_every_page(vs, heap_pages, 0xA);
	CHECK_EQ(free_frames(), 0); /* the promise was exact: every frame is in use now */
	CHECK_EQ(peek(child, DATA), 0xC);
	CHECK_EQ(peek(vs, DATA), 0xA);
	CHECK_EQ(peek(vs, TEXT + PAGE_SIZE), 0xDE);
	vm_space_release(child);
	vm_space_release(vs);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(frames().uncharged, 0);
	CHECK_EQ(free_frames(), 2 + 2 * charge);
	swpmap_ram_fini();
}

TEST(strict_brk_refused_past_the_limit)
{
	strict_ram_init(64);
	struct vmspace *vs = space_new();
	load_text(vs);
	const uint32_t room = 64 - 2 - SPACE_CHARGE; /* the heap's span is charged already */
	struct frame_stats before = frames();
	vaddr_t end;
	CHECK_EQ(vm_brk(vs, HEAP + (room + 1) * PAGE_SIZE, &end), -ENOMEM);
	CHECK_EQ(end, HEAP);
	struct frame_stats after = frames();
	check_stats_same(&before, &after);
	CHECK_EQ(vm_brk(vs, HEAP + room * PAGE_SIZE, &end), 0);
	CHECK_EQ(frames().committed + frames().uncharged, 64);
	write_every_page(vs, room, 3);
	CHECK_EQ(free_frames(), 0);
	CHECK_EQ(vm_brk(vs, HEAP + 5 * PAGE_SIZE, &end), 0);
	CHECK_EQ(frames().committed, SPACE_CHARGE + 5);
	CHECK_EQ(free_frames(), room - 5);
	vm_space_release(vs);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(free_frames(), 64);
	swpmap_ram_fini();
}

TEST(strict_region_and_text_cannot_take_promised_frames)
{
	strict_ram_init(2 + SPACE_CHARGE + 4); /* the text, the space, four frames to spare */
	struct vmspace *vs = space_new(), *other;
	CHECK_EQ(frames().uncharged, 2); /* read-only regions are mapped whole when added */
	const vm_prot_t rw = VM_PROT_READ | VM_PROT_WRITE, rx = VM_PROT_READ | VM_PROT_EXEC;
	struct frame_stats before = frames();
	/* Four pages in a new span need five frames: refused, and the region is not left behind. */
	CHECK_EQ(vm_region_add(vs, 0x800000, 4 * PAGE_SIZE, rw, 0), -ENOMEM);
	CHECK_EQ(vs->nregions, 4);
	struct frame_stats after = frames();
	check_stats_same(&before, &after);
	uint8_t v;
	CHECK_EQ(swpmap_user_read(vs, 0x800000, &v), -EFAULT);
	CHECK_EQ(vm_region_add(vs, 0x800000, 2 * PAGE_SIZE, rw, 0), 0); /* one frame left */
	/* Read-only pages take uncharged frames: the first fits, the second would be promised. */
	before = frames();
	CHECK_EQ(vm_region_add(vs, TEXT + 4 * PAGE_SIZE, 2 * PAGE_SIZE, rx, 0), -ENOMEM);
	after = frames();
	check_stats_same(&before, &after); /* the page filled first is given back */
	CHECK_EQ(vs->nregions, 5);
	CHECK(!pmap_extract(&vs->pmap, TEXT + 4 * PAGE_SIZE, NULL, NULL));
	CHECK_EQ(vm_region_add(vs, TEXT + 4 * PAGE_SIZE, PAGE_SIZE, rx, 0), 0);
	CHECK_EQ(frames().committed + frames().uncharged, frames().total);
	CHECK(free_frames() > 0); /* frames there are, but each is promised */
	CHECK_EQ(vm_space_create(&other), -ENOMEM); /* not even a directory */
	vm_space_release(vs);
	CHECK_EQ(frames().committed, 0);
	CHECK_EQ(frames().uncharged, 0);
	/* The default mode counts the same, and refuses nothing. */
	frame_commit_mode_set(FRAME_COMMIT_OVERCOMMIT);
	vs = space_new();
	CHECK_EQ(vm_region_add(vs, 0x800000, 8 * PAGE_SIZE, rw, 0), 0);
	CHECK_EQ(vm_region_add(vs, TEXT + 4 * PAGE_SIZE, 2 * PAGE_SIZE, rx, 0), 0);
	CHECK(frames().committed + frames().uncharged > frames().total);
	vm_space_release(vs);
	CHECK_EQ(free_frames(), 2 + SPACE_CHARGE + 4);
	swpmap_ram_fini();
}

int main(int argc, char **argv)
{
	static const struct harness_case cases[] = {
		CASE(region_add_rejects_bad_ranges),
		CASE(demand_fill_gives_zeroed_private_pages),
		CASE(fault_on_a_page_already_fixed_is_spurious),
		CASE(bad_accesses_are_refused),
		CASE(load_fills_read_only_text),
		CASE(clone_shares_tables_not_pages),
		CASE(clone_cost_does_not_grow_with_untouched_memory),
		CASE(teardown_of_a_shared_table_leaves_the_other_side_whole),
		CASE(first_read_splits_when_the_cpu_traps_shared_tables),
		CASE(copyin_reads_a_shared_table_without_splitting_it),
		CASE(parent_write_after_clone_copies_and_child_keeps_old),
		CASE(three_generations_each_see_their_own_writes),
		CASE(refork_before_writing_keeps_counts_right),
		CASE(copyout_into_cow_page_leaves_parent_unchanged),
		CASE(cmpxchg_breaks_cow_fills_demand_zero_and_refuses_bad_words),
		CASE(brk_grows_and_shrinking_frees_frames),
		CASE(usage_counts_resident_and_shared_pages),
		CASE(clone_needs_no_data_frame_and_no_page_table),
		CASE(split_out_of_memory_changes_nothing),
		CASE(split_with_a_saturated_count_changes_nothing),
		CASE(brk_shrink_splits_a_partly_covered_shared_table),
		CASE(cow_fault_without_frames_keeps_sharer_intact),
		CASE(space_pool_exhaustion_is_enomem),
		CASE(lone_user_faults_without_the_mutex_shared_space_with_it),
		CASE(failed_region_add_leaves_no_address_behind),
		CASE(threads_share_until_last_release),
		CASE(locked_functions_check_their_lock),
		CASE(commit_charge_follows_regions_fork_brk_and_exit),
		CASE(strict_fork_refused_when_the_reserve_is_short),
		CASE(strict_every_page_written_after_fork_never_runs_out),
		CASE(strict_brk_refused_past_the_limit),
		CASE(strict_region_and_text_cannot_take_promised_frames),
	};
	return harness_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
