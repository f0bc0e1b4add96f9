/*
 * cp15.h - ARMv7-A system control registers and barriers (ARM DDI 0406C,
 * B4.1 "VMSA System control registers"). Arch-private.
 */
#ifndef CALF_ARMV7_CP15_H
#define CALF_ARMV7_CP15_H

#include <stdint.h>

#define CP15_RW(name, op1, crn, crm, op2)                                           \
	static inline uint32_t cp15_##name##_read(void)                              \
	{                                                                            \
		uint32_t v;                                                          \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2  \
				 : "=r"(v));                                         \
		return v;                                                            \
	}                                                                            \
	static inline void cp15_##name##_write(uint32_t v)                           \
	{                                                                            \
		__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2  \
				 : : "r"(v) : "memory");                             \
	}

CP15_RW(sctlr, 0, c1, c0, 0)      /* system control */
CP15_RW(ttbr0, 0, c2, c0, 0)      /* user table base */
CP15_RW(ttbr1, 0, c2, c0, 1)      /* kernel table base */
CP15_RW(ttbcr, 0, c2, c0, 2)      /* table base control: N splits the VA space */
CP15_RW(dacr, 0, c3, c0, 0)       /* domain access */
CP15_RW(dfsr, 0, c5, c0, 0)       /* data fault status */
CP15_RW(ifsr, 0, c5, c0, 1)       /* instruction fault status */
CP15_RW(dfar, 0, c6, c0, 0)       /* data fault address */
CP15_RW(ifar, 0, c6, c0, 2)       /* instruction fault address */
CP15_RW(vbar, 0, c12, c0, 0)      /* vector base */
CP15_RW(contextidr, 0, c13, c0, 1) /* ASID in bits [7:0] */
CP15_RW(tpidruro, 0, c13, c0, 3) /* thread pointer: user read-only (B4.1.150) */
CP15_RW(tlbiall, 0, c8, c7, 0)    /* invalidate the whole unified TLB */
CP15_RW(tlbimva, 0, c8, c7, 1)    /* invalidate one entry: MVA | ASID */
CP15_RW(tlbiasid, 0, c8, c7, 2)   /* invalidate every entry of one ASID */
CP15_RW(iciallu, 0, c7, c5, 0)    /* invalidate the I-cache */
CP15_RW(bpiall, 0, c7, c5, 6)     /* invalidate branch predictors */
CP15_RW(dccmvac, 0, c7, c10, 1)   /* clean one D-cache line to PoC */
CP15_RW(dccmvau, 0, c7, c11, 1)   /* clean one D-cache line to PoU */
CP15_RW(dcisw, 0, c7, c6, 2)      /* invalidate a D-cache line by set/way */
CP15_RW(csselr, 2, c0, c0, 0)     /* cache size selection */
CP15_RW(id_mmfr3, 0, c0, c1, 7)   /* memory model features: bits [23:20] coherent walk */
CP15_RW(ctr, 0, c0, c0, 1)        /* cache type: bits [19:16] log2 words of the smallest D line */
CP15_RW(ccsidr, 1, c0, c0, 0)     /* cache size id */

#define SCTLR_M (1u << 0)  /* MMU */
#define SCTLR_A (1u << 1)  /* alignment checking */
#define SCTLR_C (1u << 2)  /* D-cache */
#define SCTLR_Z (1u << 11) /* branch prediction */
#define SCTLR_I (1u << 12) /* I-cache */
#define SCTLR_V (1u << 13) /* high vectors */
#define SCTLR_AFE (1u << 29) /* access flag enable: off, AP[0] is a permission bit */
#define SCTLR_TRE (1u << 28) /* TEX remap: off, TEX/C/B are used as written */

static inline void dsb(void)
{
	__asm__ volatile("dsb" ::: "memory");
}

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

#endif
