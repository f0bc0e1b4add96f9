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

/* The byte arch_test_fault_keeps_registers() stores. */
#define ARCH_TEST_FAULT_BYTE 0x5A

/*
 * Store one byte at addr, a store meant to take a page fault (zero fill or
 * COW copy), while every general register a task can set, r0-r12 and lr,
 * holds a value of its own made from seed (sp is checked by the code that
 * follows using it). Returns how many of them the fault changed. The
 * kernel's page routines use only core registers, so these are the user
 * state they could disturb.
 */
static inline int arch_test_fault_keeps_registers(volatile char *addr, uint32_t seed)
{
	uint32_t regs[2][14]; /* what r0-r12, lr held before the store, and after */
	for (int i = 0; i < 14; i++)
		regs[0][i] = (seed + (uint32_t)i) * 0x9E3779B9u;
	regs[0][0] = (uint32_t)(uintptr_t)addr;
	regs[0][1] = ARCH_TEST_FAULT_BYTE;
	register uint32_t *p __asm__("r0") = &regs[0][0];
	__asm__ volatile("push	{r4-r11, lr}\n\t"
			 "push	{r0}\n\t"
			 "ldm	r0, {r0-r12, lr}\n\t"
			 "strb	r1, [r0]\n\t" /* the fault */
			 "push	{r0-r12, lr}\n\t"
			 "ldr	r0, [sp, #56]\n\t"
			 "add	r0, r0, #56\n\t" /* &regs[1][0] */
			 "mov	r1, sp\n\t"
			 "ldm	r1!, {r2-r8}\n\t"
			 "stm	r0!, {r2-r8}\n\t"
			 "ldm	r1!, {r2-r8}\n\t"
			 "stm	r0!, {r2-r8}\n\t"
			 "add	sp, sp, #60\n\t"
			 "pop	{r4-r11, lr}"
			 : "+r"(p)
			 :
			 : "r1", "r2", "r3", "r12", "memory");
	int changed = 0;
	for (int i = 0; i < 14; i++)
		changed += regs[1][i] != regs[0][i];
	return changed;
}

#endif
