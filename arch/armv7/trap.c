/*
 * trap.c (armv7) - decode exceptions into the portable fault record and
 * the kernel's trap calls. Policy is not decided here.
 */
#include <signal.h>

#include "../../kernel/printk.h"
#include "../../kernel/trap.h"
#include "cp15.h"

enum trap_kind { TRAP_UNDEF = 1, TRAP_SVC, TRAP_PABT, TRAP_DABT, TRAP_IRQ, TRAP_FIQ };

extern const char arch_vectors[];
extern const char arch_task_trampoline[];

#define DFSR_WNR (1u << 11) /* write not read (B4.1.52) */

void arch_traps_init(void)
{
	cp15_vbar_write((uint32_t)arch_vectors);
	isb();
}

/* The fault status field FS[4:0] of a DFSR or IFSR, short-descriptor format. */
static uint32_t fsr_status(uint32_t fsr)
{
	return ((fsr >> 6) & 0x10u) | (fsr & 0xFu);
}

/*
 * FS codes, ARM DDI 0406C table B3-23 (DFSR) and B3-24 (IFSR):
 * 0x01 alignment; 0x05/0x07 translation, section/page; 0x0D/0x0F permission,
 * section/page; 0x03/0x06 access flag; 0x09/0x0B domain; 0x08 external abort.
 */
static uint8_t fault_kind(uint32_t fs)
{
	switch (fs) {
	case 0x05:
	case 0x07:
		return VM_FAULT_UNMAPPED;
	case 0x0D:
	case 0x0F:
		return VM_FAULT_PROT;
	case 0x01:
		return VM_FAULT_ALIGN;
	default:
		return VM_FAULT_OTHER;
	}
}

const char *arch_fault_decode(uint32_t raw, bool exec)
{
	switch (fsr_status(raw)) {
	case 0x01: return "alignment fault";
	case 0x02: return "debug event";
	case 0x03: return "access flag fault (section)";
	case 0x06: return "access flag fault (page)";
	case 0x05: return "translation fault (section)";
	case 0x07: return "translation fault (page)";
	case 0x08: return "synchronous external abort";
	case 0x09: return "domain fault (section)";
	case 0x0B: return "domain fault (page)";
	case 0x0D: return "permission fault (section)";
	case 0x0F: return "permission fault (page)";
	case 0x16: return "asynchronous external abort";
	default: return exec ? "prefetch abort" : "data abort";
	}
}

/* Fill the portable record from an abort's status and address registers. */
static void abort_decode(const struct trapframe *tf, bool prefetch, struct vm_fault_info *fi)
{
	uint32_t fsr = prefetch ? cp15_ifsr_read() : cp15_dfsr_read();
	fi->raw = fsr;
	fi->addr = prefetch ? cp15_ifar_read() : cp15_dfar_read();
	fi->pc = tf->pc;
	fi->kind = fault_kind(fsr_status(fsr));
	fi->user = arch_tf_from_user(tf);
	if (prefetch)
		fi->access = VM_PROT_EXEC;
	else
		fi->access = (fsr & DFSR_WNR) ? VM_PROT_WRITE : VM_PROT_READ;
}

/* Called by vectors.S for every exception, IRQs masked: decode, hand to the kernel. */
void arch_trap(struct trapframe *tf, int kind)
{
	struct vm_fault_info fi = { 0 };
	switch (kind) {
	case TRAP_SVC:
		trap_syscall(tf);
		break;
	case TRAP_PABT:
	case TRAP_DABT:
		abort_decode(tf, kind == TRAP_PABT, &fi);
		trap_page_fault(tf, &fi, kind == TRAP_PABT ? "prefetch abort" : "data abort");
		break;
	case TRAP_UNDEF:
		if (tf->cpsr & PSR_T)
			tf->pc += 2; /* vectors.S stepped back 4; a Thumb instruction is 2 (B1.8.3) */
		trap_exception(tf, SIGILL, "undefined instruction");
		break;
	case TRAP_IRQ:
		trap_irq(tf);
		break;
	default:
		trap_kernel_fault(tf, "FIQ, which nothing raises", NULL);
	}
	if (arch_tf_from_user(tf))
		trap_return_check(tf);
}

struct arch_context *arch_context_new(void *top, struct trapframe **tf)
{
	struct trapframe *frame = (struct trapframe *)top - 1;
	struct arch_context *ctx = (struct arch_context *)frame - 1;
	*ctx = (struct arch_context){ .lr = (uint32_t)arch_task_trampoline };
	*tf = frame;
	return ctx;
}

void arch_tf_dump(const struct trapframe *tf)
{
	for (int i = 0; i < 13; i++)
		printk("  r%-2d %08x%s", i, tf->r[i], (i % 4 == 3) ? "\n" : "");
	printk("\n  pc  %08x  cpsr %08x  usr sp %08x  usr lr %08x\n", tf->pc, tf->cpsr, tf->usr_sp,
	       tf->usr_lr);
	/* The SVC stack pointer before the exception is just above the frame. */
	printk("  svc sp %08x  svc lr %08x\n", (uint32_t)(uintptr_t)(tf + 1), tf->svc_lr);
}
