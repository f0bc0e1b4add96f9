/*
 * x86.h (i386, arch-private) - control registers, paging-entry
 * bits and the TLB maintenance functions: one per kind of invalidation, so
 * SMP can turn them into shootdowns in one place.
 */
#ifndef CALF_I386_X86_H
#define CALF_I386_X86_H

#include <stdint.h>

#include <arch_io.h>
#include <pmap_md.h> /* paddr_t */

/* CR0 and CR4 bits (SDM vol. 3 2.5). */
#define CR0_PE (1u << 0)
#define CR0_MP (1u << 1)  /* WAIT honours TS */
#define CR0_EM (1u << 2)  /* no x87: clear, the FPU is real */
#define CR0_TS (1u << 3)
#define CR0_NE (1u << 5)  /* x87 errors as #MF, not through the PIC */
#define CR0_WP (1u << 16) /* supervisor writes honour read-only pages */
#define CR0_AM (1u << 18) /* EFLAGS.AC may enable alignment checks at CPL 3 */
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4) /* 4 MiB pages in the page directory */
#define CR4_PGE (1u << 7) /* global pages survive CR3 loads */
#define CR4_OSFXSR (1u << 9)      /* FXSAVE/FXRSTOR cover the XMM registers; SSE allowed */
#define CR4_OSXMMEXCPT (1u << 10) /* unmasked SIMD floating-point errors raise #XM */

/* CPUID.01H:EDX feature bits (SDM vol. 2A, CPUID, table 3-11). */
#define CPUID_FXSR (1u << 24)
#define CPUID_SSE (1u << 25)

/*
 * Nonzero once fpu_init (cpu.c) found FXSAVE and SSE and set CR4.OSFXSR:
 * then arch_context_switch keeps each task's x87 and SSE state in FXSAVE's
 * format and page.S zeroes and copies with SSE; otherwise FNSAVE (x87 only)
 * and rep stosl/movsl. Read by vectors.S and page.S too.
 */
extern uint32_t arch_sse;

/*
 * 32-bit paging entries (SDM vol. 3 4.3, tables 4-5 and 4-6): the same
 * low bits in a page-directory and a page-table entry.
 */
#define PTE_P (1u << 0)  /* present */
#define PTE_W (1u << 1)  /* writable */
#define PTE_U (1u << 2)  /* user-accessible */
#define PTE_PS (1u << 7) /* in a PDE: maps a 4 MiB page */
#define PTE_G (1u << 8)  /* global: kept across CR3 loads with CR4.PGE */
#define PTE_FRAME 0xFFFFF000u

#define PD_INDEX(va) ((uint32_t)(va) >> 22)
#define PT_INDEX(va) (((uint32_t)(va) >> 12) & 0x3FFu)
#define LARGE_PAGE_SIZE (1u << 22)

#define CR_ACCESSORS(n)                                                        \
	static inline uint32_t cr##n##_read(void)                              \
	{                                                                      \
		uint32_t v;                                                    \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));              \
		return v;                                                      \
	}                                                                      \
	static inline void cr##n##_write(uint32_t v)                           \
	{                                                                      \
		__asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory");       \
	}
CR_ACCESSORS(0)
CR_ACCESSORS(3)
CR_ACCESSORS(4)
#undef CR_ACCESSORS

/* The faulting linear address of the last #PF. */
static inline uint32_t cr2_read(void)
{
	uint32_t v;
	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}


/* Drop the TLB entry for va in the current address space (INVLPG). */
void tlb_flush_page(uintptr_t va);

/* Drop every non-global TLB entry: load pd_pa into CR3. */
void tlb_flush_user(paddr_t pd_pa);

/* The kernel's page directory (physical = virtual: RAM is direct-mapped). */
extern uint32_t arch_kernel_pd[1024];

#endif
