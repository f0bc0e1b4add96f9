/*
 * swpmap.c - a software implementation of the pmap contract for host tests.
 *
 * Two levels like the hardware tables; each entry keeps a frame address and
 * its prot. Memory behind "physical" addresses is a malloc'd array starting
 * at physical 0, so an API that took 0 to mean failure would show up here.
 */
#include "swpmap.h"

#include "hostram.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mm/frame.h>

struct swpte {
	paddr_t pa;
	vm_prot_t prot;
	bool valid;
};

#define DIR_SHIFT 22
#define DIR_ENTRIES 1024u
#define TABLE_ENTRIES 1024u

/* A second-level table; refs counts the pmaps using it, as a table frame's count does. */
struct swtable {
	uint32_t refs;
	bool has_frame; /* swpmap_tables_take_frames: frame stands for the table's page */
	paddr_t frame;
	struct swpte e[TABLE_ENTRIES];
};

_Static_assert((1u << DIR_SHIFT) == PMAP_TABLE_SPAN, "one table per directory entry");

static uint32_t tables_live;
static int table_budget = -1;
static bool shared_traps_reads;
static bool tables_take_frames;

void swpmap_table_budget(int n)
{
	table_budget = n;
}

void swpmap_shared_traps_reads(bool on)
{
	shared_traps_reads = on;
}

void swpmap_tables_take_frames(bool on)
{
	tables_take_frames = on;
}

bool swpmap_table_frame(const void *table, paddr_t *pa)
{
	const struct swtable *t = table;
	*pa = t->frame;
	return t->has_frame;
}

bool swpmap_dir_frame(const struct pmap *pm, paddr_t *pa)
{
	*pa = pm->dir_frame;
	return pm->dir_has_frame;
}

void swpmap_ram_init(uint32_t nframes)
{
	host_ram_init(nframes);
	tables_take_frames = false;
}

void swpmap_ram_fini(void)
{
	host_ram_fini();
}

uint32_t swpmap_tables_live(void)
{
	return tables_live;
}

const void *swpmap_table_of(const struct pmap *pm, vaddr_t va)
{
	return pm->dir[va >> DIR_SHIFT].table;
}

uint32_t swpmap_table_refs(const void *table)
{
	return ((const struct swtable *)table)->refs;
}

/* A new empty table with one user, or NULL when the budget or malloc says no. */
static struct swtable *table_new(void)
{
	if (table_budget == 0)
		return NULL;
	struct swtable *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	if (tables_take_frames) {
		/* As on target, a table's page comes from the frame table. */
		if (frame_alloc(&t->frame) != 0) {
			free(t);
			return NULL;
		}
		t->has_frame = true;
	}
	if (table_budget > 0)
		table_budget--;
	t->refs = 1;
	tables_live++;
	return t;
}

/* Drop one user of t; the last one gives up t's frame references and frees it. */
static void table_drop(struct swtable *t)
{
	if (--t->refs > 0)
		return;
	for (uint32_t j = 0; j < TABLE_ENTRIES; j++)
		if (t->e[j].valid)
			frame_unref(t->e[j].pa);
	if (t->has_frame)
		frame_unref(t->frame);
	free(t);
	tables_live--;
}

int pmap_create(struct pmap *pm)
{
	pm->dir_has_frame = false;
	if (tables_take_frames) {
		if (frame_alloc(&pm->dir_frame) != 0)
			return -ENOMEM;
		pm->dir_has_frame = true;
	}
	pm->dir = calloc(DIR_ENTRIES, sizeof(*pm->dir));
	pm->invalidations = 0;
	if (!pm->dir && pm->dir_has_frame)
		frame_unref(pm->dir_frame);
	return pm->dir ? 0 : -ENOMEM;
}

void pmap_destroy(struct pmap *pm)
{
	for (uint32_t i = 0; i < DIR_ENTRIES; i++)
		if (pm->dir[i].table)
			table_drop(pm->dir[i].table);
	free(pm->dir);
	pm->dir = NULL;
	if (pm->dir_has_frame)
		frame_unref(pm->dir_frame);
	pm->dir_has_frame = false;
}

/* The directory entry for va; a kernel address is a broken invariant. */
static struct swdirent *dirent_of(const struct pmap *pm, vaddr_t va)
{
	if (va >= PMAP_USER_END)
		mm_panic("swpmap: kernel address in a user pmap");
	return &pm->dir[va >> DIR_SHIFT];
}

/* The entry for va in its table, or NULL when there is no table. */
static struct swpte *swpte_find(const struct pmap *pm, vaddr_t va)
{
	struct swtable *t = dirent_of(pm, va)->table;
	return t ? &t->e[(va >> PAGE_SHIFT) & (TABLE_ENTRIES - 1)] : NULL;
}

int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot)
{
	struct swdirent *d = dirent_of(pm, va);
	if (d->shared)
		mm_panic("swpmap: pmap_enter into a shared table");
	if (!d->table && !(d->table = table_new()))
		return -ENOMEM;
	struct swpte *pte = &d->table->e[(va >> PAGE_SHIFT) & (TABLE_ENTRIES - 1)];
	if (pte->valid)
		pm->invalidations++;
	*pte = (struct swpte){ pa, prot, true };
	return 0;
}

/*
 * The walk every range operation here shares, as arch/generic/ptable.c's
 * does on target: from directory index *i up to last, the next that holds
 * a table, in *i (an empty one is one step); false when none is left.
 */
static bool dir_next_table(const struct pmap *pm, uint32_t *i, uint32_t last)
{
	for (; *i <= last; (*i)++)
		if (pm->dir[*i].table)
			return true;
	return false;
}

/* The directory indexes [sva, eva) reaches, in *first and *last; false for an empty range. */
static bool dir_range(const struct pmap *pm, vaddr_t sva, vaddr_t eva, uint32_t *first,
		      uint32_t *last)
{
	if (sva >= eva)
		return false;
	dirent_of(pm, eva - 1); /* a kernel address is a broken invariant */
	*first = (uint32_t)(sva >> DIR_SHIFT);
	*last = (uint32_t)((eva - 1) >> DIR_SHIFT);
	return true;
}

/* The entries of table t, at directory index i, inside [sva, eva): the first, and how many in *n. */
static struct swpte *table_part(struct swtable *t, uint32_t i, vaddr_t sva, vaddr_t eva, uint32_t *n)
{
	vaddr_t s = (vaddr_t)i << DIR_SHIFT, e = s + PMAP_TABLE_SPAN;
	s = s > sva ? s : sva;
	e = e < eva ? e : eva;
	*n = (uint32_t)((e - s) >> PAGE_SHIFT);
	return &t->e[(s >> PAGE_SHIFT) & (TABLE_ENTRIES - 1)];
}

/* True when [sva, eva) covers the whole span of table index i. */
static bool table_covered(uint32_t i, vaddr_t sva, vaddr_t eva)
{
	vaddr_t start = (vaddr_t)i << DIR_SHIFT;
	return sva <= start && start + PMAP_TABLE_SPAN <= eva;
}

void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	uint32_t first, last;
	if (!dir_range(pm, sva, eva, &first, &last))
		return;
	/* Only the two end tables can be partly inside; mm/ has made them pm's own. */
	uint32_t ends[2] = { first, last };
	for (int k = 0; k < 2; k++)
		if (pm->dir[ends[k]].shared && !table_covered(ends[k], sva, eva))
			mm_panic("swpmap: pmap_remove over a shared table only partly inside");
	for (uint32_t i = first; dir_next_table(pm, &i, last); i++) {
		struct swdirent *d = &pm->dir[i];
		if (table_covered(i, sva, eva)) {
			table_drop(d->table);
			*d = (struct swdirent){ NULL, false };
			pm->invalidations++;
			continue;
		}
		uint32_t n;
		for (struct swpte *pte = table_part(d->table, i, sva, eva, &n); n > 0; pte++, n--) {
			if (pte->valid) {
				pte->valid = false;
				frame_unref(pte->pa);
				pm->invalidations++;
			}
		}
	}
}

void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	uint32_t first, last;
	if (!dir_range(pm, sva, eva, &first, &last))
		return;
	for (uint32_t i = first; dir_next_table(pm, &i, last); i++) {
		struct swdirent *d = &pm->dir[i];
		if (d->shared)
			mm_panic("swpmap: pmap_protect in a shared table");
		uint32_t n;
		for (struct swpte *pte = table_part(d->table, i, sva, eva, &n); n > 0; pte++, n--) {
			if (pte->valid && (pte->prot & ~prot)) {
				pte->prot &= prot; /* only ever lowered */
				pm->invalidations++;
			}
		}
	}
}

int pmap_share(struct pmap *dst, struct pmap *src, vaddr_t sva, vaddr_t eva)
{
	uint32_t first, last;
	if (!dir_range(src, sva, eva, &first, &last))
		return 0;
	for (uint32_t i = first; dir_next_table(src, &i, last); i++) {
		struct swdirent *s = &src->dir[i], *d = &dst->dir[i];
		if (d->table == s->table)
			continue; /* shared already for another region */
		if (d->table)
			mm_panic("swpmap: pmap_share over a table the destination has");
		if (s->table->refs >= FRAME_REF_MAX)
			return -EOVERFLOW; /* as a table frame's count would saturate */
		s->table->refs++;
		if (!s->shared)
			src->invalidations++; /* its writable TLB entries for the span are stale */
		s->shared = true;
		*d = (struct swdirent){ s->table, true };
	}
	return 0;
}

bool pmap_table_shared(const struct pmap *pm, vaddr_t va)
{
	const struct swdirent *d = dirent_of(pm, va);
	return d->table && d->shared;
}

/* A private copy of t, every mapping read-only in both, each frame with one more reference. */
static int table_copy(struct swtable *t, struct swtable **out)
{
	struct swtable *c = table_new();
	if (!c)
		return -ENOMEM;
	for (uint32_t j = 0; j < TABLE_ENTRIES; j++) {
		if (!t->e[j].valid)
			continue;
		int err = frame_ref(t->e[j].pa);
		if (err) {
			table_drop(c); /* unrefs exactly the entries copied so far */
			return err;
		}
		t->e[j].prot &= (vm_prot_t)~VM_PROT_WRITE;
		c->e[j] = t->e[j];
	}
	*out = c;
	return 0;
}

int pmap_unshare(struct pmap *pm, vaddr_t va, bool *copied)
{
	struct swdirent *d = dirent_of(pm, va);
	if (!d->table || !d->shared)
		mm_panic("swpmap: pmap_unshare of a table not shared");
	*copied = d->table->refs > 1;
	if (*copied) {
		struct swtable *c;
		int err = table_copy(d->table, &c);
		if (err)
			return err;
		d->table->refs--;
		d->table = c;
	}
	d->shared = false;
	pm->invalidations++; /* entries cached through the shared table are stale */
	return 0;
}

bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot)
{
	if (va >= PMAP_USER_END)
		return false;
	const struct swdirent *d = dirent_of(pm, va);
	struct swpte *pte = swpte_find(pm, page_trunc(va));
	if (!pte || !pte->valid)
		return false;
	if (pa)
		*pa = pte->pa;
	if (prot)
		*prot = d->shared ? pte->prot & (vm_prot_t)~VM_PROT_WRITE : pte->prot;
	return true;
}

bool pmap_lookup(const struct pmap *pm, vaddr_t va, struct pmap_entry *e)
{
	e->shared = false;
	if (va >= PMAP_USER_END)
		return false;
	e->shared = pmap_table_shared(pm, va);
	struct swpte *pte = swpte_find(pm, page_trunc(va));
	if (!pte || !pte->valid)
		return false;
	e->where = pte;
	e->pa = pte->pa;
	e->prot = e->shared ? pte->prot & (vm_prot_t)~VM_PROT_WRITE : pte->prot;
	return true;
}

void pmap_update(struct pmap *pm, vaddr_t va, const struct pmap_entry *e, vm_prot_t prot)
{
	struct swpte *pte = e->where;
	if (pmap_table_shared(pm, va) || pte != swpte_find(pm, page_trunc(va)) || !pte->valid ||
	    pte->pa != e->pa)
		mm_panic("pmap_update: the entry changed since pmap_lookup, or its table is shared");
	pte->prot = prot;
	pm->invalidations++;
}

void pmap_activate(struct pmap *pm)
{
	(void)pm;
}

/* The I-cache syncs asked for, oldest first: the tests check who asks and for what. */
static struct swpmap_sync sync_log[SWPMAP_SYNC_LOG];
static uint32_t sync_count;

void pmap_sync_icache(paddr_t pa, size_t len)
{
	if ((pa & PAGE_MASK) + len > PAGE_SIZE || len == 0)
		mm_panic("pmap_sync_icache: not a range inside one frame");
	if (!frame_managed(pa) || frame_refcount(pa) == 0)
		mm_panic("pmap_sync_icache: a frame nobody holds");
	if (sync_count < SWPMAP_SYNC_LOG)
		sync_log[sync_count] = (struct swpmap_sync){ pa, len };
	sync_count++;
}

uint32_t swpmap_syncs(void)
{
	return sync_count;
}

const struct swpmap_sync *swpmap_sync_get(uint32_t i)
{
	return i < sync_count && i < SWPMAP_SYNC_LOG ? &sync_log[i] : NULL;
}

void swpmap_syncs_reset(void)
{
	sync_count = 0;
}

/* Translate va for access, faulting (at most twice) as an MMU would. */
static int user_translate(struct vmspace *vs, vaddr_t va, vm_prot_t access, uint8_t **p)
{
	for (int tries = 0; tries < 3; tries++) {
		paddr_t pa;
		vm_prot_t prot;
		bool mapped = pmap_extract(&vs->pmap, va, &pa, &prot);
		/* Like armv7's domains, optionally: a shared table refuses reads as well. */
		bool table_refuses = shared_traps_reads && pmap_table_shared(&vs->pmap, va);
		if (mapped && (prot & access) == access && !table_refuses) {
			*p = (uint8_t *)pmap_kva(pa) + (va & PAGE_MASK);
			return 0;
		}
		struct vm_fault_info fi = {
			.addr = va,
			.access = access,
			.kind = table_refuses ? VM_FAULT_TABLE : mapped ? VM_FAULT_PROT : VM_FAULT_UNMAPPED,
			.user = true,
		};
		int err = vm_fault(vs, &fi);
		if (err)
			return err;
	}
	mm_panic("swpmap: fault resolved but the access still fails");
}

int swpmap_user_write(struct vmspace *vs, vaddr_t va, uint8_t val)
{
	uint8_t *p;
	int err = user_translate(vs, va, VM_PROT_WRITE, &p);
	if (err == 0)
		*p = val;
	return err;
}

int swpmap_user_read(struct vmspace *vs, vaddr_t va, uint8_t *val)
{
	uint8_t *p;
	int err = user_translate(vs, va, VM_PROT_READ, &p);
	if (err == 0)
		*val = *p;
	return err;
}
