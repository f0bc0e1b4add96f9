/*
 * signal.c (i386) - a signal handler's frame on the user stack, and
 * sigreturn's check of it.
 *
 * Frame, lowest address first, at the handler's esp: the restorer as its
 * return address, its three cdecl arguments (sig, &info, &uc), struct
 * calf_siginfo, then struct calf_ucontext (the old mask; eax, ebx, ecx,
 * edx, esi, edi, ebp, esp, eip, eflags; the FPU state). esp + 4 is
 * 16-byte aligned at entry, as the SysV i386 ABI wants after a call. The
 * restorer calls CALF_SYS_sigreturn with esp 4 bytes above the frame.
 * Segment registers are not in the frame: sigreturn keeps the kernel's
 * own user selectors, so no forged selector ever reaches a segment load.
 */
#include <errno.h>
#include <stddef.h>

#include <kernel/signal.h>
#include <kernel/task.h>
#include "x86.h"

struct sigframe {
	uint32_t ret; /* the restorer */
	int32_t sig;
	uint32_t info_ptr, uc_ptr;
	struct calf_siginfo info;
	struct calf_ucontext uc;
};

/*
 * EFLAGS bits a user may change through a frame (SDM vol. 1 3.4.3): CF, PF,
 * AF, ZF, SF, DF, OF, AC. IF must stay set and IOPL, NT, VM, TF, RF, VIF,
 * VIP clear: a frame asking otherwise is forged.
 */
#define EFLAGS_USER 0x00040CD5u
#define EFLAGS_ALLOWED (EFLAGS_USER | EFLAGS_IF | EFLAGS_RESERVED | (1u << 21) /* ID */)

/* The FPU's state into fpu (FXSAVE's image with SSE, else FNSAVE's, then put back). */
static uint32_t fpu_save(uint8_t *fpu)
{
	uint8_t buf[512 + 16];
	uint8_t *img = (uint8_t *)(((uintptr_t)buf + 15) & ~(uintptr_t)15);
	if (arch_sse) {
		__asm__ volatile("fxsave (%0)" ::"r"(img) : "memory");
	} else {
		/* FNSAVE reinitialises the FPU (SDM vol. 1 8.1.10): FRSTOR puts the state back. */
		__asm__ volatile("fnsave (%0)\n\tfrstor (%0)" ::"r"(img) : "memory");
	}
	__builtin_memcpy(fpu, img, 512);
	return arch_sse ? 1u : 0u;
}

/*
 * Load fpu as the FPU's state; -EINVAL when FXRSTOR would fault on it:
 * MXCSR bits outside what this CPU supports (SDM vol. 1 10.5.1.2, the
 * MXCSR_MASK of its own FXSAVE image; 0 there means 0xFFBF).
 */
static int fpu_restore(const uint8_t *fpu, uint32_t fxsr)
{
	uint8_t buf[512 + 16];
	uint8_t *img = (uint8_t *)(((uintptr_t)buf + 15) & ~(uintptr_t)15);
	if (fxsr != (arch_sse ? 1u : 0u))
		return -EINVAL;
	if (arch_sse) {
		__asm__ volatile("fxsave (%0)" ::"r"(img) : "memory");
		uint32_t cpu_mask, mxcsr;
		__builtin_memcpy(&cpu_mask, img + 28, 4);
		__builtin_memcpy(&mxcsr, fpu + 24, 4);
		if (mxcsr & ~(cpu_mask ? cpu_mask : 0xFFBFu))
			return -EINVAL;
		__builtin_memcpy(img, fpu, 512);
		__asm__ volatile("fxrstor (%0)" ::"r"(img) : "memory");
	} else {
		__builtin_memcpy(img, fpu, 108);
		__asm__ volatile("frstor (%0)" ::"r"(img) : "memory");
	}
	return 0;
}

/* Copy tf's user registers and the FPU into uc. */
static void uc_fill(struct calf_ucontext *uc, const struct trapframe *tf)
{
	const uint32_t regs[CALF_UC_NREGS] = { tf->eax, tf->ebx, tf->ecx, tf->edx, tf->esi,
					       tf->edi, tf->ebp, tf->esp, tf->eip, tf->eflags };
	__builtin_memcpy(uc->regs, regs, sizeof(regs));
	uc->fpu_fxsr = fpu_save(uc->fpu);
}

/* Frame and FPU buffers, about 1.2 KiB of kernel stack, at the shallow return-to-user depth. */
int arch_signal_push(struct trapframe *tf, int sig, const struct calf_siginfo *info, uint32_t mask,
		     const struct calf_sigaction *act)
{
	struct sigframe f = { .ret = act->restorer, .sig = sig, .info = *info, .uc.mask = mask };
	uc_fill(&f.uc, tf);
	if (tf->esp < sizeof(f) + 32)
		return -EFAULT;
	vaddr_t sp = ((tf->esp - sizeof(f) - 4) & ~(vaddr_t)15) + 12;
	f.info_ptr = sp + offsetof(struct sigframe, info);
	f.uc_ptr = sp + offsetof(struct sigframe, uc);
	if (vm_copyout(current->vs, sp, &f, sizeof(f)))
		return -EFAULT;
	tf->esp = sp;
	tf->eip = act->handler;
	/* The ABI wants DF clear at a call; no single-step or resume flag carries into the handler. */
	tf->eflags &= ~((1u << 10) | (1u << 8) | (1u << 16));
	/* A fresh FPU for the handler, as Linux gives it: the interrupted state is in the frame. */
	arch_user_state_reset();
	return 0;
}

int arch_signal_pop(struct trapframe *tf, uint32_t *mask, uint32_t *ret)
{
	struct sigframe f;
	/* The restorer's return popped the return address: the frame starts 4 bytes below esp. */
	if (tf->esp < 4 || vm_copyin(current->vs, &f, tf->esp - 4, sizeof(f)))
		return -EFAULT;
	uint32_t eflags = f.uc.regs[CALF_UC_FLAGS];
	if ((eflags & ~EFLAGS_ALLOWED) || !(eflags & EFLAGS_IF))
		return -EINVAL;
	int err = fpu_restore(f.uc.fpu, f.uc.fpu_fxsr);
	if (err)
		return err;
	const uint32_t *r = f.uc.regs;
	tf->eax = r[0];
	tf->ebx = r[1];
	tf->ecx = r[2];
	tf->edx = r[3];
	tf->esi = r[4];
	tf->edi = r[5];
	tf->ebp = r[6];
	tf->esp = r[CALF_UC_SP];
	tf->eip = r[CALF_UC_PC];
	tf->eflags = eflags | EFLAGS_RESERVED;
	tf->cs = SEL_UCODE;
	tf->ss = tf->ds = tf->es = SEL_UDATA;
	*mask = f.uc.mask;
	*ret = r[0];
	return 0;
}

void arch_syscall_restart(struct trapframe *tf, unsigned nr, uintptr_t arg0)
{
	(void)arg0; /* ebx still holds it: only eax takes the result */
	tf->eax = nr;
	tf->eip -= 2; /* back to the INT 0x80 (CD 80, 2 bytes) */
}
