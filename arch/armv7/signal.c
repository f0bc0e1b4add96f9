/*
 * signal.c (armv7) - a signal handler's frame on the user stack, and
 * sigreturn's check of it.
 *
 * Frame, lowest address first, at the handler's sp (8-byte aligned, as
 * AAPCS wants at a call): struct calf_siginfo, then struct calf_ucontext
 * (the old mask; r0-r12, sp, lr, pc, cpsr). The handler is entered with
 * r0 = sig, r1 = &info, r2 = &uc and lr = the restorer, which calls
 * CALF_SYS_sigreturn with sp back at the frame. Apps are soft-float: no
 * VFP state to save.
 */
#include <errno.h>
#include <stddef.h>

#include <kernel/signal.h>
#include <kernel/task.h>

struct sigframe {
	struct calf_siginfo info;
	struct calf_ucontext uc;
};

/*
 * The CPSR bits user mode may hold (ARM DDI 0406C B1.3.3): N Z C V Q,
 * IT[1:0], GE[3:0], IT[7:2], E, T and the mode. A, I, F (masks) and J
 * are not a user's to set.
 */
#define PSR_USER_BITS (0xF8000000u | 0x06000000u | 0x000F0000u | 0x0000FC00u | 0x200u | PSR_T | \
		       PSR_MODE_MASK)

int arch_signal_push(struct trapframe *tf, int sig, const struct calf_siginfo *info, uint32_t mask,
		     const struct calf_sigaction *act)
{
	struct sigframe f = { .info = *info, .uc.mask = mask };
	for (int i = 0; i < 13; i++)
		f.uc.regs[i] = tf->r[i];
	f.uc.regs[CALF_UC_SP] = tf->usr_sp;
	f.uc.regs[14] = tf->usr_lr;
	f.uc.regs[CALF_UC_PC] = tf->pc;
	f.uc.regs[CALF_UC_FLAGS] = tf->cpsr;
	if (tf->usr_sp < sizeof(f) + 8)
		return -EFAULT;
	vaddr_t sp = (tf->usr_sp - sizeof(f)) & ~(vaddr_t)7;
	if (vm_copyout(current->vs, sp, &f, sizeof(f)))
		return -EFAULT;
	tf->r[0] = (uint32_t)sig;
	tf->r[1] = sp + offsetof(struct sigframe, info);
	tf->r[2] = sp + offsetof(struct sigframe, uc);
	tf->usr_sp = sp;
	tf->usr_lr = act->restorer;
	/* Bit 0 of the handler's address selects Thumb (interworking, A4.1.1); IT and E start clear. */
	tf->pc = act->handler & ~1u;
	tf->cpsr = PSR_MODE_USR | ((act->handler & 1u) ? PSR_T : 0u);
	return 0;
}

int arch_signal_pop(struct trapframe *tf, uint32_t *mask, uint32_t *ret)
{
	struct sigframe f;
	if (vm_copyin(current->vs, &f, tf->usr_sp, sizeof(f)))
		return -EFAULT;
	uint32_t cpsr = f.uc.regs[CALF_UC_FLAGS], pc = f.uc.regs[CALF_UC_PC];
	if ((cpsr & PSR_MODE_MASK) != PSR_MODE_USR || (cpsr & ~PSR_USER_BITS))
		return -EINVAL;
	/* RFE to an ARM-state pc with bits [1:0] set is UNPREDICTABLE (B9.3.13): refuse it. */
	if (pc & ((cpsr & PSR_T) ? 1u : 3u))
		return -EINVAL;
	for (int i = 0; i < 13; i++)
		tf->r[i] = f.uc.regs[i];
	tf->usr_sp = f.uc.regs[CALF_UC_SP];
	tf->usr_lr = f.uc.regs[14];
	tf->pc = pc;
	tf->cpsr = cpsr;
	*mask = f.uc.mask;
	*ret = f.uc.regs[0];
	return 0;
}

void arch_syscall_restart(struct trapframe *tf, unsigned nr, uintptr_t arg0)
{
	(void)nr; /* r7 still holds it: the kernel never writes r7 */
	tf->r[0] = arg0;
	tf->pc -= (tf->cpsr & PSR_T) ? 2u : 4u; /* back to the SVC: 16 bits in Thumb, 32 in ARM */
}
