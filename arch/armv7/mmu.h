/*
 * mmu.h (armv7, arch-private) - descriptor bits and the TLB maintenance
 * functions: one per kind of invalidation, so SMP can switch them to the
 * inner-shareable broadcast forms in one place.
 */
#ifndef CALF_ARMV7_MMU_H
#define CALF_ARMV7_MMU_H

/*
 * What boot.S needs, as plain literals the assembler reads (mmu.c asserts
 * they equal the C definitions): the kernel's section descriptor bits
 * (L1_SEC_NORMAL | L1_SEC_AP(AP_KERNEL) | L1_TYPE_SECTION), DACR_VALUE, and
 * SCTLR's bits (cp15.h).
 */
#define ARCH_BOOT_SECTION_ATTRS 0x1140E
#define ARCH_BOOT_DACR 0x1
#define SCTLR_M_BIT (1 << 0)
#define SCTLR_A_BIT (1 << 1)
#define SCTLR_C_BIT (1 << 2)
#define SCTLR_I_BIT (1 << 12)
#define SCTLR_V_BIT (1 << 13)
#define SCTLR_TRE_BIT (1 << 28)
#define SCTLR_AFE_BIT (1 << 29)

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/*
 * Short-descriptor formats, ARM DDI 0406C B3.5.1 (first level) and
 * B3.5.2 (second level, small page).
 */
#define L1_TYPE_TABLE 0x1u
#define L1_TYPE_SECTION 0x2u
#define L1_TYPE_MASK 0x3u
#define L1_SEC_B (1u << 2)
#define L1_SEC_C (1u << 3)
#define L1_SEC_XN (1u << 4)
#define L1_SEC_AP(x) ((uint32_t)(x) << 10)
#define L1_SEC_TEX(x) ((uint32_t)(x) << 12)
#define L1_SEC_S (1u << 16)

#define L2_XN (1u << 0)
#define L2_SMALL (1u << 1)
#define L2_B (1u << 2)
#define L2_C (1u << 3)
#define L2_AP(x) ((uint32_t)(x) << 4) /* AP[1:0] */
#define L2_TEX(x) ((uint32_t)(x) << 6)
#define L2_APX (1u << 9)                /* AP[2]: read-only at every level */
#define L2_S (1u << 10)
#define L2_NG (1u << 11)                /* not global: tagged with the ASID */

/*
 * Domains (B3.12.3): each first-level descriptor names one of 16, and DACR
 * says per domain whether the descriptors' AP bits apply (client) or every
 * access faults (no access). Kernel sections and private user tables are in
 * DOMAIN_CLIENT. The first-level entries of a table shared after fork are in
 * DOMAIN_SHARED_TABLE, which DACR keeps at no access: the first access
 * through them raises a domain fault, and the kernel gives that space a
 * table of its own (pmap_unshare).
 */
#define DOMAIN_CLIENT 0u
#define DOMAIN_SHARED_TABLE 1u
#define L1_DOMAIN(d) ((uint32_t)(d) << 5)
#define L1_DOMAIN_MASK L1_DOMAIN(0xFu)
#define DACR_CLIENT 0x1u
#define DACR_VALUE (DACR_CLIENT << (2 * DOMAIN_CLIENT)) /* every other domain: no access */

/* AP[2:0] (B3.7.1, SCTLR.AFE = 0): 011 user RW; 111 user RO, kernel RO; 001 kernel only. */
#define AP_USER 0x3u
#define AP_KERNEL 0x1u

/* Normal memory, write-back write-allocate: TEX=001 C=1 B=1 (B3.8.2). */
#define L2_NORMAL (L2_TEX(1) | L2_C | L2_B | L2_S)
#define L1_SEC_NORMAL (L1_SEC_TEX(1) | L1_SEC_C | L1_SEC_B | L1_SEC_S)
/* Shareable device: TEX=000 C=0 B=1. */
#define L1_SEC_DEVICE (L1_SEC_B | L1_SEC_XN)

/* Table walk attributes for TTBRx: inner/outer WBWA, shareable (B4.1.154). */
#define TTBR_WALK_ATTRS ((1u << 6) | (1u << 3) | (1u << 1))

/* Drop the TLB entry for va in address space asid, after pte_sync() of its new descriptor. */
void tlb_flush_page(uintptr_t va, uint8_t asid);

/* Drop every non-global TLB entry of asid. */
void tlb_flush_asid(uint8_t asid);

/* Drop every TLB entry. */
void tlb_flush_all(void);

/*
 * Make descriptor writes visible to the table walker: clean their cache
 * lines, unless ID_MMFR3 says table walks are coherent with the data cache
 * (B4.1.91, "coherent walk"; the Cortex-A9 MPCore's are).
 */
void pte_sync(volatile uint32_t *pte);
void pte_sync_range(volatile uint32_t *pte, size_t n);

#endif /* !__ASSEMBLER__ */
#endif
