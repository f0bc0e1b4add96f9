/*
 * tpmap.h - a minimal pmap over arch/generic/ptable.c for the host test of
 * the shipped table walks (test_ptable.c): simulated RAM, and tables that
 * are frames of the frame table.
 */
#ifndef CALF_HOST_TPMAP_H
#define CALF_HOST_TPMAP_H

#include <arch/generic/ptable.h>

/* Give the frame table nframes frames of simulated RAM at physical 0. */
void tp_ram_init(uint32_t nframes);
void tp_ram_fini(void);

/* An empty pmap; its teardown, dropping every table it uses. */
void tp_create(struct pmap *pm);
void tp_destroy(struct pmap *pm);

/* Map va to pa (which holds one reference for it) in pm's own table. 0 or -ENOMEM. */
int tp_enter(struct pmap *pm, vaddr_t va, paddr_t pa, bool writable);

/* The entry mapping va, or 0. */
pt_entry_t tp_entry(const struct pmap *pm, vaddr_t va);

#endif
