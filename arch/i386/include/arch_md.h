/*
 * arch_md.h (i386) - the trap frame and the small pieces of the CPU the
 * portable kernel touches directly.
 */
#ifndef CALF_I386_ARCH_MD_H
#define CALF_I386_ARCH_MD_H

#define ARCH_NAME "i386"
#define ARCH_ELF_MACHINE 3 /* EM_386 */

/* GDT selectors (cpu.c builds the table): RPL 3 on the user ones. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE 0x1B
#define SEL_UDATA 0x23
#define SEL_TSS 0x28
#define SEL_UTLS 0x33 /* the thread's data segment: base = its thread pointer (cpu.c) */

/* struct trapframe as vectors.S sees it (the C side asserts both below). */
#define TF_CS 60   /* offsetof(struct trapframe, cs) */
#define TF_SIZE 76 /* sizeof(struct trapframe), a frame from user mode */
#define CTX_FPU_SIZE 528 /* sizeof(struct arch_context.fpu): FXSAVE's 512 bytes, 16-aligned inside */

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EFLAGS_RESERVED (1u << 1) /* always one */
#define EFLAGS_IF (1u << 9)
#define EFLAGS_AC (1u << 18)

/*
 * Saved state, lowest address first, as vectors.S builds it: the data
 * segments, PUSHAL's block, the vector and error code, then what the CPU
 * pushed. esp and ss are there only on entry from user mode (SDM vol. 3
 * 6.12.1): a kernel-mode frame ends at eflags.
 */
struct trapframe {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_pushal, ebx, edx, ecx, eax;
	uint32_t vector, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss;
};
_Static_assert(sizeof(struct trapframe) == TF_SIZE, "vectors.S builds this layout");
_Static_assert(offsetof(struct trapframe, cs) == TF_CS, "vectors.S tests the saved CS");

/*
 * Callee-saved registers arch_context_switch() keeps on the kernel stack,
 * below them the task's floating-point state: user tasks share one FPU, so
 * it switches with them. With SSE (cpu.c) that is FXSAVE's 512-byte image
 * (x87, MMX, XMM and MXCSR; SDM vol. 1 10.5.1) at the first 16-byte
 * boundary in fpu[]; without, the x87 state in FNSAVE's 108-byte format
 * (SDM vol. 1 8.1.10) at fpu[0].
 */
struct arch_context {
	uint8_t fpu[CTX_FPU_SIZE];
	uint32_t edi, esi, ebx, ebp, eip;
};
_Static_assert(CTX_FPU_SIZE >= 512 + 15, "room to align an FXSAVE image");

/* True when tf was saved on entry from user mode (CPL 3 in the saved CS). */
static inline bool arch_tf_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3u) == 3u;
}

/* The address of the instruction that trapped (or the next one, for a system call). */
static inline uintptr_t arch_tf_pc(const struct trapframe *tf)
{
	return tf->eip;
}

/*
 * Where the interrupted user code returns to, as far as a report can say:
 * unknown (0). i386 keeps it on the user stack, which a report does not read.
 */
static inline uintptr_t arch_tf_user_return(const struct trapframe *tf)
{
	(void)tf;
	return 0;
}

/* Syscall number in eax, arguments in ebx, ecx, edx, esi, edi, ebp (int 0x80, as Linux). */
static inline unsigned arch_tf_syscall_nr(const struct trapframe *tf)
{
	return tf->eax;
}

static inline uintptr_t arch_tf_arg(const struct trapframe *tf, int i)
{
	switch (i) {
	case 0: return tf->ebx;
	case 1: return tf->ecx;
	case 2: return tf->edx;
	case 3: return tf->esi;
	case 4: return tf->edi;
	default: return tf->ebp;
	}
}

static inline void arch_tf_set_return(struct trapframe *tf, uintptr_t v)
{
	tf->eax = v;
}

static inline void arch_tf_set_sp(struct trapframe *tf, uintptr_t sp)
{
	tf->esp = sp;
}

/*
 * Set tf to enter a program at pc at CPL 3, esp at argc, with argc in eax,
 * argv in edx and envp in ecx (user/crt0.S).
 */
static inline void arch_tf_user_init(struct trapframe *tf, uintptr_t pc, uintptr_t sp,
				     uintptr_t argc, uintptr_t argv, uintptr_t envp)
{
	*tf = (struct trapframe){ 0 };
	tf->eax = argc;
	tf->edx = argv;
	tf->ecx = envp;
	tf->eip = pc;
	tf->esp = sp;
	tf->cs = SEL_UCODE;
	tf->ss = tf->ds = tf->es = tf->fs = SEL_UDATA;
	tf->gs = SEL_UTLS; /* %gs:0 reads the thread block's self-pointer (abi.h) */
	tf->eflags = EFLAGS_RESERVED | EFLAGS_IF;
}

/* Disable interrupts and return the previous state for arch_irq_restore(). */
static inline uint32_t arch_irq_save(void)
{
	uint32_t flags;
	__asm__ volatile("pushfl\n\tpopl %0\n\tcli" : "=r"(flags)::"memory");
	return flags & EFLAGS_IF;
}

static inline void arch_irq_restore(uint32_t saved)
{
	if (saved)
		__asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

/* True when interrupts are open on this CPU now. */
static inline bool arch_irqs_enabled(void)
{
	uint32_t flags;
	__asm__ volatile("pushfl\n\tpopl %0" : "=r"(flags)::"memory");
	return flags & EFLAGS_IF;
}

/* Wait for an interrupt with interrupts open, then close them again. */
static inline void arch_idle(void)
{
	/* STI holds interrupts off for one more instruction: no wakeup slips in before HLT. */
	__asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
}

#endif /* __ASSEMBLER__ */

#endif
