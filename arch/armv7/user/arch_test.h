/*
 * arch_test.h (armv7) - the machine code the on-target tests need, so the
 * tests themselves stay portable. Apps are Thumb-2.
 */
#ifndef CALF_ARCH_TEST_H
#define CALF_ARCH_TEST_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Why data cannot refuse execution here, or NULL: short descriptors have XN. */
static inline const char *arch_test_no_nx(void)
{
	return NULL;
}

/* Why a misaligned access cannot fault here, or NULL: LDREX always checks. */
static inline const char *arch_test_no_align_fault(void)
{
	return NULL;
}

/* An address in the kernel's part of the address space: above the 1 GiB of user space. */
#define ARCH_TEST_KERNEL_ADDRESS 0x7FFFFFF0u

/* Write a function that just returns into buf; returns a pointer to call it. */
static inline void (*arch_test_return_stub(void *buf))(void)
{
	const uint16_t bx_lr = 0x4770; /* Thumb "bx lr" */
	memcpy(buf, &bx_lr, sizeof(bx_lr));
	return (void (*)(void))((uintptr_t)buf | 1u); /* bit 0: Thumb state */
}

/* What a privileged instruction in USR mode costs: it is undefined there, so SIGILL. */
#define ARCH_TEST_PRIVILEGED_SIGNAL SIGILL

/* Execute an instruction only the kernel may: read SCTLR (CP15 c1, PL1 only, B4.1.130). */
static inline void arch_test_privileged_instruction(void)
{
	uint32_t v;
	__asm__ volatile("mrc p15, 0, %0, c1, c0, 0" : "=r"(v));
	(void)v;
}

/*
 * Why an integer division by zero cannot trap here, or NULL. The Cortex-A9
 * has no divide instruction; the EABI helper __aeabi_idiv0 just returns 0.
 */
static inline const char *arch_test_no_divide_trap(void)
{
	return "ARMv7-A (Cortex-A9) has no divide instruction to trap";
}

static inline void arch_test_divide_by_zero(void)
{
}

/* Execute an instruction that is undefined forever (Thumb UDF #0). */
static inline void arch_test_undefined_instruction(void)
{
	__asm__ volatile(".inst.n 0xde00");
}

/* Make an access the CPU refuses for alignment: LDREX needs a word-aligned address. */
static inline void arch_test_misaligned_access(void *p)
{
	uint32_t v;
	__asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"((uintptr_t)p | 1u) : "memory");
	(void)v;
}

#endif
