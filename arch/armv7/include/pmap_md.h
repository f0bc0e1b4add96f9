/*
 * pmap_md.h (armv7) - struct pmap for ARMv7-A short-descriptor tables.
 *
 * TTBCR.N = 2 splits the address space: TTBR0 translates the low 1 GiB
 * (user, one 4 KiB first-level table per task), TTBR1 the rest (kernel,
 * global mappings shared by every task).
 */
#ifndef CALF_ARMV7_PMAP_MD_H
#define CALF_ARMV7_PMAP_MD_H

/*
 * The kernel sees RAM at ARCH_KERNEL_VA_BASE, wherever the board has it
 * (CALF_BOARD_RAM_BASE, from board.cmake): the direct map pmap_kva uses, in
 * which the kernel image is linked too (kernel.ld.in). RAM may then sit at
 * physical 0 (Zynq), below the 1 GiB user space, and the kernel keeps one
 * layout on every board. Up to 1.75 GiB of RAM fits below the boards'
 * device windows at 0xF0000000.
 */
#define ARCH_KERNEL_VA_BASE CALF_KERNEL_VA_BASE
#define PMAP_DIRECT_MAP_OFFSET (ARCH_KERNEL_VA_BASE - CALF_BOARD_RAM_BASE)

#ifndef __ASSEMBLER__
#include <inttypes.h>
#include <stdint.h>

/* Physical addresses: 32 bits (no LPAE/PAE). */
typedef uint32_t paddr_t;
#define PRIxPADDR PRIx32

#define PMAP_USER_START 0x00001000u /* page 0 never mapped: null pointers fault */
#define PMAP_USER_END 0x40000000u   /* 1 GiB: the TTBR0 range with TTBCR.N = 2 */
#define PMAP_TABLE_SPAN (1u << 22)  /* one frame of second-level tables: four 1 MiB ones */
#define PMAP_TABLE_SLOTS 256u       /* table frames a user space can have: 1 GiB / 4 MiB */
#define PMAP_TABLE_SLOT_BASE 0u     /* slot s maps [BASE + s * SPAN, + SPAN) */

struct mm_lock {
	uint32_t held;  /* for the day there are two CPUs; checked now */
	uint32_t saved; /* CPSR I bit of the holder */
};

struct pmap {
	uint32_t *l1;       /* 1024 first-level entries, one frame */
	paddr_t l1_pa;
	uint32_t asid_gen;  /* generation the ASID belongs to; stale means none */
	uint32_t slots_used[PMAP_TABLE_SLOTS / 32]; /* which groups hold a table */
	uint8_t asid;       /* 1..255; 0 is reserved for switching */
};

#endif /* !__ASSEMBLER__ */
#endif
