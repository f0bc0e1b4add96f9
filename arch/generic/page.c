/*
 * page.c (generic) - pmap helpers that are the same on every arch, as weak
 * defaults: an arch that has something better defines the function again
 * (strong), and the linker takes its version instead of this one.
 *
 * Every port today maps RAM at its physical address (the kernel's direct
 * map: TTBR1 sections on armv7, the kernel page directory on i386), so a
 * physical address is also the kernel pointer to it. A port that moves RAM
 * elsewhere overrides pmap_kva, and with it the two routines below when it
 * has its own.
 */
#include <string.h>

#include <mm/pmap.h>

__attribute__((weak)) void *pmap_kva(paddr_t pa)
{
	return (void *)(uintptr_t)pa; /* RAM is mapped at its physical address */
}

__attribute__((weak)) void pmap_zero_page(paddr_t pa)
{
	memset(pmap_kva(pa), 0, PAGE_SIZE);
}

__attribute__((weak)) void pmap_copy_page(paddr_t src, paddr_t dst)
{
	memcpy(pmap_kva(dst), pmap_kva(src), PAGE_SIZE);
}
