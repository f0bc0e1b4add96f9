/*
 * trap.c (i386) - decode exceptions into the portable fault record and the
 * kernel's trap calls. Policy is not decided here.
 */
#include <inttypes.h>
#include <signal.h>

#include <kernel/printk.h>
#include <kernel/trap.h>
#include "vectors.h"
#include "x86.h"

extern const char arch_task_trampoline[];

/* #PF error code (SDM vol. 3 4.7): P set means a protection violation on a present page. */
#define PF_P (1u << 0)
#define PF_W (1u << 1)
#define PF_U (1u << 2)
#define PF_RSVD (1u << 3)

const char *arch_fault_decode(uint32_t raw, bool exec)
{
	(void)exec;
	if (raw & PF_RSVD)
		return "reserved bit set in a paging entry";
	switch (raw & (PF_P | PF_U)) {
	case 0: return "page not present, kernel mode";
	case PF_U: return "page not present, user mode";
	case PF_P: return "protection violation, kernel mode";
	default: return "protection violation, user mode";
	}
}

/*
 * Fill the portable record from CR2 and the error code. Without NX the
 * error code cannot tell a fetch from a read; a fault at the very address
 * of the instruction is taken as a fetch.
 */
static void page_fault_decode(const struct trapframe *tf, struct vm_fault_info *fi)
{
	fi->addr = cr2_read(); /* before anything can fault again: IF is clear since entry */
	fi->raw = tf->err;
	fi->pc = tf->eip;
	fi->user = arch_tf_from_user(tf);
	if (tf->err & PF_RSVD)
		fi->kind = VM_FAULT_OTHER;
	else
		fi->kind = (tf->err & PF_P) ? VM_FAULT_PROT : VM_FAULT_UNMAPPED;
	if (tf->err & PF_W)
		fi->access = VM_PROT_WRITE;
	else
		fi->access = fi->addr == tf->eip ? VM_PROT_EXEC : VM_PROT_READ;
}

/* The signal a user task gets for an exception other than #PF (as Linux sends them). */
static int exception_signal(uint32_t vector, const char **what)
{
	switch (vector) {
	case VEC_DE: *what = "divide error"; return SIGFPE;
	case VEC_MF: *what = "x87 floating-point error"; return SIGFPE;
	case VEC_XM: *what = "SIMD floating-point error"; return SIGFPE;
	case VEC_NM: *what = "device not available"; return SIGFPE;
	case VEC_UD: *what = "invalid opcode"; return SIGILL;
	case VEC_DB: *what = "debug exception"; return SIGTRAP;
	case VEC_BP: *what = "breakpoint"; return SIGTRAP;
	case VEC_OF: *what = "overflow"; return SIGSEGV;
	case VEC_BR: *what = "bound range exceeded"; return SIGSEGV;
	case VEC_TS: *what = "invalid TSS"; return SIGSEGV;
	case VEC_NP: *what = "segment not present"; return SIGBUS;
	case VEC_SS: *what = "stack-segment fault"; return SIGBUS;
	case VEC_GP: *what = "general protection fault"; return SIGSEGV;
	case VEC_AC: *what = "alignment check"; return SIGBUS;
	default: *what = "machine exception"; return 0; /* NMI, #DF, #MC, reserved: fatal */
	}
}

/*
 * Called by vectors.S for every vector, interrupts off: decode, hand to the
 * kernel. A system call, fault or exception from user mode runs with
 * interrupts on once CR2 is read (the kernel is preemptible); an interrupt
 * handler keeps them off. They go off again before the way out.
 */
void arch_trap(struct trapframe *tf)
{
	struct vm_fault_info fi; /* abort decoding fills every field */
	const char *what;
	int sig;
	bool user = arch_tf_from_user(tf);
	if (tf->vector >= VEC_IRQ_FIRST && tf->vector <= VEC_IRQ_LAST) {
		trap_irq(tf);
	} else if (tf->vector == VEC_SYSCALL) {
		trap_syscall(tf); /* opens interrupts; returns only for a call from user mode */
	} else if (tf->vector == VEC_PF) {
		page_fault_decode(tf, &fi);
		if (user)
			arch_irq_enable();
		trap_page_fault(tf, &fi, "page fault");
	} else if ((sig = exception_signal(tf->vector, &what)) != 0) {
		if (user)
			arch_irq_enable();
		trap_exception(tf, sig, what);
	} else {
		trap_kernel_fault(tf, what, NULL);
	}
	arch_irq_disable();
	if (user)
		trap_return_check(tf);
}

struct arch_context *arch_context_new(void *top, struct trapframe **tf)
{
	struct trapframe *frame = (struct trapframe *)top - 1;
	struct arch_context *ctx = (struct arch_context *)frame - 1;
	*ctx = (struct arch_context){ .eip = (uint32_t)arch_task_trampoline };
	/* FNINIT's state: control word 0x37F, every register empty. */
	if (arch_sse) {
		/* FXSAVE image (SDM vol. 1 10.5.1): abridged tag word 0 (empty), MXCSR's reset value 0x1F80. */
		uint8_t *fx = (uint8_t *)(((uintptr_t)ctx->fpu + 15) & ~(uintptr_t)15);
		fx[0] = 0x7F;
		fx[1] = 0x03;
		fx[24] = 0x80;
		fx[25] = 0x1F;
	} else {
		/* FNSAVE image (SDM vol. 1 8.1.10): tag word 0xFFFF (empty). */
		ctx->fpu[0] = 0x7F;
		ctx->fpu[1] = 0x03;
		ctx->fpu[8] = 0xFF;
		ctx->fpu[9] = 0xFF;
	}
	*tf = frame;
	return ctx;
}

void arch_tf_dump(const struct trapframe *tf)
{
	printk("  eax %08" PRIx32 "  ebx %08" PRIx32 "  ecx %08" PRIx32 "  edx %08" PRIx32 "\n",
	       tf->eax, tf->ebx, tf->ecx, tf->edx);
	printk("  esi %08" PRIx32 "  edi %08" PRIx32 "  ebp %08" PRIx32 "  vector %" PRIu32
	       "  error %08" PRIx32 "\n", tf->esi, tf->edi, tf->ebp, tf->vector, tf->err);
	printk("  eip %08" PRIx32 "  cs %04" PRIx32 "  eflags %08" PRIx32 "\n", tf->eip, tf->cs,
	       tf->eflags);
	if (arch_tf_from_user(tf))
		printk("  user esp %08" PRIx32 "  ss %04" PRIx32 "\n", tf->esp, tf->ss);
	else /* the CPU pushed no esp/ss: the kernel's stack continued right above eflags */
		printk("  kernel esp %08" PRIxPTR "  cr3 %08" PRIx32 "\n", (uintptr_t)&tf->esp,
		       cr3_read());
}
