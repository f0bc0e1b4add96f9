/*
 * arch.h - what the portable kernel asks of each architecture, beyond the
 * pmap contract (mm/pmap.h) and the inline pieces in <arch_md.h>.
 */
#ifndef CALF_KERNEL_ARCH_H
#define CALF_KERNEL_ARCH_H

#include <arch_md.h>

/* Install the exception vectors; the MMU is already on (boot code). */
void arch_traps_init(void);

/*
 * Save the callee-saved state on the current kernel stack into *from and
 * resume the context to. Returns when someone switches back.
 */
void arch_context_switch(struct arch_context **from, struct arch_context *to);

/*
 * Lay out a new task's kernel stack below top: a trap frame (returned in
 * *tf, to be filled by the caller) and a context that, once switched to,
 * returns to user mode through that frame.
 */
struct arch_context *arch_context_new(void *top, struct trapframe **tf);

/*
 * Reset what the current task's program left in the CPU beyond its trap
 * frame, for the program exec starts: the floating-point environment
 * (POSIX exec: "set to the default").
 */
void arch_user_state_reset(void);

/*
 * Make tp the thread pointer user code reads from now on (threads: the
 * scheduler loads each task's at every switch; abi.h says how user code
 * reads it). Interrupts off or the scheduler lock held.
 */
void arch_tls_set(uintptr_t tp);

/* Print every register of tf for a fault report. */
void arch_tf_dump(const struct trapframe *tf);

/* Print what the raw fault status of the arch means. */
const char *arch_fault_decode(uint32_t raw, bool exec);

#endif
