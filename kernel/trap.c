/* trap.c - what the kernel does with each exception the arch decoded. */
#include "trap.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>

#include "board.h"
#include "console.h"
#include "printk.h"
#include "sched.h"
#include "signal.h"
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

/*
 * A call ended -ERESTARTSYS or -ERESTARTNOHAND: note it for signal_deliver(),
 * which restarts it or lets it fail with EINTR. Kept off the common path.
 */
static __attribute__((noinline, cold)) int32_t syscall_restart_note(const struct trapframe *tf,
								   unsigned nr, int32_t ret)
{
	/* sigreturn's result is a restored register, whatever its value: never a restart. */
	if (nr == CALF_SYS_sigreturn || ret == -(ERESTARTSYS + 1))
		return ret; /* the one value in between is no restart code */
	/* ARM returns the result in r0, the first argument: tf still holds it here, not after. */
	current->sig_sc_nr = nr;
	current->sig_sc_arg0 = arch_tf_arg(tf, 0);
	current->sig_restart = ret == -ERESTARTSYS ? 1 : 2;
	return -EINTR; /* unless signal_deliver() restarts it on the way out */
}

void trap_syscall(struct trapframe *tf)
{
	if (!arch_tf_from_user(tf))
		trap_kernel_fault(tf, "system call from kernel mode", NULL);
	arch_irq_enable(); /* the kernel is preemptible: a call runs with interrupts on */
	unsigned nr = arch_tf_syscall_nr(tf);
	int32_t ret = syscall_dispatch(nr, tf);
	/* One compare for both restart codes, ERESTARTSYS..ERESTARTNOHAND. */
	if (__builtin_expect((uint32_t)(ret + ERESTARTNOHAND) <= ERESTARTNOHAND - ERESTARTSYS, 0))
		ret = syscall_restart_note(tf, nr, ret);
	arch_tf_set_return(tf, (uintptr_t)ret);
}

/*
 * Print a one-line account of a user task killed by sig and end it: pc,
 * and the return address where the arch keeps one in a register (", lr"),
 * which ./calf run turns into function names and source lines.
 */
static _Noreturn void user_kill(int sig, const char *what, uintptr_t pc)
{
	uintptr_t ret = arch_tf_user_return(current->tf);
	if (ret)
		printk("calf: task %d (%s) killed by %s: %s, pc %08" PRIxPTR ", lr %08" PRIxPTR "\n",
		       current->pid, current->name, signal_name(sig), what, pc, ret);
	else
		printk("calf: task %d (%s) killed by %s: %s, pc %08" PRIxPTR "\n", current->pid,
		       current->name, signal_name(sig), what, pc);
	task_exit(sig);
}

/*
 * A user fault vm_fault() refused with err: the signal to the task's
 * handler (with the faulting address), or the end of the task when it has
 * none or blocks it (a second fault in its handler). Kept off the fault path.
 */
static __attribute__((noinline, cold)) void fault_refused(const struct vm_fault_info *fi, int err)
{
	int sig = fault_signal(err);
	struct ksiginfo info = { .addr = fi->addr };
	info.code = sig == SIGBUS ? CALF_BUS_ADRALN
		    : fi->kind == VM_FAULT_UNMAPPED ? CALF_SEGV_MAPERR : CALF_SEGV_ACCERR;
	if (sig != SIGKILL && signal_fault(sig, &info))
		return;
	printk("calf: task %d (%s): %s of %08" PRIxVADDR " refused: %s (status %" PRIx32 ")\n",
	       current->pid, current->name, access_name(fi->access), fi->addr,
	       arch_fault_decode(fi->raw, fi->access == VM_PROT_EXEC), fi->raw);
	user_kill(sig, err == -ENOMEM ? "out of memory" : "bad access", fi->pc);
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
	/* POSIX <signal.h>: si_addr is the faulting instruction for SIGILL and SIGFPE. */
	struct ksiginfo info = { .addr = (uint32_t)arch_tf_pc(tf) };
	info.code = sig == SIGILL ? CALF_ILL_ILLOPC : sig == SIGFPE ? CALF_FPE_INTDIV : CALF_SI_KERNEL;
	if (signal_fault(sig, &info))
		return;
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

/*
 * Each signal_deliver() call takes one pending signal, waits out a stop or
 * settles a restart, with interrupts on (a frame copy may fault and
 * sleep): the loop ends once nothing is due, and interrupts are off only
 * for the checks.
 */
void trap_return_slow(struct trapframe *tf)
{
	for (;;) {
		if (current->return_work) {
			arch_irq_enable();
			signal_deliver(tf);
			arch_irq_disable();
			continue;
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
