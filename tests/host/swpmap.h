/*
 * swpmap.h - host-side helpers around the software pmap: simulated RAM and a
 * simulated MMU access that faults into vm_fault() exactly as hardware would.
 */
#ifndef CALF_HOST_SWPMAP_H
#define CALF_HOST_SWPMAP_H

#include <mm/vm.h>

/* Give the frame table nframes frames of simulated RAM at physical 0. */
void swpmap_ram_init(uint32_t nframes);

/* Free the simulated RAM. */
void swpmap_ram_fini(void);

/* Let only n more page-table allocations succeed (-1: no limit). */
void swpmap_table_budget(int n);

/* Make shared tables refuse reads too, as armv7's no-access domain does (default: writes only, as i386). */
void swpmap_shared_traps_reads(bool on);

/* Which table maps va in pm (NULL: none); equal pointers mean one shared table. */
const void *swpmap_table_of(const struct pmap *pm, vaddr_t va);

/* How many pmaps use the table swpmap_table_of() returned. */
uint32_t swpmap_table_refs(const void *table);

/* Page-table pages the software pmaps hold (must drop to 0 after teardown). */
uint32_t swpmap_tables_live(void);

/*
 * Access one byte as a user task would: translate, fault into vm_fault() on a
 * missing or too weak mapping, retry. Returns 0 or vm_fault()'s error.
 */
int swpmap_user_write(struct vmspace *vs, vaddr_t va, uint8_t val);
int swpmap_user_read(struct vmspace *vs, vaddr_t va, uint8_t *val);

#endif
