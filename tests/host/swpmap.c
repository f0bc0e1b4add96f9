/*
 * swpmap.c - a software implementation of the pmap contract for host tests.
 *
 * Two levels like the hardware tables; each entry keeps a frame address and
 * its prot. Memory behind "physical" addresses is a malloc'd array starting
 * at physical 0, so an API that took 0 to mean failure would show up here.
 */
#include "swpmap.h"

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

static uint8_t *ram;
static uint32_t ram_frames;
static struct frame *frame_recs;
static uint32_t tables_live;
static int table_budget = -1;

void swpmap_table_budget(int n)
{
	table_budget = n;
}

void swpmap_ram_init(uint32_t nframes)
{
	ram = calloc(nframes, PAGE_SIZE);
	frame_recs = calloc(nframes, sizeof(*frame_recs));
	assert(ram && frame_recs);
	ram_frames = nframes;
	frame_table_init(frame_recs, 0, nframes);
}

void swpmap_ram_fini(void)
{
	free(ram);
	free(frame_recs);
	ram = NULL;
	frame_recs = NULL;
}

uint32_t swpmap_tables_live(void)
{
	return tables_live;
}

void *pmap_kva(paddr_t pa)
{
	if ((pa >> PAGE_SHIFT) >= ram_frames)
		mm_panic("swpmap: physical address outside simulated RAM");
	return ram + pa;
}

void pmap_zero_page(paddr_t pa)
{
	memset(pmap_kva(pa), 0, PAGE_SIZE);
}

void pmap_copy_page(paddr_t src, paddr_t dst)
{
	memcpy(pmap_kva(dst), pmap_kva(src), PAGE_SIZE);
}

int pmap_create(struct pmap *pm)
{
	pm->dir = calloc(DIR_ENTRIES, sizeof(*pm->dir));
	pm->invalidations = 0;
	return pm->dir ? 0 : -ENOMEM;
}

void pmap_destroy(struct pmap *pm)
{
	for (uint32_t i = 0; i < DIR_ENTRIES; i++) {
		if (!pm->dir[i])
			continue;
		for (uint32_t j = 0; j < TABLE_ENTRIES; j++)
			if (pm->dir[i][j].valid)
				mm_panic("swpmap: pmap_destroy with live mappings");
		free(pm->dir[i]);
		tables_live--;
	}
	free(pm->dir);
	pm->dir = NULL;
}

/* The entry for va, allocating its table when create is set; NULL if none. */
static struct swpte *swpte_get(const struct pmap *pm, vaddr_t va, bool create)
{
	if (va >= PMAP_USER_END)
		mm_panic("swpmap: kernel address in a user pmap");
	struct swpte **slot = &pm->dir[va >> DIR_SHIFT];
	if (!*slot) {
		if (!create || table_budget == 0)
			return NULL;
		if (table_budget > 0)
			table_budget--;
		*slot = calloc(TABLE_ENTRIES, sizeof(**slot));
		if (!*slot)
			return NULL;
		tables_live++;
	}
	return &(*slot)[(va >> PAGE_SHIFT) & (TABLE_ENTRIES - 1)];
}

int pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot)
{
	struct swpte *pte = swpte_get(pm, va, true);
	if (!pte)
		return -ENOMEM;
	if (pte->valid)
		pm->invalidations++;
	*pte = (struct swpte){ pa, prot, true };
	return 0;
}

void pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	for (vaddr_t va = sva; va < eva; va += PAGE_SIZE) {
		struct swpte *pte = swpte_get(pm, va, false);
		if (pte && pte->valid) {
			pte->valid = false;
			pm->invalidations++;
		}
	}
}

void pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	for (vaddr_t va = sva; va < eva; va += PAGE_SIZE) {
		struct swpte *pte = swpte_get(pm, va, false);
		if (pte && pte->valid && (pte->prot & ~prot)) {
			pte->prot &= prot;
			pm->invalidations++;
		}
	}
}

bool pmap_extract(const struct pmap *pm, vaddr_t va, paddr_t *pa, vm_prot_t *prot)
{
	struct swpte *pte = swpte_get(pm, page_trunc(va), false);
	if (!pte || !pte->valid)
		return false;
	if (pa)
		*pa = pte->pa;
	if (prot)
		*prot = pte->prot;
	return true;
}

void pmap_activate(struct pmap *pm)
{
	(void)pm;
}

void mm_lock_acquire(struct mm_lock *lk)
{
	if (lk->held)
		mm_panic("swpmap: lock taken twice");
	lk->held = 1;
}

void mm_lock_release(struct mm_lock *lk)
{
	if (!lk->held)
		mm_panic("swpmap: lock released while free");
	lk->held = 0;
}

void mm_lock_assert_held(const struct mm_lock *lk)
{
	if (!lk->held)
		mm_panic("swpmap: a _locked function ran without its lock");
}

_Noreturn void mm_panic(const char *why)
{
	fprintf(stderr, "mm_panic: %s\n", why);
	abort();
}

/* Translate va for access, faulting (at most twice) as an MMU would. */
static int user_translate(struct vmspace *vs, vaddr_t va, vm_prot_t access, uint8_t **p)
{
	for (int tries = 0; tries < 3; tries++) {
		paddr_t pa;
		vm_prot_t prot;
		bool mapped = pmap_extract(&vs->pmap, va, &pa, &prot);
		if (mapped && (prot & access) == access) {
			*p = (uint8_t *)pmap_kva(pa) + (va & PAGE_MASK);
			return 0;
		}
		struct vm_fault_info fi = {
			.addr = va,
			.access = access,
			.kind = mapped ? VM_FAULT_PROT : VM_FAULT_UNMAPPED,
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
