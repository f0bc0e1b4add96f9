/*
 * arch_md.h (armv7) - the trap frame and the small pieces of the CPU the
 * portable kernel touches directly.
 */
#ifndef CALF_ARMV7_ARCH_MD_H
#define CALF_ARMV7_ARCH_MD_H

#include <stdbool.h>
#include <stdint.h>

#define ARCH_NAME "armv7"
#define ARCH_ELF_MACHINE 40 /* EM_ARM */

/*
 * Saved user or kernel state, lowest address first, as vectors.S builds it:
 * the banked user sp/lr, r0-r12, the SVC lr, then what SRS pushed.
 */
struct trapframe {
	uint32_t usr_sp, usr_lr;
	uint32_t r[13];
	uint32_t svc_lr;
	uint32_t pc, cpsr;
};
_Static_assert(sizeof(struct trapframe) == 72, "vectors.S builds this layout");

/* Callee-saved registers arch_context_switch() keeps on the kernel stack. */
struct arch_context {
	uint32_t r4, r5, r6, r7, r8, r9, r10, r11, lr;
};

#define PSR_MODE_MASK 0x1Fu
#define PSR_MODE_USR 0x10u
#define PSR_T (1u << 5)
#define PSR_I (1u << 7)

/* True when tf was saved on entry from user mode. */
static inline bool arch_tf_from_user(const struct trapframe *tf)
{
	return (tf->cpsr & PSR_MODE_MASK) == PSR_MODE_USR;
}

/* The address of the instruction that trapped (or the next one, for a system call). */
static inline uintptr_t arch_tf_pc(const struct trapframe *tf)
{
	return tf->pc;
}

/* Where the interrupted user code returns to, as far as a report can say: its lr. */
static inline uintptr_t arch_tf_user_return(const struct trapframe *tf)
{
	return tf->usr_lr;
}

/* Syscall number and arguments (EABI: number in r7, arguments r0-r5). */
static inline unsigned arch_tf_syscall_nr(const struct trapframe *tf)
{
	return tf->r[7];
}

static inline uintptr_t arch_tf_arg(const struct trapframe *tf, int i)
{
	return tf->r[i];
}

static inline void arch_tf_set_return(struct trapframe *tf, uintptr_t v)
{
	tf->r[0] = v;
}

static inline void arch_tf_set_sp(struct trapframe *tf, uintptr_t sp)
{
	tf->usr_sp = sp;
}

/*
 * Set tf to enter a program at pc (bit 0 set: Thumb) in user mode, sp at
 * argc, with argc, argv and envp in r0-r2 (user/crt0.S).
 */
static inline void arch_tf_user_init(struct trapframe *tf, uintptr_t pc, uintptr_t sp,
				     uintptr_t argc, uintptr_t argv, uintptr_t envp)
{
	*tf = (struct trapframe){ 0 };
	tf->r[0] = argc;
	tf->r[1] = argv;
	tf->r[2] = envp;
	tf->usr_sp = sp;
	tf->pc = pc & ~1u;
	tf->cpsr = PSR_MODE_USR | ((pc & 1u) ? PSR_T : 0u);
}

/* Disable IRQs and return the previous state for arch_irq_restore(). */
static inline uint32_t arch_irq_save(void)
{
	uint32_t cpsr;
	__asm__ volatile("mrs %0, cpsr\n\tcpsid i" : "=r"(cpsr)::"memory");
	return cpsr & PSR_I;
}

static inline void arch_irq_restore(uint32_t saved)
{
	if (!saved)
		__asm__ volatile("cpsie i" ::: "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("cpsie i" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cpsid i" ::: "memory");
}

/* True when IRQs are open on this CPU now. */
static inline bool arch_irqs_enabled(void)
{
	uint32_t cpsr;
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr)::"memory");
	return !(cpsr & PSR_I);
}

/*
 * Wait for an interrupt, then take it and close IRQs again. WFI runs with
 * IRQs still masked: a pending interrupt wakes it even so (ARM ARM, "Wait
 * For Interrupt"), and one that arrived since the caller last looked for
 * work is taken at CPSIE, after the WFI, rather than before it, where its
 * wakeup would go unseen until the next interrupt ended the WFI.
 */
static inline void arch_idle(void)
{
	__asm__ volatile("dsb\n\twfi\n\tcpsie i\n\tisb\n\tcpsid i" ::: "memory");
}

#endif
