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

#include <calf/abi.h> /* CALF_SYS_yield, CALF_I386_SYSCALL_VECTOR */

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

/* The byte arch_test_fault_keeps_registers() stores. */
#define ARCH_TEST_FAULT_BYTE 0x5A

/* The floating-point registers arch_test_fault_keeps_registers() loads and reads back. */
struct arch_test_fpu {
	long double st[8];    /* st(0)..st(7): 80-bit values, 12 bytes apart */
	uint8_t xmm[8][16];   /* xmm0-xmm7 */
	uint32_t mxcsr;
	uint16_t cw;          /* x87 control word */
	uint16_t cw_task;     /* the caller's own, put back at the end */
	uint32_t mxcsr_task;
};
_Static_assert(sizeof(long double) == 12, "the asm below steps st[] by 12 bytes");

/*
 * Store one byte at addr, a store meant to take a page fault (zero fill or
 * COW copy), then yield the CPU (so another task's state takes the FPU),
 * while all eight x87 registers, the x87 control word and, when the CPU
 * has SSE (the kernel then sets CR4.OSFXSR), xmm0-xmm7 and MXCSR hold
 * values of their own made from seed. Returns how many of them changed.
 * The kernel's page routines use XMM registers inside the fault, and the
 * task switch saves all of this state. The XMM registers are left holding
 * the test's values: apps are built without SSE, so nothing else uses them.
 */
static inline int arch_test_fault_keeps_registers(volatile char *addr, uint32_t seed)
{
	uint32_t a, b, c, d;
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1u), "c"(0u));
	uint32_t sse = (d & (3u << 24)) == (3u << 24); /* FXSR and SSE, as the kernel asks */
	struct arch_test_fpu in, out;
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	for (int i = 0; i < 8; i++) {
		in.st[i] = (long double)(seed + (uint32_t)i + 1) / 3.0L; /* 64 significant bits */
		for (int k = 0; k < 16; k++)
			in.xmm[i][k] = (uint8_t)((seed + (uint32_t)i) * 37u + (uint32_t)k * 11u);
	}
	in.cw = (seed & 1) ? 0x0C7F : 0x067F;      /* rounding and precision not FNINIT's */
	in.mxcsr = (seed & 1) ? 0x7F80 : 0x3F80;   /* rounding not the reset value's */
	__asm__ volatile(
		"fnstcw	%c[cwt](%%edi)\n\t"
		"fldcw	%c[cw](%%esi)\n\t"
		"fldt	84(%%esi)\n\tfldt	72(%%esi)\n\tfldt	60(%%esi)\n\tfldt	48(%%esi)\n\t"
		"fldt	36(%%esi)\n\tfldt	24(%%esi)\n\tfldt	12(%%esi)\n\tfldt	0(%%esi)\n\t"
		"testl	%%edx, %%edx\n\t"
		"jz	1f\n\t"
		"stmxcsr	%c[mxt](%%edi)\n\t"
		"ldmxcsr	%c[mx](%%esi)\n\t"
		"movups	%c[x]+0(%%esi), %%xmm0\n\tmovups	%c[x]+16(%%esi), %%xmm1\n\t"
		"movups	%c[x]+32(%%esi), %%xmm2\n\tmovups	%c[x]+48(%%esi), %%xmm3\n\t"
		"movups	%c[x]+64(%%esi), %%xmm4\n\tmovups	%c[x]+80(%%esi), %%xmm5\n\t"
		"movups	%c[x]+96(%%esi), %%xmm6\n\tmovups	%c[x]+112(%%esi), %%xmm7\n"
		"1:\tmovb	%[byte], (%%ecx)\n\t" /* the fault */
		"movl	%[yield], %%eax\n\t"
		"int	%[vec]\n\t"
		"fstpt	0(%%edi)\n\tfstpt	12(%%edi)\n\tfstpt	24(%%edi)\n\tfstpt	36(%%edi)\n\t"
		"fstpt	48(%%edi)\n\tfstpt	60(%%edi)\n\tfstpt	72(%%edi)\n\tfstpt	84(%%edi)\n\t"
		"fnstcw	%c[cw](%%edi)\n\t"
		"fldcw	%c[cwt](%%edi)\n\t"
		"testl	%%edx, %%edx\n\t"
		"jz	2f\n\t"
		"stmxcsr	%c[mx](%%edi)\n\t"
		"movups	%%xmm0, %c[x]+0(%%edi)\n\tmovups	%%xmm1, %c[x]+16(%%edi)\n\t"
		"movups	%%xmm2, %c[x]+32(%%edi)\n\tmovups	%%xmm3, %c[x]+48(%%edi)\n\t"
		"movups	%%xmm4, %c[x]+64(%%edi)\n\tmovups	%%xmm5, %c[x]+80(%%edi)\n\t"
		"movups	%%xmm6, %c[x]+96(%%edi)\n\tmovups	%%xmm7, %c[x]+112(%%edi)\n\t"
		"ldmxcsr	%c[mxt](%%edi)\n"
		"2:"
		:
		: "S"(&in), "D"(&out), "c"(addr), "d"(sse), [byte] "i"(ARCH_TEST_FAULT_BYTE),
		  [yield] "i"(CALF_SYS_yield), [vec] "i"(CALF_I386_SYSCALL_VECTOR),
		  [cw] "i"(offsetof(struct arch_test_fpu, cw)),
		  [cwt] "i"(offsetof(struct arch_test_fpu, cw_task)),
		  [mx] "i"(offsetof(struct arch_test_fpu, mxcsr)),
		  [mxt] "i"(offsetof(struct arch_test_fpu, mxcsr_task)),
		  [x] "i"(offsetof(struct arch_test_fpu, xmm))
		: "eax", "memory", "cc", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)",
		  "st(7)");
	int changed = out.cw != in.cw;
	for (int i = 0; i < 8; i++)
		changed += memcmp(&out.st[i], &in.st[i], 10) != 0; /* the 80 bits, not the padding */
	if (sse) {
		changed += out.mxcsr != in.mxcsr;
		for (int i = 0; i < 8; i++)
			changed += memcmp(out.xmm[i], in.xmm[i], 16) != 0;
	}
	return changed;
}

#endif
