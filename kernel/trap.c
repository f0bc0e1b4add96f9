/* trap.c - what the kernel does with each exception the arch decoded. */
#include "trap.h"

#include <errno.h>
#include <signal.h>

#include "board.h"
#include "console.h"
#include "printk.h"
#include "sched.h"
#include "syscall.h"
#include "task.h"

static const char *signal_name(int sig)
{
	switch (sig) {
	case SIGSEGV: return "SIGSEGV";
	case SIGBUS: return "SIGBUS";
	case SIGILL: return "SIGILL";
	case SIGFPE: return "SIGFPE";
	case SIGKILL: return "SIGKILL";
	default: return "signal";
	}
}

static const char *access_name(vm_prot_t access)
{
	return access == VM_PROT_WRITE ? "write" : access == VM_PROT_EXEC ? "execute" : "read";
}

/* The signal a refused fault earns (see vm_fault() and docs/design.md). */
static int fault_signal(int err)
{
	switch (err) {
	case -EINVAL: return SIGBUS;  /* alignment and other non-translation aborts */
	case -ENOMEM: return SIGKILL; /* no frame for a COW copy or a fill: OOM kill */
	default: return SIGSEGV;      /* no region, or the region forbids the access */
	}
}

void trap_syscall(struct trapframe *tf)
{
	if (!arch_tf_from_user(tf))
		trap_kernel_fault(tf, "system call from kernel mode", NULL);
	int32_t ret = syscall_dispatch(arch_tf_syscall_nr(tf), tf);
	arch_tf_set_return(tf, (uintptr_t)ret);
}

/* Print a one-line account of a user task killed by sig and end it. */
static _Noreturn void user_kill(int sig, const char *what, uintptr_t pc)
{
	printk("calf: task %d (%s) killed by %s: %s, pc %08" PRIxPTR "\n", current->pid, current->name,
	       signal_name(sig), what, pc);
	task_exit(sig);
}

/* Report a user fault vm_fault() refused with err and end the task; kept off the fault path. */
static _Noreturn __attribute__((noinline, cold)) void fault_refused(const struct vm_fault_info *fi,
								   int err)
{
	printk("calf: task %d (%s): %s of %08" PRIxVADDR " refused: %s (status %" PRIx32 ")\n",
	       current->pid, current->name, access_name(fi->access), fi->addr,
	       arch_fault_decode(fi->raw, fi->access == VM_PROT_EXEC), fi->raw);
	user_kill(fault_signal(err), err == -ENOMEM ? "out of memory" : "bad access", fi->pc);
}

void trap_page_fault(struct trapframe *tf, const struct vm_fault_info *fi, const char *what)
{
	/* The kernel reaches user memory only through vm_copyout/in: no kernel fault is expected. */
	if (!fi->user)
		trap_kernel_fault(tf, what, fi);
	int err = vm_fault(current->vs, fi);
	if (err)
		fault_refused(fi, err);
}

void trap_exception(struct trapframe *tf, int sig, const char *what)
{
	if (!arch_tf_from_user(tf))
		trap_kernel_fault(tf, what, NULL);
	user_kill(sig, what, arch_tf_pc(tf));
}

void trap_irq(struct trapframe *tf)
{
	board_irq_dispatch();
	/*
	 * It interrupted kernel code, which had interrupts on (or it could not
	 * have been taken), so held no spinlock: preemptible. A task it readied
	 * that outranks current runs now.
	 */
	if (!arch_tf_from_user(tf))
		while (sched_need_resched && sched_preempt())
			;
}

void trap_return_slow(struct trapframe *tf)
{
	(void)tf;
	for (;;) {
		if (current->pending_sig) {
			arch_irq_enable(); /* the teardown is long, and preemptible */
			task_exit(current->pending_sig & 0x7F);
		}
		if (!sched_need_resched || !sched_preempt())
			return;
	}
}

void trap_first_return(struct trapframe *tf)
{
	sched_first_run();
	trap_return_check(tf);
}

_Noreturn void trap_kernel_fault(const struct trapframe *tf, const char *what,
				 const struct vm_fault_info *fi)
{
	console_sync(); /* whatever is queued first, then the report, all polled */
	printk("\nKERNEL FAULT: %s in task %d (%s)\n", what, current ? current->pid : -1,
	       current ? current->name : "?");
	if (fi)
		printk("  address %08" PRIxVADDR ", %s, status %08" PRIx32 ": %s\n", fi->addr,
		       access_name(fi->access),
		       fi->raw, arch_fault_decode(fi->raw, fi->access == VM_PROT_EXEC));
	arch_tf_dump(tf);
	printk("calf: halted\n");
	board_poweroff(KERNEL_PANIC_STATUS);
}
