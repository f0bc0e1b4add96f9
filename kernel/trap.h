/*
 * trap.h - the portable half of exception handling. The arch decodes its
 * hardware into these calls; the policy (retry, signal, panic) lives here.
 */
#ifndef CALF_KERNEL_TRAP_H
#define CALF_KERNEL_TRAP_H

#include "../mm/vm.h"
#include "arch.h"

/* A system call from user mode: number and arguments are in tf. */
void trap_syscall(struct trapframe *tf);

/* A page fault: resolved by vm_fault(), else the task dies with a signal. */
void trap_page_fault(struct trapframe *tf, const struct vm_fault_info *fi);

/* An exception that always kills the user task with sig (undefined instruction...). */
void trap_user_signal(struct trapframe *tf, int sig, const char *what, uint32_t raw);

/* An interrupt: the board dispatches it. */
void trap_irq(struct trapframe *tf);

/* Last step before any return to user mode: preemption and pending signals. */
void trap_return_check(struct trapframe *tf);

/* A fault in kernel mode: print the full report and stop the machine. */
_Noreturn void trap_kernel_fault(const struct trapframe *tf, const char *what,
				 const struct vm_fault_info *fi);

/* First kernel code a new task runs, on its way to user mode. */
void kernel_task_start(struct trapframe *tf);

#endif
