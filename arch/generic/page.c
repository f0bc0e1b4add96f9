/*
 * page.c (generic) - pmap helpers that are the same on every arch, as weak
 * defaults: an arch that has something better defines the function again
 * (strong), and the linker takes its version instead of this one.
 *
 * The kernel reaches a frame through its direct map (pmap_kva, inline in
 * mm/pmap.h over the arch's PMAP_DIRECT_MAP_OFFSET). This file is built
 * without link-time optimisation: otherwise GCC may inline these weak bodies
 * into their callers and an arch's strong version would never run.
 */
#include <string.h>

#include <mm/pmap.h>

__attribute__((weak)) void pmap_zero_page(paddr_t pa)
{
	memset(pmap_kva(pa), 0, PAGE_SIZE);
}

__attribute__((weak)) void pmap_copy_page(paddr_t src, paddr_t dst)
{
	memcpy(pmap_kva(dst), pmap_kva(src), PAGE_SIZE);
}
