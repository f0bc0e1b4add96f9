/*
 * arch_test.h (i386) - the machine code the on-target tests need, so the
 * tests themselves stay portable.
 */
#ifndef CALF_ARCH_TEST_H
#define CALF_ARCH_TEST_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Why data cannot refuse execution here, or NULL: without PAE, i386 paging
 * has no no-execute bit (SDM vol. 3 4.3), so a readable page is executable.
 */
static inline const char *arch_test_no_nx(void)
{
	return "i386 without PAE has no no-execute bit";
}

/*
 * Why a misaligned access cannot fault here, or NULL. The CPU checks
 * alignment at CPL 3 with CR0.AM and EFLAGS.AC (SDM vol. 3 6.15, #AC), but
 * QEMU's TCG does not model #AC; it names itself in the hypervisor CPUID
 * leaf as "TCGTCGTCGTCG". Real hardware and KVM run the case.
 */
static inline const char *arch_test_no_align_fault(void)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1u), "c"(0u));
	if (!(c & (1u << 31)))
		return NULL; /* no hypervisor: bare metal */
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0x40000000u), "c"(0u));
	char sig[12];
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	return memcmp(sig, "TCGTCGTCGTCG", 12) == 0 ? "QEMU's TCG does not model the #AC alignment check"
						     : NULL;
}

/* An address in the kernel's part of the address space: its text, at the Multiboot load address. */
#define ARCH_TEST_KERNEL_ADDRESS 0x00100000u

/* Write a function that just returns into buf; returns a pointer to call it. */
static inline void (*arch_test_return_stub(void *buf))(void)
{
	const uint8_t ret = 0xC3; /* RET */
	memcpy(buf, &ret, sizeof(ret));
	return (void (*)(void))buf;
}

/* What a privileged instruction at CPL 3 costs: #GP, which Linux and Calf turn into SIGSEGV. */
#define ARCH_TEST_PRIVILEGED_SIGNAL SIGSEGV

/* Execute an instruction only the kernel may (HLT, SDM vol. 3 5.9). */
static inline void arch_test_privileged_instruction(void)
{
	__asm__ volatile("hlt");
}

/* Why an integer division by zero cannot trap here, or NULL: DIV raises #DE. */
static inline const char *arch_test_no_divide_trap(void)
{
	return NULL;
}

/* Divide by zero in the CPU's divide instruction. */
static inline void arch_test_divide_by_zero(void)
{
	uint32_t hi = 0, lo = 1, zero = 0;
	__asm__ volatile("divl %2" : "+a"(lo), "+d"(hi) : "r"(zero) : "cc");
}

/* Execute an instruction that is undefined forever (UD2). */
static inline void arch_test_undefined_instruction(void)
{
	__asm__ volatile("ud2");
}

/*
 * Make an access the CPU refuses for alignment: set EFLAGS.AC (the kernel
 * set CR0.AM), then load a word from an odd address, which raises #AC.
 */
static inline void arch_test_misaligned_access(void *p)
{
	uint32_t v;
	__asm__ volatile("pushfl\n\torl $0x40000, (%%esp)\n\tpopfl\n\t"
			 "movl (%1), %0"
			 : "=r"(v)
			 : "r"((uintptr_t)p | 1u)
			 : "memory", "cc");
	(void)v;
}

#endif
