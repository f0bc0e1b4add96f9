/*
 * trap.h - the portable half of exception handling. The arch decodes its
 * hardware into these calls; the policy (retry, signal, panic) lives here.
 */
#ifndef CALF_KERNEL_TRAP_H
#define CALF_KERNEL_TRAP_H

#include <mm/vm.h>
#include "arch.h"
#include "sched.h"
#include "task.h"

/*
 * A system call: number and arguments are in tf. Called with interrupts
 * off; the call runs with them on. From kernel mode it is a kernel fault.
 */
void trap_syscall(struct trapframe *tf);

/*
 * A page fault the arch decoded into fi (what names the exception). A user
 * fault is resolved by vm_fault() or kills the task with a signal; a kernel
 * fault is reported and stops the machine.
 */
void trap_page_fault(struct trapframe *tf, const struct vm_fault_info *fi, const char *what);

/* An exception with no fixing (undefined instruction, divide error): sig for a user task. */
void trap_exception(struct trapframe *tf, int sig, const char *what);

/* An interrupt: the board dispatches it; then preempt interrupted kernel code if due. */
void trap_irq(struct trapframe *tf);

/* trap_return_check()'s work when something is due. */
void trap_return_slow(struct trapframe *tf);

/*
 * Last step before any return to user mode, interrupts off: preemption,
 * pending signals and the restart of an interrupted system call. Inline, since nothing is due on almost every return.
 */
static inline void trap_return_check(struct trapframe *tf)
{
	if (__builtin_expect(current->return_work != 0 || sched_need_resched, 0))
		trap_return_slow(tf);
}

/* A new task's first return to user mode, from the switch that started it. */
void trap_first_return(struct trapframe *tf);

/* A fault in kernel mode: print the full report and stop the machine. */
_Noreturn void trap_kernel_fault(const struct trapframe *tf, const char *what,
				 const struct vm_fault_info *fi);

#endif
